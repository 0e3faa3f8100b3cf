"""
Views are counted by a beacon, in the cache, and moved to the database in
batches that neither lose nor double-count a view, even when flushes overlap.
Only same-origin beacons from browsers count, and each address has a ceiling.
"""

import datetime
import multiprocessing
import threading
from collections import Counter
from http import HTTPStatus
from io import StringIO

import pytest
from diskcache import DjangoCache
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import services
from articles.models import Article, HourlyViewCount
from articles.pending_views import pending_views
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
)
# Half past noon tomorrow (UTC): after every story the factories publish.
NOON = datetime.datetime.now(datetime.UTC).replace(
    hour=12, minute=30, second=0, microsecond=0
) + datetime.timedelta(days=1)


def beacon(article_id: int) -> str:
    return reverse("articles:view_beacon", args=[article_id])


def post_beacon(client, article_id: int, *, user_agent: str = FIREFOX, **headers):
    """POST the beacon as the story page's script does, from a browser on our site."""
    headers = {"Sec-Fetch-Site": "same-origin", "User-Agent": user_agent, **headers}
    extra = {"REMOTE_ADDR": headers.pop("REMOTE_ADDR")} if "REMOTE_ADDR" in headers else {}
    return client.post(beacon(article_id), headers=headers, **extra)


def views_in_db(article) -> int:
    return Article.objects.values_list("view_count", flat=True).get(pk=article.pk)


def hourly_views(article) -> dict[datetime.datetime, int]:
    return dict(HourlyViewCount.objects.filter(article=article).values_list("hour", "views"))


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

    response = post_beacon(client, story.pk)

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"views": 42}


def test_beacon_counts_without_writing_to_the_database(client, story, flush_not_due):
    with CaptureQueriesContext(connection) as queries:
        post_beacon(client, story.pk)

    assert len(queries) == 1
    assert queries[0]["sql"].startswith("SELECT")
    assert services.view_count_pending(article_id=story.pk) == 1


def test_beacon_needs_no_csrf_token(story):
    response = post_beacon(Client(enforce_csrf_checks=True), story.pk)

    assert response.status_code == HTTPStatus.OK


def test_beacon_refuses_get(client, story):
    assert client.get(beacon(story.pk)).status_code == HTTPStatus.METHOD_NOT_ALLOWED


@pytest.mark.parametrize("traits", [{"draft": True}, {"in_review": True}, {"scheduled": True}])
def test_beacon_is_404_for_stories_readers_cannot_see(client, traits):
    story = ArticleFactory(**traits)

    assert post_beacon(client, story.pk).status_code == HTTPStatus.NOT_FOUND
    assert services.view_count_pending(article_id=story.pk) == 0


def test_beacon_is_404_for_unknown_story(client):
    response = post_beacon(client, 999_999)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == "application/json"  # its caller is a script
    assert response.json() == {"error": "No such story."}


def test_beacon_is_never_cached(client, story):
    response = post_beacon(client, story.pk)

    assert "no-cache" in response["Cache-Control"]


def test_beacon_flushes_at_most_once_per_interval(client, story):
    # first beacon: flush due, runs (nothing pending yet)
    for address in ["203.0.113.1", "203.0.113.2", "203.0.113.3"]:
        post_beacon(client, story.pk, REMOTE_ADDR=address)

    assert views_in_db(story) == 0
    assert services.view_count_pending(article_id=story.pk) == 3

    cache.delete(services.FLUSH_DUE_KEY)  # the interval has passed
    post_beacon(client, story.pk, REMOTE_ADDR="203.0.113.4")

    assert views_in_db(story) == 3
    assert services.view_count_pending(article_id=story.pk) == 1


def test_fifty_posts_from_one_reader_add_one_view(client, story, flush_not_due):
    for _ in range(50):
        post_beacon(client, story.pk, REMOTE_ADDR="203.0.113.7")

    assert services.view_count_pending(article_id=story.pk) == 1


def test_repeat_view_answers_the_current_count_without_adding(client, story, flush_not_due):
    Article.objects.filter(pk=story.pk).update(view_count=10)
    post_beacon(client, story.pk)
    record(story, 4)  # other readers meanwhile

    response = post_beacon(client, story.pk)

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"views": 15}


