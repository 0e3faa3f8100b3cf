"""
A story's history records its tags and byline too (Article.history, m2m_fields).

Older history records have none. Each story's latest record gets the tags and
byline the story has now, which is what that version had unless they changed
since (until now, changing them wrote no record). Earlier records stay without:
their tags and authors were not recorded, and are not made up here.
"""

import django.db.models.deletion
import simple_history.models
from django.db import migrations, models


def latest_records_complete(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    HistoricalArticle = apps.get_model("articles", "HistoricalArticle")
    HistoricalTags = apps.get_model("articles", "HistoricalArticle_tags")
    HistoricalBylines = apps.get_model("articles", "HistoricalArticleAuthor")
    ArticleAuthor = apps.get_model("articles", "ArticleAuthor")
    Tags = Article.tags.through

    latest = {}
    for record in HistoricalArticle.objects.order_by("history_date", "history_id").only("id"):
        latest[record.id] = record
    HistoricalTags.objects.bulk_create(
        HistoricalTags(
            history=latest[row.article_id], id=row.id, article_id=row.article_id, tag_id=row.tag_id
        )
        for row in Tags.objects.filter(article_id__in=latest)
    )
    HistoricalBylines.objects.bulk_create(
        HistoricalBylines(
            history=latest[row.article_id],
            id=row.id,
            article_id=row.article_id,
            author_id=row.author_id,
            order=row.order,
        )
        for row in ArticleAuthor.objects.filter(article_id__in=latest)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_article_view_count_help_text"),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalArticle_tags",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "article",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="articles.article",
                    ),
                ),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="articles.historicalarticle",
                    ),
                ),
                (
                    "tag",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="articles.tag",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalArticle_tags",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalArticleAuthor",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0)),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "article",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="articles.article",
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="articles.author",
                    ),
                ),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="articles.historicalarticle",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalArticleAuthor",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(latest_records_complete, migrations.RunPython.noop),
    ]
