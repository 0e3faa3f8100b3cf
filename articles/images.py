"""
Renditions of story pictures and author photos: fixed shapes, cropped around
the editor's focal point, never upscaled (issue 9.5). Made with Pillow when
the picture or its focal point changes.

Each shape is an aspect ratio and the widths offered to browsers in `srcset`:
the story's lead picture is 16:9, story cards are 3:2, author photos are
square. The crop is the largest box of that shape inside the picture, centred
on the focal point as far as the picture's edges allow (the default focal
point, 50 % / 50 %, is the centre). Widths wider than that box are left out,
so a 300 x 900 portrait yields one 300 x 169 lead rendition, never a
stretched one. Each rendition is a WebP file beside the original in the
default storage; the model keeps their names and sizes in a JSON field, so
templates build `srcset`, `width` and `height` without touching storage.
"""

from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from PIL import Image, ImageOps, UnidentifiedImageError


@dataclass(frozen=True)
class Shape:
    """An aspect ratio (`ratio_width`:`ratio_height`) and the widths, in pixels, to render."""

    ratio_width: int
    ratio_height: int
    widths: tuple[int, ...]

    def height_for(self, width: int) -> int:
        return max(1, round(width * self.ratio_height / self.ratio_width))


#: Every shape a picture is rendered in; templates name them.
SHAPES = {
    # The story page (up to 45rem wide) and the front page's lead story.
    "lead": Shape(16, 9, (480, 960, 1600)),
    # Story cards in lists: 7rem to 12rem wide, and the front page's top stories.
    "card": Shape(3, 2, (240, 480, 720)),
    # Author photos: 2.5rem beside a byline, 6rem on the author's page.
    "photo": Shape(1, 1, (80, 192, 384)),
}
WEBP_QUALITY = 80
#: The focal point when the editor has not chosen one: the centre, in percent.
DEFAULT_FOCAL_POINT = (50, 50)


def crop_box(
    size: tuple[int, int], shape: Shape, focal_point: tuple[int, int]
) -> tuple[int, int, int, int]:
    """The (left, top, right, bottom) box of `shape` to cut from a picture of `size`.

    The largest box of the shape's aspect ratio that fits, centred on
    `focal_point` (x and y in percent of the width and height, 0-100) and
    moved back inside the picture where the centre would push it out.
    """
    width, height = size
    if width * shape.ratio_height > height * shape.ratio_width:  # wider than the shape
        box_height = height
        box_width = min(width, max(1, round(height * shape.ratio_width / shape.ratio_height)))
    else:
        box_width = width
        box_height = min(height, max(1, round(width * shape.ratio_height / shape.ratio_width)))
    focal_x, focal_y = (max(0, min(100, value)) for value in focal_point)
    left = round(width * focal_x / 100 - box_width / 2)
    top = round(height * focal_y / 100 - box_height / 2)
    left = max(0, min(left, width - box_width))
    top = max(0, min(top, height - box_height))
    return left, top, left + box_width, top + box_height


def rendition_widths(box_width: int, shape: Shape) -> list[int]:
    """The shape's widths that fit in a box `box_width` wide, and the box's own
    width if it is narrower than the largest: never wider than the box."""
    widths = [width for width in shape.widths if width <= box_width]
    if box_width < shape.widths[-1] and box_width not in widths:
        widths.append(box_width)
    return sorted(widths)


def picture_renditions(
    image: FieldFile, *, shapes: list[str], focal_point: tuple[int, int] = DEFAULT_FOCAL_POINT
) -> dict:
    """Make the renditions of `image` in each of `shapes` (names in SHAPES).

    Returns {"source": name, "focal_point": [x, y], "shapes": {shape name:
    [{"name", "width", "height"}, ... narrowest first]}}, or {} when the file
    cannot be read (missing, not a picture): the picture is then left out.
    """
    try:
        image.open("rb")
        with Image.open(image) as original:
            picture = ImageOps.exif_transpose(original)
            picture.load()
    except (OSError, UnidentifiedImageError, ValueError):
        return {}
    finally:
        image.close()
    if picture.mode not in ("RGB", "RGBA"):
        picture = picture.convert("RGBA" if "A" in picture.getbands() else "RGB")

    stem = PurePosixPath(image.name)
    rendered: dict[str, list[dict]] = {}
    for shape_name in shapes:
        shape = SHAPES[shape_name]
        box = crop_box(picture.size, shape, focal_point)
        cropped = picture.crop(box)
        sizes = []
        for width in rendition_widths(cropped.width, shape):
            height = shape.height_for(width)
            resized = cropped.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
            buffer = BytesIO()
            resized.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=4)
            name = image.storage.save(
                str(stem.parent / "renditions" / f"{stem.stem}-{shape_name}-{width}w.webp"),
                ContentFile(buffer.getvalue()),
            )
            sizes.append({"name": name, "width": width, "height": height})
        rendered[shape_name] = sizes
    return {"source": image.name, "focal_point": list(focal_point), "shapes": rendered}


@dataclass(frozen=True)
class Picture:
    """What an <img> needs for one shape: `src` (a middle rendition for browsers
    without srcset), `srcset`, and `width`/`height` of the largest rendition
    (so the layout reserves the exact box and CSS never stretches beyond it)."""

    src: str
    srcset: str
    width: int
    height: int
    largest: str


def rendition_default(renditions: dict, shape_name: str) -> dict | None:
    """The rendition of `shape_name` for readers without srcset (the widest up to
    the shape's middle width), as {"name", "width", "height"} (pixels), or None."""
    sizes = (renditions or {}).get("shapes", {}).get(shape_name) or []
    fitting = [size for size in sizes if size["width"] <= SHAPES[shape_name].widths[1]]
    return (fitting or sizes[:1])[-1] if sizes else None


def picture_for(renditions: dict, shape_name: str, storage) -> Picture | None:
    """The `Picture` of `shape_name` from a model's stored renditions, or None."""
    default = rendition_default(renditions, shape_name)
    if default is None:
        return None
    sizes = renditions["shapes"][shape_name]
    largest = sizes[-1]
    return Picture(
        src=storage.url(default["name"]),
        srcset=", ".join(f"{storage.url(size['name'])} {size['width']}w" for size in sizes),
        width=largest["width"],
        height=largest["height"],
        largest=storage.url(largest["name"]),
    )


def renditions_are_current(renditions: dict, *, source: str, focal_point: tuple[int, int]) -> bool:
    """Whether stored `renditions` were made from `source` with this focal point."""
    renditions = renditions or {}
    if not source:
        return not renditions
    return (
        "shapes" in renditions
        and renditions.get("source") == source
        and tuple(renditions.get("focal_point", ())) == tuple(focal_point)
    )
