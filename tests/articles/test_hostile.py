"""
The hostile corpus (tests/hostile.py) through every field an editor fills for a
story, its section, tag and byline, and every output that shows them: the
pages, the feeds, the sitemaps, JSON-LD and the admin (issue 13.18). Nothing
executes, nothing answers 500, and what is stored is what was typed, less
what the rules remove (characters XML forbids; bidi controls in names; the
sanitiser's allow-list in the body).

Each test takes one chunk of the corpus: one live story per payload, each
with the payload in every field, so each output is fetched once per chunk.
"""

import json
from collections import Counter
from http import HTTPStatus
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from articles.html import sanitise_html
from articles.models import Article, Author, Section
from newsroom.text import person_name_clean, typed_text_clean, xml_safe
from tests.articles.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from tests.hostile import INVALID_UTF8, PAYLOADS, TYPABLE, active_content, payload_id, stored_text

pytestmark = pytest.mark.django_db

CHUNK = 22
CHUNKS = [PAYLOADS[start : start + CHUNK] for start in range(0, len(PAYLOADS), CHUNK)]


def fit(model, field: str, payload: str) -> str:
    """The payload cut to the field's length: forms refuse longer (tested below)."""
    limit = model._meta.get_field(field).max_length
    return payload[:limit] if limit else payload


def text(model, field: str, payload: str) -> str:
    """What the rules keep of `payload` typed into a plain text field."""
    return stored_text(model, field, payload)


TEXT_FIELDS = (
    "headline",
    "standfirst",
    "lead_image_alt",
    "lead_image_caption",
    "lead_image_credit",
    "seo_title",
    "seo_description",
)


def hostile_story(index: int, payload: str) -> Article:
    section = SectionFactory(
        name=f"{index} {fit(Article, 'headline', payload)}"[:60],
        slug=f"hostile-section-{index}",
        description=payload,
    )
    tag = TagFactory(name=f"{index} {payload}"[:60], slug=f"hostile-tag-{index}")
    author = AuthorFactory(name=payload[:100], slug=f"hostile-author-{index}", bio=payload[:600])
    fields = {field: fit(Article, field, payload) for field in TEXT_FIELDS}
    if index % 2:  # half the stories show their headline and standfirst as SEO text
        fields |= {"seo_title": "", "seo_description": ""}
    return ArticleFactory(
        slug=f"hostile-{index}",
        body=payload,
        section=section,
        tags=[tag],
        authors=[author],
        **fields,
    )


def test_the_corpus_has_at_least_100_payloads():
    assert len(PAYLOADS) + len(INVALID_UTF8) >= 100


@pytest.mark.parametrize("chunk", range(len(CHUNKS)), ids=lambda index: f"chunk{index}")
def test_every_story_field_and_output_with_the_corpus(client, admin_client, chunk):
    """One story per payload, the payload in every field; then each check.
    One test per chunk because making the stories is the slow part."""
    stories = [
        (payload, hostile_story(index, payload)) for index, payload in enumerate(CHUNKS[chunk])
    ]

    check_stored_values_come_back_as_typed_less_what_the_rules_remove(stories)
    check_pages_answer_and_nothing_executes(client, stories)
    check_json_ld_is_valid_and_carries_the_stored_text(client, stories)
    for path in ("/feed/", "/feed/atom/", "/sitemap.xml", "/sitemap-news.xml"):
        check_feed_or_sitemap_is_well_formed(client, path)
    check_feed_items_carry_the_stored_text_and_html_parts_stay_inert(client, stories)
    check_admin_lists_and_forms_show_every_story_inert(admin_client, stories)


def check_stored_values_come_back_as_typed_less_what_the_rules_remove(stories):
    for payload, story in stories:
        story.refresh_from_db()
        story.section.refresh_from_db()
        author = story.authors.get()
        expected = {field: text(Article, field, payload) for field in TEXT_FIELDS}
        if story.seo_title == "":
            expected |= {"seo_title": "", "seo_description": ""}

        assert {field: getattr(story, field) for field in TEXT_FIELDS} == expected
        assert story.body == sanitise_html(typed_text_clean(payload, single_line=False))
        assert story.section.description == text(Section, "description", payload)
        assert author.name == person_name_clean(xml_safe(payload[:100]))
        assert author.bio == text(Author, "bio", payload)


