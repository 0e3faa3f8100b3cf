"""
"Most read": the stories with the most views in the last 24 hours, from the
hourly counts the flush writes, on the home page and beside the story; the
latest stories when nobody has read anything.
"""

import datetime
import re

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import services
from articles.models import Article, HourlyViewCount
from articles.most_read import (
    FRAGMENT_KEY,
    MOST_READ_SIZE,
    MOST_READ_TAG,
    most_read,
    most_read_fragment,
)
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# Half past noon tomorrow (UTC): after every story the factories publish.
NOON = datetime.datetime.now(datetime.UTC).replace(
    hour=12, minute=30, second=0, microsecond=0
) + datetime.timedelta(days=1)
THIS_HOUR = NOON.replace(minute=0)


def read(story, views: int, *, hours_ago: int = 0) -> None:
    """`views` views of `story` filed `hours_ago` hours before this one."""
    HourlyViewCount.objects.create(
        article=story, hour=THIS_HOUR - datetime.timedelta(hours=hours_ago), views=views
    )


def headlines_in(html: str) -> list[str]:
    return re.findall(r'class="most-read__link" href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def at_noon(travel_to):
    travel_to(NOON)


def test_most_read_orders_stories_by_views_in_the_window(at_noon):
    quiet, busy, middling = (
        ArticleFactory(headline=name) for name in ["Quiet", "Busy", "Middling"]
    )
    read(quiet, 3)
    read(busy, 40, hours_ago=5)
    read(busy, 2)
    read(middling, 20, hours_ago=23)

    found = most_read()

    assert found.ranked
    assert [story.headline for story in found.stories] == ["Busy", "Middling", "Quiet"]


def test_views_older_than_24_hours_do_not_count(at_noon):
    yesterdays_hit, todays = ArticleFactory(headline="Old hit"), ArticleFactory(headline="Today")
    read(yesterdays_hit, 500, hours_ago=24)  # the hour from 12:00 yesterday: outside
    read(yesterdays_hit, 1, hours_ago=23)  # 13:00 yesterday: inside
    read(todays, 2)

    assert [story.headline for story in most_read().stories] == ["Today", "Old hit"]


def test_the_window_moves_with_the_clock(travel_to):
    story = ArticleFactory()
    read(story, 5)
    travel_to(NOON + datetime.timedelta(hours=23))
    assert most_read().ranked

    travel_to(NOON + datetime.timedelta(hours=24, minutes=30))  # its hour is now 25 hours old
    assert not most_read().ranked


def test_ties_go_to_the_newer_story(at_noon):
    older = ArticleFactory(headline="Older", published_at=NOON - datetime.timedelta(days=2))
    newer = ArticleFactory(headline="Newer", published_at=NOON - datetime.timedelta(days=1))
    read(older, 4)
    read(newer, 4)

    assert [story.headline for story in most_read().stories] == ["Newer", "Older"]


def test_only_published_stories_are_listed(at_noon):
    live, draft = ArticleFactory(headline="Live"), ArticleFactory(headline="Draft", draft=True)
    scheduled = ArticleFactory(headline="Later", published_at=NOON + datetime.timedelta(hours=1))
    read(live, 1)
    read(draft, 100)
    read(scheduled, 100)

    assert [story.headline for story in most_read().stories] == ["Live"]


def test_list_holds_at_most_the_top_stories(at_noon):
    for n in range(MOST_READ_SIZE + 3):
        read(ArticleFactory(headline=f"Story {n}"), n + 1)

    headlines = [story.headline for story in most_read().stories]

    assert len(headlines) == MOST_READ_SIZE
    assert headlines[0] == f"Story {MOST_READ_SIZE + 2}"


def test_with_no_views_it_falls_back_to_the_latest_stories(at_noon):
    for days in [3, 1, 2]:
        ArticleFactory(
            headline=f"{days} days old", published_at=NOON - datetime.timedelta(days=days)
        )

    found = most_read()

    assert not found.ranked
    assert [story.headline for story in found.stories] == ["1 days old", "2 days old", "3 days old"]


def test_fallback_says_these_are_the_latest_stories(at_noon):
    ArticleFactory(headline="Fresh")

    html = most_read_fragment()

    assert headlines_in(html) == ["Fresh"]
    assert "No reading figures for the last 24 hours yet" in html


def test_flushed_views_reach_the_list(at_noon):
    """End to end: counted by the beacon's service, flushed, ranked."""
    first, second = ArticleFactory(headline="First"), ArticleFactory(headline="Second")
    for _ in range(3):
        services.view_record(article_id=second.pk)
    services.view_record(article_id=first.pk)
    services.view_counts_flush()

    assert [story.headline for story in most_read().stories] == ["Second", "First"]


@pytest.mark.parametrize("stories", [1, MOST_READ_SIZE * 3])
def test_list_costs_one_query_however_many_stories(at_noon, stories, django_assert_num_queries):
    for n in range(stories):
        story = ArticleFactory()
        read(story, n + 1)
        read(story, 1, hours_ago=3)

    with django_assert_num_queries(1):
        html = most_read_fragment()

    assert len(headlines_in(html)) == min(stories, MOST_READ_SIZE)


@pytest.mark.parametrize("stories", [1, MOST_READ_SIZE * 3])
def test_fallback_costs_two_queries_however_many_stories(
    at_noon, stories, django_assert_num_queries
):
    ArticleFactory.create_batch(stories)

    with django_assert_num_queries(2):
        most_read_fragment()


def test_rendered_list_is_reused_without_queries(at_noon):
    read(ArticleFactory(headline="Read"), 2)
    most_read_fragment()

    with CaptureQueriesContext(connection) as queries:
        html = most_read_fragment()

    assert len(queries) == 0
    assert headlines_in(html) == ["Read"]
    assert cache.get(FRAGMENT_KEY) is not None


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda story: setattr(story, "status", "draft") or story.save(), id="unpublished"
        ),
        pytest.param(
            lambda story: setattr(story, "headline", "Renamed") or story.save(), id="edited"
        ),
        pytest.param(lambda story: story.delete(), id="deleted"),
    ],
)
def test_a_change_to_a_listed_story_renders_the_list_afresh(
    at_noon, change, django_capture_on_commit_callbacks
):
    listed, other = ArticleFactory(headline="Listed"), ArticleFactory(headline="Other")
    read(listed, 5)
    read(other, 1)
    most_read_fragment()

    with django_capture_on_commit_callbacks(execute=True):
        change(listed)

    assert "Listed" not in headlines_in(most_read_fragment())


