"""
The hostile corpus (tests/hostile.py) through every field a reader or editor
fills in the accounts app, and the outputs that show them: the display name
(sign-up and the account page), e-mail addresses (sign-up, adding one, log-in,
reset), the terms text, the browser string kept in consent records, and the
pages, the admin, the e-mails and the CSV export (issue 13.18). Nothing
executes, nothing answers 500, and what is stored is what was typed, less
what the rules remove.
"""

import csv
import io
from collections import Counter
from http import HTTPStatus
from urllib.parse import quote

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import TermsAcceptance, TermsOfUse, User
from newsroom.text import person_name_clean, xml_safe
from tests.accounts.factories import TermsOfUseFactory
from tests.accounts.test_signup import SIGNUP_URL, signup_data
from tests.factories import PASSWORD, UserFactory
from tests.hostile import INVALID_UTF8, PAYLOADS, TYPABLE, active_content, payload_id, stored_text

pytestmark = pytest.mark.django_db

DISPLAY_NAME_MAX = User._meta.get_field("display_name").max_length
#: What a form does with text before the rules: Django's CharField strips
#: surrounding whitespace and refuses NUL characters and overlong values.
FORM_REFUSES = ("\x00",)


def form_keeps(payload: str, max_length: int) -> bool:
    stripped = payload.strip()
    return bool(stripped) and "\x00" not in payload and len(stripped) <= max_length


@pytest.mark.parametrize("payload", TYPABLE, ids=payload_id)
def test_display_name_on_the_account_page(client, terms, payload):
    reader = UserFactory(display_name="Before")
    TermsAcceptance.objects.create(user=reader, terms=terms, method="signup")
    client.force_login(reader)

    response = client.post("/accounts/", {"display_name": payload})

    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.OK)
    reader.refresh_from_db()
    if form_keeps(payload, DISPLAY_NAME_MAX):
        assert reader.display_name == person_name_clean(xml_safe(payload.strip()))
    elif payload.strip() and response.status_code == HTTPStatus.OK:
        assert reader.display_name == "Before"  # refused with a form error: nothing lost
    page = client.get("/accounts/")
    assert page.status_code == HTTPStatus.OK
    assert active_content(page.content.decode()) == []


@pytest.mark.parametrize("payload", TYPABLE, ids=payload_id)
def test_sign_up_with_the_payload_as_display_name_and_as_address(terms, payload):
    as_name = Client(REMOTE_ADDR="192.0.2.1").post(
        SIGNUP_URL, signup_data(display_name=payload), REMOTE_ADDR="192.0.2.1"
    )
    as_address = Client().post(SIGNUP_URL, signup_data(email=payload), REMOTE_ADDR="192.0.2.2")

    assert as_name.status_code in (HTTPStatus.FOUND, HTTPStatus.OK)
    assert as_address.status_code in (HTTPStatus.FOUND, HTTPStatus.OK)
    assert active_content(as_address.content.decode()) == []
    if form_keeps(payload, DISPLAY_NAME_MAX):
        stored = User.objects.get(email="new.reader@example.com").display_name
        assert stored == person_name_clean(xml_safe(payload.strip()))
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject


@pytest.mark.parametrize("payload", TYPABLE, ids=payload_id)
def test_address_forms_answer_any_input_without_a_500(client, terms, payload):
    reader = UserFactory()
    TermsAcceptance.objects.create(user=reader, terms=terms, method="signup")
    anonymous = Client()

    login = anonymous.post("/accounts/login/", {"login": payload, "password": PASSWORD})
    reset = anonymous.post("/accounts/password/reset/", {"email": payload})
    client.force_login(reader)
    added = client.post("/accounts/email/", {"action_add": "", "email": payload})
    primary = client.post("/accounts/email/", {"action_primary": "", "email": payload})

    assert login.status_code == HTTPStatus.OK
    assert reset.status_code in (HTTPStatus.FOUND, HTTPStatus.OK)
    assert added.status_code in (HTTPStatus.FOUND, HTTPStatus.OK)
    assert primary.status_code == HTTPStatus.FOUND
    for response in (login, reset):
        assert active_content(response.content.decode()) == []
    # allauth's address page has an inline script of its own: compare with
    # the page for a plain malformed address.
    plain = client.post("/accounts/email/", {"action_add": "", "email": "not an address"})
    assert Counter(active_content(added.content.decode())) == Counter(
        active_content(plain.content.decode())
    )


@pytest.mark.parametrize("raw", INVALID_UTF8, ids=repr)
def test_forms_answer_invalid_utf8_without_a_500(client, terms, raw):
    body = b"email=" + quote(raw).encode() + b"&password1=x&agree_terms=on"
    for path in (SIGNUP_URL, "/accounts/login/", "/accounts/password/reset/"):
        response = client.generic(
            "POST", path, body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.BAD_REQUEST)


CHUNK = 22
CHUNKS = [PAYLOADS[start : start + CHUNK] for start in range(0, len(PAYLOADS), CHUNK)]


@pytest.mark.parametrize("chunk", range(len(CHUNKS)), ids=lambda index: f"chunk{index}")
def test_terms_text_and_consent_records_with_the_corpus(admin_client, chunk):
    """Terms versions and consent records carrying each payload of a chunk; then
    the public terms pages, the dialog, the admin and the CSV export."""
    versions = []
    for index, payload in enumerate(CHUNKS[chunk]):
        terms = TermsOfUseFactory(
            version=f"2026-{index + 1:02d}",
            title=payload[:200],
            body=f"<p>{payload}</p>",
            changes_summary=payload,
        )
        terms.refresh_from_db()
        assert terms.title == stored_text(TermsOfUse, "title", payload), payload_id(payload)
        assert terms.changes_summary == stored_text(TermsOfUse, "changes_summary", payload)
        versions.append(terms)
    current = TermsOfUse.objects.current()
    for index, payload in enumerate(CHUNKS[chunk]):
        # The browser string is whatever the request says: kept in the record.
        Client().post(
            "/terms/agree/",
            {"version": current.version},
            HTTP_USER_AGENT=payload,
            REMOTE_ADDR=f"192.0.2.{index + 1}",
        )

    for path in ["/terms/", "/terms/versions/", "/terms/prompt/"] + [
        version.get_absolute_url() for version in versions if version.is_published
    ]:
        response = Client().get(path)
        assert response.status_code == HTTPStatus.OK, path
        assert active_content(response.content.decode()) == [], path
    for name in ("termsofuse", "termsacceptance", "user"):
        response = admin_client.get(reverse(f"admin:accounts_{name}_changelist"))
        assert response.status_code == HTTPStatus.OK, name

    records = TermsAcceptance.objects.all()
    export = admin_client.post(
        reverse("admin:accounts_termsacceptance_changelist"),
        {"action": "export_csv", "_selected_action": [record.pk for record in records]},
    )
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    agents = [row[-1] for row in rows[1:]]
    assert len(agents) == records.count()
    for agent in agents:
        assert not agent.startswith(("=", "+", "-", "@", "\t", "\r")), agent[:30]
        assert xml_safe(agent) == agent
    assert sorted(record.user_agent for record in records) == sorted(
        stored_text(TermsAcceptance, "user_agent", payload) for payload in CHUNKS[chunk]
    )
