"""
Request-side helpers for consent: the evidence stored with a record, the
cookie that remembers a visitor's answer to the dialog, and the per-session
memo that keeps the re-acceptance check free of queries.
"""

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.models import TermsAcceptance, TermsOfUse

# Holds the version label the visitor last answered (agreed or "not now").
# Read by accounts/static/accounts/terms-dialog.js, so not HttpOnly; it carries
# no secret and grants nothing.
TERMS_ANSWER_COOKIE = "terms_answer"
TERMS_ANSWER_COOKIE_MAX_AGE = 365 * 24 * 60 * 60

# The pk of the current version this session's user is known to have accepted.
ACCEPTED_SESSION_KEY = "accounts_terms_accepted"


def consent_evidence(request: HttpRequest) -> dict[str, str | None]:
    """The IP address and browser stored with a consent record."""
    try:
        # allauth's reading of the client address, so consent records and rate
        # limits agree (and both honour ALLAUTH_TRUSTED_PROXY_COUNT).
        ip_address = get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        ip_address = None
    return {
        "ip_address": ip_address,
        "user_agent": request.headers.get("User-Agent", ""),
    }


def set_terms_answer_cookie(response: HttpResponse, terms: TermsOfUse) -> None:
    response.set_cookie(
        TERMS_ANSWER_COOKIE,
        terms.version,
        max_age=TERMS_ANSWER_COOKIE_MAX_AGE,
        samesite="Lax",
        secure=not settings.DEBUG,
        httponly=False,
    )


def has_accepted(request: HttpRequest, terms: TermsOfUse) -> bool:
    """
    Has the signed-in user accepted `terms`? Answered from the session when we
    already know, so a request normally costs no query; a new version has a new
    pk and is asked about once.
    """
    if request.session.get(ACCEPTED_SESSION_KEY) == terms.pk:
        return True
    accepted = TermsAcceptance.objects.accepted().filter(user=request.user, terms=terms).exists()
    if accepted:
        remember_accepted(request, terms)
    return accepted


def remember_accepted(request: HttpRequest, terms: TermsOfUse) -> None:
    request.session[ACCEPTED_SESSION_KEY] = terms.pk
