"""articles_section_keyset_idx: a section's stories newest first (section pages, front-page blocks)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_articles_published_at_id_idx"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["section", "published_at", "id"], name="articles_section_keyset_idx"
            ),
        ),
    ]
