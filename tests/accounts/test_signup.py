from http import HTTPStatus
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import DatabaseError
from django.utils import timezone

from accounts import services
from accounts.models import TermsAcceptance, User
from tests.accounts.factories import TermsOfUseFactory
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/accounts/signup/"


def signup_data(**overrides) -> dict[str, str]:
    return {
        "email": "new.reader@example.com",
        "display_name": "New Reader",
        "password1": PASSWORD,
        "agree_terms": "on",
        "terms_version": "2026-01",
        "website": "",
        **overrides,
    }


def nothing_was_created() -> bool:
    return not (
        User.objects.exists() or TermsAcceptance.objects.exists() or EmailAddress.objects.exists()
    )


# --- The form -----------------------------------------------------------------------------


def test_signup_form_has_a_required_terms_checkbox_linking_the_current_version(client, terms):
    page = client.get(SIGNUP_URL).content.decode()

    assert 'type="checkbox" name="agree_terms" required' in page
    assert 'href="/terms/"' in page
    assert 'name="terms_version" value="2026-01"' in page


def test_honeypot_is_hidden_unfocusable_and_labelled_for_screen_readers(client, terms):
    page = client.get(SIGNUP_URL).content.decode()

    assert 'class="form-field form-field--trap"' in page
    assert '<label for="id_website">Leave this field empty</label>' in page
    assert 'name="website" autocomplete="off" tabindex="-1"' in page


def test_signup_page_has_no_inline_styles_or_scripts(client, terms):
    page = client.get(SIGNUP_URL).content.decode()

    assert "style=" not in page
    assert "<script>" not in page


def test_signup_is_closed_until_terms_are_published(client):
    response = client.get(SIGNUP_URL)

    assert b"Sign-up is closed for the moment" in response.content


# --- Signing up -----------------------------------------------------------------------------


def test_signup_creates_the_account_with_a_consent_record(client, terms):
    response = client.post(
        SIGNUP_URL, signup_data(), HTTP_USER_AGENT="Firefox/140", REMOTE_ADDR="203.0.113.9"
    )

    assert response.status_code == HTTPStatus.FOUND
    record = TermsAcceptance.objects.select_related("user").get()
    assert (
        record.user.email,
        record.terms,
        record.decision,
        record.method,
        record.ip_address,
        record.user_agent,
    ) == ("new.reader@example.com", terms, "accepted", "signup", "203.0.113.9", "Firefox/140")


def test_signup_keeps_the_display_name_tidied(client, terms):
    client.post(SIGNUP_URL, signup_data(display_name="  New   Reader "))

    assert User.objects.get().display_name == "New Reader"


def test_signup_sends_a_verification_email(client, terms):
    client.post(SIGNUP_URL, signup_data())

    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_verification_link_verifies_the_address(client, terms):
    client.post(SIGNUP_URL, signup_data())
    link = next(word for word in mail.outbox[0].body.split() if "/accounts/confirm-email/" in word)
    path = link[link.index("/accounts/") :]

    client.post(path)

    assert EmailAddress.objects.get().verified


def test_signup_without_the_checkbox_fails_with_a_clear_message(client, terms):
    data = signup_data()
    del data["agree_terms"]

    response = client.post(SIGNUP_URL, data)

    assert response.status_code == HTTPStatus.OK
    assert b"please read the Terms of use and tick the box" in response.content


def test_signup_without_the_checkbox_creates_nothing(client, terms):
    data = signup_data()
    del data["agree_terms"]

    client.post(SIGNUP_URL, data)

    assert nothing_was_created()


def test_filled_honeypot_fails_quietly_and_creates_nothing(client, terms):
    response = client.post(SIGNUP_URL, signup_data(website="https://spam.example"))

    assert b"We could not create your account" in response.content
    assert nothing_was_created()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", b"too short"),
        ("12345678901", b"entirely numeric"),
        ("password123", b"too common"),
    ],
)
def test_weak_passwords_are_refused_by_djangos_validators(client, terms, password, message):
    response = client.post(SIGNUP_URL, signup_data(password1=password))

    assert message in response.content
    assert nothing_was_created()


@pytest.mark.parametrize(
    "overrides",
    [
        {"email": "not-an-address"},
        {"email": ""},
        {"email": "x" * 400 + "@example.com"},
        {"display_name": "x" * 81},
        {"password1": ""},
        {"agree_terms": "", "terms_version": ""},
        {"terms_version": "x" * 5000},
    ],
)
def test_bad_input_is_a_form_error_and_creates_nothing(client, terms, overrides):
    response = client.post(SIGNUP_URL, signup_data(**overrides))

    assert response.status_code == HTTPStatus.OK
    assert nothing_was_created()


def test_terms_changing_while_the_form_was_open_asks_again(client, terms):
    TermsOfUseFactory(version="2026-02", effective_at=timezone.now())

    response = client.post(SIGNUP_URL, signup_data(terms_version="2026-01"))

    assert b"Our Terms of use changed while you were signing up" in response.content
    assert nothing_was_created()


