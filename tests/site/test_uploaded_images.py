"""
Every image field of the site (story lead image, author photo, product picture)
through newsroom.images: the pixel limit (issue 13.14), no camera metadata in
what is served (13.15), and dimensions stored however a picture is saved (13.17).
"""

import importlib
import zlib
from http import HTTPStatus
from io import BytesIO, StringIO
from pathlib import Path

import PIL.Image
import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import RequestFactory
from PIL import Image, ImageFile

from articles import demo
from articles.models import Article, Author
from cart.models import Product
from tests.articles.factories import ArticleFactory, AuthorFactory
from tests.cart.factories import ProductFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

#: (model, image field, width field, height field) for every image field.
IMAGE_FIELDS = [
    pytest.param(Article, "lead_image", "lead_image_width", "lead_image_height", id="story"),
    pytest.param(Author, "photo", "photo_width", "photo_height", id="author"),
    pytest.param(Product, "image", "image_width", "image_height", id="product"),
]

GPS_IFD = 0x8825
MAKE, ORIENTATION, ARTIST = 0x010F, 0x0112, 0x013B


def png_bomb(width: int = 12_000, height: int = 12_000) -> bytes:
    """A valid PNG of `width` x `height` black pixels: small on disk, huge decoded.

    Written chunk by chunk with zlib (streamed), so making it takes no more
    memory than the compressed file.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte + one grey byte per pixel
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return png_bomb()


def jpeg_with_gps(width: int = 60, height: int = 40, orientation: int = 6) -> bytes:
    """A JPEG whose EXIF holds a GPS position, a camera make, an artist and an orientation."""
    exif = Image.Exif()
    exif[MAKE] = "Canon"
    exif[ARTIST] = "Jo Photographer"
    exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (52.0, 22.0, 7.5)
    gps[3], gps[4] = "E", (4.0, 53.0, 2.1)
    buffer = BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(
        buffer, format="JPEG", exif=exif.tobytes()
    )
    return buffer.getvalue()


def png(width: int, height: int) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def make(model):
    """A saved row of `model` (a story with alt text, so it may get a picture)."""
    factory = {
        Article: lambda: ArticleFactory(lead_image_alt="A coloured square"),
        Author: AuthorFactory,
        Product: ProductFactory,
    }[model]
    return factory()


def admin_form(model, request_user):
    """The admin's form class for `model`, as its add page builds it."""
    request = RequestFactory().get("/")
    request.user = request_user
    return admin.site.get_model_admin(model).get_form(request)


@pytest.fixture
def superuser():
    return UserFactory(superuser=True)


# --- 13.14: a pixel limit on every image field --------------------------------------


def test_pillow_guard_is_the_site_limit(settings):
    assert settings.IMAGE_MAX_PIXELS == 50_000_000
    assert PIL.Image.MAX_IMAGE_PIXELS == settings.IMAGE_MAX_PIXELS


@pytest.mark.parametrize(("model", "field", "width_field", "height_field"), IMAGE_FIELDS)
def test_every_image_field_refuses_a_12000_pixel_square_png_with_a_clear_error(
    model, field, width_field, height_field, superuser, bomb
):
    assert len(bomb) < 600_000  # the 450 KB upload from the bug report
    form = admin_form(model, superuser)(
        data={}, files={field: SimpleUploadedFile("huge.png", bomb, content_type="image/png")}
    )

    assert not form.is_valid()
    (error,) = form.errors[field]
    assert "too large" in error
    assert "at most 50 megapixels" in error


@pytest.mark.parametrize(("model", "field", "width_field", "height_field"), IMAGE_FIELDS)
def test_a_picture_just_over_the_limit_is_refused_with_its_size(
    model, field, width_field, height_field, superuser, settings
):
    settings.IMAGE_MAX_PIXELS = 60 * 40 - 1
    form = admin_form(model, superuser)(
        data={}, files={field: SimpleUploadedFile("wide.png", png(60, 40))}
    )

    assert not form.is_valid()
    assert "It is 60 by 40 pixels" in form.errors[field][0]


