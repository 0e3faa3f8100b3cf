"""
A real Varnish (Debian's varnishd with the xkey vmod) in front of the site,
running the VCL we ship in newsroom/varnish/newsroom.vcl.

Django runs in a live-server thread of this test process, so the tests can
count the requests that reach it (Django's `request_started` signal) and stop
it to play an outage. `make test` installs varnish and varnish-modules when
they are missing (as root); without them these tests skip, except under CI.
"""

import gzip
import http.client
import os
import shutil
import socket
import subprocess
import threading
import time
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.signals import request_started
from django.test import Client
from pytest_django.live_server_helper import LiveServer

from articles.models import Article
from newsroom.pagecache import purges_wait
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

VARNISHD = shutil.which("varnishd") or (
    "/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None
)
VCL = Path(__file__).resolve().parents[2] / "newsroom" / "varnish" / "newsroom.vcl"
XKEY_VMOD = next(Path("/usr/lib").glob("*/varnish/vmods/libvmod_xkey.so"), None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing answered on port {port} within {seconds} s")


class Response:
    def __init__(self, status: int, headers, body: str) -> None:
        self.status, self.headers, self.body = status, headers, body


def fetch(url: str, *, method: str = "GET", headers=None, source: str | None = None) -> Response:
    """One HTTP request (no redirects followed), optionally sent from another
    loopback address (127.0.0.2 …) to play a client the VCL does not trust."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(
        parts.netloc, timeout=10, source_address=(source, 0) if source else None
    )
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, target or "/", headers=headers or {})
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read().decode())
    finally:
        connection.close()


@pytest.fixture
def requests_to_django():
    """Paths of the requests that reached Django while the test ran."""
    seen: list[str] = []

    def record(sender, environ, **kwargs):
        path = environ.get("PATH_INFO", "")
        if path != "/healthz":  # Varnish's health probe
            seen.append(path)

    request_started.connect(record, weak=False)
    yield seen
    request_started.disconnect(record)


@pytest.fixture
def django_server(transactional_db, page_cache):
    server = LiveServer("127.0.0.1:0")
    yield server
    server.thread.terminate()
    # Let requests still in flight (Varnish's last probes) finish before the
    # shared in-memory SQLite connection stops being shareable.
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=5)
    server.stop()


@pytest.fixture
def varnish(django_server, tmp_path, settings):
    if VARNISHD is None or XKEY_VMOD is None:
        reason = (
            "varnishd with the xkey vmod is not installed (apt-get install varnish varnish-modules)"
        )
        if os.environ.get("CI"):
            pytest.fail(reason + "; `make test` installs them.")
        pytest.skip(reason)
    backend_port = django_server.thread.port
    (tmp_path / "newsroom-backend.vcl").write_text(
        "backend default {\n"
        '    .host = "127.0.0.1";\n'
        f'    .port = "{backend_port}";\n'
        '    .probe = { .url = "/healthz"; .interval = 0.2s; .timeout = 1s;'
        " .window = 3; .threshold = 2; }\n"
        "}\n"
    )
    port = free_port()
    workdir = tmp_path / "varnish"
    process = subprocess.Popen(
        [
            VARNISHD,
            "-F",
            "-n",
            str(workdir),
            "-a",
            f"127.0.0.1:{port}",
            "-T",
            "none",
            "-j",
            "none",  # run as this user: the unix jail cannot read pytest's private tmp folder
            "-f",
            str(VCL),
            "-p",
            f"vcl_path={tmp_path}:{VCL.parent}",
            "-s",
            "malloc,32m",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port)
    except TimeoutError:
        process.kill()
        pytest.fail(f"varnishd did not start: {process.stderr.read().decode()[-2000:]}")
    settings.FRONT_CACHE_PURGE_URLS = [f"http://127.0.0.1:{port}/"]
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def eventually(check, seconds: float = 1.0):
    """Poll `check()` until it returns a truthy value or `seconds` pass; return the last value."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def settled_story(**fields) -> Article:
    """A live story, once the purges its publication sends have reached Varnish.

    They go out from a background thread: on a busy machine one could arrive
    after the test's first fetch and evict the copy the test expects to hit.
    """
    story = ArticleFactory(**fields)
    assert purges_wait(5)
    return story


def test_anonymous_page_is_served_by_varnish_without_reaching_django(varnish, requests_to_django):
    story = settled_story(headline="Harbour plan approved")
    first = fetch(f"{varnish}{story.get_absolute_url()}")
    assert first.status == HTTPStatus.OK
    assert "Harbour plan approved" in first.body
    reached = len(requests_to_django)

    second = fetch(f"{varnish}{story.get_absolute_url()}")

    assert second.status == HTTPStatus.OK
    assert second.headers["X-Cache"] == "HIT"
    assert "Harbour plan approved" in second.body
    assert len(requests_to_django) == reached, requests_to_django[reached:]
    assert "xkey" not in second.headers, "cache tags are for Varnish, not readers"


@pytest.mark.parametrize("path", ["/", "/feed/", "/feed.json", "/sitemap.xml"])
def test_shared_pages_and_feeds_are_sent_compressed(varnish, path):
    settled_story(headline="Harbour plan approved")
    fetch(f"{varnish}{path}")  # stored

    connection = http.client.HTTPConnection(urlsplit(varnish).netloc, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()

    assert response.headers["Content-Encoding"] == "gzip"
    assert len(gzip.decompress(body)) > len(body)
    plain = fetch(f"{varnish}{path}")  # a reader that does not accept gzip
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(body).decode() == plain.body


def test_tracking_parameters_share_one_copy(varnish, requests_to_django):
    settled_story()
    fetch(f"{varnish}/?utm_source=mastodon")
    reached = len(requests_to_django)

    again = fetch(f"{varnish}/?utm_source=bluesky&fbclid=abc")

    assert again.headers["X-Cache"] == "HIT"
    assert len(requests_to_django) == reached


def test_signed_in_reader_neither_gets_nor_pollutes_the_shared_copy(
    varnish, requests_to_django, django_user_model
):
    settled_story()
    anonymous = fetch(f"{varnish}/")
    assert anonymous.status == HTTPStatus.OK
    reader = django_user_model.objects.create_user(
        email="ada@example.com", password="pw-reader-123456"
    )
    client = Client()
    client.force_login(reader)
    cookie = f"sessionid={client.cookies['sessionid'].value}"

    signed_in = fetch(f"{varnish}/", headers={"Cookie": cookie})
    # The signed-in render reaches Django and is not the shared copy...
    assert signed_in.headers["X-Cache"] != "HIT"
    assert "private" in signed_in.headers["Cache-Control"]
    assert signed_in.body != anonymous.body
    # ...and leaves nothing of the reader in it.
    after = fetch(f"{varnish}/")
    assert after.headers["X-Cache"] == "HIT"
    assert after.body == anonymous.body


def test_publishing_and_unpublishing_show_through_varnish_within_a_second(varnish):
    story = settled_story(headline="Bridge reopens")
    url = f"{varnish}{story.get_absolute_url()}"
    assert fetch(url).status == HTTPStatus.OK
    assert fetch(url).headers["X-Cache"] == "HIT"
    home = fetch(f"{varnish}/")
    assert "Tram strike called off" not in home.body
    assert fetch(f"{varnish}/").headers["X-Cache"] == "HIT"

    settled_story(headline="Tram strike called off")  # published now: purges the home page
    assert eventually(lambda: "Tram strike called off" in fetch(f"{varnish}/").body)

    story.status = Article.Status.DRAFT
    story.save()
    assert eventually(lambda: fetch(url).status != HTTPStatus.OK)
    assert "Bridge reopens" not in fetch(f"{varnish}/").body


def test_varnish_serves_stale_pages_while_django_is_down(varnish, django_server, settings):
    settings.PAGE_CACHE_SECONDS = 1  # so that the copy is past its s-maxage when asked again
    story = settled_story(headline="Storm warning lifted")
    url = f"{varnish}{story.get_absolute_url()}"
    first = fetch(url)
    assert first.status == HTTPStatus.OK
    assert (
        "s-maxage=1" in first.headers["Cache-Control"]
        or "s-maxage=0" in first.headers["Cache-Control"]
    )

    django_server.thread.terminate()  # Django is down; the fixture cleans up the rest
    time.sleep(1.5)  # the copy expires, and the health probe (every 0.2 s) marks Django sick

    while_down = fetch(url)
    assert while_down.status == HTTPStatus.OK
    assert "Storm warning lifted" in while_down.body
    assert int(while_down.headers["Age"]) >= 1


def test_purges_are_accepted_from_the_site_only(varnish):
    story = settled_story()
    url = f"{varnish}{story.get_absolute_url()}"
    fetch(url)
    assert fetch(url).headers["X-Cache"] == "HIT"
    tags = f"story-{story.pk}"

    refused = fetch(f"{varnish}/", method="PURGE", headers={"xkey-purge": tags}, source="127.0.0.2")
    assert refused.status == HTTPStatus.FORBIDDEN
    assert fetch(url).headers["X-Cache"] == "HIT"

    accepted = fetch(f"{varnish}/", method="PURGE", headers={"xkey-purge": tags})
    assert accepted.status == HTTPStatus.OK
    assert fetch(url).headers["X-Cache"] == "MISS"
