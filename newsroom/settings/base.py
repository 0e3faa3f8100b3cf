"""
Settings for Newsroom.

Every value that differs between a laptop and production is read from the
environment (or an optional `.env` file) through one django-environ `env`.
Production differs from development only by those variables; the README lists
each of them with its default.
"""

import os
from pathlib import Path

import environ
import PIL.Image
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# An optional file of variables for development (`make run` writes a
# git-ignored `.env` with DEBUG=1 and a key of its own the first time). Real
# environment variables win over it. ENV_FILE names another file, or none when
# empty: the test settings set it empty, so a personal .env never changes a
# test run.
ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    env.read_env(ENV_FILE)

DEBUG = env.bool("DEBUG", default=False)

# A development key exists only while DEBUG is on. In production a missing
# SECRET_KEY stops start-up with django-environ's ImproperlyConfigured error.
if DEBUG:
    SECRET_KEY = env.str(
        "SECRET_KEY", default="django-insecure-development-only-key-never-in-production"
    )
else:
    SECRET_KEY = env.str("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "simple_history",
    "django_prose_editor",
    "accounts",
    "articles",
    "cart",
]

MIDDLEWARE = [
    # First, so that every response carries the security headers and the
    # Permissions-Policy, even the 400 page for a bad Host header, which is
    # made before the middleware below can add them (newsroom/headers.py).
    "newsroom.headers.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Serves and stores whole pages for visitors without a session, and says
    # how shared caches may keep every response; see newsroom/pagecache.py.
    "newsroom.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Sends signed-in readers to accept a new version of the terms; after
    # AuthenticationMiddleware, last so every other middleware sees its redirect.
    "accounts.middleware.TermsAcceptanceMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "cart.context_processors.cart",
                "accounts.context_processors.terms",
                "articles.context_processors.page_cache_until",
                "articles.context_processors.banner",
            ],
            # {% load text %}: the xml_safe filter for XML templates. newsroom/
            # is not an app, so its library is named here.
            "libraries": {"text": "newsroom.text"},
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite by default, tuned for a web server: WAL lets readers run beside one
# writer, IMMEDIATE transactions take the write lock up front (so a reader that
# later writes cannot deadlock and fail with "database is locked"), and the
# timeout makes a waiting writer queue instead of failing.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, plus PRAGMA optimize before each connection closes, as
    # SQLite's documentation recommends (planner statistics; newsroom/sqlite/).
    DATABASES["default"]["ENGINE"] = "newsroom.sqlite"
    # Tests use an in-memory database, as Django does for its own SQLite
    # backend; said outright because pytest-django recognises SQLite by
    # Django's ENGINE name and would otherwise derive a file name per worker.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA cache_size=-20000;"
            # ANALYZE samples this many rows per index when PRAGMA optimize runs it.
            "PRAGMA analysis_limit=1000;"
        ),
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True


# --- Cache --------------------------------------------------------------------
# Two aliases: "default" for what must be shared and kept (rate limits, view
# counts, sessions, the page cache's purge records) and "pages" for whole pages
# (a byte budget; evicting one costs a render). With CACHE_URL unset every
# worker on the machine shares one on-disk cache (diskcache: SQLite files,
# process-safe, atomic incr/add, size-bounded, expired entries culled); local
# memory only under DEBUG and in tests; Redis (CACHE_URL=redis://...) for
# several machines. See "Serving at scale" in the README.
CACHE_DIR = Path(env.str("CACHE_DIR", default=str(BASE_DIR / "var" / "cache")))
PAGE_CACHE_MAX_BYTES = env.int("PAGE_CACHE_MAX_BYTES", default=256 * 2**20)
if env.str("CACHE_URL", default=""):
    CACHES = {"default": env.cache("CACHE_URL")}
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        # Serves pages uncached while Redis is down (newsroom/cache.py), and
        # notices an outage within a second rather than a TCP timeout.
        CACHES["default"]["BACKEND"] = "newsroom.cache.TolerantRedisCache"
        CACHES["default"].setdefault("OPTIONS", {}).update(
            {"socket_connect_timeout": 1.0, "socket_timeout": 3.0}
        )
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "pages"}
    if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        CACHES["pages"]["LOCATION"] = f"{CACHES['default'].get('LOCATION', '')}-pages"
