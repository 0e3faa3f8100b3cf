"""
The hostile corpus: text people type, paste or forge into our forms and
addresses, one shared list for every test that puts input through a field
(issue 13.18). Grouped by kind; `PAYLOADS` is all of them, `INVALID_UTF8` the
byte strings no `str` can hold (sent raw in requests).

Add to it freely: every test that uses it checks every payload.
"""

import re
from html.parser import HTMLParser

from django.db import models

from newsroom.text import typed_text_clean

#: Markup and script injection, for sanitised HTML and escaped text alike.
MARKUP = [
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
    # Breaking out of an attribute, a title, a textarea or a JSON-LD block.
    '"><script>alert(1)</script>',
    "'><svg/onload=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    '</script><script>alert(1)</script><script type="application/ld+json">',
    '", "@type": "Hack", "x": "',
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    # XML: CDATA ends, entities, a DOCTYPE with an external entity.
    "]]><script>alert(1)</script>",
    "<![CDATA[<script>alert(1)</script>]]>",
    "&xxe; &amp; &lt; &#0; &#x0; &#xD800;",
    '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>',
    # Template syntax of Django and other engines.
    "{{ 7|add:7 }} {% debug %} {# x #}",
    "${7*7} #{7*7} <%= 7*7 %>",
    # Spreadsheet formulas (the CSV export).
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    # E-mail header injection.
    "Hello\r\nBcc: victim@example.com",
    "x\nSubject: injected",
]

#: Strings that look like SQL or search syntax (FTS5 on SQLite, tsquery on PostgreSQL).
SQL_LIKE = [
    "' OR '1'='1",
    "'; DROP TABLE articles_article; --",
    '" OR ""="',
    "1; SELECT pg_sleep(5)",
    "' UNION SELECT password FROM accounts_user --",
    "%",
    "_",
    "\\",
    "%%' OR 1=1 --",
    '"unterminated',
    "NEAR(council budget)",
    "council AND OR NOT",
    "*",
    "^council",
    "headline:council",
    "council & !budget | (vote",
    "-council",
    "()",
]

#: Control, invisible and bidi characters, and other Unicode edge cases.
CONTROL_AND_BIDI = [
    "Council budget\x0bvote passes",
    "form\x0cfeed",
    "escape \x1b[31mred\x1b[0m",
    "bell\x07 backspace\x08",
    "\x01\x02\x03\x04\x05\x06",
    "separators \x1c\x1d\x1e\x1f",
    "del \x7f and C1 \x85 \x9b",
    "zero\u200bwidth",
    "\ufeffbom first",
    "right\u202eto left",
    "isolate \u2066ltr\u2069 \u2067rtl\u2069",
    "marks \u200e\u200f\u061c",
    "line\u2028separator\u2029paragraph",
    "non\u00a0breaking\u3000ideographic",
    "soft\u00adhyphen",
    "non-characters \ufffe \uffff",
    "lone surrogate \ud800 here",
    "Z\u0351\u0352\u0353a\u0354\u0355l\u0356g\u0357o",
    "\u0645\u0631\u062d\u0628\u0627 (Arabic)",
    "\u05e9\u05dc\u05d5\u05dd (Hebrew)",
    "\u65b0\u95fb (CJK)",
    "\U0001f469\u200d\U0001f4bb emoji \U0001f600",
    "\u0130stanbul \u00df \ufb01",
    "tab\there\r\nnewline",
]

#: NUL bytes (PostgreSQL cannot store them in text at all).
NUL = [
    "\x00",
    "before\x00after",
    "\x00<script>alert(1)</script>",
]

#: Far longer than any field allows, or just over a limit.
OVERLONG = [
    "a" * 10_000,
    "\u00e9" * 5_000,
    "\U0001f600" * 1_000,
    "word " * 2_000,
    "x" * 201,
    "y" * 61,
    "z" * 255,
]

#: Numbers at their edges, and things that only look like numbers.
ODD_NUMBERS = [
    "0",
    "-1",
    "-0",
    "1.5",
    "1e309",
    "1e-400",
    "NaN",
    "Infinity",
    "-Infinity",
    "9" * 30,
    "2147483648",
    "9223372036854775808",
    "0x10",
    "1_000",
    "+2",
    " 2 ",
    "02",
    "\u0662",  # Arabic-Indic two
    "\uff12",  # fullwidth two
    "\u00b2",  # superscript two
    "1,5",
    "",
    " ",
]

