"""Pictures that fit, in a real browser (issue 9.5): a small portrait is never
stretched, the layout reserves its box, author photos show, and the admin's
click-to-set focal point works under the strict CSP."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image

from articles.models import Article
from tests.articles.factories import ArticleFactory, AuthorFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def png(width: int, height: int) -> ContentFile:
    buffer = BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue())


@pytest.fixture
def portrait_story():
    """The bug report's input: a 300 x 900 portrait as a story's lead image."""
    author = AuthorFactory(name="Ada Reporter")
    author.photo.save("ada.png", png(300, 300))
    story = ArticleFactory(headline="Portrait", lead_image_alt="A tall picture", authors=[author])
    story.lead_image.save("portrait.png", png(300, 900))
    for n in range(3):
        other = ArticleFactory(headline=f"Wide {n}", lead_image_alt="A wide picture")
        other.lead_image.save(f"wide{n}.png", png(2000, 1200))
    return Article.objects.get(pk=story.pk)


def test_a_small_portrait_is_never_stretched_on_the_story_page(live_server, page, portrait_story):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + portrait_story.get_absolute_url())

    box = page.locator(".story .lead-image__img").bounding_box()
    assert box["width"] <= 300
    assert box["height"] == pytest.approx(box["width"] * 9 / 16, abs=2)
    assert page.locator(".byline__photo").bounding_box()["width"] <= 40


@pytest.mark.parametrize("width", [390, 1280])
def test_front_page_rows_keep_the_pictures_shape(live_server, page, portrait_story, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/")

    for image in page.locator(".story-list .lead-image__img").all():
        box = image.bounding_box()
        assert box["height"] == pytest.approx(box["width"] * 2 / 3, abs=2)
        assert box["height"] < 250


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("where", ["story", "author", "home"])
def test_pages_with_pictures_have_no_axe_violations(
    live_server, page, axe_violations, csp_violations, portrait_story, scheme, where
):
    url = {
        "story": portrait_story.get_absolute_url(),
        "author": portrait_story.bylines.get().author.get_absolute_url(),
        "home": "/",
    }[where]
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + url)

    assert axe_violations(page) == []
    assert csp_violations == []


@pytest.fixture
def editor_page(live_server, page):
    client = Client()
    client.force_login(UserFactory(superuser=True))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def test_clicking_the_picture_sets_the_focal_point(
    live_server, editor_page, csp_violations, portrait_story
):
    page = editor_page
    page.goto(f"{live_server.url}/admin/articles/article/{portrait_story.pk}/change/")
    picker = page.locator(".focal-point__picker")
    box = picker.bounding_box()

    picker.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.1})

    assert abs(int(page.locator("#id_lead_image_focal_x").input_value()) - 25) <= 2
    assert abs(int(page.locator("#id_lead_image_focal_y").input_value()) - 10) <= 2
    assert page.locator(".focal-point__marker").is_visible()
    assert csp_violations == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_author_change_form_with_its_photo_has_no_axe_violations(
    live_server, editor_page, axe_violations, portrait_story, scheme
):
    author = portrait_story.bylines.get().author
    editor_page.emulate_media(color_scheme=scheme)
    editor_page.goto(f"{live_server.url}/admin/articles/author/{author.pk}/change/")

    assert editor_page.locator(".focal-point__img").is_visible()
    assert axe_violations(editor_page) == []
