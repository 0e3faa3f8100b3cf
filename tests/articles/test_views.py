"""Reader pages: only live stories, proper 404s, pagination, and what the article page shows."""

from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Section
from articles.navigation import SECTION_NAV_KEY
from tests.articles.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    TagFactory,
    image_file,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


# --- Only live stories --------------------------------------------------------------


def test_draft_is_404_for_anonymous_reader(client):
    story = ArticleFactory(draft=True, published_at=timezone.now() - timedelta(days=1))

    assert client.get(story.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_scheduled_story_is_404_until_its_time(client, travel_to):
    story = ArticleFactory(scheduled=True)
    address = story.get_absolute_url()
    assert client.get(address).status_code == HTTPStatus.NOT_FOUND

    travel_to(story.published_at + timedelta(minutes=1))

    assert client.get(address).status_code == HTTPStatus.OK


def test_story_in_review_is_404(client):
    story = ArticleFactory(in_review=True, published_at=timezone.now() - timedelta(hours=1))

    assert client.get(story.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/section/city/",
        "/tag/harbour/",
        "/author/ada/",
        "/2026/",
        "/2026/02/",
        "/search/?q=story",
        "/feed/",
        "/feed/atom/",
        "/sitemap-stories-2026-02.xml",
        "/sitemap-news.xml",
    ],
)
def test_unpublished_stories_appear_nowhere(client, path, travel_to):
    travel_to(datetime(2026, 2, 3, 12, tzinfo=UTC))
    section, tag, author = (
        SectionFactory(slug="city"),
        TagFactory(slug="harbour"),
        AuthorFactory(slug="ada"),
    )
    when = datetime(2026, 2, 2, 9, tzinfo=UTC)
    byline = {"section": section, "tags": [tag], "authors": [author]}
    ArticleFactory(headline="Visible story", slug="visible", published_at=when, **byline)
    ArticleFactory(headline="Secret story", slug="secret-draft", draft=True, **byline)
    ArticleFactory(headline="Secret story", slug="secret-review", in_review=True, **byline)
    ArticleFactory(
        headline="Secret story",
        slug="secret-unpublished",
        status="draft",
        published_at=when,
        **byline,
    )
    ArticleFactory(headline="Secret story", slug="secret-scheduled", scheduled=True, **byline)

    page = text(client.get(path))

    assert "visible" in page.lower()
    assert "secret" not in page.lower()


def test_related_and_pager_show_only_live_stories(client):
    section = SectionFactory()
    story = ArticleFactory(section=section, published_at=timezone.now() - timedelta(days=2))
    ArticleFactory(section=section, draft=True, headline="Hidden draft")
    ArticleFactory(section=section, scheduled=True, headline="Hidden future")

    page = text(client.get(story.get_absolute_url()))

    assert "Hidden draft" not in page
    assert "Hidden future" not in page


# --- Addresses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/2026/02/30/anything/",
        "/2026/13/01/anything/",
        "/0000/01/01/anything/",
        "/2026/00/",
        "/2026/13/",
        "/0000/",
        "/1999/",
        "/section/no-such-section/",
        "/tag/no-such-tag/",
        "/author/no-such-author/",
    ],
)
def test_addresses_that_do_not_exist_are_404(client, path):
    assert client.get(path).status_code == HTTPStatus.NOT_FOUND


