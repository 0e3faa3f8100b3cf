"""
Run by test_sqlite_concurrency.py in a fresh process: many threads that each
read and then write inside one transaction, against a SQLite file configured
exactly as the site configures it. Prints how many transactions committed and
every error seen.

Not a test module (pytest collects only test_*.py).
"""

import os
import sys
import threading

import django

THREADS = 8
TRANSACTIONS_PER_THREAD = 25


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.base"
    django.setup()
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    call_command("migrate", "sessions", verbosity=0)
    journal = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
    Session.objects.create(session_key="counter", session_data="0", expire_date=timezone.now())

    errors: list[str] = []
    committed = 0
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def worker() -> None:
        nonlocal committed
        from django.db import connection as thread_connection

        start.wait()
        try:
            for _ in range(TRANSACTIONS_PER_THREAD):
                try:
                    with transaction.atomic():
                        # Read first, then write: the pattern that fails with
                        # "database is locked" under DEFERRED transactions.
                        row = Session.objects.get(session_key="counter")
                        row.session_data = str(int(row.session_data) + 1)
                        row.save(update_fields=["session_data"])
                    with lock:
                        committed += 1
                except Exception as error:
                    with lock:
                        errors.append(f"{type(error).__name__}: {error}")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    final = Session.objects.get(session_key="counter").session_data
    print(f"journal={journal} committed={committed} counter={final} errors={len(errors)}")
    for error in sorted(set(errors)):
        print(error)
    sys.exit(0)


if __name__ == "__main__":
    main()
