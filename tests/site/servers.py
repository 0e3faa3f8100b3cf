"""
Real gunicorn servers for tests that need several processes (test_workers.py):
each started by its own pid and stopped by it.

Not a test module (pytest collects only test_*.py).
"""

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    """A TCP port nothing listens on now, so that parallel test runs never
    talk to each other's servers (a fixed port once did)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(**extra: str) -> dict[str, str]:
    """A production-like environment for the site's processes."""
    keep = ("PATH", "HOME", "LANG")
    return {
        **{name: value for name, value in os.environ.items() if name in keep},
        "DJANGO_SETTINGS_MODULE": "tests.site.serving_settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        # These tests post many beacons from one address to count them across
        # processes; the per-address ceiling has its own tests.
        "VIEWS_PER_ADDRESS_PER_MINUTE": "1000",
        **extra,
    }


def manage(env: dict[str, str], *args: str, code: str | None = None) -> str:
    """Run `manage.py args` (or Python `code` with Django set up) in a new process."""
    command = (
        [sys.executable, "-c", f"import django; django.setup()\n{code}"]
        if code is not None
        else [sys.executable, "manage.py", *args]
    )
    result = subprocess.run(
        command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if result.returncode:
        raise RuntimeError(f"{command[:3]} failed:\n{result.stdout}\n{result.stderr[-3000:]}")
    return result.stdout


@dataclass
class Server:
    """One gunicorn instance (`workers` processes) on 127.0.0.1:`port`."""

    port: int
    env: dict[str, str]
    workers: int = 2
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self) -> "Server":
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "newsroom.wsgi",
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=PROJECT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {self.process.stderr.read().decode()}")
            try:
                if self.get("/healthz")[0] in (200, 503):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """One request on a new connection (so each may reach another worker)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path, headers=headers)

    def beacon(self, pk: int, reader: int) -> int:
        """Count a view as reader number `reader`; the count the site answers."""
        status, _, body = self.request(
            "POST",
            f"/api/views/{pk}/",
            body="",
            headers={
                # A browser's User-Agent, one per reader (words such as "Reader"
                # would mark it as a crawler, which is not counted).
                "User-Agent": (
                    f"Mozilla/5.0 (X11; Linux x86_64; rv:{100 + reader}.0) "
                    f"Gecko/20100101 Firefox/{100 + reader}.0"
                ),
                "Origin": f"http://127.0.0.1:{self.port}",
                "Sec-Fetch-Site": "same-origin",
                "Content-Type": "text/plain",
            },
        )
        return json.loads(body)["views"] if status == 200 else -status

    def form_post(self, path: str, fields: dict[str, str], cookies: str = "") -> tuple[int, str]:
        """(status, page) of a form POST."""
        status, _, body = self.request(
            "POST",
            path,
            body=urllib.parse.urlencode(fields),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookies,
                "Referer": f"http://127.0.0.1:{self.port}{path}",
            },
        )
        return status, body.decode()


SEED_STORY = """
import datetime
from django.utils import timezone
from articles.models import Article, Section
section = Section.objects.create(name="News", slug="news")
story = Article.objects.create(
    headline="Harbour plan approved", slug="harbour-plan", standfirst="The council voted.",
    body="<p>The council met.</p>", section=section, status=Article.Status.PUBLISHED,
    published_at=timezone.now() - datetime.timedelta(minutes=5),
)
print(story.pk, story.get_absolute_url())
"""

UNPUBLISH_STORY = """
from articles.models import Article
story = Article.objects.get(slug="harbour-plan")
story.status = Article.Status.DRAFT
story.save()
"""


def views_counted(servers: list[Server], pk: int, readers: int = 40) -> tuple[list[int], int]:
    """Publish story `pk` (again), send one view beacon for each of `readers`
    readers, the first ones to the first server and so on, and flush the
    counts: (the count each beacon answered, the count stored in the database).
    Exact counting means every answer is positive and stored == max == readers.
    """
    env = servers[0].env
    manage(
        env,
        code="from articles.models import Article; "
        f"Article.objects.filter(pk={pk}).update(status=Article.Status.PUBLISHED)",
    )
    answers = [
        servers[reader * len(servers) // readers].beacon(pk, reader) for reader in range(readers)
    ]
    manage(env, "flush_view_counts")
    stored = manage(
        env,
        code=f"from articles.models import Article; print(Article.objects.get(pk={pk}).view_count)",
    )
    return answers, int(stored)
