"""
The newsroom's two roles as groups: Writer and Editor.

Writer: adds stories and edits their own until they are published; can send a
story to review but not publish it (the admin enforces "own" and "not
published"; see ArticleAdmin). Editor: everything on stories, sections, tags
and authors, plus publishing and scheduling.

The permissions are created here first: Django only creates them after all
migrations have run, which is too late for a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Writer": [
        "add_article",
        "change_article",
        "view_article",
        "view_historicalarticle",
        "view_section",
        "add_tag",
        "view_tag",
        "view_author",
    ],
    "Editor": [
        f"{action}_{model}"
        for model in ("article", "section", "tag", "author")
        for action in ("add", "change", "delete", "view")
    ]
    + ["publish_article", "view_historicalarticle"],
}


def create_roles(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_article_search_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
