"""Rate limits (allauth's, kept in the cache), enumeration-safe reset, CSRF."""

from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory
from tests.accounts.test_signup import signup_data

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
RESET_URL = "/accounts/password/reset/"


def log_in(client: Client, email: str, password: str, ip: str = "192.0.2.1"):
    return client.post(LOGIN_URL, {"login": email, "password": password}, REMOTE_ADDR=ip)


# --- Log-in -----------------------------------------------------------------------------------


def test_failed_logins_are_limited_per_account_even_from_many_addresses(client):
    UserFactory(email="ada@example.com")
    for attempt in range(5):
        log_in(client, "ada@example.com", "wrong", ip=f"192.0.2.{attempt + 10}")

    # Now even the right password is refused for a while.
    response = log_in(client, "ada@example.com", PASSWORD, ip="198.51.100.1")

    assert response.status_code == HTTPStatus.OK
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_failed_logins_are_limited_per_address_across_accounts(client):
    UserFactory(email="ada@example.com")
    for attempt in range(10):
        log_in(client, f"guess{attempt}@example.com", "wrong")

    response = log_in(client, "ada@example.com", PASSWORD)

    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_a_few_wrong_passwords_do_not_lock_out_the_reader(client, terms):
    UserFactory(email="ada@example.com")
    for _ in range(3):
        log_in(client, "ada@example.com", "wrong")

    response = log_in(client, "ada@example.com", PASSWORD)

    assert response.status_code == HTTPStatus.FOUND


# --- Sign-up ----------------------------------------------------------------------------------


def test_signups_are_limited_per_address(client, terms):
    for n in range(5):
        client.post("/accounts/signup/", signup_data(email=f"bot{n}@example.com"))

    response = client.post("/accounts/signup/", signup_data(email="one.more@example.com"))

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert b"Too many attempts" in response.content
    assert not User.objects.filter(email="one.more@example.com").exists()


def test_signup_limit_is_per_address(client, terms):
    for n in range(5):
        client.post("/accounts/signup/", signup_data(email=f"bot{n}@example.com"))

    response = Client().post(
        "/accounts/signup/",
        signup_data(email="neighbour@example.com"),
        REMOTE_ADDR="198.51.100.99",
    )

    assert response.status_code == HTTPStatus.FOUND


# --- Password reset ------------------------------------------------------------------------------


def test_reset_answers_the_same_for_known_and_unknown_addresses(client):
    UserFactory(email="ada@example.com")

    known = client.post(RESET_URL, {"email": "ada@example.com"})
    unknown = client.post(RESET_URL, {"email": "nobody@example.com"})

    assert known.status_code == unknown.status_code == HTTPStatus.FOUND
    assert known["Location"] == unknown["Location"]


def test_reset_mails_only_the_address_with_an_account(client):
    UserFactory(email="ada@example.com")

    client.post(RESET_URL, {"email": "ada@example.com"})
    client.post(RESET_URL, {"email": "nobody@example.com"})

    assert [message.to for message in mail.outbox] == [["ada@example.com"]]


def test_reset_link_lets_the_reader_choose_a_new_password(client, terms):
    user = UserFactory(email="ada@example.com")
    client.post(RESET_URL, {"email": "ada@example.com"})
    link = next(w for w in mail.outbox[0].body.split() if "/accounts/password/reset/key/" in w)
    form_url = client.get(link[link.index("/accounts/") :])["Location"]

    client.post(
        form_url, {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"}
    )

    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase")


def test_reset_requests_are_limited_per_address(client):
    for _ in range(5):
        client.post(RESET_URL, {"email": "ada@example.com"})

    response = client.post(RESET_URL, {"email": "ada@example.com"})

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


@pytest.mark.parametrize("email", ["", "not-an-address", "x" * 400 + "@example.com"])
def test_reset_with_bad_input_is_a_form_error(client, email):
    response = client.post(RESET_URL, {"email": email})

    assert response.status_code == HTTPStatus.OK
    assert mail.outbox == []


# --- CSRF ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", [LOGIN_URL, "/accounts/signup/", RESET_URL, "/terms/agree/", "/terms/not-now/"]
)
def test_forms_refuse_posts_without_a_csrf_token(terms, url):
    response = Client(enforce_csrf_checks=True).post(url, {})

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_account_forms_refuse_posts_without_a_csrf_token(terms):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())

    for url in ("/accounts/", "/accounts/delete/", "/terms/accept/"):
        assert client.post(url, {}).status_code == HTTPStatus.FORBIDDEN


# --- NUL bytes (PostgreSQL refuses them in text: they must never reach a query) ------------


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/accounts/signup/", signup_data(email="a\x00@example.com")),
        ("/accounts/signup/", signup_data(display_name="A\x00da")),
        (LOGIN_URL, {"login": "ada\x00@example.com", "password": "x"}),
        (RESET_URL, {"email": "ada\x00@example.com"}),
        ("/terms/agree/", {"version": "2026-01\x00"}),
        ("/terms/not-now/", {"version": "\x00", "next": "/\x00"}),
    ],
)
def test_nul_bytes_are_bad_input_not_a_server_error(client, terms, url, data):
    response = client.post(url, data)

    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR


def test_nul_bytes_in_the_dialogs_next_parameter_are_harmless(client, terms):
    response = client.get("/terms/prompt/", {"next": "/\x00"})

    assert response.status_code == HTTPStatus.OK
