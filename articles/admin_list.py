"""
The story list in the admin, at a million stories.

Django's change list counts every row twice per page load (the filtered list
and the whole table), pages with OFFSET to any depth, and its date drill-down
runs DISTINCT over a truncated date of every story. Here:

* `StoryPaginator` counts at most ADMIN_MAX_PAGES pages (with
  `show_full_result_count = False` on the admin, no second count); narrower
  lists come from the filters, the search and the date drill-down.
* `StoryChangeList` reads the drill-down (`published_at__year/month/day`) and
  the page number (`p`) strictly: a date outside the calendar, or a number
  in any spelling but the canonical one, is an error message (the admin's
  `?e=1`), never a 500. Django 6.1.3 answers `?published_at__year=9999` with
  a 500: "year 10000 is out of range" (https://code.djangoproject.com/ticket/37357,
  fixed upstream by https://github.com/django/django/pull/21995). Keep this
  guard until the fix ships in a release we run, and after: the time-zone
  edges (year 1 east of UTC) are ours.
* `date_hierarchy_choices` finds which years (or months) have stories with one
  EXISTS per period in one query, each an index seek, and the first and last
  years with two seeks: no DISTINCT over every row.
"""

import datetime

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import PAGE_VAR, ChangeList
from django.db.models import Exists, Subquery
from django.utils import timezone

from articles.dates import DateOutOfRange, day_range, month_range, year_range
from newsroom.pagination import BoundedPaginator, canonical_number

#: How deep the story list pages: 100 pages of 100 stories.
ADMIN_MAX_PAGES = 100
DATE_FIELD = "published_at"


class StoryPaginator(BoundedPaginator):
    """The admin's paginator signature, counting at most ADMIN_MAX_PAGES pages."""

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True):
        super().__init__(
            object_list,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            max_pages=ADMIN_MAX_PAGES,
        )


def drill_down_range(year: str, month: str | None, day: str | None):
    """[start, end) of the drill-down's period in the site's time zone.

    Raises IncorrectLookupParameters for anything but canonical numbers of a
    date whose local period exists (years 1-9999, wherever the zone is).
    """
    parts = [canonical_number(value) if value is not None else None for value in (year, month, day)]
    try:
        if None in parts[: 1 + (month is not None) + (day is not None)]:
            raise DateOutOfRange("Not a date.")
        if day is not None:
            if month is None:
                raise DateOutOfRange("A day needs a month.")
            return day_range(datetime.date(*parts))
        if month is not None:
            return month_range(parts[0], parts[1])
        return year_range(parts[0])
    except (DateOutOfRange, ValueError, OverflowError) as error:
        raise IncorrectLookupParameters(error) from error


class StoryChangeList(ChangeList):
    """Django's ChangeList with the drill-down and page number checked first (see module)."""

    def __init__(self, request, *args, **kwargs):
        raw_page = request.GET.get(PAGE_VAR)
        self.bad_page = raw_page is not None and canonical_number(raw_page) is None
        super().__init__(request, *args, **kwargs)

    def get_filters(self, request):
        params = request.GET
        year = params.get(f"{DATE_FIELD}__year")
        month = params.get(f"{DATE_FIELD}__month")
        day = params.get(f"{DATE_FIELD}__day")
        if year is not None:
            drill_down_range(year, month, day)
        elif month is not None or day is not None:
            raise IncorrectLookupParameters("A month or day needs a year.")
        return super().get_filters(request)

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
