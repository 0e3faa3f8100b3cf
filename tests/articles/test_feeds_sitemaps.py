"""Feeds and sitemaps: valid XML, live stories only."""

import json
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from tests.articles.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


def xml(client, path):
    response = client.get(path)
    assert response.status_code == HTTPStatus.OK
    return response, ElementTree.fromstring(response.content)  # noqa: S314 (our own output)


def sitemap_locations(client, path):
    return [loc.text for loc in xml(client, path)[1].iter(f"{SITEMAP}loc")]


def all_sitemap_locations(client):
    """Every page the sitemap index leads to: the locations in each of its children."""
    children = sitemap_locations(client, "/sitemap.xml")
    return [
        location
        for child in children
        for location in sitemap_locations(client, child.removeprefix("http://testserver"))
    ]


def test_rss_feed_lists_live_stories_newest_first(client):
    ArticleFactory(headline="Older", published_at=timezone.now() - timedelta(days=1))
    newer = ArticleFactory(headline="Newer", published_at=timezone.now() - timedelta(hours=1))
    ArticleFactory(headline="Draft", draft=True)
    ArticleFactory(headline="Scheduled", scheduled=True)

    response, rss = xml(client, "/feed/")

    assert response["Content-Type"].startswith("application/rss+xml")
    assert [item.findtext("title") for item in rss.iter("item")] == ["Newer", "Older"]
    assert rss.find("channel/item/link").text == f"http://testserver{newer.get_absolute_url()}"


def test_rss_item_has_summary_date_author_and_categories(client):
    ArticleFactory(
        standfirst="The short version.",
        section=SectionFactory(name="City"),
        tags=[TagFactory(name="Transport")],
        authors=[AuthorFactory(name="Ada Lee")],
    )

    item = xml(client, "/feed/")[1].find("channel/item")

    assert item.findtext("description") == "The short version."
    assert item.findtext("pubDate")
    assert "Ada Lee" in ElementTree.tostring(item, encoding="unicode")
    assert [category.text for category in item.iter("category")] == ["City", "Transport"]


def test_atom_feed_lists_live_stories(client):
    ArticleFactory(headline="In the feed")
    ArticleFactory(headline="Not yet", scheduled=True)

    response, atom = xml(client, "/feed/atom/")

    assert response["Content-Type"].startswith("application/atom+xml")
    assert [entry.findtext(f"{ATOM}title") for entry in atom.iter(f"{ATOM}entry")] == [
        "In the feed"
    ]


def test_atom_entry_id_is_a_tag_uri_that_outlives_address_changes(client, settings):
    settings.SITE_URL = "https://news.example"
    story = ArticleFactory()
    entry = xml(client, "/feed/atom/")[1].find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}id") == f"tag:news.example,2026:story-{story.pk}"

    story.slug = "a-new-slug"
    story.save()

    entry = xml(client, "/feed/atom/")[1].find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}id") == f"tag:news.example,2026:story-{story.pk}"
    assert entry.find(f"{ATOM}link").get("href").endswith("/a-new-slug/")


def test_rss_guid_is_the_story_tag_uri_not_its_address(client, settings):
    settings.SITE_URL = "https://news.example"
    story = ArticleFactory()

    guid = xml(client, "/feed/")[1].find("channel/item/guid")

    assert (guid.text, guid.get("isPermaLink")) == (
        f"tag:news.example,2026:story-{story.pk}",
        "false",
    )


def test_sitemap_lists_home_live_stories_and_their_listings(client):
    story = ArticleFactory(
        section=SectionFactory(slug="city"),
        tags=[TagFactory(slug="transport")],
        authors=[AuthorFactory(slug="ada-lee")],
    )
    hidden = ArticleFactory(
        draft=True,
        published_at=timezone.now() - timedelta(days=1),
        tags=[TagFactory(slug="secret-tag")],
        authors=[AuthorFactory(slug="secret-author")],
    )

    locations = all_sitemap_locations(client)

    assert "http://testserver/" in locations
    assert f"http://testserver{story.get_absolute_url()}" in locations
    assert "http://testserver/section/city/" in locations
    assert "http://testserver/tag/transport/" in locations
    assert "http://testserver/author/ada-lee/" in locations
    assert f"http://testserver{hidden.get_absolute_url()}" not in locations
    assert "http://testserver/tag/secret-tag/" not in locations
    assert "http://testserver/author/secret-author/" not in locations


def test_sitemap_lists_the_years_with_live_stories(client):
    ArticleFactory(published_at=datetime(2025, 6, 1, tzinfo=UTC))
    ArticleFactory(published_at=datetime(2026, 2, 1, tzinfo=UTC))
    ArticleFactory(draft=True, published_at=datetime(2024, 2, 1, tzinfo=UTC))

    locations = all_sitemap_locations(client)

    assert [url for url in locations if url.rstrip("/").endswith(("2024", "2025", "2026"))] == [
        "http://testserver/2025/",
        "http://testserver/2026/",
    ]


