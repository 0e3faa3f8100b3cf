from http import HTTPStatus
from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response.content == b"ok\ndatabase: ok\ncache: ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_database_does_not(client):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.content == b"unavailable: database\ndatabase: unavailable\ncache: ok\n"
    assert response["Retry-After"]


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_favicon_ico_points_at_the_site_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"].endswith("favicon.svg")


def test_admin_login_goes_through_the_rate_limited_site_login(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/login/")


def test_repeated_wrong_staff_passwords_lock_the_staff_account_for_a_while(
    client, django_user_model
):
    django_user_model.objects.create_user(
        email="editor@example.com", password="right-pw-123456", is_staff=True
    )
    for _ in range(5):
        client.post("/accounts/login/", {"login": "editor@example.com", "password": "wrong"})

    response = client.post(
        "/accounts/login/", {"login": "editor@example.com", "password": "right-pw-123456"}
    )

    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session
