"""WSGI entry point: `gunicorn newsroom.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

from newsroom.database import sqlite_must_exist

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.base")

application = get_wsgi_application()
sqlite_must_exist()
