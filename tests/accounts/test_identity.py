"""
Identity (issue 13.7): no address with invisible characters, look-alike
spellings are one address, and names shown to others carry no bidi controls.
"""

from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse

from accounts.identity import email_normalise, email_refused_characters
from accounts.models import User
from newsroom.text import person_name_clean
from tests.accounts.test_signup import SIGNUP_URL, signup_data
from tests.articles.factories import AuthorFactory
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

#: One of each kind the rule refuses: format (Cf) characters that hide (zero
#: width space, joiners, word joiner, BOM, soft hyphen, tag character, Mongolian
#: vowel separator), bidi controls, spaces and separators (Zs, Zl, Zp), C0 and
#: C1 controls (Cc), private use (Co) and unassigned (Cn) code points.
INVISIBLE = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\U000e0041",
    "\u180e",
    "\u202e",
    "\u2066",
    "\u200f",
    "\u00a0",
    "\u3000",
    "\u2028",
    "\u2029",
    "\x01",
    "\x85",
    "\ue000",
    "\U000e0080",
]


def character_id(character: str) -> str:
    return f"U+{ord(character):04X}"


@pytest.mark.parametrize("character", INVISIBLE, ids=character_id)
@pytest.mark.parametrize("where", ["edi{}tor@example.com", "editor@exam{}ple.com"])
def test_signup_refuses_an_address_with_an_invisible_character(client, terms, character, where):
    UserFactory(email="editor@example.com")

    response = client.post(SIGNUP_URL, signup_data(email=where.format(character)))

    assert response.status_code == HTTPStatus.OK
    assert "cannot be seen or printed" in response.content.decode()
    assert User.objects.count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize("character", INVISIBLE, ids=character_id)
def test_an_invisible_character_after_the_address_never_makes_a_second_account(
    client, terms, character
):
    # Whitespace at either end is stripped (as Django does), leaving the
    # editor's own address; anything else there is refused.
    UserFactory(email="editor@example.com")

    client.post(SIGNUP_URL, signup_data(email=f"editor@example.com{character}"))

    assert list(User.objects.values_list("email", flat=True)) == ["editor@example.com"]


def test_the_issues_zero_width_space_creates_no_look_alike_account(client, terms):
    UserFactory(email="editor@example.com")

    client.post(SIGNUP_URL, signup_data(email="editor@example.com\u200b"))

    assert list(User.objects.values_list("email", flat=True)) == ["editor@example.com"]


@pytest.mark.parametrize(
    "typed",
    [
        "\uff45\uff44\uff49\uff54\uff4f\uff52@example.com",
        "editor@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com",
        "EDITOR@EXAMPLE.COM",
    ],
)
def test_compatibility_look_alikes_are_the_same_address(client, terms, typed):
    UserFactory(email="editor@example.com")

    response = client.post(SIGNUP_URL, signup_data(email=typed))

    assert response.status_code == HTTPStatus.FOUND  # the usual answer (issue 13.8)
    assert User.objects.count() == 1
    assert User.objects.holding_address(typed).get().email == "editor@example.com"


def test_an_address_is_stored_in_its_nfkc_form():
    user = User.objects.create_user("\uff52\uff45\uff41\uff44\uff45\uff52@example.com", PASSWORD)

    assert user.email == "reader@example.com"
    fullwidth = "\uff25\uff44\uff49\uff54\uff4f\uff52@Example.com"
    assert email_normalise(fullwidth) == "editor@example.com"


@pytest.mark.parametrize("character", ["\u200b", "\u202e", "\u00a0"], ids=character_id)
def test_adding_an_address_with_an_invisible_character_is_a_form_error(client, terms, character):
    client.force_login(UserFactory())

    response = client.post(
        "/accounts/email/", {"action_add": "", "email": f"ada.work@exam{character}ple.com"}
    )

    assert response.status_code == HTTPStatus.OK
    assert "cannot be seen or printed" in response.content.decode()


def test_password_reset_with_an_invisible_character_is_a_form_error_not_a_mail(client):
    UserFactory(email="editor@example.com")

    response = client.post("/accounts/password/reset/", {"email": "editor@example.com\u200b"})

    assert response.status_code == HTTPStatus.OK
    assert mail.outbox == []


@pytest.mark.parametrize("character", ["\u200b", "\u202e"], ids=character_id)
def test_admin_refuses_an_address_with_an_invisible_character(admin_client, character):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": f"new.writer@example.com{character}",
            "usable_password": "true",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert "cannot be seen or printed" in response.content.decode()
    assert not User.objects.filter(email__startswith="new.writer").exists()


def test_plain_addresses_have_no_refused_characters():
    assert email_refused_characters("ada.lovelace+news@example.co.uk") == []
    assert email_refused_characters("josé@exämple.com") == []


# --- Names other people see ------------------------------------------------------------------

BIDI_CONTROLS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067"]
BIDI_CONTROLS += ["\u2068", "\u2069", "\u200e", "\u200f", "\u061c"]


@pytest.mark.parametrize("character", BIDI_CONTROLS, ids=character_id)
def test_bidi_controls_are_removed_from_names(character):
    assert person_name_clean(f"Ada{character} Lee{character}") == "Ada Lee"


def test_names_keep_joiners_that_spelling_and_emoji_need():
    assert person_name_clean("Ada \U0001f469\u200d\U0001f4bb") == "Ada \U0001f469\u200d\U0001f4bb"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want", with a ZWNJ
    assert person_name_clean(persian) == persian


def test_names_lose_invisible_characters_and_extra_spaces():
    assert person_name_clean(" Ada\u200b\u00a0\u3000 Lee\u2028\x85 ") == "Ada Lee"


def test_signup_display_name_is_stored_without_bidi_controls(client, terms):
    client.post(SIGNUP_URL, signup_data(display_name="Ada \u202eeeL"))

    assert User.objects.get().display_name == "Ada eeL"


def test_account_page_display_name_is_stored_without_bidi_controls(client, terms):
    reader = UserFactory()
    client.force_login(reader)

    client.post("/accounts/", {"display_name": "\u202eadA"})

    reader.refresh_from_db()
    assert reader.display_name == "adA"


def test_every_saved_name_of_a_user_loses_bidi_controls():
    user = UserFactory(display_name="A\u202eB", first_name="C\u2066D", last_name="E\u200fF")
    user.refresh_from_db()

    assert (user.display_name, user.first_name, user.last_name) == ("AB", "CD", "EF")


def test_byline_name_loses_bidi_controls():
    author = AuthorFactory(name="Ada \u202eeeL")
    author.refresh_from_db()

    assert author.name == "Ada eeL"


def test_admin_refuses_a_fullwidth_spelling_of_an_existing_address(admin_client):
    UserFactory(email="editor@example.com")

    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "editor@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com",
            "usable_password": "true",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert "belongs to another account" in response.content.decode()
    assert User.objects.filter(email="editor@example.com").count() == 1
