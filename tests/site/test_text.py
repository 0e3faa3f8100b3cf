"""Characters XML 1.0 forbids never reach the database, whichever model or field;
nor do bidi embedding, override and isolate controls, nor invisible characters
at the ends of a single-line field (issue 13's bidi and invisible kind)."""

import contextlib

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from newsroom.text import typed_text_clean, xml_safe, xml_safe_data
from tests.accounts.factories import TermsAcceptanceFactory, TermsOfUseFactory
from tests.articles.factories import (
    ArticleFactory,
    AuthorFactory,
    BannerFactory,
    CorrectionFactory,
    SectionFactory,
    ShareLinkFactory,
    TagFactory,
)
from tests.cart.factories import ProductFactory
from tests.factories import UserFactory as ReaderFactory

#: XML 1.0's Char production (section 2.2) leaves out these code points.
FORBIDDEN = [
    *(chr(code) for code in range(0x20) if chr(code) not in "\t\n\r"),
    "\ufffe",
    "\uffff",
    "\ud800",  # lone surrogates: a str can hold them (json.loads('"\\ud800"'))
    "\udfff",
]
#: Allowed by `xml_safe`, and kept: whitespace XML keeps, C1 controls, the
#: replacement character, non-BMP characters, bidi and zero-width characters.
#: Typed text loses bidi controls and invisible ends by another rule
#: (`typed_text_clean`, tested below); e-mail addresses with them are refused.
ALLOWED = ["\t", "\n", "\r", "\x7f", "\x85", "\ufffd", "\U0001f600", "\u202e", "\u200b", "é"]


@pytest.mark.parametrize("character", FORBIDDEN, ids=lambda c: f"U+{ord(c):04X}")
def test_forbidden_character_is_removed_or_becomes_a_space(character):
    cleaned = xml_safe(f"before{character}after")

    assert cleaned in ("beforeafter", "before after")
    assert character not in cleaned


@pytest.mark.parametrize("character", ALLOWED, ids=lambda c: f"U+{ord(c):04X}")
def test_allowed_character_is_kept(character):
    assert xml_safe(f"before{character}after") == f"before{character}after"


def test_word_separating_controls_become_a_space():
    assert xml_safe("Council budget\x0bvote\x0cpasses\x1fagain") == (
        "Council budget vote passes again"
    )


def test_non_strings_are_returned_unchanged():
    assert xml_safe(None) is None
    assert xml_safe(42) == 42


def test_nested_data_is_cleaned_for_json():
    assert xml_safe_data({"a\x00": ["x\x0by", ("\ud800z", 3)], "n": None}) == {
        "a": ["x y", ["z", 3]],
        "n": None,
    }


# Every text field a person can type, per model; saving through the model
# (the admin, forms, services, the shell all do) removes what XML forbids.
TYPED = "Word\x0bpaste\x00d\ufffe\ud800\x1fend"
SAVED = "Word pasted end"
TEXT_FIELDS = [
    (SectionFactory, ["name", "description"]),
    (TagFactory, ["name"]),
    (AuthorFactory, ["name", "bio"]),
    (
        ArticleFactory,
        [
            "headline",
            "standfirst",
            "lead_image_alt",
            "lead_image_caption",
            "lead_image_credit",
            "seo_title",
            "seo_description",
        ],
    ),
    (ReaderFactory, ["display_name", "first_name", "last_name"]),
    (TermsOfUseFactory, ["title", "changes_summary"]),
    (TermsAcceptanceFactory, ["user_agent"]),
    (ProductFactory, ["name", "short_description"]),
    (CorrectionFactory, ["text"]),
    (BannerFactory, ["text", "url"]),
    (ShareLinkFactory, ["note"]),
]

#: Parametrizes a test over every (factory, field) pair of TEXT_FIELDS.
each_text_field = pytest.mark.parametrize(
    ("factory", "field"),
    [
        pytest.param(factory, field, id=f"{factory._meta.model.__name__}.{field}")
        for factory, fields in TEXT_FIELDS
        for field in fields
    ],
)


@pytest.mark.django_db
@each_text_field
def test_saving_removes_what_xml_forbids(factory, field):
    saved = factory(**{field: TYPED})
    saved.refresh_from_db()

    assert getattr(saved, field) == SAVED


