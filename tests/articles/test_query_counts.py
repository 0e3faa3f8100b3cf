"""Every public page costs the same, small number of queries for 5 stories or 50."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from articles.models import Article
from tests.articles.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_site_caches")]

#: Queries per page for an anonymous reader (no session, no user queries),
#: with the site-wide caches warm (see `warm_site_caches`). Home and story pages
#: show "Most read", whose cached fragment is cold here: + 2 queries (nobody has
#: read anything in these tests, so the ranking finds none and the latest
#: stories are read instead).
BUDGETS = {
    # + the editors' lead and top stories, one query. Cold: the section blocks
    # and the front page's parts are built, with the next scheduled story (how
    # long they may be kept); warm, see test_front_page_keeps_its_parts.
    "home": 10,
    # The story (its id and view count), then its parts are built: the story
    # with section, bylines and tags, its correction notes, related stories
    # and their bylines, previous and next, the next scheduled story. Warm,
    # see test_a_fresh_story_page_asks_one_query.
    "article": 13,
    "section": 5,
    "tag": 5,
    "author": 5,
    "year": 5,
    "month": 5,  # + the neighbouring months with stories, one aggregate
    "search": 5,  # + the tags of the results, for matching topic pages
    "feed": 3,
    "feed_atom": 3,
    # The index: the next scheduled story (how long its months are kept), the
    # first and last story, then each month's first and last id, in one query.
    "sitemap": 4,
    "sitemap_pages": 10,  # sections, tags, authors (count + list each), years (3)
    "sitemap_stories": 2,
    "sitemap_news": 2,
}


@pytest.fixture(params=[5, 50], ids=["5 stories", "50 stories"])
def newsroom(request):
    sections = [SectionFactory(slug=f"desk-{n}") for n in range(4)]
    tags = [TagFactory(slug=f"topic-{n}") for n in range(3)]
    authors = [AuthorFactory(slug=f"writer-{n}") for n in range(3)]
    now = timezone.now()
    for n in range(request.param):
        ArticleFactory(
            headline=f"Ferry story number {n}",
            section=sections[n % 4],
            tags=tags[: 1 + n % 3],
            authors=authors[: 1 + n % 2],
            published_at=now - timedelta(hours=n + 1),
        )
    ArticleFactory(draft=True, section=sections[0])
    return Article.objects.published().first()


def paths(article):
    year = f"{article.published_at:%Y}"
    month = f"{article.published_at:%m}"
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "section": "/section/desk-0/",
        "tag": "/tag/topic-0/",
        "author": "/author/writer-0/",
        "year": f"/{year}/",
        "month": f"/{year}/{month}/",
        "search": "/search/?q=ferry",
        "feed": "/feed/",
        "feed_atom": "/feed/atom/",
        "sitemap": "/sitemap.xml",
        "sitemap_pages": "/sitemap-pages.xml",
        "sitemap_stories": f"/sitemap-stories-{year}-{month}.xml",
        "sitemap_news": "/sitemap-news.xml",
    }


@pytest.mark.parametrize("page", list(BUDGETS))
def test_page_queries_are_constant(client, newsroom, page, django_assert_max_num_queries):
    path = paths(newsroom)[page]

    with django_assert_max_num_queries(BUDGETS[page]):
        response = client.get(path)

    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("stories", [13, 50])
def test_later_front_pages_cost_the_same(client, stories, django_assert_max_num_queries):
    ArticleFactory.create_batch(stories)

    # Their count, the page's stories and bylines, the next scheduled story
    # (how long the page's parts may be kept), the header's sections.
    with django_assert_max_num_queries(5):
        response = client.get("/?page=2")

    assert response.status_code == HTTPStatus.OK


def test_front_page_keeps_its_parts(client, newsroom, django_assert_num_queries):
    first = client.get("/").content.decode()

    # The stories, the section blocks and most read are all kept.
    with django_assert_num_queries(0):
        again = client.get("/", {"fresh": "1"}).content.decode()

    # With 5 stories every one is above the blocks, which are then empty.
    blocks = 4 if Article.objects.published().count() > 12 else 0
    assert again.count('class="section-block"') == blocks
    assert again == first


def test_a_fresh_story_page_asks_one_query(client, newsroom, django_assert_num_queries):
    address = newsroom.get_absolute_url()
    first = client.get(address).content.decode()

    # The story's id and view count; its parts and most read are kept.
    with django_assert_num_queries(1):
        again = client.get(address).content.decode()

    assert again == first
    assert newsroom.headline in again


def test_a_story_edited_in_a_section_block_shows_at_once(
    client, django_capture_on_commit_callbacks
):
    section = SectionFactory(slug="city")
    now = timezone.now()
    stories = [
        ArticleFactory(section=section, published_at=now - timedelta(hours=n + 1))
        for n in range(16)
    ]
    in_block = stories[-1]  # older than the front page's twelve: in the City block
    client.get("/")

    with django_capture_on_commit_callbacks(execute=True):
        in_block.headline = "Ferry timetable corrected"
        in_block.save()  # an edit in place: purges the story's tag, not the lists

    assert "Ferry timetable corrected" in client.get("/").content.decode()
