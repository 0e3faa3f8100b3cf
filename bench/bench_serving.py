"""
Serving at scale: gunicorn (2 workers) and wrk, everything measured in one run.

    python bench/bench_serving.py [--articles N] [--seconds S] [--rounds R] [--no-readme]

1. Cached pages against a static file served by the same stack (whitenoise in
   the same gunicorn): the front page and a story, 50 connections; prints the
   rps ratio and the p99 ratio (issue 12: at least 0.9 x the rps, p99 at most
   1.5 x).
2. The same three through a real Varnish (Debian's varnishd with the xkey
   vmod, the shipped VCL) in front of that gunicorn: cached pages against the
   static file through the same Varnish (issue 12: at least 0.8 x the rps).
3. The flood: 10,000 distinct junk query strings on the front page and a story
   add at most one cache entry per path, and the workers' RSS grows by less
   than 10 MB.
4. Redis stopped in the middle of a wrk run: 0 responses other than 2xx/3xx.

The machine this runs on is usually shared, so 1 and 2 run R rounds (3 by
default) of static file, home, story, one after the other: each ratio is the
median of the rounds' ratios, with their spread, and the load average is
printed with the figures.

Uses the production settings (DEBUG off, collectstatic, the default on-disk
cache) with a throw-away SQLite database and cache folder, and free ports.
Installs Debian's wrk, varnish and varnish-modules when they are missing (as
root). Every server it starts (gunicorn, varnishd, redis-server) is stopped by
its own process id. Writes the figures, with the date and the machine, to
bench/README.md after the last bench_serving run there. Asserts no timing: it
prints ratios.
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
import socket
import statistics
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
CONNECTIONS = 50
VCL = PROJECT / "newsroom" / "varnish" / "newsroom.vcl"

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


def apt_install(*packages: str) -> bool:
    """Install Debian packages when running as root; False when we cannot."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    print(f"Installing Debian's {' '.join(packages)}...", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=False)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", *packages],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    return True


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if apt_install("wrk"):
        return shutil.which("wrk") or sys.exit("wrk did not install")
    sys.exit("wrk is missing: apt-get install wrk")


def find_varnishd() -> str | None:
    """Debian's varnishd (in /usr/sbin, often off a user's PATH), if the xkey vmod is there too."""
    varnishd = shutil.which("varnishd") or (
        "/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None
    )
    xkey = next(Path("/usr/lib").glob("*/varnish/vmods/libvmod_xkey.so"), None)
    return varnishd if varnishd and xkey else None


def ensure_varnishd() -> str | None:
    return find_varnishd() or (apt_install("varnish", "varnish-modules") and find_varnishd())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.1)
    return False


def load() -> str:
    return "load average " + " ".join(f"{n:.1f}" for n in os.getloadavg())


def environment(folder: Path, port: int, **extra: str) -> dict[str, str]:
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
        "SITE_URL": f"http://127.0.0.1:{port}",
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


