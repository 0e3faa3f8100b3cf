"""articles_live_keyset_idx: live stories in (published_at, id) order.

Lists, feeds and previous/next compare and order by (published_at, id); the
old articles_live_idx (status, -published_at) left the id tie-break to a sort.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_article_published_on_unique_slug_per_day"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["status", "published_at", "id"], name="articles_live_keyset_idx"
            ),
        ),
        migrations.RemoveIndex(
            model_name="article",
            name="articles_live_idx",
        ),
    ]
