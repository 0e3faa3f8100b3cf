"""
The newsroom in the Django admin.

Two roles (groups made by migration 0003): a **Writer** adds stories and edits
their own until they are published, and may send them to review; an **Editor**
(anyone with `articles.publish_article`) edits everything, publishes and
schedules. The rules are enforced here on the server, at every door: the
change list (`get_queryset`, and `Article.objects.visible_to()` for the preview
page), the object (`has_change_permission`), the form (the status choices and
read-only fields), the save (`save_model`), the bulk actions (their
`permissions`) and the history, its list and its revert form.

A story saved here is one history record, holding its tags and byline too
(see `save_model`). Neither role may open the user admin, so accounts appear
as names, linked only for those who may.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import label_for_field, unquote
from django.contrib.auth import get_permission_codename, get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from articles.admin_forms import (
    ArticleAdminForm,
    BylineForm,
    BylineFormSet,
    WellFormedModelChoiceField,
    WellFormedModelMultipleChoiceField,
    is_well_formed_id,
)
from articles.admin_history import StoryHistoryContextHelper, story_deltas
from articles.models import Article, Author, Byline, Section, Tag, can_publish
from articles.services import view_count_pending
from newsroom.csp import editor_csp_override
from newsroom.races import UniqueRaceAdminMixin

WRITER_STATUSES = (Article.Status.DRAFT, Article.Status.IN_REVIEW)


class BylineInline(admin.TabularInline):
    model = Byline
    form = BylineForm
    formset = BylineFormSet
    autocomplete_fields = ["author"]
    fields = ["author", "order"]
    extra = 0
    min_num = 1
    verbose_name = "author"
    verbose_name_plural = "authors (the byline, in order)"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", WellFormedModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Article)
class ArticleAdmin(UniqueRaceAdminMixin, SimpleHistoryAdmin):
    form = ArticleAdminForm
    inlines = [BylineInline]
    list_display = ["headline", "section", "status_label", "publication", "byline", "views"]
    list_filter = ["status", "section", "authors", "published_at"]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst", "slug"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["tags"]
    actions = ["publish_now", "unpublish", "send_to_review"]
    history_list_display = ["history_status", "published_at"]
    # Copies without the inline style attribute that our CSP would block, with
    # labels for readers rather than field names, and a word on what a revert keeps.
    object_history_list_template = "admin/articles/article/object_history_list.html"
    object_history_form_template = "admin/articles/article/object_history_form.html"
    # Through get_prepopulated_fields, so a live story's read-only slug is left alone.
    prepopulated_fields = {}
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body"]}),
        (
            "Lead image",
            {"fields": ["lead_image", "lead_image_alt", "lead_image_caption", "lead_image_credit"]},
        ),
        ("Placement", {"fields": ["section", "tags"]}),
        ("Publication", {"fields": ["status", "published_at", "view_count", "created_by_name"]}),
        (
            "Search engines and link previews",
            {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]},
        ),
    ]

    class Media:
        # The changelist's headline column room; the body editor's accessible name.
        css = {"all": ["articles/admin.css"]}
        js = ["articles/admin-body-editor.js"]

    # --- Who sees and edits what ------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).with_bylines().visible_to(request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed or can_publish(request.user):
            return allowed
        return obj.created_by_id == request.user.pk and obj.status in WRITER_STATUSES

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None or not allowed or can_publish(request.user):
            return allowed
        return obj.created_by_id == request.user.pk and obj.status in WRITER_STATUSES

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
        elif obj is not None and obj.is_live:
            # The address (/date/slug/) of a live story must not change.
            readonly.append("published_at")
        if obj is not None and obj.is_live:
            readonly.append("slug")
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        if "slug" in self.get_readonly_fields(request, obj):
            return {}
        return {"slug": ("headline",)}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if not can_publish(request.user):
            if obj.status not in WRITER_STATUSES:
                raise PermissionDenied("Only editors publish stories.")
            if change and obj.created_by_id != request.user.pk:
                raise PermissionDenied("Writers edit only their own stories.")
        super().save_model(request, obj, form, change)
        # The story's history record is written; the tags (next) would each
        # add a record of their own. log_addition()/log_change() put tags and
        # byline into this save's record instead, once both are saved.
        obj.skip_history_when_saving = True

    def log_addition(self, request, obj, message):
        self._history_relations_record(obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        # Called last by both the change form and the history's revert form.
        self._history_relations_record(obj)
        return super().log_change(request, obj, message)

    @staticmethod
    def _history_relations_record(obj):
        if hasattr(obj, "skip_history_when_saving"):
            del obj.skip_history_when_saving
            obj.history_relations_record()

    @method_decorator(editor_csp_override)
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_live else None

    def get_object(self, request, object_id, from_field=None):
        story = super().get_object(request, object_id, from_field)
        if story is not None:
            story._viewer = request.user  # for created_by_name()
        return story

    @admin.display(description="created by")
    def created_by_name(self, obj):
        return self.user_display(request_user=getattr(obj, "_viewer", None), user=obj.created_by)

    # --- History -------------------------------------------------------------------
    # A writer sees the history of their own stories only, like the stories
    # themselves: simple-history would fall back to any story's records when
    # get_queryset() hides it.

    def _story_for_history_or_404(self, request, object_id):
        object_id = unquote(object_id)
        if not is_well_formed_id(Article._meta.pk, object_id):
            raise Http404
        story = self.get_object(request, object_id)
        if story is None and not can_publish(request.user):
            raise Http404
        return story

    def history_view(self, request, object_id, extra_context=None):
        self._story_for_history_or_404(request, object_id)
        context = {
            "history_columns": [
                (name, capfirst(label_for_field(name, self.model, self)))
                for name in self.get_history_list_display(request)
            ],
            "can_open_users": self.can_open_users(request.user),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    @method_decorator(editor_csp_override)
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not is_well_formed_id(Article.history.model._meta.pk, unquote(version_id)):
            raise Http404
        # The revert form checks permission against the old version; check the
        # story as it is now, so a writer cannot revert a story since published.
        current = self._story_for_history_or_404(request, object_id)
        if current is None:
            raise Http404
        if request.method == "POST" and not self.has_change_permission(request, current):
            raise PermissionDenied
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.display(description="status")
    def history_status(self, record):
        return record.get_status_display()

    def get_historical_record_context_helper(self, request, historical_record):
        return StoryHistoryContextHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # As simple-history's, with the tags and byline read once per page.
        for record, delta in story_deltas(list(historical_records)).items():
            helper = self.get_historical_record_context_helper(request, record)
            record.history_delta_changes = helper.context_for_delta_changes(delta)

    # --- Accounts, as far as the person asking may open them -----------------------

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

    # --- The change list -----------------------------------------------------------

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

    # --- Bulk actions --------------------------------------------------------------

    @admin.action(description="Publish now", permissions=["publish"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        published, refused = 0, []
        for article in queryset:
            if article.is_live:
                continue
            if not article.byline_authors:
                refused.append(f"“{article}”: it has no author.")
                continue
            article.status = Article.Status.PUBLISHED
            # A story that was live before keeps its time, and so its address.
            if article.published_at is None or article.published_at > now:
                article.published_at = now
            try:
                article.validate_constraints()
            except ValidationError as error:
                refused.append(f"“{article}”: {' '.join(error.messages)}")
                continue
            article._history_user = request.user
            article.save()
            published += 1
        self.message_user(
            request,
            ngettext("Published %(count)d story.", "Published %(count)d stories.", published)
            % {"count": published},
            messages.SUCCESS,
        )
        if refused:
            self.message_user(request, "Not published: " + " ".join(refused), messages.ERROR)

    @admin.action(description="Unpublish (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.status = Article.Status.DRAFT
            article._history_user = request.user
            article.save()
            count += 1
        self.message_user(
            request,
            ngettext("Unpublished %(count)d story.", "Unpublished %(count)d stories.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description="Send to review", permissions=["change"])
    def send_to_review(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.DRAFT):
            if not self.has_change_permission(request, article):
                continue
            article.status = Article.Status.IN_REVIEW
            article._history_user = request.user
            article.save()
            count += 1
        self.message_user(
            request,
            ngettext("Sent %(count)d story to review.", "Sent %(count)d stories to review.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Section)
class SectionAdmin(UniqueRaceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(UniqueRaceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Author)
class AuthorAdmin(UniqueRaceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ["user"]