def test_story_is_found_only_at_its_own_date(client):
    story = ArticleFactory(slug="bridge", published_at=datetime(2026, 2, 2, 9, tzinfo=UTC))

    assert client.get("/2026/02/02/bridge/").status_code == HTTPStatus.OK
    assert client.get("/2026/02/03/bridge/").status_code == HTTPStatus.NOT_FOUND
    assert story.get_absolute_url() == "/2026/02/02/bridge/"


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99", "1.5", "last", ""])
@pytest.mark.parametrize(
    "path",
    ["/", "/section/city/", "/tag/t/", "/author/a/", "/2026/", "/2026/02/", "/search/?q=ferry"],
)
def test_invalid_page_is_404(client, path, page):
    section, tag, author = (
        SectionFactory(slug="city"),
        TagFactory(slug="t"),
        AuthorFactory(slug="a"),
    )
    for day in (1, 2, 3):
        ArticleFactory(
            section=section,
            tags=[tag],
            authors=[author],
            headline="Ferry news",
            published_at=datetime(2026, 2, day, tzinfo=UTC),
        )
    separator = "&" if "?" in path else "?"

    assert client.get(f"{path}{separator}page={page}").status_code == HTTPStatus.NOT_FOUND


def test_pages_link_to_each_other(client):
    section = SectionFactory(slug="city")
    ArticleFactory.create_batch(13, section=section)

    first = text(client.get("/section/city/"))
    second = client.get("/section/city/?page=2")

    assert 'href="?page=2"' in first
    assert second.status_code == HTTPStatus.OK
    assert "Page 2 of 2" in text(second)


def test_previous_link_to_page_one_is_the_bare_address(client):
    ArticleFactory.create_batch(13, section=SectionFactory(slug="city"))

    page = parse_html(text(client.get("/section/city/?page=2")))

    assert page.count(parse_html('<a rel="prev" href="/section/city/">Previous</a>')) == 1


def test_previous_link_to_a_later_page_keeps_its_number(client):
    ArticleFactory.create_batch(25, section=SectionFactory(slug="city"))

    page = parse_html(text(client.get("/section/city/?page=3")))

    assert page.count(parse_html('<a rel="prev" href="?page=2">Previous</a>')) == 1


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/?page=2", "<title>Newsroom · Page 2</title>"),
        ("/section/city/?page=2", "<title>City · Page 2 · Newsroom</title>"),
        ("/", "<title>Newsroom</title>"),
        ("/section/city/", "<title>City · Newsroom</title>"),
    ],
)
def test_later_pages_say_their_number_in_the_title(client, path, title):
    ArticleFactory.create_batch(13, section=SectionFactory(slug="city", name="City"))

    assert title in text(client.get(path))


def test_front_page_two_heading_reads_without_a_stray_space(client):
    ArticleFactory.create_batch(13)

    page = text(client.get("/?page=2"))

    assert 'Latest stories<span class="visually-hidden">, page 2</span>' in page


# --- The front page --------------------------------------------------------------------


def test_front_page_leads_with_the_newest_story(client):
    ArticleFactory(headline="Older story", published_at=timezone.now() - timedelta(days=1))
    ArticleFactory(headline="Newest story", published_at=timezone.now() - timedelta(minutes=5))

    page = text(client.get("/"))

    lead = page[page.index('class="front-lead"') : page.index('class="front-latest"')]
    assert "Newest story" in lead
    assert "Older story" not in lead


def test_front_page_has_a_block_per_section(client):
    city, sport = (
        SectionFactory(name="City", slug="city"),
        SectionFactory(name="Sport", slug="sport"),
    )
    ArticleFactory.create_batch(14, section=city, published_at=timezone.now())  # page 1
    ArticleFactory(
        section=sport, headline="Derby ends level", published_at=timezone.now() - timedelta(days=30)
    )

    page = text(client.get("/"))

    assert 'id="section-sport"' in page
    assert "Derby ends level" in page


def test_empty_front_page_says_so(client):
    assert "No stories have been published yet." in text(client.get("/"))


def test_header_lists_the_sections(client):
    SectionFactory(name="Harbour", slug="harbour")

    page = text(client.get("/"))

    assert '<a href="/section/harbour/">Harbour</a>' in page


def test_header_marks_the_current_section(client):
    SectionFactory(name="Harbour", slug="harbour")

    page = text(client.get("/section/harbour/"))

    assert '<a href="/section/harbour/" aria-current="page">Harbour</a>' in page


