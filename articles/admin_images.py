"""
Pictures in the admin: a thumbnail of the current picture, a click-to-set
focal point (with the two percentage inputs as the no-JavaScript way), and
the crops readers will see (issue 9.5). Nothing here opens a file: the
thumbnail is the stored original's address with its stored size, the crops
are the renditions recorded on the row.
"""

from django import forms
from django.contrib import admin
from django.template.loader import render_to_string

from articles.images import DEFAULT_FOCAL_POINT, SHAPES, picture_for

#: Labels of the crops shown under the thumbnail.
SHAPE_LABELS = {
    "lead": "Story page and front-page lead (16:9)",
    "card": "Story lists (3:2)",
    "photo": "Author page and bylines (square)",
}


def picture_preview(
    *,
    image,
    width: int | None,
    height: int | None,
    alt: str,
    renditions: dict,
    shapes: list[str],
    focal_fields: tuple[str, str],
) -> str:
    """The preview block for one image field of a change form (HTML)."""
    crops = []
    for shape in shapes:
        picture = picture_for(renditions, shape, image.storage) if image else None
        if picture is not None:
            crops.append({"label": SHAPE_LABELS[shape], "picture": picture, "shape": SHAPES[shape]})
    return render_to_string(
        "admin/articles/picture_preview.html",
        {
            "url": image.url if image and width and height else "",
            "has_file": bool(image),
            "width": width,
            "height": height,
            "alt": alt,
            "crops": crops,
            "focal_x_id": f"id_{focal_fields[0]}",
            "focal_y_id": f"id_{focal_fields[1]}",
        },
    )


class FocalPointField(forms.IntegerField):
    """A focal point percentage, 0-100; left empty it means the centre (50)."""

    def __init__(self, **kwargs):
        kwargs["required"] = False
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 100)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return DEFAULT_FOCAL_POINT[0] if value is None else value


class PicturePreviewMediaMixin:
    """The focal point script and the preview's styles, added to a ModelAdmin's
    media; the focal point inputs as `FocalPointField`s."""

    focal_point_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.focal_point_fields:
            kwargs["form_class"] = FocalPointField
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @property
    def media(self):
        return super().media + forms.Media(
            js=["articles/admin-focal-point.js"], css={"all": ["articles/admin-images.css"]}
        )


class LeadImagePreviewMixin(PicturePreviewMediaMixin):
    """For the story admin: `lead_image_preview`, read-only, beside the lead image fields."""

    focal_point_fields = ("lead_image_focal_x", "lead_image_focal_y")

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "lead_image_preview"]

    @admin.display(description="current picture")
    def lead_image_preview(self, obj):
        if obj is None or obj.pk is None:
            return "Save the story first: its picture and crops then show here."
        return picture_preview(
            image=obj.lead_image,
            width=obj.lead_image_width,
            height=obj.lead_image_height,
            alt=obj.lead_image_alt,
            renditions=obj.lead_image_renditions,
            shapes=["lead", "card"],
            focal_fields=("lead_image_focal_x", "lead_image_focal_y"),
        )


class AuthorPhotoPreviewMixin(PicturePreviewMediaMixin):
    """For the author admin: `photo_preview`, read-only, beside the photo fields."""

    focal_point_fields = ("photo_focal_x", "photo_focal_y")

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "photo_preview"]

    @admin.display(description="current photo")
    def photo_preview(self, obj):
        if obj is None or obj.pk is None:
            return "Save the author first: the photo and its crop then show here."
        return picture_preview(
            image=obj.photo,
            width=obj.photo_width,
            height=obj.photo_height,
            alt=f"Photo of {obj.name}",
            renditions=obj.photo_renditions,
            shapes=["photo"],
            focal_fields=("photo_focal_x", "photo_focal_y"),
        )
