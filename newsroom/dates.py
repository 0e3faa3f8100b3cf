"""
Calendar days, months and years as ranges of a date-time column (`published_at`).

Every date in an address (/2026/05/01/slug/, /2026/05/, /2026/) is a day,
month or year in the site's time zone (TIME_ZONE). Stories are found by a
range on `published_at` (`>= start AND < end`), never by a function over the
column, so the database can use its indexes. The edges of the calendar
(year 1, year 9999) have no such range in every time zone: midnight on
1 January of year 1 in Tokyo is in year 0 in UTC, which Python cannot hold.
Those dates raise `DateOutOfRange`, which the views turn into a 404: no story
can be live there.
"""

import datetime

from django.utils import timezone


class DateOutOfRange(ValueError):
    """A calendar date whose start or end cannot be expressed as an aware datetime."""


def local_midnight(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the current time zone, as an aware datetime.

    Raises DateOutOfRange when that moment, in UTC (as the database stores
    it), falls outside years 1 to 9999.
    """
    try:
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        moment.astimezone(datetime.UTC)
    except (OverflowError, ValueError) as error:
        raise DateOutOfRange(f"{day} has no midnight in this time zone.") from error
    return moment


def _after(day: datetime.date, *, days: int = 0, months: int = 0) -> datetime.date:
    try:
        if months:
            index = day.year * 12 + day.month - 1 + months
            return datetime.date(index // 12, index % 12 + 1, 1)
        return day + datetime.timedelta(days=days)
    except (OverflowError, ValueError) as error:
        raise DateOutOfRange(f"No calendar date after {day}.") from error


def day_range(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of the local day `day`. Raises DateOutOfRange at the calendar's edges."""
    return local_midnight(day), local_midnight(_after(day, days=1))


def month_range(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a local month. Raises DateOutOfRange for a month that does not exist
    or has no range here."""
    try:
        first = datetime.date(year, month, 1)
    except (TypeError, ValueError) as error:
        raise DateOutOfRange(f"No month {year}-{month}.") from error
    return local_midnight(first), local_midnight(_after(first, months=1))


def year_range(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a local year. Raises DateOutOfRange for a year out of range here."""
    return month_range(year, 1)[0], month_range(year, 12)[1]