def test_cached_section_list_carries_no_current_section_to_other_pages(client):
    SectionFactory(name="Harbour", slug="harbour")
    client.get("/section/harbour/")  # fills the section list's cache on a section page

    page = text(client.get("/"))

    assert '<a href="/section/harbour/">Harbour</a>' in page


def test_header_sections_are_cached_and_refreshed_when_a_section_changes(client):
    section = SectionFactory(name="Harbour", slug="harbour")
    client.get("/")
    assert cache.get(SECTION_NAV_KEY)

    section.name = "Waterfront"
    section.save()

    assert "Waterfront" in text(client.get("/", {"fresh": "1"}))  # past the page cache


def test_deleting_a_section_drops_it_from_the_header(client):
    SectionFactory(name="Harbour", slug="harbour")
    client.get("/")

    Section.objects.all().delete()

    assert "Harbour" not in text(client.get("/", {"fresh": "1"}))


def test_header_sections_cost_no_query_once_cached(client):
    # A story page: it still asks the database for the story on a fresh render.
    address = ArticleFactory().get_absolute_url()
    client.get(address)  # fills the cache

    with CaptureQueriesContext(connection) as queries:
        client.get(address, {"fresh": "1"})  # past the page cache

    assert queries.captured_queries
    assert not any('FROM "articles_section"' in query["sql"] for query in queries)


def test_pages_offer_the_feeds(client):
    page = text(client.get("/"))

    assert 'type="application/rss+xml"' in page
    assert 'href="/feed/atom/"' in page


# --- The article page ---------------------------------------------------------------------


@pytest.fixture
def story(django_capture_on_commit_callbacks):
    # Its renditions are made after the commit, which a test's transaction never reaches.
    with django_capture_on_commit_callbacks(execute=True):
        return ArticleFactory(
            headline="Harbour ferry returns",
            standfirst="The crossing runs again from Monday.",
            body="<p>The ferry is back.</p><h2>Timetable</h2><p>Every hour.</p>",
            published_at=datetime(2026, 2, 2, 9, 30, tzinfo=UTC),
            authors=[AuthorFactory(name="Ada Lee", slug="ada-lee"), AuthorFactory(name="Bo Ng")],
            tags=[TagFactory(name="Transport", slug="transport")],
            lead_image=image_file(1600, 900),
            lead_image_alt="The ferry at the pier",
            lead_image_caption="The ferry on its first crossing.",
            lead_image_credit="Jo Park",
        )


def test_article_page_shows_the_story(client, story):
    page = text(client.get(story.get_absolute_url()))

    assert '<h1 class="story__headline">Harbour ferry returns</h1>' in page
    assert "The crossing runs again from Monday." in page
    assert "<h2>Timetable</h2>" in page
    assert "1 min read" in page


def test_article_page_byline_links_authors_in_order(client, story):
    page = text(client.get(story.get_absolute_url()))

    assert page.index(">Ada Lee<") < page.index(">Bo Ng<")
    assert 'href="/author/ada-lee/"' in page


def test_article_page_shows_publication_date_as_time_element(client, story):
    page = text(client.get(story.get_absolute_url()))

    assert (
        'Published: <time datetime="2026-02-02T09:30:00+00:00">Feb 02, 2026, 09:30</time>' in page
    )
    assert "Updated:" not in page


def test_article_page_says_when_the_story_was_updated(client, story, travel_to):
    travel_to(timezone.now() + timedelta(hours=2))
    story.headline = "Harbour ferry returns on time"
    story.save()

    assert "Updated: <time" in text(client.get(story.get_absolute_url()))


def test_article_page_lead_image_has_srcset_alt_size_and_caption(client, story):
    dom = parse_html(text(client.get(story.get_absolute_url())))
    page = str(dom)

    assert 'alt="The ferry at the pier"' in page
    assert "480w" in page and "960w" in page and "1600w" in page
    assert 'width="1600"' in page and 'height="900"' in page
    assert "The ferry on its first crossing." in page
    assert "Picture: Jo Park" in page
    assert "<figcaption" in page


