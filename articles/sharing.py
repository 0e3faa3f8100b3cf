"""
Share links for a story: plain addresses, no third-party script or tracker.

Each link works without JavaScript. Mastodon has no central server, so its
link goes to our own small page that asks for the reader's server and then
redirects to that server's share page (`https://<server>/share?text=...`,
Mastodon's documented share endpoint). articles/static/articles/share.js adds
"Copy link" and, where the browser has it, the Web Share API.
"""

import re
from urllib.parse import quote, urlencode

from django.urls import reverse

#: A DNS name as a reader would type their server: letters, digits and
#: hyphens in dot-separated labels (RFC 1123), with an alphabetic or IDNA top level.
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOSTNAME = re.compile(rf"(?:{_LABEL}\.)+(?:[a-z]{{2,63}}|xn--[a-z0-9-]{{1,59}})")
MAX_HOSTNAME_LENGTH = 253
#: A Mastodon handle, "@user@host" or "user@host": the server is the host.
_HANDLE = re.compile(r"@?[a-z0-9_]{1,64}@(?P<host>[^@]+)")


def share_links(*, url: str, title: str, story_pk: int) -> list[dict[str, str]]:
    """Share links for a story at absolute `url`: [{"service", "label", "href"}], in display order.

    `label` is what the link says ("E-mail", "Bluesky", ...). The e-mail link
    is a `mailto:` URI (RFC 6068); the others open the service's own share page.
    """
    text = f"{title} {url}"
    return [
        {
            "service": "email",
            "label": "E-mail",
            "href": "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote),
        },
        {
            "service": "bluesky",
            "label": "Bluesky",
            "href": "https://bsky.app/intent/compose?" + urlencode({"text": text}),
        },
        {
            "service": "mastodon",
            "label": "Mastodon",
            "href": reverse("articles:share_mastodon", kwargs={"pk": story_pk}),
        },
        {
            "service": "linkedin",
            "label": "LinkedIn",
            "href": "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        },
        {
            "service": "whatsapp",
            "label": "WhatsApp",
            "href": "https://wa.me/?" + urlencode({"text": text}),
        },
    ]


def mastodon_server_clean(raw: str) -> str | None:
    """The host name in what a reader typed as their Mastodon server, or None if it is not one.

    Accepts "mastodon.social", "https://mastodon.social/", "@me@mastodon.social"
    and "me@mastodon.social" (a handle names its server last). Rejects IP
    addresses, ports, paths, user info and anything else that is not a plain
    DNS name, so the redirect can only go to `https://<host>/share`.
    """
    value = (raw or "").strip().lower()
    value = re.sub(r"^https?://", "", value).rstrip("/")
    handle = _HANDLE.fullmatch(value)
    if handle:
        value = handle.group("host")
    try:
        value = value.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    if len(value) > MAX_HOSTNAME_LENGTH or not _HOSTNAME.fullmatch(value):
        return None
    return value


def mastodon_share_url(*, server: str, url: str, title: str) -> str:
    """Mastodon's share page on `server` (already cleaned) with the story's title and address."""
    return f"https://{server}/share?" + urlencode({"text": f"{title} {url}"})
