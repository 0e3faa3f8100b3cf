"""The "Views" help text speaks to editors, not developers."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_byline_permissions_for_roles")]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="view_count",
            field=models.PositiveBigIntegerField(
                default=0,
                editable=False,
                help_text="How many readers have opened the story. New views are added every few minutes, so a story just published may show fewer than it has had.",
                verbose_name="views",
            ),
        ),
    ]
