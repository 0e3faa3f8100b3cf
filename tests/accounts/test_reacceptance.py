"""A new version of the terms makes signed-in readers accept it before going on."""

import datetime
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from accounts.models import TermsAcceptance
from tests.accounts.factories import TermsAcceptanceFactory, TermsOfUseFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ACCEPT_URL = "/terms/accept/"


@pytest.fixture
def reader(terms):
    """A reader who signed up under the first version."""
    return TermsAcceptanceFactory(terms=terms).user


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


def test_reader_who_accepted_the_version_in_force_browses_freely(reader_client):
    assert reader_client.get("/").status_code == HTTPStatus.OK


def test_new_version_sends_the_reader_to_accept_it_first(reader_client, new_terms):
    response = reader_client.get("/shop/?page=2")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/terms/accept/?next=%2Fshop%2F%3Fpage%3D2"


def test_scheduled_version_asks_from_the_moment_it_takes_effect(reader_client, travel_to):
    TermsOfUseFactory(version="2026-03", effective_at=timezone.now() + datetime.timedelta(hours=1))
    assert reader_client.get("/").status_code == HTTPStatus.OK

    travel_to(timezone.now() + datetime.timedelta(hours=2))

    assert reader_client.get("/").status_code == HTTPStatus.FOUND


def test_accept_page_shows_what_changed(reader_client, new_terms):
    page = reader_client.get(ACCEPT_URL).content.decode()

    assert "We added a rule against spam." in page
    assert "Be kind. Also: no spam." in page
    assert "You accepted version 2026-01." in page


def test_accepting_records_a_second_acceptance_beside_the_first(reader_client, reader, new_terms):
    reader_client.post(ACCEPT_URL, {"version": "2026-02", "decision": "accept", "next": "/shop/"})

    records = list(
        reader.terms_acceptances.order_by("answered_at").values_list(
            "terms__version", "decision", "method"
        )
    )
    assert records == [
        ("2026-01", "accepted", "signup"),
        ("2026-02", "accepted", "reacceptance"),
    ]


def test_after_accepting_the_reader_goes_back_where_they_were(reader_client, new_terms):
    response = reader_client.post(
        ACCEPT_URL, {"version": "2026-02", "decision": "accept", "next": "/shop/"}
    )

    assert response["Location"] == "/shop/"
    assert reader_client.get("/shop/").status_code == HTTPStatus.OK


def test_accepting_remembers_the_answer_so_the_dialog_does_not_ask_after_log_out(
    reader_client, new_terms
):
    response = reader_client.post(ACCEPT_URL, {"version": "2026-02", "decision": "accept"})

    assert response.cookies["terms_answer"].value == "2026-02"


def test_declining_is_recorded(reader_client, reader, new_terms):
    reader_client.post(ACCEPT_URL, {"version": "2026-02", "decision": "decline"})

    record = reader.terms_acceptances.get(terms=new_terms)
    assert (record.decision, record.method) == ("declined", "reacceptance")


def test_declining_signs_the_reader_out_and_says_so(reader_client, new_terms):
    response = reader_client.post(
        ACCEPT_URL, {"version": "2026-02", "decision": "decline"}, follow=True
    )

    assert "_auth_user_id" not in reader_client.session
    assert "We have signed you out" in str(next(iter(get_messages(response.wsgi_request))))


def test_declined_reader_signing_in_again_is_asked_again(client, reader, new_terms):
    client.force_login(reader)
    client.post(ACCEPT_URL, {"version": "2026-02", "decision": "decline"})
    client.force_login(reader)

    assert client.get("/").status_code == HTTPStatus.FOUND


@pytest.mark.parametrize(
    "data",
    [
        {"version": "2026-02", "decision": "maybe"},
        {"version": "2026-02"},
        {"decision": "accept"},
        {"version": "x" * 500, "decision": "accept"},
    ],
)
def test_bad_answers_are_400_and_record_nothing(reader_client, reader, new_terms, data):
    response = reader_client.post(ACCEPT_URL, data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert reader.terms_acceptances.count() == 1


def test_answer_to_a_replaced_version_records_nothing(reader_client, reader, new_terms):
    response = reader_client.post(ACCEPT_URL, {"version": "2026-01", "decision": "accept"})

    assert b"The terms changed again" in response.content
    assert reader.terms_acceptances.count() == 1


def test_accept_page_sends_a_reader_who_already_accepted_on(reader_client):
    response = reader_client.get(ACCEPT_URL, {"next": "/shop/"})

    assert response["Location"] == "/shop/"


def test_accept_page_needs_a_signed_in_reader(client, new_terms):
    response = client.get(ACCEPT_URL)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/login/")


def test_anonymous_visitors_are_never_redirected(client, new_terms):
    assert client.get("/").status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    "path",
    [
        "/terms/",
        "/terms/2026-01/",
        "/terms/versions/",
        "/terms/prompt/",
        "/healthz",
        "/static/accounts/terms-dialog.js",
    ],
)
def test_terms_health_and_static_stay_reachable(reader_client, new_terms, path):
    assert reader_client.get(path).status_code in (HTTPStatus.OK, HTTPStatus.NO_CONTENT)


