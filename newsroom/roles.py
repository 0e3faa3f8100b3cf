"""
The newsroom's roles, as auth groups, and what each may do in every app.

* **Writer** adds stories and edits their own until they are published, and
  may send them to review (the story admin enforces "own" and "not
  published").
* **Editor** edits every story, section, tag and author, publishes and
  schedules; writes new versions of the terms of use and lists and exports
  consent records (view is all anyone gets on those: they are evidence); looks
  after the shop's products.

This is the one place a role's name is typed: code and tests use `WRITER` and
`EDITOR`. Migrations created the groups with frozen copies of these grants
(articles 0003 and 0004, accounts 0004, cart 0003; articles 0007 renamed the
byline permissions; articles 0012 added the editors' desk); `roles_ensure()`
restores them should someone delete a group or a permission (`seed_demo`
calls it). A change here needs a new data migration too: databases that
already ran the earlier ones never see an edit to them.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

WRITER = "Writer"
EDITOR = "Editor"

#: Role name -> permissions, as "app_label.codename".
ROLE_PERMISSIONS: dict[str, list[str]] = {
    WRITER: [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.view_historicalarticle",
        "articles.view_section",
        "articles.add_tag",
        "articles.view_tag",
        "articles.view_author",
        # The byline inline on the story form (Byline, the through model).
        "articles.add_byline",
        "articles.change_byline",
        "articles.delete_byline",
        "articles.view_byline",
        # Draft share links for their own stories (articles.admin_editors).
        "articles.add_sharelink",
        "articles.view_sharelink",
    ],
    EDITOR: [
        f"articles.{action}_{model}"
        for model in (
            "article",
            "byline",
            "section",
            "tag",
            "author",
            # The editors' desk (articles.admin_editors).
            "correction",
            "frontpage",
            "frontpagestory",
            "banner",
            "sharelink",
        )
        for action in ("add", "change", "delete", "view")
    ]
    + [
        "articles.publish_article",
        "articles.view_historicalarticle",
        "accounts.add_termsofuse",
        "accounts.change_termsofuse",
        "accounts.view_termsofuse",
        "accounts.view_termsacceptance",
        "cart.add_product",
        "cart.change_product",
        "cart.view_product",
    ],
}


def role_permissions(role: str, *, app_label: str | None = None) -> set[str]:
    """The codenames (without app label) `role` is granted, optionally in one app only."""
    return {
        codename
        for label, _, codename in (grant.partition(".") for grant in ROLE_PERMISSIONS[role])
        if app_label is None or label == app_label
    }


def roles_ensure() -> list[Group]:
    """Create the role groups if missing and grant each its permissions; idempotent.

    Returns the groups in ROLE_PERMISSIONS order. Permissions not in the
    database yet (an app not migrated) are skipped, not created.
    """
    groups = []
    for name, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = Q()
        for grant in grants:
            app_label, _, codename = grant.partition(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*Permission.objects.filter(wanted))
        groups.append(group)
    return groups
