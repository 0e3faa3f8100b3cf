import csv
import io

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Count
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe

from accounts import services
from accounts.models import TermsAcceptance, TermsOfUse, User
from accounts.terms_admin import TermsPublishingAdminMixin
from newsroom.admin import DateDrillDownCheckedMixin
from newsroom.csp import editor_csp_override
from newsroom.races import UniqueRaceAdminMixin
from newsroom.text import xml_safe


class AddressOwnedElsewhereMixin:
    """Refuses an address another account holds (as its login, or confirmed)."""

    def clean_email(self):
        # In the form it is stored in (NFKC, lower case: accounts/identity.py),
        # so that the uniqueness checks compare what will be saved.
        email = User.objects.normalize_email(self.cleaned_data["email"])
        others = User.objects.holding_address(email)
        if self.instance.pk is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                "This address belongs to another account.", code="email_taken"
            )
        return email


class UserCreationForm(AddressOwnedElsewhereMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(AddressOwnedElsewhereMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(UniqueRaceAdminMixin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = ("email", "display_name", "is_staff", "is_active", "date_joined")
    search_fields = ("email", "display_name", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("display_name", "first_name", "last_name")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or "email" in form.changed_data:
            # The address typed here becomes the account's primary, verified
            # EmailAddress too, so allauth knows it is taken.
            User.objects.email_address_ensure(user=obj)

    # Deleting here must anonymise the consent records exactly as deleting
    # one's own account does (the ForeignKey's SET_NULL alone would keep the IP
    # address and browser), so both go through the service.
    def delete_model(self, request, obj):
        services.account_delete(user=obj)

    def delete_queryset(self, request, queryset):
        services.accounts_delete(users=queryset)


@admin.register(TermsOfUse)
class TermsOfUseAdmin(
    DateDrillDownCheckedMixin, UniqueRaceAdminMixin, TermsPublishingAdminMixin, admin.ModelAdmin
):
    """
    Editors write new versions here. A new version is saved as a draft, which
    they can preview and correct; "Put into effect" (accounts/terms_admin.py)
    asks for confirmation, showing how many readers will be asked again, and
    sets when it takes effect. A scheduled version can still be corrected. A
    published version (its effective time has passed) opens read-only and has
    no delete button: consent records point at it. To change the terms, add a
    new version; the form starts from the current text.
    """

    list_display = ("version", "title", "effective_at", "status", "acceptance_count")
    search_fields = ("version", "title")
    date_hierarchy = "effective_at"
    fields = ("version", "title", "changes_summary", "publication", "body")
    # No bulk delete: it would bypass the per-version check below.
    actions = None

    @admin.display(description="body, as readers see it")
    def rendered_body(self, obj):
        # Sanitised with nh3 when saved (TermsOfUse.save).
        return mark_safe(obj.body)  # noqa: S308

    @admin.display(description="status")
    def status(self, obj):
        if not obj.is_published:
            return obj.status_label
        current = TermsOfUse.objects.current()
        return "Current" if current and current.pk == obj.pk else "Replaced"

    @admin.display(description="takes effect")
    def publication(self, obj):
        if obj is None or obj.pk is None or obj.is_draft:
            return "Not yet: a draft. Save it, preview it, then use “Put into effect”."
        moment = timezone.localtime(obj.effective_at)
        return f"{moment:%d %b %Y, %H:%M} ({moment.tzname()}), {obj.status_label.lower()}"

    @admin.display(description="consent records")
    def acceptance_count(self, obj):
        return obj.acceptance_count

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(acceptance_count=Count("acceptances"))

    def get_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return (*self.fields[:-1], "rendered_body")
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return ("publication", "rendered_body")
        return ("publication",)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    @method_decorator(editor_csp_override)
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if current := TermsOfUse.objects.current():
            initial.setdefault("title", current.title)
            initial.setdefault("body", current.body)
        return initial


class CsvInjectionSafeWriter:
    """
    Writes rows for spreadsheets. A cell that starts with = + - @ (or a tab or
    carriage return) is run as a formula by Excel and LibreOffice, and the user
    agent is typed by whoever sent the request, so such cells get a leading
    apostrophe (OWASP, "CSV Injection").
    """

    DANGEROUS_FIRST_CHARACTERS = ("=", "+", "-", "@", "\t", "\r")

    def __init__(self):
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)

    def row(self, values) -> str:
        self.writer.writerow([self.escape(value) for value in values])
        line = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return line

    @classmethod
    def escape(cls, value) -> str:
        # xml_safe: no NUL or other control character that spreadsheet
        # importers choke on (the same rule as every other export).
        text = "" if value is None else xml_safe(str(value))
        return f"'{text}" if text.startswith(cls.DANGEROUS_FIRST_CHARACTERS) else text


CONSENT_CSV_COLUMNS = (
    "id",
    "answered_at",
    "user_id",
    "user_email",
    "terms_version",
    "decision",
    "method",
    "ip_address",
    "user_agent",
)


@admin.register(TermsAcceptance)
class TermsAcceptanceAdmin(DateDrillDownCheckedMixin, admin.ModelAdmin):
    """
    Consent records are evidence, so they are append-only here too: editors
    can list, filter, search and export them, and nobody (superusers included)
    can add, change or delete one.
    """

    list_display = ("answered_at", "who", "terms", "decision", "method", "ip_address")
    list_filter = ("decision", "method", "terms", "answered_at")
    list_select_related = ("user", "terms")
    search_fields = ("user__email", "ip_address", "terms__version")
    date_hierarchy = "answered_at"
    actions = ("export_csv",)
    show_full_result_count = False

    @admin.display(description="reader", ordering="user__email")
    def who(self, obj):
        return obj.user.email if obj.user else "(no account)"

    @admin.action(description="Export selected consent records as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        writer = CsvInjectionSafeWriter()
        rows = queryset.select_related("user", "terms").order_by("answered_at", "pk")

        def lines():
            yield writer.row(CONSENT_CSV_COLUMNS)
            for record in rows.iterator(chunk_size=2000):
                yield writer.row(
                    (
                        record.pk,
                        record.answered_at.isoformat(),
                        record.user_id,
                        record.user.email if record.user else "",
                        record.terms.version,
                        record.decision,
                        record.method,
                        record.ip_address,
                        record.user_agent,
                    )
                )

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="consent-records-{stamp}.csv"'
        return response

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
