"""
The editors' desk: permissions for the roles, and the addresses of live stories.

* Editors manage corrections, the front page, banners and share links;
  writers make share links for their own stories. A frozen copy of what
  articles/roles.py now adds, like 0004.
* Every story live now gets its current address recorded, so that changing
  its slug or date later answers 301 from the old one (see ArticleAddress).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

EDITOR_MODELS = ("correction", "frontpage", "frontpagestory", "banner", "sharelink")
GRANTS = {
    "Editor": [
        f"{action}_{model}"
        for model in EDITOR_MODELS
        for action in ("add", "change", "delete", "view")
    ],
    "Writer": ["add_sharelink", "view_sharelink"],
}


def permissions_grant(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


def permissions_revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="articles", codename__in=codenames
                )
            )


def addresses_record(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleAddress = apps.get_model("articles", "ArticleAddress")
    live = Article.objects.filter(status="published", published_at__lte=timezone.now())
    ArticleAddress.objects.bulk_create(
        [
            ArticleAddress(
                published_on=timezone.localtime(published_at).date(), slug=slug, article_id=pk
            )
            for pk, slug, published_at in live.values_list("pk", "slug", "published_at").iterator()
        ],
        ignore_conflicts=True,
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_editors_desk")]

    operations = [
        migrations.RunPython(permissions_grant, permissions_revoke),
        migrations.RunPython(addresses_record, migrations.RunPython.noop),
    ]
