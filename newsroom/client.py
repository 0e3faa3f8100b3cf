"""
The client's address: the one way every app reads it (rate limits, consent
records, the view beacon).

Behind `TRUSTED_PROXY_COUNT` reverse proxies that each append the address they
saw to `X-Forwarded-For`, the client is the entry that the outermost trusted
proxy appended: the N-th from the right. Entries further left were typed by
the client and prove nothing. With no trusted proxy the header is ignored and
the peer address (`REMOTE_ADDR`) is the client, so a forged header changes
nothing.

A header that is shorter than the proxy chain, empty or not an address means
the request did not come through the proxies as configured: we fall back to
the peer address instead of failing (allauth's own reading raises
ImproperlyConfigured there, which became a 500; issue 13, item 10).
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's IP address as text (`"203.0.113.7"`, `"2001:db8::1"`).

    Reads `X-Forwarded-For` only when `settings.TRUSTED_PROXY_COUNT` (an int,
    0 by default) is above zero. Never raises: a short, empty or malformed
    header, or a junk `REMOTE_ADDR`, gives the peer address, or `""` when
    there is no valid address at all (a test client may send none).
    """
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if trusted > 0:
        entries = request.headers.get("X-Forwarded-For", "").split(",")
        if len(entries) >= trusted and (address := _address(entries[-trusted])):
            return address
    return _address(request.META.get("REMOTE_ADDR", "")) or ""


def _address(value: str) -> str | None:
    """`value` as a normalised IP address, or None if it is not one."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:443"
        value = value.partition(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None
