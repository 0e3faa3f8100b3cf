"""
The newsroom in the Django admin.

Two roles (newsroom/roles.py): a **Writer** adds stories and edits their own
until they are published, and may send them to review; an **Editor** (anyone
with `articles.publish_article`) edits everything, publishes and schedules.
The story admin is put together from focused mixins, one concern each, so a
new feature goes into the module it belongs to (or a new mixin):

* `admin_access.StoryAccessMixin`: who sees and edits which story, at every door;
* `admin_actions.StoryWorkflowActionsMixin`: the bulk actions, which call the
  workflow services in `articles/services.py` (where the rules live);
* `admin_history.StoryHistoryMixin`: the history, its list and its revert form;
* `admin_columns.StoryColumnsMixin`: the change list's columns and account names;
* `admin_forms`: the story form and the byline inline's forms.
"""

from django.contrib import admin
from django.utils.decorators import method_decorator
from simple_history.admin import SimpleHistoryAdmin

from articles.admin_access import StoryAccessMixin
from articles.admin_actions import StoryWorkflowActionsMixin
from articles.admin_columns import StoryColumnsMixin
from articles.admin_editors import CorrectionInline, PublicationFilter
from articles.admin_forms import (
    ArticleAdminForm,
    BylineForm,
    BylineFormSet,
    WellFormedModelChoiceField,
)
from articles.admin_history import StoryHistoryMixin
from articles.admin_images import AuthorPhotoPreviewMixin, LeadImagePreviewMixin
from articles.admin_list import StoryChangeList, StoryPaginator
from articles.models import Article, Author, Byline, Section, Tag
from articles.search import MAX_RESULTS, search_articles
from newsroom.csp import editor_csp_override
from newsroom.races import UniqueRaceAdminMixin


class BylineInline(admin.TabularInline):
    model = Byline
    form = BylineForm
    formset = BylineFormSet
    autocomplete_fields = ["author"]
    fields = ["author", "order"]
    extra = 0  # a draft may be saved without an author (no min_num)
    verbose_name = "author"
    verbose_name_plural = "authors (the byline, in order)"

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None else 0  # a row to fill in on a new story's form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", WellFormedModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Article)
class ArticleAdmin(
    LeadImagePreviewMixin,
    UniqueRaceAdminMixin,
    StoryAccessMixin,
    StoryWorkflowActionsMixin,
    StoryHistoryMixin,
    StoryColumnsMixin,
    SimpleHistoryAdmin,
):
    form = ArticleAdminForm
    inlines = [BylineInline, CorrectionInline]
    list_filter = [PublicationFilter, "section", "authors", "published_at"]
    # The search box searches the site's index (articles.search), drafts
    # included: see get_search_results(). The fields name what it covers.
    search_fields = ["headline", "standfirst", "body_text", "search_names"]
    search_help_text = "Headline, summary, text, byline, section and tags; accents optional."
    date_hierarchy = "published_at"
    # A million stories: no count of the whole table, a bounded count of the
    # filtered list, and a checked, index-friendly drill-down (admin_list.py).
    show_full_result_count = False
    paginator = StoryPaginator
    autocomplete_fields = ["tags"]
    # Through get_prepopulated_fields, so a live story's read-only slug is left alone.
    prepopulated_fields = {}
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body"]}),
        (
            "Lead image",
            {
                "fields": [
                    "lead_image",
                    "lead_image_preview",
                    ("lead_image_focal_x", "lead_image_focal_y"),
                    "lead_image_alt",
                    "lead_image_caption",
                    "lead_image_credit",
                ]
            },
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
        js = ["articles/admin-body-editor.js", "articles/admin-story-form.js"]

    def get_search_results(self, request, queryset, search_term):
        """The site's full-text index, not LIKE over every row: bounded at a million
        stories (articles.search scores only its newest matches)."""
        if not search_term.strip():
            return queryset, False
        ids = search_articles(search_term, limit=MAX_RESULTS, published_only=False)
        return queryset.filter(pk__in=ids), False

    def get_changelist(self, request, **kwargs):
        return StoryChangeList

    @method_decorator(editor_csp_override)
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_live else None


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
class AuthorAdmin(AuthorPhotoPreviewMixin, UniqueRaceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    fields = [
        "name",
        "slug",
        "bio",
        "photo",
        "photo_preview",
        ("photo_focal_x", "photo_focal_y"),
        "user",
    ]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ["user"]
