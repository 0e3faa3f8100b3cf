"""
"Most read": the stories with the most views in the last 24 hours.

Built from the hourly counts that `services.view_counts_flush()` writes
(`HourlyViewCount`), never from the cache's pending views. The list is the
same on every page that shows it (the home page, the story page's side
column), so it is rendered once into a cached fragment that lives
`MOST_READ_SECONDS`; the pages that embed it carry the `mostread` cache tag.
With no views in the window it shows the latest stories instead, and says so.
"""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article
from newsroom.pagecache import purge, tag_request

#: Stories in the list.
MOST_READ_SIZE = 5
#: The window the list ranks views in.
MOST_READ_WINDOW = datetime.timedelta(hours=24)
#: How long the rendered list is reused, in seconds.
MOST_READ_SECONDS = 300
#: The cache tag of every page that shows the list (newsroom.pagecache).
MOST_READ_TAG = "mostread"

FRAGMENT_KEY = "articles:most-read:fragment"


@dataclass(frozen=True)
class MostRead:
    """What the list shows: `stories` (Article objects with headline, slug and
    publication time loaded) and whether they are `ranked` by views (False:
    the latest stories, for want of views in the window)."""

    stories: list[Article]
    ranked: bool


def most_read(*, size: int = MOST_READ_SIZE) -> MostRead:
    """The `size` published stories with the most views in the last
    MOST_READ_WINDOW (ties: the newer first); if none has any, the latest `size`.

    One query, two when it falls back, whatever `size` is.
    """
    fields = ("headline", "slug", "published_at")
    published = Article.objects.published().only(*fields)
    stories = list(published.most_read(since=timezone.now() - MOST_READ_WINDOW)[:size])
    if stories:
        return MostRead(stories=stories, ranked=True)
    return MostRead(stories=list(published.order_by("-published_at", "-pk")[:size]), ranked=False)


def most_read_fragment(request: HttpRequest | None = None) -> SafeString:
    """The list as HTML (templates/articles/includes/most_read.html), from the
    cache when it was rendered within MOST_READ_SECONDS.

    With `request`, the page that shows it is tagged MOST_READ_TAG, so a
    `most_read_forget` (a story in the list edited, unpublished or deleted)
    purges it. The page is not capped at the list's own lifetime: that would
    cut the busiest pages' cache life and their stale-while-revalidate to a few
    seconds; a cached page's list is at most PAGE_CACHE_SECONDS older.
    """
    cached = cache.get(FRAGMENT_KEY)
    if cached is None:
        found = most_read()
        cached = {
            "html": str(render_to_string("articles/includes/most_read.html", {"most_read": found})),
            "story_ids": [story.pk for story in found.stories],
        }
        cache.set(FRAGMENT_KEY, cached, MOST_READ_SECONDS)
    if request is not None:
        tag_request(request, [MOST_READ_TAG])
    return mark_safe(cached["html"])  # noqa: S308 - rendered by our own template


def most_read_forget(*, article_id: int | None = None) -> bool:
    """Drop the cached list, if `article_id` is in it (or whatever it holds, for
    None): the next page renders it afresh. True if it was dropped."""
    cached = cache.get(FRAGMENT_KEY)
    if cached is None or (article_id is not None and article_id not in cached["story_ids"]):
        return False
    cache.delete(FRAGMENT_KEY)
    purge([MOST_READ_TAG])  # the cached pages that show it
    return True


def most_read_story_changed(sender, instance: Article, **kwargs) -> None:
    """Receiver (post_save, post_delete of Article): a story in the cached list
    was edited, unpublished or deleted, so the list is rendered afresh, after
    the commit (a page rendered before it would cache the old list again)."""
    article_id = instance.pk  # deletion sets it to None before the commit
    transaction.on_commit(lambda: most_read_forget(article_id=article_id))
