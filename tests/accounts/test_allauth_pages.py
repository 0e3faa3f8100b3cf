"""allauth's pages wear the site's layout and never fail on odd input."""

from http import HTTPStatus

import pytest

from tests.accounts.factories import TermsAcceptanceFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/confirm-email/",
        "/accounts/confirm-email/no-such-key/",
        "/accounts/password/reset/key/1-set-password/",
    ],
)
def test_anonymous_account_pages_use_the_site_layout(client, terms, url):
    response = client.get(url, follow=True)

    assert response.status_code == HTTPStatus.OK
    assert b'class="site-header"' in response.content
    assert b"/static/accounts/accounts.css" in response.content


@pytest.mark.parametrize(
    "url", ["/accounts/logout/", "/accounts/password/change/", "/accounts/email/"]
)
def test_signed_in_account_pages_use_the_site_layout(client, terms, url):
    client.force_login(TermsAcceptanceFactory(terms=terms).user)

    response = client.get(url)

    assert response.status_code == HTTPStatus.OK
    assert b'class="site-header"' in response.content


def test_account_pages_do_not_open_the_terms_dialog(client, terms):
    page = client.get("/accounts/login/").content.decode()

    assert 'id="terms-prompt"' not in page


def test_logout_is_post_only(client, terms):
    client.force_login(UserFactory())

    client.get("/accounts/logout/")

    assert "_auth_user_id" in client.session


def test_login_page_offers_one_password_reset_link(client, terms):
    page = client.get("/accounts/login/").content.decode()

    assert page.count('href="/accounts/password/reset/"') == 1
