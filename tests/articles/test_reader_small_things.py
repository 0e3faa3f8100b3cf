"""Small things readers noticed: the archive index, the 404 page, the greeting."""

from datetime import UTC, datetime
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import User
from articles.navigation import SECTION_NAV_KEY
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def at(year, month, day=15):
    return datetime(year, month, day, 12, tzinfo=UTC)


@pytest.fixture
def archive():
    for moment in [at(2024, 3), at(2024, 3, 20), at(2024, 11), at(2025, 1), at(2025, 1, 2)]:
        ArticleFactory(published_at=moment)
    ArticleFactory(draft=True)


def test_archive_lists_years_and_months_with_counts(client, archive):
    response = client.get(reverse("articles:archive_index"))

    assert response.status_code == HTTPStatus.OK
    page = " ".join(response.content.decode().split())
    assert page.index('href="/2025/">2025</a>') < page.index('href="/2024/">2024</a>')
    assert '<a href="/2025/">2025</a> <span class="archive-year__count">2 stories</span>' in page
    assert '<a href="/2024/">2024</a> <span class="archive-year__count">3 stories</span>' in page
    assert '<a href="/2024/03/">March</a> <span class="archive-year__count">2</span>' in page
    assert '<a href="/2024/11/">November</a> <span class="archive-year__count">1</span>' in page
    assert 'href="/2024/05/"' not in page


@pytest.mark.parametrize("stories", [2, 20])
def test_archive_counts_in_the_same_queries_at_any_size(client, warm_site_caches, stories):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for month in range(stories):
        ArticleFactory(published_at=at(2000 + month, 1 + month % 12))

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("articles:archive_index"))

    selects = [q["sql"] for q in queries.captured_queries if "articles_article" in q["sql"]]
    # The next scheduled story (how long the counts may be kept), the earliest
    # and latest, one row of per-month counts; no function over every story.
    assert len(selects) == 4
    assert not any("GROUP BY" in sql or "trunc" in sql.lower() for sql in selects)


def test_archive_counts_are_kept_until_a_story_is_published(
    client, archive, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("articles:archive_index"))
    with CaptureQueriesContext(connection) as cached:
        client.get(reverse("articles:archive_index"))
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(published_at=at(2024, 3, 25))  # purges `lists` on commit
    page = " ".join(client.get(reverse("articles:archive_index")).content.decode().split())

    assert not [q for q in cached.captured_queries if "articles_article" in q["sql"]]
    assert '<a href="/2024/03/">March</a> <span class="archive-year__count">3</span>' in page


def test_archive_counts_follow_a_scheduled_story_going_live(client, archive, travel_to):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    ArticleFactory(published_at=now + timedelta(hours=1))
    before = client.get(reverse("articles:archive_index")).content.decode()
    travel_to(now + timedelta(hours=2))
    after = client.get(reverse("articles:archive_index")).content.decode()

    month = timezone.localtime(now + timedelta(hours=1))
    assert f'href="/{month:%Y/%m}/"' not in before
    assert f'href="/{month:%Y/%m}/"' in after


def test_footer_links_the_archive(client):
    page = client.get("/").content.decode()

    assert f'href="{reverse("articles:archive_index")}">Archive</a>' in page


def test_404_page_has_a_search_box_and_the_latest_stories(client):
    story = ArticleFactory(headline="Ferry returns")

    response = client.get("/no-such-page/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    page = response.content.decode()
    assert 'action="/search/"' in page
    assert 'type="search" name="q"' in page
    assert f'<a href="{story.get_absolute_url()}">Ferry returns</a>' in page


def test_404_latest_stories_are_cached(client, django_assert_num_queries):
    ArticleFactory(headline="Ferry returns")
    client.get("/no-such-page/")
    cache.delete(SECTION_NAV_KEY)  # keep only the stories cached

    with django_assert_num_queries(1):  # the section navigation, not the stories
        page = client.get("/still-no-page/").content.decode()

    assert "Ferry returns" in page


def test_header_greets_a_signed_in_reader_by_display_name(client):
    reader = User.objects.create_user(email="ada@example.com", password="pw-12345678!")
    reader.display_name = "Ada <Lovelace>"
    reader.save()
    client.force_login(reader)

    page = client.get("/").content.decode()

    assert "Hello, Ada &lt;Lovelace&gt;" in page
    assert "Hello, Ada <Lovelace>" not in page


def test_anonymous_reader_is_not_greeted(client):
    assert "Hello," not in client.get("/").content.decode()