def test_article_page_links_section_and_tags(client, story):
    page = text(client.get(story.get_absolute_url()))

    assert f'href="{story.section.get_absolute_url()}"' in page
    assert 'href="/tag/transport/"' in page


def test_article_page_has_previous_and_next_stories(client, story):
    ArticleFactory(headline="Earlier one", published_at=story.published_at - timedelta(hours=1))
    ArticleFactory(headline="Later one", published_at=story.published_at + timedelta(hours=1))

    page = text(client.get(story.get_absolute_url()))

    assert 'rel="prev"' in page and "Earlier one" in page
    assert 'rel="next"' in page and "Later one" in page


def test_article_page_seo_and_open_graph(client, story):
    story.seo_title = "Ferry back from Monday"
    story.save()

    page = text(client.get(story.get_absolute_url()))

    assert "<title>Ferry back from Monday · Newsroom</title>" in page
    assert '<meta property="og:title" content="Ferry back from Monday">' in page
    assert 'property="og:image" content="http://testserver/' in page
    assert f'<link rel="canonical" href="http://testserver{story.get_absolute_url()}">' in page


def test_article_page_json_ld_is_a_news_article_that_cannot_break_out(client):
    story = ArticleFactory(headline="</script><script>alert(1)</script>")

    page = text(client.get(story.get_absolute_url()))

    block = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert '"@type": "NewsArticle"' in block
    assert "\\u003C/script\\u003E" in block


def test_article_page_loads_the_view_beacon_without_inline_script(client, story):
    page = text(client.get(story.get_absolute_url()))

    assert f'data-view-beacon="/api/views/{story.pk}/"' in page
    assert 'articles/view-beacon.js" defer></script>' in page
    assert "<script>" not in page
    assert "style=" not in page


# --- Lists ------------------------------------------------------------------------------


def test_section_page_lists_its_live_stories(client):
    section = SectionFactory(name="Harbour", slug="harbour", description="Boats and docks.")
    ArticleFactory(section=section, headline="Dock strike ends")
    ArticleFactory(headline="Elsewhere")

    page = text(client.get("/section/harbour/"))

    assert "<h1>Harbour</h1>" in page
    assert "Boats and docks." in page
    assert "Dock strike ends" in page
    assert "Elsewhere" not in page


def test_section_page_cards_do_not_repeat_the_section(client):
    ArticleFactory.create_batch(3, section=SectionFactory(slug="harbour"))

    page = text(client.get("/section/harbour/"))

    assert 'class="article-card__section"' not in page


def test_tag_page_cards_name_their_sections(client):
    ArticleFactory(tags=[TagFactory(slug="ferries")])

    page = text(client.get("/tag/ferries/"))

    assert 'class="article-card__section"' in page


def test_tag_page_lists_tagged_stories(client):
    tag = TagFactory(name="Housing", slug="housing")
    ArticleFactory(tags=[tag], headline="Rents rise")
    ArticleFactory(headline="Untagged")

    page = text(client.get("/tag/housing/"))

    assert "Rents rise" in page
    assert "Untagged" not in page


def test_author_page_lists_their_stories_and_bio(client):
    author = AuthorFactory(name="Ada Lee", slug="ada-lee", bio="Covers the harbour.")
    ArticleFactory(authors=[author], headline="Her story")
    ArticleFactory(headline="Not hers")

    page = text(client.get("/author/ada-lee/"))

    assert "Covers the harbour." in page
    assert "Her story" in page
    assert "Not hers" not in page


def test_year_archive_lists_the_year_and_links_its_months(client):
    ArticleFactory(headline="February story", published_at=datetime(2026, 2, 2, tzinfo=UTC))
    ArticleFactory(headline="Last year", published_at=datetime(2025, 12, 2, tzinfo=UTC))

    page = text(client.get("/2026/"))

    assert "February story" in page
    assert "Last year" not in page
    assert 'href="/2026/02/"' in page


