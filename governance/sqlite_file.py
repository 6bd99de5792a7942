"""SQLite files for keys and vault data: readable by their owner only, safe for several
processes (write-ahead log, 30 s busy wait) and overwriting deleted rows (`secure_delete`)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


def open_private_database(path: Path, schema: str) -> sqlite3.Connection:
    """Open (or create, mode 0600 in a 0700 folder) the database at `path` with `schema`.

    Raises `sqlite3.DatabaseError` or `OSError`; callers turn them into their typed errors.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # SQLite gives its -wal and -shm files the database file's mode: create it 0600.
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    database = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    try:
        database.execute("PRAGMA journal_mode=WAL")
        database.execute("PRAGMA secure_delete=ON")
        database.execute("PRAGMA busy_timeout=30000")
        database.executescript(schema)
    except sqlite3.DatabaseError:
        database.close()
        raise
    return database