def test_admin_stays_reachable(client, terms, new_terms):
    staff = UserFactory(superuser=True)
    TermsAcceptanceFactory(user=staff, terms=terms)
    client.force_login(staff)

    assert client.get("/admin/").status_code == HTTPStatus.OK


def test_logout_stays_reachable(reader_client, new_terms):
    reader_client.post("/accounts/logout/")

    assert "_auth_user_id" not in reader_client.session


def test_submitted_forms_are_never_lost_to_the_redirect(reader_client, new_terms):
    response = reader_client.post("/terms/not-now/", {"version": "2026-02", "next": "/shop/"})

    assert response["Location"] == "/shop/"


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Mode": "cors"},
        {"Sec-Fetch-Mode": "no-cors"},
        {"Sec-Fetch-Mode": "same-origin"},
        {"Sec-Fetch-Mode": "websocket"},
        {"Sec-Fetch-Mode": ""},
        {"Sec-Fetch-Dest": "empty"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Purpose": "prefetch"},
        {"Purpose": "prefetch"},
        {"X-Requested-With": "XMLHttpRequest"},
        {"Accept": "application/json"},
    ],
)
def test_no_request_header_skips_the_new_terms(reader_client, new_terms, headers):
    # Every one of these is typed by the client: a reader could send it with
    # any page request to read on without accepting (issue 13, item 11).
    response = reader_client.get("/shop/", headers=headers)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/terms/accept/")


def test_acceptance_check_costs_no_query_once_known(reader_client, django_assert_num_queries):
    reader_client.get("/no-such-page/")

    # Loading the user (the session comes from the cache): nothing for the terms.
    with django_assert_num_queries(1):
        reader_client.get("/no-such-page/")


def test_only_accepted_answers_count_as_acceptance(client, terms):
    user = TermsAcceptanceFactory(terms=terms, decision=TermsAcceptance.Decision.DECLINED).user
    client.force_login(user)

    assert client.get("/").status_code == HTTPStatus.FOUND


# --- Staff work under their employment terms, not the reader terms ---------------------------


@pytest.fixture
def superuser_client(client, new_terms):
    """A superuser made like `createsuperuser` does: no consent record at all."""
    client.force_login(UserFactory(superuser=True))
    return client


def test_staff_reach_the_story_preview_without_accepting_reader_terms(superuser_client):
    # No such story: the preview view answers (404) instead of the terms redirect.
    response = superuser_client.get("/preview/999999/")

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_staff_reach_public_pages_without_accepting_reader_terms(superuser_client):
    # Where the admin's "View on site" leads.
    assert superuser_client.get("/").status_code == HTTPStatus.OK


def test_terms_dialog_does_not_ask_staff(superuser_client):
    assert superuser_client.get("/terms/prompt/").status_code == HTTPStatus.NO_CONTENT


# --- How an answer on the accept page is recorded --------------------------------------------


@pytest.fixture
def unconsented_reader(terms):
    """A reader whose account was made without sign-up, so without any consent record."""
    return UserFactory()


def test_first_acceptance_without_an_earlier_one_is_not_called_reacceptance(
    client, unconsented_reader
):
    client.force_login(unconsented_reader)

    client.post(ACCEPT_URL, {"version": "2026-01", "decision": "accept"})

    record = unconsented_reader.terms_acceptances.get()
    assert (record.decision, record.method) == ("accepted", "first_ask")


def test_decline_without_an_earlier_acceptance_is_not_called_reacceptance(
    client, unconsented_reader
):
    client.force_login(unconsented_reader)

    client.post(ACCEPT_URL, {"version": "2026-01", "decision": "decline"})

    record = unconsented_reader.terms_acceptances.get()
    assert (record.decision, record.method) == ("declined", "first_ask")


def test_accepting_after_only_declining_before_is_a_first_acceptance(client, terms, new_terms):
    user = TermsAcceptanceFactory(terms=terms, decision=TermsAcceptance.Decision.DECLINED).user
    client.force_login(user)

    client.post(ACCEPT_URL, {"version": "2026-02", "decision": "accept"})

    assert user.terms_acceptances.get(terms=new_terms).method == "first_ask"