def test_existing_address_in_any_letter_case_gets_no_second_account(client, terms):
    UserFactory(email="new.reader@example.com")

    client.post(SIGNUP_URL, signup_data(email="New.Reader@Example.com"))

    assert User.objects.count() == 1
    assert not TermsAcceptance.objects.exists()


def answer(response) -> tuple:
    """What a visitor can see of a sign-up's answer: status, where it leads, the
    cookies it sets and the page it leads to, with the address taken out."""
    return (
        response.status_code,
        response.get("Location"),
        sorted(response.cookies),
    )


@pytest.mark.parametrize("verification", ["optional", "mandatory"])
@pytest.mark.parametrize("typed", ["new.reader@example.com", "New.Reader@Example.com"])
def test_signup_answers_the_same_whether_or_not_the_address_has_an_account(
    client, terms, settings, verification, typed
):
    settings.ACCOUNT_EMAIL_VERIFICATION = verification
    UserFactory(email="new.reader@example.com")

    taken = client.post(SIGNUP_URL, signup_data(email=typed))
    taken_page = client.get(taken["Location"]).content.decode()
    client.logout()
    fresh = client.post(SIGNUP_URL, signup_data(email="someone.else@example.com"))
    fresh_page = client.get(fresh["Location"]).content.decode()

    assert answer(taken) == answer(fresh)
    assert answer(taken)[:2] == (HTTPStatus.FOUND, "/accounts/confirm-email/")
    assert taken_page.replace(typed.lower(), "someone.else@example.com") == fresh_page
    assert "already registered" not in taken_page


def test_signup_with_a_taken_address_mails_its_owner_a_reset_link(client, terms):
    UserFactory(email="new.reader@example.com")

    client.post(SIGNUP_URL, signup_data())

    [message] = mail.outbox
    assert message.to == ["new.reader@example.com"]
    assert "/accounts/password/reset/" in message.body
    assert "/accounts/confirm-email/" not in message.body


def test_signup_with_a_taken_address_records_no_consent_and_signs_nobody_in(client, terms):
    UserFactory(email="new.reader@example.com")

    client.post(SIGNUP_URL, signup_data())

    assert not TermsAcceptance.objects.exists()
    assert "_auth_user_id" not in client.session


# --- One transaction ---------------------------------------------------------------------------


def test_failure_after_the_user_insert_leaves_neither_user_nor_record(client, terms):
    with (
        mock.patch.object(TermsAcceptance, "save", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        client.post(SIGNUP_URL, signup_data())

    assert nothing_was_created()


def test_failure_after_the_consent_record_leaves_nothing_either(client, terms):
    with (
        mock.patch(
            "allauth.account.forms.setup_user_email", side_effect=DatabaseError("disk full")
        ),
        pytest.raises(DatabaseError),
    ):
        client.post(SIGNUP_URL, signup_data())

    assert nothing_was_created()


def test_signup_service_is_all_or_nothing(terms):
    with (
        mock.patch.object(TermsAcceptance, "save", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        services.signup_with_consent(
            email="a@example.com",
            password=PASSWORD,
            display_name="",
            terms=terms,
            ip_address=None,
            user_agent="",
        )

    assert not User.objects.exists()


def confirmation_path() -> str:
    link = next(word for word in mail.outbox[-1].body.split() if "/accounts/confirm-email/" in word)
    return link[link.index("/accounts/") :]


def test_new_reader_is_signed_in_by_the_confirmation_link_not_by_signing_up(client, terms):
    client.post(SIGNUP_URL, signup_data())
    assert "_auth_user_id" not in client.session

    client.post(confirmation_path())

    assert client.session["_auth_user_id"] == str(User.objects.get().pk)


def test_new_reader_can_log_in_before_confirming(client, terms):
    client.post(SIGNUP_URL, signup_data())

    response = client.post(
        "/accounts/login/", {"login": "new.reader@example.com", "password": PASSWORD}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(User.objects.get().pk)


def test_new_reader_is_not_asked_to_accept_again_right_after_signing_up(client, terms):
    client.post(SIGNUP_URL, signup_data())
    client.post(confirmation_path())

    response = client.get("/accounts/")

    assert response.status_code == HTTPStatus.OK


def test_signing_up_remembers_the_answer_so_the_dialog_does_not_ask_again(client, terms):
    response = client.post(SIGNUP_URL, signup_data())

    assert response.cookies["terms_answer"].value == "2026-01"


def test_signing_up_with_mandatory_verification_remembers_the_answer_too(client, terms, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    response = client.post(SIGNUP_URL, signup_data())

    assert response.cookies["terms_answer"].value == "2026-01"


def test_failed_signup_sets_no_answer_cookie(client, terms):
    data = signup_data()
    del data["agree_terms"]

    response = client.post(SIGNUP_URL, data)

    assert "terms_answer" not in response.cookies


def test_signup_queries_stay_bounded(client, terms, django_assert_max_num_queries):
    UserFactory.create_batch(5)

    # Sign-up, consent record, email address, log-in, and the cart's log-in hook.
    with django_assert_max_num_queries(30):
        response = client.post(SIGNUP_URL, signup_data())
    assert response.status_code == HTTPStatus.FOUND
