"""
Renditions of a lead image for `srcset`, made with Pillow when the image is saved.

A phone should not download a 4000-pixel photograph. Each rendition is a WebP
file next to the original in the default storage; the model keeps their names
and sizes in a JSON field so templates build `srcset` without touching storage.
"""

from io import BytesIO
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from PIL import Image, ImageOps, UnidentifiedImageError

#: Widths offered to browsers; none is wider than the original.
RENDITION_WIDTHS = (480, 960, 1600)
WEBP_QUALITY = 80


def lead_image_renditions(image: FieldFile) -> dict:
    """Make the renditions of `image`; return {"source": name, "sizes": [...]}."""
    try:
        image.open("rb")
        with Image.open(image) as original:
            original = ImageOps.exif_transpose(original)
            original.load()
    except (OSError, UnidentifiedImageError, ValueError):
        return {}
    finally:
        image.close()

    if original.mode not in ("RGB", "RGBA"):
        original = original.convert("RGBA" if "A" in original.getbands() else "RGB")
    widths = [width for width in RENDITION_WIDTHS if width < original.width]
    widths.append(min(original.width, RENDITION_WIDTHS[-1]))

    stem = PurePosixPath(image.name)
    sizes = []
    for width in sorted(set(widths)):
        height = max(1, round(original.height * width / original.width))
        resized = original.resize((width, height), Image.Resampling.LANCZOS)
        buffer = BytesIO()
        resized.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=4)
        name = image.storage.save(
            str(stem.parent / "renditions" / f"{stem.stem}-{width}w.webp"),
            ContentFile(buffer.getvalue()),
        )
        sizes.append({"name": name, "width": width, "height": height})
    return {"source": image.name, "sizes": sizes}
