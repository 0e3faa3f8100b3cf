"""The front page's and story pages' shared parts (`articles.views.front_page_parts`,
`story_parts`): rendered once and kept between requests, never past what
changes them.

The page cache is off here (as under DEBUG), so every request is a fresh render
and only the shared parts are kept. Changes are made without running the
commit's purges unless a test says so: what is checked is what else ends a
part's life (the view count in its key, the next scheduled story, a correction
note due later, the host asked on).
"""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db.models import F
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from articles import views
from articles.models import Article
from articles.views import around_view_count, shared_story_parts
from newsroom.pagecache import FRAGMENT_KEY
from tests.articles.factories import ArticleFactory, CorrectionFactory

pytestmark = pytest.mark.django_db


def page(client, address: str, **extra) -> str:
    response = client.get(address, **extra)
    assert response.status_code == 200
    return response.content.decode()


def test_a_story_page_shows_the_flushed_view_count(client):
    # The count is filled in by each render, around the shared parts.
    story = ArticleFactory(view_count=41)
    assert "data-view-count>41<" in page(client, story.get_absolute_url())

    # What the pending views' flush does: no purge, a new count.
    Article.objects.filter(pk=story.pk).update(view_count=F("view_count") + 1_000)

    assert "data-view-count>1,041<" in page(client, story.get_absolute_url())


def test_a_story_edited_shows_at_once(client, django_capture_on_commit_callbacks):
    story = ArticleFactory(headline="Ferry times announced")
    assert "Ferry times announced" in page(client, story.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Ferry times corrected"
        story.save()

    shown = page(client, story.get_absolute_url())
    assert "Ferry times corrected" in shown
    assert "Ferry times announced" not in shown


def test_a_related_story_edited_shows_at_once(client, django_capture_on_commit_callbacks):
    story = ArticleFactory()
    related = ArticleFactory(section=story.section, headline="Harbour wall repaired")
    assert "Harbour wall repaired" in page(client, story.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        related.headline = "Harbour wall rebuilt"
        related.save()

    assert "Harbour wall rebuilt" in page(client, story.get_absolute_url())


def test_the_next_story_link_appears_when_a_scheduled_story_goes_live(client, travel_to):
    now = timezone.now()
    story = ArticleFactory(published_at=now - timedelta(hours=1))
    ArticleFactory(headline="Polls open at seven", published_at=now + timedelta(hours=1))
    assert "Polls open at seven" not in page(client, story.get_absolute_url())

    travel_to(now + timedelta(hours=2))

    assert "Polls open at seven" in page(client, story.get_absolute_url())


def test_the_front_page_shows_a_scheduled_story_when_it_goes_live(client, travel_to):
    now = timezone.now()
    ArticleFactory(published_at=now - timedelta(hours=1))
    ArticleFactory(headline="Polls open at seven", published_at=now + timedelta(hours=1))
    assert "Polls open at seven" not in page(client, "/")

    travel_to(now + timedelta(hours=2))

    assert "Polls open at seven" in page(client, "/")


def test_a_correction_note_due_later_shows_when_it_is_due(client, travel_to):
    now = timezone.now()
    story = ArticleFactory(published_at=now - timedelta(hours=1))
    CorrectionFactory(
        article=story, text="The vote was on Wednesday.", published_at=now + timedelta(hours=1)
    )
    assert "The vote was on Wednesday." not in page(client, story.get_absolute_url())

    travel_to(now + timedelta(hours=2))

    assert "The vote was on Wednesday." in page(client, story.get_absolute_url())


def test_a_story_page_links_to_the_site_address_whatever_host_asked(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    settings.SITE_URL = "https://testserver"
    story = ArticleFactory()

    shown = [
        page(client, story.get_absolute_url(), HTTP_HOST=host)
        for host in ("testserver", "localhost:20001", "localhost:20002")
    ]

    assert f'rel="canonical" href="https://testserver{story.get_absolute_url()}"' in shown[1]
    assert "localhost" not in shown[1]
    assert shown[0] == shown[1] == shown[2]
    # One copy of the story's parts, whatever the host and port.
    assert caches["pages"].get(FRAGMENT_KEY.format(f"story-{story.pk}")) is not None


def test_a_story_unpublished_after_its_lookup_is_a_404():
    story = ArticleFactory()
    request = RequestFactory().get(story.get_absolute_url())
    Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT)

    with pytest.raises(Http404):
        shared_story_parts(request, story.pk)


def test_a_headline_that_looks_like_the_view_count_stays_text(client):
    story = ArticleFactory(headline="<span data-view-count>999</span>", view_count=7)

    shown = page(client, story.get_absolute_url())

    assert "data-view-count>7<" in shown
    assert "&lt;span data-view-count&gt;999&lt;/span&gt;" in shown


def test_a_story_partial_without_its_view_count_is_refused():
    with pytest.raises(ValueError):
        around_view_count("<article><p>No count here.</p></article>")


@pytest.mark.parametrize("address", ["home", "story"])
def test_a_render_that_runs_past_a_scheduled_time_is_not_kept_past_it(
    client, travel_to, monkeypatch, address
):
    now = timezone.now()
    story = ArticleFactory(published_at=now - timedelta(hours=1))
    ArticleFactory(headline="Polls open at seven", published_at=now + timedelta(hours=1))
    build = views.front_page_parts if address == "home" else views.story_parts

    def slow_build(*args, **kwargs):
        parts = build(*args, **kwargs)
        travel_to(now + timedelta(hours=2))  # the story went live while rendering
        return parts

    monkeypatch.setattr(views, build.__name__, slow_build)
    path = "/" if address == "home" else story.get_absolute_url()
    # Most read, rendered after the parts, names it once already.
    assert page(client, path).count("Polls open at seven") == 1

    # The parts, built before seven, were not kept past it.
    assert page(client, path).count("Polls open at seven") >= 2


@pytest.mark.parametrize("shared", [True, False])
def test_with_shared_fragments_off_a_change_made_elsewhere_shows_at_once(client, settings, shared):
    settings.SHARED_FRAGMENTS = shared
    story = ArticleFactory(headline="Ferry times announced")
    page(client, story.get_absolute_url())

    # As the shell or a management command would, from another process whose
    # purges never reach this one's local-memory cache.
    Article.objects.filter(pk=story.pk).update(headline="Ferry times corrected")

    shown = page(client, story.get_absolute_url())
    assert ("Ferry times corrected" in shown) is not shared
