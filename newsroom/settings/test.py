"""
Test settings: the production settings, traded for speed where safety does
not matter in a test run, and nothing else.
"""

import os

# The test run has no secret to protect, and no TLS in front of the test client.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from newsroom.settings.base import *  # noqa: F403
from newsroom.settings.base import CACHES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Hashed static names need a collectstatic run; tests render templates without one.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test run (and each xdist worker) gets its own key space on a shared Redis.
CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"
# Serve static files from the apps' folders, as in development: tests run
# without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
