"""
Path converters for numbers in addresses: one spelling per number.

Django's `<int:...>` matches `[0-9]+`, so `/preview/7/` and `/preview/007/`
are two addresses of one page, and a 30-digit id reaches the database, which
cannot hold it. `<id:...>` takes only the canonical spelling (no leading zero)
of a number that fits a 63-bit column; anything else does not match (404).
"""

from django.urls import register_converter

from newsroom.numbers import POSITIVE_INT_PATTERN


class IdConverter:
    """A database id in a path: 1 to 999,999,999,999,999,999 without leading zeros."""

    regex = POSITIVE_INT_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