elif DEBUG:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom-pages",
            "OPTIONS": {"MAX_ENTRIES": 2_000},
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.TolerantDiskCache",
            "LOCATION": str(CACHE_DIR / "default"),
            "SHARDS": 4,
            "DATABASE_TIMEOUT": 0.25,
            # Never evict a live key (pending view counts, purge records);
            # keys with a timeout (rate limits, sessions) are culled as they expire.
            "OPTIONS": {"eviction_policy": "none"},
        },
        "pages": {
            "BACKEND": "newsroom.cache.TolerantDiskCache",
            "LOCATION": str(CACHE_DIR / "pages"),
            "SHARDS": 4,
            "DATABASE_TIMEOUT": 0.25,
            "OPTIONS": {
                "size_limit": PAGE_CACHE_MAX_BYTES,
                "eviction_policy": "least-recently-stored",
            },
        },
    }
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # Django's default of 300 entries would evict pending view counts long
    # before memory matters; each entry is a small value.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 100_000)

# The page cache (newsroom/pagecache.py): off under DEBUG (and in tests, unless
# a test asks for it), so what you change is what you see.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0 if DEBUG else 300)
# Shared fragments (newsroom/pagecache.py `fragment()`: the front page's and
# story pages' parts, section blocks, archive counts): kept between requests
# and purged by tag. Off under DEBUG too: `runserver`'s local-memory cache is
# not purged by a change made in another process (the shell, a management
# command), and the page would keep showing what was there before.
SHARED_FRAGMENTS = env.bool("SHARED_FRAGMENTS", default=not DEBUG)
# Served stale while one worker re-renders an expired page (and the front
# cache's stale-while-revalidate).
PAGE_CACHE_STALE_SECONDS = env.int("PAGE_CACHE_STALE_SECONDS", default=60)
# How long a front cache may serve a stale page while Django answers errors.
PAGE_CACHE_STALE_IF_ERROR_SECONDS = env.int("PAGE_CACHE_STALE_IF_ERROR_SECONDS", default=86_400)
# Browsers cannot be purged: they revalidate (ETag, 304) after this long.
PAGE_BROWSER_SECONDS = env.int("PAGE_BROWSER_SECONDS", default=0)
# Each worker keeps the pages it served last in its own memory, up to this
# many bytes, so a hit costs one small read of the shared cache instead of two
# (newsroom/pagecache.py, RecentPages); 0 keeps none.
PAGE_CACHE_WORKER_BYTES = env.int("PAGE_CACHE_WORKER_BYTES", default=8 * 2**20)
# How long the other workers wait for the one rendering an expired page.
PAGE_CACHE_LOCK_SECONDS = env.int("PAGE_CACHE_LOCK_SECONDS", default=5)
# The site's canonical address: cache keys and shared pages' absolute links.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")
# The front cache: tags are purged with PURGE + "xkey-purge" to each of these.
FRONT_CACHE_PURGE_URLS = env.list("FRONT_CACHE_PURGE_URLS", default=[])
FRONT_CACHE_PURGER = env.str("FRONT_CACHE_PURGER", default="newsroom.pagecache.VarnishPurger")

# --- Users and sign-in ----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:account"
LOGOUT_REDIRECT_URL = "articles:home"

