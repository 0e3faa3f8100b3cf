"""
Who sees and edits which story in the admin, enforced on the server at every
door: the change list (`get_queryset`), the object (`has_change_permission`,
`has_delete_permission`), the form (the status choices and read-only fields)
and the save (`save_model`, through `articles.services.article_save_check`).

Editors (anyone with `articles.publish_article`) see and edit everything;
writers see their own stories and edit them until they are published.
"""

from articles.admin_forms import WellFormedModelChoiceField, WellFormedModelMultipleChoiceField
from articles.models import can_publish
from articles.services import WRITER_STATUSES, article_save_check


class StoryAccessMixin:
    """For a ModelAdmin of Article."""

    def get_queryset(self, request):
        return super().get_queryset(request).with_bylines().visible_to(request.user)

    def writer_may_touch(self, request, obj) -> bool:
        return obj.created_by_id == request.user.pk and obj.status in WRITER_STATUSES

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed or can_publish(request.user):
            return allowed
        return self.writer_may_touch(request, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None or not allowed or can_publish(request.user):
            return allowed
        return self.writer_may_touch(request, obj)

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not can_publish(request.user):
            kwargs["choices"] = [(status.value, status.label) for status in WRITER_STATUSES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", WellFormedModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", WellFormedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["view_count", "created_by_name"]
        if not can_publish(request.user):
            readonly.append("published_at")
        # A live story's slug and date may change: its old addresses answer 301.
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        if "slug" in self.get_readonly_fields(request, obj):
            return {}
        return {"slug": ("headline",)}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        article_save_check(article=obj, user=request.user, adding=not change)
        super().save_model(request, obj, form, change)
