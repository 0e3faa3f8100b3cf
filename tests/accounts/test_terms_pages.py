import datetime
from http import HTTPStatus

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import TermsAcceptance
from tests.accounts.factories import TermsAcceptanceFactory, TermsOfUseFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_terms_page_shows_the_current_version(client, new_terms):
    response = client.get("/terms/")

    assert response.status_code == HTTPStatus.OK
    assert b"Be kind. Also: no spam." in response.content


def test_terms_page_offers_the_agree_form_without_javascript(client, terms):
    page = client.get("/terms/").content.decode()

    assert 'action="/terms/agree/"' in page
    assert "Do you agree to our terms?" in page
    assert 'href="/accounts/signup/"' in page


def test_terms_page_is_never_cached(client, terms):
    response = client.get("/terms/")

    assert "no-store" in response["Cache-Control"]


def test_terms_page_before_any_version_says_so(client):
    response = client.get("/terms/")

    assert response.status_code == HTTPStatus.OK
    assert b"will be published here" in response.content


def test_terms_page_tells_a_reader_when_they_accepted(client, terms):
    record = TermsAcceptanceFactory(terms=terms)
    client.force_login(record.user)

    page = client.get("/terms/").content.decode()

    assert "You accepted this version on" in page


def test_old_version_has_its_own_page_that_points_to_the_current_one(client, new_terms):
    page = client.get("/terms/2026-01/").content.decode()

    assert "Be kind to each other." in page
    assert "This version is no longer in force" in page
    assert 'href="/terms/"' in page


def test_version_page_has_no_csrf_token_so_it_can_be_cached(client, terms):
    response = client.get("/terms/2026-01/")

    assert b"csrfmiddlewaretoken" not in response.content
    assert not response.cookies


def test_unknown_version_is_404(client, terms):
    assert client.get("/terms/1999-01/").status_code == HTTPStatus.NOT_FOUND


def test_scheduled_version_is_404_until_it_takes_effect(client, terms):
    TermsOfUseFactory(version="2099-01", effective_at=timezone.now() + datetime.timedelta(days=1))

    assert client.get("/terms/2099-01/").status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("bad", ["%00", "a" * 300, "..%2F..%2Fetc", "2026-01%27%22"])
def test_odd_version_labels_are_404(client, terms, bad):
    assert client.get(f"/terms/{bad}/").status_code == HTTPStatus.NOT_FOUND


def test_versions_list_shows_what_changed_and_hides_scheduled_ones(client, new_terms):
    TermsOfUseFactory(version="2099-01", effective_at=timezone.now() + datetime.timedelta(days=1))

    page = client.get("/terms/versions/").content.decode()

    assert "We added a rule against spam." in page
    assert 'href="/terms/2026-01/"' in page
    assert "2099-01" not in page


def test_terms_pages_query_count_is_constant(
    client, django_assert_max_num_queries, terms, warm_site_caches
):
    TermsOfUseFactory.create_batch(10)

    with django_assert_max_num_queries(3):
        Client().get("/terms/versions/")


# --- Agreeing on /terms/ (the dialog's twin without JavaScript) -------------------------


def test_anonymous_agreement_is_recorded_without_a_user(client, terms):
    client.post(
        "/terms/agree/",
        {"version": "2026-01"},
        HTTP_USER_AGENT="Lynx/2.9",
        REMOTE_ADDR="198.51.100.7",
    )

    record = TermsAcceptance.objects.get()
    assert (record.user, record.terms, record.method, record.ip_address, record.user_agent) == (
        None,
        terms,
        "dialog",
        "198.51.100.7",
        "Lynx/2.9",
    )


def test_agreeing_sets_the_answer_cookie_and_goes_back(client, terms):
    response = client.post("/terms/agree/", {"version": "2026-01", "next": "/shop/"})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/shop/"
    assert response.cookies["terms_answer"].value == "2026-01"


def test_answer_cookie_is_readable_by_script_and_lax(client, terms):
    cookie = client.post("/terms/agree/", {"version": "2026-01"}).cookies["terms_answer"]

    assert (cookie["httponly"], cookie["samesite"]) == ("", "Lax")


def test_agreeing_never_redirects_off_site(client, terms):
    response = client.post("/terms/agree/", {"version": "2026-01", "next": "https://evil.test/"})

    assert response["Location"] == "/"


def test_agreeing_from_the_terms_page_thanks_the_visitor(client, terms):
    response = client.post("/terms/agree/", {"version": "2026-01", "next": "/terms/?agreed"})

    page = client.get(response["Location"]).content.decode()

    assert "your agreement is recorded" in page


def test_agreeing_to_a_replaced_version_records_nothing(client, new_terms):
    response = client.post("/terms/agree/", {"version": "2026-01"})

    assert response["Location"] == "/terms/"
    assert not TermsAcceptance.objects.exists()


@pytest.mark.parametrize("data", [{}, {"version": ""}, {"version": "x" * 5000}])
def test_agree_with_bad_input_records_nothing_and_does_not_fail(client, terms, data):
    response = client.post("/terms/agree/", data)

    assert response.status_code == HTTPStatus.FOUND
    assert not TermsAcceptance.objects.exists()


def test_agree_refuses_get(client, terms):
    assert client.get("/terms/agree/").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_agree_needs_a_csrf_token(terms):
    client = Client(enforce_csrf_checks=True)

    assert client.post("/terms/agree/", {"version": "2026-01"}).status_code == HTTPStatus.FORBIDDEN


def test_signed_in_reader_agreement_is_recorded_against_them(client, terms):
    user = UserFactory()
    client.force_login(user)

    client.post("/terms/agree/", {"version": "2026-01"})

    assert TermsAcceptance.objects.get().user == user
