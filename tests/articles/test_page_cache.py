"""A change readers would notice reaches them at once, not when the cached page expires."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Author, Section, Tag
from newsroom.roles import EDITOR
from tests.articles.factories import ArticleFactory, AuthorFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run what the code under test leaves for after the commit (the test's own
    transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def reader_sees(path: str) -> Client:
    """A reader without cookies: the page cache serves them."""
    return Client().get(path)


def test_an_anonymous_page_is_cached_to_begin_with():
    story = ArticleFactory(headline="Before")
    reader_sees(story.get_absolute_url())
    Article.objects.filter(pk=story.pk).update(headline="After")  # no save(): cache untouched

    assert "Before" in reader_sees(story.get_absolute_url()).content.decode()


def test_unpublishing_in_the_admin_takes_the_cached_page_down_at_once(client, after_commit):
    story = ArticleFactory()
    assert reader_sees(story.get_absolute_url()).status_code == HTTPStatus.OK
    client.force_login(UserFactory(groups=[EDITOR]))

    with after_commit():
        client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "unpublish", "_selected_action": [story.pk]},
        )

    assert reader_sees(story.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_editing_a_live_story_reaches_readers_at_once(after_commit):
    story = ArticleFactory(headline="Ferry delayed")
    reader_sees(story.get_absolute_url())

    with after_commit():
        story.headline = "Ferry cancelled"
        story.save()

    assert "Ferry cancelled" in reader_sees(story.get_absolute_url()).content.decode()


def test_deleting_a_live_story_takes_its_cached_page_down(after_commit):
    story = ArticleFactory()
    address = story.get_absolute_url()
    reader_sees(address)

    with after_commit():
        Article.objects.filter(pk=story.pk).delete()

    assert reader_sees(address).status_code == HTTPStatus.NOT_FOUND


def test_saving_a_draft_leaves_the_cached_pages_alone(after_commit):
    live = ArticleFactory(headline="Before")
    draft = ArticleFactory(draft=True)
    reader_sees(live.get_absolute_url())
    Article.objects.filter(pk=live.pk).update(headline="After")

    with after_commit():
        draft.headline = "Still a draft"
        draft.save()

    assert "Before" in reader_sees(live.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("model", "make"),
    [
        (Section, lambda story: story.section),
        (Tag, lambda story: story.tags.get()),
        (Author, lambda story: story.bylines.get().author),
    ],
    ids=["section", "tag", "author"],
)
def test_renaming_what_a_story_shows_reaches_readers_at_once(after_commit, model, make):
    story = ArticleFactory(tags=[TagFactory()], authors=[AuthorFactory()])
    reader_sees(story.get_absolute_url())
    thing = make(story)

    with after_commit():
        thing.name = "Renamed at once"
        thing.save()

    assert "Renamed at once" in reader_sees(story.get_absolute_url()).content.decode()


def test_deleting_a_tag_reaches_readers_at_once(after_commit):
    tag = TagFactory(name="Gone soon")
    story = ArticleFactory(tags=[tag])
    reader_sees(story.get_absolute_url())

    with after_commit():
        Tag.objects.filter(pk=tag.pk).delete()

    assert "Gone soon" not in reader_sees(story.get_absolute_url()).content.decode()
