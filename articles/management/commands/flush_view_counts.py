"""
Move view counts from the cache to the database (each story's total and its
count for this hour), and delete hourly counts older than two days. For cron,
e.g. every minute:

    * * * * * python manage.py flush_view_counts

The article beacon also flushes now and then, so this only matters for a site
whose stories are rarely read.
"""

from django.core.management.base import BaseCommand

from articles.services import view_counts_flush


class Command(BaseCommand):
    help = "Move pending story view counts from the cache to the database; prune old hourly counts."

    def handle(self, *args, **options):
        moved = view_counts_flush()
        self.stdout.write(f"Moved {moved} views to the database.")
