"""
The newsroom's roles as groups. Migration 0003 created them with a frozen copy
of this table, and later migrations (0004: the byline) add to them the same
way; `roles_ensure()` restores them (seed_demo calls it) should someone delete
a group or a permission from it. A change here needs a new data migration too:
databases that already ran the earlier ones never see an edit to them.
"""

from django.contrib.auth.models import Group, Permission

ROLE_PERMISSIONS = {
    "Writer": [
        "add_article",
        "change_article",
        "view_article",
        "view_historicalarticle",
        "view_section",
        "add_tag",
        "view_tag",
        "view_author",
        # The byline inline on the story form (ArticleAuthor, the through model).
        "add_articleauthor",
        "change_articleauthor",
        "delete_articleauthor",
        "view_articleauthor",
    ],
    "Editor": [
        f"{action}_{model}"
        for model in ("article", "articleauthor", "section", "tag", "author")
        for action in ("add", "change", "delete", "view")
    ]
    + ["publish_article", "view_historicalarticle"],
}


def roles_ensure() -> list[Group]:
    groups = []
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )
        groups.append(group)
    return groups
