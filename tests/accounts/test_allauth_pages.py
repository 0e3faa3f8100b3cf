"""allauth's pages wear the site's layout and never fail on odd input."""

from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.conf import settings
from django.utils.csp import build_policy

from tests.accounts import allauth_pages
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


# --- Our Content Security Policy, whole ---------------------------------------------------

#: Script types a browser treats as data, never runs, and the CSP does not govern.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class InlineCode(HTMLParser):
    """What in a page our CSP (`script-src 'self'`, `style-src 'self'`) would block."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        script_type = (attributes.get("type") or "").lower()
        if tag == "script" and not attributes.get("src") and script_type not in DATA_SCRIPT_TYPES:
            self.found.append(f"inline <script type={script_type!r}>")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=...>")
            if name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).lower().lstrip().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:...>")


def inline_code(page: str) -> list[str]:
    parser = InlineCode()
    parser.feed(page)
    parser.close()
    return parser.found


def assert_served_under_our_csp(response) -> None:
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Security-Policy"] == SITE_POLICY
    assert inline_code(response.content.decode()) == []


SITE_POLICY = build_policy(settings.SECURE_CSP)


@pytest.mark.parametrize("url", allauth_pages.ANONYMOUS)
def test_anonymous_account_pages_need_no_inline_code(client, terms, url):
    assert_served_under_our_csp(client.get(url, follow=True))


@pytest.mark.parametrize("url", allauth_pages.SIGNED_IN)
def test_signed_in_account_pages_need_no_inline_code(client, terms, url):
    client.force_login(allauth_pages.reader_with_two_addresses(terms))

    assert_served_under_our_csp(client.get(url, follow=True))


@pytest.mark.parametrize("name", allauth_pages.WITH_A_KEY)
def test_pages_behind_a_mailed_key_need_no_inline_code(client, terms, name):
    url = allauth_pages.keyed_url(name, allauth_pages.reader_with_two_addresses(terms))

    response = client.get(url, follow=True)

    assert_served_under_our_csp(response)
    assert b'type="password"' in response.content or b"Confirm" in response.content


def test_the_password_set_page_needs_no_inline_code(client, terms):
    """For a reader without a usable password (allauth's /accounts/password/set/)."""
    user = allauth_pages.reader_with_two_addresses(terms)
    user.set_unusable_password()
    user.save()
    client.force_login(user)

    assert_served_under_our_csp(client.get("/accounts/password/set/", follow=True))