def test_another_browser_on_the_same_network_is_another_reader(client, story, flush_not_due):
    post_beacon(client, story.pk, user_agent=FIREFOX)
    post_beacon(client, story.pk, user_agent=SAFARI)

    assert services.view_count_pending(article_id=story.pk) == 2


def test_same_browser_on_another_network_is_another_reader(client, story, flush_not_due):
    post_beacon(client, story.pk, REMOTE_ADDR="203.0.113.7")
    post_beacon(client, story.pk, REMOTE_ADDR="198.51.100.9")

    assert services.view_count_pending(article_id=story.pk) == 2


def test_reader_counts_once_per_story_not_once_overall(client, flush_not_due):
    first, second = ArticleFactory(), ArticleFactory()

    post_beacon(client, first.pk)
    post_beacon(client, second.pk)

    assert services.view_count_pending(article_id=second.pk) == 1


def test_forged_forwarded_for_without_a_proxy_is_not_a_new_reader(
    client, story, flush_not_due, settings
):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        post_beacon(client, story.pk, **{"X-Forwarded-For": f"192.0.2.{n}"})

    assert services.view_count_pending(article_id=story.pk) == 1


def test_readers_behind_the_trusted_proxy_are_told_apart_by_forwarded_for(
    client, story, flush_not_due, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for ip in ["203.0.113.7", "198.51.100.9", "203.0.113.7"]:
        # The proxy appends the address it saw; anything before it is the client's say.
        post_beacon(client, story.pk, **{"X-Forwarded-For": f"10.9.9.9, {ip}"})

    assert services.view_count_pending(article_id=story.pk) == 2


def test_forwarded_for_shorter_than_the_proxy_chain_still_counts(
    client, story, flush_not_due, settings
):
    settings.TRUSTED_PROXY_COUNT = 2

    response = post_beacon(client, story.pk, **{"X-Forwarded-For": "203.0.113.7"})

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"views": 1}


# --- Honest counts: same origin, no crawlers, a ceiling per address (issue 13, item 16) --


@pytest.mark.parametrize("fetch_site", ["cross-site", "same-site", "none"])
def test_beacon_from_another_site_is_refused_and_not_counted(client, story, fetch_site):
    response = post_beacon(client, story.pk, **{"Sec-Fetch-Site": fetch_site})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "own pages" in response.json()["error"]
    assert services.view_count_pending(article_id=story.pk) == 0


def test_beacon_without_fetch_metadata_counts_when_origin_is_this_site(client, story):
    client.post(beacon(story.pk), headers={"Origin": "http://testserver", "User-Agent": FIREFOX})

    assert services.view_count_pending(article_id=story.pk) == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://elsewhere.example"},
        {"Origin": "null"},
        {},  # neither Sec-Fetch-Site nor Origin: not a browser on our page
    ],
    ids=["other-origin", "opaque-origin", "no-origin"],
)
def test_beacon_without_fetch_metadata_from_elsewhere_is_refused(client, story, headers):
    response = client.post(beacon(story.pk), headers={"User-Agent": FIREFOX, **headers})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert services.view_count_pending(article_id=story.pk) == 0


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/140.0.0.0 Safari/537.36",
        "facebookexternalhit/1.1",
        "curl/8.14.1",
        "python-requests/2.32.4",
        "",
    ],
    ids=[
        "googlebot",
        "bingbot",
        "gptbot",
        "headless-chrome",
        "facebook",
        "curl",
        "requests",
        "none",
    ],
)
def test_known_crawlers_get_the_count_without_adding_to_it(
    client, story, flush_not_due, user_agent
):
    Article.objects.filter(pk=story.pk).update(view_count=7)

    response = post_beacon(client, story.pk, user_agent=user_agent)

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"views": 7}
    assert services.view_count_pending(article_id=story.pk) == 0


def test_two_hundred_user_agents_from_one_address_count_up_to_the_limit(
    client, story, flush_not_due, settings, travel_to
):
    """The reported abuse: 200 POSTs, each with another User-Agent, from one address."""
    settings.VIEWS_PER_ADDRESS_PER_MINUTE = 30
    travel_to(NOON)
    for n in range(200):
        post_beacon(client, story.pk, user_agent=f"{FIREFOX} build/{n}", REMOTE_ADDR="203.0.113.9")

    assert services.view_count_pending(article_id=story.pk) == 30

    post_beacon(client, story.pk, REMOTE_ADDR="198.51.100.1")  # another reader still counts
    assert services.view_count_pending(article_id=story.pk) == 31


