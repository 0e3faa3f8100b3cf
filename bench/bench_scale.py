"""
A million stories: every page's fresh-render time at 1,000 and 1,000,000 stories.

    python bench/bench_scale.py [--sizes 1000 1000000] [--pg-url URL] [--pg-size 100000]
                                [--runs 9] [--no-throughput]

Seeds SQLite databases under bench/results/ (git-ignored; kept between runs,
because seeding a million stories takes most of an hour on a busy machine):
`migrate`, `seed_demo`, then `seed_bulk --articles N`. With --pg-url (or
BENCH_PG_URL), also a PostgreSQL database at --pg-size stories and one at
1,000 (the URL's database name, with `_1k` for the small one; created if
missing). Each database is measured in a fresh process with the page cache
off (PAGE_CACHE_SECONDS=0): every request renders. Prints, per page, the
median time at each size and the ratio (issue 14's target: at most 3x), and
the process's resident memory after each page at the largest size (target:
under 100 MB). Then, unless --no-throughput, serves the 1,000-story database
with gunicorn (2 workers, port 8140) and measures requests per second with
wrk for the front page and a story, anonymous and signed in, as a share of a
bare view's (targets: 5 % and 8 %; signed in 4 % and 6 %). No timing is
asserted: machines differ; ratios from one run are what compare.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
PORT = 8140
#: Turns of the throughput measurement (each page `--seconds` per turn).
ROUNDS = 3
TARGET_RATIO = 3.0
READER = ("bench-reader@example.com", "bench-reader-password-1")
EDITOR = ("bench-editor@example.com", "bench-editor-password-1")


def environment(database_url: str) -> dict:
    # One cache per database: the header's sections, the search vocabulary and
    # the shared fragments of one archive must not be served from another's.
    cache_name = re.sub(r"\W+", "-", urllib.parse.urlsplit(database_url).path).strip("-")
    return os.environ | {
        "DATABASE_URL": database_url,
        "CACHE_DIR": str(RESULTS / "cache" / cache_name),
        "SECRET_KEY": "bench-only-secret-key",
        "DEBUG": "0",
        "PAGE_CACHE_SECONDS": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "MEDIA_ROOT": str(RESULTS / "media"),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.base",
    }


def manage(database_url: str, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=environment(database_url),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def story_count(database_url: str) -> int:
    code = "from articles.models import Article; print(Article.objects.count())"
    return int(manage(database_url, "shell", "-c", code).split()[-1])


def ensure_database(database_url: str, size: int) -> None:
    """Migrate, and seed to `size` bulk stories if the database has fewer."""
    manage(database_url, "migrate", "--noinput")
    have = story_count(database_url)
    if have < size:
        print(f"   seeding {size:,} stories into {database_url} (slow at a million)...")
        manage(database_url, "seed_demo")
        manage(database_url, "seed_bulk", "--articles", str(size - have), "--seed", "4")


def ensure_postgresql(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


# --- Measuring one database (runs in its own process) ---------------------------------


def pages_to_measure() -> dict[str, tuple[str, str | None]]:
    """{name: (path, user)}: the pages issue 14 names, found in this database."""
    from django.conf import settings
    from django.db.models import Count

    from articles.models import Article, Author, Section
    from articles.sitemaps import story_months
    from newsroom.pagination import MAX_PAGES

    live = Article.objects.published()
    newest = live.order_by("-published_at", "-pk").first()
    oldest = live.order_by("published_at", "pk").first()
    section = Section.objects.annotate(n=Count("articles")).order_by("-n").first()
    in_section = live.filter(section=section)[: MAX_PAGES * 12 + 1].count()
    deepest = max(1, min(MAX_PAGES, -(-in_section // 12)))
    author = Author.objects.annotate(n=Count("bylines")).order_by("-n").first()
    month = story_months()[0][0]
    admin = "/" + settings.ADMIN_URL
    admin_deepest = max(1, min(100, -(-Article.objects.count() // 100)))
    return {
        "home": ("/", None),
        "story (newest)": (newest.get_absolute_url(), None),
        "story (oldest)": (oldest.get_absolute_url(), None),
        "section page 1": (section.get_absolute_url(), None),
        "section deepest page": (
            f"{section.get_absolute_url()}?page={deepest}" if deepest > 1 else "/",
            None,
        ),
        "author": (author.get_absolute_url(), None),
        "search, common word": ("/search/?q=council", None),
        "search, rare word": ("/search/?q=gasworks", None),
        "sitemap index": ("/sitemap.xml", None),
        "sitemap child (newest month)": (f"/sitemap-stories-{month:%Y-%m}.xml", None),
        "news sitemap": ("/sitemap-news.xml", None),
        "feed": ("/feed/", None),
        "archive index": ("/archive/", None),
        "admin list, first page": (f"{admin}articles/article/", "editor"),
        "admin list, deepest page": (f"{admin}articles/article/?p={admin_deepest}", "editor"),
        "admin search": (f"{admin}articles/article/?q=council", "editor"),
    }


def rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def list_pages() -> None:
    """Print the pages to measure as JSON (run in a process of its own, see below)."""
    import django

    django.setup()
    print(json.dumps(pages_to_measure()))


def measure(runs: int, pages: dict | None) -> None:
    import django

    django.setup()
    pages = pages or pages_to_measure()
    from django.contrib.auth import get_user_model
    from django.db import close_old_connections
    from django.test import Client

    editor, _ = get_user_model().objects.get_or_create(
        email=EDITOR[0], defaults={"is_staff": True, "is_superuser": True}
    )
    clients = {None: Client(), "editor": Client()}
    clients["editor"].force_login(editor)
    results = {}
    for name, (path, user) in pages.items():
        client = clients[user]
        for _ in range(2):  # warm: templates, caches, SQLite's page cache
            response = client.get(path)
            close_old_connections()
            assert response.status_code == 200, (name, path, response.status_code)
        times, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            # As a worker does after each request (the test client does not):
            # a new connection per request, and PRAGMA optimize as it closes.
            close_old_connections()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        results[name] = {
            "path": path,
            "ms": statistics.median(times) * 1000,
            # This process's CPU time: what the page costs, whatever else the
            # shared machine is doing (wall time also waits for the CPU).
            "cpu_ms": statistics.median(cpu) * 1000,
            "rss": rss_mb(),
        }
    print(json.dumps(results))


def measure_database(database_url: str, runs: int) -> dict:
    # The pages are found in a process of their own: finding the biggest
    # section and author counts every story, and that query's memory would
    # otherwise count as the pages' (20 MB at a million stories).
    pages = run_self(database_url, "--list-pages")
    return run_self(database_url, "--measure", "--runs", str(runs), "--pages", json.dumps(pages))


def run_self(database_url: str, *args: str):
    """This script's JSON answer to `args`, run against `database_url`."""
    result = subprocess.run(
        [PYTHON, __file__, *args],
        cwd=ROOT,
        env=environment(database_url),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"measuring {database_url} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- Throughput with gunicorn -----------------------------------------------------------


def wrk_requests(url: str, cookie: str | None, seconds: int) -> tuple[int, float]:
    """(requests answered, seconds taken) by `wrk -t2 -c8` for `seconds`."""
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = re.search(r"(\d+) requests in ([\d.]+)(m?s)", output)
    taken = float(found.group(2)) / (1000 if found.group(3) == "ms" else 1)
    return int(found.group(1)), taken


def workers_cpu_seconds(master: int) -> float:
    """User and system CPU time of gunicorn's workers (the master's children) so far."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def sign_in(base: str) -> str:
    """Log the bench reader in through the site's own form; their cookies as a header."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "login": READER[0], "password": READER[1]}
    ).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=form)
    request.add_header("Referer", f"{base}/accounts/login/")
    opener.open(request)
    cookies = {cookie.name: cookie.value for cookie in jar}
    assert "sessionid" in cookies, "the bench reader could not sign in"
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def prepare_reader(database_url: str) -> str:
    """The bench reader (terms accepted) and a story address; returns the address."""
    code = f"""
from accounts.models import TermsOfUse, User
from accounts.services import terms_accept
from articles.models import Article
user = User.objects.filter(email={READER[0]!r}).first()
if user is None:
    user = User.objects.create_user(email={READER[0]!r}, password={READER[1]!r})
terms = TermsOfUse.objects.current()
if terms is not None:
    terms_accept(terms=terms, user=user, method="dialog", ip_address=None, user_agent="bench")
print(Article.objects.published().first().get_absolute_url())
"""
    return manage(database_url, "shell", "-c", code).split()[-1]


