"""Settings come from the environment with safe defaults."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


def clean_env() -> dict[str, str]:
    """The bare minimum to start Python, and no .env file (a developer's own
    .env, say DEBUG=1 from `make run`, must not change what these tests see)."""
    return {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
        "ENV_FILE": "",
    }


def settings_in_subprocess(
    env: dict[str, str], expression: str, module: str = "newsroom.settings.base"
) -> subprocess.CompletedProcess:
    """Import a settings module in a clean process with exactly `env` set."""
    return subprocess.run(
        [sys.executable, "-c", f"import {module} as s; print({expression})"],
        cwd=PROJECT,
        env={**clean_env(), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def production_env(**extra: str) -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.com",
        **extra,
    }


def test_debug_is_off_unless_set():
    result = settings_in_subprocess({"SECRET_KEY": "x" * 50}, "s.DEBUG")
    assert result.stdout.strip() == "False"


def test_missing_secret_key_in_production_is_a_clear_startup_error():
    result = settings_in_subprocess({"DEBUG": "0"}, "s.SECRET_KEY")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_development_secret_key_exists_only_with_debug():
    result = settings_in_subprocess({"DEBUG": "1"}, "s.SECRET_KEY")
    assert result.returncode == 0
    assert result.stdout.startswith("django-insecure-")


def test_default_database_is_sqlite_tuned_for_concurrency():
    result = settings_in_subprocess(
        production_env(), "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['OPTIONS']"
    )
    assert result.stdout.startswith("newsroom.sqlite ")  # Django's backend + PRAGMA optimize
    assert "'transaction_mode': 'IMMEDIATE'" in result.stdout
    assert "journal_mode=WAL" in result.stdout


def test_database_url_selects_postgresql():
    result = settings_in_subprocess(
        production_env(DATABASE_URL="postgres://news:pw@db.example:5433/news"),
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'],"
        " s.DATABASES['default']['PORT'], s.DATABASES['default']['NAME']",
    )
    assert result.stdout.strip() == "django.db.backends.postgresql db.example 5433 news"


def test_cache_defaults_to_a_shared_disk_cache_and_takes_redis_url():
    # Every worker on the machine shares the default cache (issue 12.2);
    # local memory is for DEBUG only.
    shown = "s.CACHES['default']['BACKEND'], s.CACHES['pages']['BACKEND']"
    local = settings_in_subprocess(production_env(), shown)
    debug = settings_in_subprocess({"DEBUG": "1"}, shown)
    redis = settings_in_subprocess(production_env(CACHE_URL="redis://127.0.0.1:6379/3"), shown)
    assert local.stdout.split() == ["newsroom.cache.TolerantDiskCache"] * 2
    assert debug.stdout.split() == ["django.core.cache.backends.locmem.LocMemCache"] * 2
    assert redis.stdout.split() == ["newsroom.cache.TolerantRedisCache"] * 2


def test_page_cache_is_off_under_debug_and_on_in_production():
    debug = settings_in_subprocess({"DEBUG": "1"}, "s.PAGE_CACHE_SECONDS")
    production = settings_in_subprocess(production_env(), "s.PAGE_CACHE_SECONDS")
    assert int(debug.stdout) == 0
    assert int(production.stdout) > 0


def test_shared_fragments_are_off_under_debug_and_on_in_production():
    debug = settings_in_subprocess({"DEBUG": "1"}, "s.SHARED_FRAGMENTS")
    production = settings_in_subprocess(production_env(), "s.SHARED_FRAGMENTS")
    assert debug.stdout.strip() == "False"
    assert production.stdout.strip() == "True"


def test_allowed_hosts_and_csrf_origins_are_lists():
    result = settings_in_subprocess(
        production_env(
            ALLOWED_HOSTS="news.example,www.news.example",
            CSRF_TRUSTED_ORIGINS="https://news.example",
        ),
        "s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS",
    )
    assert result.stdout.strip() == "['news.example', 'www.news.example'] ['https://news.example']"


def test_email_is_printed_to_the_console_in_development():
    result = settings_in_subprocess({"DEBUG": "1"}, "s.MAILERS['default']['BACKEND']")
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


def test_email_goes_to_the_local_mail_server_in_production_by_default():
    result = settings_in_subprocess(production_env(), "s.MAILERS['default']")
    assert "smtp.EmailBackend" in result.stdout
    assert "'host': 'localhost'" in result.stdout


def test_email_url_configures_smtp():
    result = settings_in_subprocess(
        production_env(EMAIL_URL="smtp+tls://news:secret@mail.example:587"),
        "s.MAILERS['default']",
    )
    assert "smtp.EmailBackend" in result.stdout
    assert "'host': 'mail.example'" in result.stdout
    assert "'port': 587" in result.stdout
    assert "'use_tls': True" in result.stdout


def test_tls_proxy_header_is_trusted_only_when_asked():
    plain = settings_in_subprocess(production_env(), "getattr(s, 'SECURE_PROXY_SSL_HEADER', None)")
    proxied = settings_in_subprocess(
        production_env(BEHIND_TLS_PROXY="1"), "s.SECURE_PROXY_SSL_HEADER"
    )
    assert plain.stdout.strip() == "None"
    assert proxied.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"


@pytest.mark.parametrize("debug", ["0", "false", "off"])
def test_production_configuration_passes_check_deploy_without_warnings(debug, tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env={
            **clean_env(),
            **production_env(DEBUG=debug),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


# --- The development .env file ------------------------------------------------------

ODD_ENV_FILE = """
DEBUG=1
SECRET_KEY=from-a-personal-env-file
TIME_ZONE=Asia/Tokyo
ALLOWED_HOSTS=odd.example
TRUSTED_PROXY_COUNT=5
PAGE_CACHE_SECONDS=1234
DATABASE_URL=sqlite:////nonexistent/personal.sqlite3
"""
ODD_SETTINGS = (
    "s.DEBUG, s.SECRET_KEY, s.TIME_ZONE, s.ALLOWED_HOSTS, s.TRUSTED_PROXY_COUNT,"
    " s.PAGE_CACHE_SECONDS, s.DATABASES['default']['NAME']"
)


@pytest.fixture
def odd_env_file(tmp_path):
    path = tmp_path / ".env"
    path.write_text(ODD_ENV_FILE)
    return str(path)


def test_env_file_configures_manage_py_commands(odd_env_file):
    # What `make run` writes is read by the settings manage.py uses...
    result = settings_in_subprocess({"ENV_FILE": odd_env_file}, "s.DEBUG, s.TIME_ZONE")

    assert result.stdout.strip() == "True Asia/Tokyo"


def test_personal_env_file_does_not_change_the_test_settings(odd_env_file):
    # ...and never by the test settings: a test run sees the same settings with it or without.
    without = settings_in_subprocess({}, ODD_SETTINGS, module="newsroom.settings.test")
    with_file = settings_in_subprocess(
        {"ENV_FILE": odd_env_file}, ODD_SETTINGS, module="newsroom.settings.test"
    )

    assert without.returncode == 0, without.stderr
    assert with_file.stdout == without.stdout
    assert "Asia/Tokyo" not in with_file.stdout


def test_real_environment_variables_win_over_the_env_file(odd_env_file):
    result = settings_in_subprocess({"ENV_FILE": odd_env_file, "TIME_ZONE": "UTC"}, "s.TIME_ZONE")

    assert result.stdout.strip() == "UTC"


# --- Logging ---------------------------------------------------------------------------

LOG_ONE_OF_EACH = (
    "import logging, django; django.setup();"
    " logging.getLogger('django.request').warning('Not Found: /probe-request/');"
    " logging.getLogger('django.server').info('GET /probe-server/ 404');"
    " logging.getLogger('django.utils.autoreload').info('probe-autoreload')"
)


@pytest.mark.parametrize("debug", ["1", "0"])
def test_each_log_line_is_printed_once(debug):
    # Django's own "django" console handler plus ours on root printed
    # the dev server's "Not Found" and reloader lines twice.
    result = subprocess.run(
        [sys.executable, "-c", LOG_ONE_OF_EACH],
        cwd=PROJECT,
        env={
            **clean_env(),
            **production_env(DEBUG=debug),
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.base",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    for probe in ("/probe-request/", "/probe-server/", "probe-autoreload"):
        assert result.stderr.count(probe) == 1, result.stderr
