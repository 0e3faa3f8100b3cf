"""
Uploaded pictures, the same way for every image field of the site.

`UploadedImageField` is a drop-in for Django's `models.ImageField` (the story's
lead image, the author's photo, the product's picture). Whatever way a file is
saved (the admin, `seed_demo`, code calling `field_file.save()` or assigning
an uploaded file), it:

* **refuses oversized pictures before decoding them** (issue 13.14): the form
  field reads the width and height from the file's header and answers with a
  form error above `settings.IMAGE_MAX_PIXELS`. A 12000 x 12000 PNG is
  450 KB on the wire but 576 MB once decoded; reading its header takes
  microseconds. Pillow's own guard (`Image.MAX_IMAGE_PIXELS`, set from the
  same setting in the settings module) backs this up everywhere else.
* **serves no camera metadata** (issue 13.15): the file is decoded once and
  re-encoded before it reaches storage, with the EXIF orientation applied to
  the pixels, and without EXIF (GPS position, camera serial, owner name),
  XMP, IPTC or comments. Only the colour profile is kept. The public
  original is therefore as clean as the renditions made from it.
* **stores its width and height** (issue 13.17) in the model's
  `width_field`/`height_field`, from the re-encoded file, and never opens a
  file to measure it when a row is loaded. A file that is missing or
  unreadable leaves the dimensions empty instead of raising: pages then show
  the story without its picture rather than answering 500.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from io import BytesIO
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db.models.fields.files import ImageField, ImageFieldFile
from django.utils.text import capfirst
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

#: Formats kept as they are; anything else Pillow reads (GIF, BMP, TIFF, ...)
#: is stored as PNG, first frame only. MPO is a JPEG with extra frames (phones).
KEPT_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
#: Quality of re-encoded JPEG and WebP originals: high, since renditions are
#: made from them.
ORIGINAL_QUALITY = 90


def image_pixel_limit() -> int:
    """The most pixels (width x height) an uploaded picture may have."""
    return settings.IMAGE_MAX_PIXELS


def image_too_large_error(size: tuple[int, int] | None) -> ValidationError:
    """The form error for a picture over the pixel limit; `size` is (width, height) if known."""
    limit = image_pixel_limit()
    megapixels = f"{limit / 1_000_000:g}"
    if size is None:
        detail = f"It has more than {2 * limit / 1_000_000:g} megapixels"
    else:
        width, height = size
        detail = (
            f"It is {width:,} by {height:,} pixels ({width * height / 1_000_000:.0f} megapixels)"
        )
    return ValidationError(
        "This picture is too large to use. %(detail)s; at most %(megapixels)s megapixels "
        "are accepted (for example 8,000 by 5,000). Make it smaller and upload it again.",
        code="image_too_large",
        params={"detail": detail, "megapixels": megapixels},
    )


def image_header_size(file) -> tuple[int, int]:
    """(width, height) read from the file's header, without decoding the pixels.

    Raises ValidationError if the limit is exceeded or Pillow cannot identify
    the file (the caller's usual "not an image" error then applies).
    """
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        # Pillow warns between one and two times Image.MAX_IMAGE_PIXELS (the
        # same limit, see settings): the check below says it better.
        with (
            warnings.catch_warnings(action="ignore", category=Image.DecompressionBombWarning),
            Image.open(file) as image,
        ):
            size = image.size
    except Image.DecompressionBombError:
        # Over twice Image.MAX_IMAGE_PIXELS: Pillow refuses before we see the size.
        raise image_too_large_error(None) from None
    finally:
        if hasattr(file, "seek"):
            file.seek(position)
    if size[0] * size[1] > image_pixel_limit():
        raise image_too_large_error(size)
    return size


class UploadedImageFormField(forms.ImageField):
    """Django's image form field, with the pixel limit checked from the header first."""

    def to_python(self, data):
        if data in self.empty_values:
            return super().to_python(data)
        if hasattr(data, "temporary_file_path"):
            source = data.temporary_file_path()
        elif hasattr(data, "read"):
            source = BytesIO(data.read())
            data.seek(0)
        else:
            source = BytesIO(data["content"])
        # Not an image at all: Django's own check below says so.
        with contextlib.suppress(UnidentifiedImageError, OSError, ValueError):
            image_header_size(source)
        return super().to_python(data)


def image_clean_content(content: File, name: str) -> tuple[ContentFile, str, tuple[int, int]]:
    """Re-encode an uploaded picture without its metadata.

    Returns (content, name, (width, height)). The orientation recorded in EXIF
    is applied to the pixels first, so the picture still stands the right way
    up and its size is the size readers see. JPEG, PNG and WebP keep their
    format; other formats become PNG, and `name` gets the matching extension.
    Raises ValidationError for a file that is not a picture or is over the
    pixel limit.
    """
    content.seek(0)
    data = content.read()
    try:
        image_header_size(BytesIO(data))
        with Image.open(BytesIO(data)) as original:
            source_format = original.format
            icc_profile = original.info.get("icc_profile")
            picture = ImageOps.exif_transpose(original)
            picture.load()
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise ValidationError("This file is not a picture we can read.", code="invalid") from error

    output_format = KEPT_FORMATS.get(source_format, "PNG")
    # Nothing from the original's info travels but the colour profile: no
    # EXIF (GPS, camera, owner), XMP, IPTC or text chunks.
    options: dict = {"exif": b""}
    if icc_profile:
        options["icc_profile"] = icc_profile
    if output_format == "JPEG":
        if picture.mode not in ("RGB", "L", "CMYK"):
            picture = picture.convert("RGB")
        options |= {"quality": ORIGINAL_QUALITY, "optimize": True}
    elif output_format == "WEBP":
        options |= {"quality": ORIGINAL_QUALITY}
    elif picture.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"):
        picture = picture.convert("RGBA")
    buffer = BytesIO()
    picture.save(buffer, format=output_format, **options)

    path = PurePosixPath(name)
    extension = EXTENSIONS[output_format]
    if path.suffix.lower() not in ({".jpg", ".jpeg"} if output_format == "JPEG" else {extension}):
        name = str(path.with_suffix(extension))
    return ContentFile(buffer.getvalue()), name, picture.size


class UploadedImageFieldFile(ImageFieldFile):
    """An image field's file that is cleaned (see `image_clean_content`) on its way to storage."""

    def save(self, name, content, save=True):
        content, name, (width, height) = image_clean_content(content, name)
        super().save(name, content, save=False)
        # Stored here, from the cleaned picture, whatever way it was saved
        # (Django measures only contents that carry a name, which a file made
        # in code often does not).
        for field_name, value in (
            (self.field.width_field, width),
            (self.field.height_field, height),
        ):
            if field_name:
                setattr(self.instance, field_name, value)
        if save:
            self.instance.save()

    save.alters_data = True


class UploadedImageField(ImageField):
    """`models.ImageField` with the site's pixel limit, metadata stripping and stored size.

    Use it with `width_field` and `height_field`: the dimensions are then read
    once, from the cleaned file, when it is saved.
    """

    attr_class = UploadedImageFieldFile

    def formfield(self, **kwargs):
        field = super().formfield(**{"form_class": UploadedImageFormField, **kwargs})
        # The admin's file widget groups the file input with "Currently" and
        # "Clear" under a <legend>, which names the group but not the input
        # itself (axe: "Form elements must have labels").
        field.widget.attrs.setdefault("aria-label", capfirst(self.verbose_name))
        return field

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        if not force:
            # Called on every row loaded (post_init): Django would open the
            # file to measure a row whose dimensions are empty, one storage
            # read per story per page. Dimensions are stored when a file is
            # saved and were backfilled by migration, so loading reads none.
            return
        # An assignment (`obj.image = file_or_name`) measures what is
        # assigned. The file may be missing (media not restored, a storage
        # outage) or unreadable: the dimensions then stay empty, and pages
        # leave the picture out instead of answering 500.
        try:
            super().update_dimension_fields(instance, force, *args, **kwargs)
        except (OSError, ValueError, UnidentifiedImageError) as error:
            logger.warning(
                "Cannot measure %s.%s of %r: %s",
                type(instance).__name__,
                self.name,
                instance.pk,
                error,
            )
            for field_name in (self.width_field, self.height_field):
                if field_name:
                    setattr(instance, field_name, None)


def image_rows_backfill(*, model, field_name: str) -> int:
    """Clean the stored pictures of `model`'s rows and store their width and height.

    For data migrations (`model` is then the migration's historical model):
    each stored original is re-encoded without its metadata, as uploads are
    now (see `image_clean_content`), under a new name, and its dimensions are
    saved. A missing or unreadable file is left alone, with empty dimensions.
    Returns how many rows were updated.
    """
    field = model._meta.get_field(field_name)
    updated = 0
    # values_list: only the names are needed, not instances.
    rows = model._default_manager.exclude(**{field_name: ""}).values_list("pk", field_name)
    for pk, name in rows.iterator():
        try:
            with field.storage.open(name, "rb") as stored:
                cleaned = image_clean_content(File(stored), name)
        except (OSError, ValidationError) as error:
            logger.warning("Cannot clean %s %s: %s", model.__name__, name, error)
            continue
        content, new_name, (width, height) = cleaned
        saved_name = field.storage.save(new_name, content, max_length=field.max_length)
        model._default_manager.filter(pk=pk).update(
            **{field_name: saved_name, field.width_field: width, field.height_field: height}
        )
        if saved_name != name:
            field.storage.delete(name)
        updated += 1
    return updated
