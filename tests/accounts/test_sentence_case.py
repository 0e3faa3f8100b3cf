"""The account, email and password pages use sentence case, like the rest of the site."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from accounts.models import User

pytestmark = pytest.mark.django_db

PO = Path(__file__).resolve().parents[2] / "accounts/locale/en/LC_MESSAGES/django.po"
#: Two or more capitalised words in a row ("Change Password"), outside the brand.
TITLE_CASE = re.compile(r"\b(?!Newsroom)[A-Z][a-z]+ (?:[A-Z][a-z]+|My|Me)\b")


def visible_names(html: str) -> list[str]:
    """Titles, headings, buttons, labels and links as a reader sees them."""
    found = re.findall(r"<(title|h1|h2|button|a|label|legend)\b[^>]*>(.*?)</\1>", html, re.S)
    # Inner elements (badges such as "Verified", "Primary") are separate names.
    return [" ".join(re.sub(r"<[^>]+>", " | ", text).split()) for _tag, text in found]


@pytest.mark.parametrize(
    ("path", "signed_in"),
    [
        ("/accounts/email/", True),
        ("/accounts/password/change/", True),
        ("/accounts/password/reset/", False),
        ("/accounts/password/reset/done/", False),
        ("/accounts/password/reset/key/done/", False),
        ("/accounts/reauthenticate/", True),
        ("/accounts/inactive/", False),
        ("/accounts/login/", False),
        ("/accounts/", True),
    ],
)
def test_account_pages_use_sentence_case(path, signed_in):
    client = Client()
    if signed_in:
        client.force_login(User.objects.create_user(email="a@example.com", password="pw-12345678!"))

    page = client.get(path).content.decode()

    assert [name for name in visible_names(page) if TITLE_CASE.search(name)] == []


def test_compiled_catalogue_matches_the_po_file():
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', PO.read_text(), re.M)

    assert pairs
    with translation.override("en-us"):
        assert [(msgid, translation.gettext(msgid)) for msgid, _ in pairs] == pairs
