"""
The rules that keep one person's identity from looking like another's.

An e-mail address is the login, the key password resets are sent by, and
what staff see in the admin. Two addresses that look the same must be the
same address, and an address that hides characters must not exist at all:

* `email_validate_visible` refuses an address holding any character that is
  invisible or not printable: Unicode categories Cc (controls), Cf (format:
  zero-width space U+200B, joiners, bidi controls such as U+202E, soft
  hyphen, BOM), Zs/Zl/Zp (every space and separator, the plain space
  included: no address we accept has one), Co (private use), Cn (unassigned)
  and Cs (surrogates). `editor@example.com` followed by U+200B is then a form
  error instead of a second account that looks like the editor's.
* `email_normalise` applies Unicode NFKC (UAX #15) and lower case, so that
  compatibility look-alikes (fullwidth letters such as U+FF45, ligatures) are stored and
  compared as the plain letters they stand for. Every place that saves or
  looks up an address goes through it (`EmailUserManager.normalize_email`).

Display names are shown to other people but are not keys, so they are
cleaned rather than refused, with `newsroom.text.person_name_clean` (byline
names use it too).

Left alone: look-alike letters from other scripts (Cyrillic U+0430 for Latin
"a") are distinct characters that NFKC keeps apart; telling them apart needs
Unicode's confusables data (UTS #39), which we do not ship.
"""

import unicodedata

from django.core.exceptions import ValidationError

#: Unicode general categories never allowed in an e-mail address (see above).
EMAIL_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cn", "Cs"})


def email_refused_characters(email: str) -> list[str]:
    """The characters of `email` that no address may hold, as `U+XXXX` labels, in order."""
    return [
        f"U+{ord(character):04X}"
        for character in email
        if unicodedata.category(character) in EMAIL_REFUSED_CATEGORIES
    ]


def email_validate_visible(email: str) -> None:
    """Raise `ValidationError` (code "invisible_characters") if `email` holds a
    character that cannot be seen or printed (see the module docstring)."""
    refused = email_refused_characters(email or "")
    if refused:
        raise ValidationError(
            "This address contains characters that cannot be seen or printed (%(characters)s). "
            "Please type it again.",
            code="invisible_characters",
            params={"characters": ", ".join(dict.fromkeys(refused))},
        )


def email_normalise(email: str | None) -> str:
    """`email` as it is stored and compared: NFKC, surrounding spaces removed, lower case."""
    return unicodedata.normalize("NFKC", email or "").strip().lower()
