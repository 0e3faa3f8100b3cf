"""Settings modules: `base` (every environment, read from env vars) and `test`."""
