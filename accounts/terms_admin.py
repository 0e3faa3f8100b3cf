"""
Putting a version of the terms of use into effect, safely (issue 9.7).

A new version starts as a **draft** (no effective time): it can be edited and
previewed exactly as readers will see it, and readers see nothing of it. It
goes into effect only through "Put into effect", a confirmation page that
says how many readers will be asked to accept it, and asks for a tick before
it does anything. A version put into effect at a later time is **scheduled**:
until that moment it can still be corrected, rescheduled, or taken back to
draft. From its effective time on it is published and frozen for good
(consent records point at it).

`TermsPublishingAdminMixin` adds the preview, put-into-effect and back-to-draft
pages to the terms admin; the writes are in `accounts.services`.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import services
from accounts.models import TermsOfUse


class PutIntoEffectForm(forms.Form):
    """When a version takes effect, and the editor's explicit confirmation."""

    WHEN_NOW = "now"
    WHEN_LATER = "later"

    when = forms.ChoiceField(
        label="Takes effect",
        choices=[(WHEN_NOW, "Now, as soon as I confirm"), (WHEN_LATER, "At a later time")],
        widget=forms.RadioSelect,
        initial=WHEN_NOW,
    )
    effective_at = forms.SplitDateTimeField(
        label="Later time",
        required=False,
        help_text="Only for “At a later time”; in the newsroom's time zone.",
        widget=forms.SplitDateTimeWidget(
            date_attrs={"type": "date", "aria-label": "Date"},
            time_attrs={"type": "time", "aria-label": "Time", "step": "60"},
        ),
    )
    confirm = forms.BooleanField(
        error_messages={
            "required": "Tick the box to confirm: every reader counted above will be asked again."
        },
    )

    def __init__(self, *args, terms: TermsOfUse, readers_to_ask: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.terms = terms
        self.fields["confirm"].label = (
            f"I have previewed version {terms.version}, and I understand that "
            f"{readers_to_ask} reader account{'s' if readers_to_ask != 1 else ''} "
            "will be asked to accept it."
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") == self.WHEN_LATER:
            moment = cleaned.get("effective_at")
            if moment is None:
                self.add_error("effective_at", "Choose the date and time it takes effect.")
            elif moment <= timezone.now():
                self.add_error("effective_at", "Choose a time in the future, or “Now”.")
        return cleaned

    def effective_time(self):
        """The moment chosen (an aware datetime); only after is_valid()."""
        if self.cleaned_data["when"] == self.WHEN_NOW:
            return timezone.now()
        return self.cleaned_data["effective_at"]


class TermsPublishingAdminMixin:
    """For TermsOfUseAdmin: preview, put into effect (with confirmation), back to draft."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="{}_{}_preview".format(*info),
            ),
            path(
                "<path:object_id>/put-into-effect/",
                self.admin_site.admin_view(self.put_into_effect_view),
                name="{}_{}_put_into_effect".format(*info),
            ),
            path(
                "<path:object_id>/back-to-draft/",
                self.admin_site.admin_view(require_POST(self.back_to_draft_view)),
                name="{}_{}_back_to_draft".format(*info),
            ),
            *super().get_urls(),
        ]

    def _terms_or_404(self, request: HttpRequest, object_id: str) -> TermsOfUse:
        terms = self.get_object(request, unquote(object_id))
        if terms is None:
            raise Http404("No such version of the terms of use.")
        return terms

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The version on the public terms page's template, as readers will see it."""
        terms = self._terms_or_404(request, object_id)
        if not self.has_view_or_change_permission(request, terms):
            raise PermissionDenied
        current = TermsOfUse.objects.current()
        replaces = current if current is not None and current.pk != terms.pk else None
        return TemplateResponse(
            request,
            "accounts/terms.html",
            {
                "terms": terms,
                "is_current": not terms.is_published or replaces is None,
                "preview": True,
                # What a visitor who answered the version in force will read first.
                "answered": replaces,
                "changes": [terms] if replaces and not terms.is_published else [],
                "admin_change_url": reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                    args=[terms.pk],
                    current_app=self.admin_site.name,
                ),
            },
        )

    def put_into_effect_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Confirm, with the number of readers who will be asked again, then schedule."""
        terms = self._terms_or_404(request, object_id)
        if not self.has_change_permission(request, terms):
            raise PermissionDenied
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[terms.pk],
            current_app=self.admin_site.name,
        )
        audience = services.terms_audience(terms=terms)
        form = PutIntoEffectForm(
            request.POST or None,
            terms=terms,
            readers_to_ask=audience["accounts"],
            initial={"when": "later" if terms.is_scheduled else "now"},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.terms_put_into_effect(terms=terms, effective_at=form.effective_time())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if terms.is_published:
                    message = f"Version {terms.version} is now in force."
                else:
                    moment = timezone.localtime(terms.effective_at)
                    message = (
                        f"Version {terms.version} takes effect on {moment:%d %b %Y at %H:%M} "
                        f"({moment.tzname()}). You can still correct it until then."
                    )
                self.message_user(request, message, messages.SUCCESS)
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": terms,
            "title": f"Put version {terms.version} into effect",
            "form": form,
            "audience": audience,
            "current": TermsOfUse.objects.current(),
            "change_url": change_url,
            "preview_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_preview",
                args=[terms.pk],
                current_app=self.admin_site.name,
            ),
            "time_zone": timezone.get_current_timezone_name(),
        }
        return TemplateResponse(
            request,
            "admin/accounts/termsofuse/put_into_effect.html",
            context,
            status=400 if form.is_bound and not form.is_valid() else 200,
        )

    def back_to_draft_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """A scheduled version back to draft, before it takes effect."""
        terms = self._terms_or_404(request, object_id)
        if not self.has_change_permission(request, terms):
            raise PermissionDenied
        try:
            services.terms_back_to_draft(terms=terms)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                f"Version {terms.version} is a draft again: it will not take effect.",
                messages.SUCCESS,
            )
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", terms.pk)
