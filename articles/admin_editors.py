"""
The editors' desk in the admin, kept out of the story admin (admin.py):

* **Front page**: one page (`FrontPage`), its lead story and an ordered inline
  of top stories. The list view goes straight to it.
* **Breaking-news banners**: a line, a link and an expiry.
* **Corrections and updates**: an inline on a published story's form.
* **Draft share links**: made from a story; the secret address is shown once,
  in the message after saving (only its hash is stored); revoked by an action.
"""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import ngettext

from articles.models import (
    Article,
    Banner,
    Correction,
    FrontPage,
    FrontPageStory,
    ShareLink,
    can_publish,
    share_token_hash,
)


def site_time_zone_note() -> str:
    return f"Times are in the site's time zone, {timezone.get_current_timezone_name()}."


class PublicationFilter(admin.SimpleListFilter):
    """The story list by where a story stands: draft, in review, scheduled, live."""

    title = "publication"
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("in_review", "In review"),
            ("scheduled", "Scheduled"),
            ("live", "Live"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = Article.Status.PUBLISHED
        match self.value():
            case "draft" | "in_review":
                return queryset.filter(status=self.value())
            case "scheduled":
                return queryset.filter(status=published, published_at__gt=now)
            case "live":
                return queryset.filter(status=published, published_at__lte=now)
        return queryset


class CorrectionInline(admin.StackedInline):
    """Dated notes on a published story; none can be added to a draft."""

    model = Correction
    fields = ["kind", "published_at", "text"]
    extra = 0
    verbose_name = "correction or update"
    verbose_name_plural = "corrections and updates (shown on the published story)"

    # Shown on a published story's form only (the admin leaves out an inline
    # with no permission at all), so a new story's form has no notes to send.
    @staticmethod
    def _published(obj) -> bool:
        return obj is not None and obj.status == Article.Status.PUBLISHED

    def has_add_permission(self, request, obj=None):
        return self._published(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._published(obj) and super().has_delete_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return self._published(obj) and super().has_view_permission(request, obj)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "text":
            field.widget.attrs.update(rows=3, cols=80)
        return field


class FrontPageStoryInline(admin.TabularInline):
    model = FrontPageStory
    fields = ["article", "order"]
    autocomplete_fields = ["article"]
    extra = 0


class FrontPageForm(forms.ModelForm):
    class Meta:
        model = FrontPage
        fields = ["lead"]

    def clean_lead(self):
        lead = self.cleaned_data.get("lead")
        if lead is not None and not lead.is_live:
            raise forms.ValidationError(
                "Only a published story can lead the front page; this one is not live yet."
            )
        return lead


class FrontPageStoryFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            if self._should_delete_form(form) or not form.is_valid():
                continue
            story = form.cleaned_data.get("article")
            if story is not None and not story.is_live:
                form.add_error("article", "Only published stories can be top stories.")


FrontPageStoryInline.formset = FrontPageStoryFormSet


@admin.register(FrontPage)
class FrontPageAdmin(admin.ModelAdmin):
    """The one front page: the list view opens its form."""

    form = FrontPageForm
    inlines = [FrontPageStoryInline]
    autocomplete_fields = ["lead"]
    fields = ["lead"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            return super().changelist_view(request, extra_context)
        page = FrontPage.load()
        return HttpResponseRedirect(
            reverse(f"{self.admin_site.name}:articles_frontpage_change", args=[page.pk])
        )


@admin.register(Banner)
class BannerAdmin(admin.ModelAdmin):
    list_display = ["text", "url", "expires_at", "is_current"]
    fields = ["text", "url", "expires_at"]

    @admin.display(boolean=True, description="shown now")
    def is_current(self, obj):
        return obj.is_current

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields[
            "expires_at"
        ].help_text = f"The banner disappears from every page at this time. {site_time_zone_note()}"
        if obj is None:
            form.base_fields["expires_at"].initial = timezone.now() + timedelta(hours=2)
        return form


class ShareLinkForm(forms.ModelForm):
    LIFETIMES = [
        (1, "1 hour"),
        (24, "1 day"),
        (72, "3 days"),
        (168, "7 days"),
        (720, "30 days"),
    ]
    lifetime = forms.TypedChoiceField(
        choices=LIFETIMES,
        coerce=int,
        initial=72,
        help_text="The link stops working after this; you can revoke it sooner.",
    )

    class Meta:
        model = ShareLink
        fields = ["article", "note"]


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    """Share links: an editor or a story's writer makes them for stories they may
    edit. The address is shown once (only the token's hash is stored)."""

    form = ShareLinkForm
    list_display = ["article", "note", "created_by", "expires_at", "state"]
    list_select_related = ["article", "created_by"]
    autocomplete_fields = ["article"]
    actions = ["revoke"]
    readonly_fields = ["article", "note", "created_by", "created_at", "expires_at", "revoked_at"]

    def get_queryset(self, request):
        links = super().get_queryset(request)
        if can_publish(request.user):
            return links
        return links.filter(article__in=Article.objects.visible_to(request.user))

    def get_fields(self, request, obj=None):
        return ["article", "note", "lifetime"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["queryset"] = Article.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        token = ShareLink.token_new()
        obj.token = token
        obj.token_hash = share_token_hash(token)
        obj.created_by = request.user
        obj.expires_at = timezone.now() + timedelta(hours=form.cleaned_data["lifetime"])
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        address = request.build_absolute_uri(obj.get_absolute_url())
        self.message_user(
            request,
            format_html(
                "Share link made. Copy it now, it is not shown again: "
                '<a class="share-link-address" href="{0}">{0}</a> '
                "(expires {1}).",
                address,
                timezone.localtime(obj.expires_at).strftime("%d %b %Y, %H:%M %Z"),
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse(f"{self.admin_site.name}:articles_sharelink_changelist")
        )

    @admin.display(description="state")
    def state(self, obj):
        if obj.revoked_at:
            return "Revoked"
        return "Open" if obj.is_valid else "Expired"

    def has_revoke_permission(self, request):
        return self.has_add_permission(request)

    @admin.action(description="Revoke the selected links", permissions=["revoke"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        message = ngettext("Revoked %(count)d link.", "Revoked %(count)d links.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
