"""Hostile HTML never survives a save: the body is sanitised with an explicit allow-list."""

import re

import pytest
from django_prose_editor.config import allowlist_from_extensions

from articles.html import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, sanitise_html
from articles.models import BODY_EDITOR_EXTENSIONS
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src="x" onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<p onclick="alert(1)">click</p>',
    '<body onload="alert(1)">',
    '<a href="javascript:alert(1)">link</a>',
    '<a href="JaVaScRiPt:alert(1)">link</a>',
    '<a href="java\tscript:alert(1)">link</a>',
    '<a href="&#106;avascript:alert(1)">link</a>',
    '<a href=" javascript:alert(1)">link</a>',
    '<a href="vbscript:msgbox(1)">link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">link</a>',
    '<svg onload="alert(1)"><circle r="10"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg><animate onbegin="alert(1)" attributeName="x"/></svg>',
    "<math><mtext><img src=x onerror=alert(1)></mtext></math>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<p style="width: expression(alert(1))">ie</p>',
    '<div style="behavior: url(x.htc)">htc</div>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="evil.swf"></object>',
    '<embed src="evil.swf">',
    '<form action="https://evil.example"><button>Go</button></form>',
    '<input autofocus onfocus="alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<base href="https://evil.example/">',
    '<details open ontoggle="alert(1)">x</details>',
    '<video><source onerror="alert(1)"></video>',
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<!--<script>alert(1)</script>-->",
    '<p class="x" id="y" data-x="1">attrs</p>',
]

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
