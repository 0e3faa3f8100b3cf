"""The "unique slug per day" rule on a stored day (`published_on`).

The rule was an index on an expression, TruncDate("published_at"), whose SQL
names the time zone of the `migrate` that built it. After TIME_ZONE changed,
the database and the form's validation disagreed about which day a story was
on, and a save that validation allowed ended in an IntegrityError (a 500).
Now the day is a column, derived in Article.save() in the site's time zone,
and the unique index is on (slug, published_on): plain columns, checked the
same way by the form and by the database. Slug first, so the index also
finds a story by its address.
"""

from django.db import migrations, models
from django.db.models.functions import TruncDate


def fill_published_on(apps, schema_editor):
    """One UPDATE: each story's day in the current time zone."""
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(published_at__isnull=False).update(
        published_on=TruncDate("published_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_search_covers_names_and_accents"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="published_on",
            field=models.DateField(
                editable=False,
                help_text="The day of the publication time in the site's time zone (TIME_ZONE) "
                "when the story was saved: a slug is unique on its day.",
                null=True,
                verbose_name="publication day",
            ),
        ),
        migrations.RunPython(fill_published_on, migrations.RunPython.noop, elidable=True),
        migrations.RemoveConstraint(
            model_name="article",
            name="articles_article_unique_slug_per_day",
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.UniqueConstraint(
                models.F("slug"),
                models.F("published_on"),
                name="articles_article_unique_slug_per_day",
                violation_error_message="Another story published that day has this slug.",
            ),
        ),
    ]
