"""URLs for `bench_scale.py`'s gunicorn run: the site's, plus the bare view (see scale_site)."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__bare__/", bare), path("", include("newsroom.urls"))]
