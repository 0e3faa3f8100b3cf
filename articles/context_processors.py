"""What every page needs from the stories app beyond its own view's context."""

import datetime

from django.http import HttpRequest
from django.utils import timezone

from articles.models import Article
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


def page_cache_until(request: HttpRequest) -> dict:
    """No page is cached past the next scheduled publication (issue 12.7): the
    lists, the story pages' related and next links, in every cache layer."""
    if may_be_cached(request):
        cache_until(request, next_publication())
    return {}
