import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from accounts.models import ImmutableRecordError, TermsAcceptance, TermsOfUse
from tests.accounts.factories import TermsAcceptanceFactory, TermsOfUseFactory

pytestmark = pytest.mark.django_db


def in_days(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


# --- Which version is current --------------------------------------------------------


def test_current_is_latest_version_already_in_effect():
    TermsOfUseFactory(version="2025-01", effective_at=in_days(-30))
    newer = TermsOfUseFactory(version="2026-01", effective_at=in_days(-1))
    TermsOfUseFactory(version="2027-01", effective_at=in_days(30))

    assert TermsOfUse.objects.current() == newer


def test_current_is_none_before_any_version_takes_effect():
    TermsOfUseFactory(effective_at=in_days(1))

    assert TermsOfUse.objects.current() is None


def test_scheduled_version_takes_over_on_its_own_even_when_cached(travel_to):
    TermsOfUseFactory(version="2026-01", effective_at=in_days(-1))
    scheduled = TermsOfUseFactory(version="2026-02", effective_at=in_days(1))
    assert TermsOfUse.objects.current_cached().version == "2026-01"

    travel_to(in_days(2))

    assert TermsOfUse.objects.current_cached() == scheduled


def test_cached_current_costs_no_query_once_cached(django_assert_num_queries):
    TermsOfUseFactory()
    TermsOfUse.objects.current_cached()

    with django_assert_num_queries(0):
        TermsOfUse.objects.current_cached()


def test_saving_a_version_clears_the_cached_current():
    TermsOfUseFactory(version="2026-01", effective_at=in_days(-1))
    TermsOfUse.objects.current_cached()

    TermsOfUseFactory(version="2026-02", effective_at=timezone.now())

    assert TermsOfUse.objects.current_cached().version == "2026-02"


def test_two_versions_cannot_take_effect_at_the_same_moment():
    moment = in_days(-1)
    TermsOfUseFactory(effective_at=moment)

    with pytest.raises(IntegrityError), transaction.atomic():
        TermsOfUseFactory(effective_at=moment)


# --- Published versions are frozen -------------------------------------------------------


def test_published_version_cannot_be_saved_again():
    terms = TermsOfUseFactory(effective_at=in_days(-1))
    terms.body = "<p>Sneaky edit</p>"

    with pytest.raises(ImmutableRecordError):
        terms.save()


def test_published_version_cannot_be_unlocked_by_moving_its_date_in_memory():
    terms = TermsOfUseFactory(effective_at=in_days(-1))
    terms.effective_at = in_days(10)

    with pytest.raises(ImmutableRecordError):
        terms.save()


def test_published_version_cannot_be_deleted():
    terms = TermsOfUseFactory(effective_at=in_days(-1))

    with pytest.raises(ImmutableRecordError):
        terms.delete()


def test_published_versions_cannot_be_bulk_deleted_or_updated():
    TermsOfUseFactory(effective_at=in_days(-1))

    with pytest.raises(ImmutableRecordError):
        TermsOfUse.objects.all().delete()
    with pytest.raises(ImmutableRecordError):
        TermsOfUse.objects.update(title="Changed")


def test_scheduled_version_can_still_be_edited_and_deleted():
    terms = TermsOfUseFactory(effective_at=in_days(3))
    terms.body = "<p>Fixed a typo</p>"
    terms.save()
    terms.delete()

    assert not TermsOfUse.objects.exists()


def test_body_is_sanitised_on_save():
    terms = TermsOfUseFactory(
        body='<p onclick="steal()">Hi<script>alert(1)</script> <a href="javascript:x()">x</a></p>'
    )

    terms.refresh_from_db()
    assert terms.body == "<p>Hi <a>x</a></p>"


def test_empty_effective_date_means_a_draft_nobody_sees():
    current = TermsOfUseFactory(effective_at=in_days(-1))
    terms = TermsOfUseFactory(effective_at=None)

    assert terms.effective_at is None and terms.is_draft
    assert TermsOfUse.objects.current() == current
    assert list(TermsOfUse.objects.drafts()) == [terms]
    assert not TermsOfUse.objects.published().filter(pk=terms.pk).exists()


def test_new_version_cannot_take_effect_in_the_past():
    terms = TermsOfUseFactory.build(effective_at=in_days(-1))

    with pytest.raises(ValidationError, match="cannot take effect in the past"):
        terms.full_clean()


@pytest.mark.parametrize("label", ["accept", "2026 01", "2026/01", "", "1" * 21])
def test_version_label_must_be_short_and_start_with_a_digit(label):
    terms = TermsOfUseFactory.build(version=label, effective_at=in_days(1))

    with pytest.raises(ValidationError) as error:
        terms.full_clean()
    assert "version" in error.value.message_dict


# --- Consent records are append-only -----------------------------------------------------


def test_consent_record_cannot_be_changed():
    record = TermsAcceptanceFactory()
    record.method = TermsAcceptance.Method.DIALOG

    with pytest.raises(ImmutableRecordError):
        record.save()


def test_consent_record_cannot_be_deleted():
    record = TermsAcceptanceFactory()

    with pytest.raises(ImmutableRecordError):
        record.delete()


def test_consent_records_cannot_be_bulk_updated_or_deleted():
    TermsAcceptanceFactory()

    with pytest.raises(ImmutableRecordError):
        TermsAcceptance.objects.update(ip_address=None)
    with pytest.raises(ImmutableRecordError):
        TermsAcceptance.objects.all().delete()


def test_terms_with_consent_records_are_protected_even_if_scheduled():
    record = TermsAcceptanceFactory(terms=TermsOfUseFactory(effective_at=in_days(5)))

    with pytest.raises(ProtectedError):
        record.terms.delete()


def test_anonymise_unlinks_the_person_and_keeps_the_record():
    record = TermsAcceptanceFactory()

    TermsAcceptance.objects.filter(pk=record.pk).anonymise()

    record.refresh_from_db()
    assert (record.user, record.ip_address, record.user_agent) == (None, None, "")
