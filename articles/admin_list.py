"""
The story list in the admin, at a million stories.

Django's change list counts every row twice per page load (the filtered list
and the whole table), pages with OFFSET to any depth, and its date drill-down
runs DISTINCT over a truncated date of every story. Here:

* `StoryPaginator` counts at most ADMIN_MAX_PAGES pages (with
  `show_full_result_count = False` on the admin, no second count); narrower
  lists come from the filters, the search and the date drill-down.
* `StoryChangeList` reads the page number (`p`) strictly, and the drill-down
  (`published_at__year/month/day`) as every admin's does
  (`newsroom.admin.DateDrillDownCheckedChangeList`, which links Django ticket
  37357): a date outside the calendar, or a number in any spelling but the
  canonical one, is an error message (the admin's `?e=1`), never a 500.
* `date_hierarchy_choices` finds which years (or months) have stories with one
  EXISTS per period in one query, each an index seek, and the first and last
  years with two seeks: no DISTINCT over every row.
"""

import datetime

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import PAGE_VAR
from django.db.models import Exists, QuerySet, Subquery
from django.utils import timezone

from newsroom.admin import DateDrillDownCheckedChangeList
from newsroom.dates import DateOutOfRange, month_range, year_range
from newsroom.pagination import BoundedPaginator, canonical_number

#: How deep the story list pages: 100 pages of 100 stories.
ADMIN_MAX_PAGES = 100
DATE_FIELD = "published_at"


class StoryPaginator(BoundedPaginator):
    """The admin's paginator signature, counting at most ADMIN_MAX_PAGES pages,
    and reading a page's stories by their ids.

    The page's ids come first, from a subquery that walks a covering index
    (`(published_at, id)`, or the status or section keyset index when the
    list is filtered), its OFFSET included; then the hundred rows by primary
    key. Asked for whole rows in one go, SQLite (with the statistics PRAGMA
    optimize samples) read and sorted the whole table: 570 ms for the first
    page at a million stories, against 1 ms this way.
    """

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True):
        super().__init__(
            object_list,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            max_pages=ADMIN_MAX_PAGES,
        )

    def page(self, number):
        page = super().page(number)
        if isinstance(page.object_list, QuerySet):
            ids = page.object_list.values("pk")
            page.object_list = self.object_list.filter(pk__in=ids)
        return page


class StoryChangeList(DateDrillDownCheckedChangeList):
    """The checked drill-down's ChangeList with the page number checked first (see module)."""

    def __init__(self, request, *args, **kwargs):
        raw_page = request.GET.get(PAGE_VAR)
        self.bad_page = raw_page is not None and canonical_number(raw_page) is None
        super().__init__(request, *args, **kwargs)

    def apply_select_related(self, qs):
        # The section by a second query, not a join. Joined, SQLite may take
        # the few sections as the outer loop and sort every story of each
        # (1 s at a million stories, with the statistics PRAGMA optimize
        # samples) instead of walking the keyset index to the page.
        return qs.prefetch_related("section")

    def get_results(self, request):
        if self.bad_page:
            # Django reads ?p= with int(), so "٢", "+2" and "0_2" were page 2.
            raise IncorrectLookupParameters("Not a page number.")
        super().get_results(request)


def _periods_with_stories(queryset, periods: dict[str, tuple]) -> set[str]:
    """Which of `periods` ({name: (start, end)}) hold a row of `queryset`: one query."""
    if not periods:
        return set()
    rows = queryset.order_by().prefetch_related(None)
    flags = {
        name: Exists(rows.filter(**{f"{DATE_FIELD}__gte": start, f"{DATE_FIELD}__lt": end}))
        for name, (start, end) in periods.items()
    }
    found = rows.annotate(**flags).values(*flags)[:1]
    return {name for name, present in (found[0].items() if found else ()) if present}


def first_and_last_year(queryset) -> tuple[int, int] | None:
    """The local years of the earliest and latest `published_at` in `queryset`.

    One query: two scalar subqueries, each an index seek at one end.
    """
    rows = queryset.order_by().prefetch_related(None)
    dated = rows.filter(**{f"{DATE_FIELD}__isnull": False}).values(DATE_FIELD)
    found = (
        rows.annotate(
            first=Subquery(dated.order_by(DATE_FIELD)[:1]),
            last=Subquery(dated.order_by(f"-{DATE_FIELD}")[:1]),
        )
        .values("first", "last")
        .first()
    )
    if not found or found["first"] is None:
        return None
    return timezone.localtime(found["first"]).year, timezone.localtime(found["last"]).year


def years_with_stories(queryset) -> list[int]:
    """The local years, oldest first, in which `queryset` has stories."""
    span = first_and_last_year(queryset)
    if span is None:
        return []
    if span[0] == span[1]:
        return [span[0]]
    periods = {}
    for year in range(span[0], span[1] + 1):
        try:
            periods[f"y{year}"] = year_range(year)
        except DateOutOfRange:
            continue
    found = _periods_with_stories(queryset, periods)
    return [year for year in range(span[0], span[1] + 1) if f"y{year}" in found]


def months_with_stories(queryset, year: int) -> list[datetime.date]:
    """The first days of the local months of `year` in which `queryset` has stories."""
    periods = {}
    for month in range(1, 13):
        try:
            periods[f"m{month}"] = month_range(year, month)
        except DateOutOfRange:
            continue
    found = _periods_with_stories(queryset, periods)
    return [datetime.date(year, month, 1) for month in range(1, 13) if f"m{month}" in found]
