"""
The hostile corpus (tests/hostile.py) through what the editors' desk adds
(issue 13.18 over issue 9): correction notes, the breaking-news banner, share
link notes, and the outputs that show them (the story page and its JSON-LD,
/corrections/ and its feeds, every page's banner, the share preview, the
admin), and through the feeds readers added (per topic, JSON Feed). Nothing
executes, nothing answers 500, and what is stored comes back less only what
the rules remove.
"""

import html
import json
from collections import Counter
from http import HTTPStatus
from xml.etree import ElementTree

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from articles.models import Banner, Correction, ShareLink
from tests.articles.factories import (
    ArticleFactory,
    AuthorFactory,
    BannerFactory,
    CorrectionFactory,
    SectionFactory,
    ShareLinkFactory,
    TagFactory,
)
from tests.hostile import PAYLOADS, TYPABLE, active_content, payload_id, stored_text

pytestmark = pytest.mark.django_db

CHUNK = 22
CHUNKS = [PAYLOADS[start : start + CHUNK] for start in range(0, len(PAYLOADS), CHUNK)]


def fit(model, field: str, payload: str) -> str:
    limit = model._meta.get_field(field).max_length
    return payload[:limit] if limit else payload


def well_formed(client, path: str) -> ElementTree.Element:
    response = client.get(path)
    assert response.status_code == HTTPStatus.OK, path
    return ElementTree.fromstring(response.content)  # noqa: S314 (raises if not well-formed)


@pytest.mark.parametrize("chunk", range(len(CHUNKS)), ids=lambda index: f"chunk{index}")
def test_corrections_and_topic_feeds_with_the_corpus(client, chunk):
    """One live story per payload, in one section, tag and author, each with a
    correction note that says the payload."""
    section, tag, author = SectionFactory(), TagFactory(), AuthorFactory()
    notes = []
    for index, payload in enumerate(CHUNKS[chunk]):
        story = ArticleFactory(
            headline=f"Story {index} {payload}"[:200],
            slug=f"hostile-desk-{index}",
            section=section,
            tags=[tag],
            authors=[author],
        )
        notes.append(
            (payload, CorrectionFactory(article=story, text=fit(Correction, "text", payload)))
        )

    for payload, note in notes:
        note.refresh_from_db()
        assert note.text == stored_text(Correction, "text", payload), payload_id(payload)
        page = client.get(note.article.get_absolute_url())
        assert page.status_code == HTTPStatus.OK, payload_id(payload)
        assert active_content(page.content.decode(), json_ld_blocks=1) == [], payload_id(payload)
        block = page.content.decode().split('<script type="application/ld+json">')[1]
        json.loads(block.split("</script>")[0])  # raises if the note broke the JSON-LD

    corrections = client.get(reverse("articles:corrections"))
    assert corrections.status_code == HTTPStatus.OK
    assert active_content(corrections.content.decode()) == []

    rss = well_formed(client, reverse("articles:corrections_feed"))
    descriptions = [item.findtext("description") or "" for item in rss.iter("item")]
    for description in descriptions:
        # Feed readers render a description as HTML: the plain note is escaped.
        assert active_content(description) == []
    # XML parsers read every line break as "\n" (XML 1.0, section 2.11).
    stored = sorted(note.text.replace("\r\n", "\n").replace("\r", "\n") for _, note in notes)
    assert sorted(html.unescape(description) for description in descriptions) == stored
    well_formed(client, reverse("articles:corrections_feed_atom"))

    for kind, slug in (("section", section.slug), ("tag", tag.slug), ("author", author.slug)):
        for suffix in ("feed", "feed_atom"):
            well_formed(client, reverse(f"articles:{kind}_{suffix}", args=[slug]))

    feed = client.get(reverse("articles:feed_json"))
    assert feed.status_code == HTTPStatus.OK
    items = json.loads(feed.content)["items"]
    # JSON Feed 1.1: `title` is plain text (as stored); `content_html` is HTML.
    assert sorted(item["title"] for item in items) == sorted(
        note.article.headline for _, note in notes
    )
    for item in items:
        assert active_content(item["content_html"]) == []


@pytest.mark.parametrize("payload", TYPABLE, ids=payload_id)
def test_banner_with_any_text_and_link_shows_inert_on_every_page(client, payload):
    """Stored through code (no form validation): the page still never links to
    script, and the text stays text."""
    story = ArticleFactory()
    BannerFactory(text=fit(Banner, "text", payload), url=fit(Banner, "url", payload))

    for path in ("/", story.get_absolute_url(), "/no-such-page/"):
        response = client.get(path)
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.NOT_FOUND), path
        assert active_content(response.content.decode()) == [], path


@pytest.mark.parametrize("payload", TYPABLE, ids=payload_id)
def test_admin_banner_form_refuses_or_keeps_each_payload_without_a_500(admin_client, payload):
    response = admin_client.post(
        reverse("admin:articles_banner_add"),
        {
            "text": payload,
            "url": payload,
            "expires_at_0": "2099-01-01",
            "expires_at_1": "12:00:00",
        },
    )

    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.OK)
    banner = Banner.objects.first()
    if response.status_code == HTTPStatus.FOUND:
        assert banner.text == stored_text(Banner, "text", payload.strip())
    else:
        assert banner is None


def test_share_preview_and_desk_admin_lists_show_the_corpus_inert(client, admin_client):
    baseline = {
        model: Counter(
            active_content(
                admin_client.get(reverse(f"admin:articles_{model}_changelist")).content.decode()
            )
        )
        for model in ("correction", "banner", "sharelink")
        if admin.site.is_registered(apps.get_model("articles", model))
    }
    for index, payload in enumerate(TYPABLE):
        story = ArticleFactory(draft=True, headline=f"Draft {payload}"[:200], slug=f"draft-{index}")
        CorrectionFactory(article=ArticleFactory(slug=f"live-{index}"), text=payload[:1000])
        link = ShareLinkFactory(
            article=story, note=fit(ShareLink, "note", payload), token=f"t{index}"
        )
        BannerFactory(text=fit(Banner, "text", payload), url=fit(Banner, "url", payload))
        if index % 10 == 0:  # the share preview shows the draft and its link's note
            response = client.get(reverse("articles:share", args=[f"t{index}"]))
            assert response.status_code == HTTPStatus.OK, payload_id(payload)
            assert active_content(response.content.decode(), json_ld_blocks=1) == []
            assert link.note == stored_text(ShareLink, "note", payload)

    for model, expected in baseline.items():
        response = admin_client.get(reverse(f"admin:articles_{model}_changelist"))
        assert response.status_code == HTTPStatus.OK, model
        assert Counter(active_content(response.content.decode())) == expected, model