def check_pages_answer_and_nothing_executes(client, stories):
    for payload, story in stories:
        pages = {
            story.get_absolute_url(): 1,
            story.section.get_absolute_url(): 0,
            story.tags.get().get_absolute_url(): 0,
            story.authors.get().get_absolute_url(): 0,
        }
        for path, json_ld in pages.items():
            response = client.get(path)
            assert response.status_code == HTTPStatus.OK, (path, payload_id(payload))
            found = active_content(response.content.decode(), json_ld_blocks=json_ld)
            assert found == [], (path, payload_id(payload))
    for path in ("/", "/search/?q=council", f"/{stories[0][1].published_at:%Y}/"):
        response = client.get(path)
        assert response.status_code == HTTPStatus.OK
        assert active_content(response.content.decode()) == []


def check_json_ld_is_valid_and_carries_the_stored_text(client, stories):
    for payload, story in stories:
        page = client.get(story.get_absolute_url()).content.decode()
        block = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
        data = json.loads(block)

        assert data["headline"] == text(Article, "headline", payload), payload_id(payload)
        assert data["author"][0]["name"] == person_name_clean(xml_safe(payload[:100]))


def check_feed_or_sitemap_is_well_formed(client, path):
    response = client.get(path)

    assert response.status_code == HTTPStatus.OK, path
    ElementTree.fromstring(response.content)  # noqa: S314 (raises if not well-formed)


def check_feed_items_carry_the_stored_text_and_html_parts_stay_inert(client, stories):
    rss = ElementTree.fromstring(client.get("/feed/").content)  # noqa: S314
    titles = [item.findtext("title") for item in rss.iter("item")]
    # XML parsers read every line break as "\n" (XML 1.0, section 2.11).
    expected = [
        text(Article, "headline", payload).replace("\r\n", "\n").replace("\r", "\n")
        for payload, _ in stories
    ]

    assert sorted(titles) == sorted(expected)
    for item in rss.iter("item"):
        # Feed readers render an item's description as HTML.
        assert active_content(item.findtext("description") or "") == []
    atom = ElementTree.fromstring(client.get("/feed/atom/").content)  # noqa: S314
    for summary in atom.iter("{http://www.w3.org/2005/Atom}summary"):
        assert active_content(summary.text or "") == []


def check_admin_lists_and_forms_show_every_story_inert(admin_client, stories):
    # The admin has scripts and icons of its own: a hostile page must have
    # exactly what a page about a harmless story has.
    harmless = ArticleFactory(headline="Harbour ferry returns", slug="harmless")
    change_form = Counter(
        active_content(
            admin_client.get(
                reverse("admin:articles_article_change", args=[harmless.pk])
            ).content.decode()
        )
    )
    for model in ("article", "section", "tag", "author"):
        url = reverse(f"admin:articles_{model}_changelist")
        baseline = Counter(active_content(admin_client.get(f"{url}?q=harmless").content.decode()))
        response = admin_client.get(url)
        assert response.status_code == HTTPStatus.OK, model
        assert Counter(active_content(response.content.decode())) == baseline, model
    for payload, story in stories[::3]:
        response = admin_client.get(reverse("admin:articles_article_change", args=[story.pk]))
        assert response.status_code == HTTPStatus.OK, payload_id(payload)
        assert Counter(active_content(response.content.decode())) == change_form, payload_id(
            payload
        )


@pytest.mark.parametrize("payload", TYPABLE, ids=payload_id)
def test_search_answers_any_query_and_shows_it_inert(client, payload):
    response = client.get(f"/search/?q={quote(payload)}")

    assert response.status_code in (HTTPStatus.OK, HTTPStatus.BAD_REQUEST)
    assert active_content(response.content.decode()) == []


@pytest.mark.parametrize("raw", INVALID_UTF8, ids=repr)
def test_search_answers_invalid_utf8_without_a_500(client, raw):
    response = client.get("/search/", QUERY_STRING="q=" + quote(raw))

    assert response.status_code in (HTTPStatus.OK, HTTPStatus.BAD_REQUEST)


@pytest.mark.parametrize("payload", TYPABLE, ids=payload_id)
def test_admin_story_form_refuses_or_keeps_each_payload_without_a_500(admin_client, payload):
    from tests.articles.test_admin import form_data

    section, author = SectionFactory(), AuthorFactory()
    data = form_data(section=section, author=author, slug="hostile-story")
    data |= dict.fromkeys(("headline", "standfirst", "lead_image_caption"), payload)
    data["body"] = payload

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.OK)
    story = Article.objects.filter(slug="hostile-story").first()
    if response.status_code == HTTPStatus.FOUND:
        # Saved: as typed (the admin strips surrounding spaces), less what
        # XML forbids, bidi controls and (one line) invisible ends.
        assert story.headline == text(Article, "headline", payload.strip())
        assert story.standfirst == text(Article, "standfirst", payload.strip())
    else:
        assert story is None