def test_address_limit_starts_again_the_next_minute(
    client, story, flush_not_due, settings, travel_to
):
    settings.VIEWS_PER_ADDRESS_PER_MINUTE = 2
    travel_to(NOON)
    for n in range(3):
        post_beacon(client, story.pk, user_agent=f"{FIREFOX} build/{n}", REMOTE_ADDR="203.0.113.9")
    travel_to(NOON + datetime.timedelta(minutes=1))
    post_beacon(client, story.pk, user_agent=f"{FIREFOX} build/9", REMOTE_ADDR="203.0.113.9")

    assert services.view_count_pending(article_id=story.pk) == 3


def test_ipv6_addresses_in_one_64_block_share_the_limit(
    client, story, flush_not_due, settings, travel_to
):
    settings.VIEWS_PER_ADDRESS_PER_MINUTE = 2
    travel_to(NOON)
    for n in range(1, 6):  # one household rotating its privacy addresses
        post_beacon(client, story.pk, REMOTE_ADDR=f"2001:db8:1:2::{n}")
    post_beacon(client, story.pk, REMOTE_ADDR="2001:db8:1:3::1")  # the neighbour's /64

    assert services.view_count_pending(article_id=story.pk) == 3


def test_page_shows_the_stored_count_not_the_pending_one(client, story, flush_not_due):
    Article.objects.filter(pk=story.pk).update(view_count=1234)
    record(story, 56)

    page = client.get(story.get_absolute_url()).content.decode()

    assert "Views: <span data-view-count>1,234</span>" in page


def test_page_shows_views_once_they_are_flushed(client, story, flush_not_due):
    """Read with JavaScript by others, then opened without it: the flushed count shows."""
    for address in ["203.0.113.1", "203.0.113.2"]:
        post_beacon(client, story.pk, REMOTE_ADDR=address)
    services.view_counts_flush()

    page = client.get(story.get_absolute_url()).content.decode()

    assert "Views: <span data-view-count>2</span>" in page


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


def test_flush_adds_the_views_to_this_hours_row_too(story, travel_to):
    record(story, 3)
    travel_to(NOON)
    services.view_counts_flush()
    record(story, 2)
    travel_to(NOON + datetime.timedelta(minutes=20))  # 12:50, the same hour
    services.view_counts_flush()
    record(story, 4)
    travel_to(NOON + datetime.timedelta(hours=1))  # 13:30
    services.view_counts_flush()

    assert hourly_views(story) == {
        NOON.replace(minute=0): 5,
        NOON.replace(minute=0) + datetime.timedelta(hours=1): 4,
    }
    assert views_in_db(story) == 9


