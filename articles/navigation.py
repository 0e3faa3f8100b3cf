"""
The sections in the site header, kept in the cache.

The header is on every page, so listing the sections must not cost a query per
request. The list is cached until a section is saved or deleted (see
`articles.receivers.section_changed`, connected to those signals:
signals, not `Section.save()`, because the admin's bulk delete never calls
`Model.delete()`).
"""

from django.core.cache import cache
from django.db import DatabaseError

from articles.models import Section

SECTION_NAV_KEY = "articles:section-nav:2"  # 2: items carry the pk


def section_nav() -> list[dict[str, str]]:
    """[{"pk": ..., "name": ..., "url": ..., "slug": ...}] for every section, in section order."""
    items = cache.get(SECTION_NAV_KEY)
    if items is None:
        try:
            items = [
                {
                    "pk": section.pk,
                    "name": section.name,
                    "url": section.get_absolute_url(),
                    "slug": section.slug,
                }
                for section in Section.objects.only("name", "slug")
            ]
        except DatabaseError:
            # The header must still render (the error pages use it) when the
            # database is down; do not remember the empty list.
            return []
        cache.set(SECTION_NAV_KEY, items, None)
    return items


def section_nav_forget(**kwargs) -> None:
    cache.delete(SECTION_NAV_KEY)
