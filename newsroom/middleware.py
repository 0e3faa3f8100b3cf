"""
Whole-page caching for readers who carry no state.

Breaking news brings many readers at once, nearly all anonymous with an empty
cart. This middleware serves them a shared copy of the page without touching
the database. Anyone with a session cookie (signed in, something in the cart,
a pending message) always gets a fresh render, so their cart count and sign-in
state can never be stored in, or served from, the shared copy.

It is a narrower cousin of Django's UpdateCacheMiddleware and
FetchFromCacheMiddleware, whose key functions it reuses so that `Vary` headers
are honoured, with two differences:

* It never caches a response that sets a cookie or asks not to be cached, and
  it adds no `Expires`/`max-age` headers, so browsers revalidate and a reader
  who has just added to the cart never sees a stale header.
* It ignores the `Cookie` header when keying. Nearly every page says
  `Vary: Cookie` (the header reads the session), and most readers soon carry
  harmless cookies (the CSRF token the terms dialog sets, their answer to the
  dialog). Keyed on the whole Cookie header, each of them would get a private
  copy and the cache would stop being shared just when it matters. That is
  safe because only the session cookie changes what we render, and requests
  carrying it are never served from here. A page that renders something from
  another cookie must say so by being uncacheable (`never_cache`); one that
  renders a CSRF token already is, since Django sets the token's cookie on it.
"""

import copy
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_cache_key, learn_cache_key

KEY_PREFIX = "page"
GENERATION_KEY = "page:generation"


def page_cache_clear() -> None:
    """Make every cached page stale at once (say, after a story is unpublished).

    Pages are keyed under a generation number; moving to the next one orphans
    the old entries, which then expire on their own.
    """
    cache = caches["default"]
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, 1, timeout=None)


def _key_prefix() -> str:
    return f"{KEY_PREFIX}:{caches['default'].get(GENERATION_KEY, 0)}"


UNCACHEABLE_DIRECTIVES = ("private", "no-cache", "no-store")


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.is_cacheable_request(request):
            return self.get_response(request)

        cache = caches["default"]
        keyed = self.without_cookies(request)
        prefix = _key_prefix()
        key = get_cache_key(keyed, prefix, "GET", cache=cache)
        if key is not None and (cached := cache.get(key)) is not None:
            return cached

        response = self.get_response(request)
        if self.is_cacheable_response(response):
            seconds = settings.PAGE_CACHE_SECONDS
            key = learn_cache_key(keyed, response, seconds, prefix, cache=cache)
            if callable(getattr(response, "render", None)) and not response.is_rendered:
                response.add_post_render_callback(lambda r: cache.set(key, r, seconds))
            else:
                cache.set(key, response, seconds)
        return response

    @staticmethod
    def without_cookies(request: HttpRequest) -> HttpRequest:
        """A shallow copy of `request` whose Cookie header is empty, for keying only."""
        keyed = copy.copy(request)
        keyed.META = {name: value for name, value in request.META.items() if name != "HTTP_COOKIE"}
        return keyed

    @staticmethod
    def is_cacheable_request(request: HttpRequest) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(f"/{settings.ADMIN_URL}")
        )

    @staticmethod
    def is_cacheable_response(response: HttpResponse) -> bool:
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES)
        )
