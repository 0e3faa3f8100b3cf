"""
The newsroom's roles here: editors write new versions of the terms and list and
export consent records; writers do neither. The groups come from migrations
(articles 0003 made them, accounts 0004 grants these permissions).
"""

from http import HTTPStatus

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse

from newsroom.roles import EDITOR, WRITER
from tests.accounts.factories import TermsAcceptanceFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EDITOR_PAGES = [
    "admin:accounts_termsofuse_changelist",
    "admin:accounts_termsofuse_add",
    "admin:accounts_termsacceptance_changelist",
]


def staff_in(role: str):
    user = UserFactory(staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor_client(client):
    client.force_login(staff_in(EDITOR))
    return client


@pytest.fixture
def writer_client(client):
    client.force_login(staff_in(WRITER))
    return client


@pytest.mark.parametrize("page", EDITOR_PAGES)
def test_editor_can_open_the_terms_and_consent_pages(editor_client, terms, page):
    assert editor_client.get(reverse(page)).status_code == HTTPStatus.OK


@pytest.mark.parametrize("page", EDITOR_PAGES)
def test_writer_cannot_open_the_terms_and_consent_pages(writer_client, terms, page):
    assert writer_client.get(reverse(page)).status_code == HTTPStatus.FORBIDDEN


def test_editor_can_export_consent_records(editor_client, terms):
    record = TermsAcceptanceFactory(terms=terms, user__email="ada@example.com")

    response = editor_client.post(
        reverse("admin:accounts_termsacceptance_changelist"),
        {"action": "export_csv", "_selected_action": [record.pk]},
    )

    assert b"ada@example.com" in b"".join(response.streaming_content)


def test_editor_still_cannot_change_a_consent_record(editor_client, terms):
    record = TermsAcceptanceFactory(terms=terms)

    response = editor_client.post(
        reverse("admin:accounts_termsacceptance_change", args=[record.pk]), {"decision": "declined"}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_seed_demo_restores_the_editors_permissions():
    editor = Group.objects.get(name=EDITOR)
    editor.permissions.remove(*editor.permissions.filter(content_type__app_label="accounts"))

    apps.get_app_config("accounts").seed_demo()

    assert set(
        editor.permissions.filter(content_type__app_label="accounts").values_list(
            "codename", flat=True
        )
    ) == {"add_termsofuse", "change_termsofuse", "view_termsofuse", "view_termsacceptance"}
