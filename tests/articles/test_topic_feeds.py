"""Feeds for every section, tag and author, and a JSON Feed: valid, complete, empty not 404."""

import json
from http import HTTPStatus

import feedparser
import pytest
from django.urls import reverse

from tests.articles.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    TagFactory,
    image_file,
)

pytestmark = pytest.mark.django_db

TOPIC_FEEDS = [
    "section_feed",
    "section_feed_atom",
    "tag_feed",
    "tag_feed_atom",
    "author_feed",
    "author_feed_atom",
]


@pytest.fixture
def topics():
    section = SectionFactory(name="Harbour", slug="harbour")
    tag = TagFactory(name="Ferries", slug="ferries")
    author = AuthorFactory(name="Tomás Ruiz", slug="tomas-ruiz")
    story = ArticleFactory(
        headline="Ferry returns <after> winter & storms",
        standfirst="The crossing runs again.",
        body='<p>The ferry is back. <a href="/section/harbour/">More</a></p>',
        section=section,
        tags=[tag],
        authors=[author],
        lead_image=image_file(),
        lead_image_alt="The ferry at the quay",
    )
    ArticleFactory(headline="Unrelated story")
    ArticleFactory(headline="Draft ferry", section=section, tags=[tag], draft=True)
    return {"section": section, "tag": tag, "author": author, "story": story}


def parsed(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return response, feed


@pytest.mark.parametrize("name", TOPIC_FEEDS)
def test_topic_feed_validates_and_lists_only_its_live_stories(client, topics, name):
    slug = topics[name.split("_")[0]].slug

    response, feed = parsed(client, reverse(f"articles:{name}", kwargs={"slug": slug}))

    expected_type = "application/atom+xml" if name.endswith("atom") else "application/rss+xml"
    assert response["Content-Type"].startswith(expected_type)
    assert [entry.title for entry in feed.entries] == ["Ferry returns <after> winter & storms"]


@pytest.mark.parametrize("name", ["feed", "feed_atom", *TOPIC_FEEDS])
def test_items_carry_summary_full_body_and_lead_image(client, topics, name):
    kwargs = {} if name.startswith("feed") else {"slug": topics[name.split("_")[0]].slug}

    _response, feed = parsed(client, reverse(f"articles:{name}", kwargs=kwargs))

    entry = next(e for e in feed.entries if e.title.startswith("Ferry returns"))
    assert entry.summary == "The crossing runs again."
    body = entry.content[0].value
    assert "The ferry is back." in body
    assert 'href="http://testserver/section/harbour/"' in body  # absolute for readers
    (media,) = entry.media_content
    assert media["url"].startswith("http://testserver/media/")
    assert int(media["width"]) > 0 and int(media["height"]) > 0
    assert int(media["filesize"]) > 0
    (enclosure,) = entry.enclosures
    assert enclosure.href == media["url"]
    assert int(enclosure.length) > 0
    assert enclosure.type == "image/" + media["url"].rsplit(".", 1)[1].replace("jpg", "jpeg")


@pytest.mark.parametrize("name", TOPIC_FEEDS)
def test_empty_topic_has_an_empty_feed(client, name):
    topic = {"section": SectionFactory, "tag": TagFactory, "author": AuthorFactory}[
        name.split("_")[0]
    ]()

    _response, feed = parsed(client, reverse(f"articles:{name}", kwargs={"slug": topic.slug}))

    assert feed.entries == []
    assert topic.name in feed.feed.title


@pytest.mark.parametrize("name", TOPIC_FEEDS)
def test_unknown_topic_feed_is_404(client, name):
    response = client.get(reverse(f"articles:{name}", kwargs={"slug": "no-such-thing"}))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_feed_stays_valid_with_control_characters_in_a_headline(client, topics):
    topics["story"].__class__.objects.filter(pk=topics["story"].pk).update(
        headline="Ferry\x0breturns\x01"  # PostgreSQL cannot store NUL at all
    )

    _response, feed = parsed(client, reverse("articles:tag_feed", kwargs={"slug": "ferries"}))

    assert feed.entries[0].title == "Ferry returns"


@pytest.mark.parametrize(
    ("view", "feed"),
    [("section", "section_feed"), ("tag", "tag_feed"), ("author", "author_feed")],
)
def test_topic_pages_advertise_and_link_their_feeds(client, topics, view, feed):
    slug = topics[view].slug

    page = client.get(reverse(f"articles:{view}", kwargs={"slug": slug})).content.decode()

    rss = reverse(f"articles:{feed}", kwargs={"slug": slug})
    atom = reverse(f"articles:{feed}_atom", kwargs={"slug": slug})
    assert '<link rel="alternate" type="application/rss+xml"' in page
    assert f'href="{rss}"' in page.split("</head>")[0]
    assert f'href="{atom}"' in page.split("</head>")[0]
    body = page.split("<body")[1]
    assert f'<a class="topic-feeds__link" href="{rss}"' in body
    assert f'<a class="topic-feeds__link" href="{atom}"' in body


# --- JSON Feed 1.1 (https://jsonfeed.org/version/1.1) -------------------------------


def test_json_feed_follows_the_json_feed_rules(client, topics):
    response = client.get(reverse("articles:feed_json"))

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"]
    assert feed["home_page_url"] == "http://testserver/"
    assert feed["feed_url"] == "http://testserver/feed.json"
    assert isinstance(feed["items"], list)
    assert len(feed["items"]) == 2
    for item in feed["items"]:
        # An id (a string), and content_html or content_text, are required.
        assert isinstance(item["id"], str) and item["id"]
        assert "content_html" in item or "content_text" in item
        assert item["url"].startswith("http://testserver/")
        # RFC 3339 dates
        assert "T" in item["date_published"]
        assert item["date_published"][-6] in "+-" or item["date_published"].endswith("Z")
        for author in item["authors"]:
            assert author["name"]


def test_json_feed_item_has_body_summary_image_and_authors(client, topics):
    feed = json.loads(client.get(reverse("articles:feed_json")).content)

    item = next(i for i in feed["items"] if i["title"].startswith("Ferry returns"))
    assert item["summary"] == "The crossing runs again."
    assert "The ferry is back." in item["content_html"]
    assert item["image"].startswith("http://testserver/media/")
    assert item["attachments"][0]["size_in_bytes"] > 0
    assert item["authors"] == [
        {"name": "Tomás Ruiz", "url": "http://testserver/author/tomas-ruiz/"}
    ]
    assert item["tags"] == ["Harbour", "Ferries"]


def test_json_feed_lists_only_live_stories_and_is_empty_without_any(client):
    ArticleFactory(draft=True)

    feed = json.loads(client.get(reverse("articles:feed_json")).content)

    assert feed["items"] == []


def test_json_feed_is_advertised_on_every_page(client):
    page = client.get("/").content.decode()

    assert '<link rel="alternate" type="application/feed+json"' in page


@pytest.mark.parametrize("stories", [1, 8])
def test_topic_feed_query_budget(client, django_assert_max_num_queries, stories):
    tag = TagFactory(slug="budget")
    for _ in range(stories):
        ArticleFactory(tags=[tag])

    with django_assert_max_num_queries(5):  # tag, stories, bylines, tags (+ session)
        client.get(reverse("articles:tag_feed", kwargs={"slug": "budget"}))
