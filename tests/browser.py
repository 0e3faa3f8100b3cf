"""
What every browser test shares: Chromium driven by Playwright, axe-core, the
Content Security Policy's errors, and signing a user in. The fixtures are
made available to all tests by tests/conftest.py; import the helpers.

Playwright drives Debian's chromium package; `playwright install` cannot
download browsers on our machines. In CI a missing browser is a failure, not
a skip.
"""

import os
import shutil

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory

#: The terms dialog (base.html's slot, filled by accounts/static/accounts/terms-dialog.js), open.
OPEN_TERMS_DIALOG = "#terms-prompt dialog[open]"

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; `make test` installs it with apt-get.")
        pytest.skip(
            "chromium is not installed (apt-get install chromium) so browser tests cannot run"
        )
    # Playwright's sync API runs an event loop in this thread; Django's ORM
    # refuses to run beside one unless told it is safe (it is: the loop only
    # talks to the browser).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_violations():
    """Run axe-core (shipped in axe-playwright-python) on a Playwright page."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def run(page) -> list[str]:
        results = axe.run(page)
        return [
            f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
            f"{', '.join(n['target'][0] for n in v['nodes'][:3])})"
            for v in results.response["violations"]
        ]

    return run


@pytest.fixture
def csp_violations(page):
    """Console errors raised by the Content Security Policy on `page`."""
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return errors


def signed_in(page, live_server, user):
    """`page` with `user` signed in, whichever page the site's sign-in form is on."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


@pytest.fixture
def superuser_page(live_server, page):
    """`page` signed in as a superuser (the admin's pages)."""
    return signed_in(page, live_server, UserFactory(superuser=True))
