"""Site-wide endpoints that belong to no app: the health check, the icon, and
the error page that tells a dependency outage (503) from a bug (500)."""

import logging
import sys

from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.template.loader import render_to_string
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from newsroom.cache import CacheUnavailable, cache_check

logger = logging.getLogger("newsroom.health")

#: What a 503 asks clients (and front caches) to wait before retrying, in seconds.
RETRY_AFTER_SECONDS = 30


def database_check() -> None:
    """Raise unless the database answers with a table that `migrate` made.

    A real table, not `SELECT 1`: an empty database (a moved SQLite file that
    something re-created) answers `SELECT 1` too (issue 13.13).
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM django_migrations LIMIT 1")
        cursor.fetchone()


HEALTH_CHECKS = {"database": database_check, "cache": cache_check}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Each dependency's state, one per line: 200 when all answer, else 503
    naming the ones that do not (first line `unavailable: database, cache`)."""
    down = []
    lines = []
    for name, check in HEALTH_CHECKS.items():
        try:
            check()
        except Exception as error:  # any failure of a dependency is "down"
            logger.warning("Health check: %s unavailable: %r", name, error)
            down.append(name)
            lines.append(f"{name}: unavailable")
        else:
            lines.append(f"{name}: ok")
    head = f"unavailable: {', '.join(down)}" if down else "ok"
    response = HttpResponse(
        "\n".join([head, *lines]) + "\n", status=503 if down else 200, content_type="text/plain"
    )
    if down:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """`handler500`: a dependency that is down (the database, or the cache for an
    operation that needs it) is 503 with `Retry-After`, in the site's look; any
    other error is the 500 page. Rendered without the request, so without a query."""
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError | CacheUnavailable):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return defaults.server_error(request)


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's)."""
    return HttpResponsePermanentRedirect(staticfiles_storage.url("favicon.svg"))
