"""
Settings for the tests that start real gunicorn servers (test_workers.py): the
production settings, with the cache, database and workers exactly as an
operator runs them, and static files served from the apps' folders (as the
test settings do) so no collectstatic run is needed.

Not a test module (pytest collects only test_*.py).
"""

from newsroom.settings.base import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
