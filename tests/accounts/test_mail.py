"""The site's mail: branded Newsroom, and a mail server that is down never costs a 500."""

import logging
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core import mail

from accounts.models import TermsAcceptance
from tests.accounts.factories import TermsAcceptanceFactory
from tests.accounts.mail import UNREACHABLE_MAILERS
from tests.accounts.test_signup import SIGNUP_URL, signup_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET_URL = "/accounts/password/reset/"


@pytest.fixture
def mail_server_down(settings):
    settings.MAILERS = UNREACHABLE_MAILERS


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def warning_texts(response) -> list[str]:
    return [
        str(message)
        for message in get_messages(response.wsgi_request)
        if message.level == messages.WARNING
    ]


# --- Branding ------------------------------------------------------------------------------


def test_signup_mail_subject_says_newsroom_not_the_host(client, terms):
    client.post(SIGNUP_URL, signup_data())

    assert mail.outbox[0].subject == "[Newsroom] Please Confirm Your Email Address"


def test_signup_mail_greets_and_signs_off_as_newsroom(client, terms):
    client.post(SIGNUP_URL, signup_data())

    lines = mail.outbox[0].body.strip().splitlines()
    assert (lines[0], lines[-1]) == ("Hello from Newsroom!", "Thank you for reading Newsroom.")


def test_confirmation_mail_speaks_plainly_about_the_address(client, terms):
    client.post(SIGNUP_URL, signup_data())

    body = mail.outbox[0].body
    assert "Please confirm that new.reader@example.com is your email address" in body
    assert "has given your email address" not in body


def test_password_reset_mail_is_branded_too(client):
    UserFactory(email="ada@example.com")

    client.post(RESET_URL, {"email": "ada@example.com"})

    message = mail.outbox[0]
    assert (message.subject.startswith("[Newsroom] "), message.body.splitlines()[0]) == (
        True,
        "Hello from Newsroom!",
    )


def test_confirm_email_page_asks_in_plain_english(client, terms):
    user = UserFactory(email="ada@example.com")
    address = EmailAddress.objects.create(user=user, email="ada@example.com")

    page = client.get(f"/accounts/confirm-email/{EmailConfirmationHMAC(address).key}/")

    assert b"Please confirm that ada@example.com is your email address" in page.content
    assert b"for user" not in page.content


# --- The mail server is down ---------------------------------------------------------------


def test_signup_with_the_mail_server_down_still_creates_the_account(
    client, terms, mail_server_down
):
    response = client.post(SIGNUP_URL, signup_data())

    assert response.status_code == HTTPStatus.FOUND
    assert TermsAcceptance.objects.filter(user__email="new.reader@example.com").exists()


def test_signup_with_the_mail_server_down_tells_the_reader_how_to_ask_again(
    client, terms, mail_server_down
):
    response = client.post(SIGNUP_URL, signup_data())

    [warning] = warning_texts(response)
    assert "could not send the email to confirm new.reader@example.com" in warning
    assert "Manage your email addresses, then Re-send verification" in warning


def test_signup_with_the_mail_server_down_does_not_claim_the_mail_was_sent(
    client, terms, mail_server_down
):
    response = client.post(SIGNUP_URL, signup_data())

    assert not any("Confirmation email sent" in text for text in message_texts(response))


def test_signup_with_mandatory_verification_and_the_mail_server_down_is_no_500(
    client, terms, mail_server_down, settings
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    response = client.post(SIGNUP_URL, signup_data())

    [warning] = warning_texts(response)
    assert "log in again in a few minutes" in warning


def test_a_mail_that_could_not_be_sent_is_logged_with_its_traceback(
    client, terms, mail_server_down, caplog
):
    with caplog.at_level(logging.ERROR, logger="accounts.adapter"):
        client.post(SIGNUP_URL, signup_data())

    [record] = [r for r in caplog.records if r.name == "accounts.adapter"]
    assert record.exc_info[0] is ConnectionRefusedError


def test_password_reset_with_the_mail_server_down_answers_as_for_an_unknown_address(
    client, mail_server_down
):
    UserFactory(email="ada@example.com")

    known = client.post(RESET_URL, {"email": "ada@example.com"})
    unknown = client.post(RESET_URL, {"email": "nobody@example.com"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known.status_code == HTTPStatus.FOUND


def test_password_reset_with_the_mail_server_down_says_nothing_about_the_mail(
    client, mail_server_down
):
    UserFactory(email="ada@example.com")

    response = client.post(RESET_URL, {"email": "ada@example.com"})

    assert message_texts(response) == []


def test_adding_an_address_with_the_mail_server_down_says_the_mail_was_not_sent(
    client, terms, mail_server_down
):
    reader = TermsAcceptanceFactory(terms=terms).user
    client.force_login(reader)

    response = client.post("/accounts/email/", {"action_add": "", "email": "ada.work@example.com"})

    assert response.status_code == HTTPStatus.FOUND
    assert message_texts(response) == [
        "We could not send the email to confirm ada.work@example.com just now. "
        "Please ask for it again in a few minutes."
    ]