@pytest.mark.django_db
def test_story_body_keeps_its_markup_without_forbidden_characters():
    story = ArticleFactory(body="<p>Council budget\x0bvote\x00 passes</p>")
    story.refresh_from_db()

    assert story.body == "<p>Council budget vote passes</p>"
    assert story.body_text == "Council budget vote passes"


#: Models in our apps whose text is not typed by a person, with the reason.
NOT_TYPED = {
    "Byline": "no text fields",
    "SavedCart": "no text fields",
    "SavedCartLine": "no text fields",
    "ArticleAddress": "its slug is copied from a story's, which is cleaned on save",
}


def test_every_model_with_text_fields_is_covered_above():
    """A new model with text a person types must clean it on save (and be listed
    in TEXT_FIELDS, so the test above proves it), or be named in NOT_TYPED."""
    from django.apps import apps
    from django.db import models

    covered = {factory._meta.model.__name__ for factory, _ in TEXT_FIELDS} | set(NOT_TYPED)
    with_text = {
        model.__name__
        for label in ("accounts", "articles", "cart")
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
        and any(
            isinstance(field, models.CharField | models.TextField) and field.editable
            for field in model._meta.concrete_fields
        )
    }

    assert with_text - covered == set()


# --- Bidi controls and invisible characters -------------------------------------------

#: Embedding, override and isolate controls: removed from every typed field.
BIDI_CONTROLS = [chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
#: Kept inside text: the marks (right-to-left punctuation), the joiners (emoji,
#: Persian and Indic spellings) and the Arabic letter mark.
KEPT_INSIDE = ["\u200e", "\u200f", "\u200c", "\u200d", "\u061c"]
TYPED_BIDI = "\u200b\ufeff Harbour\u202e plan\u2066 x\u2069\u200b "


@pytest.mark.parametrize("character", BIDI_CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_typed_text_loses_bidi_controls(character):
    assert typed_text_clean(f"Sport{character} news", single_line=False) == "Sport news"


@pytest.mark.parametrize("character", KEPT_INSIDE, ids=lambda c: f"U+{ord(c):04X}")
def test_typed_text_keeps_marks_and_joiners_inside(character):
    assert typed_text_clean(f"a{character}b", single_line=True) == f"a{character}b"


def test_single_line_text_loses_invisible_ends_and_keeps_them_inside():
    assert typed_text_clean("\u200bHarbour\u200b\ufeff", single_line=True) == "Harbour"
    assert typed_text_clean("\u200b\u200b", single_line=True) == ""
    assert typed_text_clean("Harbour\u200bplan", single_line=True) == "Harbour\u200bplan"
    assert typed_text_clean("\u200bLines\n", single_line=False) == "\u200bLines\n"


def _stored_form(model, field: str) -> str:
    """What TYPED_BIDI becomes in `field` of `model`."""
    if isinstance(model._meta.get_field(field), models.CharField):
        return "Harbour plan x"  # a person's name comes out the same
    return "\u200b\ufeff Harbour plan x\u200b "


@pytest.mark.django_db
@each_text_field
def test_saving_removes_bidi_controls_and_invisible_ends(factory, field):
    saved = factory(**{field: TYPED_BIDI})
    saved.refresh_from_db()

    assert getattr(saved, field) == _stored_form(factory._meta.model, field)


@pytest.mark.django_db
@each_text_field
def test_validation_cleans_before_the_checks_so_forms_compare_the_stored_text(factory, field):
    """Model forms (the admin's) call clean_fields(): the unique checks that
    follow see the text that will be stored, not the typed one."""
    instance = factory.build(**{field: TYPED_BIDI})
    # Other fields of a built instance (its relations) may be missing.
    with contextlib.suppress(ValidationError):
        instance.clean_fields()

    assert getattr(instance, field) == _stored_form(factory._meta.model, field)


@pytest.mark.django_db
def test_story_body_loses_bidi_controls_and_keeps_its_marks():
    story = ArticleFactory(body="<p>\u202eCouncil\u202c vote \u05d0\u200f!</p>")
    story.refresh_from_db()

    assert story.body == "<p>Council vote \u05d0\u200f!</p>"
