"""
A terms version is matched as it is spelled: `/terms/02/` is not version 2,
and an answer naming " 2026-02 " is not an answer to 2026-02.
"""

import datetime
from http import HTTPStatus

import pytest
from django.utils import timezone

from accounts.models import TermsAcceptance
from tests.accounts.factories import TermsAcceptanceFactory, TermsOfUseFactory
from tests.accounts.test_signup import SIGNUP_URL, nothing_was_created, signup_data

pytestmark = pytest.mark.django_db

PADDED = [" 2026-01 ", " 2026-01", "2026-01\n", "\u00a02026-01"]


def test_only_the_label_as_written_serves_a_version(client):
    TermsOfUseFactory(version="2", effective_at=timezone.now() - datetime.timedelta(days=1))

    assert client.get("/terms/2/").status_code == HTTPStatus.OK
    for spelling in ["02", "+2", "%202%20", "\u0662", "\uff12", "2.0"]:
        assert client.get(f"/terms/{spelling}/").status_code == HTTPStatus.NOT_FOUND, spelling


@pytest.mark.parametrize("version", PADDED)
def test_sign_up_with_another_spelling_of_the_version_asks_again(client, terms, version):
    response = client.post(SIGNUP_URL, signup_data(terms_version=version))

    assert b"Our Terms of use changed while you were signing up" in response.content
    assert nothing_was_created()


@pytest.mark.parametrize("version", PADDED)
def test_re_acceptance_naming_another_spelling_records_nothing(client, terms, version):
    reader = TermsAcceptanceFactory(
        terms=TermsOfUseFactory(
            version="2025-12", effective_at=timezone.now() - datetime.timedelta(days=2)
        )
    ).user
    client.force_login(reader)

    response = client.post("/terms/accept/", {"version": version, "decision": "accept"})

    assert b"The terms changed again" in response.content
    assert not TermsAcceptance.objects.filter(terms=terms).exists()


@pytest.mark.parametrize("version", PADDED)
@pytest.mark.parametrize("path", ["/terms/agree/", "/terms/not-now/"])
def test_dialog_answers_naming_another_spelling_record_nothing(client, terms, path, version):
    response = client.post(path, {"version": version})

    assert "terms_answer" not in response.cookies
    assert not TermsAcceptance.objects.exists()
