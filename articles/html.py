"""
The one sanitiser for the HTML editors write.

Story bodies come from the rich-text editor in the admin, but the admin is not
the only way in (a crafted POST, an import, the shell), so the model cleans the
body on every save with nh3 and an explicit allow-list. Anything not listed is
removed: unknown tags are unwrapped (their text is kept), the contents of
scripts, styles, SVG, MathML, frames and the like are dropped, attributes other
than the few listed are dropped, and links may only use the schemes below.
"""

import html
import re

import nh3
from django.utils.html import strip_tags

from newsroom.text import has_visible_text

#: Tags the editor can produce, and nothing else. No <h1>: the headline is the
#: page's only first-level heading.
ALLOWED_TAGS = frozenset(
    {
        "a",
        "blockquote",
        "br",
        "code",
        "em",
        "h2",
        "h3",
        "h4",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "sub",
        "sup",
        "u",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
#: Removed together with everything inside them (not merely unwrapped).
DROPPED_WITH_CONTENT = frozenset(
    {
        "embed",
        "frame",
        "frameset",
        "iframe",
        "math",
        "noembed",
        "noscript",
        "object",
        "script",
        "select",
        "style",
        "svg",
        "template",
        "textarea",
        "title",
        "xmp",
    }
)

_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    # "*": nothing on every tag (ammonia would otherwise allow `lang` and `title`).
    attributes={"*": set()} | {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    url_schemes=set(URL_SCHEMES),
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitise_html(markup: str) -> str:
    """Return `markup` with everything outside the allow-list removed."""
    cleaned = _cleaner.clean(markup or "")
    # The editor always leaves one empty paragraph behind; an empty body is "".
    return "" if re.fullmatch(r"\s*(<p>\s*</p>\s*)*", cleaned) else cleaned


def html_to_text(markup: str) -> str:
    """Plain text of sanitised HTML, block ends read as spaces (for search and word counts)."""
    spaced = re.sub(r"<(br|/p|/h[2-4]|/li|/blockquote|hr)\b[^>]*>", " ", markup or "")
    return " ".join(html.unescape(strip_tags(spaced)).split())


def body_is_empty(body: str | None) -> bool:
    """Whether a story body (HTML) has no text a reader would see: no markup
    text at all, or only spaces and invisible characters (`<p>\\u200b</p>`)."""
    return not has_visible_text(html_to_text(body or ""))
