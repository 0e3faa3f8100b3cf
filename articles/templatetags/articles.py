"""Template tags other templates may use: `{% load articles %}`."""

from django import template
from django.core.cache import cache
from django.db import DatabaseError

from articles.models import Article
from articles.navigation import section_nav

register = template.Library()


@register.inclusion_tag("articles/includes/section_nav.html", takes_context=True)
def section_nav_items(context):
    """`<li>` links to the sections, for the header's navigation list.

    The 500 page is rendered without a request (and perhaps without a database),
    so it gets no section links.
    """
    if context.get("request") is None:
        return {"sections": []}
    return {"sections": section_nav(), "request": context["request"]}


#: The 404 page's latest stories are kept this long (the page must stay cheap).
LATEST_STORIES_KEY = "articles:latest-stories"
LATEST_STORIES_SECONDS = 300


@register.inclusion_tag("articles/includes/latest_stories.html", takes_context=True)
def latest_stories(context, count: int = 5):
    """The `count` newest stories as links, for pages that are not about stories (the 404).

    Cached for LATEST_STORIES_SECONDS: a stream of bad addresses costs at most
    one query per cache period. Empty when the database is down (the 500
    page must still render) or without a request.
    """
    if context.get("request") is None:
        return {"stories": []}
    key = f"{LATEST_STORIES_KEY}:{count}"
    stories = cache.get(key)
    if stories is None:
        newest = Article.objects.published().only("headline", "slug", "published_at")
        try:
            stories = [
                {
                    "headline": story.headline,
                    "url": story.get_absolute_url(),
                    "published_at": story.published_at,
                }
                for story in newest[:count]
            ]
        except DatabaseError:
            return {"stories": []}
        cache.set(key, stories, LATEST_STORIES_SECONDS)
    return {"stories": stories}
