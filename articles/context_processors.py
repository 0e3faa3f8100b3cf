"""What every page needs from the stories app beyond its own view's context:
the cap set by the next scheduled publication, and the breaking-news banner."""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from articles.models import Article, Banner, banner_link_is_safe
from newsroom.pagecache import cache_until, fragment, may_be_cached


def next_publication() -> datetime.datetime | None:
    """When the next scheduled story goes live, or None; shared by every worker
    and forgotten when a story is published, scheduled or unpublished (the
    `lists` tag) or when that time has passed."""
    return fragment(
        "next-publication",
        tags=["lists"],
        build=Article.objects.next_publication_at,
        still_good=lambda when: when is None or when > timezone.now(),
    )


def listing_fragment(
    name: str,
    build: Callable[[], Any],
    *,
    tags_of: Callable[[Any], Iterable[str]] | None = None,
    until_of: Callable[[Any], datetime.datetime | None] | None = None,
) -> Any:
    """`build()`'s value shared by every worker (`newsroom.pagecache.fragment`)
    until a story is published, moved or unpublished (the `lists` tag) or the
    next scheduled story goes live: for what is derived from every live story
    and costs too much to work out on each request (the archive's counts, the
    months in the sitemap index, the front page's section blocks, the rendered
    front page and story pages). `tags_of` names the tags of what the value
    shows (its stories), from the value; `until_of` a time (aware datetime, or
    None) past which the value is stale for a reason of its own (a correction
    note due later)."""
    now = timezone.now()

    def build_with_until() -> dict:
        # Read before building: a build that runs past a story's time reads
        # the lists as they were, and must not be kept past that time.
        until = next_publication()
        value = build()
        own = until_of(value) if until_of is not None else None
        if own is not None and (until is None or own < until):
            until = own
        return {"until": until, "value": value}

    stored = fragment(
        name,
        tags=["lists"],
        build=build_with_until,
        still_good=lambda stored: stored["until"] is None or stored["until"] > now,
        tags_of=None if tags_of is None else lambda stored: tags_of(stored["value"]),
    )
    return stored["value"]


def page_cache_until(request: HttpRequest) -> dict:
    """No page is cached past the next scheduled publication (issue 12.7): the
    lists, the story pages' related and next links, in every cache layer."""
    if may_be_cached(request):
        cache_until(request, next_publication())
    return {}


BANNER_KEY = "articles:banner"
#: Stored when no banner is current (None would read as "not cached").
NO_BANNER = {}


def banner_current() -> dict:
    """The current breaking-news banner as {"text", "url", "expires_at"}, or {}.

    Read through the cache (no query on a normal request), kept until the
    banner expires; saving or deleting a banner forgets it (`banner_forget`).
    """
    current = cache.get(BANNER_KEY)
    if current is not None and (not current or current["expires_at"] > timezone.now()):
        return current

    try:
        found = Banner.objects.current().first()
    except DatabaseError:
        return NO_BANNER  # the error pages still render; remember nothing
    if found is None:
        cache.set(BANNER_KEY, NO_BANNER, None)
        return NO_BANNER
    current = {
        "text": found.text,
        # A link stored by code, past the form's check, is left out rather than shown.
        "url": found.url if banner_link_is_safe(found.url) else "",
        "expires_at": found.expires_at,
    }
    seconds = (found.expires_at - timezone.now()).total_seconds()
    cache.set(BANNER_KEY, current, max(1, int(seconds) + 1))
    return current


def banner_forget(**kwargs) -> None:
    cache.delete(BANNER_KEY)


def banner(request: HttpRequest) -> dict:
    """`banner`: the current breaking-news banner ({} when there is none).

    A page that shows it may be cached only until it expires, so it disappears
    on time from every cached copy (ours and the front cache). When none is
    current there is nothing to wait for: saving a banner purges every page.
    """

    def shown() -> dict:
        current = banner_current()
        if current:
            cache_until(request, current["expires_at"])
        return current

    # Lazy: read only by pages that show it (the admin's never do).
    return {"banner": SimpleLazyObject(shown)}
