import json
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model

from accounts.models import TermsAcceptance
from tests.accounts.factories import TermsAcceptanceFactory
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def reader(terms):
    user = UserFactory(email="ada@example.com", display_name="Ada")
    TermsAcceptanceFactory(user=user, terms=terms, ip_address="192.0.2.55")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


# --- The account page ------------------------------------------------------------------


def test_account_page_needs_a_signed_in_reader(client):
    response = client.get("/accounts/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/login/")


def test_account_page_shows_the_readers_details(reader_client):
    page = reader_client.get("/accounts/").content.decode()

    assert "ada@example.com" in page
    assert 'value="Ada"' in page
    assert "<time datetime=" in page


def test_account_page_lists_the_terms_versions_accepted_and_when(reader_client, reader):
    record = reader.terms_acceptances.get()

    page = reader_client.get("/accounts/").content.decode()

    assert 'href="/terms/2026-01/">2026-01</a>' in page
    assert f'datetime="{record.answered_at.isoformat()}"' in page


def test_account_page_links_password_change_email_export_and_deletion(reader_client):
    page = reader_client.get("/accounts/").content.decode()

    for url in ("/accounts/password/change/", "/accounts/email/", "/accounts/data/"):
        assert f'href="{url}"' in page
    assert 'href="/accounts/delete/"' in page


def test_account_page_queries_do_not_grow_with_records(
    reader_client, reader, terms, django_assert_max_num_queries
):
    TermsAcceptanceFactory.create_batch(20, user=reader, terms=terms)
    reader_client.get("/accounts/")  # Warms the cached terms and the session's memo.

    # Session, user, consent records.
    with django_assert_max_num_queries(3):
        reader_client.get("/accounts/")


def test_account_page_is_never_cached(reader_client):
    assert "no-store" in reader_client.get("/accounts/")["Cache-Control"]


def test_reader_can_change_their_display_name(reader_client, reader):
    response = reader_client.post("/accounts/", {"display_name": "  Ada   L. "})

    assert response.status_code == HTTPStatus.FOUND
    reader.refresh_from_db()
    assert reader.display_name == "Ada L."


def test_too_long_display_name_is_a_form_error(reader_client, reader):
    response = reader_client.post("/accounts/", {"display_name": "x" * 81})

    assert b"Ensure this value has at most 80 characters" in response.content
    reader.refresh_from_db()
    assert reader.display_name == "Ada"


# --- Download my data ----------------------------------------------------------------------


def test_data_download_is_a_json_attachment(reader_client):
    response = reader_client.get("/accounts/data/")

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="newsroom-my-data-')


def test_data_download_holds_profile_and_consent_records(reader_client):
    data = json.loads(reader_client.get("/accounts/data/").content)

    assert data["profile"]["email"] == "ada@example.com"
    assert data["email_addresses"] == [
        {"email": "ada@example.com", "verified": True, "primary": True}
    ]
    assert [(r["terms_version"], r["decision"], r["method"]) for r in data["consent_records"]] == [
        ("2026-01", "accepted", "signup")
    ]


def test_data_download_needs_a_signed_in_reader(client):
    assert client.get("/accounts/data/").status_code == HTTPStatus.FOUND


def test_data_download_queries_do_not_grow_with_records(
    reader_client, reader, terms, django_assert_max_num_queries
):
    TermsAcceptanceFactory.create_batch(20, user=reader, terms=terms)
    reader_client.get("/accounts/")

    # Session, user, email addresses, consent records, and one for the cart's part.
    with django_assert_max_num_queries(5):
        reader_client.get("/accounts/data/")


def test_data_download_holds_each_apps_part_under_its_label(reader_client, monkeypatch):
    # Any app whose AppConfig has personal_data(user) adds its part.
    monkeypatch.setattr(
        apps.get_app_config("articles"),
        "personal_data",
        lambda user: {"reader": user.email},
        raising=False,
    )

    data = json.loads(reader_client.get("/accounts/data/").content)

    assert data["articles"] == {"reader": "ada@example.com"}


# --- Delete my account ------------------------------------------------------------------------


def test_delete_page_explains_what_is_kept_before_confirming(reader_client):
    page = reader_client.get("/accounts/delete/").content.decode()

    assert "What we keep, anonymised" in page
    assert "your IP address and your browser" in page
    assert 'type="password"' in page


def test_delete_page_says_the_saved_shop_cart_goes_too(reader_client):
    page = reader_client.get("/accounts/delete/").content.decode()

    assert "your saved shop cart" in page


def test_deleting_with_the_password_deletes_the_account(reader_client, reader):
    response = reader_client.post("/accounts/delete/", {"password": PASSWORD})

    assert response.status_code == HTTPStatus.FOUND
    assert not User.objects.filter(pk=reader.pk).exists()
    assert not EmailAddress.objects.exists()


def test_deleting_signs_the_reader_out(reader_client):
    reader_client.post("/accounts/delete/", {"password": PASSWORD})

    assert "_auth_user_id" not in reader_client.session


def test_deleting_keeps_the_consent_records_anonymised(reader_client, terms):
    reader_client.post("/accounts/delete/", {"password": PASSWORD})

    assert list(
        TermsAcceptance.objects.values_list(
            "user", "ip_address", "user_agent", "terms__version", "decision", "method"
        )
    ) == [(None, None, "", "2026-01", "accepted", "signup")]


def test_wrong_password_deletes_nothing(reader_client, reader):
    response = reader_client.post("/accounts/delete/", {"password": "not-it"})

    assert b"That is not your password." in response.content
    assert User.objects.filter(pk=reader.pk).exists()


def test_empty_password_is_a_form_error(reader_client, reader):
    response = reader_client.post("/accounts/delete/", {})

    assert response.status_code == HTTPStatus.OK
    assert User.objects.filter(pk=reader.pk).exists()


def test_password_guessing_on_the_delete_page_is_rate_limited(reader_client, reader):
    for _ in range(10):
        reader_client.post("/accounts/delete/", {"password": "guess"})

    response = reader_client.post("/accounts/delete/", {"password": PASSWORD})

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert User.objects.filter(pk=reader.pk).exists()


def test_other_readers_records_are_untouched_by_a_deletion(reader_client, terms):
    other = TermsAcceptanceFactory(terms=terms, ip_address="198.51.100.1")

    reader_client.post("/accounts/delete/", {"password": PASSWORD})

    other.refresh_from_db()
    assert (other.user_id, other.ip_address) != (None, None)


def test_reader_asked_to_accept_new_terms_can_still_export_and_delete(reader_client, new_terms):
    assert reader_client.get("/accounts/data/").status_code == HTTPStatus.OK
    assert reader_client.get("/accounts/delete/").status_code == HTTPStatus.OK
