"""Django's SQLite backend with current planner statistics (see `base.DatabaseWrapper`)."""
