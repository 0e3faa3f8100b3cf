"""
Whole numbers from readers: one spelling per number.

Python's `int()`, and so Django's `IntegerField`, reads Arabic-Indic `٢`,
full-width 2 (U+FF12), `+2`, `02`, `0_2`, ` 2 ` and (in `IntegerField`) `2.0`
as 2; Django's `<int:...>` path converter takes `02` and `002`. A number a reader sends is accepted
only in its canonical spelling: ASCII digits, no sign, no leading zero, no
separators or spaces. Every form field, path converter and query parameter
that takes a whole number from a reader checks it with this module, so the
rule has one copy.
"""

import re

from django import forms

#: A positive whole number as written canonically, at most 18 digits (it fits
#: a 63-bit database column). `[0-9]`, not `\d`: `\d` matches other scripts'
#: digits. Ids in paths use it (`<id:...>`, newsroom/converters.py).
POSITIVE_INT_PATTERN = r"[1-9][0-9]{0,17}"
#: Zero or a positive whole number, as written canonically.
CANONICAL_INT_PATTERN = rf"0|{POSITIVE_INT_PATTERN}"
_CANONICAL_INT = re.compile(CANONICAL_INT_PATTERN)


def canonical_int(raw: str) -> int | None:
    """`raw` as an int if it is the canonical spelling of a whole number, else None."""
    return int(raw) if _CANONICAL_INT.fullmatch(raw) else None


class CanonicalIntegerField(forms.IntegerField):
    """An `IntegerField` that accepts only the canonical spelling (see the module)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value  # initial data and code, not a reader's typing
        number = canonical_int(value) if isinstance(value, str) else None
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number
