"""The story form helps (issue 9.6): publish guards, clear actions, errors where they
are seen, the Scheduled filter, and the counts under the fields."""

import re
from datetime import timedelta
from http import HTTPStatus

import factory
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.articles.factories import ArticleFactory, AuthorFactory, SectionFactory
from tests.articles.test_admin import form_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
LIST_URL = reverse("admin:articles_article_changelist")


@pytest.fixture
def editor(client):
    client.force_login(UserFactory(editor=True))
    return client


def story_data(*, author=None, **fields) -> dict:
    """The story form's data (tests/articles/test_admin.py), in a new section."""
    return form_data(section=SectionFactory(), author=author, **fields)


def test_draft_without_author_can_be_saved(editor):
    response = editor.post(ADD_URL, story_data())

    assert response.status_code == HTTPStatus.FOUND
    assert Article.objects.get().status == Article.Status.DRAFT


def test_publishing_needs_an_author(editor):
    response = editor.post(ADD_URL, story_data(_publish="Publish now"))

    assert response.status_code == HTTPStatus.OK
    assert "needs at least one author" in response.content.decode()
    assert not Article.objects.exists()


#: Bodies with nothing a reader would see.
EMPTY_BODIES = ["<p> </p>", "<p><br></p>", "<p>\u200b\u200b</p>", "<p>\u202e\ufeff</p>"]


@pytest.mark.parametrize("body", EMPTY_BODIES, ids=ascii)
def test_empty_body_cannot_be_published_and_the_error_is_at_the_top_and_by_the_field(editor, body):
    response = editor.post(
        ADD_URL, story_data(author=AuthorFactory(), body=body, _publish="Publish now")
    )

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert not Article.objects.exists()
    top = page.split('class="errornote story-errors"', 1)[1].split("</div>", 1)[0]
    assert 'href="#id_body"' in top and "needs a body" in top
    field = page.split('class="form-row', 1)[1]
    assert page.count("needs a body before it is published") == 2  # the list and the field
    assert field


def test_empty_body_can_be_saved_as_a_draft(editor):
    response = editor.post(ADD_URL, story_data(body=""))

    assert response.status_code == HTTPStatus.FOUND
    assert Article.objects.get().body == ""


def test_publish_now_publishes_at_once(editor):
    response = editor.post(ADD_URL, story_data(author=AuthorFactory(), _publish="Publish now"))

    story = Article.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert story.is_live
    assert timezone.now() - story.published_at < timedelta(minutes=1)


def test_schedule_needs_a_future_time_and_then_schedules(editor):
    author = AuthorFactory()
    refused = editor.post(ADD_URL, story_data(author=author, _schedule="Schedule"))
    assert refused.status_code == HTTPStatus.OK
    assert "give a publication time in the future" in refused.content.decode()

    when = timezone.localtime(timezone.now() + timedelta(days=1))
    response = editor.post(
        ADD_URL,
        story_data(
            author=author,
            _schedule="Schedule",
            published_at_0=when.strftime("%Y-%m-%d"),
            published_at_1=when.strftime("%H:%M:%S"),
        ),
    )

    story = Article.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert story.is_scheduled


def test_schedule_refuses_an_empty_body(editor):
    when = timezone.localtime(timezone.now() + timedelta(days=1))
    response = editor.post(
        ADD_URL,
        story_data(
            author=AuthorFactory(),
            body="",
            _schedule="Schedule",
            published_at_0=when.strftime("%Y-%m-%d"),
            published_at_1=when.strftime("%H:%M:%S"),
        ),
    )

    assert response.status_code == HTTPStatus.OK
    assert not Article.objects.exists()


@pytest.mark.parametrize("body", ["", *EMPTY_BODIES], ids=ascii)
def test_publish_now_action_refuses_a_story_with_an_empty_body(editor, body):
    story = ArticleFactory(draft=True, body=body)

    editor.post(LIST_URL, {"action": "publish_now", "_selected_action": [story.pk]})

    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT


def test_form_offers_publish_and_schedule_with_the_time_zone(editor, settings):
    settings.TIME_ZONE = "Europe/Berlin"

    page = editor.get(ADD_URL).content.decode()

    assert 'name="_publish" value="Publish now"' in page
    assert re.search(r'name="_schedule"\s+value="Schedule"', page)
    assert "Europe/Berlin" in page
    assert "articles/admin-story-form.js" in page


def test_writer_gets_no_publish_buttons(client):
    client.force_login(UserFactory(writer=True))

    page = client.get(ADD_URL).content.decode()

    assert 'name="_publish"' not in page


def test_writer_cannot_publish_with_the_button(client):
    client.force_login(UserFactory(writer=True))

    client.post(ADD_URL, story_data(author=AuthorFactory(), _publish="Publish now"))

    assert not Article.objects.filter(status=Article.Status.PUBLISHED).exists()


def test_change_list_filters_scheduled_stories(editor):
    ArticleFactory(headline="Live one")
    ArticleFactory(scheduled=True, headline="Tomorrow's one")
    ArticleFactory(draft=True, headline="Draft one")

    page = editor.get(LIST_URL, {"publication": "scheduled"}).content.decode()

    headlines = re.findall(r'class="field-headline"><a [^>]*>([^<]*)<', page)
    assert headlines == ["Tomorrow's one"] or headlines == ["Tomorrow&#x27;s one"]


def test_publish_now_action_that_loses_a_slug_race_names_the_story_and_keeps_the_others(
    editor, monkeypatch
):
    # Two requests both pass publish_problems' slug check before either saves:
    # switching the check off here lets the database's constraint refuse the
    # second save, as it does to the slower of two racing requests.
    monkeypatch.setattr("articles.services.publish_problems", lambda **kwargs: [])
    first, second = ArticleFactory.create_batch(
        2, draft=True, slug="triplet-slug", headline=factory.Iterator(["Ferry", "Bridge"])
    )
    other = ArticleFactory(draft=True, slug="other-slug", headline="Tram")
    selected = [first.pk, second.pk, other.pk]

    response = editor.post(
        LIST_URL, {"action": "publish_now", "_selected_action": selected}, follow=True
    )

    assert response.status_code == HTTPStatus.OK
    live = set(Article.objects.filter(status=Article.Status.PUBLISHED).values_list("pk", flat=True))
    assert other.pk in live
    assert len(live & {first.pk, second.pk}) == 1
    refused = Article.objects.get(pk=({first.pk, second.pk} - live).pop())
    shown = [str(message) for message in response.context["messages"]]
    assert "Published 2 stories." in shown
    assert any(
        message.startswith("Not published:") and f"“{refused.headline}”" in message
        for message in shown
    ), shown