def test_the_limit_is_checked_from_the_header_without_decoding(superuser, bomb, monkeypatch):
    def no_decoding(self, *args, **kwargs):
        raise AssertionError("the picture was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    form = admin_form(Article, superuser)(
        data={}, files={"lead_image": SimpleUploadedFile("huge.png", bomb)}
    )

    assert "too large" in form.errors["lead_image"][0]


def test_a_picture_within_the_limit_is_accepted(superuser):
    form = admin_form(Author, superuser)(
        data={"name": "Ada", "slug": "ada", "photo_focal_x": 50, "photo_focal_y": 50},
        files={"photo": SimpleUploadedFile("ada.png", png(60, 40))},
    )

    assert form.is_valid(), form.errors


def test_the_admin_add_page_shows_the_error_next_to_the_field(client, superuser, bomb):
    client.force_login(superuser)
    response = client.post(
        "/admin/cart/product/add/",
        {
            "name": "Mug",
            "slug": "mug",
            "price": "5.00",
            "currency": "EUR",
            "is_active": "on",
            "image": SimpleUploadedFile("huge.png", bomb),
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert "too large to use" in response.text
    assert not Product.objects.exists()


# --- 13.15: no location or personal metadata in what is served ----------------------


def stored_exif(name: str) -> Image.Exif:
    with default_storage.open(name) as stored, Image.open(stored) as picture:
        return picture.getexif(), picture.size, dict(picture.info)


@pytest.mark.parametrize(("model", "field", "width_field", "height_field"), IMAGE_FIELDS)
def test_gps_and_camera_data_are_gone_from_the_stored_picture(
    model, field, width_field, height_field, superuser
):
    original = jpeg_with_gps(width=60, height=40, orientation=6)
    assert Image.open(BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test input has GPS
    instance = make(model)
    getattr(instance, field).save("holiday.jpg", ContentFile(original))
    instance.refresh_from_db()

    exif, size, info = stored_exif(getattr(instance, field).name)
    assert not exif.get_ifd(GPS_IFD)
    assert MAKE not in exif and ARTIST not in exif and ORIENTATION not in exif
    assert "exif" not in info and "xmp" not in info
    # Orientation 6 (turned 90°) is applied to the pixels: 60x40 stands as 40x60.
    assert size == (40, 60)
    assert (getattr(instance, width_field), getattr(instance, height_field)) == (40, 60)


def test_an_upload_through_the_admin_is_served_without_its_gps_position(client, superuser):
    client.force_login(superuser)
    response = client.post(
        "/admin/articles/author/add/",
        {
            "name": "Ada Reporter",
            "slug": "ada-reporter",
            "bio": "",
            "photo_focal_x": "50",
            "photo_focal_y": "50",
            "photo": SimpleUploadedFile("ada.jpg", jpeg_with_gps(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.text
    author = Author.objects.get(slug="ada-reporter")

    served = default_storage.open(author.photo.name).read()
    assert b"Canon" not in served and b"Jo Photographer" not in served
    assert not Image.open(BytesIO(served)).getexif().get_ifd(GPS_IFD)


def test_a_gif_is_stored_as_png_under_a_png_name():
    author = AuthorFactory()
    buffer = BytesIO()
    Image.new("P", (30, 20)).save(buffer, format="GIF", comment=b"secret comment")
    author.photo.save("face.gif", ContentFile(buffer.getvalue()))

    assert author.photo.name.endswith(".png")
    assert b"secret comment" not in default_storage.open(author.photo.name).read()


# --- 13.17: width and height stored however a picture is saved ----------------------


@pytest.mark.parametrize(("model", "field", "width_field", "height_field"), IMAGE_FIELDS)
def test_dimensions_are_stored_when_code_saves_a_file_without_a_name(
    model, field, width_field, height_field
):
    instance = make(model)
    getattr(instance, field).save("picture.png", ContentFile(png(70, 30)))

    stored = model.objects.get(pk=instance.pk)
    assert (getattr(stored, width_field), getattr(stored, height_field)) == (70, 30)


@pytest.mark.parametrize(("model", "field", "width_field", "height_field"), IMAGE_FIELDS)
def test_dimensions_are_stored_when_an_upload_is_assigned_and_saved(
    model, field, width_field, height_field
):
    instance = make(model)
    setattr(instance, field, SimpleUploadedFile("picture.png", png(50, 20)))
    instance.save()

    stored = model.objects.get(pk=instance.pk)
    assert (getattr(stored, width_field), getattr(stored, height_field)) == (50, 20)


def test_dimensions_are_stored_through_the_admin(client, superuser):
    client.force_login(superuser)
    client.post(
        "/admin/cart/product/add/",
        {
            "name": "Mug",
            "slug": "mug",
            "price": "5.00",
            "currency": "EUR",
            "is_active": "on",
            "image": SimpleUploadedFile("mug.png", png(80, 45)),
        },
    )

    assert Product.objects.values_list("image_width", "image_height").get() == (80, 45)


def test_seed_demo_stores_the_dimensions_of_its_pictures(monkeypatch):
    monkeypatch.setattr(demo, "IMAGE_SIZE", (320, 180))
    call_command("seed_demo", stdout=StringIO())

    sizes = set(
        Article.objects.exclude(lead_image="").values_list("lead_image_width", "lead_image_height")
    )
    assert sizes == {(320, 180)}


def test_loading_a_story_never_opens_its_picture(monkeypatch):
    story = ArticleFactory(lead_image_alt="A square")
    Article.objects.filter(pk=story.pk).update(
        lead_image="articles/elsewhere.png", lead_image_width=None, lead_image_height=None
    )
    opened = []
    monkeypatch.setattr(
        default_storage, "open", lambda *args, **kwargs: opened.append(args) or None
    )

    list(Article.objects.all())

    assert opened == []


def test_assigning_a_missing_file_leaves_the_dimensions_empty():
    author = AuthorFactory(photo_width=10, photo_height=10)
    author.photo = "authors/not-there.png"

    assert (author.photo_width, author.photo_height) == (None, None)


def migration_module(app_label: str, suffix: str):
    """The migration of `app_label` whose name ends with `suffix` (numbers move on rebases)."""
    folder = Path(django_apps.get_app_config(app_label).path) / "migrations"
    (path,) = folder.glob(f"[0-9]*_{suffix}.py")
    return importlib.import_module(f"{app_label}.migrations.{path.stem}")


def migrated_apps(app_label: str, name: str):
    return MigrationLoader(connection).project_state((app_label, name)).apps


@pytest.mark.parametrize(
    ("app_label", "suffix", "model", "field", "width_field", "height_field"),
    [
        (
            "articles",
            "backfill_image_dimensions",
            Article,
            "lead_image",
            "lead_image_width",
            "lead_image_height",
        ),
        ("articles", "backfill_image_dimensions", Author, "photo", "photo_width", "photo_height"),
        (
            "cart",
            "backfill_product_image_dimensions",
            Product,
            "image",
            "image_width",
            "image_height",
        ),
    ],
)
def test_migration_backfills_dimensions_and_cleans_stored_originals(
    app_label, suffix, model, field, width_field, height_field
):
    instance = make(model)
    old_name = default_storage.save("old/holiday.jpg", ContentFile(jpeg_with_gps(60, 40, 1)))
    missing = make(model)
    model.objects.filter(pk=instance.pk).update(
        **{field: old_name, width_field: None, height_field: None}
    )
    model.objects.filter(pk=missing.pk).update(
        **{field: "old/never-restored.jpg", width_field: None, height_field: None}
    )
    module = migration_module(app_label, suffix)

    module.backfill(migrated_apps(app_label, module.__name__.rsplit(".", 1)[1]), None)

    instance.refresh_from_db()
    assert (getattr(instance, width_field), getattr(instance, height_field)) == (60, 40)
    exif, _, _ = stored_exif(getattr(instance, field).name)
    assert not exif.get_ifd(GPS_IFD)
    assert not default_storage.exists(old_name)
    missing.refresh_from_db()
    assert getattr(missing, field).name == "old/never-restored.jpg"
    assert getattr(missing, width_field) is None
