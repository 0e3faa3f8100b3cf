"""Chromium understands every feature our Permissions-Policy names."""

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_browser_reports_no_permissions_policy_error(live_server, page):
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))

    response = page.goto(live_server.url + "/")

    assert "camera=()" in response.headers["permissions-policy"]
    assert [text for text in messages if "Permissions-Policy" in text] == []
