"""
Pictures that fit (issue 9.5): fixed shapes cropped around the editor's focal
point, never upscaled, with srcset/width/height; the admin shows the current
picture; author pages and bylines show the author's photo.
"""

import re
from http import HTTPStatus
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from articles.images import SHAPES, crop_box
from articles.models import Article
from tests.articles.factories import ArticleFactory, AuthorFactory
from tests.factories import UserFactory

# Crops are made after the commit (articles/receivers.py), as in production:
# these tests commit, so each save's crops exist when the next line looks.
pytestmark = pytest.mark.django_db(transaction=True)

RED, BLUE = (220, 20, 20), (20, 20, 220)


def picture(width: int, height: int, *, left=RED, right=BLUE) -> ContentFile:
    """A PNG whose left half is `left` and right half `right`."""
    image = Image.new("RGB", (width, height), right)
    image.paste(left, (0, 0, width // 2, height))
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue())


def story_with_picture(width: int, height: int, **fields) -> Article:
    story = ArticleFactory(lead_image_alt="A two-coloured picture", **fields)
    story.lead_image.save("picture.png", picture(width, height))
    return Article.objects.get(pk=story.pk)


def rendition_sizes(story, shape: str) -> list[tuple[int, int]]:
    return [
        (size["width"], size["height"]) for size in story.lead_image_renditions["shapes"][shape]
    ]


def centre_colour(name: str) -> tuple[int, int, int]:
    with default_storage.open(name) as stored, Image.open(stored) as image:
        rgb = image.convert("RGB")
        return rgb.getpixel((rgb.width // 2, rgb.height // 2))


def close_to(colour, expected) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(colour, expected, strict=True))


# --- The crop -------------------------------------------------------------------------------


def test_crop_is_the_largest_box_of_the_shape_centred_by_default():
    assert crop_box((300, 900), SHAPES["lead"], (50, 50)) == (0, 366, 300, 535)
    assert crop_box((1600, 900), SHAPES["lead"], (50, 50)) == (0, 0, 1600, 900)
    assert crop_box((1200, 400), SHAPES["card"], (50, 50)) == (300, 0, 900, 400)


def test_crop_follows_the_focal_point_and_stays_inside_the_picture():
    assert crop_box((1200, 400), SHAPES["card"], (0, 50)) == (0, 0, 600, 400)
    assert crop_box((1200, 400), SHAPES["card"], (100, 50)) == (600, 0, 1200, 400)
    assert crop_box((1200, 400), SHAPES["card"], (30, 50)) == (60, 0, 660, 400)
    assert crop_box((300, 900), SHAPES["photo"], (50, 0)) == (0, 0, 300, 300)


@pytest.mark.parametrize(("focal_x", "expected"), [(0, RED), (100, BLUE)])
def test_renditions_are_cropped_around_the_focal_point(focal_x, expected):
    story = story_with_picture(1200, 400, lead_image_focal_x=focal_x)

    for shape in ("lead", "card"):
        largest = story.lead_image_renditions["shapes"][shape][-1]
        assert largest["width"] * SHAPES[shape].ratio_height == pytest.approx(
            largest["height"] * SHAPES[shape].ratio_width, abs=SHAPES[shape].ratio_width
        )
        assert close_to(centre_colour(largest["name"]), expected), shape


def test_moving_the_focal_point_makes_new_crops():
    story = story_with_picture(1200, 400, lead_image_focal_x=0)
    story.lead_image_focal_x = 100
    story.save()

    story.refresh_from_db()
    largest = story.lead_image_renditions["shapes"]["card"][-1]
    assert close_to(centre_colour(largest["name"]), BLUE)


# --- Never upscaled -------------------------------------------------------------------------


def test_a_small_portrait_is_never_rendered_wider_than_it_is():
    story = story_with_picture(300, 900)

    assert rendition_sizes(story, "lead") == [(300, 169)]
    assert rendition_sizes(story, "card") == [(240, 160), (300, 200)]


def test_story_page_gives_the_portrait_its_own_size_and_shape(client):
    story = story_with_picture(300, 900)

    page = client.get(story.get_absolute_url()).text

    img = re.search(r'<img class="lead-image__img"[^>]*>', page).group(0)
    assert 'width="300"' in img and 'height="169"' in img
    assert "srcset=" in img and "-lead-300w.webp 300w" in img


def test_front_page_cards_are_three_by_two(client):
    story_with_picture(300, 900)
    story_with_picture(2000, 1000)

    page = client.get("/").text

    sizes = re.findall(r'<img class="lead-image__img"[^>]*width="(\d+)"[^>]*height="(\d+)"', page)
    assert sizes
    for width, height in sizes:
        ratio = int(width) / int(height)
        assert ratio == pytest.approx(16 / 9, rel=0.02) or ratio == pytest.approx(3 / 2, rel=0.02)
    assert ("300", "900") not in sizes


def test_large_pictures_offer_every_width_up_to_the_largest():
    story = story_with_picture(2000, 1500)

    assert rendition_sizes(story, "lead") == [(480, 270), (960, 540), (1600, 900)]
    assert rendition_sizes(story, "card") == [(240, 160), (480, 320), (720, 480)]


# --- The admin ------------------------------------------------------------------------------


def test_story_change_form_shows_the_current_picture_and_its_crops(client):
    story = story_with_picture(1200, 400)
    client.force_login(UserFactory(superuser=True))

    page = client.get(f"/admin/articles/article/{story.pk}/change/").text

    assert f'src="{story.lead_image.url}"' in page
    assert 'class="focal-point__img"' in page
    assert 'data-focal-x="id_lead_image_focal_x"' in page
    assert 'name="lead_image_focal_x"' in page and 'name="lead_image_focal_y"' in page
    assert "Story lists (3:2)" in page
    assert "articles/admin-focal-point.js" in page


def test_focal_point_outside_the_picture_is_a_form_error():
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = UserFactory(superuser=True)
    form_class = admin.site.get_model_admin(Article).get_form(request)
    form = form_class(data={"lead_image_focal_x": "101", "lead_image_focal_y": "-1"})

    form.is_valid()
    assert "lead_image_focal_x" in form.errors
    assert "lead_image_focal_y" in form.errors


def test_author_change_form_shows_the_photo_and_its_square_crop(client):
    author = AuthorFactory()
    author.photo.save("ada.png", picture(400, 600))
    client.force_login(UserFactory(superuser=True))

    page = client.get(f"/admin/articles/author/{author.pk}/change/").text

    assert f'src="{author.photo.url}"' in page
    assert "Author page and bylines (square)" in page
    assert 'name="photo_focal_y"' in page


# --- Author photos --------------------------------------------------------------------------


def test_author_photo_is_square_and_never_upscaled():
    author = AuthorFactory()
    author.photo.save("ada.png", picture(150, 400))

    author.refresh_from_db()
    sizes = [(s["width"], s["height"]) for s in author.photo_renditions["shapes"]["photo"]]
    assert sizes == [(80, 80), (150, 150)]


def test_author_page_and_story_byline_show_the_photo(client):
    author = AuthorFactory(name="Ada Reporter")
    author.photo.save("ada.png", picture(400, 400))
    story = ArticleFactory(authors=[author])

    author_page = client.get(author.get_absolute_url()).text
    story_page = client.get(story.get_absolute_url()).text

    assert re.search(r'<img class="author-photo"[^>]*srcset="[^"]*-photo-384w\.webp', author_page)
    assert re.search(r'<img class="byline__photo"[^>]*width="384"\s+height="384"', story_page)


def test_byline_without_a_photo_shows_just_the_name(client):
    story = ArticleFactory(authors=[AuthorFactory(name="Bo Writer")])

    page = client.get(story.get_absolute_url()).text

    assert "Bo Writer" in page
    assert "byline__photo" not in page


def test_story_page_reads_no_picture_file(client, monkeypatch):
    story = story_with_picture(1200, 400)
    monkeypatch.setattr(
        default_storage, "open", lambda *a, **k: pytest.fail("a picture file was opened")
    )

    assert client.get(story.get_absolute_url()).status_code == HTTPStatus.OK


def test_migration_makes_the_crops_of_pictures_stored_before():
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    story = story_with_picture(1200, 400)
    author = AuthorFactory()
    author.photo.save("ada.png", picture(400, 400))
    Article.objects.filter(pk=story.pk).update(lead_image_renditions={"sizes": []})
    type(author).objects.filter(pk=author.pk).update(photo_renditions={})
    module = importlib.import_module("articles.migrations.0018_picture_crops")
    apps = MigrationLoader(connection).project_state(("articles", "0018_picture_crops")).apps

    module.crops_make(apps, None)

    story.refresh_from_db()
    author.refresh_from_db()
    assert story.card_picture is not None and story.lead_picture is not None
    assert author.photo_picture is not None


# --- Pictures that are no longer used ----------------------------------------------------


def crop_names(renditions: dict) -> set[str]:
    return {size["name"] for sizes in renditions["shapes"].values() for size in sizes}


def test_replacing_the_picture_deletes_the_old_original_and_its_crops():
    story = story_with_picture(1200, 675)
    old_original, old_crops = story.lead_image.name, crop_names(story.lead_image_renditions)
    assert old_crops and all(default_storage.exists(name) for name in old_crops)

    story.lead_image.save("replacement.png", picture(1200, 675))
    story.refresh_from_db()

    assert not default_storage.exists(old_original)
    assert not any(default_storage.exists(name) for name in old_crops)
    assert all(default_storage.exists(name) for name in crop_names(story.lead_image_renditions))


def test_moving_the_focal_point_deletes_the_old_crops_and_keeps_the_original():
    story = story_with_picture(1200, 600)
    old_crops = crop_names(story.lead_image_renditions)

    story.lead_image_focal_x = 10
    story.save()
    story.refresh_from_db()

    assert default_storage.exists(story.lead_image.name)
    assert not any(
        default_storage.exists(name) for name in old_crops - crop_names(story.lead_image_renditions)
    )


def test_an_original_another_story_shows_is_kept():
    story = story_with_picture(800, 450)
    other = ArticleFactory(lead_image=story.lead_image.name, lead_image_alt="Same picture")
    original = story.lead_image.name

    story.lead_image.save("replacement.png", picture(800, 450))

    assert default_storage.exists(original)
    other.refresh_from_db()
    assert other.lead_image.name == original


def test_deleting_a_story_deletes_its_picture_files():
    story = story_with_picture(800, 450)
    files = {story.lead_image.name} | crop_names(story.lead_image_renditions)

    story.delete()

    assert not any(default_storage.exists(name) for name in files)
