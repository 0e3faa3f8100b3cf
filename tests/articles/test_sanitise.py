"""Hostile HTML never survives a save: the body is sanitised with an explicit allow-list."""

import re

import pytest
from django_prose_editor.config import allowlist_from_extensions

from articles.html import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, sanitise_html
from articles.models import BODY_EDITOR_EXTENSIONS
from tests.articles.factories import ArticleFactory
from tests.hostile import MARKUP

pytestmark = pytest.mark.django_db

HOSTILE = MARKUP  # the shared corpus's markup (tests/hostile.py)

DANGER = re.compile(
    r"<\s*(script|style|iframe|object|embed|svg|math|form|input|meta|link|base|img|video|template)"
    r"|\bon[a-z]+\s*=|javascript:|vbscript:|data:|expression\(|style=|xlink",
    re.IGNORECASE,
)


@pytest.mark.parametrize("payload", HOSTILE)
def test_nothing_dangerous_survives_the_sanitiser(payload):
    assert DANGER.search(sanitise_html(payload)) is None


@pytest.mark.parametrize("payload", HOSTILE)
def test_saving_a_story_sanitises_its_body(payload):
    story = ArticleFactory(body=f"<p>Before</p>{payload}<p>After</p>")
    story.refresh_from_db()

    assert DANGER.search(story.body) is None
    assert "<p>Before</p>" in story.body


def test_only_allowed_tags_and_attributes_remain():
    cleaned = sanitise_html('<p class="x" id="y" data-x="1" title="t">Hello <b>there</b></p>')

    assert cleaned == "<p>Hello there</p>"


def test_safe_links_are_kept_with_noopener():
    cleaned = sanitise_html('<p><a href="https://example.com/a?b=1" title="T">site</a></p>')

    assert cleaned == (
        '<p><a href="https://example.com/a?b=1" title="T" rel="noopener noreferrer">site</a></p>'
    )


def test_editor_formatting_survives():
    html = (
        "<h2>Head</h2><p><strong>b</strong> <em>i</em> <s>s</s> <u>u</u></p>"
        '<blockquote><p>q</p></blockquote><ol start="3"><li>x</li></ol><ul><li>y</li></ul><hr>'
    )

    assert sanitise_html(html) == html


def test_everything_the_editor_can_produce_is_allowed():
    editor = allowlist_from_extensions(BODY_EDITOR_EXTENSIONS)
    extra_editor_attributes = {"target", "rel", "type", "data-type"}

    assert set(editor["tags"]) <= ALLOWED_TAGS
    for tag, attributes in editor["attributes"].items():
        assert set(attributes) - extra_editor_attributes <= ALLOWED_ATTRIBUTES.get(tag, set())


def test_empty_editor_paragraph_is_an_empty_body():
    assert sanitise_html("<p></p>") == ""
