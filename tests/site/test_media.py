import importlib
from http import HTTPStatus

import pytest
from django.urls import clear_url_caches

import newsroom.urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def serving_media(settings, tmp_path):
    settings.DEBUG = False
    settings.SERVE_MEDIA = True
    settings.MEDIA_ROOT = tmp_path
    importlib.reload(newsroom.urls)
    clear_url_caches()
    yield tmp_path
    settings.SERVE_MEDIA = False
    importlib.reload(newsroom.urls)
    clear_url_caches()


def test_serve_media_serves_uploads_with_debug_off(client, serving_media):
    (serving_media / "lead.txt").write_text("a picture, really")

    response = client.get("/media/lead.txt")

    assert response.status_code == HTTPStatus.OK
    assert b"".join(response.streaming_content) == b"a picture, really"


def test_serve_media_never_leaves_the_media_folder(client, serving_media):
    response = client.get("/media/../settings.py")

    assert response.status_code == HTTPStatus.BAD_REQUEST
