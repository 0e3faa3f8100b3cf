"""
The Terms of use dialog behind a shared page cache: the cached page carries
only the version in force; everything per visitor comes from an uncached
fragment and a cookie.
"""

from http import HTTPStatus

import pytest
from django.test import Client

from accounts.models import TermsAcceptance
from tests.accounts.factories import TermsAcceptanceFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROMPT_URL = "/terms/prompt/"


@pytest.fixture(autouse=True)
def page_cache_on(page_cache):
    return page_cache


def visitor(answered: str | None = None) -> Client:
    client = Client()
    if answered:
        client.cookies["terms_answer"] = answered
    return client


# --- The cached page ---------------------------------------------------------------------


def test_page_carries_an_empty_dialog_slot_with_the_version_in_force(terms):
    page = visitor().get("/").content.decode()

    assert 'id="terms-prompt"' in page
    assert 'data-terms-version="2026-01"' in page
    assert 'data-src="/terms/prompt/"' in page
    assert 'src="/static/accounts/terms-dialog.js"' in page


def test_page_itself_never_contains_the_dialog(terms):
    page = visitor().get("/").content.decode()

    assert "<dialog" not in page
    assert "csrfmiddlewaretoken" not in page


def test_one_visitors_answer_never_reaches_another_through_the_page_cache(terms):
    answered = visitor(answered="2026-01").get("/")
    fresh = visitor().get("/")
    answered_again = visitor(answered="2026-01").get("/")

    assert answered.content == fresh.content == answered_again.content
    assert not answered.cookies and not fresh.cookies


def test_each_visitor_gets_their_own_answer_from_the_fragment(terms):
    visitor(answered="2026-01").get("/")

    assert visitor().get(PROMPT_URL).status_code == HTTPStatus.OK
    assert visitor(answered="2026-01").get(PROMPT_URL).status_code == HTTPStatus.NO_CONTENT


def test_dialog_script_is_served(client, terms):
    response = client.get("/static/accounts/terms-dialog.js")

    assert response.status_code == HTTPStatus.OK


def test_version_in_force_costs_no_query_once_cached(terms, django_assert_num_queries):
    Client().get("/terms/versions/")
    Client().get("/not-yet-a-page/")  # the 404 page's latest stories are cached too
    with django_assert_num_queries(0):
        Client().get("/no-such-page/")


# --- The fragment -------------------------------------------------------------------------


def test_fragment_is_a_dialog_ending_with_the_question_and_the_choices(terms):
    fragment = visitor().get(PROMPT_URL).content.decode()

    assert fragment.lstrip().startswith("<dialog")
    assert "Do you agree to our terms?" in fragment
    assert 'action="/terms/agree/"' in fragment
    assert 'formaction="/terms/not-now/"' in fragment
    assert 'href="/accounts/signup/">Sign up</a>' in fragment
    assert "data-terms-dialog-close" in fragment


def test_fragment_shows_the_terms_and_a_link_to_read_them_in_full(terms):
    fragment = visitor().get(PROMPT_URL).content.decode()

    assert "Be kind to each other." in fragment
    assert 'href="/terms/"' in fragment


def test_fragment_is_never_cached(terms):
    first = visitor().get(PROMPT_URL)
    second = visitor().get(PROMPT_URL)

    assert "no-store" in first["Cache-Control"]
    assert "csrftoken" in first.cookies and "csrftoken" in second.cookies


def test_fragment_takes_the_page_to_return_to(terms):
    fragment = visitor().get(PROMPT_URL, {"next": "/shop/?page=2"}).content.decode()

    assert 'name="next" value="/shop/?page=2"' in fragment


def test_fragment_refuses_to_send_a_visitor_off_site(terms):
    fragment = visitor().get(PROMPT_URL, {"next": "//evil.test/"}).content.decode()

    assert 'name="next" value="/"' in fragment


def test_fragment_is_empty_before_any_terms_exist():
    assert visitor().get(PROMPT_URL).status_code == HTTPStatus.NO_CONTENT


def test_signed_in_reader_who_accepted_gets_nothing(terms):
    client = Client()
    client.force_login(TermsAcceptanceFactory(terms=terms).user)

    assert client.get(PROMPT_URL).status_code == HTTPStatus.NO_CONTENT


def test_signed_in_reader_is_not_offered_sign_up(terms):
    client = Client()
    client.force_login(UserFactory())

    fragment = client.get(PROMPT_URL).content.decode()

    assert "Do you agree to our terms?" in fragment
    assert "/accounts/signup/" not in fragment


# --- Answers ------------------------------------------------------------------------------


def test_not_now_remembers_the_answer_without_recording_agreement(terms):
    response = visitor().post("/terms/not-now/", {"version": "2026-01", "next": "/shop/"})

    assert response["Location"] == "/shop/"
    assert response.cookies["terms_answer"].value == "2026-01"
    assert not TermsAcceptance.objects.exists()


def test_not_now_for_a_stale_version_sets_no_cookie(new_terms):
    response = visitor().post("/terms/not-now/", {"version": "2026-01"})

    assert "terms_answer" not in response.cookies


def test_agree_then_the_fragment_has_nothing_more_to_ask(terms):
    client = visitor()
    client.post("/terms/agree/", {"version": "2026-01"})

    assert client.get(PROMPT_URL).status_code == HTTPStatus.NO_CONTENT


def test_a_new_version_asks_again(new_terms):
    client = visitor(answered="2026-01")

    page = client.get("/").content.decode()

    assert 'data-terms-version="2026-02"' in page
    assert client.get(PROMPT_URL).status_code == HTTPStatus.OK


def test_answer_pages_do_not_show_the_dialog_on_top_of_the_terms(terms):
    page = visitor().get("/terms/").content.decode()

    assert 'id="terms-prompt"' not in page


def test_prompt_refuses_post(terms):
    assert visitor().post(PROMPT_URL).status_code == HTTPStatus.METHOD_NOT_ALLOWED
