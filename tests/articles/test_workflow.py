"""
The story workflow's rules, held by the services in articles/services.py
(the admin's actions, its form and the commands call them).
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles.models import Article
from articles.services import (
    article_publish,
    article_save_check,
    article_schedule,
    article_send_to_review,
    article_unpublish,
)
from tests.articles.factories import ArticleFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return UserFactory(editor=True)


@pytest.fixture
def writer():
    return UserFactory(writer=True)


def reloaded(story: Article) -> Article:
    return Article.objects.get(pk=story.pk)


def test_editor_publishes_a_draft_now(editor):
    story = ArticleFactory(draft=True)

    article_publish(article=story, user=editor)

    assert reloaded(story).is_live
    assert story.history.latest().history_user == editor


def test_writer_may_not_publish(writer):
    story = ArticleFactory(draft=True, created_by=writer)

    with pytest.raises(PermissionDenied):
        article_publish(article=story, user=writer)

    assert reloaded(story).status == Article.Status.DRAFT


def test_a_story_without_an_author_is_not_published(editor):
    story = ArticleFactory(draft=True, authors=[])

    with pytest.raises(ValidationError, match="at least one author"):
        article_publish(article=story, user=editor)

    assert (story.status, reloaded(story).status) == (Article.Status.DRAFT, Article.Status.DRAFT)


def test_a_slug_taken_that_day_is_not_published(editor):
    live = ArticleFactory(slug="harbour-plan")
    story = ArticleFactory(draft=True, slug="harbour-plan")

    with pytest.raises(ValidationError, match="Another story published that day"):
        article_publish(article=story, user=editor, at=live.published_at)

    assert reloaded(story).status == Article.Status.DRAFT


def test_republishing_keeps_the_first_publication_time_and_so_the_address(editor):
    story = ArticleFactory(published_at=timezone.now() - timedelta(days=3))
    address = story.get_absolute_url()
    article_unpublish(article=story, user=editor)

    article_publish(article=story, user=editor)

    assert reloaded(story).get_absolute_url() == address


def test_editor_schedules_a_story_for_later(editor):
    story = ArticleFactory(draft=True)
    later = timezone.now() + timedelta(hours=2)

    article_schedule(article=story, user=editor, publish_at=later)

    assert reloaded(story).is_scheduled
    assert reloaded(story).published_at == later


def test_a_time_in_the_past_is_not_a_schedule(editor):
    story = ArticleFactory(draft=True)

    with pytest.raises(ValidationError, match="in the future"):
        article_schedule(article=story, user=editor, publish_at=timezone.now() - timedelta(1))

    assert reloaded(story).status == Article.Status.DRAFT


def test_a_live_story_is_not_rescheduled(editor):
    story = ArticleFactory()

    with pytest.raises(ValidationError, match="already live"):
        article_schedule(article=story, user=editor, publish_at=timezone.now() + timedelta(1))

    assert reloaded(story).is_live


def test_writer_may_not_schedule(writer):
    story = ArticleFactory(draft=True, created_by=writer)

    with pytest.raises(PermissionDenied):
        article_schedule(article=story, user=writer, publish_at=timezone.now() + timedelta(1))


def test_editor_unpublishes_and_writer_may_not(editor, writer):
    story = ArticleFactory()

    with pytest.raises(PermissionDenied):
        article_unpublish(article=story, user=writer)
    assert reloaded(story).is_live

    article_unpublish(article=story, user=editor)
    assert reloaded(story).status == Article.Status.DRAFT


def test_writer_sends_their_own_draft_to_review(writer):
    story = ArticleFactory(draft=True, created_by=writer)

    article_send_to_review(article=story, user=writer)

    assert reloaded(story).status == Article.Status.IN_REVIEW


def test_writer_may_not_send_someone_elses_draft_to_review(writer, editor):
    story = ArticleFactory(draft=True, created_by=editor)

    with pytest.raises(PermissionDenied):
        article_send_to_review(article=story, user=writer)

    assert reloaded(story).status == Article.Status.DRAFT


def test_a_published_story_is_not_sent_back_to_review(editor):
    story = ArticleFactory()

    article_send_to_review(article=story, user=editor)

    assert reloaded(story).is_live


def test_writer_may_not_save_a_story_as_published(writer):
    story = ArticleFactory.build(status=Article.Status.PUBLISHED, created_by=writer)

    with pytest.raises(PermissionDenied, match="Only editors publish"):
        article_save_check(article=story, user=writer, adding=True)


def test_writer_may_not_save_someone_elses_story(writer, editor):
    story = ArticleFactory(draft=True, created_by=editor)

    with pytest.raises(PermissionDenied, match="only their own"):
        article_save_check(article=story, user=writer, adding=False)


def test_commands_act_as_the_system_without_a_role():
    story = ArticleFactory(draft=True)

    article_publish(article=story)

    assert reloaded(story).is_live
