"""
The crops of every stored picture, in the shapes the templates now ask for:
16:9 and 3:2 for lead images, square for author photos, around the centre
(the default focal point). Made here so pages show pictures straight away
instead of after each story's next save. Unreadable files are left out.
"""

from django.db import migrations


def crops_make(apps, schema_editor):
    from articles.images import picture_renditions

    Article = apps.get_model("articles", "Article")
    Author = apps.get_model("articles", "Author")
    for story in Article.objects.exclude(lead_image="").only(
        "pk", "lead_image", "lead_image_focal_x", "lead_image_focal_y"
    ):
        renditions = picture_renditions(
            story.lead_image,
            shapes=["lead", "card"],
            focal_point=(story.lead_image_focal_x, story.lead_image_focal_y),
        )
        Article.objects.filter(pk=story.pk).update(lead_image_renditions=renditions)
    for author in Author.objects.exclude(photo="").only(
        "pk", "photo", "photo_focal_x", "photo_focal_y"
    ):
        renditions = picture_renditions(
            author.photo, shapes=["photo"], focal_point=(author.photo_focal_x, author.photo_focal_y)
        )
        Author.objects.filter(pk=author.pk).update(photo_renditions=renditions)


class Migration(migrations.Migration):
    dependencies = [("articles", "0017_editors_desk_roles_and_addresses")]

    operations = [migrations.RunPython(crops_make, migrations.RunPython.noop)]