def test_month_archive_lists_the_month(client):
    ArticleFactory(headline="February story", published_at=datetime(2026, 2, 2, tzinfo=UTC))
    ArticleFactory(headline="March story", published_at=datetime(2026, 3, 2, tzinfo=UTC))

    page = text(client.get("/2026/02/"))

    assert "February story" in page
    assert "March story" not in page


def test_month_archive_links_the_nearest_months_with_stories(client):
    for when in [datetime(2025, 11, 5), datetime(2026, 2, 2), datetime(2026, 6, 9)]:
        ArticleFactory(published_at=when.replace(tzinfo=UTC))

    page = text(client.get("/2026/02/"))

    assert 'href="/2025/11/"' in page
    assert 'href="/2026/06/"' in page


def test_month_archive_links_no_month_without_stories(client):
    ArticleFactory(published_at=datetime(2026, 2, 2, tzinfo=UTC))

    page = text(client.get("/2026/02/"))

    assert 'href="/2026/01/"' not in page
    assert 'href="/2026/03/"' not in page


def test_month_archive_neighbours_follow_the_local_calendar(client, settings):
    settings.TIME_ZONE = "America/New_York"
    # 02:00 UTC on March 1st is still February 28th in New York.
    ArticleFactory(published_at=datetime(2026, 3, 1, 2, tzinfo=UTC))
    ArticleFactory(published_at=datetime(2026, 4, 10, 12, tzinfo=UTC))

    page = text(client.get("/2026/04/"))

    assert 'href="/2026/02/"' in page


def test_article_page_links_to_its_month_archive(client):
    story = ArticleFactory(published_at=datetime(2026, 11, 3, 9, tzinfo=UTC))

    page = parse_html(text(client.get(story.get_absolute_url())))

    assert page.count(parse_html('<a href="/2026/11/">More from November 2026</a>')) == 1


def test_empty_archive_is_404(client):
    ArticleFactory(published_at=datetime(2026, 2, 2, tzinfo=UTC))

    assert client.get("/2026/03/").status_code == HTTPStatus.NOT_FOUND


# --- Preview ------------------------------------------------------------------------------


def test_preview_is_for_staff_only(client):
    story = ArticleFactory(draft=True)

    response = client.get(reverse("articles:preview", args=[story.pk]))

    assert response.status_code == HTTPStatus.FOUND
    assert "/login/" in response["Location"]


def test_staff_can_preview_a_draft_never_cached(client):
    writer = UserFactory(writer=True)
    story = ArticleFactory(draft=True, headline="Work in progress", created_by=writer)
    client.force_login(writer)

    response = client.get(reverse("articles:preview", args=[story.pk]))

    assert response.status_code == HTTPStatus.OK
    assert "Work in progress" in text(response)
    assert "no-cache" in response["Cache-Control"]
    assert "data-view-beacon" not in text(response)


def test_preview_of_a_scheduled_story_says_when_it_goes_live(client):
    story = ArticleFactory(scheduled=True)
    client.force_login(UserFactory(editor=True))

    page = text(client.get(reverse("articles:preview", args=[story.pk])))

    assert "until it goes live on" in page


def test_staff_without_story_permissions_cannot_preview(client):
    story = ArticleFactory(draft=True)
    client.force_login(UserFactory(staff=True))

    response = client.get(reverse("articles:preview", args=[story.pk]))

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_robots_txt_points_at_the_sitemaps(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"].startswith("text/plain")
    body = text(response)
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Sitemap: http://testserver/sitemap-news.xml" in body


def test_robots_txt_does_not_give_away_the_admin_address(client, settings):
    settings.ADMIN_URL = "back-office-7f3a/"

    body = text(client.get("/robots.txt"))

    assert "back-office-7f3a" not in body