def test_a_change_to_a_story_not_in_the_list_keeps_it(at_noon, django_capture_on_commit_callbacks):
    listed, unlisted = ArticleFactory(headline="Listed"), ArticleFactory(headline="Unlisted")
    read(listed, 5)
    most_read_fragment()

    with django_capture_on_commit_callbacks(execute=True):
        unlisted.headline = "Still unlisted"
        unlisted.save()

    assert cache.get(FRAGMENT_KEY) is not None


# --- On the pages ------------------------------------------------------------------------


def test_home_page_shows_most_read(client, at_noon):
    read(ArticleFactory(headline="Ferry returns"), 9)
    ArticleFactory(headline="Quiet story")

    page = client.get("/").content.decode()

    assert 'class="most-read__heading">Most read</h2>' in page
    assert headlines_in(page) == ["Ferry returns"]


def test_story_page_shows_most_read_in_the_column_beside_the_story(client, at_noon):
    story = ArticleFactory(headline="Harbour plan")
    read(ArticleFactory(headline="Ferry returns"), 9)

    page = client.get(story.get_absolute_url()).content.decode()

    columns = page[page.index('<div class="story-columns">') :]
    assert columns.index('<article class="story"') < columns.index('class="most-read"')
    assert headlines_in(columns) == ["Ferry returns"]


@pytest.mark.parametrize("path", ["/", "story"])
def test_pages_with_most_read_cost_the_same_for_few_or_many_rows(
    client, at_noon, path, django_assert_max_num_queries
):
    """The page's queries with a cold list do not grow with the rows it shows."""
    story = ArticleFactory()
    counts = {}
    for rows in [1, MOST_READ_SIZE]:
        HourlyViewCount.objects.all().delete()
        for n in range(rows):
            read(ArticleFactory(), n + 1)
        for store in caches.all():  # cold: the pages' fragments too
            store.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/" if path == "/" else story.get_absolute_url())
        assert len(headlines_in(response.content.decode())) == rows
        counts[rows] = len(queries)

    assert counts[1] == counts[MOST_READ_SIZE]


# --- In the page cache --------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "story"])
def test_pages_with_most_read_carry_its_tag_and_keep_their_full_lifetime(client, page_cache, path):
    """Tagged, so a change to the list purges them; not capped at the list's
    five minutes, which would cost the busiest pages their cache life and
    their stale-while-revalidate window."""
    page_cache.PAGE_CACHE_SECONDS = 3600
    story = ArticleFactory()
    ArticleFactory()  # the story page's list shows the others

    response = client.get("/" if path == "/" else story.get_absolute_url())

    assert MOST_READ_TAG in response["xkey"].split()
    shared = next(d.strip() for d in response["Cache-Control"].split(",") if "s-maxage=" in d)
    assert int(shared.removeprefix("s-maxage=")) > 3500
    assert "stale-while-revalidate=0" not in response["Cache-Control"]


def test_unpublishing_a_listed_story_purges_the_cached_pages_that_list_it(
    client, page_cache, at_noon, django_capture_on_commit_callbacks
):
    """The story page of *another* story lists it in its column: that page
    carries no tag of the listed story, only the list's."""
    listed = ArticleFactory(headline="Listed story")
    ArticleFactory.create_batch(2)  # between them: not its previous or next story
    other = ArticleFactory(headline="Other")
    read(listed, 5)
    assert "Listed story" in client.get(other.get_absolute_url()).content.decode()
    Article.objects.filter(pk=other.pk).update(headline="Quietly changed")  # no purge
    assert "Quietly changed" not in client.get(other.get_absolute_url()).content.decode()  # cached

    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(article=listed)

    assert "Listed story" not in client.get(other.get_absolute_url()).content.decode()
