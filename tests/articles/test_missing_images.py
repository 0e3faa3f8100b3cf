"""
A picture whose file is gone (a database restored without its media, a storage
outage) never breaks a page: every page that lists the story shows it without
its picture (issue 13.17). Pages read no image file at all.
"""

from http import HTTPStatus

import pytest
from django.core.files.storage import default_storage

from articles.models import Article, Author
from cart.models import Product
from tests.articles.factories import ArticleFactory, AuthorFactory, TagFactory
from tests.cart.factories import ProductFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MISSING = "articles/2026/01/never-restored.jpg"


@pytest.fixture
def story_without_its_file():
    """A live story whose lead image row survived but whose file did not, dimensions
    never measured (as the demo stories were before the backfill)."""
    author = AuthorFactory()
    story = ArticleFactory(headline="Harbour plan approved", tags=[TagFactory()], authors=[author])
    Article.objects.filter(pk=story.pk).update(
        lead_image=MISSING,
        lead_image_alt="The harbour at dawn",
        lead_image_width=None,
        lead_image_height=None,
        lead_image_renditions={},
    )
    Author.objects.filter(pk=author.pk).update(
        photo="authors/never-restored.jpg", photo_width=None, photo_height=None
    )
    assert not default_storage.exists(MISSING)
    return Article.objects.get(pk=story.pk)


def public_pages(story):
    published = story.published_at
    return [
        "/",
        story.get_absolute_url(),
        story.section.get_absolute_url(),
        story.tags.get().get_absolute_url(),
        story.bylines.get().author.get_absolute_url(),
        f"/{published:%Y}/",
        f"/{published:%Y}/{published:%m}/",
        "/search/?q=harbour",
        "/feed/",
        "/feed/atom/",
        "/sitemap.xml",
        "/sitemap-news.xml",
    ]


def test_every_public_page_shows_the_story_without_its_missing_picture(
    client, story_without_its_file
):
    for url in public_pages(story_without_its_file):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        assert "never-restored" not in response.text, url
    assert "Harbour plan approved" in client.get("/").text


def test_admin_pages_open_a_story_whose_picture_is_missing(client, story_without_its_file):
    client.force_login(UserFactory(superuser=True))
    for url in (
        "/admin/articles/article/",
        f"/admin/articles/article/{story_without_its_file.pk}/change/",
        "/admin/articles/author/",
        f"/admin/articles/author/{story_without_its_file.bylines.get().author_id}/change/",
    ):
        assert client.get(url).status_code == HTTPStatus.OK, url


def test_shop_pages_show_a_product_whose_picture_is_missing(client):
    product = ProductFactory(name="Tote bag")
    Product.objects.filter(pk=product.pk).update(
        image="shop/products/never-restored.png", image_width=None, image_height=None
    )
    client.force_login(UserFactory(superuser=True))
    for url in (
        "/shop/",
        product.get_absolute_url(),
        "/admin/cart/product/",
        f"/admin/cart/product/{product.pk}/change/",
    ):
        assert client.get(url).status_code == HTTPStatus.OK, url
