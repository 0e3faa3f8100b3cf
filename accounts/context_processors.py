"""What base.html needs from accounts: the version of the terms now in force."""

from django.http import HttpRequest

from accounts.models import TermsOfUse


def terms(request: HttpRequest) -> dict[str, str]:
    # Read through the cache: no query on a normal request. The terms dialog's
    # script compares this with the visitor's `terms_answer` cookie.
    current = TermsOfUse.objects.current_cached()
    return {"current_terms_version": current.version if current else ""}
