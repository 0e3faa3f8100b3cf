"""Feeds, sitemaps and JSON-LD stay valid XML and JSON whatever editors typed (issue 13.1)."""

import json
import re
from datetime import timedelta
from http import HTTPStatus
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.articles.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from tests.articles.test_admin import edit_data

pytestmark = pytest.mark.django_db

HEADLINE = "Council budget\x0bvote passes"
#: What XML 1.0 forbids and a database can store (no NUL for PostgreSQL, no
#: lone surrogate for UTF-8), in one string; see newsroom/text.py.
FORBIDDEN = "".join(chr(c) for c in range(1, 0x20) if chr(c) not in "\t\n\r") + "\ufffe\uffff"
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
ATOM = "{http://www.w3.org/2005/Atom}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
XML_OUTPUTS = ["/feed/", "/feed/atom/", "/sitemap.xml", "/sitemap-news.xml"]


def parse(client, path):
    response = client.get(path)
    assert response.status_code == HTTPStatus.OK, path
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own output)


def json_ld(client, story) -> dict:
    page = client.get(story.get_absolute_url()).content.decode()
    return json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])


def test_editor_saving_a_vertical_tab_in_a_live_headline_keeps_feeds_valid(client, admin_user):
    story = ArticleFactory(headline="Council budget vote", published_at=timezone.now())
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        edit_data(story, headline=HEADLINE),
    )

    assert response.status_code == HTTPStatus.FOUND
    story.refresh_from_db()
    assert story.headline == "Council budget vote passes"
    client.logout()
    rss, atom = parse(client, "/feed/"), parse(client, "/feed/atom/")
    assert rss.findtext("channel/item/title") == "Council budget vote passes"
    assert atom.find(f"{ATOM}entry").findtext(f"{ATOM}title") == "Council budget vote passes"
    news = parse(client, "/sitemap-news.xml")
    assert news.find(f".//{NEWS}title").text == "Council budget vote passes"


@pytest.fixture
def stored_raw():
    """A live story whose every text holds what XML forbids, written past save()
    (an update(), an old row, a bulk import): the outputs must clean it themselves."""
    author = AuthorFactory()
    section = SectionFactory()
    tag = TagFactory()
    story = ArticleFactory(
        authors=[author],
        section=section,
        tags=[tag],
        published_at=timezone.now() - timedelta(hours=1),
    )
    Article.objects.filter(pk=story.pk).update(
        headline=HEADLINE + FORBIDDEN,
        standfirst="Stand\x0bfirst" + FORBIDDEN,
        seo_description="",
        seo_title="",
    )
    type(author).objects.filter(pk=author.pk).update(name="Ada\x01 Lee" + FORBIDDEN)
    type(section).objects.filter(pk=section.pk).update(name="City\x02" + FORBIDDEN)
    type(tag).objects.filter(pk=tag.pk).update(name="Budget\x03" + FORBIDDEN)
    story.refresh_from_db()
    return story


@pytest.mark.parametrize("path", XML_OUTPUTS)
def test_xml_outputs_are_well_formed_with_raw_control_characters(client, stored_raw, path):
    response = client.get(path)

    assert response.status_code == HTTPStatus.OK
    ElementTree.fromstring(response.content)  # noqa: S314 (raises if not well-formed)
    assert not XML_FORBIDDEN.search(response.content.decode())


def test_feed_text_keeps_its_words_without_the_forbidden_characters(client, stored_raw):
    item = parse(client, "/feed/").find("channel/item")

    assert item.findtext("title").rstrip() == "Council budget vote passes"
    assert item.findtext("description").rstrip() == "Stand first"
    assert [category.text.rstrip() for category in item.iter("category")] == ["City", "Budget"]


def test_json_ld_is_valid_json_without_forbidden_characters(client, stored_raw):
    data = json_ld(client, stored_raw)

    assert data["headline"].rstrip() == "Council budget vote passes"
    assert data["articleSection"].rstrip() == "City"
    assert data["author"][0]["name"].rstrip() == "Ada Lee"
    assert not XML_FORBIDDEN.search(json.dumps(data, ensure_ascii=False))
