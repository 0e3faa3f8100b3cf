"""The editors' newsroom (issue 9): front page curation, the breaking-news banner,
corrections, stable addresses and draft share links."""

import json
import re
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import (
    Article,
    Banner,
    Correction,
    FrontPage,
    FrontPageStory,
    ShareLink,
    share_token_hash,
)
from tests.articles.factories import ArticleFactory, BannerFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def lead_headline(response) -> str:
    section = re.search(r'<section class="front-lead".*?</section>', text(response), re.S)
    return re.search(r'class="article-card__headline">\s*<a href="[^"]*">([^<]*)<', section[0])[1]


def top_headlines(response) -> list[str]:
    section = re.search(r'<section class="front-top".*?</section>', text(response), re.S)
    if section is None:
        return []
    return re.findall(r'class="article-card__headline">\s*<a href="[^"]*">([^<]*)<', section[0])


def structured(response) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', text(response), re.S)
    return json.loads(block[1])


# --- Front page curation ------------------------------------------------------------


def test_front_page_without_a_choice_leads_with_the_newest_story(client):
    ArticleFactory(headline="Older", published_at=timezone.now() - timedelta(hours=2))
    ArticleFactory(headline="Newest", published_at=timezone.now() - timedelta(minutes=1))

    response = client.get("/")

    assert lead_headline(response) == "Newest"
    assert top_headlines(response) == []


def test_front_page_leads_with_the_editors_choice_and_orders_top_stories(client):
    chosen = ArticleFactory(headline="Chosen lead", published_at=timezone.now() - timedelta(days=2))
    second = ArticleFactory(headline="Second", published_at=timezone.now() - timedelta(days=3))
    first = ArticleFactory(headline="First", published_at=timezone.now() - timedelta(days=4))
    ArticleFactory(headline="Newest")
    page = FrontPage.load()
    page.lead = chosen
    page.save()
    FrontPageStory.objects.create(front_page=page, article=second, order=2)
    FrontPageStory.objects.create(front_page=page, article=first, order=1)

    response = client.get("/")

    assert lead_headline(response) == "Chosen lead"
    assert top_headlines(response) == ["First", "Second"]
    latest = text(response).split('class="front-latest"')[1].split("</section>")[0]
    assert "Newest" in latest and "Chosen lead" not in latest


def test_changing_the_choice_reaches_a_cached_front_page_at_once(
    page_cache, django_capture_on_commit_callbacks
):
    """The choice is cached (a shared fragment, and the page itself): saving the
    front page or a top story purges both."""
    chosen = ArticleFactory(headline="Chosen lead", published_at=timezone.now() - timedelta(days=2))
    top = ArticleFactory(headline="Top story", published_at=timezone.now() - timedelta(days=3))
    ArticleFactory(headline="Newest")
    assert lead_headline(Client().get("/")) == "Newest"  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        page = FrontPage.load()
        page.lead = chosen
        page.save()
    assert lead_headline(Client().get("/")) == "Chosen lead"

    with django_capture_on_commit_callbacks(execute=True):
        FrontPageStory.objects.create(front_page=page, article=top, order=1)
    assert top_headlines(Client().get("/")) == ["Top story"]


def test_front_page_skips_a_chosen_story_that_is_no_longer_live(client):
    chosen = ArticleFactory(headline="Withdrawn lead")
    top = ArticleFactory(headline="Withdrawn top")
    kept = ArticleFactory(headline="Kept top", published_at=timezone.now() - timedelta(days=1))
    ArticleFactory(headline="Newest")
    page = FrontPage.load()
    page.lead = chosen
    page.save()
    FrontPageStory.objects.create(front_page=page, article=top, order=0)
    FrontPageStory.objects.create(front_page=page, article=kept, order=1)
    Article.objects.filter(pk__in=[chosen.pk, top.pk]).update(status=Article.Status.DRAFT)

    response = client.get("/")

    assert response.status_code == HTTPStatus.OK
    assert lead_headline(response) == "Newest"
    assert top_headlines(response) == ["Kept top"]
    assert "Withdrawn" not in text(response)


def test_front_page_admin_refuses_a_draft_as_lead(client):
    client.force_login(UserFactory(editor=True))
    draft = ArticleFactory(draft=True)
    url = reverse("admin:articles_frontpage_change", args=[FrontPage.load().pk])

    response = client.post(
        url,
        {
            "lead": draft.pk,
            "stories-TOTAL_FORMS": "1",
            "stories-INITIAL_FORMS": "0",
            "stories-0-article": draft.pk,
            "stories-0-order": "0",
        },
    )

    assert response.status_code == HTTPStatus.OK  # the form again, with errors
    assert "Only a published story can lead" in text(response)
    assert "Only published stories can be top stories" in text(response)
    assert FrontPage.load().lead is None


