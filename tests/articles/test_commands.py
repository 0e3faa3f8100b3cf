"""seed_demo, seed_bulk and flush_view_counts (the last in test_view_counting.py)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from articles import demo
from articles.demo_stories import STORIES
from articles.models import Article, Author, Byline, Section
from articles.search import search_articles
from newsroom.roles import EDITOR, WRITER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_pictures(monkeypatch):
    monkeypatch.setattr(demo, "IMAGE_SIZE", (320, 180))


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_makes_a_newsroom():
    seed_demo()

    assert Section.objects.count() == 4
    assert Author.objects.count() == 4
    assert Article.objects.published().count() == len(STORIES) >= 24
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 1
    assert sum(story.is_scheduled for story in Article.objects.all()) == 1
    assert set(Group.objects.values_list("name", flat=True)) >= {WRITER, EDITOR}


def test_seed_demo_stories_have_pictures_bylines_and_body(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # renditions come after the commit
        seed_demo()
    story = Article.objects.published().get(slug="night-ferry-returns")

    assert story.lead_picture and story.card_picture
    assert story.lead_image_alt
    assert [
        author.slug for author in Article.objects.with_bylines().get(pk=story.pk).byline_authors
    ] == ["mara-quill"]
    assert "<h2>What changes for passengers</h2>" in story.body
    assert "<blockquote>" in story.body


def test_seed_demo_is_idempotent():
    seed_demo()
    counts = (Article.objects.count(), Byline.objects.count(), Section.objects.count())

    output = seed_demo()

    assert (
        Article.objects.count(),
        Byline.objects.count(),
        Section.objects.count(),
    ) == counts
    assert "0 new stories" in output


def test_seed_demo_makes_no_log_ins_in_production():
    seed_demo()

    assert not get_user_model().objects.exists()


def test_seed_demo_makes_demo_log_ins_for_local_development(settings):
    settings.DEBUG = True

    output = seed_demo()

    editor = get_user_model().objects.get(email="editor@example.com")
    assert editor.is_staff
    assert editor.has_perm("articles.publish_article")
    assert demo.DEMO_PASSWORD in output


def test_seed_bulk_makes_published_searchable_stories():
    call_command("seed_bulk", articles=30, stdout=StringIO())

    assert Article.objects.published().count() == 30
    assert Byline.objects.count() == 30
    assert len(search_articles("news")) == 30  # every standfirst says "News about ..."


def test_seed_bulk_can_run_twice():
    call_command("seed_bulk", articles=5, stdout=StringIO())
    call_command("seed_bulk", articles=5, stdout=StringIO())

    assert Article.objects.count() == 10


def test_seed_bulk_needs_a_positive_number():
    with pytest.raises(CommandError):
        call_command("seed_bulk", articles=0)
