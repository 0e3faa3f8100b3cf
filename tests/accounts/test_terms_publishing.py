"""
Publishing a new version of the terms is safe (issue 9.7): a new version is a
draft that can be previewed as readers will see it; it goes into effect only
through a confirmation that says how many readers will be asked again; until
its effective time it can be corrected; and returning visitors, signed in or
not, are told what changed in the dialog.
"""

import datetime
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import TermsOfUse
from articles.models import Article
from tests.accounts.factories import TermsAcceptanceFactory, TermsOfUseFactory
from tests.articles.factories import ArticleFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def terms_url(name, *args):
    return reverse(f"admin:accounts_termsofuse_{name}", args=args)


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(superuser=True))
    return client


def add_form(**fields):
    return {
        "version": "2026-02",
        "title": "Terms of use",
        "body": "<p>Be kind. No spam, please.</p>",
        "changes_summary": "We added a rule against spam.",
        **fields,
    }


# --- A new version is a draft -------------------------------------------------------------


def test_a_version_saved_in_the_admin_is_a_draft_readers_do_not_see(admin_client, terms):
    response = admin_client.post(terms_url("add"), add_form())

    assert response.status_code == HTTPStatus.FOUND
    draft = TermsOfUse.objects.get(version="2026-02")
    assert draft.is_draft and draft.effective_at is None
    reader = Client()
    assert 'data-terms-version="2026-01"' in reader.get("/").text
    assert "No spam" not in reader.get("/terms/").text
    assert reader.get("/terms/2026-02/").status_code == HTTPStatus.NOT_FOUND
    assert "2026-02" not in reader.get("/terms/versions/").text


def test_a_draft_does_not_send_signed_in_readers_to_accept_it(client, terms, draft):
    reader = UserFactory()
    TermsAcceptanceFactory(user=reader, terms=terms)
    client.force_login(reader)

    response = client.get("/accounts/")

    assert response.status_code == HTTPStatus.OK  # not a redirect to /terms/accept/


def test_a_draft_can_be_corrected(admin_client, draft):
    response = admin_client.post(
        terms_url("change", draft.pk), add_form(body="<p>Be kind. No spam at all.</p>")
    )

    assert response.status_code == HTTPStatus.FOUND
    draft.refresh_from_db()
    assert draft.body == "<p>Be kind. No spam at all.</p>"
    assert draft.is_draft


# --- Preview ------------------------------------------------------------------------------


def test_a_draft_can_be_previewed_as_readers_will_see_it(admin_client, terms, draft):
    response = admin_client.get(terms_url("preview", draft.pk))

    assert response.status_code == HTTPStatus.OK
    page = response.text
    assert "Preview of version 2026-02 (draft)" in page
    assert "Readers do not see it until it takes effect." in page
    assert "<p>Be kind. No spam, please.</p>" in page
    # What returning visitors will read first in the dialog.
    assert "What changed since version 2026-01" in page
    assert "We added a rule against spam." in page
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_preview_is_for_staff_only(client, draft):
    client.force_login(UserFactory())

    response = client.get(terms_url("preview", draft.pk))

    assert response.status_code == HTTPStatus.FOUND
    assert "/login/" in response["Location"]


def test_change_form_offers_preview_and_put_into_effect(admin_client, draft):
    page = admin_client.get(terms_url("change", draft.pk)).text

    assert terms_url("preview", draft.pk) in page
    assert terms_url("put_into_effect", draft.pk) in page


# --- Putting it into effect needs a confirmation that shows who is asked -------------------


def test_confirmation_page_says_how_many_readers_will_be_asked_again(admin_client, terms, draft):
    UserFactory.create_batch(3)
    UserFactory(is_active=False)
    UserFactory(staff=True)  # the admin_client's superuser is staff too

    response = admin_client.get(terms_url("put_into_effect", draft.pk))

    assert response.status_code == HTTPStatus.OK
    assert "3 reader accounts" in response.text
    assert "will be asked to accept it" in response.text


