"""Every allauth page we serve works in Chromium under our Content Security Policy."""

import pytest

from tests.accounts import allauth_pages
from tests.browser import signed_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_anonymous_account_pages_raise_no_csp_errors(live_server, page, csp_violations, terms):
    user = allauth_pages.reader_with_two_addresses(terms)
    keyed = [allauth_pages.keyed_url(name, user) for name in allauth_pages.WITH_A_KEY]

    for path in [*allauth_pages.ANONYMOUS, *keyed]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")

    assert csp_violations == []


def test_signed_in_account_pages_raise_no_csp_errors(live_server, page, csp_violations, terms):
    signed_in(page, live_server, allauth_pages.reader_with_two_addresses(terms))

    for path in allauth_pages.SIGNED_IN:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")

    assert csp_violations == []


def test_email_page_script_asks_before_removing_an_address(live_server, page, terms):
    """allauth's own script (static files and a JSON block) runs under our policy."""
    signed_in(page, live_server, allauth_pages.reader_with_two_addresses(terms))
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.goto(live_server.url + "/accounts/email/")

    page.get_by_label("second@example.com").check()
    page.get_by_role("button", name="Remove").click()

    assert asked == ["Do you really want to remove the selected email address?"]
    assert page.get_by_label("second@example.com").is_visible()
