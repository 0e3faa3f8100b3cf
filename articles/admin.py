"""
The newsroom in the Django admin.

Two roles (groups made by migration 0003): a **Writer** adds stories and edits
their own until they are published, and may send them to review; an **Editor**
(anyone with `articles.publish_article`) edits everything, publishes and
schedules. The rules are enforced here on the server, at every door: the
change list (`get_queryset`), the object (`has_change_permission`), the form
(the status choices and read-only fields), the save (`save_model`), the bulk
actions (their `permissions`) and the history's revert form.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.csp import CSP
from simple_history.admin import SimpleHistoryAdmin

from articles.models import Article, ArticleAuthor, Author, Section, Tag
from articles.services import view_count_pending

WRITER_STATUSES = (Article.Status.DRAFT, Article.Status.IN_REVIEW)


def can_publish(user) -> bool:
    return user.has_perm("articles.publish_article")


#: The hash of the small stylesheet that Tiptap (inside django-prose-editor
#: 0.28) injects as a <style> element, which django-prose-editor gives no way
#: to turn off. If an upgrade changes it, the browser test of the change form
#: reports the CSP error with the new hash.
TIPTAP_BASE_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


def editor_csp() -> dict:
    """The site's policy, relaxed just enough for the rich-text editor.

    Only the story add/change/history-version pages of the admin get this:
    * scripts: the editor's ES modules are found through an inline
      `<script type="importmap">`. The admin is never cached, so a per-request
      nonce is safe here; Django's admin renders it on the form media.
    * styles: Tiptap's own base stylesheet, allowed by its hash.
    """
    policy = dict(settings.SECURE_CSP)
    policy["script-src"] = [*policy.get("script-src", [CSP.SELF]), CSP.NONCE]
    policy["style-src"] = [*policy.get("style-src", [CSP.SELF]), TIPTAP_BASE_STYLE_HASH]
    return policy


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "standfirst",
            "body",
            "lead_image",
            "lead_image_alt",
            "lead_image_caption",
            "lead_image_credit",
            "section",
            "tags",
            "status",
            "published_at",
            "seo_title",
            "seo_description",
        ]

    def clean(self):
        cleaned = super().clean()
        # "Published" with no time means "now"; a time in the future schedules it.
        if (
            cleaned.get("status") == Article.Status.PUBLISHED
            and "published_at" in self.fields
            and not cleaned.get("published_at")
        ):
            cleaned["published_at"] = timezone.now()
            self.instance.published_at = cleaned["published_at"]
        return cleaned


class BylineInline(admin.TabularInline):
    model = ArticleAuthor
    autocomplete_fields = ["author"]
    fields = ["author", "order"]
    extra = 0
    min_num = 1
    verbose_name = "author"
    verbose_name_plural = "authors (the byline, in order)"


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleAdminForm
    inlines = [BylineInline]
    list_display = ["headline", "section", "status_label", "published_at", "byline", "views"]
    list_filter = ["status", "section", "authors", "published_at"]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst", "slug"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["tags"]
    actions = ["publish_now", "unpublish", "send_to_review"]
    history_list_display = ["status", "published_at"]
    # A copy without the inline style attribute that our CSP would block.
    object_history_list_template = "admin/articles/article/object_history_list.html"
    # Through get_prepopulated_fields, so a live story's read-only slug is left alone.
    prepopulated_fields = {}
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body"]}),
        (
            "Lead image",
            {"fields": ["lead_image", "lead_image_alt", "lead_image_caption", "lead_image_credit"]},
        ),
        ("Placement", {"fields": ["section", "tags"]}),
        ("Publication", {"fields": ["status", "published_at", "view_count", "created_by"]}),
        (
            "Search engines and link previews",
            {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]},
        ),
    ]

    # --- Who sees and edits what ------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request).with_bylines()
        if not can_publish(request.user):
            queryset = queryset.filter(created_by=request.user)
        return queryset

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

    def get_readonly_fields(self, request, obj=None):
        readonly = ["view_count", "created_by"]
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

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The revert form checks permission against the old version; check the
        # story as it is now, so a writer cannot revert a story since published.
        current = self.get_object(request, unquote(object_id))
        if current is None:
            raise Http404
        if request.method == "POST" and not self.has_change_permission(request, current):
            raise PermissionDenied
        response = super().history_form_view(request, object_id, version_id, extra_context)
        response._csp_config = editor_csp()
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        response._csp_config = editor_csp()
        return response

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_live else None

    # --- The change list -----------------------------------------------------------

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        return "Scheduled" if obj.is_scheduled else obj.get_status_display()

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
        self.message_user(request, f"Published {published} stories.", messages.SUCCESS)
        if refused:
            self.message_user(request, "Not published: " + "; ".join(refused), messages.ERROR)

    @admin.action(description="Unpublish (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.status = Article.Status.DRAFT
            article._history_user = request.user
            article.save()
            count += 1
        self.message_user(request, f"Unpublished {count} stories.", messages.SUCCESS)

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
        self.message_user(request, f"Sent {count} stories to review.", messages.SUCCESS)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ["user"]