def throughput(database_url: str, seconds: int) -> dict:
    story = prepare_reader(database_url)
    env = environment(database_url) | {
        "DJANGO_SETTINGS_MODULE": "scale_site",
        "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "newsroom.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/__bare__/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        signed_in = sign_in(base)
        # In turns, a few seconds each, so that the load other engineers put on
        # the shared machine falls alike on the bare view and the pages; and
        # the workers' CPU time per request, which that load hardly changes.
        totals = {}
        for _ in range(ROUNDS):
            for who, cookie in (("anonymous", None), ("signed in", signed_in)):
                for page, path in (("bare view", "/__bare__/"), ("home", "/"), ("story", story)):
                    cpu_before = workers_cpu_seconds(server.pid)
                    requests, taken = wrk_requests(base + path, cookie, seconds)
                    cpu = workers_cpu_seconds(server.pid) - cpu_before
                    total = totals.setdefault((who, page), [0, 0.0, 0.0])
                    total[0] += requests
                    total[1] += taken
                    total[2] += cpu
        return {
            key: {"rps": requests / taken, "cpu_ms": cpu / max(requests, 1) * 1000}
            for key, (requests, taken, cpu) in totals.items()
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- Report ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[1_000, 1_000_000])
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL"))
    parser.add_argument("--pg-size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seconds", type=int, default=4, help="wrk duration per page and turn")
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL (and throughput) only")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--list-pages", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pages", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.list_pages or options.measure:
        sys.path.insert(0, str(ROOT))
        if options.list_pages:
            list_pages()
        else:
            measure(options.runs, json.loads(options.pages) if options.pages else None)
        return

    RESULTS.mkdir(parents=True, exist_ok=True)
    # DEBUG is off, so templates need the hashed static files' manifest.
    manage(f"sqlite:///{RESULTS / 'collectstatic.sqlite3'}", "collectstatic", "--noinput")
    small, large = options.sizes
    runs = (
        []
        if options.no_sqlite
        else [
            (
                f"SQLite, {small:,} / {large:,}",
                [
                    (f"sqlite:///{RESULTS / f'sqlite-{small}.sqlite3'}", small),
                    (f"sqlite:///{RESULTS / f'sqlite-{large}.sqlite3'}", large),
                ],
            )
        ]
    )
    if options.pg_url:
        ensure_postgresql(options.pg_url)
        ensure_postgresql(options.pg_url + "_1k")
        runs.append(
            (
                f"PostgreSQL, 1,000 / {options.pg_size:,}",
                [
                    (options.pg_url + "_1k", 1_000),
                    (options.pg_url, options.pg_size),
                ],
            )
        )
    for title, databases in runs:
        for url, size in databases:
            ensure_database(url, size)
        (small_url, _), (large_url, _) = databases
        before, after = (
            measure_database(small_url, options.runs),
            measure_database(large_url, options.runs),
        )
        print(
            f"\n## {title} stories (median ms per fresh render; RSS after the page, large size)\n"
        )
        print(f"load average {os.getloadavg()[0]:.1f} after measuring\n")
        print(
            "| page | small | large | ratio | CPU small | CPU large | CPU ratio "
            "| RSS MB small | RSS MB large |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for name, result in before.items():
            ratio = after[name]["ms"] / result["ms"]
            cpu_ratio = after[name]["cpu_ms"] / max(result["cpu_ms"], 0.01)
            flag = "" if ratio <= TARGET_RATIO else " (over 3x)"
            cpu_flag = "" if cpu_ratio <= TARGET_RATIO else " (over 3x)"
            large = after[name]
            print(
                f"| {name} | {result['ms']:.1f} | {large['ms']:.1f} | {ratio:.2f}x{flag} | "
                f"{result['cpu_ms']:.1f} | {large['cpu_ms']:.1f} | {cpu_ratio:.2f}x{cpu_flag} "
                f"| {result['rss']:.0f} | {large['rss']:.0f} |"
            )
    if not options.no_throughput:
        url = f"sqlite:///{RESULTS / f'sqlite-{small}.sqlite3'}"
        rps = throughput(url, options.seconds)
        print(f"\n## Fresh-render throughput, gunicorn 2 workers, SQLite {small:,} stories\n")
        print(f"load average {os.getloadavg()[0]:.1f} after measuring\n")
        print(
            "| reader | page | requests/s | share of bare view | "
            "worker CPU ms per request | share of bare view by CPU |"
        )
        print("|---|---|---|---|---|---|")
        for (who, page), value in rps.items():
            bare = rps[(who, "bare view")]
            print(
                f"| {who} | {page} | {value['rps']:.0f} | {value['rps'] / bare['rps']:.1%} | "
                f"{value['cpu_ms']:.2f} | {bare['cpu_ms'] / value['cpu_ms']:.1%} |"
            )


if __name__ == "__main__":
    main()
