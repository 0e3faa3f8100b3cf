"""
The Editor role (the "Editor" group the articles app's migration 0003 made)
writes new versions of the terms of use and lists and exports consent records.
Consent records stay append-only: view is all anyone gets on them. Writers get
nothing here.

A frozen copy of accounts.apps.EDITOR_PERMISSIONS; the group is found by name,
or made if this app is migrated first. Permissions are created here because
Django only creates them after all migrations have run, too late for a fresh
database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    "add_termsofuse",
    "change_termsofuse",
    "view_termsofuse",
    "view_termsacceptance",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editor")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts", codename__in=EDITOR_PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Editor"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="accounts", codename__in=EDITOR_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_email_address_for_every_user"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
