"""A new terms version in a real browser: draft, preview, confirmation, and the dialog
that tells returning visitors what changed (issue 9.7)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import TermsOfUse
from tests.accounts.factories import TermsOfUseFactory
from tests.browser import OPEN_TERMS_DIALOG
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_editor_previews_then_confirms_a_new_version(
    live_server, superuser_page, csp_violations, terms, draft
):
    page = superuser_page
    UserFactory.create_batch(2)
    page.goto(f"{live_server.url}/admin/accounts/termsofuse/{draft.pk}/change/")

    page.get_by_role("link", name="Preview").click()
    expect(page.get_by_text("Preview of version 2026-02 (draft).")).to_be_visible()
    expect(page.get_by_text("We added a rule against spam.").first).to_be_visible()
    page.get_by_role("link", name="Back to the version in the admin").click()

    page.get_by_role("link", name="Put into effect…").click()
    expect(page.get_by_text("2 reader accounts", exact=True)).to_be_visible()
    page.get_by_role("button", name="Put version 2026-02 into effect").click()
    expect(page.get_by_text("Tick the box to confirm")).to_be_visible()
    assert TermsOfUse.objects.get(pk=draft.pk).is_draft

    page.get_by_label("I have previewed version 2026-02").check()
    page.get_by_role("button", name="Put version 2026-02 into effect").click()
    expect(page.get_by_text("Version 2026-02 is now in force.")).to_be_visible()
    assert TermsOfUse.objects.current().pk == draft.pk
    assert csp_violations == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("view", ["preview", "put-into-effect"])
def test_preview_and_confirmation_pages_have_no_axe_violations(
    live_server, superuser_page, axe_violations, terms, draft, scheme, view
):
    superuser_page.emulate_media(color_scheme=scheme)
    superuser_page.goto(f"{live_server.url}/admin/accounts/termsofuse/{draft.pk}/{view}/")

    assert axe_violations(superuser_page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_returning_visitor_reads_what_changed_in_the_dialog(
    live_server, page, axe_violations, terms, scheme
):
    page.emulate_media(color_scheme=scheme)
    page.context.add_cookies([{"name": "terms_answer", "value": "2026-01", "url": live_server.url}])
    TermsOfUseFactory(
        version="2026-02",
        changes_summary="We added a rule against spam.",
        effective_at=timezone.now() - datetime.timedelta(seconds=1),
    )

    page.goto(live_server.url + "/")
    dialog = page.locator(OPEN_TERMS_DIALOG)
    dialog.wait_for()

    assert dialog.get_by_role("heading", name="What changed since version 2026-01").is_visible()
    assert dialog.get_by_text("We added a rule against spam.").is_visible()
    assert axe_violations(page) == []
