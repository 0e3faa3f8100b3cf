"""Rate limits (allauth's and ours, kept in the cache), enumeration-safe reset, CSRF."""

from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import TermsAcceptance, User
from tests.accounts.factories import TermsOfUseFactory
from tests.accounts.test_signup import SIGNUP_URL, signup_data
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
RESET_URL = "/accounts/password/reset/"


def log_in(client: Client, email: str, password: str, ip: str = "192.0.2.1"):
    return client.post(LOGIN_URL, {"login": email, "password": password}, REMOTE_ADDR=ip)


# --- Log-in -----------------------------------------------------------------------------------


def test_wrong_passwords_from_another_address_do_not_lock_the_owner_out(client):
    # Issue 13.9: five wrong passwords used to lock the account for everyone.
    UserFactory(email="ada@example.com")
    for _ in range(10):
        log_in(client, "ada@example.com", "wrong", ip="203.0.113.66")

    response = log_in(Client(), "ada@example.com", PASSWORD, ip="198.51.100.1")

    assert response.status_code == HTTPStatus.FOUND


def test_wrong_passwords_are_limited_per_account_and_address(client):
    UserFactory(email="ada@example.com")
    for _ in range(5):
        log_in(client, "ada@example.com", "wrong", ip="203.0.113.66")

    # From that address, even the right password is refused for a while.
    response = log_in(client, "ada@example.com", PASSWORD, ip="203.0.113.66")

    assert response.status_code == HTTPStatus.OK
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def fail_from_many_addresses(email: str, count: int) -> None:
    for attempt in range(count):
        log_in(Client(), email, "wrong", ip=f"192.0.2.{attempt // 5 + 10}")


def test_failed_logins_are_still_limited_per_account_from_many_addresses():
    UserFactory(email="ada@example.com")
    fail_from_many_addresses("ada@example.com", 50)

    response = log_in(Client(), "ada@example.com", PASSWORD, ip="198.51.100.1")

    assert b"Too many failed login attempts" in response.content


def test_a_password_reset_lifts_the_accounts_lock(client):
    UserFactory(email="ada@example.com")
    fail_from_many_addresses("ada@example.com", 50)
    client.post(RESET_URL, {"email": "ada@example.com"})
    link = next(w for w in mail.outbox[0].body.split() if "/accounts/password/reset/key/" in w)
    form_url = client.get(link[link.index("/accounts/") :])["Location"]
    client.post(form_url, {"password1": "a-brand-new-pass", "password2": "a-brand-new-pass"})
    client.logout()

    response = log_in(client, "ada@example.com", "a-brand-new-pass", ip="198.51.100.1")

    assert response.status_code == HTTPStatus.FOUND


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


def test_a_few_typos_do_not_lock_a_reader_out_of_signing_up(client, terms):
    for _ in range(10):
        client.post(SIGNUP_URL, signup_data(password1="short"))

    response = client.post(SIGNUP_URL, signup_data())

    assert response.status_code == HTTPStatus.FOUND


def test_signup_attempts_are_limited_per_address(client, terms):
    for _ in range(20):
        client.post(SIGNUP_URL, signup_data(password1="short"))

    response = client.post(SIGNUP_URL, signup_data())

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert not User.objects.exists()


def test_signup_attempt_limit_is_per_address(client, terms):
    for _ in range(20):
        client.post(SIGNUP_URL, signup_data(password1="short"))

    response = Client().post(SIGNUP_URL, signup_data(), REMOTE_ADDR="198.51.100.99")

    assert response.status_code == HTTPStatus.FOUND


@pytest.fixture
def two_accounts_an_hour(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup_completed": "2/h/ip"}


def test_accounts_created_are_limited_per_address(terms, two_accounts_an_hour):
    for n in range(2):
        Client().post(SIGNUP_URL, signup_data(email=f"bot{n}@example.com"))

    response = Client().post(SIGNUP_URL, signup_data(email="one.more@example.com"))

    assert b"Too many accounts were created from your network" in response.content
    assert not User.objects.filter(email="one.more@example.com").exists()


def test_only_accounts_created_count_towards_their_limit(terms, two_accounts_an_hour):
    for _ in range(5):
        Client().post(SIGNUP_URL, signup_data(password1="short"))

    response = Client().post(SIGNUP_URL, signup_data())

    assert response.status_code == HTTPStatus.FOUND


# --- Agreeing to the terms without an account ---------------------------------------------


def agree(ip: str, version: str = "2026-01", **data):
    return Client().post("/terms/agree/", {"version": version, **data}, REMOTE_ADDR=ip)


def test_repeated_anonymous_agreements_from_one_address_record_one(terms):
    for _ in range(60):
        agree("203.0.113.7")

    assert TermsAcceptance.objects.count() == 1


def test_repeated_anonymous_agreement_still_sets_the_cookie_and_redirects(terms):
    agree("203.0.113.7")

    response = agree("203.0.113.7", next="/shop/")

    assert (response.status_code, response["Location"], response.cookies["terms_answer"].value) == (
        HTTPStatus.FOUND,
        "/shop/",
        "2026-01",
    )


def test_anonymous_agreements_from_different_addresses_are_each_recorded(terms):
    agree("203.0.113.7")
    agree("203.0.113.8")

    assert TermsAcceptance.objects.count() == 2


def test_ipv6_agreements_count_once_per_64_block(terms):
    agree("2001:db8:1:2::1")
    agree("2001:db8:1:2::ffff")
    agree("2001:db8:1:3::1")

    assert TermsAcceptance.objects.count() == 2


def test_a_new_version_is_recorded_from_an_address_that_agreed_to_the_last(terms):
    agree("203.0.113.7")
    TermsOfUseFactory(version="2026-02", effective_at=timezone.now())

    agree("203.0.113.7", version="2026-02")

    assert TermsAcceptance.objects.count() == 2


def test_signed_in_readers_agreements_are_recorded_whatever_their_address(terms):
    for reader in UserFactory.create_batch(2):
        client = Client()
        client.force_login(reader)
        client.post("/terms/agree/", {"version": "2026-01"}, REMOTE_ADDR="203.0.113.7")

    assert TermsAcceptance.objects.filter(user__isnull=False).count() == 2


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
