"""The reader's pages and the editor's form in a real browser: accessible and CSP-clean."""

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from articles import services
from tests.articles.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    TagFactory,
    image_file,
)
from tests.browser import signed_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def newsroom():
    city, sport = (
        SectionFactory(name="City", slug="city"),
        SectionFactory(name="Sport", slug="sport"),
    )
    tag = TagFactory(name="Harbour", slug="harbour")
    writers = [AuthorFactory(name="Ada Lee"), AuthorFactory(name="Bo Ng")]
    now = timezone.now()
    for n in range(16):
        ArticleFactory(
            headline=f"Harbour story {n}",
            section=city if n % 2 else sport,
            tags=[tag],
            authors=writers[: 1 + n % 2],
            published_at=now - timedelta(hours=n + 1),
            **(
                {"lead_image": image_file(800, 450), "lead_image_alt": f"Picture {n}"}
                if n < 3
                else {}
            ),
        )
    return ArticleFactory(
        headline="Ferry returns",
        body="<p>The ferry is back.</p><h2>Times</h2><ul><li>Hourly</li></ul>",
        section=city,
        tags=[tag],
        authors=writers,
        lead_image=image_file(1600, 900),
        lead_image_alt="The ferry at the pier",
        lead_image_caption="The first crossing.",
        lead_image_credit="Jo Park",
        published_at=now - timedelta(minutes=30),
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_front_page_has_no_axe_violations(
    live_server, page, axe_violations, csp_violations, newsroom, scheme
):
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + "/")

    assert page.locator(".article-card--lead").count() == 1
    assert axe_violations(page) == []
    assert csp_violations == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_article_page_has_no_axe_violations(
    live_server, page, axe_violations, csp_violations, newsroom, scheme
):
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + newsroom.get_absolute_url())

    assert page.locator("h1").inner_text() == "Ferry returns"
    assert axe_violations(page) == []
    assert csp_violations == []


# Headless Chromium says "HeadlessChrome" in its User-Agent, which the beacon
# rightly takes for a crawler: these readers present an ordinary Chrome's.
CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/140.0.0.0 Safari/537.36"
)


def test_article_page_beacon_counts_each_reader_once(live_server, browser, newsroom):
    address = live_server.url + newsroom.get_absolute_url()
    reader = browser.new_context(user_agent=CHROME)
    other_reader = browser.new_context(user_agent=CHROME.replace("140", "141"))
    try:
        page = reader.new_page()
        page.goto(address)

        # expect() polls from Playwright's side: a polled string predicate
        # (wait_for_function) would be an eval() that our CSP rightly blocks.
        count = page.locator("[data-view-count]").first
        expect(count).to_have_text("1")
        with page.expect_response(lambda response: "/api/views/" in response.url):
            page.reload()  # the same reader again: shown, not counted
        expect(count).to_have_text("1")

        other_page = other_reader.new_page()
        other_page.goto(address)
        expect(other_page.locator("[data-view-count]").first).to_have_text("2")
    finally:
        reader.close()
        other_reader.close()


def test_headless_browser_is_shown_the_count_without_adding_to_it(live_server, page, newsroom):
    with page.expect_response(lambda response: "/api/views/" in response.url) as beacon:
        page.goto(live_server.url + newsroom.get_absolute_url())

    assert beacon.value.status == 200
    expect(page.locator("[data-view-count]").first).to_have_text("0")
    assert services.view_count_pending(article_id=newsroom.pk) == 0


def test_search_page_has_no_axe_violations(
    live_server, page, axe_violations, csp_violations, newsroom
):
    page.goto(live_server.url + "/search/?q=harbour")

    assert page.locator(".article-card").count() == 10
    assert axe_violations(page) == []
    assert csp_violations == []


def test_admin_story_form_runs_the_editor_without_csp_errors(
    live_server, page, csp_violations, newsroom
):
    signed_in(page, live_server, UserFactory(editor=True))

    page.goto(live_server.url + f"/admin/articles/article/{newsroom.pk}/change/")
    page.locator(".prose-editor > .ProseMirror").wait_for()
    page.locator(".prose-editor > .ProseMirror").click()
    page.keyboard.press("End")
    page.keyboard.type(" Extra words.")
    with page.expect_navigation():
        page.click("input[name=_continue]")

    assert page.locator(".errornote").count() == 0
    assert page.locator(".messagelist .success").count() == 1
    assert csp_violations == []
    newsroom.refresh_from_db()
    assert "Extra words." in newsroom.body


def test_admin_story_body_editor_is_named_for_screen_readers(live_server, page, newsroom):
    signed_in(page, live_server, UserFactory(editor=True))
    page.goto(live_server.url + f"/admin/articles/article/{newsroom.pk}/change/")
    body = page.locator(".prose-editor > .ProseMirror")
    body.click()
    page.keyboard.type(" Typing does not unname it.")
    axe = Axe()

    # The whole form for the rule the editor broke; every rule within the editor.
    # (Not every rule on the whole form: Django's admin has violations of its
    # own there, an empty inline column header, the file input's "Change:" and
    # select2's markup.)
    named = axe.run(page, options={"runOnly": ["aria-input-field-name"]})
    editor = axe.run(page, context=".prose-editor")

    expect(body).to_have_accessible_name(re.compile(r"^Body"))
    assert named.response["violations"] == []
    assert editor.response["violations"] == []


def test_admin_change_list_gives_headlines_room(live_server, page, newsroom):
    page.set_viewport_size({"width": 1280, "height": 800})
    signed_in(page, live_server, UserFactory(editor=True))

    page.goto(live_server.url + "/admin/articles/article/")

    headline = page.locator("#result_list td.field-headline, #result_list th.field-headline")
    assert headline.first.bounding_box()["width"] >= 170  # was about 110: 4-5 lines


# --- Narrow screens -------------------------------------------------------------------

LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung"


@pytest.fixture
def narrow_page(page):
    page.set_viewport_size({"width": 320, "height": 640})
    return page


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_search_button_is_whole_and_on_screen_at_320px(live_server, narrow_page, newsroom):
    narrow_page.goto(live_server.url + "/search/?q=harbour")

    button = narrow_page.locator(".search-form button").bounding_box()
    assert button["x"] + button["width"] <= 320
    assert button["height"] < 60  # one line, not squeezed to a letter per line


@pytest.mark.parametrize(
    "path", ["/", "/search/?q=" + LONG_WORD, "/search/?q=zzz+" + LONG_WORD, "/section/city/"]
)
def test_long_words_do_not_widen_a_320px_screen(live_server, narrow_page, newsroom, path):
    ArticleFactory(
        headline=f"{LONG_WORD} {LONG_WORD}",
        standfirst=LONG_WORD,
        section=newsroom.section,
        lead_image=image_file(800, 450),
        lead_image_alt="A picture",
    )
    narrow_page.goto(live_server.url + path)

    assert page_width(narrow_page) <= 320


def test_current_section_stands_out_in_the_header(live_server, page, newsroom):
    page.goto(live_server.url + "/section/city/")

    nav = page.locator(".site-nav")
    weights = [
        link.evaluate("link => getComputedStyle(link).fontWeight")
        for link in (nav.get_by_role("link", name="City"), nav.get_by_role("link", name="Sport"))
    ]
    assert weights == ["700", "400"]


def test_section_page_has_no_axe_violations(
    live_server, page, axe_violations, csp_violations, newsroom
):
    page.goto(live_server.url + "/section/city/")

    assert axe_violations(page) == []
    assert csp_violations == []
