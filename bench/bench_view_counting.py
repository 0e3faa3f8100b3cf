"""
Counting views: the cache path against a naive UPDATE per view.

    python bench/bench_view_counting.py [--views N] [--workers W] [--cache disk|settings]

Sets up Django with the test settings and a throw-away SQLite database (or
whatever DATABASE_URL says), then records N views of one story, from W worker
processes at once (like gunicorn workers when readers arrive together; threads
with the local-memory cache, which lives in one process), two ways in the same
run: through `services.view_record` (an atomic increment in the cache's
pending-views store, `articles/pending_views.py`, drained by one flush at the
end) and, as the baseline, one `UPDATE ... SET view_count = view_count + 1` per
view. It checks that the cache path lost nothing and prints the times and
their ratio; it asserts no timing (machines differ).

The cache is diskcache in a temporary folder (the production default without
CACHE_URL) unless `--cache settings` or CACHE_URL asks for the configured one
(local memory in the test settings, Redis with CACHE_URL=redis://...).
"""

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _work(job: tuple[str, int, int]) -> None:
    from django.db import connection
    from django.db.models import F

    from articles import services
    from articles.models import Article

    how, article_id, count = job
    connection.close()  # a connection of our own, not the parent's
    for _ in range(count):
        if how == "cache":
            services.view_record(article_id=article_id)
        else:
            Article.objects.filter(pk=article_id).update(view_count=F("view_count") + 1)
    connection.close()


def timed_in_workers(
    how: str, article_id: int, views: int, workers: int, *, threads: bool
) -> float:
    """Seconds for `workers` processes (or threads) to record `views` views, `how` says how."""
    from django.db import connection

    jobs = [(how, article_id, views // workers)] * workers
    connection.close()
    if threads:
        with ThreadPoolExecutor(workers) as pool:
            started = time.perf_counter()
            list(pool.map(_work, jobs))
            return time.perf_counter() - started
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        started = time.perf_counter()
        pool.map(_work, jobs)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description="Cache-counted views against UPDATE per view.")
    parser.add_argument("--views", type=int, default=4000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--cache",
        choices=["disk", "settings"],
        default="settings" if os.environ.get("CACHE_URL") else "disk",
    )
    options = parser.parse_args()
    views = options.views - options.views % options.workers

    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.test")
        import django

        django.setup()
        from django.conf import settings
        from django.test.utils import override_settings

        if options.cache == "disk":
            override_settings(
                CACHES={
                    "default": {"BACKEND": "diskcache.DjangoCache", "LOCATION": f"{folder}/cache"}
                }
            ).enable()
        from django.core.cache import cache
        from django.core.management import call_command
        from django.db import connection
        from django.utils import timezone

        from articles import services
        from articles.models import Article, Section

        call_command("migrate", verbosity=0)
        cache.clear()
        section, _ = Section.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
        story = Article.objects.create(
            headline="Benchmark story",
            slug=f"bench-{time.time_ns()}",
            standfirst="Read many times.",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
        )

        backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        # The local-memory cache lives inside one process: use threads there.
        threads = backend == "LocMemCache"
        cache_seconds = timed_in_workers("cache", story.pk, views, options.workers, threads=threads)
        started = time.perf_counter()
        services.view_counts_flush()
        flush_seconds = time.perf_counter() - started
        update_seconds = timed_in_workers(
            "update", story.pk, views, options.workers, threads=threads
        )

        story.refresh_from_db()
        counted = story.view_count
        story.delete()
        cache.clear()
        vendor = connection.vendor

    cache_total = cache_seconds + flush_seconds
    kind = "threads" if threads else "processes"
    print(f"{views} views of one story from {options.workers} {kind} ({vendor}, {backend})")
    print(f"  cache increments + one flush : {cache_total * 1000:9.1f} ms")
    print(f"  one UPDATE per view          : {update_seconds * 1000:9.1f} ms")
    print(f"  ratio (UPDATE / cache)       : {update_seconds / cache_total:9.1f}")
    print(f"  views in the database        : {counted} of {2 * views}")
    if counted != 2 * views:
        sys.exit("MISMATCH: views were lost or counted twice")


if __name__ == "__main__":
    main()
