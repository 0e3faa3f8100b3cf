"""
Writers and editors may set a story's byline.

The byline is an inline of ArticleAuthor (the through model of
Article.authors), which needs that model's own permissions; 0003 gave the
roles none, so the admin hid the inline and stories were saved without
authors. A frozen copy of what articles/roles.py now adds, like 0003.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ("Writer", "Editor")
BYLINE_PERMISSIONS = [
    "add_articleauthor",
    "change_articleauthor",
    "delete_articleauthor",
    "view_articleauthor",
]


def byline_permissions_grant(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="articles", codename__in=BYLINE_PERMISSIONS
    )
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def byline_permissions_revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="articles", codename__in=BYLINE_PERMISSIONS
    )
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_roles")]

    operations = [migrations.RunPython(byline_permissions_grant, byline_permissions_revoke)]