def test_news_sitemap_has_only_the_last_two_days(client):
    fresh = ArticleFactory(headline="Fresh", published_at=timezone.now() - timedelta(hours=3))
    ArticleFactory(headline="Stale", published_at=timezone.now() - timedelta(days=3))
    ArticleFactory(headline="Soon", scheduled=True)

    locations = sitemap_locations(client, "/sitemap-news.xml")

    assert locations == [f"http://testserver{fresh.get_absolute_url()}"]


def test_news_sitemap_entries_have_publication_and_title(client):
    ArticleFactory(headline="Fresh & new", published_at=timezone.now() - timedelta(hours=3))

    news = xml(client, "/sitemap-news.xml")[1].find(f"{SITEMAP}url/{NEWS}news")

    assert news.findtext(f"{NEWS}title") == "Fresh & new"
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Newsroom"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}publication_date").startswith(str(timezone.now().year))


# --- Every story in a child sitemap -------------------------------------------------


def test_sitemap_index_lists_a_child_per_month_newest_first(client):
    for month in (1, 3):
        ArticleFactory(published_at=datetime(2026, month, 10, tzinfo=UTC))
    ArticleFactory(draft=True, published_at=datetime(2026, 2, 10, tzinfo=UTC))

    children = sitemap_locations(client, "/sitemap.xml")

    assert children == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-stories-2026-03.xml",
        "http://testserver/sitemap-stories-2026-01.xml",
    ]


def test_story_sitemap_gives_every_story_its_lastmod(client):
    stories = [
        ArticleFactory(published_at=datetime(2026, 3, day, 12, tzinfo=UTC)) for day in (1, 2)
    ]

    _, urlset = xml(client, "/sitemap-stories-2026-03.xml")

    entries = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in urlset.iter(f"{SITEMAP}url")
    }
    assert entries == {
        f"http://testserver{story.get_absolute_url()}": story.updated_at.astimezone(UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        for story in stories
    }


def test_a_story_published_long_ago_is_in_a_child_sitemap(client, monkeypatch):
    """The real limit is 50,000 URLs per child; at 5, a story published 95 stories
    ago is as far back, in children, as one published 950,000 stories ago."""
    monkeypatch.setattr("articles.sitemaps.STORY_SITEMAP_LIMIT", 5)
    start = datetime(2026, 3, 2, 12, tzinfo=UTC)
    stories = [ArticleFactory(published_at=start - timedelta(minutes=10 * n)) for n in range(100)]
    long_ago = stories[95]

    children = sitemap_locations(client, "/sitemap.xml")
    sizes = {
        child: len(sitemap_locations(client, child.removeprefix("http://testserver")))
        for child in children
        if "stories" in child
    }
    locations = all_sitemap_locations(client)

    assert f"http://testserver{long_ago.get_absolute_url()}" in locations
    assert {f"http://testserver{story.get_absolute_url()}" for story in stories} <= set(locations)
    assert max(sizes.values()) == 5
    assert len(sizes) == 20


@pytest.mark.parametrize("query", ["?p=1", "?p=02", "?p=%D9%A2", "?p=0"])
def test_story_sitemap_pages_have_one_address(client, query, monkeypatch):
    monkeypatch.setattr("articles.sitemaps.STORY_SITEMAP_LIMIT", 1)
    for day in (1, 2):
        ArticleFactory(published_at=datetime(2026, 3, day, tzinfo=UTC))

    assert client.get("/sitemap-stories-2026-03.xml?p=2").status_code == HTTPStatus.OK
    assert client.get(f"/sitemap-stories-2026-03.xml{query}").status_code == HTTPStatus.NOT_FOUND


def test_a_month_without_stories_has_no_sitemap(client):
    ArticleFactory(published_at=datetime(2026, 3, 1, tzinfo=UTC))

    assert client.get("/sitemap-stories-2026-04.xml").status_code == HTTPStatus.NOT_FOUND


def test_a_scheduled_story_is_not_modified_before_it_was_published(client, travel_to):
    """Written (and last saved) first, published later: every output's modified
    time is the publication time, never earlier (JSON-LD, Atom, JSON Feed)."""
    publish_at = timezone.now() + timedelta(hours=2)
    story = ArticleFactory(published_at=publish_at)
    travel_to(publish_at + timedelta(minutes=1))

    page = client.get(story.get_absolute_url()).content.decode()
    ld = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    entry = xml(client, "/feed/atom/")[1].find(f"{ATOM}entry")
    item = client.get("/feed.json").json()["items"][0]

    assert datetime.fromisoformat(ld["dateModified"]) >= datetime.fromisoformat(ld["datePublished"])
    assert entry.findtext(f"{ATOM}updated") >= entry.findtext(f"{ATOM}published")
    assert item["date_modified"] == item["date_published"]