def test_nothing_changes_without_the_explicit_confirmation(admin_client, terms, draft):
    response = admin_client.post(terms_url("put_into_effect", draft.pk), {"when": "now"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Tick the box to confirm" in response.text
    draft.refresh_from_db()
    assert draft.is_draft
    assert TermsOfUse.objects.current() == terms


def test_confirmed_now_the_version_is_in_force_and_readers_are_asked(
    admin_client, terms, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            terms_url("put_into_effect", draft.pk), {"when": "now", "confirm": "on"}
        )

    assert response.status_code == HTTPStatus.FOUND
    assert TermsOfUse.objects.current() == draft
    reader = Client()
    reader.force_login(UserFactory())
    assert reader.get("/accounts/")["Location"].startswith("/terms/accept/")


def test_putting_into_effect_purges_the_cached_pages(
    page_cache, admin_client, terms, draft, django_capture_on_commit_callbacks
):
    story = ArticleFactory(headline="Before")
    assert 'data-terms-version="2026-01"' in Client().get("/").text
    Article.objects.filter(pk=story.pk).update(headline="After")  # no save(): no purge
    assert "Before" in Client().get("/").text  # the page is served from the cache

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(terms_url("put_into_effect", draft.pk), {"when": "now", "confirm": "on"})

    page = Client().get("/").text
    assert 'data-terms-version="2026-02"' in page
    assert "After" in page


def put_into_effect_later(admin_client, draft, when):
    """Post the admin's "put into effect" form for `draft`, confirmed, at the
    local datetime `when` (to the minute); returns the response."""
    return admin_client.post(
        terms_url("put_into_effect", draft.pk),
        {
            "when": "later",
            "effective_at_0": when.strftime("%Y-%m-%d"),
            "effective_at_1": when.strftime("%H:%M"),
            "confirm": "on",
        },
    )


def test_confirmed_for_later_the_version_is_scheduled_and_still_editable(
    admin_client, terms, draft
):
    later = timezone.localtime(timezone.now() + datetime.timedelta(days=3))

    put_into_effect_later(admin_client, draft, later)

    draft.refresh_from_db()
    assert draft.is_scheduled
    assert TermsOfUse.objects.current() == terms
    response = admin_client.post(
        terms_url("change", draft.pk), add_form(changes_summary="A rule against spam.")
    )
    assert response.status_code == HTTPStatus.FOUND
    draft.refresh_from_db()
    assert draft.changes_summary == "A rule against spam."
    assert draft.is_scheduled  # correcting the text keeps its time


def test_a_later_time_must_be_in_the_future(admin_client, draft):
    earlier = timezone.localtime(timezone.now() - datetime.timedelta(days=1))

    response = put_into_effect_later(admin_client, draft, earlier)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    draft.refresh_from_db()
    assert draft.is_draft


def test_a_scheduled_version_can_go_back_to_draft(admin_client, draft):
    TermsOfUse.objects.filter(pk=draft.pk).update(
        effective_at=timezone.now() + datetime.timedelta(days=1)
    )

    response = admin_client.post(terms_url("back_to_draft", draft.pk))

    assert response.status_code == HTTPStatus.FOUND
    draft.refresh_from_db()
    assert draft.is_draft


def test_a_version_in_force_cannot_be_put_into_effect_again_or_taken_back(admin_client, terms):
    before = terms.effective_at

    admin_client.post(terms_url("put_into_effect", terms.pk), {"when": "now", "confirm": "on"})
    admin_client.post(terms_url("back_to_draft", terms.pk))

    terms.refresh_from_db()
    assert terms.effective_at == before


def test_writers_cannot_put_a_version_into_effect(client, draft):
    client.force_login(UserFactory(staff=True))

    response = client.post(terms_url("put_into_effect", draft.pk), {"when": "now", "confirm": "on"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    draft.refresh_from_db()
    assert draft.is_draft


# --- The dialog tells returning visitors what changed ---------------------------------------


def published_second_version(terms):
    return TermsOfUseFactory(
        version="2026-02",
        changes_summary="We added a rule against spam.",
        effective_at=timezone.now() - datetime.timedelta(seconds=1),
    )


@pytest.mark.parametrize("first_answer", ["agree", "not-now"])
def test_anonymous_returning_visitor_sees_what_changed_in_the_dialog(terms, first_answer):
    visitor = Client()
    visitor.post(f"/terms/{first_answer}/", {"version": "2026-01", "next": "/"})
    published_second_version(terms)

    dialog = visitor.get("/terms/prompt/").text

    assert "What changed since version 2026-01" in dialog
    assert "We added a rule against spam." in dialog


def test_first_time_visitor_gets_the_dialog_without_a_changes_section(terms):
    published_second_version(terms)

    dialog = Client().get("/terms/prompt/").text

    assert "<dialog" in dialog
    assert "What changed since" not in dialog


def test_a_forged_answer_cookie_shows_no_changes(terms):
    published_second_version(terms)
    visitor = Client()
    visitor.cookies["terms_answer"] = "9999-99"

    dialog = visitor.get("/terms/prompt/").text

    assert "<dialog" in dialog
    assert "What changed since" not in dialog


def test_a_later_time_another_version_has_is_a_form_error_not_a_500(admin_client, draft):
    # Also what the slower of two editors scheduling the same minute at once
    # sees: the database's constraint is the one check (accounts/services.py).
    later = timezone.localtime(timezone.now() + datetime.timedelta(days=3)).replace(
        second=0, microsecond=0
    )
    TermsOfUseFactory(version="2026-03", effective_at=later)

    response = put_into_effect_later(admin_client, draft, later)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Another version takes effect at that moment." in response.text
    draft.refresh_from_db()
    assert draft.is_draft