def get_headers(port: int, path: str) -> dict[str, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return dict(response.getheaders())
    finally:
        connection.close()


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
            self.process.wait()


class Varnish:
    """varnishd in the foreground with the shipped VCL, in front of `backend_port`.

    As in tests/site/test_varnish.py: its own work folder and port, `-j none`
    (run as this user), the backend in a generated newsroom-backend.vcl, and
    stopped through its own process id.
    """

    def __init__(self, varnishd: str, folder: Path, backend_port: int) -> None:
        self.port = free_port()
        include = folder / "varnish-include"
        include.mkdir()
        (include / "newsroom-backend.vcl").write_text(
            "backend default {\n"
            '    .host = "127.0.0.1";\n'
            f'    .port = "{backend_port}";\n'
            '    .probe = { .url = "/healthz"; .interval = 1s; .timeout = 2s;'
            " .window = 3; .threshold = 2; }\n"
            "}\n"
        )
        self.process = subprocess.Popen(
            [
                varnishd,
                "-F",
                "-n",
                str(folder / "varnish-work"),
                "-a",
                f"127.0.0.1:{self.port}",
                "-T",
                "none",
                "-j",
                "none",
                "-f",
                str(VCL),
                "-p",
                f"vcl_path={include}:{VCL.parent}",
                "-s",
                "malloc,64m",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if not wait_for_port(self.port):
            self.stop()
            sys.exit(f"varnishd did not start: {self.process.stderr.read().decode()[-2000:]}")
        # The backend starts as sick until its first probes pass.
        deadline = time.monotonic() + 30
        while get(self.port, "/healthz")[0] != 200:
            if time.monotonic() > deadline:
                self.stop()
                sys.exit("Varnish never found gunicorn healthy")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def wrk(path: str, port: int, seconds: int, headers: tuple[str, ...] = ()) -> dict:
    """rps, p99 (ms) and non-2xx/3xx answers of a wrk run at CONNECTIONS connections."""
    output = subprocess.run(
        [
            "wrk",
            "--latency",
            f"-t{2}",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            *(argument for header in headers for argument in ("-H", header)),
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", output).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    return {
        "rps": rps,
        "p99": p99,
        "requests": requests,
        "bad": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(0) if errors else "",
    }


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time the processes `pids` have used so far."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (man 5 proc)
    return ticks / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def compare(
    port: int,
    paths: dict[str, str],
    seconds: int,
    rounds: int,
    servers: list[int],
    headers: tuple[str, ...] = (),
) -> dict:
    """wrk on each of `paths` (the first is the baseline), `rounds` times in turn.

    Returns, per label, the median rps and p99, the per-round ratios to the
    baseline measured in the same round, and the CPU time the `servers`
    processes spent per request (which other load on the machine changes far
    less than the rps).
    """
    runs: dict[str, list[dict]] = {label: [] for label in paths}
    for _ in range(rounds):
        for label, path in paths.items():
            before = cpu_seconds(servers)
            result = wrk(path, port, seconds, headers)
            result["cpu"] = (cpu_seconds(servers) - before) / max(1, result["requests"])
            runs[label].append(result)
    baseline = next(iter(paths))
    results = {}
    for label, measured in runs.items():
        rps_ratios = [m["rps"] / b["rps"] for m, b in zip(measured, runs[baseline], strict=True)]
        p99_ratios = [m["p99"] / b["p99"] for m, b in zip(measured, runs[baseline], strict=True)]
        results[label] = {
            "rps": statistics.median(m["rps"] for m in measured),
            "p99": statistics.median(m["p99"] for m in measured),
            "bad": sum(m["bad"] for m in measured),
            "cpu": sum(m["cpu"] * m["requests"] for m in measured)
            / max(1, sum(m["requests"] for m in measured)),
            "rps_ratios": rps_ratios,
            "p99_ratios": p99_ratios,
        }
    return results


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} (rounds {min(values):.2f}-{max(values):.2f})"


def report(say, results: dict, static: str, where: str) -> None:
    labels = iter(results)
    baseline = results[next(labels)]
    say(
        f"{where}: static file {static}: {baseline['rps']:.0f} rps, p99 {baseline['p99']:.1f} ms"
        f" (medians), server CPU {baseline['cpu'] * 1e6:.0f} us/request"
    )
    for label in labels:
        result = results[label]
        say(
            f"{where}: cached {label}: {result['rps']:.0f} rps, p99 {result['p99']:.1f} ms;"
            f" rps ratio {spread(result['rps_ratios'])},"
            f" p99 ratio {spread(result['p99_ratios'])};"
            f" server CPU {result['cpu'] * 1e6:.0f} us/request"
            f" ({result['cpu'] / baseline['cpu']:.2f} x the static file's)"
            f" (non-2xx/3xx: {result['bad']})"
        )


def record(readme: Path, section: str) -> None:
    """Put `section` after the last bench_serving run in `readme` (other
    benchmarks' sections may follow it), or at the end when there is none."""
    text = readme.read_text() if readme.exists() else ""
    last = text.rfind("\n### bench_serving.py,")
    if last < 0:
        readme.write_text(text.rstrip("\n") + "\n\n" + section)
        return
    heading_end = text.index("\n", last + 1) + 1
    following = re.compile(r"^#", re.MULTILINE).search(text, heading_end)
    end = len(text) if following is None else following.start()
    rest = "" if following is None else "\n" + text[end:]
    readme.write_text(text[:end].rstrip("\n") + "\n\n" + section + rest)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-readme", action="store_true")
    options = parser.parse_args()
    ensure_wrk()
    varnishd = ensure_varnishd()
    lines = []

    def say(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        port = free_port()
        env = environment(folder, port)
        run(env, "manage.py", "migrate", "--noinput")
        run(env, "manage.py", "collectstatic", "--noinput", "-v0")
        run(env, "manage.py", "seed_bulk", f"--articles={options.articles}")
        _, story = run(env, "-c", f"import django; django.setup()\n{SEED}").split()
        site = Gunicorn(env, port)
        try:
            home = get(port, "/")[1].decode()
            static = re.search(r'href="(/static/[^"]+\.css)"', home).group(1)
            paths = {"static": static, "home": "/", "story": story}
            for path in paths.values():  # warm the page cache
                get(port, path)
            sizes = ", ".join(
                f"{label} {len(get(port, p)[1]) / 1024:.1f} KB" for label, p in paths.items()
            )

            # 1. Cached pages against a static file.
            say(f"bodies: {sizes}; {load()} before")
            workers = children(site.process.pid)
            results = compare(port, paths, options.seconds, options.rounds, workers)
            report(say, results, static, f"gunicorn, {CONNECTIONS} connections")
            say(f"{load()} after")

            # 2. The same through Varnish.
            if varnishd is None:
                say("through Varnish: skipped (apt-get install varnish varnish-modules)")
            else:
                varnish = Varnish(varnishd, folder, port)
                try:
                    for path in paths.values():  # a miss, then stored
                        get(varnish.port, path)
                    hits = [
                        get_headers(varnish.port, path).get("X-Cache") for path in paths.values()
                    ]
                    # As a browser asks: without Accept-Encoding, Varnish would
                    # gunzip the static file (stored compressed, as WhiteNoise
                    # offers it) on every request; the pages are stored as is.
                    results = compare(
                        varnish.port,
                        paths,
                        options.seconds,
                        options.rounds,
                        [varnish.process.pid, *children(varnish.process.pid)],
                        ("Accept-Encoding: gzip",),
                    )
                    report(say, results, static, f"Varnish, {CONNECTIONS} connections, gzip")
                    say(f"X-Cache before the runs: {' '.join(map(str, hits))}; {load()} after")
                finally:
                    varnish.stop()

            # 3. The flood.
            entries_before = int(run(env, "-c", COUNT_ENTRIES, str(folder / "cache" / "pages")))
            rss_before = site.worker_rss_kb()
            junk = [
                f"{path}?utm_source=x{n}&q{n}={n}"
                if n % 2
                else f"{path}?{n}={secrets.token_hex(4)}"
                for n in range(5_000)
                for path in ("/", story)
            ]
            with ThreadPoolExecutor(8) as pool:
                statuses = list(pool.map(lambda p: get(port, p)[0], junk))
            entries_after = int(run(env, "-c", COUNT_ENTRIES, str(folder / "cache" / "pages")))
            rss_after = site.worker_rss_kb()
            say(
                f"flood: {len(junk)} distinct junk query strings on 2 paths:"
                f" {entries_after - entries_before} new cache entries,"
                f" worker RSS {rss_before / 1024:.1f} -> {rss_after / 1024:.1f} MB"
                f" (+{(rss_after - rss_before) / 1024:.1f} MB);"
                f" answers other than 200: {sum(s != 200 for s in statuses)}"
            )
        finally:
            site.stop()

        # 4. Redis stopped in the middle of a run.
        redis_server = shutil.which("redis-server")
        if redis_server is None:
            say("Redis stopped mid-run: skipped (redis-server is not installed)")
        else:
            # A Redis of our own (its own port, nothing saved to disk), stopped
            # through its own process id, mid-run and again in `finally`.
            redis_port, site_port = free_port(), free_port()
            redis = subprocess.Popen(
                [redis_server, "--port", str(redis_port), "--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
            )
            if not wait_for_port(redis_port):
                redis.kill()
                sys.exit("redis-server did not start")
            redis_env = environment(
                folder, site_port, CACHE_URL=f"redis://127.0.0.1:{redis_port}/0"
            )
            with_redis = Gunicorn(redis_env, site_port)
            try:
                get(site_port, "/")
                stopper = threading.Timer(options.seconds / 3, redis.terminate)
                stopper.start()
                result = wrk("/", site_port, options.seconds)
                stopper.join()
                say(
                    f"Redis stopped {options.seconds / 3:.0f} s into a {options.seconds} s run:"
                    f" {result['bad']} responses other than 2xx/3xx,"
                    f" {result['rps']:.0f} rps overall {result['socket_errors']}"
                )
            finally:
                with_redis.stop()
                if redis.poll() is None:
                    redis.terminate()
                redis.wait()

    if not options.no_readme:
        machine = (
            f"{platform.node()}: {os.cpu_count()} CPUs"
            f" ({platform.processor() or platform.machine()}), Python {platform.python_version()}"
        )
        section = f"### bench_serving.py, {datetime.date.today()}, {machine}\n\n" + "".join(
            f"- {line}\n" for line in lines
        )
        record(PROJECT / "bench" / "README.md", section)


if __name__ == "__main__":
    main()
