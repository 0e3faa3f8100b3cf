import csv
import datetime
import io
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import TermsAcceptance, TermsOfUse
from tests.accounts.factories import TermsAcceptanceFactory, TermsOfUseFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(superuser=True))
    return client


@pytest.fixture
def record():
    return TermsAcceptanceFactory(user__email="ada@example.com")


def consent_url(name, *args):
    return reverse(f"admin:accounts_termsacceptance_{name}", args=args)


def terms_url(name, *args):
    return reverse(f"admin:accounts_termsofuse_{name}", args=args)


def user_url(name, *args):
    return reverse(f"admin:accounts_user_{name}", args=args)


def evidence(record):
    record.refresh_from_db()
    return (record.user_id, record.ip_address, record.user_agent)


# --- Consent records: list, filter, search, export; never add, change or delete ----------


def test_superuser_can_list_and_search_consent_records(admin_client, record):
    response = admin_client.get(consent_url("changelist"), {"q": "ada@"})

    assert response.status_code == HTTPStatus.OK
    assert b"ada@example.com" in response.content


def test_consent_records_can_be_filtered_by_method(admin_client, record):
    TermsAcceptanceFactory(user__email="bob@example.com", method=TermsAcceptance.Method.DIALOG)

    response = admin_client.get(consent_url("changelist"), {"method__exact": "dialog"})

    assert b"bob@example.com" in response.content
    assert b"ada@example.com" not in response.content


def test_consent_list_query_count_does_not_grow_with_rows(
    admin_client, django_assert_max_num_queries
):
    TermsAcceptanceFactory.create_batch(30)

    with django_assert_max_num_queries(12):
        response = admin_client.get(consent_url("changelist"))
    assert response.status_code == HTTPStatus.OK


def test_nobody_can_add_a_consent_record_in_the_admin(admin_client):
    assert admin_client.get(consent_url("add")).status_code == HTTPStatus.FORBIDDEN


