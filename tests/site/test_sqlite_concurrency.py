"""Concurrent requests never fail with "database is locked" on SQLite."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("sqlite_writers.py")


def run_writers(tmp_path: Path, **env: str) -> str:
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    result = subprocess.run(
        [sys.executable, str(SCRIPT)],
        cwd=PROJECT,
        env={
            **base,
            "PYTHONPATH": str(PROJECT),
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'concurrency.sqlite3'}",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


def test_concurrent_read_then_write_transactions_all_commit(tmp_path):
    output = run_writers(tmp_path)

    assert output.splitlines()[0] == "journal=wal committed=200 counter=200 errors=0", output
