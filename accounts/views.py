import ipaddress

from allauth.account.models import EmailAddress
from allauth.account.views import EmailView as AllauthEmailView
from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import services
from accounts.consent import (
    TERMS_ANSWER_COOKIE,
    consent_evidence,
    has_accepted,
    remember_accepted,
    set_terms_answer_cookie,
)
from accounts.forms import AccountDeleteForm, DisplayNameForm, TermsAnswerForm
from accounts.models import TermsAcceptance, TermsOfUse, User


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` parameter if it points into this site, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


# --- The reader's account ------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account(request):
    """The reader's details, their consent records, and their display name to change."""
    form = DisplayNameForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your display name is saved.")
        return redirect("accounts:account")
    return render(
        request,
        "accounts/account.html",
        {
            "form": form,
            "acceptances": request.user.terms_acceptances.select_related("terms").order_by(
                "-answered_at", "-pk"
            ),
        },
    )


@never_cache
@login_required
@require_safe
def account_data(request):
    """Everything we hold about the reader, as a JSON download."""
    response = JsonResponse(
        services.account_data(user=request.user), json_dumps_params={"indent": 2}
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="newsroom-my-data-{stamp}.json"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_delete(request):
    """
    Explain what deleting keeps and what it removes, then delete on a POST
    confirmed with the reader's password.
    """
    form = AccountDeleteForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        # allauth's limit for re-entering a password (10 a minute per user)
        # stops anyone at an unlocked screen from guessing it here.
        if not ratelimit.consume(request, action="reauthenticate", user=request.user):
            form.add_error(None, "Too many attempts. Please wait a minute and try again.")
            status = 429
        elif form.is_valid():
            user = request.user
            logout(request)
            services.account_delete(user=user)
            messages.success(
                request,
                "Your account is deleted. Your consent records are kept, anonymised. "
                "Thank you for reading Newsroom.",
            )
            return redirect("articles:home")
    return render(request, "accounts/account_delete.html", {"form": form}, status=status)


class EmailView(AllauthEmailView):
    """
    allauth's page for the reader's email addresses (/accounts/email/, served
    from here because accounts.urls comes first), where "Make primary" can
    never end in a 500 nor tell whether an address has another account.

    Making an address primary also makes it the login address (User.email),
    which is unique whatever its letter case. Only a confirmed address can
    become primary: an unconfirmed one may belong to another account, and
    refusing only those would reveal it (issue 13.8). A confirmed address
    another account holds (possible only for rows older than these rules) is
    refused up front, and a race with another account is caught too: the
    change is rolled back as a whole, so User.email and the primary
    EmailAddress never disagree.
    """

    TAKEN_MESSAGE = (
        "This address belongs to another account, so it cannot be your primary address. "
        "Your primary address has not changed."
    )
    UNCONFIRMED_MESSAGE = (
        "Confirm this address first (use the link we sent, or Re-send verification); "
        "then you can make it your primary address."
    )

    def post(self, request, *args, **kwargs):
        if "action_add" in request.POST or "action_primary" not in request.POST:
            return super().post(request, *args, **kwargs)
        address = self._own_address(request.POST.get("email", ""))
        if address is not None and not address.verified:
            messages.error(request, self.UNCONFIRMED_MESSAGE)
            return redirect("account_email")
        if address is not None and self.held_by_another_account(address.email):
            messages.error(request, self.TAKEN_MESSAGE)
            return redirect("account_email")
        try:
            # Also holds the notification mail to the old address; allauth
            # sends it in the middle of the change, and it is rare.
            with transaction.atomic():
                return super().post(request, *args, **kwargs)
        except IntegrityError:
            messages.error(request, self.TAKEN_MESSAGE)
            return redirect("account_email")

    def _own_address(self, email: str) -> EmailAddress | None:
        try:
            validate_email(email)
        except ValidationError:
            return None  # allauth ignores it too.
        return EmailAddress.objects.filter(user=self.request.user, email__iexact=email).first()

    def held_by_another_account(self, email: str) -> bool:
        """Whether another account owns `email` (its login, or an address it confirmed)."""
        return User.objects.holding_address(email).exclude(pk=self.request.user.pk).exists()


# --- Terms of use pages ----------------------------------------------------------------


@never_cache  # It carries a CSRF token (the Agree form) and the reader's answer.
@require_safe
def terms(request):
    """The current terms, and the no-JavaScript twin of the terms dialog."""
    current = TermsOfUse.objects.current_cached()
    accepted = None
    if current is not None and request.user.is_authenticated:
        accepted = (
            TermsAcceptance.objects.accepted()
            .filter(user=request.user, terms=current)
            .order_by("answered_at")
            .first()
        )
    return render(
        request,
        "accounts/terms.html",
        {
            "terms": current,
            "is_current": True,
            "show_answer": True,
            "accepted": accepted,
            # Only thank a visitor whose cookie says they just answered.
            "agreed": "agreed" in request.GET
            and current is not None
            and request.COOKIES.get(TERMS_ANSWER_COOKIE) == current.version,
            "next": f"{reverse('accounts:terms')}?agreed",
        },
    )


@require_safe
def terms_version(request, version):
    """A permanent address for one published version (current or replaced)."""
    terms = TermsOfUse.objects.published().filter(version=version).first()
    if terms is None:
        raise Http404("No such version of the terms of use.")
    current = TermsOfUse.objects.current_cached()
    replaced_by = (
        TermsOfUse.objects.published()
        .filter(effective_at__gt=terms.effective_at)
        .order_by("effective_at")
        .first()
    )
    return render(
        request,
        "accounts/terms.html",
        {
            "terms": terms,
            "is_current": current is not None and current.pk == terms.pk,
            "replaced_by": replaced_by,
        },
    )


@require_safe
def terms_versions(request):
    """Every published version, newest first, with what changed in each."""
    return render(
        request,
        "accounts/terms_versions.html",
        {
            "versions": TermsOfUse.objects.published().order_by("-effective_at"),
            "current": TermsOfUse.objects.current_cached(),
        },
    )


# Anonymous agreements recorded per network and version: one an hour. Enough to
# show what a visitor agreed to; a script posting in a loop adds no rows.
ANONYMOUS_AGREEMENT_SECONDS = 60 * 60


def first_anonymous_agreement(terms: TermsOfUse, ip_address: str | None) -> bool:
    """
    True for the first anonymous agreement to `terms` from this network in the
    last hour (and it claims the hour). An IPv6 client counts by its /64, the
    block one household or machine usually gets, as allauth's rate limits do.
    """
    network = ip_address or "unknown"
    try:
        if ipaddress.ip_address(network).version == 6:
            network = str(ipaddress.ip_network(f"{network}/64", strict=False).network_address)
    except ValueError:
        pass
    key = f"accounts:terms-agree:{terms.pk}:{network}"
    return cache.add(key, True, ANONYMOUS_AGREEMENT_SECONDS)


@require_POST
def terms_agree(request):
    """
    "Agree" in the terms dialog or on /terms/: record the agreement (for the
    signed-in reader, or for an anonymous visitor) and remember the answer in
    the visitor's cookie so the dialog stops asking. Anonymous agreements are
    recorded once an hour per network and version (`first_anonymous_agreement`);
    a repeat still gets the cookie and the redirect, so nobody can tell.
    """
    current = TermsOfUse.objects.current_cached()
    if current is None or request.POST.get("version") != current.version:
        # The visitor read another version than the one in force (it changed
        # while the page was open, or the form was tampered with): show them
        # the current text instead of recording an answer to it.
        return redirect("accounts:terms")
    user = request.user if request.user.is_authenticated else None
    evidence = consent_evidence(request)
    if user is not None or first_anonymous_agreement(current, evidence["ip_address"]):
        services.terms_accept(
            terms=current,
            user=user,
            method=TermsAcceptance.Method.DIALOG,
            **evidence,
        )
    if user is not None:
        remember_accepted(request, current)
    response = redirect(safe_next(request, default="/"))
    set_terms_answer_cookie(response, current)
    return response


@never_cache  # Per visitor, and it sets the CSRF cookie its forms need.
@require_safe
def terms_prompt(request):
    """
    The Terms of use dialog, fetched by accounts/static/accounts/terms-dialog.js
    so the pages around it can be cached and shared. 204 when there is nothing
    to ask: no terms yet, or the visitor has already answered this version.
    """
    current = TermsOfUse.objects.current_cached()
    if current is None or request.COOKIES.get(TERMS_ANSWER_COOKIE) == current.version:
        return HttpResponse(status=204)
    if request.user.is_staff:
        # Staff are not asked to accept the reader terms (see
        # TermsAcceptanceMiddleware), so the dialog does not ask them either.
        return HttpResponse(status=204)
    if request.user.is_authenticated and has_accepted(request, current):
        return HttpResponse(status=204)
    answered = answered_before(request, current)
    return render(
        request,
        "accounts/terms.html#dialog",
        {
            "terms": current,
            "next": safe_next(request, default="/"),
            "answered": answered,
            "changes": list(TermsOfUse.objects.changes_since(answered)),
        },
    )


def answered_before(request: HttpRequest, current: TermsOfUse) -> TermsOfUse | None:
    """
    The earlier version this visitor answered, if any: the one their
    `terms_answer` cookie names (signed in or not: agreed, or "Not now"), else
    for a signed-in reader the last version they accepted. Returning visitors
    are shown what changed since then.
    """
    label = request.COOKIES.get(TERMS_ANSWER_COOKIE, "")
    answered = None
    if label and label != current.version and len(label) <= 20:
        answered = TermsOfUse.objects.published().filter(version=label).first()
    if answered is None and request.user.is_authenticated:
        last = (
            TermsAcceptance.objects.accepted()
            .filter(user=request.user, terms__effective_at__lt=current.effective_at)
            .select_related("terms")
            .order_by("-terms__effective_at")
            .first()
        )
        answered = last.terms if last else None
    return answered


@require_POST
def terms_not_now(request):
    """
    "Not now" in the dialog: remember that this version was answered, so the
    dialog stops asking, without recording any agreement. A new version asks again.
    """
    response = redirect(safe_next(request, default="/"))
    current = TermsOfUse.objects.current_cached()
    if current is not None and request.POST.get("version") == current.version:
        set_terms_answer_cookie(response, current)
    return response


@never_cache
@login_required
def terms_accept(request):
    """
    Where TermsAcceptanceMiddleware sends a signed-in reader who has not yet
    accepted the version in force: what changed since the version they last
    accepted, the full text, and Accept or Decline. Declining is recorded too,
    and signs them out.
    """
    current = TermsOfUse.objects.current_cached()
    next_url = safe_next(request, default=reverse("accounts:account"))
    if current is None or has_accepted(request, current):
        return redirect(next_url)

    form = TermsAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and form.cleaned_data["version"] != current.version:
            form.add_error(
                None, "The terms changed again while this page was open. Please read this version."
            )
        elif form.is_valid() and form.cleaned_data["decision"] == "accept":
            services.terms_accept(
                terms=current,
                user=request.user,
                method=services.asked_method(user=request.user, terms=current),
                **consent_evidence(request),
            )
            remember_accepted(request, current)
            messages.success(
                request, f"Thank you for accepting our terms of use ({current.version})."
            )
            response = redirect(next_url)
            # The dialog must not ask again for this version once they log out.
            set_terms_answer_cookie(response, current)
            return response
        elif form.is_valid():
            return decline_and_sign_out(request, current)
        else:
            status = 400

    last_accepted = (
        TermsAcceptance.objects.accepted()
        .filter(user=request.user)
        .select_related("terms")
        .order_by("-terms__effective_at")
        .first()
    )
    changes = TermsOfUse.objects.published().order_by("effective_at")
    if last_accepted is not None:
        changes = changes.filter(effective_at__gt=last_accepted.terms.effective_at)
    return render(
        request,
        "accounts/terms_accept.html",
        {
            "terms": current,
            "form": form,
            "next": next_url,
            "last_accepted": last_accepted,
            "changes": changes,
        },
        status=status,
    )


def decline_and_sign_out(request: HttpRequest, terms: TermsOfUse) -> HttpResponse:
    services.terms_decline(terms=terms, user=request.user, **consent_evidence(request))
    logout(request)
    messages.info(
        request,
        f"You declined our terms of use ({terms.version}), and we have recorded your decision. "
        "We have signed you out. You can still read Newsroom; to use your account again, "
        "log in and accept the terms.",
    )
    response = redirect("articles:home")
    # Do not greet them with the dialog for the version they just declined.
    set_terms_answer_cookie(response, terms)
    return response