def test_nobody_can_change_a_consent_record_in_the_admin(admin_client, record):
    response = admin_client.post(
        consent_url("change", record.pk),
        {"decision": "declined", "method": "dialog", "terms": record.terms.pk},
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    record.refresh_from_db()
    assert record.decision == TermsAcceptance.Decision.ACCEPTED


def test_consent_record_opens_read_only(admin_client, record):
    response = admin_client.get(consent_url("change", record.pk))

    assert response.status_code == HTTPStatus.OK
    assert b'name="_save"' not in response.content


def test_nobody_can_delete_a_consent_record_in_the_admin(admin_client, record):
    response = admin_client.post(consent_url("delete", record.pk), {"post": "yes"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert TermsAcceptance.objects.filter(pk=record.pk).exists()


def test_bulk_delete_is_not_offered_for_consent_records(admin_client, record):
    response = admin_client.post(
        consent_url("changelist"),
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )

    assert TermsAcceptance.objects.filter(pk=record.pk).exists()
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)


def export(admin_client, *records) -> list[list[str]]:
    response = admin_client.post(
        consent_url("changelist"),
        {"action": "export_csv", "_selected_action": [r.pk for r in records]},
    )
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_csv_export_has_a_header_and_one_row_per_record(admin_client, record):
    rows = export(admin_client, record)

    assert rows[0][:5] == ["id", "answered_at", "user_id", "user_email", "terms_version"]
    assert rows[1][3:7] == ["ada@example.com", record.terms.version, "accepted", "signup"]


def test_csv_export_defuses_spreadsheet_formulas(admin_client):
    record = TermsAcceptanceFactory(user_agent='=HYPERLINK("http://evil")')

    rows = export(admin_client, record)

    assert rows[1][-1] == '\'=HYPERLINK("http://evil")'


def test_editor_with_view_permission_can_export(client, record):
    from django.contrib.auth.models import Permission

    editor = UserFactory(staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="view_termsacceptance"))
    client.force_login(editor)

    assert len(export(client, record)) == 2


# --- Terms of use versions ----------------------------------------------------------------


def test_published_version_opens_read_only_and_cannot_be_changed(admin_client):
    terms = TermsOfUseFactory(effective_at=timezone.now() - datetime.timedelta(days=1))
    form = {
        "version": terms.version,
        "title": "Changed",
        "body": "<p>Changed</p>",
        "changes_summary": "",
        "effective_at_0": "2099-01-01",
        "effective_at_1": "00:00:00",
    }

    response = admin_client.post(terms_url("change", terms.pk), form)

    assert response.status_code == HTTPStatus.FORBIDDEN
    terms.refresh_from_db()
    assert terms.title == "Terms of use"


def test_published_version_cannot_be_deleted_in_the_admin(admin_client):
    terms = TermsOfUseFactory(effective_at=timezone.now() - datetime.timedelta(days=1))

    response = admin_client.post(terms_url("delete", terms.pk), {"post": "yes"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert TermsOfUse.objects.filter(pk=terms.pk).exists()


def test_scheduled_version_can_be_edited_in_the_admin(admin_client):
    terms = TermsOfUseFactory(effective_at=timezone.now() + datetime.timedelta(days=7))
    later = timezone.localtime(terms.effective_at)

    response = admin_client.post(
        terms_url("change", terms.pk),
        {
            "version": terms.version,
            "title": "Terms of use, revised",
            "body": "<p>New text</p>",
            "changes_summary": "Clearer wording.",
            "effective_at_0": later.strftime("%Y-%m-%d"),
            "effective_at_1": later.strftime("%H:%M:%S"),
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    terms.refresh_from_db()
    assert terms.title == "Terms of use, revised"


def test_new_version_is_saved_as_a_draft_even_with_an_effective_time_posted(admin_client):
    current = TermsOfUseFactory()
    response = admin_client.post(
        terms_url("add"),
        {
            "version": "2026-09",
            "title": "Terms of use",
            "body": "<p>Text</p>",
            "changes_summary": "Everything.",
            "effective_at_0": "2020-01-01",
            "effective_at_1": "00:00:00",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert TermsOfUse.objects.get(version="2026-09").is_draft
    assert TermsOfUse.objects.current() == current


def test_new_version_form_starts_from_the_current_text(admin_client):
    TermsOfUseFactory(body="<p>The current wording.</p>")

    response = admin_client.get(terms_url("add"))

    assert b"The current wording." in response.content


def test_published_versions_cannot_be_bulk_deleted_in_the_admin(admin_client):
    terms = TermsOfUseFactory(effective_at=timezone.now() - datetime.timedelta(days=1))

    admin_client.post(
        terms_url("changelist"),
        {"action": "delete_selected", "_selected_action": [terms.pk], "post": "yes"},
    )

    assert TermsOfUse.objects.filter(pk=terms.pk).exists()


def test_published_version_shows_its_text_as_readers_see_it(admin_client):
    terms = TermsOfUseFactory(body="<p>Be <strong>kind</strong>.</p>")

    response = admin_client.get(terms_url("change", terms.pk))

    assert b"<p>Be <strong>kind</strong>.</p>" in response.content


def test_terms_editor_page_allows_its_import_map_by_nonce_only(admin_client):
    policy = admin_client.get(terms_url("add"))["Content-Security-Policy"]

    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy


def test_terms_editor_page_allows_tiptaps_stylesheet_by_its_hash(admin_client):
    policy = admin_client.get(terms_url("add"))["Content-Security-Policy"]

    assert "style-src 'self' 'sha256-" in policy


# --- Deleting users: consent records are kept, anonymised, as with self-service deletion ------


def test_user_delete_confirmation_page_opens(admin_client, record):
    response = admin_client.get(user_url("delete", record.user_id))

    assert response.status_code == HTTPStatus.OK


def test_deleting_a_user_in_the_admin_anonymises_their_consent_records(admin_client, record):
    admin_client.post(user_url("delete", record.user_id), {"post": "yes"})

    assert evidence(record) == (None, None, "")


def test_bulk_delete_confirmation_page_opens(admin_client, record):
    response = admin_client.post(
        user_url("changelist"),
        {"action": "delete_selected", "_selected_action": [record.user_id]},
    )

    assert response.status_code == HTTPStatus.OK


def test_bulk_deleting_users_in_the_admin_anonymises_their_consent_records(admin_client, record):
    other = TermsAcceptanceFactory(terms=record.terms)

    admin_client.post(
        user_url("changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [record.user_id, other.user_id],
            "post": "yes",
        },
    )

    assert [evidence(record), evidence(other)] == [(None, None, "")] * 2


def test_bulk_deleting_users_leaves_other_readers_records_alone(admin_client, record):
    bystander = TermsAcceptanceFactory(terms=record.terms)

    admin_client.post(
        user_url("changelist"),
        {"action": "delete_selected", "_selected_action": [record.user_id], "post": "yes"},
    )

    assert evidence(bystander) == (bystander.user_id, "192.0.2.10", "Mozilla/5.0 (test)")


def test_csv_export_carries_no_control_characters_even_from_old_rows(admin_client):
    # bulk_create skips save(), as rows written before the rule existed did.
    saved = TermsAcceptanceFactory()
    (record,) = TermsAcceptance.objects.bulk_create(
        [TermsAcceptance(terms=saved.terms, method="signup", user_agent="Bot\x0b1.0\x01\x1b[31m")]
    )

    rows = export(admin_client, record)

    assert rows[1][-1] == "Bot 1.0[31m"
