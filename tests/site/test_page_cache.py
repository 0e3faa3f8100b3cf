"""Whole pages are shared between readers who carry no state, and only them."""

import re
from http import HTTPStatus

import pytest
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import render
from django.test import Client
from django.urls import include, path

from newsroom.pagecache import cacheable

pytestmark = pytest.mark.django_db

rendered = []


@cacheable()
def counted_page(request):
    rendered.append(request.path)
    return render(request, "articles/home.html")


@cacheable()
def page_setting_cookie(request):
    rendered.append(request.path)
    response = HttpResponse("hello")
    response.set_cookie("flavour", "oat")
    return response


@cacheable()
def private_page(request):
    rendered.append(request.path)
    response = HttpResponse("private")
    response["Cache-Control"] = "private"
    return response


@cacheable()
def page_using_a_nonce(request):
    rendered.append(request.path)
    return HttpResponse(f'<script nonce="{get_nonce(request)}" src="/static/x.js"></script>')


urlpatterns = [
    path("counted/", counted_page),
    path("nonce/", page_using_a_nonce),
    path("cookie/", page_setting_cookie),
    path("private/", private_page),
    path("", include("newsroom.urls")),
]


@pytest.fixture(autouse=True)
def cache_urls(settings, page_cache):
    settings.ROOT_URLCONF = __name__
    rendered.clear()


def with_cart(client: Client, count: int) -> Client:
    session = client.session
    session["cart"] = {"1": count}
    session.save()
    return client


def test_second_anonymous_visit_is_served_from_cache():
    first = Client().get("/counted/")
    second = Client().get("/counted/")

    assert first.status_code == second.status_code == HTTPStatus.OK
    assert second.content == first.content
    assert rendered == ["/counted/"]


def test_visitor_with_session_always_gets_a_fresh_render():
    Client().get("/counted/")
    with_cart(Client(), 2).get("/counted/")

    assert rendered == ["/counted/", "/counted/"]


def test_response_that_sets_a_cookie_is_never_cached():
    first = Client().get("/cookie/")
    second = Client().get("/cookie/")

    assert "flavour" in first.cookies
    assert "flavour" in second.cookies
    assert rendered == ["/cookie/", "/cookie/"]


def test_private_response_is_never_cached():
    Client().get("/private/")
    Client().get("/private/")

    assert rendered == ["/private/", "/private/"]


def test_posts_are_never_served_from_cache():
    Client().get("/counted/")
    Client().post("/counted/")

    assert rendered == ["/counted/", "/counted/"]


def test_one_readers_cart_count_never_reaches_another():
    shopper = with_cart(Client(), 3)
    assert "data-cart-count>3<" in shopper.get("/counted/").content.decode()

    stranger_page = Client().get("/counted/").content.decode()
    assert "data-cart-count>0<" in stranger_page

    # And the other way round: the shared copy never reaches the shopper.
    assert "data-cart-count>3<" in shopper.get("/counted/").content.decode()


def test_sign_in_state_never_reaches_an_anonymous_reader(django_user_model):
    member = Client()
    member.force_login(
        django_user_model.objects.create_user(email="member@example.com", password="x-12345678")
    )
    assert "Log out" in member.get("/counted/").content.decode()

    anonymous_page = Client().get("/counted/").content.decode()

    assert "Log out" not in anonymous_page
    assert "Sign up" in anonymous_page


def test_cached_page_keeps_its_security_headers():
    Client().get("/counted/")
    cached = Client().get("/counted/")

    assert rendered == ["/counted/"]
    assert "default-src 'self'" in cached["Content-Security-Policy"]
    assert not cached.cookies


def without_s_maxage(response) -> dict[str, str]:
    """The response's headers; `s-maxage` counts down, so it is left out."""
    headers = dict(response.headers)
    headers["Cache-Control"] = re.sub(r"s-maxage=\d+", "s-maxage=", headers["Cache-Control"])
    return headers


