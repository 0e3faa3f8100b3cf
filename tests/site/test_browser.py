"""The site chrome in a real browser: accessible, keyboard-usable, CSP-clean."""

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_home_page_has_no_axe_violations(live_server, page, axe_violations, csp_violations):
    page.goto(live_server.url + "/")

    assert page.title().startswith("Newsroom")
    assert axe_violations(page) == []
    assert csp_violations == []


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(live_server, page):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_error_page_is_accessible_in_both_colour_schemes(live_server, page, axe_violations, scheme):
    page.emulate_media(color_scheme=scheme)
    response = page.goto(live_server.url + "/no-such-page/")

    assert response.status == 404
    assert axe_violations(page) == []
