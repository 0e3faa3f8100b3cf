"""An editor's day in a real browser (issue 9): pick a lead, set a banner, correct a
story, share a draft and open it in a fresh context. The reader pages this
touches are checked with axe (light and dark) and photographed at phone and
desktop widths; the screenshots go to `artifacts/editors/` (git-ignored)."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Banner, Correction, FrontPage, ShareLink
from tests.articles.factories import ArticleFactory, SectionFactory, image_file
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "editors"
WIDTHS = {"phone": 390, "desktop": 1280}


@pytest.fixture
def desk():
    city = SectionFactory(name="City", slug="city")
    now = timezone.now()
    stories = [
        ArticleFactory(
            headline=f"Harbour story {n}",
            section=city,
            published_at=now - timedelta(hours=n + 1),
            lead_image=image_file(800, 450),
            lead_image_alt=f"Picture {n}",
        )
        for n in range(5)
    ]
    draft = ArticleFactory(draft=True, headline="Council budget leak", section=city)
    return {"stories": stories, "draft": draft}


def signed_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def choose(page, field_id: str, text: str) -> None:
    """Pick `text` in the admin's autocomplete (select2) box for `field_id`."""
    page.locator(f"#{field_id}").locator("xpath=following-sibling::span[1]").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def shoot(page, name: str) -> list[Path]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    saved = []
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        path = ARTIFACTS / f"{name}-{label}.png"
        page.screenshot(path=path, full_page=True)
        saved.append(path)
    print(f"screenshots: {', '.join(str(path) for path in saved)}")
    return saved


def reader_checks(page, axe_violations, csp_violations, name: str) -> None:
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert axe_violations(page) == [], (name, scheme)
    assert csp_violations == [], name
    page.emulate_media(color_scheme="light")
    for path in shoot(page, name):
        assert path.stat().st_size > 0


def test_an_editor_curates_corrects_and_shares(
    live_server, browser, page, axe_violations, csp_violations, desk
):
    editor = UserFactory(editor=True)
    signed_in(page.context, live_server, editor)
    page.set_viewport_size({"width": 1280, "height": 900})
    lead = desk["stories"][3]

    # 1. Pick a lead story.
    page.goto(live_server.url + "/admin/articles/frontpage/")
    choose(page, "id_lead", lead.headline)
    with page.expect_navigation():
        page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_have_count(1)
    assert FrontPage.load().lead_id == lead.pk

    # 2. Set a breaking-news banner.
    page.goto(live_server.url + "/admin/articles/banner/add/")
    page.fill("#id_text", "Polls close at 10pm")
    page.fill("#id_url", lead.get_absolute_url())
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert Banner.objects.current().get().text == "Polls close at 10pm"

    # 3. Correct a story.
    page.goto(live_server.url + f"/admin/articles/article/{lead.pk}/change/")
    page.locator("#corrections-group .add-row a, #corrections-group .add-row button").click()
    page.fill("#id_corrections-0-text", "An earlier version misspelt the harbour master's name.")
    with page.expect_navigation():
        page.click("input[name=_continue]")
    expect(page.locator(".errornote")).to_have_count(0)
    assert Correction.objects.get().article_id == lead.pk

    # 4. Share a draft.
    page.goto(live_server.url + f"/admin/articles/article/{desk['draft'].pk}/change/")
    # The form's running counts (a static script, allowed by the admin's CSP).
    expect(page.locator("#story-word-count")).to_have_text("7 words")
    page.get_by_role("heading", name="Search engines and link previews").click()  # collapsed
    page.fill("#id_seo_title", "x" * 65)
    expect(page.locator("#id_seo_title_count")).to_contain_text("65 of 70 characters")
    assert page.locator("#id_headline").bounding_box()["width"] >= 500
    with page.expect_navigation():
        page.get_by_role("link", name="Share draft").click()
    page.select_option("#id_lifetime", label="1 day")
    with page.expect_navigation():
        page.click("input[name=_save]")
    address = page.locator(".share-link-address").get_attribute("href")
    assert ShareLink.objects.get().article_id == desk["draft"].pk

    # What readers see: the chosen lead, the banner, the correction.
    reader = browser.new_context()
    try:
        public = reader.new_page()
        public.on(
            "console",
            lambda message: (
                csp_violations.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )
        public.goto(live_server.url + "/")
        expect(public.locator(".article-card--lead .article-card__headline")).to_have_text(
            lead.headline
        )
        expect(public.locator(".breaking-banner")).to_contain_text("Polls close at 10pm")
        reader_checks(public, axe_violations, csp_violations, "front-page")

        public.goto(live_server.url + lead.get_absolute_url())
        expect(public.locator(".corrections")).to_contain_text(
            re.compile(r"Correction, \d+ \w+ \d{4}:\s+An earlier version misspelt")
        )
        reader_checks(public, axe_violations, csp_violations, "corrected-story")

        public.goto(live_server.url + "/corrections/")
        expect(public.locator(".correction-list__item")).to_have_count(1)
        reader_checks(public, axe_violations, csp_violations, "corrections")

        # 5. The share link, in a fresh context without any session.
        public.goto(address)
        expect(public.locator(".draft-band")).to_contain_text("Draft — not published")
        expect(public.locator("h1")).to_have_text("Council budget leak")
        assert public.locator("meta[name=robots]").get_attribute("content").startswith("noindex")
        reader_checks(public, axe_violations, csp_violations, "shared-draft")

        withdrawn = Article.objects.get(pk=lead.pk)
        withdrawn.status = Article.Status.DRAFT
        withdrawn.save()
        response = public.goto(live_server.url + lead.get_absolute_url())
        assert response.status == 410
        reader_checks(public, axe_violations, csp_violations, "gone")
    finally:
        reader.close()
