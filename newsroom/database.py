"""The database as the web server sees it."""

from pathlib import Path

from django.conf import settings

# Django's SQLite backend and ours on top of it (newsroom/sqlite/).
SQLITE_ENGINES = frozenset({"django.db.backends.sqlite3", "newsroom.sqlite"})


def sqlite_must_exist(alias: str = "default") -> None:
    """Make SQLite refuse to create a missing database file (issue 13.13).

    SQLite creates an empty file for any name it cannot find, so a moved or
    unmounted `db.sqlite3` used to give a healthy-looking but empty site.
    Called by the WSGI and ASGI entry points: the web server opens the file
    read-write or fails (the pages then answer 503 and `/healthz` says which
    dependency is down). `manage.py migrate` does not go through here and still
    creates a new database. Django opens SQLite names as URIs, so `mode=rw`
    is passed straight to SQLite.
    """
    settings_dict = settings.DATABASES[alias]
    if settings_dict["ENGINE"] not in SQLITE_ENGINES:
        return
    name = str(settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    settings_dict["NAME"] = f"{Path(name).resolve().as_uri()}?mode=rw"
