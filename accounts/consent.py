"""
Request-side helpers for consent: the evidence stored with a record, the
cookie that remembers a visitor's answer to the dialog, and the per-session
memo that keeps the re-acceptance check free of queries.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from accounts.models import TermsAcceptance, TermsOfUse
from newsroom.client import client_ip

# Holds the version label the visitor last answered (agreed or "not now").
# Read by accounts/static/accounts/terms-dialog.js, so not HttpOnly; it carries
# no secret and grants nothing.
TERMS_ANSWER_COOKIE = "terms_answer"
TERMS_ANSWER_COOKIE_MAX_AGE = 365 * 24 * 60 * 60

# The pk of the current version this session's user is known to have accepted.
ACCEPTED_SESSION_KEY = "accounts_terms_accepted"


def consent_evidence(request: HttpRequest) -> dict[str, str | None]:
    """The IP address and browser stored with a consent record."""
    return {
        # Read as rate limits read it (newsroom.client), so the two agree.
        "ip_address": client_ip(request) or None,
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
