"""Bad input anywhere in an address is a 404 or 405, never a 500."""

from http import HTTPStatus

import pytest

from articles.models import Article
from tests.articles.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from tests.articles.test_admin import ADD_URL, form_data
from tests.factories import UserFactory

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
    client.force_login(UserFactory(editor=True))

    assert client.get(path).status_code == HTTPStatus.NOT_FOUND


def test_beacon_for_an_out_of_range_id_is_404(client):
    response = client.post(f"/api/views/{HUGE}/", headers={"Sec-Fetch-Site": "same-origin"})

    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    "path",
    [
        "/admin/articles/article/abc/history/",
        f"/admin/articles/article/{HUGE}/history/",
        "/admin/articles/article/{pk}/history/abc/",
        "/admin/articles/article/{pk}/history/{huge}/",
        "/admin/articles/article/abc/history/1/",
    ],
)
def test_malformed_ids_in_history_addresses_are_404(client, path):
    story = ArticleFactory()
    client.force_login(UserFactory(editor=True))

    response = client.get(path.format(pk=story.pk, huge=HUGE))

    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    "field", ["tags", "bylines-0-author", "section"], ids=["tag", "author", "section"]
)
@pytest.mark.parametrize("value", ["abc", HUGE])
def test_malformed_ids_in_the_story_form_are_form_errors(client, field, value):
    client.force_login(UserFactory(editor=True))
    data = form_data(section=SectionFactory(), author=AuthorFactory())
    data[field] = value

    response = client.post(ADD_URL, data)

    assert response.status_code == HTTPStatus.OK  # the form again, with the error
    assert not Article.objects.exists()


def test_the_form_shown_again_keeps_the_well_formed_tags(client):
    client.force_login(UserFactory(editor=True))
    harbour = TagFactory(name="Harbour")
    data = form_data(section=SectionFactory(), author=AuthorFactory(), tags=[harbour.pk, "abc"])

    page = client.post(ADD_URL, data).content.decode()

    assert f'<option value="{harbour.pk}" selected>Harbour</option>' in page
