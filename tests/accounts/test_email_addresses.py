"""
Email addresses: they fit the database, an address belongs to one account,
and the forms do not tell who has one.

Accounts made outside sign-up (createsuperuser, seed_demo, the admin,
`User.objects.create`) may hold their address as User.email alone; another
reader must never attach it to their own account.
"""

import importlib
import io
import re
from http import HTTPStatus
from unittest import mock

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.apps import apps as django_apps
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.views import EmailView
from tests.accounts.factories import TermsAcceptanceFactory
from tests.accounts.test_signup import signup_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EMAIL_URL = "/accounts/email/"
TOO_LONG_ADDRESS = "a" * 300 + "@example.org"  # Django's validator allows it; the column does not.


@pytest.fixture
def reader(terms):
    user = TermsAcceptanceFactory(user__email="ada@example.com", terms=terms).user
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


@pytest.fixture
def editor():
    """Made by an operator, outside sign-up: no EmailAddress row of its own."""
    return UserFactory(email="editor@example.com", is_staff=True)


def add_address(client, email):
    return client.post(EMAIL_URL, {"action_add": "", "email": email})


def make_primary(client, email):
    return client.post(EMAIL_URL, {"action_primary": "", "email": email}, follow=True)


def reader_addresses(reader) -> list[str]:
    return sorted(EmailAddress.objects.filter(user=reader).values_list("email", flat=True))


# --- Addresses fit the database (varchar 254) ------------------------------------------------


def test_signup_with_an_address_too_long_for_the_database_is_a_form_error(client, terms):
    response = client.post("/accounts/signup/", signup_data(email=TOO_LONG_ADDRESS))

    assert response.status_code == HTTPStatus.OK
    assert b"at most 254 characters" in response.content
    assert not User.objects.exists()


def test_adding_an_address_too_long_for_the_database_is_a_form_error(reader_client, reader):
    response = add_address(reader_client, TOO_LONG_ADDRESS)

    assert response.status_code == HTTPStatus.OK
    assert reader_addresses(reader) == ["ada@example.com"]


def test_signup_and_add_email_fields_tell_the_browser_the_limit(reader_client, terms):
    signup_page = Client().get("/accounts/signup/").content.decode()
    email_page = reader_client.get(EMAIL_URL).content.decode()

    assert [
        bool(re.search(r'<input type="email" name="email"[^>]*maxlength="254"', page))
        for page in (signup_page, email_page)
    ] == [True, True]


def test_password_reset_with_an_address_too_long_for_the_database_is_a_form_error(client):
    response = client.post("/accounts/password/reset/", {"email": TOO_LONG_ADDRESS})

    assert response.status_code == HTTPStatus.OK


# --- Another account's address: the same answer, and never a confirmation link (13.8) -------


