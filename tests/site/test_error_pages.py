from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path

pytestmark = pytest.mark.django_db


def raise_bad_request(request):
    raise SuspiciousOperation("tampered input")


def raise_forbidden(request):
    raise PermissionDenied


def raise_error(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("bad/", raise_bad_request),
    path("forbidden/", raise_forbidden),
    path("boom/", raise_error),
]


@pytest.fixture
def error_urls(settings):
    from newsroom import urls as site_urls

    settings.ROOT_URLCONF = __name__
    # Keep the site's named routes so the error templates can link home.
    globals()["urlpatterns"] = urlpatterns[:3] + site_urls.urlpatterns


def test_404_page_is_friendly_and_in_site_look(client):
    response = client.get("/no-such-page/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert b"Page not found" in response.content
    assert b'class="site-header"' in response.content


def test_400_page_for_suspicious_input(client, error_urls):
    response = client.get("/bad/")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert b"Bad request" in response.content


def test_403_page(client, error_urls):
    response = client.get("/forbidden/")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert b"Not allowed" in response.content


def test_500_page_renders_without_a_database(error_urls, django_db_blocker):
    client = Client(raise_request_exception=False)
    # Any query while rendering the 500 page would raise here.
    with django_db_blocker.block():
        response = client.get("/boom/")

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert b"Something went wrong" in response.content
    assert b'class="site-footer"' in response.content


def test_failed_csrf_check_gets_a_page_in_the_site_look():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/terms/agree/", {"version": "2026-01"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert b"Please try again" in response.content
    assert b'class="site-header"' in response.content
