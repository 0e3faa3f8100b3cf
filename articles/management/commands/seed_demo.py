"""
Load the demo content shown by `make run`. Safe to run again: nothing is
duplicated.

Each app seeds its own data: an app whose AppConfig has a `seed_demo()` method
is asked to run it, in INSTALLED_APPS order, inside one transaction. This keeps
the command here without importing any other app's internals.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create the demo sections, stories, terms of use and shop products (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                seed = getattr(app_config, "seed_demo", None)
                if callable(seed):
                    summary = seed()
                    self.stdout.write(f"{app_config.label}: {summary or 'done'}")
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