def messages_after(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("typed", ["editor@example.com", "Editor@Example.COM"])
def test_adding_another_accounts_address_answers_as_for_a_free_one(reader_client, editor, typed):
    taken = reader_client.post(EMAIL_URL, {"action_add": "", "email": typed}, follow=True)
    free = reader_client.post(
        EMAIL_URL, {"action_add": "", "email": "ada.work@example.com"}, follow=True
    )

    assert taken.redirect_chain == free.redirect_chain == [(EMAIL_URL, HTTPStatus.FOUND)]
    assert messages_after(taken) == ["Confirmation email sent to editor@example.com."]
    assert messages_after(free) == ["Confirmation email sent to ada.work@example.com."]
    page = taken.content.decode()
    assert "belongs to another account" not in page
    assert "editor@example.com" in page  # listed, unconfirmed, like any new address


def test_owner_of_a_taken_address_is_told_and_no_link_is_sent(reader_client, editor):
    add_address(reader_client, "editor@example.com")

    [message] = mail.outbox
    assert message.to == ["editor@example.com"]
    assert "/accounts/confirm-email/" not in message.body
    assert "/accounts/password/reset/" in message.body


def test_address_another_account_has_confirmed_gets_no_link_either(reader_client, reader):
    other = UserFactory(email="bob@example.com")
    EmailAddress.objects.create(user=other, email="bob.work@example.com", verified=True)

    add_address(reader_client, "bob.work@example.com")

    assert [message.to for message in mail.outbox] == [["bob.work@example.com"]]
    assert "/accounts/confirm-email/" not in mail.outbox[0].body
    assert not EmailAddress.objects.filter(user=reader, verified=True).exclude(
        email="ada@example.com"
    )


def test_resending_verification_for_a_taken_address_sends_no_link(reader_client, editor):
    add_address(reader_client, "editor@example.com")
    mail.outbox.clear()

    reader_client.post(EMAIL_URL, {"action_send": "", "email": "editor@example.com"})

    assert all("/accounts/confirm-email/" not in message.body for message in mail.outbox)


@pytest.mark.parametrize("address", ["editor@example.com", "ada.work@example.com"])
def test_an_unconfirmed_address_cannot_be_made_primary_whoever_holds_it(
    reader_client, reader, editor, address
):
    add_address(reader_client, address)

    response = make_primary(reader_client, address)

    assert messages_after(response)[-1] == EmailView.UNCONFIRMED_MESSAGE
    reader.refresh_from_db()
    assert reader.email == "ada@example.com"


def test_address_someone_only_added_unconfirmed_can_still_be_added(reader_client, reader):
    # Adding is not owning: otherwise anyone could squat an address.
    EmailAddress.objects.create(
        user=UserFactory(), email="shared@example.com", verified=False, primary=False
    )

    add_address(reader_client, "shared@example.com")

    assert reader_addresses(reader) == ["ada@example.com", "shared@example.com"]


def test_reader_can_add_a_free_address_and_is_sent_a_confirmation(reader_client, reader):
    add_address(reader_client, "ada.work@example.com")

    assert reader_addresses(reader) == ["ada.work@example.com", "ada@example.com"]
    assert [message.to for message in mail.outbox] == [["ada.work@example.com"]]


# --- Making an address primary never fails with a 500 ----------------------------------------


@pytest.fixture
def attached_editor_address(reader, editor):
    """The editor's address on the reader's account, as the hole used to allow."""
    return EmailAddress.objects.create(
        user=reader, email="editor@example.com", verified=True, primary=False
    )


def test_making_another_accounts_address_primary_is_refused_with_a_message(
    reader_client, attached_editor_address
):
    response = make_primary(reader_client, "editor@example.com")

    assert response.status_code == HTTPStatus.OK
    assert b"This address belongs to another account" in response.content


def test_refused_primary_change_leaves_the_login_address_as_it_was(
    reader_client, reader, attached_editor_address
):
    make_primary(reader_client, "editor@example.com")

    reader.refresh_from_db()
    assert (reader.email, EmailAddress.objects.get_primary(reader).email) == (
        "ada@example.com",
        "ada@example.com",
    )


def test_primary_change_that_collides_in_the_database_is_rolled_back_whole(
    reader_client, reader, attached_editor_address
):
    # As if another account took the address between the check and the save.
    with mock.patch.object(EmailView, "held_by_another_account", return_value=False):
        response = make_primary(reader_client, "editor@example.com")

    reader.refresh_from_db()
    assert response.status_code == HTTPStatus.OK
    assert (reader.email, EmailAddress.objects.get_primary(reader).email) == (
        "ada@example.com",
        "ada@example.com",
    )


def test_reader_can_make_their_own_confirmed_address_primary(reader_client, reader):
    EmailAddress.objects.create(user=reader, email="ada.work@example.com", verified=True)

    make_primary(reader_client, "ada.work@example.com")

    reader.refresh_from_db()
    assert reader.email == "ada.work@example.com"


def test_make_primary_with_a_malformed_address_changes_nothing(reader_client, reader):
    response = make_primary(reader_client, "not an address\x00")

    reader.refresh_from_db()
    assert (response.status_code, reader.email) == (HTTPStatus.OK, "ada@example.com")


# --- Confirmation and password reset find the owner ---------------------------------------------


def test_confirmation_link_cannot_confirm_another_accounts_login_address(client, reader, editor):
    left_over = EmailAddress.objects.create(user=reader, email="editor@example.com")
    key = EmailConfirmationHMAC(left_over).key

    client.post(f"/accounts/confirm-email/{key}/")

    left_over.refresh_from_db()
    assert not left_over.verified


def test_password_reset_goes_only_to_the_account_that_owns_the_address(client, reader):
    editor = User.objects.create_user("editor@example.com", "a-long-passphrase")
    EmailAddress.objects.create(user=reader, email="editor@example.com")  # left over

    client.post("/accounts/password/reset/", {"email": "editor@example.com"})

    assert len(mail.outbox) == 1
    assert f"/accounts/password/reset/key/{user_pk_to_url_str(editor)}-" in mail.outbox[0].body


# --- Every account has its EmailAddress row ------------------------------------------------------


def address_rows(user) -> list[tuple[str, bool, bool]]:
    return list(
        EmailAddress.objects.filter(user=user)
        .order_by("pk")
        .values_list("email", "verified", "primary")
    )


def test_create_user_gives_the_address_a_verified_primary_row():
    user = User.objects.create_user("Writer@Example.com", "a-long-passphrase")

    assert address_rows(user) == [("writer@example.com", True, True)]


def test_createsuperuser_gives_the_operators_address_a_verified_primary_row(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-passphrase")

    call_command("createsuperuser", "--noinput", email="ops@example.com", stdout=io.StringIO())

    assert address_rows(User.objects.get()) == [("ops@example.com", True, True)]


def test_new_account_does_not_take_over_an_address_another_account_confirmed():
    other = UserFactory(email="bob@example.com")
    EmailAddress.objects.create(user=other, email="shared@example.com", verified=True)

    user = User.objects.create_user("shared@example.com", "a-long-passphrase")

    assert address_rows(user) == [("shared@example.com", False, True)]


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("boss@example.com", "a-long-passphrase"))
    return client


def test_account_added_in_the_admin_gets_a_verified_primary_row(admin_client):
    admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new.writer@example.com",
            "usable_password": "true",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
        },
    )

    assert address_rows(User.objects.get(email="new.writer@example.com")) == [
        ("new.writer@example.com", True, True)
    ]


