"""
Settings and URLs for `bench_scale.py`'s gunicorn run (not a benchmark itself).

The site's own settings and URLs, plus `/__bare__/`: a view that renders
nothing and reads no database, through the same middleware, the baseline for
fresh-render throughput. Used as DJANGO_SETTINGS_MODULE=scale_site with bench/
on PYTHONPATH.
"""

from django.http import HttpResponse
from django.urls import include, path

from newsroom.settings.base import *  # noqa: F403

ROOT_URLCONF = "scale_site"


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__bare__/", bare), path("", include("newsroom.urls"))]
