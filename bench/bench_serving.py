"""
Serving at scale: gunicorn (2 workers) and wrk, everything measured in one run.

    python bench/bench_serving.py [--articles N] [--seconds S] [--no-readme]

1. Cached pages against a static file served by the same stack (whitenoise in
   the same gunicorn): the front page and a story, 50 connections; prints the
   rps ratio and the p99 ratio (issue 12: at least 0.9 x the rps, p99 at most
   1.5 x).
2. The flood: 10,000 distinct junk query strings on the front page and a story
   add at most one cache entry per path, and the workers' RSS grows by less
   than 10 MB.
3. Redis stopped in the middle of a wrk run: 0 responses other than 2xx/3xx.

Uses the production settings (DEBUG off, collectstatic, the default on-disk
cache) with a throw-away SQLite database and cache folder. Installs Debian's
wrk when it is missing (as root). Appends the figures, with the date and the
machine, to bench/README.md. Asserts no timing: it prints ratios.
"""

import argparse
import datetime
import http.client
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
PORT = 8125
REDIS_PORT = 8126
REDIS_SITE_PORT = 8127
CONNECTIONS = 50

SEED = """
from articles.models import Article
story = Article.objects.published().order_by("-published_at").first()
print(story.pk, story.get_absolute_url())
"""

COUNT_ENTRIES = """
import sys
from diskcache import FanoutCache
print(len(FanoutCache(sys.argv[1], shards=4)))
"""


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing Debian's wrk...")
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        return shutil.which("wrk") or sys.exit("wrk did not install")
    sys.exit("wrk is missing: apt-get install wrk")


def environment(folder: Path, **extra: str) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG")
    return {
        **{name: value for name, value in os.environ.items() if name in keep},
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.base",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "CACHE_DIR": str(folder / "cache"),
        "SITE_URL": f"http://127.0.0.1:{PORT}",
        "LOG_LEVEL": "ERROR",
        **extra,
    }


def run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, *args], cwd=PROJECT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.exit(f"{args} failed:\n{result.stdout}\n{result.stderr[-3000:]}")
    return result.stdout


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class Gunicorn:
    def __init__(self, env: dict[str, str], port: int) -> None:
        self.port = port
        self.process = subprocess.Popen(
            [GUNICORN, "newsroom.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                get(port, "/healthz")
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        sys.exit("gunicorn did not start")

    def worker_rss_kb(self) -> int:
        """Total resident memory of the worker processes, in KB."""
        total = 0
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        for pid in children.read_text().split():
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        return total

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def wrk(path: str, port: int, seconds: int) -> dict:
    """rps, p99 (ms) and non-2xx/3xx answers of a wrk run at CONNECTIONS connections."""
    output = subprocess.run(
        [
            "wrk",
            "--latency",
            f"-t{2}",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", output).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    return {
        "rps": rps,
        "p99": p99,
        "bad": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(0) if errors else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--no-readme", action="store_true")
    options = parser.parse_args()
    ensure_wrk()
    lines = []

    def say(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = environment(folder)
        run(env, "manage.py", "migrate", "--noinput")
        run(env, "manage.py", "collectstatic", "--noinput", "-v0")
        run(env, "manage.py", "seed_bulk", f"--articles={options.articles}")
        _, story = run(env, "-c", f"import django; django.setup()\n{SEED}").split()
        site = Gunicorn(env, PORT)
        try:
            home = get(PORT, "/")[1].decode()
            static = re.search(r'href="(/static/[^"]+\.css)"', home).group(1)
            for path in ("/", story):  # warm the page cache
                get(PORT, path)

            # 1. Cached pages against a static file.
            baseline = wrk(static, PORT, options.seconds)
            say(f"static file {static}: {baseline['rps']:.0f} rps, p99 {baseline['p99']:.1f} ms")
            for label, path in (("home", "/"), ("story", story)):
                result = wrk(path, PORT, options.seconds)
                say(
                    f"cached {label}: {result['rps']:.0f} rps, p99 {result['p99']:.1f} ms;"
                    f" rps ratio {result['rps'] / baseline['rps']:.2f},"
                    f" p99 ratio {result['p99'] / baseline['p99']:.2f}"
                    f" (non-2xx/3xx: {result['bad']})"
                )

            # 2. The flood.
            entries_before = int(run(env, "-c", COUNT_ENTRIES, str(folder / "cache" / "pages")))
            rss_before = site.worker_rss_kb()
            paths = [
                f"{path}?utm_source=x{n}&q{n}={n}"
                if n % 2
                else f"{path}?{n}={secrets.token_hex(4)}"
                for n in range(5_000)
                for path in ("/", story)
            ]
            with ThreadPoolExecutor(8) as pool:
                statuses = list(pool.map(lambda p: get(PORT, p)[0], paths))
            entries_after = int(run(env, "-c", COUNT_ENTRIES, str(folder / "cache" / "pages")))
            rss_after = site.worker_rss_kb()
            say(
                f"flood: {len(paths)} distinct junk query strings on 2 paths:"
                f" {entries_after - entries_before} new cache entries,"
                f" worker RSS {rss_before / 1024:.1f} -> {rss_after / 1024:.1f} MB"
                f" (+{(rss_after - rss_before) / 1024:.1f} MB);"
                f" answers other than 200: {sum(s != 200 for s in statuses)}"
            )
        finally:
            site.stop()

        # 3. Redis stopped in the middle of a run.
        redis_server = shutil.which("redis-server")
        if redis_server is None:
            say("Redis stopped mid-run: skipped (redis-server is not installed)")
        else:
            redis = subprocess.Popen(
                [redis_server, "--port", str(REDIS_PORT), "--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
            )
            time.sleep(0.5)
            redis_env = environment(
                folder,
                CACHE_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
                SITE_URL=f"http://127.0.0.1:{REDIS_SITE_PORT}",
            )
            with_redis = Gunicorn(redis_env, REDIS_SITE_PORT)
            try:
                get(REDIS_SITE_PORT, "/")
                stopper = threading.Timer(options.seconds / 3, redis.terminate)
                stopper.start()
                result = wrk("/", REDIS_SITE_PORT, options.seconds)
                stopper.join()
                say(
                    f"Redis stopped {options.seconds / 3:.0f} s into a {options.seconds} s run:"
                    f" {result['bad']} responses other than 2xx/3xx,"
                    f" {result['rps']:.0f} rps overall {result['socket_errors']}"
                )
            finally:
                with_redis.stop()
                redis.terminate()
                redis.wait()

    if not options.no_readme:
        machine = (
            f"{platform.node()}: {os.cpu_count()} CPUs"
            f" ({platform.processor() or platform.machine()}), Python {platform.python_version()}"
        )
        with (PROJECT / "bench" / "README.md").open("a") as readme:
            readme.write(
                f"\n### bench_serving.py, {datetime.date.today()}, {machine}\n\n"
                + "".join(f"- {line}\n" for line in lines)
            )


if __name__ == "__main__":
    main()