def change_in_admin(client, user, **fields):
    return client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "email": user.email,
            "display_name": user.display_name,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
            **fields,
        },
    )


def test_changing_the_address_in_the_admin_makes_the_new_one_primary(admin_client, reader):
    change_in_admin(admin_client, reader, email="ada.new@example.com")

    assert address_rows(reader) == [
        ("ada@example.com", True, False),
        ("ada.new@example.com", True, True),
    ]


def test_admin_refuses_an_address_another_account_confirmed(admin_client, reader):
    other = UserFactory(email="bob@example.com")
    EmailAddress.objects.create(user=other, email="bob.work@example.com", verified=True)

    response = change_in_admin(admin_client, reader, email="bob.work@example.com")

    reader.refresh_from_db()
    assert b"This address belongs to another account" in response.content
    assert reader.email == "ada@example.com"


# --- The data migration for accounts that existed before ------------------------------------------


def run_email_address_migration():
    migration = importlib.import_module("accounts.migrations.0003_email_address_for_every_user")
    migration.add_missing_addresses(django_apps, schema_editor=None)


def test_migration_gives_accounts_without_a_row_a_verified_primary_one(editor):
    run_email_address_migration()

    assert address_rows(editor) == [("editor@example.com", True, True)]


def test_migration_withdraws_a_confirmation_another_account_got_for_a_login_address(reader, editor):
    stolen = EmailAddress.objects.create(user=reader, email="editor@example.com", verified=True)

    run_email_address_migration()

    stolen.refresh_from_db()
    assert (stolen.verified, address_rows(editor)) == (
        False,
        [("editor@example.com", True, True)],
    )


def test_migration_leaves_accounts_that_have_their_row_alone(reader):
    run_email_address_migration()

    assert address_rows(reader) == [("ada@example.com", True, True)]
