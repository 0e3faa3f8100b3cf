"""
What the story admin shows besides the form fields: the change list's
columns, and accounts as names (linked only for those who may open the user
admin, which neither role may).
"""

from django.contrib import admin
from django.contrib.auth import get_permission_codename, get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from articles.services import view_count_pending


class StoryColumnsMixin:
    """For a ModelAdmin of Article."""

    list_display = ["headline", "section", "status_label", "publication", "byline", "views"]

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        return "Scheduled" if obj.is_scheduled else obj.get_status_display()

    @admin.display(description="published", ordering="published_at")
    def publication(self, obj):
        # Compact, on two lines ("26 Nov 2026", "05:30"), so the headline keeps the room.
        if obj.published_at is None:
            return self.get_empty_value_display()
        local = timezone.localtime(obj.published_at)
        return format_html(
            '<time datetime="{}">{}<br>{}</time>',
            local.isoformat(),
            date_format(local, "j M Y"),
            date_format(local, "H:i"),
        )

    @admin.display(description="views", ordering="view_count")
    def views(self, obj):
        # What readers see: the database count plus views not yet flushed to it.
        return obj.view_count + view_count_pending(article_id=obj.pk)

    @admin.display(description="authors")
    def byline(self, obj):
        return ", ".join(author.name for author in obj.byline_authors)

    # --- Accounts, as far as the person asking may open them -----------------------

    def get_object(self, request, object_id, from_field=None):
        story = super().get_object(request, object_id, from_field)
        if story is not None:
            story._viewer = request.user  # for created_by_name()
        return story

    @admin.display(description="created by")
    def created_by_name(self, obj):
        return self.user_display(request_user=getattr(obj, "_viewer", None), user=obj.created_by)

    @staticmethod
    def can_open_users(user) -> bool:
        opts = get_user_model()._meta
        return any(
            user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
            for action in ("view", "change")
        )

    def user_display(self, *, request_user, user):
        """The account's name; a link to it for those who may open the user admin."""
        if user is None:
            return "(not recorded)"
        if request_user is not None and self.can_open_users(request_user):
            opts = user._meta
            try:
                url = reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=[user.pk],
                    current_app=self.admin_site.name,
                )
            except NoReverseMatch:
                return str(user)
            return format_html('<a href="{}">{}</a>', url, user)
        return str(user)
