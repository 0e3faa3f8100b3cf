"""
Product pictures stored before newsroom.images.UploadedImageField: each
original is re-encoded without its EXIF/XMP metadata and its width and height
are stored (issue 13.15 and 13.17). Files that are missing are left alone.
"""

from django.db import migrations


def backfill(apps, schema_editor):
    from newsroom.images import image_rows_backfill

    image_rows_backfill(model=apps.get_model("cart", "Product"), field_name="image")


class Migration(migrations.Migration):
    dependencies = [("cart", "0004_product_image_dimensions")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
