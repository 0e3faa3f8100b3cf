"""Bad input anywhere in an address is a 404 or 405, never a 500."""

from http import HTTPStatus

import pytest

from tests.articles.factories import UserFactory

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.mark.parametrize(
    "path",
    [
        f"/preview/{HUGE}/",
        "/9999/12/31/no-such-story/",
        "/0001/01/01/no-such-story/",
        "/9999/",
        "/9999/12/",
        f"/?page={HUGE}",
        f"/section/x/?page={HUGE}",
    ],
)
def test_out_of_range_numbers_are_404(client, path):
    client.force_login(UserFactory(groups=["Editor"]))

    assert client.get(path).status_code == HTTPStatus.NOT_FOUND


def test_beacon_for_an_out_of_range_id_is_404(client):
    assert client.post(f"/api/views/{HUGE}/").status_code == HTTPStatus.NOT_FOUND
