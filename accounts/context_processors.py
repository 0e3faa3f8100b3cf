"""What base.html needs from accounts: the version of the terms now in force."""

from django.http import HttpRequest

from accounts.models import TermsOfUse
from newsroom.pagecache import cache_until


def terms(request: HttpRequest) -> dict[str, str]:
    # Read through the cache: no query on a normal request. The terms dialog's
    # script compares this with the visitor's `terms_answer` cookie.
    current, next_change = TermsOfUse.objects.current_and_next_cached()
    # A scheduled version changes every page when it takes effect.
    cache_until(request, next_change)
    return {"current_terms_version": current.version if current else ""}