#: Other spellings of 2 that Python's int() (or Django's IntegerField) reads
#: as 2. Only "2" is the number; every one of these is a form error or a 404.
NON_CANONICAL_TWOS = [
    "02",
    "+2",
    "0_2",
    " 2 ",
    "2\n",
    "2.0",
    "2.",
    "\u0662",  # Arabic-Indic two
    "\u06f2",  # extended Arabic-Indic (Persian) two
    "\u0968",  # Devanagari two
    "\uff12",  # fullwidth two
    "\u00a02",  # no-break space
]

PAYLOADS = MARKUP + SQL_LIKE + CONTROL_AND_BIDI + NUL + OVERLONG + ODD_NUMBERS

#: The payloads a request can carry: a lone surrogate cannot be encoded in
#: UTF-8, so no browser can send one (its bytes are in INVALID_UTF8); code
#: can still store one, so model-level tests use all of PAYLOADS.
TYPABLE = [payload for payload in PAYLOADS if not any(0xD800 <= ord(c) <= 0xDFFF for c in payload)]

#: Bytes that are not UTF-8: stray continuation bytes, an overlong "/", an
#: encoded surrogate, a five-byte form and a truncated sequence.
INVALID_UTF8 = [
    b"\xff\xfe",
    b"\xc3\x28",
    b"\xc0\xaf",
    b"\xed\xa0\x80",
    b"\xf8\x88\x80\x80\x80",
    b"caf\xc3",
]


def stored_text(model, field: str, payload: str) -> str:
    """What the rules keep of `payload` typed into a plain text field of `model`:
    cut to its length (forms refuse longer), less what `typed_text_clean`
    removes (invisible ends only from single-line fields)."""
    model_field = model._meta.get_field(field)
    limit = model_field.max_length
    typed = payload[:limit] if limit else payload
    return typed_text_clean(typed, single_line=isinstance(model_field, models.CharField))


def payload_id(payload: str) -> str:
    """A short, printable test id for a payload."""
    shown = payload[:24].encode("unicode_escape").decode("ascii")
    return f"{shown}..{len(payload)}" if len(payload) > 24 else shown


# --- Checking that nothing executes ------------------------------------------------------


#: Elements that run code, load other documents or change how the page loads.
ACTIVE_ELEMENTS = frozenset(
    {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "svg", "math", "style"}
)
#: Attributes that hold an address a browser may follow or load.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcdoc", "srcset"}
)
_SCRIPT_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)


class _ActiveContent(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.json_ld = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ACTIVE_ELEMENTS:
            self.found.append(f"<{tag}>")
        if tag == "script":
            if attributes.get("type") == "application/ld+json":
                self.json_ld += 1
            elif not (attributes.get("src") or "").startswith("/static/"):
                self.found.append(f"<script src={attributes.get('src')}>")
        if tag == "meta" and "http-equiv" in attributes:
            self.found.append("<meta http-equiv>")
        if tag == "link" and not (attributes.get("href") or "/").startswith(
            ("/", "http://testserver")
        ):
            self.found.append(f"<link {attributes}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=>")
            # Browsers ignore ASCII whitespace and controls inside a scheme.
            address = re.sub(r"[\x00-\x20]", "", value or "")
            if name in URL_ATTRIBUTES and _SCRIPT_SCHEME.match(address):
                self.found.append(f"<{tag} {name}={value[:30]}>")


def active_content(page: str, *, json_ld_blocks: int | None = None) -> list[str]:
    """What in `page` (HTML) could run code or load from elsewhere: script
    elements other than our static files and JSON-LD, frames, objects, SVG,
    MathML, inline styles, event handler and style attributes, script: or
    data: addresses. Empty for a page where typed text stayed text.

    With `json_ld_blocks`, a different number of JSON-LD blocks (a breakout
    from one) is reported too.
    """
    parser = _ActiveContent()
    parser.feed(page)
    parser.close()
    if json_ld_blocks is not None and parser.json_ld != json_ld_blocks:
        parser.found.append(f"{parser.json_ld} JSON-LD blocks")
    return parser.found
