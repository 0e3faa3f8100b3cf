"""Log-in answers the same for an address with an account and one without (issue 13.8:
sign-up and adding an address are covered in test_signup.py and test_email_addresses.py,
password reset in test_abuse.py)."""

import re
from http import HTTPStatus

import pytest
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def page_without_token(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_wrong_password_and_unknown_address_get_the_same_log_in_answer(client):
    UserFactory(email="ada@example.com")

    known = client.post("/accounts/login/", {"login": "ada@example.com", "password": "wrong"})
    unknown = client.post("/accounts/login/", {"login": "bob@example.com", "password": "wrong"})

    assert known.status_code == unknown.status_code == HTTPStatus.OK
    assert page_without_token(known).replace("ada@", "bob@") == page_without_token(unknown)
    assert mail.outbox == []
