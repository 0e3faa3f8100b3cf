"""
Pictures stored before newsroom.images.UploadedImageField: each original is
re-encoded without its EXIF/XMP metadata (GPS position included) and its
width and height are stored, so no page has to open the file to measure it
(issue 13.15 and 13.17). Files that are missing are left alone.
"""

from django.db import migrations


def backfill(apps, schema_editor):
    from newsroom.images import image_rows_backfill

    image_rows_backfill(model=apps.get_model("articles", "Article"), field_name="lead_image")
    image_rows_backfill(model=apps.get_model("articles", "Author"), field_name="photo")


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_image_dimensions_focal_point")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