def test_front_page_admin_saves_the_choice_and_the_list_opens_it(client):
    client.force_login(UserFactory(editor=True))
    lead, top = ArticleFactory(), ArticleFactory()

    listing = client.get(reverse("admin:articles_frontpage_changelist"))
    response = client.post(
        listing.url,
        {
            "lead": lead.pk,
            "stories-TOTAL_FORMS": "1",
            "stories-INITIAL_FORMS": "0",
            "stories-0-article": top.pk,
            "stories-0-order": "0",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert FrontPage.load().lead == lead
    assert list(FrontPage.load().stories.values_list("article", flat=True)) == [top.pk]


# --- Breaking-news banner ---------------------------------------------------------


def test_banner_is_on_every_page_until_it_expires(client, travel_to, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the page cache's part: see the test below
    story = ArticleFactory()
    Banner.objects.create(
        text="Polls close at 10pm", url="/live/", expires_at=timezone.now() + timedelta(hours=1)
    )

    for path in ("/", story.get_absolute_url(), "/search/", "/corrections/"):
        assert "Polls close at 10pm" in text(client.get(path)), path

    travel_to(timezone.now() + timedelta(hours=1, seconds=1))

    assert "Polls close at 10pm" not in text(client.get("/"))


#: Links a browser would open somewhere else than a path on this site or an
#: http(s) address: schemes that run code, and paths browsers read as //host.
OFF_SITE_LINKS = [
    "javascript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/",
    "/\\evil.example/",
    "/\t/evil.example",
    "/\n/evil.example",
    "https://",
    "https://evil example/",
]


@pytest.mark.parametrize("url", OFF_SITE_LINKS, ids=ascii)
def test_banner_link_must_be_on_site_or_http(url):
    banner = Banner(text="x", url=url, expires_at=timezone.now())

    with pytest.raises(ValidationError, match="address on this site"):
        banner.full_clean()


@pytest.mark.parametrize("url", ["/2026/11/30/polls/", "https://example.org/live", "/"])
def test_banner_link_on_site_or_http_is_kept(url):
    Banner(text="x", url=url, expires_at=timezone.now() + timedelta(hours=1)).full_clean()


@pytest.mark.parametrize("url", OFF_SITE_LINKS, ids=ascii)
def test_banner_link_stored_past_the_form_is_not_shown(client, url):
    BannerFactory(text="Polls close at 10pm", url=url)  # as code could store it

    page = text(client.get("/"))

    assert "Polls close at 10pm" in page
    assert 'class="breaking-banner__link" href' not in page


# --- Corrections ------------------------------------------------------------------


@pytest.fixture
def corrected():
    story = ArticleFactory(published_at=datetime(2026, 11, 27, 9, 15, tzinfo=UTC))
    Correction.objects.create(
        article=story,
        text="An earlier version gave the wrong date for the vote.",
        published_at=datetime(2026, 11, 28, 14, 0, tzinfo=UTC),
    )
    Correction.objects.create(
        article=story,
        kind=Correction.Kind.UPDATE,
        text="The council has since confirmed the result.",
        published_at=datetime(2026, 11, 29, 16, 0, tzinfo=UTC),
    )
    story.refresh_from_db()
    return story


def test_correction_shows_on_the_story(client, corrected):
    page = text(client.get(corrected.get_absolute_url()))

    assert "Correction, <time" in page
    assert ">28 Nov 2026</time>:</strong>\n          An earlier version gave the wrong date" in page
    assert "Update, <time" in page


def test_correction_is_in_the_json_ld_and_moves_date_modified(client, corrected):
    Article.objects.filter(pk=corrected.pk).update(
        updated_at=datetime(2026, 11, 27, 9, 20, tzinfo=UTC)
    )
    data = structured(client.get(corrected.get_absolute_url()))

    assert [note["@type"] for note in data["correction"]] == ["CorrectionComment"] * 2
    assert data["correction"][0]["text"] == (
        "Correction: An earlier version gave the wrong date for the vote."
    )
    assert data["dateModified"].startswith("2026-11-29T16:00:00")


def test_adding_a_correction_moves_the_story_modification_time():
    story = ArticleFactory()
    Article.objects.filter(pk=story.pk).update(updated_at=timezone.now() - timedelta(days=3))

    Correction.objects.create(article=story, text="Fixed a name.")

    story.refresh_from_db()
    assert timezone.now() - story.updated_at < timedelta(minutes=1)


def test_correction_cannot_be_added_to_a_draft():
    note = Correction(article=ArticleFactory(draft=True), text="Nope.")

    with pytest.raises(Exception, match="for published stories"):
        note.full_clean()


def test_corrections_page_lists_notes_newest_first_and_only_on_live_stories(client, corrected):
    withdrawn = ArticleFactory(headline="Withdrawn story")
    Correction.objects.create(article=withdrawn, text="Hidden note.")
    Article.objects.filter(pk=withdrawn.pk).update(status=Article.Status.DRAFT)

    page = text(client.get(reverse("articles:corrections")))

    assert page.index("has since confirmed") < page.index("wrong date for the vote")
    assert "Hidden note" not in page
    assert f'href="{corrected.get_absolute_url()}#correction-' in page


@pytest.mark.parametrize("name", ["articles:corrections_feed", "articles:corrections_feed_atom"])
def test_corrections_feeds_list_the_notes(client, corrected, name):
    response = client.get(reverse(name))

    assert response.status_code == HTTPStatus.OK
    body = text(response)
    assert body.index("has since confirmed") < body.index("wrong date for the vote")
    assert f"{corrected.get_absolute_url()}#correction-" in body


def test_story_shows_time_of_day_in_the_site_time_zone(client, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    story = ArticleFactory(published_at=datetime(2026, 11, 30, 8, 15, tzinfo=UTC))

    page = text(client.get(story.get_absolute_url()))

    assert "Nov 30, 2026, 09:15</time>" in page
    assert "Published: <time" in page


def test_cards_show_time_of_day_too(client):
    ArticleFactory(published_at=datetime(2026, 11, 29, 7, 5, tzinfo=UTC))
    ArticleFactory(published_at=datetime(2026, 11, 29, 6, 5, tzinfo=UTC))

    assert "Nov 29, 2026, 06:05</time>" in text(client.get("/"))


# --- Stable addresses -------------------------------------------------------------


def test_old_addresses_answer_301_to_the_current_one_after_two_slug_changes(client):
    story = ArticleFactory(slug="first")
    first = story.get_absolute_url()
    story.slug = "second"
    story.save()
    second = story.get_absolute_url()
    story = Article.objects.get(pk=story.pk)
    story.slug = "third"
    story.save()

    for old in (first, second):
        response = client.get(old)
        assert response.status_code == HTTPStatus.MOVED_PERMANENTLY, old
        assert response["Location"] == story.get_absolute_url()
    assert client.get(story.get_absolute_url()).status_code == HTTPStatus.OK


def test_a_changed_publication_date_answers_301_from_the_old_date(client):
    story = ArticleFactory(published_at=timezone.now() - timedelta(days=3))
    old = story.get_absolute_url()

    story.published_at = timezone.now() - timedelta(days=1)
    story.save()

    response = client.get(old)
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == story.get_absolute_url() != old


def test_unpublished_story_answers_410_in_the_site_look(client):
    story = ArticleFactory()
    story.status = Article.Status.DRAFT
    story.save()

    response = client.get(story.get_absolute_url())

    assert response.status_code == HTTPStatus.GONE
    assert "This page is gone" in text(response)
    assert 'class="site-header"' in text(response)


def test_deleted_story_answers_410(client):
    story = ArticleFactory()
    address = story.get_absolute_url()

    story.delete()

    assert client.get(address).status_code == HTTPStatus.GONE


def test_address_no_live_story_ever_had_is_404(client):
    draft = ArticleFactory(draft=True, published_at=timezone.now() - timedelta(days=1))
    scheduled = ArticleFactory(scheduled=True)

    assert client.get(draft.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert client.get(scheduled.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_a_story_republished_at_its_old_address_is_served_again(client):
    story = ArticleFactory(slug="back")
    address = story.get_absolute_url()
    story.status = Article.Status.DRAFT
    story.save()
    story.status = Article.Status.PUBLISHED
    story.save()

    assert client.get(address).status_code == HTTPStatus.OK


# --- Draft share links ------------------------------------------------------------


def share(article, *, hours: float = 24, revoked: bool = False) -> str:
    token = ShareLink.token_new()
    ShareLink.objects.create(
        article=article,
        token_hash=share_token_hash(token),
        expires_at=timezone.now() + timedelta(hours=hours),
        revoked_at=timezone.now() if revoked else None,
    )
    return reverse("articles:share", args=[token])


def test_share_link_shows_the_draft_with_a_band_and_is_never_cached_or_indexed(settings):
    settings.PAGE_CACHE_SECONDS = 60
    draft = ArticleFactory(draft=True, headline="Secret draft")
    address = share(draft)

    response = Client().get(address)

    assert response.status_code == HTTPStatus.OK
    assert "Draft — not published" in text(response)
    assert "Secret draft" in text(response)
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in text(response)
    # Changed after a first visit: the next visit sees the change (nothing kept a copy).
    Article.objects.filter(pk=draft.pk).update(headline="Edited draft")
    assert "Edited draft" in text(Client().get(address))


def test_share_link_to_a_story_gone_live_opens_its_page_not_a_draft_band(client):
    story = ArticleFactory(draft=True)
    address = share(story)
    services.article_publish(article=story)

    response = client.get(address)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == story.get_absolute_url()
    assert "no-store" in response["Cache-Control"]


def test_share_link_expires(client, travel_to):
    address = share(ArticleFactory(draft=True), hours=1)
    assert client.get(address).status_code == HTTPStatus.OK

    travel_to(timezone.now() + timedelta(hours=1, seconds=1))

    response = client.get(address)
    assert response.status_code == HTTPStatus.GONE
    assert "no-store" in response["Cache-Control"]


def test_revoked_share_link_stops_working(client):
    draft = ArticleFactory(draft=True)
    address = share(draft)
    editor = UserFactory(editor=True)
    staff = Client()
    staff.force_login(editor)

    staff.post(
        reverse("admin:articles_sharelink_changelist"),
        {
            "action": "revoke",
            "_selected_action": list(ShareLink.objects.values_list("pk", flat=True)),
        },
    )

    assert client.get(address).status_code == HTTPStatus.GONE


def test_unknown_share_token_is_404(client):
    assert (
        client.get(reverse("articles:share", args=["x" * 43])).status_code == HTTPStatus.NOT_FOUND
    )


def test_share_page_links_staff_to_the_admin_form_only(client):
    draft = ArticleFactory(draft=True)
    address = share(draft)
    change = reverse("admin:articles_article_change", args=[draft.pk])

    assert change not in text(client.get(address))
    client.force_login(UserFactory(editor=True))
    assert change in text(client.get(address))


def test_making_a_share_link_shows_the_address_once_and_stores_only_its_hash(client):
    client.force_login(UserFactory(editor=True))
    draft = ArticleFactory(draft=True)

    response = client.post(
        reverse("admin:articles_sharelink_add"),
        {"article": draft.pk, "note": "Our lawyer", "lifetime": "24"},
        follow=True,
    )

    link = ShareLink.objects.get()
    address = re.search(r'class="share-link-address" href="[^"]*(/share/[^"/]+/)"', text(response))[
        1
    ]
    token = address.removeprefix("/share/").rstrip("/")
    assert link.token_hash == share_token_hash(token) != token
    assert token not in str(ShareLink.objects.values().get())
    assert abs(link.expires_at - (timezone.now() + timedelta(hours=24))) < timedelta(minutes=1)
    assert Client().get(address).status_code == HTTPStatus.OK


def test_writer_cannot_share_another_writers_draft(client):
    other = ArticleFactory(draft=True, created_by=UserFactory(writer=True))
    client.force_login(UserFactory(writer=True))

    response = client.post(
        reverse("admin:articles_sharelink_add"),
        {"article": other.pk, "lifetime": "24"},
    )

    assert response.status_code == HTTPStatus.OK  # form error
    assert not ShareLink.objects.exists()


def test_corrections_feed_stays_valid_xml_whatever_the_note_says(client):
    from xml.dom.minidom import parseString

    story = ArticleFactory()
    Correction.objects.create(article=story, text="Bad\x0bbyte and \x01 more.")

    for name in ("articles:corrections_feed", "articles:corrections_feed_atom"):
        parseString(client.get(reverse(name)).content)  # noqa: S318 (our own output; raises if invalid)


def test_banner_expires_on_time_through_the_page_cache(page_cache, monkeypatch):
    import time

    page_cache.PAGE_CACHE_SECONDS = 3600
    ArticleFactory()
    expires = timezone.now() + timedelta(minutes=10)
    Banner.objects.create(text="Polls close at 10pm", url="/", expires_at=expires)
    first = Client().get("/")
    assert "Polls close at 10pm" in text(first)
    shared = next(d for d in first["Cache-Control"].split(",") if "s-maxage=" in d)
    assert int(shared.split("=")[1]) <= 600  # not cached past the banner's expiry

    later = time.time() + 601
    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setattr(timezone, "now", lambda: expires + timedelta(seconds=1))

    assert "Polls close at 10pm" not in text(Client().get("/"))


def test_saving_a_banner_purges_every_cached_page(page_cache, django_capture_on_commit_callbacks):
    story = ArticleFactory()
    Client().get(story.get_absolute_url())  # cached without a banner

    with django_capture_on_commit_callbacks(execute=True):
        Banner.objects.create(
            text="Storm warning", url="/", expires_at=timezone.now() + timedelta(hours=1)
        )

    assert "Storm warning" in text(Client().get(story.get_absolute_url()))