def test_flush_deletes_hourly_rows_older_than_two_days(story, travel_to):
    old = HourlyViewCount.objects.create(
        article=story, hour=NOON.replace(minute=0) - datetime.timedelta(days=2, hours=1), views=9
    )
    kept = HourlyViewCount.objects.create(
        article=story, hour=NOON.replace(minute=0) - datetime.timedelta(days=1), views=4
    )
    travel_to(NOON)

    services.view_counts_flush()

    assert list(HourlyViewCount.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not HourlyViewCount.objects.filter(pk=old.pk).exists()


def test_second_flush_adds_nothing(story):
    record(story, 4)
    services.view_counts_flush()

    assert services.view_counts_flush() == 0
    assert views_in_db(story) == 4
    assert sum(hourly_views(story).values()) == 4


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


def test_flush_drops_views_of_a_deleted_story_and_keeps_the_others(story):
    gone = ArticleFactory()
    record(story, 2)
    record(gone, 3)
    gone.delete()

    assert services.view_counts_flush() == 5  # taken from the cache ...
    assert views_in_db(story) == 2  # ... and written where a story is left to hold them
    assert services.view_counts_flush() == 0


def test_two_interleaved_flushes_count_each_view_once(story, travel_to):
    travel_to(NOON)
    record(story, 5)
    taken_by_a = pending_views().drain()  # flush A takes 5 ...
    record(story, 3)  # ... views keep coming ...
    services.view_counts_flush()  # ... flush B runs whole, creating this hour's row ...
    services.view_counts_save(counts=taken_by_a, at=NOON)  # ... and A writes after it.

    assert views_in_db(story) == 8
    assert hourly_views(story) == {NOON.replace(minute=0): 8}
    assert services.view_counts_flush() == 0


def test_failed_database_write_gives_the_views_back(story, monkeypatch):
    record(story, 3)
    real_save = services.view_counts_save

    def broken_save(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "view_counts_save", broken_save)
    with pytest.raises(RuntimeError):
        services.view_counts_flush()
    assert services.view_count_pending(article_id=story.pk) == 3

    monkeypatch.setattr(services, "view_counts_save", real_save)
    services.view_counts_flush()

    assert views_in_db(story) == 3


def test_management_command_flushes(story):
    record(story, 7)
    out = StringIO()

    call_command("flush_view_counts", stdout=out)

    assert views_in_db(story) == 7
    assert "Moved 7 views" in out.getvalue()


# --- The stores under concurrency -------------------------------------------------------
# What makes a flush safe is that `drain()` takes each pending view exactly once
# while views keep arriving. Each store is tried with threads recording and two
# threads draining at once; the database side is F() increments (tested above).


@pytest.fixture(params=["default", "diskcache"])
def store(request, tmp_path):
    """The store of the configured cache (local memory, or Redis in the Redis run),
    and the diskcache one that is the default without CACHE_URL."""
    if request.param == "default":
        yield pending_views()
        return
    disk = DjangoCache(str(tmp_path / "cache"), {})
    yield pending_views(disk)
    disk.close()


def test_concurrent_recording_and_draining_loses_and_doubles_nothing(store):
    article_ids = [1, 2, 3]
    drained: Counter[int] = Counter()
    tally_lock = threading.Lock()
    recording_done = threading.Event()
    errors: list[BaseException] = []

    def recorder(article_id):
        try:
            for _ in range(300):
                store.add(article_id)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    def drainer():
        try:
            while not recording_done.is_set():
                taken = store.drain()
                with tally_lock:
                    drained.update(taken)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    recorders = [threading.Thread(target=recorder, args=(pk,)) for pk in article_ids * 2]
    drainers = [threading.Thread(target=drainer) for _ in range(2)]
    for thread in recorders + drainers:
        thread.start()
    for thread in recorders:
        thread.join()
    recording_done.set()
    for thread in drainers:
        thread.join()
    drained.update(store.drain())

    assert errors == []
    assert dict(drained) == dict.fromkeys(article_ids, 600)
    assert store.get_many(article_ids) == {}


def _record_in_another_process(directory: str, article_id: int, times: int) -> None:
    store = pending_views(DjangoCache(directory, {}))
    for _ in range(times):
        store.add(article_id)


def test_diskcache_store_is_shared_by_worker_processes(tmp_path):
    """gunicorn's workers on one machine count into one store (no stranded counts)."""
    directory = str(tmp_path / "cache")
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_record_in_another_process, args=(directory, 1, 200))
        for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    store = pending_views(DjangoCache(directory, {}))
    assert [worker.exitcode for worker in workers] == [0, 0, 0]
    assert store.get_many([1]) == {1: 600}
    assert store.drain() == {1: 600}
    assert store.drain() == {}


@pytest.mark.django_db(transaction=True)
def test_two_flushes_writing_at_once_add_up(travel_to):
    """Two flushes in two threads (two database connections) write counts for
    the same stories and hour at the same moment: both land, in full."""
    if connection.vendor == "sqlite":
        pytest.skip(
            "the in-memory SQLite test database (shared cache) answers a second writer "
            "'table is locked' at once instead of queueing it; on a real SQLite file "
            "IMMEDIATE transactions queue writers (tests/site/test_sqlite_concurrency.py), "
            "and test_two_interleaved_flushes_count_each_view_once covers the arithmetic"
        )
    travel_to(NOON)
    stories = ArticleFactory.create_batch(3)
    counts_a = {story.pk: 5 for story in stories}
    counts_b = {story.pk: n + 1 for n, story in enumerate(stories)}
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def flush(counts):
        try:
            start.wait()
            services.view_counts_save(counts=counts, at=NOON)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=flush, args=(counts,)) for counts in [counts_a, counts_b]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    for n, story in enumerate(stories):
        assert views_in_db(story) == 5 + n + 1
        assert hourly_views(story) == {NOON.replace(minute=0): 5 + n + 1}
