"""
The client's address, read one way everywhere (newsroom.client.client_ip).

Behind TRUSTED_PROXY_COUNT proxies, a request whose X-Forwarded-For is
shorter than the chain, empty or junk did not come through them: every view
that reads the address falls back to the peer, never answers 500 (issue 13,
item 10: POST /terms/agree/ did).
"""

import datetime
from http import HTTPStatus

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import TermsAcceptance
from newsroom.client import client_ip
from tests.accounts.factories import TermsOfUseFactory
from tests.articles.factories import ArticleFactory
from tests.factories import PASSWORD
from tests.factories import UserFactory as ReaderFactory

PEER = "198.51.100.20"


def request_with(forwarded_for: str | None, remote_addr: str = PEER):
    headers = {} if forwarded_for is None else {"X-Forwarded-For": forwarded_for}
    return RequestFactory().get("/", headers=headers, REMOTE_ADDR=remote_addr)


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, None, PEER),
        (0, "192.0.2.1", PEER),  # no trusted proxy: the header proves nothing
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "10.0.0.1, 192.0.2.1", "192.0.2.1"),  # the rightmost is what our proxy saw
        (2, "192.0.2.1, 10.0.0.2", "192.0.2.1"),
        (2, "forged, 192.0.2.1, 10.0.0.2", "192.0.2.1"),
        (1, " 2001:DB8::1 ", "2001:db8::1"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (1, "192.0.2.1:8080", "192.0.2.1"),
    ],
)
def test_client_ip_reads_the_entry_the_outermost_proxy_appended(
    settings, proxies, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert client_ip(request_with(forwarded_for)) == expected


@pytest.mark.parametrize(
    "forwarded_for",
    ["192.0.2.1", "", ",", " , ", "not-an-address", "junk, 10.0.0.1", "999.1.1.1, 10.0.0.1"],
)
def test_client_ip_falls_back_to_the_peer_on_a_short_or_junk_header(settings, forwarded_for):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip(request_with(forwarded_for)) == PEER


def test_client_ip_is_empty_without_any_valid_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_with("junk", remote_addr="also junk")) == ""


# --- Every view that reads the client address ------------------------------------------

SHORT = {"X-Forwarded-For": "203.0.113.9"}  # one address, two proxies configured


@pytest.fixture
def behind_two_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 2


@pytest.fixture
def terms(db):
    return TermsOfUseFactory(
        version="2026-01", effective_at=timezone.now() - datetime.timedelta(days=1)
    )


@pytest.fixture
def reader(terms):
    return ReaderFactory()


def signup_data():
    return {
        "email": "new.reader@example.com",
        "password1": "a-long-and-unusual-passphrase",
        "agree_terms": "on",
        "terms_version": "2026-01",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_agreeing_to_the_terms_with_a_short_forwarded_for(
    client, behind_two_proxies, terms, reader, signed_in
):
    if signed_in:
        client.force_login(reader)

    response = client.post("/terms/agree/", {"version": "2026-01"}, headers=SHORT)

    assert response.status_code == HTTPStatus.FOUND
    assert TermsAcceptance.objects.get().ip_address == "127.0.0.1"  # the peer


@pytest.mark.django_db
@pytest.mark.parametrize("decision", ["accept", "decline"])
def test_answering_new_terms_with_a_short_forwarded_for(
    client, behind_two_proxies, terms, reader, decision
):
    client.force_login(reader)

    response = client.post(
        "/terms/accept/", {"version": "2026-01", "decision": decision}, headers=SHORT
    )

    assert response.status_code == HTTPStatus.FOUND
    assert TermsAcceptance.objects.filter(user=reader).exists()


@pytest.mark.django_db
def test_signing_up_with_a_short_forwarded_for(client, behind_two_proxies, terms):
    response = client.post("/accounts/signup/", signup_data(), headers=SHORT)

    assert response.status_code == HTTPStatus.FOUND
    assert TermsAcceptance.objects.get().ip_address == "127.0.0.1"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/accounts/login/", {"login": "someone@example.com", "password": "wrong"}),
        ("/accounts/password/reset/", {"email": "someone@example.com"}),
    ],
)
def test_rate_limited_forms_with_a_short_forwarded_for(
    client, behind_two_proxies, terms, path, data
):
    response = client.post(path, data, headers=SHORT)

    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    assert response.status_code != HTTPStatus.FORBIDDEN


@pytest.mark.django_db
def test_signed_in_forms_with_a_short_forwarded_for(client, behind_two_proxies, reader):
    client.force_login(reader)

    deleting = client.post("/accounts/delete/", {"password": "wrong"}, headers=SHORT)
    adding = client.post(
        "/accounts/email/", {"action_add": "", "email": "second@example.com"}, headers=SHORT
    )

    assert deleting.status_code == HTTPStatus.OK  # the form, with its error
    assert adding.status_code < HTTPStatus.INTERNAL_SERVER_ERROR


@pytest.mark.django_db
def test_logging_in_with_a_short_forwarded_for(client, behind_two_proxies, reader):
    response = client.post(
        "/accounts/login/", {"login": reader.email, "password": PASSWORD}, headers=SHORT
    )

    assert response.status_code == HTTPStatus.FOUND


@pytest.mark.django_db
def test_view_beacon_with_a_short_forwarded_for(client, behind_two_proxies):
    story = ArticleFactory()

    # As the story page's script sends it (the beacon counts only same-origin
    # requests from browsers, and reads the address only for those).
    browser = {"Sec-Fetch-Site": "same-origin", "User-Agent": "Mozilla/5.0 Firefox/140.0"}

    response = client.post(f"/api/views/{story.pk}/", headers={**SHORT, **browser})

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"views": 1}


def test_allauth_rate_limits_read_the_same_address(settings):
    """allauth keys its rate limits on its adapter's reading: ours, proxies included."""
    settings.TRUSTED_PROXY_COUNT = 1
    request = request_with("10.0.0.1, 192.0.2.1")

    assert get_adapter(request).get_client_ip(request) == "192.0.2.1"
