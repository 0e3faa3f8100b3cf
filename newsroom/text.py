"""
Text that may reach XML or JSON: the one place that keeps it valid.

XML 1.0 allows only tab, newline and carriage return among the C0 control
characters, and no U+FFFE, U+FFFF or surrogate code points at all (XML 1.0,
fifth edition, section 2.2, production [2] `Char`). Editors paste such
characters without knowing it (Word's vertical tab for a soft line break), and
one of them in a headline makes Django's feed writer raise
`UnserializableContentError` (a 500) and the news sitemap ill-formed. Lone
surrogates cannot even be encoded as UTF-8, so JSON written with them fails too.

So text is cleaned twice:

* when it is validated and saved: every model with text a person can type
  cleans it in `clean_fields()` (so forms check what will be stored) and at
  the start of `save()` (the admin, forms, services, `seed_demo` and the
  shell all go through `save()`): `TextFieldsCleanedOnSave`, or
  `TextFieldsCleanedOnValidation` and a call to `text_fields_clean(self)`;
* when it is written out: feeds use `XmlSafeRssFeed` / `XmlSafeAtomFeed` as
  their `feed_type`, XML templates pass text through the `xml_safe` filter
  (`{% load text %}`), and JSON (JSON-LD, JSON Feed) through `xml_safe_data`.
  Rows saved before the first rule existed, or written with `update()` or
  `bulk_create()`, are covered by this second pass.

Vertical tab, form feed and the four information separators (U+001C-U+001F)
separate words where they appear, so they become a space rather than
disappearing: "Council budget<VT>vote passes" is saved as
"Council budget vote passes". The rest are removed.

The same cleaning removes what would make text display other than it was
typed: bidi embedding, override and isolate controls everywhere, and invisible
format characters at the ends of single-line fields (see `text_fields_clean`).
"""

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from django import template
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

