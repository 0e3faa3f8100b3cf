"""
Names and headlines typed with bidi controls or invisible characters, through
the admin's forms (issue 13's bidi and invisible kind): what is stored is what
readers see, a name that is only invisible characters is an error, and a
name that only looks like another one is that one for the unique checks.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from articles.models import Article, Banner, Section, Tag
from cart.models import Product
from newsroom.text import INVISIBLE_ONLY_MESSAGE
from tests.articles.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from tests.articles.test_admin import form_data

pytestmark = pytest.mark.django_db


def post(admin_client, name: str, data: dict):
    return admin_client.post(reverse(f"admin:{name}_add"), data)


@pytest.mark.parametrize("typed", ["\u200b\u200b", "\ufeff", "\u202e", " \u200b \u2066\u2069"])
def test_a_name_of_only_invisible_characters_is_a_form_error(admin_client, typed):
    answers = [
        post(admin_client, "articles_tag", {"name": typed, "slug": "invisible"}),
        post(admin_client, "articles_section", {"name": typed, "slug": "invisible", "order": 0}),
        post(admin_client, "articles_author", {"name": typed, "slug": "invisible"}),
        post(
            admin_client,
            "articles_banner",
            {
                "text": typed,
                "url": "",
                "expires_at_0": "2099-01-01",
                "expires_at_1": "12:00:00",
            },
        ),
    ]

    for response in answers:
        assert response.status_code == HTTPStatus.OK
        assert INVISIBLE_ONLY_MESSAGE in response.text
    assert not Tag.objects.exists()
    assert not Section.objects.exists()
    assert not Banner.objects.exists()


def test_a_headline_of_only_invisible_characters_is_a_form_error(admin_client):
    data = form_data(section=SectionFactory(), author=AuthorFactory(), slug="invisible")
    data["headline"] = "\u200b\u202e"

    response = post(admin_client, "articles_article", data)

    assert response.status_code == HTTPStatus.OK
    assert INVISIBLE_ONLY_MESSAGE in response.text
    assert not Article.objects.filter(slug="invisible").exists()


@pytest.mark.parametrize(
    "typed", ["Harbour\u200b", "\ufeffHarbour", "Harbour\u202e", "Har\u2066bour"]
)
def test_a_name_that_looks_like_another_is_that_one_for_the_unique_check(admin_client, typed):
    TagFactory(name="Harbour", slug="harbour")
    SectionFactory(name="Harbour", slug="harbour")

    tag = post(admin_client, "articles_tag", {"name": typed, "slug": "harbour-2"})
    section = post(
        admin_client, "articles_section", {"name": typed, "slug": "harbour-2", "order": 0}
    )

    assert "Tag with this Name already exists." in tag.text
    assert "Section with this Name already exists." in section.text
    assert Tag.objects.count() == Section.objects.count() == 1


def test_a_product_name_is_stored_without_bidi_controls_or_invisible_ends(admin_client):
    response = post(
        admin_client,
        "cart_product",
        {
            "name": "\u200bMug\u202e ecneics",
            "slug": "mug",
            "short_description": "",
            "description": "",
            "price": "9.50",
            "currency": "EUR",
            "is_active": "on",
        },
    )

    assert response.status_code == HTTPStatus.FOUND, response.text[:2000]
    assert Product.objects.get().name == "Mug ecneics"


def test_a_story_page_title_carries_no_override_after_the_headline(client):
    story = ArticleFactory(headline="Council budget\u202e", seo_title="")

    page = client.get(story.get_absolute_url()).text
    title = page.split("<title>")[1].split("</title>")[0]

    assert "\u202e" not in page
    assert title.startswith("Council budget ")
