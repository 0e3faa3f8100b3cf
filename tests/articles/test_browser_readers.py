"""The reader's pages on phones and desktops: compact header, whole-card links,
no sideways scrolling, axe-clean in both colour schemes, with screenshots."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from tests.articles.factories import (
    ArticleFactory,
    AuthorFactory,
    BannerFactory,
    SectionFactory,
    TagFactory,
    image_file,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

#: Screenshots for people to look at; git-ignored (see .gitignore), kept between runs.
SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
MAX_HEADER_HEIGHT = 100


@pytest.fixture
def stories():
    city = SectionFactory(name="City", slug="city")
    sport = SectionFactory(name="Sport", slug="sport")
    tag = TagFactory(name="Harbour", slug="harbour")
    tomas = AuthorFactory(name="Tomás Reyes", slug="tomas-reyes")
    writers = [tomas, AuthorFactory(name="Ada Lee", slug="ada-lee")]
    now = timezone.now()
    for n in range(14):
        ArticleFactory(
            headline=f"Harbour story number {n} with a headline of some length",
            section=city if n % 2 else sport,
            tags=[tag],
            authors=writers[: 1 + n % 2],
            published_at=now - timedelta(hours=n + 1),
            lead_image=image_file(800, 450),
            lead_image_alt=f"Picture {n}",
        )
    return ArticleFactory(
        headline="Ferry returns to the islands after a two-year gap",
        body='<p>The ferry is back. <a href="https://example.com/timetable">Timetable</a>.</p>',
        section=city,
        tags=[tag],
        authors=writers,
        lead_image=image_file(1600, 900),
        lead_image_alt="The ferry at the pier",
        lead_image_caption="The first crossing.",
        lead_image_credit="Jo Park",
        published_at=now - timedelta(minutes=30),
    )


def page_paths(story) -> dict[str, str]:
    return {
        "home": "/",
        "story": story.get_absolute_url(),
        "section": "/section/city/",
        "search": "/search/?q=tomas",
    }


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("name", ["home", "story", "section", "search"])
def test_phone_header_is_compact_and_nothing_scrolls_sideways(
    live_server, page, stories, width, name
):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + page_paths(stories)[name])

    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= MAX_HEADER_HEIGHT
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_phone_menu_opens_the_sections_without_javascript(live_server, browser, stories):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        city = page.locator(".site-menu").get_by_role("link", name="City")
        assert not city.is_visible()
        assert not page.locator(".site-nav--wide").is_visible()

        page.get_by_text("Menu", exact=True).click()

        assert city.is_visible()
        assert page.locator(".site-menu").get_by_role("link", name="Log in").is_visible()
    finally:
        context.close()


def test_wide_screen_shows_the_navigation_without_a_menu(live_server, page, stories):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/")

    assert page.locator(".site-nav--wide").get_by_role("link", name="City").is_visible()
    assert not page.locator(".site-menu").is_visible()


def test_wide_story_page_puts_most_read_beside_the_story(live_server, page, stories):
    """The layout the stylesheet promises (a rule nested by a missing brace
    once made the column, the share row and the archive lists plain blocks)."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + stories.get_absolute_url())

    story = page.locator(".story-columns > .story").bounding_box()
    most_read = page.locator(".story-columns > .most-read").bounding_box()
    assert most_read["x"] >= story["x"] + story["width"]  # beside, not below
    assert page.locator(".share__list").evaluate("e => getComputedStyle(e).display") == "flex"


def test_phone_home_page_puts_the_lead_and_top_stories_first(live_server, page, stories):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/")

    lead = page.locator(".article-card--lead").bounding_box()
    latest = page.locator(".front-latest").bounding_box()
    pagination = page.locator(".front-latest .pagination").bounding_box()
    last_card = page.locator(".front-latest .article-card").last.bounding_box()
    assert lead["y"] < latest["y"]
    assert pagination["y"] > last_card["y"] + last_card["height"] - 1  # after the list it pages
    # Summaries of the other stories are for wider screens.
    assert not page.locator(".front-latest .article-card__standfirst").first.is_visible()


def test_card_picture_opens_the_story(live_server, page, stories):
    page.goto(live_server.url + "/section/city/")
    card = page.locator(".story-list .article-card").first
    href = card.locator(".article-card__headline a").get_attribute("href")

    # A real click where the picture is (the headline's stretched link is on top).
    picture = card.locator("img").bounding_box()
    with page.expect_navigation():
        page.mouse.click(picture["x"] + picture["width"] / 2, picture["y"] + picture["height"] / 2)

    assert page.url == live_server.url + href


def test_each_story_card_is_one_tab_stop(live_server, page, stories):
    page.goto(live_server.url + "/")

    for card in page.locator(".article-card").all():
        story = card.locator(".article-card__headline a").get_attribute("href")
        focusable_to_story = card.locator(f'a[href="{story}"], [tabindex="0"]')
        assert focusable_to_story.count() == 1


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", ["home", "story", "section", "search"])
def test_reader_pages_are_axe_clean_and_photographed(
    live_server, page, axe_violations, csp_violations, stories, name, width, scheme
):
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + page_paths(stories)[name])

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{width}-{scheme}.png"
    page.screenshot(path=path, full_page=True)
    print(f"screenshot: {path}")
    assert axe_violations(page) == []
    assert csp_violations == []


# --- Print ----------------------------------------------------------------------------


def test_printed_story_has_the_story_only_with_link_addresses(live_server, page, stories):
    BannerFactory(text="Polls close at 10pm")
    page.goto(live_server.url + stories.get_absolute_url())
    assert page.locator(".breaking-banner").is_visible()  # on screen
    page.emulate_media(media="print")

    for hidden in [
        ".site-header",
        ".site-footer",
        ".share",
        ".story-pager",
        ".related",
        ".breaking-banner",
        ".most-read",
    ]:
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in [
        ".story__headline",
        ".story__meta .byline",
        ".story__dates time",
        ".story .lead-image__img",
        ".story .lead-image__caption",
        ".story__body",
    ]:
        assert page.locator(shown).first.is_visible(), shown
    link = page.locator(".story__body a").first
    after = link.evaluate("link => getComputedStyle(link, '::after').content")
    assert after == '" (https://example.com/timetable)"'


def test_screen_does_not_print_link_addresses(live_server, page, stories):
    page.goto(live_server.url + stories.get_absolute_url())

    link = page.locator(".story__body a").first
    assert link.evaluate("link => getComputedStyle(link, '::after').content") == "none"
    assert page.locator(".site-header").is_visible()


# --- Sharing --------------------------------------------------------------------------


def test_share_links_work_without_javascript(live_server, browser, stories):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + stories.get_absolute_url())
        share = page.locator(".share")
        assert share.get_by_role("link", name="Bluesky").is_visible()
        assert share.get_by_role("link", name="Link to this story").is_visible()
        assert not share.get_by_role("button", name="More ways to share").is_visible()
    finally:
        context.close()


def test_copy_link_copies_the_story_address(live_server, browser, stories, settings):
    # Share links name the site's address (SITE_URL), whatever host asked.
    settings.SITE_URL = live_server.url
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(live_server.url + stories.get_absolute_url())

        page.locator(".share").get_by_role("link", name="Copy link").click()

        expect(page.locator("[data-share-status]")).to_have_text("Link copied.")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == live_server.url + stories.get_absolute_url()
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_mastodon_share_page_is_axe_clean(live_server, page, axe_violations, stories, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + f"/share/{stories.pk}/mastodon/?server=not+a+server")

    assert page.get_by_role("alert").is_visible()
    assert axe_violations(page) == []
