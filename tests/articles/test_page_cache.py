"""A change readers would notice reaches them at once, not when the cached page expires."""

import datetime
import time
import types
from http import HTTPStatus

import pytest
from django.core.cache import caches
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, Section, Tag
from newsroom import pagecache
from newsroom.pagecache import purges_wait
from tests.articles.factories import ArticleFactory, AuthorFactory, TagFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(page_cache):
    return page_cache


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run what the code under test leaves for after the commit (the test's own
    transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def reader_sees(path: str) -> Client:
    """A reader without cookies: the page cache serves them."""
    return Client().get(path)


def test_an_anonymous_page_is_cached_to_begin_with():
    story = ArticleFactory(headline="Before")
    reader_sees(story.get_absolute_url())
    Article.objects.filter(pk=story.pk).update(headline="After")  # no save(): cache untouched

    assert "Before" in reader_sees(story.get_absolute_url()).content.decode()


def test_unpublishing_in_the_admin_takes_the_cached_page_down_at_once(client, after_commit):
    story = ArticleFactory()
    assert reader_sees(story.get_absolute_url()).status_code == HTTPStatus.OK
    client.force_login(UserFactory(editor=True))

    with after_commit():
        client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "unpublish", "_selected_action": [story.pk]},
        )

    assert reader_sees(story.get_absolute_url()).status_code == HTTPStatus.GONE


def test_editing_a_live_story_reaches_readers_at_once(after_commit):
    story = ArticleFactory(headline="Ferry delayed")
    reader_sees(story.get_absolute_url())

    with after_commit():
        story.headline = "Ferry cancelled"
        story.save()

    assert "Ferry cancelled" in reader_sees(story.get_absolute_url()).content.decode()


def test_deleting_a_live_story_takes_its_cached_page_down(after_commit):
    story = ArticleFactory()
    address = story.get_absolute_url()
    reader_sees(address)

    with after_commit():
        Article.objects.filter(pk=story.pk).delete()

    assert reader_sees(address).status_code == HTTPStatus.GONE


def test_saving_a_draft_leaves_the_cached_pages_alone(after_commit):
    live = ArticleFactory(headline="Before")
    draft = ArticleFactory(draft=True)
    reader_sees(live.get_absolute_url())
    Article.objects.filter(pk=live.pk).update(headline="After")

    with after_commit():
        draft.headline = "Still a draft"
        draft.save()

    assert "Before" in reader_sees(live.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("model", "make"),
    [
        (Section, lambda story: story.section),
        (Tag, lambda story: story.tags.get()),
        (Author, lambda story: story.bylines.get().author),
    ],
    ids=["section", "tag", "author"],
)
def test_renaming_what_a_story_shows_reaches_readers_at_once(after_commit, model, make):
    story = ArticleFactory(tags=[TagFactory()], authors=[AuthorFactory()])
    reader_sees(story.get_absolute_url())
    thing = make(story)

    with after_commit():
        thing.name = "Renamed at once"
        thing.save()

    assert "Renamed at once" in reader_sees(story.get_absolute_url()).content.decode()


def test_deleting_a_tag_reaches_readers_at_once(after_commit):
    tag = TagFactory(name="Gone soon")
    story = ArticleFactory(tags=[tag])
    reader_sees(story.get_absolute_url())

    with after_commit():
        Tag.objects.filter(pk=tag.pk).delete()

    assert "Gone soon" not in reader_sees(story.get_absolute_url()).content.decode()


def test_a_page_a_worker_kept_is_not_served_once_the_shared_cache_is_lost(after_commit):
    story = ArticleFactory(headline="Before the restart")
    address = story.get_absolute_url()
    with after_commit():
        pagecache.purge(["banner"])  # the purge sequence has moved once
    reader_sees(address)
    assert "Before the restart" in reader_sees(address).content.decode()  # this worker's copy

    # Redis restarts without its data, the purge sequence with it; then the
    # story is edited, and its purge counts up again from the start.
    for alias in ("default", "pages"):
        caches[alias].clear()
    Article.objects.filter(pk=story.pk).update(headline="After the restart")
    with after_commit():
        pagecache.purge([f"story-{story.pk}"])

    assert "After the restart" in reader_sees(address).content.decode()


# --- On time (issue 12.7) ----------------------------------------------------------


def shared_seconds(response) -> int:
    """The s-maxage a shared cache is given."""
    directive = next(d.strip() for d in response["Cache-Control"].split(",") if "s-maxage=" in d)
    return int(directive.split("=")[1])


#: Every address that lists stories, filled in from a live story.
LIST_ADDRESSES = [
    "/",
    "/feed/",
    "/feed/atom/",
    "/feed.json",
    "/sitemap.xml",
    "/sitemap-news.xml",
    "/sitemap-stories-{published:%Y-%m}.xml",
    "/section/{section}/",
    "/section/{section}/feed/",
    "/section/{section}/feed/atom/",
    "/tag/{tag}/",
    "/tag/{tag}/feed/",
    "/author/{author}/",
    "/author/{author}/feed/atom/",
    "/{published:%Y}/",
    "/{published:%Y/%m}/",
    "/archive/",
    "/search/?q=harbour",
    "/corrections/",
    "/corrections/feed/",
    "/corrections/feed/atom/",
]


