"""
Settings for `bench_scale.py`'s gunicorn run (not a benchmark itself).

The site's own settings, with `scale_urls` (the site's URLs plus `/__bare__/`,
a view that renders nothing and reads no database, through the same
middleware: the baseline for fresh-render throughput). Used as
DJANGO_SETTINGS_MODULE=scale_site with bench/ on PYTHONPATH. The URLs are a
module of their own: importing the site's URLs imports models, which the
settings module must not do before the apps are loaded.
"""

from newsroom.settings.base import *  # noqa: F403

ROOT_URLCONF = "scale_urls"

# wrk and the sign-in talk plain HTTP to 127.0.0.1: cookies marked Secure would
# never be sent back, and the reader could not sign in.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
