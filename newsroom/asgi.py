"""ASGI entry point, for servers that speak ASGI."""

import os

from django.core.asgi import get_asgi_application

from newsroom.database import sqlite_must_exist

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.base")

application = get_asgi_application()
sqlite_must_exist()
