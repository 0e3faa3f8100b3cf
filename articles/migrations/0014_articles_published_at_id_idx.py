"""articles_published_at_id_idx: every story, any status, newest first (the admin's list)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_articles_live_keyset_idx"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["published_at", "id"], name="articles_published_at_id_idx"),
        ),
    ]
