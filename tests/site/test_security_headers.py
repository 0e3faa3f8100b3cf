"""Every response carries the security headers and a Permissions-Policy, the 400
page for a bad Host header included (issue 13.12)."""

from http import HTTPStatus

import pytest
from django.test import Client

from newsroom.headers import permissions_policy_header
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db

#: The headers every response must carry, whatever produced it.
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
)
#: Features the site never uses that must be off (a sample of the policy).
FEATURES_OFF = ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()")


def assert_full_set(response):
    missing = [header for header in SECURITY_HEADERS if header not in response.headers]
    assert missing == [], f"{response.status_code} {response.get('Content-Type')}"
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    for feature in FEATURES_OFF:
        assert feature in response["Permissions-Policy"]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/no-such-page/",
        "/feed/",
        "/sitemap.xml",
        "/robots.txt",
        "/healthz",
        "/static/css/site.css",
        "/accounts/login/",
        "/admin/login/",
        "/search/?q=council",
    ],
)
def test_every_kind_of_response_carries_the_full_set(client, path):
    ArticleFactory()

    assert_full_set(client.get(path))


def test_a_page_served_from_the_page_cache_carries_the_full_set(settings):
    settings.PAGE_CACHE_SECONDS = 60
    client = Client()
    client.get("/")

    assert_full_set(client.get("/"))


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/", HTTPStatus.BAD_REQUEST),  # the page cache's key reads the host first
        ("get", "/feed/", HTTPStatus.BAD_REQUEST),
        ("get", "/accounts/login/", HTTPStatus.BAD_REQUEST),
        ("post", "/accounts/login/", HTTPStatus.BAD_REQUEST),
        ("get", "/admin/", HTTPStatus.BAD_REQUEST),
        # whitenoise serves static files without reading the host.
        ("get", "/static/css/site.css", HTTPStatus.OK),
    ],
)
def test_bad_host_response_carries_the_full_set(client, method, path, status):
    response = getattr(client, method)(path, HTTP_HOST="evil.example")

    assert response.status_code == status
    assert_full_set(response)


def test_bad_host_400_carries_the_full_set_when_redirecting_to_https(settings):
    # SecurityMiddleware reads the host itself to build the https:// address,
    # so the 400 is made before any of its headers are added.
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/", HTTP_HOST="evil.example")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert_full_set(response)


def test_bad_host_400_page_is_the_site_400_page(client):
    response = client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"Bad request" in response.content


def test_a_view_that_sets_its_own_header_keeps_it(admin_client):
    # The terms editor widens the CSP with csp_override; the second pass must
    # not replace it with the site's default.
    default = Client().get("/")["Content-Security-Policy"]
    response = admin_client.get("/admin/accounts/termsofuse/add/")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Security-Policy"] != default


def test_permissions_policy_header_serialisation():
    assert (
        permissions_policy_header(
            {"camera": [], "fullscreen": ["self"], "payment": ["self", "https://pay.example"]}
        )
        == 'camera=(), fullscreen=(self), payment=(self "https://pay.example")'
    )
