"""A signed-in reader's session costs no query once it is in the cache (issue 14.4)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_a_signed_in_request_reads_its_session_from_the_cache(django_user_model):
    reader = Client()
    reader.force_login(django_user_model.objects.create_user(email="r@example.com", password="x"))
    reader.get("/")  # the first read fills the cache

    with CaptureQueriesContext(connection) as queries:
        response = reader.get("/")

    assert response.status_code == 200
    assert "Log out" in response.content.decode()
    assert not [q["sql"] for q in queries if "django_session" in q["sql"]]
