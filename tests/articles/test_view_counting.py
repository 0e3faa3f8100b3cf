"""
Views are counted by a beacon, in the cache, and moved to the database in
batches that neither lose nor double-count a view, even when flushes overlap.
"""

import threading
from collections import Counter
from http import HTTPStatus
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import services
from articles.models import Article
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def beacon(article_id: int) -> str:
    return reverse("articles:view_beacon", args=[article_id])


def views_in_db(article) -> int:
    return Article.objects.values_list("view_count", flat=True).get(pk=article.pk)


def record(article, times: int) -> None:
    for _ in range(times):
        services.view_record(article_id=article.pk)


@pytest.fixture
def story():
    return ArticleFactory()


@pytest.fixture
def flush_not_due():
    """As if a beacon had just flushed: the next ones only count."""
    cache.set(services.FLUSH_DUE_KEY, 1, timeout=services.FLUSH_INTERVAL)


# --- The beacon ------------------------------------------------------------------------


def test_beacon_counts_a_view_and_answers_with_the_count(client, story):
    Article.objects.filter(pk=story.pk).update(view_count=41)

    response = client.post(beacon(story.pk))

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"views": 42}


def test_beacon_counts_without_writing_to_the_database(client, story, flush_not_due):
    with CaptureQueriesContext(connection) as queries:
        client.post(beacon(story.pk))

    assert len(queries) == 1
    assert queries[0]["sql"].startswith("SELECT")
    assert services.view_count_pending(article_id=story.pk) == 1


def test_beacon_needs_no_csrf_token(story):
    response = Client(enforce_csrf_checks=True).post(beacon(story.pk))

    assert response.status_code == HTTPStatus.OK


def test_beacon_refuses_get(client, story):
    assert client.get(beacon(story.pk)).status_code == HTTPStatus.METHOD_NOT_ALLOWED


@pytest.mark.parametrize("traits", [{"draft": True}, {"in_review": True}, {"scheduled": True}])
def test_beacon_is_404_for_stories_readers_cannot_see(client, traits):
    story = ArticleFactory(**traits)

    assert client.post(beacon(story.pk)).status_code == HTTPStatus.NOT_FOUND
    assert services.view_count_pending(article_id=story.pk) == 0


def test_beacon_is_404_for_unknown_story(client):
    assert client.post(beacon(999_999)).status_code == HTTPStatus.NOT_FOUND


def test_beacon_is_never_cached(client, story):
    response = client.post(beacon(story.pk))

    assert "no-cache" in response["Cache-Control"]


def test_beacon_flushes_at_most_once_per_interval(client, story):
    # first beacon: flush due, runs (nothing pending yet)
    client.post(beacon(story.pk), headers={"User-Agent": "reader 1"})
    client.post(beacon(story.pk), headers={"User-Agent": "reader 2"})
    client.post(beacon(story.pk), headers={"User-Agent": "reader 3"})

    assert views_in_db(story) == 0
    assert services.view_count_pending(article_id=story.pk) == 3

    cache.delete(services.FLUSH_DUE_KEY)  # the interval has passed
    client.post(beacon(story.pk), headers={"User-Agent": "reader 4"})

    assert views_in_db(story) == 3
    assert services.view_count_pending(article_id=story.pk) == 1


def test_fifty_posts_from_one_reader_add_one_view(client, story, flush_not_due):
    for _ in range(50):
        client.post(beacon(story.pk), headers={"User-Agent": "Firefox"}, REMOTE_ADDR="203.0.113.7")

    assert services.view_count_pending(article_id=story.pk) == 1


def test_repeat_view_answers_the_current_count_without_adding(client, story, flush_not_due):
    Article.objects.filter(pk=story.pk).update(view_count=10)
    client.post(beacon(story.pk))
    record(story, 4)  # other readers meanwhile

    response = client.post(beacon(story.pk))

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"views": 15}


def test_another_browser_on_the_same_network_is_another_reader(client, story, flush_not_due):
    client.post(beacon(story.pk), headers={"User-Agent": "Firefox"})
    client.post(beacon(story.pk), headers={"User-Agent": "Safari"})

    assert services.view_count_pending(article_id=story.pk) == 2


def test_same_browser_on_another_network_is_another_reader(client, story, flush_not_due):
    client.post(beacon(story.pk), REMOTE_ADDR="203.0.113.7")
    client.post(beacon(story.pk), REMOTE_ADDR="198.51.100.9")

    assert services.view_count_pending(article_id=story.pk) == 2


def test_reader_counts_once_per_story_not_once_overall(client, flush_not_due):
    first, second = ArticleFactory(), ArticleFactory()

    client.post(beacon(first.pk))
    client.post(beacon(second.pk))

    assert services.view_count_pending(article_id=second.pk) == 1


def test_forged_forwarded_for_without_a_proxy_is_not_a_new_reader(
    client, story, flush_not_due, settings
):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        client.post(beacon(story.pk), headers={"X-Forwarded-For": f"192.0.2.{n}"})

    assert services.view_count_pending(article_id=story.pk) == 1


def test_readers_behind_the_trusted_proxy_are_told_apart_by_forwarded_for(
    client, story, flush_not_due, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for ip in ["203.0.113.7", "198.51.100.9", "203.0.113.7"]:
        # The proxy appends the address it saw; anything before it is the client's say.
        client.post(beacon(story.pk), headers={"X-Forwarded-For": f"10.9.9.9, {ip}"})

    assert services.view_count_pending(article_id=story.pk) == 2


def test_forwarded_for_shorter_than_the_proxy_chain_still_counts(
    client, story, flush_not_due, settings
):
    settings.TRUSTED_PROXY_COUNT = 2

    response = client.post(beacon(story.pk), headers={"X-Forwarded-For": "203.0.113.7"})

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"views": 1}