#: Characters XML 1.0 forbids that stand between words (vertical tab, form
#: feed, file/group/record/unit separators): replaced by a space.
_XML_FORBIDDEN_SPACES = re.compile("[\x0b\x0c\x1c-\x1f]")
#: Every other character XML 1.0 forbids: C0 controls other than tab, newline
#: and carriage return, U+FFFE, U+FFFF and surrogates (a Python str can hold
#: lone ones, e.g. decoded from JSON's "\\ud800").
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1b\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (see the module docstring).

    Word-separating controls become a space; the others are removed. Anything
    that is not a `str` (None, numbers, lazy strings already safe) is returned
    unchanged, so it can wrap any value a template or feed hands it.
    """
    if not isinstance(text, str):
        return text
    return _XML_FORBIDDEN.sub("", _XML_FORBIDDEN_SPACES.sub(" ", text))


def xml_safe_data(value: Any) -> Any:
    """`value` with `xml_safe` applied to every string inside it.

    For data about to become JSON: dicts (keys and values), lists and tuples
    are walked; other values are returned as they are. Tuples come back as
    lists, which JSON does not tell apart.
    """
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, Mapping):
        return {xml_safe_data(key): xml_safe_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [xml_safe_data(item) for item in value]
    return value


#: Bidi embedding, override and isolate controls (LRE, RLE, PDF, LRO, RLO; LRI,
#: RLI, FSI, PDI). Each reorders the text after it up to the end of its
#: paragraph, and in a <title>, a list, an attribute or plain text that end is
#: far: "Harbour" + U+202E makes "· Newsroom" after it read "moorsweN ·".
#: The marks LRM and RLM (U+200E, U+200F) only affect neutral characters
#: beside them, and right-to-left text needs them; they are kept.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def bidi_controls_remove(text: str) -> str:
    """`text` without bidi embedding, override and isolate controls (see above)."""
    if not isinstance(text, str):
        return text
    return _BIDI_CONTROLS.sub("", text)


def _invisible(character: str) -> bool:
    return character.isspace() or unicodedata.category(character) == "Cf"


def invisible_ends_strip(text: str) -> str:
    """`text` without whitespace and invisible format characters (Unicode
    category Cf: zero-width space, BOM, joiners, marks) at either end.

    "Harbour" + U+200B would pass for "Harbour"; U+200B alone for a name.
    Inside the text they stay: emoji sequences and Arabic and Indic spellings
    need the joiners, right-to-left text the marks.
    """
    start, end = 0, len(text)
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def typed_text_clean(text: str, *, single_line: bool) -> str:
    """Text a person typed as it is stored: without what XML forbids and without
    bidi embedding, override and isolate controls; a `single_line` one also
    without invisible characters at its ends."""
    cleaned = bidi_controls_remove(xml_safe(text))
    return invisible_ends_strip(cleaned) if single_line else cleaned


def text_fields_clean(instance: models.Model) -> list[str]:
    """Clean every text field of `instance` that a person types (in place);
    return the names of those that held text and are now empty.

    Text fields are the model's concrete `CharField`s and `TextField`s (which
    covers `SlugField`, `URLField` and the prose editor's field). Every one
    goes through `typed_text_clean`: it loses what XML forbids (`xml_safe`)
    and bidi embedding, override and isolate controls (`bidi_controls_remove`),
    the story and terms bodies included: their plain text goes on to search
    snippets, feed descriptions and JSON-LD, where no paragraph ends an
    override (the sanitiser allows no `dir` attribute; LRM and RLM, which
    are kept, mark direction in the body). Single-line fields
    (`CharField`s) also lose invisible characters at their ends
    (`invisible_ends_strip`), and the fields a model names in
    `person_name_fields` go through `person_name_clean`. An `EmailField` only
    loses what XML forbids: an address with invisible characters is refused by
    its validator (accounts/identity.py), not quietly changed into another
    one. A value that is not a string (None, a deferred field that was never
    loaded) is left alone.
    """
    person_names = getattr(instance, "person_name_fields", ())
    emptied = []
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = instance.__dict__.get(field.attname)
        if not isinstance(value, str):
            continue
        if isinstance(field, models.EmailField):
            cleaned = xml_safe(value)
        elif field.name in person_names:
            cleaned = person_name_clean(xml_safe(value))
        else:
            cleaned = typed_text_clean(value, single_line=isinstance(field, models.CharField))
        if cleaned != value:
            setattr(instance, field.attname, cleaned)
            if value and not cleaned:
                emptied.append(field.name)
    return emptied


# --- Names of people ------------------------------------------------------------------

#: Format characters a name may keep: the zero-width joiner (emoji sequences
#: such as a woman technologist) and non-joiner (required spelling in Persian
#: and Indic scripts). Every other format character is removed.
NAME_KEPT_FORMAT_CHARACTERS = frozenset({"\u200c", "\u200d"})
_SPACES = re.compile(r"\s+")


def person_name_clean(name: str | None) -> str:
    """A person's name (display name, byline) as other readers may see it.

    Bidi controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) would
    reorder the text after them ("Ada" + U+202E + "nimda" reads "Adaadmin"), and
    other invisible format characters (Unicode category Cf: zero-width space,
    soft hyphen, BOM) hide what a name is; they are removed, as are control
    characters (Cc). Every run of whitespace, Unicode spaces and line
    separators included, becomes one plain space; the ends are trimmed.
    """
    kept = "".join(
        character
        for character in name or ""
        if character in NAME_KEPT_FORMAT_CHARACTERS
        or character.isspace()  # tabs, newlines, U+0085: collapsed below
        or unicodedata.category(character) not in ("Cf", "Cc")
    )
    return _SPACES.sub(" ", kept).strip()


#: The error for a required field that held only invisible characters.
INVISIBLE_ONLY_MESSAGE = "This holds only invisible characters: type some visible text."


class TextFieldsCleanedOnValidation:
    """Model mixin (before `models.Model` in the bases): `clean_fields()` first
    applies `text_fields_clean`, so every model form (the admin's included)
    validates, and checks for uniqueness, the text that will be stored: a
    section named "Sport" + U+202E is the existing "Sport". A required field
    that held only invisible characters is an error, not a stored blank."""

    def clean_fields(self, exclude=None):
        exclude = set(exclude or ())
        errors = {
            name: [ValidationError(INVISIBLE_ONLY_MESSAGE, code="invisible")]
            for name in text_fields_clean(self)
            if name not in exclude and not self._meta.get_field(name).blank
        }
        try:
            super().clean_fields(exclude=exclude | set(errors))
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


class TextFieldsCleanedOnSave(TextFieldsCleanedOnValidation):
    """Model mixin (before `models.Model` in the bases): `text_fields_clean` when
    validated and again at the start of `save()` (every way in: the admin,
    forms, services, the shell). For models whose save() has nothing else to
    derive; the others call `text_fields_clean` themselves and use
    `TextFieldsCleanedOnValidation`."""

    def save(self, *args, **kwargs):
        text_fields_clean(self)
        super().save(*args, **kwargs)


# --- Feeds ---------------------------------------------------------------------------


class _XmlSafeFeedMixin:
    """Cleans every string given to a Django `SyndicationFeed` (channel and items).

    Django's `SimplerXMLGenerator` raises `UnserializableContentError` on a
    control character rather than writing invalid XML; cleaning here turns
    that 500 into a valid feed.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*xml_safe_data(args), **xml_safe_data(kwargs))

    def add_item(self, *args, **kwargs):
        # Enclosures are objects, not strings; their URL and type come from
        # our own storage, which does not produce control characters.
        super().add_item(*xml_safe_data(args), **xml_safe_data(kwargs))


class XmlSafeRssFeed(_XmlSafeFeedMixin, Rss201rev2Feed):
    """RSS 2.0 that stays valid whatever the stories' text (a `Feed.feed_type`)."""


class XmlSafeAtomFeed(_XmlSafeFeedMixin, Atom1Feed):
    """Atom 1.0 that stays valid whatever the stories' text (a `Feed.feed_type`)."""


# --- Templates -------------------------------------------------------------------------
# Registered as the template library "text" (TEMPLATES' "libraries" in the
# settings): newsroom/ is not an app, so it has no templatetags folder.

register = template.Library()


@register.filter(name="xml_safe", is_safe=True)
def xml_safe_filter(value):
    """`{{ value|xml_safe }}`: `xml_safe` for XML templates (sitemaps).

    Autoescaping still applies: this only removes what escaping cannot fix.
    """
    return xml_safe(value)


# --- Visible text ----------------------------------------------------------------------

#: Unicode general categories a reader does not see as a character: controls,
#: format characters (zero-width space, joiners, bidi controls, BOM), unassigned
#: and private-use code points, and every kind of space or line separator.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Co", "Cs", "Zs", "Zl", "Zp"})


def has_visible_text(text: str) -> bool:
    """Whether `text` has at least one character a reader would see.

    `"\\u200b\\u200b"`, `" \\t"` and `"\\u202e"` have none. For "is it empty?"
    rules, where `.strip()` alone lets invisible format characters through.
    """
    return any(unicodedata.category(character) not in INVISIBLE_CATEGORIES for character in text)
