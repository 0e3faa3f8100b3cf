"""The calendar's ranges moved to newsroom/dates.py (the admin's date drill-down
shares them with every app); kept under this name for the views that import it."""

from newsroom.dates import DateOutOfRange, day_range, local_midnight, month_range, year_range

__all__ = ["DateOutOfRange", "day_range", "local_midnight", "month_range", "year_range"]
