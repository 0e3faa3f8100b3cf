"""
Test settings: the production settings, traded for speed where safety does
not matter in a test run, and nothing else.
"""

import os

# Never a developer's .env: a test run depends on the code and the variables it
# is given, nothing else (see ENV_FILE in base.py).
os.environ["ENV_FILE"] = ""
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
# Local memory unless the run names a CACHE_URL (the PostgreSQL + Redis run).
if not os.environ.get("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom-pages",
        },
    }
# The page cache is off: a test that is about it asks for the `page_cache`
# fixture (tests/conftest.py).
PAGE_CACHE_SECONDS = 0
# Shared fragments are on, as in production: tests run in one process, whose
# purges reach its own local-memory cache.
SHARED_FRAGMENTS = True
SITE_URL = "http://testserver"
# Each test run gets its own key space on a shared Redis, and each xdist
# worker its own Redis database: the tests' cache.clear() is a FLUSHDB, which
# would otherwise empty the other workers' keys in the middle of their tests.
CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"
CACHES["pages"]["KEY_PREFIX"] = f"test-{os.getpid()}-pages"
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ...
if _worker and CACHES["default"]["BACKEND"].endswith("RedisCache"):
    _server, _, _database = CACHES["default"]["LOCATION"].rpartition("/")
    _location = f"{_server}/{int(_database or 0) + 1 + int(_worker[2:])}"
    CACHES["default"]["LOCATION"] = CACHES["pages"]["LOCATION"] = _location
# Serve static files from the apps' folders, as in development: tests run
# without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
