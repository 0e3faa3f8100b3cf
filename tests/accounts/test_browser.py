"""The terms dialog, sign-up and the account page in a real browser."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import TermsAcceptance
from tests.accounts.factories import TermsAcceptanceFactory, TermsOfUseFactory
from tests.browser import OPEN_TERMS_DIALOG, signed_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def dialog_is_open(page) -> bool:
    return page.locator(OPEN_TERMS_DIALOG).count() == 1


def settle(page) -> None:
    """Wait until the dialog script has fetched (or decided not to)."""
    page.wait_for_load_state("networkidle")


# --- The Terms of use dialog --------------------------------------------------------------------


def test_dialog_opens_for_a_new_visitor_with_focus_inside(live_server, page, terms):
    page.goto(live_server.url + "/")
    page.wait_for_selector(OPEN_TERMS_DIALOG)

    assert page.evaluate("document.querySelector('dialog').contains(document.activeElement)")


def test_dialog_is_modal_so_the_page_behind_is_inert(live_server, page, terms):
    page.goto(live_server.url + "/")
    page.wait_for_selector(OPEN_TERMS_DIALOG)

    assert page.evaluate("document.querySelector('dialog').matches(':modal')")


def test_dialog_ends_with_the_question_and_offers_sign_up(live_server, page, terms):
    page.goto(live_server.url + "/")
    dialog = page.wait_for_selector(OPEN_TERMS_DIALOG)

    assert "Do you agree to our terms?" in dialog.inner_text()
    assert dialog.query_selector("a[href='/accounts/signup/']").inner_text() == "Sign up"


def test_escape_closes_the_dialog_and_focus_returns(live_server, page, terms):
    held = []
    page.route("**/terms/prompt/**", lambda route: held.append(route))
    page.goto(live_server.url + "/")
    page.focus(".site-header__brand")
    held[0].continue_()
    page.wait_for_selector(OPEN_TERMS_DIALOG)

    page.keyboard.press("Escape")

    assert not dialog_is_open(page)
    assert page.evaluate("document.activeElement.className") == "site-header__brand"


def test_close_button_closes_the_dialog(live_server, page, terms):
    page.goto(live_server.url + "/")
    page.wait_for_selector(OPEN_TERMS_DIALOG)

    page.get_by_role("button", name="Close").click()

    assert not dialog_is_open(page)


def test_agree_hides_the_dialog_and_it_stays_hidden_on_the_next_page(live_server, page, terms):
    page.goto(live_server.url + "/")
    page.wait_for_selector(OPEN_TERMS_DIALOG)

    page.get_by_role("button", name="Agree").click()
    page.wait_for_url(live_server.url + "/")
    settle(page)
    page.goto(live_server.url + "/shop/")
    settle(page)

    assert not dialog_is_open(page)
    assert TermsAcceptance.objects.get().method == "dialog"


def test_not_now_hides_the_dialog_without_recording_agreement(live_server, page, terms):
    page.goto(live_server.url + "/shop/")
    page.wait_for_selector(OPEN_TERMS_DIALOG)

    page.get_by_role("button", name="Not now").click()
    page.wait_for_url(live_server.url + "/shop/")
    page.goto(live_server.url + "/")
    settle(page)

    assert not dialog_is_open(page)
    assert not TermsAcceptance.objects.exists()


def test_new_version_opens_the_dialog_again(live_server, page, terms):
    page.goto(live_server.url + "/")
    page.wait_for_selector(OPEN_TERMS_DIALOG)
    page.get_by_role("button", name="Agree").click()
    page.wait_for_url(live_server.url + "/")
    TermsOfUseFactory(version="2026-02", effective_at=timezone.now())

    page.goto(live_server.url + "/shop/")

    assert page.wait_for_selector(OPEN_TERMS_DIALOG)


def test_sign_up_link_leads_to_the_form(live_server, page, terms):
    page.goto(live_server.url + "/")
    page.wait_for_selector(OPEN_TERMS_DIALOG)

    page.locator(OPEN_TERMS_DIALOG).get_by_role("link", name="Sign up").click()

    page.wait_for_url(live_server.url + "/accounts/signup/")
    assert page.get_by_label("I agree to the Terms of use").is_visible()


def test_open_dialog_has_no_axe_violations(live_server, page, axe_violations, terms):
    page.goto(live_server.url + "/")
    page.wait_for_selector(OPEN_TERMS_DIALOG)

    assert axe_violations(page) == []


# --- Sign-up and the account page -------------------------------------------------------


def test_signup_page_has_no_axe_violations(live_server, page, axe_violations, terms):
    page.goto(live_server.url + "/accounts/signup/")

    assert axe_violations(page) == []


def test_reader_signs_up_by_accepting_and_sees_it_on_their_account_page(live_server, page, terms):
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Email").fill("new.reader@example.com")
    page.get_by_label("Display name").fill("New Reader")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("I agree to the Terms of use").check()
    page.get_by_role("button", name="Sign up").click()

    # Every sign-up ends at "check your inbox" (issue 13.8); the link signs in.
    page.wait_for_url(live_server.url + "/accounts/confirm-email/")
    body = mail.outbox[-1].body
    link = next(word for word in body.split() if "/accounts/confirm-email/" in word)
    page.goto(live_server.url + link[link.index("/accounts/") :])
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(live_server.url + "/accounts/")
    row = page.locator(".consent-table tbody tr").first.inner_text()
    assert "2026-01" in row and "Sign-up form" in row


def test_account_page_has_no_axe_violations(live_server, page, axe_violations, terms):
    signed_in(page, live_server, TermsAcceptanceFactory(terms=terms).user)

    page.goto(live_server.url + "/accounts/")

    assert page.get_by_role("heading", name="Your account").is_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/terms/", "/terms/versions/", "/accounts/login/"])
def test_terms_and_login_pages_have_no_axe_violations(
    live_server, page, axe_violations, terms, path
):
    page.goto(live_server.url + path)

    assert axe_violations(page) == []


def test_no_csp_errors_through_dialog_sign_up_and_account(live_server, page, csp_violations, terms):
    page.goto(live_server.url + "/")
    page.wait_for_selector(OPEN_TERMS_DIALOG)
    page.locator(OPEN_TERMS_DIALOG).get_by_role("link", name="Sign up").click()
    page.wait_for_url(live_server.url + "/accounts/signup/")
    page.goto(live_server.url + "/terms/")

    assert csp_violations == []


def test_accept_page_has_no_axe_violations(live_server, page, axe_violations, terms):
    TermsOfUseFactory(version="2026-02", changes_summary="Clearer.", effective_at=timezone.now())
    signed_in(page, live_server, TermsAcceptanceFactory(terms=terms).user)

    page.goto(live_server.url + "/")

    assert page.url.startswith(live_server.url + "/terms/accept/")
    assert axe_violations(page) == []


# --- The terms editor in the admin ------------------------------------------------------------


def open_terms_editor(page, url: str):
    page.goto(url)
    editor = page.locator(".prose-editor > .ProseMirror")
    editor.wait_for()
    return editor


def test_terms_add_form_runs_the_editor_without_csp_errors(
    live_server, superuser_page, csp_violations, terms
):
    open_terms_editor(superuser_page, live_server.url + "/admin/accounts/termsofuse/add/")

    assert csp_violations == []


def test_scheduled_version_change_form_runs_the_editor_without_csp_errors(
    live_server, superuser_page, csp_violations, terms
):
    scheduled = TermsOfUseFactory(effective_at=timezone.now() + datetime.timedelta(days=7))

    open_terms_editor(
        superuser_page, live_server.url + f"/admin/accounts/termsofuse/{scheduled.pk}/change/"
    )

    assert csp_violations == []


def test_double_spaces_typed_in_the_terms_editor_are_saved_as_spaces(
    live_server, superuser_page, terms
):
    scheduled = TermsOfUseFactory(
        body="<p>Be kind.</p>", effective_at=timezone.now() + datetime.timedelta(days=7)
    )
    editor = open_terms_editor(
        superuser_page, live_server.url + f"/admin/accounts/termsofuse/{scheduled.pk}/change/"
    )
    editor.click()
    superuser_page.keyboard.press("End")
    superuser_page.keyboard.type(" Two  spaces.")
    with superuser_page.expect_navigation():
        superuser_page.click("input[name=_continue]")

    scheduled.refresh_from_db()
    assert scheduled.body == "<p>Be kind. Two  spaces.</p>"
