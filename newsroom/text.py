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

* when it is saved: every model with text a person can type calls
  `text_fields_clean(self)` at the start of `save()` (the admin, forms,
  services, `seed_demo` and the shell all go through `save()`);
* when it is written out: feeds use `XmlSafeRssFeed` / `XmlSafeAtomFeed` as
  their `feed_type`, XML templates pass text through the `xml_safe` filter
  (`{% load text %}`), and JSON (JSON-LD, JSON Feed) through `xml_safe_data`.
  Rows saved before the first rule existed, or written with `update()` or
  `bulk_create()`, are covered by this second pass.

Vertical tab, form feed and the four information separators (U+001C-U+001F)
separate words where they appear, so they become a space rather than
disappearing: "Council budget<VT>vote passes" is saved as
"Council budget vote passes". The rest are removed.
"""

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from django import template
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


def text_fields_clean(instance: models.Model) -> None:
    """Apply `xml_safe` to every text field of `instance` (in place).

    Called at the start of `save()` by each model that holds text a person
    typed. Text fields are the model's concrete `CharField`s and `TextField`s
    (which covers `EmailField`, `SlugField`, `URLField` and the prose editor's
    field); a value that is not a string (None, a deferred field that was
    never loaded) is left alone.
    """
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = instance.__dict__.get(field.attname)
        if isinstance(value, str):
            cleaned = xml_safe(value)
            if cleaned != value:
                setattr(instance, field.attname, cleaned)


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


class TextFieldsCleanedOnSave:
    """Model mixin (before `models.Model` in the bases): `save()` first applies
    `text_fields_clean`. For models whose save() has nothing else to derive;
    the others call `text_fields_clean` themselves."""

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
