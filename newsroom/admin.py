"""
What every app's admin shares: a date drill-down that never answers 500.

Django 6.1.3 turns `?<date_hierarchy>__year=9999` (with or without a month and
day) into a 500: it adds a year, a month or a day to the last date Python can
hold ("year 10000 is out of range", ValueError), or makes an aware datetime
that overflows in the site's time zone (OverflowError). That is
https://code.djangoproject.com/ticket/37357, fixed upstream by
https://github.com/django/django/pull/21995. Keep this guard until the fix
ships in a release we run, and after: the time-zone edges (year 1 east of
UTC, year 9999 west of it) are ours, and so is reading numbers strictly.

Every `ModelAdmin` with a `date_hierarchy` puts `DateDrillDownCheckedMixin`
first among its bases; one whose change list is its own subclasses
`DateDrillDownCheckedChangeList` (articles/admin_list.py does). A
drill-down outside the calendar, or a number in any spelling but the
canonical one, becomes the admin's own error answer (a redirect to `?e=1`).
"""

import datetime

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList

from newsroom.dates import DateOutOfRange, day_range, month_range, year_range
from newsroom.pagination import canonical_number


def drill_down_range(year: str, month: str | None, day: str | None):
    """[start, end) of a drill-down's period in the current time zone.

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


class DateDrillDownCheckedChangeList(ChangeList):
    """Django's ChangeList with the `date_hierarchy` drill-down checked first (see module)."""

    def get_filters(self, request):
        if self.date_hierarchy:
            field = self.date_hierarchy
            year = request.GET.get(f"{field}__year")
            month = request.GET.get(f"{field}__month")
            day = request.GET.get(f"{field}__day")
            if year is not None:
                drill_down_range(year, month, day)
            elif month is not None or day is not None:
                raise IncorrectLookupParameters("A month or day needs a year.")
        return super().get_filters(request)


class DateDrillDownCheckedMixin:
    """For a `ModelAdmin` with a `date_hierarchy`: its change list checks the
    drill-down (see module). An admin that names its own change list class
    makes it a subclass of `DateDrillDownCheckedChangeList`."""

    def get_changelist(self, request, **kwargs):
        return DateDrillDownCheckedChangeList
