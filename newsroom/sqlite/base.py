"""
Django's SQLite backend, plus what SQLite's documentation asks of applications
to keep the query planner's statistics current.

Without statistics (`sqlite_stat1`, written by ANALYZE), SQLite guesses how
selective each index is, and with a million stories it guessed badly: it
chose the status index (one value for nearly every row) over the slug or
keyset indexes. https://sqlite.org/pragma.html#pragma_optimize recommends:
"Applications that use short-lived database connections should run
PRAGMA optimize; once, just prior to closing each database connection."
Django opens and closes a connection per request (CONN_MAX_AGE is 0 on
SQLite), so that is where it runs. It analyzes only the tables this
connection used whose statistics are missing or out of date, and
`analysis_limit` (set in the connection's init_command, see settings) keeps
each such ANALYZE to a sample, so it costs milliseconds even at a million rows.
Use it by naming this package as the database ENGINE (settings do so for SQLite).
"""

import contextlib
import sqlite3

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    """Runs `PRAGMA optimize` before each connection closes (never raises from it)."""

    def _close(self):
        if self.connection is not None and not self.in_atomic_block:
            with contextlib.suppress(sqlite3.Error):
                self.connection.execute("PRAGMA optimize")
        super()._close()
