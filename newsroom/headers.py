"""
The security headers on every response, including error pages made before
the rest of the middleware ran.

Django's `SecurityMiddleware`, `XFrameOptionsMiddleware` and
`ContentSecurityPolicyMiddleware` add their headers when a response passes
back through them. A response made from an exception raised by a middleware
*outside* them never does: a bad `Host` header makes `request.get_host()` raise
`DisallowedHost` in the page cache (its cache key), in `CommonMiddleware`, or
in `SecurityMiddleware` itself when it redirects to HTTPS, and Django turns the
exception into the 400 page right there (`convert_exception_to_response`
wraps each middleware). That page then leaves without CSP or X-Frame-Options.

`SecurityHeadersMiddleware` sits first in `MIDDLEWARE`, where every response
passes, and runs those three middlewares' response processing once more, so
the whole set is there whatever happened inside. They only add what is
missing (a view's `csp_override` or `xframe_options_exempt` still wins), so on
an ordinary response the second pass changes nothing. It also adds
`Permissions-Policy`, for which Django has no setting of its own.

A library exists for that one header (django-permissions-policy); it is not
used because this middleware has to exist anyway for the 400 page, and the
header is one `setdefault` here.
"""

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.security import SecurityMiddleware

PERMISSIONS_POLICY_HEADER = "Permissions-Policy"


def permissions_policy_header(policy: Mapping[str, Sequence[str]]) -> str:
    """The `Permissions-Policy` header value for `policy`.

    `policy` maps a feature to its allowlist (W3C Permissions Policy, section
    "Structured header serialization"): `[]` turns the feature off for
    everyone, `["self"]` allows this origin, other entries are origins.
    `{"camera": [], "fullscreen": ["self"]}` gives `camera=(), fullscreen=(self)`.
    """

    def allowlist(origins: Sequence[str]) -> str:
        return " ".join(origin if origin in ("self", "*") else f'"{origin}"' for origin in origins)

    return ", ".join(f"{feature}=({allowlist(origins)})" for feature, origins in policy.items())


class SecurityHeadersMiddleware:
    """First in `MIDDLEWARE`: the full set of security headers on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Instances used only for their process_response().
        self.header_middlewares = [
            middleware(get_response)
            for middleware in (
                SecurityMiddleware,
                XFrameOptionsMiddleware,
                ContentSecurityPolicyMiddleware,
            )
        ]
        self.permissions_policy = permissions_policy_header(
            getattr(settings, "PERMISSIONS_POLICY", {})
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault(PERMISSIONS_POLICY_HEADER, self.permissions_policy)
        for middleware in self.header_middlewares:
            response = middleware.process_response(request, response)
        return response
