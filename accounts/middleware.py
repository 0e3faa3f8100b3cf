from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property

from accounts.consent import has_accepted
from accounts.models import TermsOfUse


class TermsAcceptanceMiddleware:
    """
    When a new version of the terms takes effect, a signed-in reader accepts it
    before going on: their next page view is sent to /terms/accept/, which shows
    what changed, and back again afterwards.

    It stays out of the way of everything that must keep working meanwhile:
    the admin, static and media files, log-out, the terms pages themselves,
    the health check, and the reader's right to download their data or delete
    their account. Staff are never sent: the reader terms are for readers, and
    staff work under their employment terms; asking them would also stand in
    the way of their own tools outside the admin (Preview at /preview/<pk>/,
    the admin's "View on site" on public pages), and declining would sign them
    out of the admin. It redirects every GET and HEAD, whatever the request
    says about itself: `Sec-Fetch-Mode`, `Sec-Fetch-Dest`, `X-Requested-With`
    and `Accept` are typed by the client, so honouring them let any reader skip
    the terms by sending `Sec-Fetch-Mode: cors` (issue 13, item 11). The site's
    own scripts only GET under /terms/ (the dialog), which is exempt by path. A
    submitted form (POST) goes through rather than being lost; the next page
    view asks.

    Cheap on purpose: anonymous readers and exempt paths cost nothing, and once
    a session is known to have accepted the version in force that answer sits
    in the session (accounts.consent.has_accepted), so no query is made.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.must_accept_first(request):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('accounts:terms_accept')}?{query}")
        return self.get_response(request)

    def must_accept_first(self, request: HttpRequest) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        if request.path_info.startswith(self.exempt_prefixes):
            return False
        if not request.user.is_authenticated or request.user.is_staff:
            return False
        terms = TermsOfUse.objects.current_cached()
        return terms is not None and not has_accepted(request, terms)

    @cached_property
    def exempt_prefixes(self) -> tuple[str, ...]:
        # Computed on first use: the URLconf is not loaded when middleware is built.
        return tuple(
            prefix if prefix.startswith("/") else f"/{prefix}"
            for prefix in (
                settings.ADMIN_URL,
                settings.STATIC_URL,
                settings.MEDIA_URL,
                reverse("healthz"),
                reverse("account_logout"),
                # /terms/ and everything under it: the versions, the dialog's
                # endpoints and the accept page itself.
                reverse("accounts:terms"),
                # Reading and erasing one's data never depends on accepting terms.
                reverse("accounts:account_data"),
                reverse("accounts:account_delete"),
            )
        )