def test_shown_count_is_database_plus_pending(client, story, flush_not_due):
    Article.objects.filter(pk=story.pk).update(view_count=1000)
    record(story, 234)

    page = client.get(story.get_absolute_url()).content.decode()

    assert "Views: <span data-view-count>1,234</span>" in page


def test_article_page_does_not_count_by_being_rendered(client, story):
    client.get(story.get_absolute_url())

    assert services.view_count_pending(article_id=story.pk) == 0


# --- Flushing -------------------------------------------------------------------------


def test_flush_moves_pending_views_to_the_database():
    first, second = ArticleFactory(), ArticleFactory()
    record(first, 3)
    record(second, 5)

    moved = services.view_counts_flush()

    assert moved == 8
    assert (views_in_db(first), views_in_db(second)) == (3, 5)
    assert services.view_count_pending(article_id=first.pk) == 0


def test_second_flush_adds_nothing(story):
    record(story, 4)
    services.view_counts_flush()

    assert services.view_counts_flush() == 0
    assert views_in_db(story) == 4


def test_views_after_a_flush_are_moved_by_the_next(story):
    record(story, 2)
    services.view_counts_flush()
    record(story, 3)
    services.view_counts_flush()

    assert views_in_db(story) == 5


def test_flush_adds_to_the_count_with_f_expressions(story):
    record(story, 2)
    Article.objects.filter(pk=story.pk).update(view_count=10)  # e.g. another process

    services.view_counts_flush()

    assert views_in_db(story) == 12


def test_flush_is_skipped_while_another_holds_the_lock(story):
    record(story, 2)
    cache.add(services.FLUSH_LOCK_KEY, 1, timeout=60)

    assert services.view_counts_flush() == 0
    assert services.view_count_pending(article_id=story.pk) == 2


def test_views_arriving_during_a_flush_are_kept_for_the_next(story):
    record(story, 5)
    ids, _ = services._dirty_ids()
    claims = services._claim(ids)  # flush A has claimed 5 ...
    record(story, 3)  # ... views keep coming ...
    services._write(claims)  # ... and A writes.

    services.view_counts_flush()

    assert views_in_db(story) == 8
    assert services.view_count_pending(article_id=story.pk) == 0


def test_two_interleaved_flushes_count_each_view_once(story):
    record(story, 5)
    ids, _ = services._dirty_ids()
    claims_a = services._claim(ids)  # A claims 5
    record(story, 3)
    services.view_counts_flush()  # B runs whole, between A's claim and A's write
    services._write(claims_a)

    assert views_in_db(story) == 8
    assert services.view_counts_flush() == 0


def test_flush_between_another_flushs_read_and_claim_counts_once(story, monkeypatch):
    record(story, 4)
    real_read = services.view_count_pending_many

    def read_then_let_another_flush_run(article_ids):
        seen = real_read(article_ids)  # A reads 4 ...
        monkeypatch.setattr(services, "view_count_pending_many", real_read)
        services.view_counts_flush()  # ... B claims and writes those 4 ...
        return seen  # ... and A goes on to claim what it read.

    monkeypatch.setattr(services, "view_count_pending_many", read_then_let_another_flush_run)
    ids, _ = services._dirty_ids()
    services._write(services._claim(ids))
    record(story, 1)
    services.view_counts_flush()

    assert views_in_db(story) == 5
    assert services.view_count_pending(article_id=story.pk) == 0


def test_failed_database_write_gives_the_views_back(story, monkeypatch):
    record(story, 3)

    def broken_write(claims):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_write", broken_write)
    with pytest.raises(RuntimeError):
        services.view_counts_flush()
    monkeypatch.undo()
    services.view_counts_flush()

    assert views_in_db(story) == 3


def test_concurrent_recording_and_flushing_loses_and_doubles_nothing(monkeypatch):
    """Threads record views while two flushers run at once, without the lock.

    The database write is replaced by a tally: what is under test is the
    claiming in the cache (the F() UPDATE itself is atomic in the database).
    """
    article_ids = [1, 2, 3]
    written: Counter[int] = Counter()
    tally_lock = threading.Lock()

    def tally(claims):
        with tally_lock:
            written.update(claims)

    monkeypatch.setattr(services, "_write", tally)
    recording_done = threading.Event()
    errors: list[BaseException] = []

    def recorder(article_id):
        try:
            for _ in range(300):
                services.view_record(article_id=article_id)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    def flusher():
        try:
            while not recording_done.is_set():
                services._flush_unlocked()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    recorders = [threading.Thread(target=recorder, args=(pk,)) for pk in article_ids * 2]
    flushers = [threading.Thread(target=flusher) for _ in range(2)]
    for thread in recorders + flushers:
        thread.start()
    for thread in recorders:
        thread.join()
    recording_done.set()
    for thread in flushers:
        thread.join()
    services._flush_unlocked()

    assert errors == []
    assert dict(written) == dict.fromkeys(article_ids, 600)
    assert all(services.view_count_pending(article_id=pk) == 0 for pk in article_ids)


def test_management_command_flushes(story):
    record(story, 7)
    out = StringIO()

    call_command("flush_view_counts", stdout=out)

    assert views_in_db(story) == 7
    assert "Moved 7 views" in out.getvalue()