def test_every_hit_carries_exactly_the_headers_of_the_answer_that_stored_the_page(settings):
    settings.PAGE_CACHE_SECONDS = 0
    uncached = Client().get("/counted/")  # what the page itself says, the cache off
    settings.PAGE_CACHE_SECONDS = 60
    stored = Client().get("/counted/")  # rendered, stored, answered from the entry
    own_copy = Client().get("/counted/")  # from this worker's copy
    settings.PAGE_CACHE_WORKER_BYTES = 0
    shared_copy = Client().get("/counted/")  # from the shared cache

    assert rendered == ["/counted/"] * 2
    assert without_s_maxage(own_copy) == without_s_maxage(stored)
    assert without_s_maxage(shared_copy) == without_s_maxage(stored)
    per_response = {"Cache-Control", "ETag", "xkey"}
    assert {n: v for n, v in stored.items() if n not in per_response} == {
        n: v for n, v in uncached.items() if n not in per_response
    }
    assert not own_copy.cookies


def test_a_hit_on_this_workers_copy_answers_conditional_get_and_head():
    etag = Client().get("/counted/")["ETag"]

    not_modified = Client().get("/counted/", HTTP_IF_NONE_MATCH=etag)
    head = Client().head("/counted/")

    assert rendered == ["/counted/"]
    assert not_modified.status_code == HTTPStatus.NOT_MODIFIED
    assert not_modified["ETag"] == etag
    assert head.status_code == HTTPStatus.OK
    assert head.content == b""
    assert head["ETag"] == etag


def test_a_header_added_on_the_way_out_for_one_reader_never_reaches_the_next(settings):
    # SecurityMiddleware adds Strict-Transport-Security to HTTPS answers only.
    settings.SECURE_HSTS_SECONDS = 3600
    Client().get("/counted/")

    over_https = Client().get("/counted/", secure=True)
    over_http = Client().get("/counted/")

    assert rendered == ["/counted/"]
    assert "Strict-Transport-Security" in over_https
    assert "Strict-Transport-Security" not in over_http


def test_a_page_that_uses_a_csp_nonce_is_never_shared():
    # A nonce is only worth anything if no one else knows it: a cached copy
    # would hand the same one to every reader.
    first = Client().get("/nonce/")
    second = Client().get("/nonce/")

    assert rendered == ["/nonce/", "/nonce/"]
    nonces = {re.search(r'nonce="([^"]+)"', r.content.decode()).group(1) for r in (first, second)}
    assert len(nonces) == 2
    assert "public" not in second["Cache-Control"]


def test_a_cached_story_is_served_without_a_query(django_assert_num_queries):
    from tests.articles.factories import ArticleFactory

    story = ArticleFactory(headline="Ferry timetable restored")
    Client().get(story.get_absolute_url())

    with django_assert_num_queries(0):
        cached = Client().get(story.get_absolute_url())

    assert cached.status_code == HTTPStatus.OK
    assert "Ferry timetable restored" in cached.content.decode()


def test_readers_with_harmless_cookies_share_the_cached_page():
    # The CSRF cookie (set by the terms dialog's fetch) and the dialog answer do
    # not change the page: such readers must still get the shared copy.
    Client().get("/counted/")
    with_csrf = Client()
    with_csrf.cookies["csrftoken"] = "a" * 32
    with_answer = Client()
    with_answer.cookies["terms_answer"] = "2026-01"

    with_csrf.get("/counted/")
    with_answer.get("/counted/")

    assert rendered == ["/counted/"]


def test_a_page_with_a_csrf_form_is_never_shared(counted_product):
    # A CSRF token is per visitor. If the second visitor got the first one's
    # cached form, their post would fail the CSRF check.
    first = Client(enforce_csrf_checks=True)
    first.cookies["csrftoken"] = "b" * 32
    first.get("/shop/")
    second = Client(enforce_csrf_checks=True)
    second.cookies["csrftoken"] = "c" * 32
    page = second.get("/shop/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = second.post(f"/cart/add/{counted_product.pk}/", {"csrfmiddlewaretoken": token})

    assert second.cookies["csrftoken"].value != "b" * 32, "got the first visitor's CSRF cookie"
    assert response.status_code == HTTPStatus.FOUND


@pytest.fixture
def counted_product():
    from tests.cart.factories import ProductFactory

    return ProductFactory()


def test_clearing_the_page_cache_makes_the_next_visit_render_afresh(
    django_capture_on_commit_callbacks,
):
    from newsroom.pagecache import page_cache_clear

    Client().get("/counted/")
    with django_capture_on_commit_callbacks(execute=True):
        page_cache_clear()
    Client().get("/counted/")
    Client().get("/counted/")

    assert rendered == ["/counted/", "/counted/"]
