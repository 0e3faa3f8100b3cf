"""
Anonymous readers: pages from the shared page cache against a fresh render.

    python bench/bench_page_cache.py [--articles N] [--requests R]

Sets up Django with the test settings and a throw-away SQLite database (or
whatever DATABASE_URL / CACHE_URL say), makes N stories with `seed_bulk`, then
requests the front page and one article page R times each as an anonymous
reader, twice in the same run: with the page cache off (the baseline: every
request renders) and on (the first request renders, the rest are cache hits).
Prints the time, the SQL queries and the peak Python memory per request, and
the ratios. It asserts no timing (machines differ).
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def measure(paths: list[str], requests: int) -> tuple[float, float, int]:
    """Seconds per request, queries per request and peak bytes, over `requests` rounds."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()

    def run(rounds: int) -> None:
        for _ in range(rounds):
            for path in paths:
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)

    # Time first, without tracing (tracemalloc slows Python down several times).
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        run(requests)
        seconds = time.perf_counter() - started
    query_count = len(queries)
    tracemalloc.start()
    run(max(requests // 10, 1))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    total = requests * len(paths)
    return seconds / total, query_count / total, peak


def main() -> None:
    parser = argparse.ArgumentParser(description="Page cache hits against fresh renders.")
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--requests", type=int, default=200)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.test")
        import django

        django.setup()
        from django.conf import settings
        from django.core.cache import cache
        from django.core.management import call_command

        from articles.models import Article

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # Django's test client
        call_command("migrate", verbosity=0)
        call_command("seed_bulk", articles=options.articles, verbosity=0)
        article = Article.objects.published().first()
        paths = ["/", article.get_absolute_url()]

        cache.clear()
        settings.PAGE_CACHE_SECONDS = 0
        fresh = measure(paths, options.requests)
        cache.clear()
        settings.PAGE_CACHE_SECONDS = 60
        cached = measure(paths, options.requests)
        backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]

    print(
        f"{options.requests} anonymous requests each of {', '.join(paths[:1])} and one article "
        f"({options.articles} stories, {backend})"
    )
    print(f"{'':24}{'fresh render':>14}{'page cache':>14}{'ratio':>10}")
    print(f"{'ms per request':24}{fresh[0] * 1000:14.2f}{cached[0] * 1000:14.2f}", end="")
    print(f"{fresh[0] / cached[0]:10.1f}")
    print(f"{'SQL queries per request':24}{fresh[1]:14.2f}{cached[1]:14.2f}")
    print(f"{'peak Python memory KiB':24}{fresh[2] / 1024:14.0f}{cached[2] / 1024:14.0f}", end="")
    print(f"{fresh[2] / max(cached[2], 1):10.1f}")


if __name__ == "__main__":
    main()