@pytest.mark.parametrize("address", LIST_ADDRESSES)
def test_lists_are_not_cached_past_the_next_scheduled_publication(settings, address):
    settings.PAGE_CACHE_SECONDS = 3600
    tag, author = TagFactory(), AuthorFactory()
    live = ArticleFactory(headline="Harbour news", tags=[tag], authors=[author])
    ArticleFactory(
        section=live.section,
        tags=[tag],
        authors=[author],
        published_at=timezone.now() + datetime.timedelta(minutes=10),
    )
    address = address.format(
        published=timezone.localtime(live.published_at),
        section=live.section.slug,
        tag=tag.slug,
        author=author.slug,
    )

    response = Client().get(address)

    assert response.status_code == HTTPStatus.OK
    assert shared_seconds(response) <= 600
    assert "stale-while-revalidate=0" in response["Cache-Control"]


def test_without_a_scheduled_story_lists_keep_the_full_lifetime(settings):
    settings.PAGE_CACHE_SECONDS = 3600
    ArticleFactory()

    assert shared_seconds(Client().get("/")) > 3500


# --- No stampede (issue 14.5) ------------------------------------------------------


@pytest.fixture
def page_cache_clock(monkeypatch):
    """`page_cache_clock(seconds)` moves the page cache's clock (`time.time`
    in newsroom.pagecache) that many seconds on: the pages it holds, in the
    shared cache and in this worker's memory, grow older together."""
    offset = 0.0
    real = time.time

    def move_on(seconds: float) -> None:
        nonlocal offset
        offset += seconds

    clock = types.SimpleNamespace(
        time=lambda: real() + offset, monotonic=time.monotonic, sleep=time.sleep
    )
    monkeypatch.setattr(pagecache, "time", clock)
    return move_on


def test_while_one_worker_renders_an_expired_page_the_others_serve_the_stale_copy(
    page_cache_clock,
):
    story = ArticleFactory(view_count=41)
    address = story.get_absolute_url()
    Client().get(address)  # kept in the shared cache and in this worker's memory
    key = pagecache.page_key(address)
    # The pending views are flushed: the page changes without a purge.
    Article.objects.filter(pk=story.pk).update(view_count=F("view_count") + 1_000)
    page_cache_clock(61)  # expired (PAGE_CACHE_SECONDS=60), within the stale window

    # Another worker holds the render lock for this page:
    assert caches["default"].add(pagecache.LOCK_KEY.format(key), 1, 30)
    while_rendering = Client().get(address)
    caches["default"].delete(pagecache.LOCK_KEY.format(key))
    after = Client().get(address)

    assert "data-view-count>41<" in while_rendering.content.decode()
    assert shared_seconds(while_rendering) == 0
    assert "data-view-count>1,041<" in after.content.decode()


def test_the_worker_that_takes_the_lock_renders_the_expired_page(page_cache_clock):
    story = ArticleFactory(view_count=41)
    address = story.get_absolute_url()
    Client().get(address)
    Article.objects.filter(pk=story.pk).update(view_count=F("view_count") + 1_000)
    page_cache_clock(61)

    assert "data-view-count>1,041<" in Client().get(address).content.decode()


# --- Exactly the affected tags reach the front cache ------------------------------


def purged_tags(front_cache) -> set[str]:
    assert purges_wait(5)
    return {tag for _, _, header in front_cache for tag in header.split()}


def test_publishing_purges_the_story_its_lists_and_neighbours_only(front_cache, after_commit):
    far_older = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=30))
    neighbour = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=1))
    tag = TagFactory()
    story = ArticleFactory(draft=True, tags=[tag])

    with after_commit():
        story.status = Article.Status.PUBLISHED
        story.save()

    tags = purged_tags(front_cache)
    assert {
        f"story-{story.pk}",
        "lists",
        "home",
        "feeds",
        "sitemaps",
        f"section-{story.section_id}",
        f"tag-{tag.pk}",
        f"story-{neighbour.pk}",  # its "next story" link changes
    } <= tags
    assert f"story-{far_older.pk}" not in tags
    assert f"section-{far_older.section_id}" not in tags
    assert "site" not in tags


def test_editing_a_live_story_in_place_purges_only_what_shows_it(front_cache, after_commit):
    story = ArticleFactory()

    with after_commit():
        story.headline = "Ferry cancelled"
        story.save()

    assert purged_tags(front_cache) == {f"story-{story.pk}", "feeds", "sitemaps"}


def test_unpublishing_purges_the_story_and_the_lists(front_cache, after_commit):
    story = ArticleFactory()

    with after_commit():
        story.status = Article.Status.DRAFT
        story.save()

    assert {f"story-{story.pk}", "lists", f"section-{story.section_id}"} <= purged_tags(front_cache)


def test_saving_a_draft_purges_nothing(front_cache, after_commit):
    story = ArticleFactory(draft=True)

    with after_commit():
        story.headline = "Still a draft"
        story.save()

    assert purged_tags(front_cache) == set()


def test_a_list_page_carries_the_tags_of_the_stories_it_shows():
    tag = TagFactory()
    story = ArticleFactory(tags=[tag])

    page = Client().get(reverse("articles:tag", kwargs={"slug": tag.slug}))
    home = Client().get("/")

    assert {f"story-{story.pk}", f"tag-{tag.pk}", "lists", "site"} <= set(page["xkey"].split())
    assert {f"story-{story.pk}", "home", "lists"} <= set(home["xkey"].split())