# django-allauth: email is the login identifier; there are no usernames.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Sign-up writes the account and its consent record together (accounts/adapter.py).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm", "add_email": "accounts.forms.AddEmailForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Newsroom] "
# Abuse limits, kept in the cache (allauth merges these over its defaults).
ACCOUNT_RATE_LIMITS = {
    # Wrong passwords (accounts/adapter.py, issue 13.9): per IP, and per
    # account with a ceiling no single address can reach, because the tight
    # limit is per account *and* address ("login_failed_pair": 5 in 5 minutes,
    # 10 an hour). Someone guessing from elsewhere cannot lock the owner out;
    # a password reset lifts the account's limit.
    "login_failed": "10/m/ip,50/h/key",
    "login_failed_pair": "5/5m/key,10/h/key",
    "login": "30/m/ip",
    # Every sign-up attempt, typos included, so not too tight; the accounts
    # actually created are limited by "signup_completed" (accounts/forms.py).
    "signup": "20/m/ip",
    "signup_completed": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
}
# Password reset answers the same whether or not an address has an account,
# and mails only addresses that have one.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Proxies in front of the site that append to X-Forwarded-For. Every reader of
# the client address (rate limits, consent records, the view beacon) goes
# through newsroom.client.client_ip(), which honours it; allauth does too,
# through accounts.adapter.AccountAdapter.get_client_ip.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Sessions are read from the cache and written through to the database: a
# signed-in request costs no session query, and a cache outage loses none.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Messages live in the session, so they never add a cookie of their own.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Email --------------------------------------------------------------------
# EMAIL_URL: consolemail:// (mail is printed), smtp+tls://user:pass@host:587, ...
# In development mail is printed to the console. In production the default is
# the local mail server: Django's deploy check rightly refuses the console
# backend there, since mail would silently never leave.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": (
            {key: value for key, value in _smtp_options.items() if value not in (None, "")}
            if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Newsroom <newsroom@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Operator", addr) for addr in env.list("ADMINS", default=[])]

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed files with hashed names, served by whitenoise with far-future
    # cache headers. While DEBUG is on, plain storage keeps `runserver` simple.
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)
# The most pixels an uploaded picture may have (newsroom/images.py checks it
# from the file's header, before decoding). 50 megapixels covers any camera a
# newsroom uses; decoded, such a picture takes about 200 MB of memory.
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=50_000_000)
# Pillow's own guard for every picture it opens: a warning above this, an
# error (DecompressionBombError) above twice this.
PIL.Image.MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS

# --- Security -------------------------------------------------------------------
# With DEBUG off every safeguard that `check --deploy` asks for is on. Behind a
# reverse proxy that terminates TLS, set BEHIND_TLS_PROXY=1 so Django trusts its
# X-Forwarded-Proto header (only do so when the proxy always sets it).
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (Django's own middleware). Pages are cached and
# shared between readers, so there are no nonces: no inline scripts or styles,
# only static files from our own origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Browser features the site does not use, turned off for every page and any
# frame (W3C Permissions Policy; sent by newsroom/headers.py). Nothing here
# records sound or video, locates readers, takes payments in the browser or
# goes full screen. Clipboard features stay out: the story editor pastes.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "otp-credentials",
        "payment",
        "picture-in-picture",
        "publickey-credentials-create",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "sync-xhr",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    )
}

ADMIN_URL = env.str("ADMIN_URL", default="admin/")

# --- Story view counts --------------------------------------------------------------
# Views the beacon counts from one client address (an IPv6 /64) per minute;
# more are answered but not counted. Readers behind one address (an office, a
# carrier-grade NAT) share it, so it is well above one reader's pace.
VIEWS_PER_ADDRESS_PER_MINUTE = env.int("VIEWS_PER_ADDRESS_PER_MINUTE", default=30)

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's default logging gives "django" a console handler of its own,
        # and the logger also propagates to ours on root: every line (the
        # dev server's "Not Found: ...", the autoreloader's) printed twice.
        # Root prints; "django" only mails errors to ADMINS. The dev server's
        # request lines keep Django's own handler and format, once.
        "django": {"handlers": ["mail_admins"], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}
