"""
ArticleAuthor is now called Byline, in the newsroom's words. Only the model is
renamed: both tables (the bylines and their history) keep their names, so no
row moves and the database is not touched.

Django renames a model's content type only for a plain RenameModel, and never
its permissions, so this does both itself: the roles keep the byline
permissions they were granted (`add_articleauthor` becomes `add_byline`, and
so on) instead of losing them to new, ungranted ones.
"""

from django.db import migrations

#: (old model name, new model name) for the content types and permissions.
RENAMED_MODELS = [("articleauthor", "byline"), ("historicalarticleauthor", "historicalbyline")]


def codename_renamed(codename: str, old: str, new: str) -> str:
    """`add_articleauthor` -> `add_byline`; other codenames unchanged."""
    action, _, model = codename.partition("_")
    return f"{action}_{new}" if model == old else codename


def rename(apps, renames):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for old, new in renames:
        if ContentType.objects.filter(app_label="articles", model=new).exists():
            continue  # already renamed (or made by a run that predates the rename)
        ContentType.objects.filter(app_label="articles", model=old).update(model=new)
        for permission in Permission.objects.filter(
            content_type__app_label="articles", content_type__model=new
        ):
            permission.codename = codename_renamed(permission.codename, old, new)
            permission.save(update_fields=["codename"])


def forwards(apps, schema_editor):
    rename(apps, RENAMED_MODELS)


def backwards(apps, schema_editor):
    rename(apps, [(new, old) for old, new in RENAMED_MODELS])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_history_of_tags_and_bylines"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameModel(old_name="ArticleAuthor", new_name="Byline"),
                migrations.RenameModel(
                    old_name="HistoricalArticleAuthor", new_name="HistoricalByline"
                ),
                migrations.AlterModelOptions(
                    name="historicalbyline", options={"verbose_name": "HistoricalByline"}
                ),
                migrations.AlterModelTable(name="byline", table="articles_articleauthor"),
                migrations.AlterModelTable(
                    name="historicalbyline", table="articles_historicalarticleauthor"
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
