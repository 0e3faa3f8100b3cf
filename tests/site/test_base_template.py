from http import HTTPStatus

import pytest
from django.test.html import parse_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(client):
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def test_page_declares_language_and_viewport(home):
    assert '<html lang="en">' in home
    assert 'name="viewport"' in home


def test_page_has_landmarks_and_skip_link(home):
    dom = parse_html(home)
    assert dom.count(parse_html('<a class="skip-link" href="#main">Skip to main content</a>')) == 1
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in home


def test_header_links_home_cart_and_sign_up_for_anonymous_reader(home):
    assert 'class="site-header__brand" href="/"' in home
    assert 'href="/cart/"' in home
    assert "data-cart-count>0<" in home
    assert 'href="/accounts/signup/"' in home
    assert 'href="/accounts/login/"' in home


def test_footer_links_terms_of_use(home):
    footer = home[home.index("<footer") :]
    assert 'href="/terms/"' in footer


def test_signed_in_reader_sees_account_menu_and_post_logout(client, django_user_model):
    user = django_user_model.objects.create_user(email="reader@example.com", password="pw-12345678")
    client.force_login(user)

    page = client.get("/").content.decode()

    assert 'href="/accounts/"' in page
    assert 'action="/accounts/logout/"' in page
    assert 'method="post"' in page
    assert 'href="/accounts/signup/"' not in page


def test_no_inline_scripts_or_styles(home):
    assert "<script>" not in home
    assert "style=" not in home
    assert "<style" not in home


def test_content_security_policy_allows_only_own_origin(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_header_marks_the_front_page_as_current(home):
    assert 'href="/" aria-current="page">Home</a>' in home


def test_header_marks_nothing_current_on_other_pages(client):
    page = client.get("/shop/").content.decode()

    assert 'aria-current="page">Home' not in page
    assert 'aria-current="page">Shop</a>' in page
