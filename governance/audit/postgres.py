"""The audit log in PostgreSQL, for several processes and hosts writing one log.

Each append takes a transaction-scoped advisory lock, reads the next sequence number and
inserts, so concurrent writers on any host never leave a gap or a duplicate. A store may be
shared by threads: its one connection serves one of them at a time. Needs the
`postgres` extra (`pip install 'tutela[postgres]'`, which brings psycopg).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

from tutela.errors import AuditError, ConfigError
from tutela.governance.audit.merkle import leaf_hash
from tutela.governance.audit.store import Checkpoint, StoredRecord, store_error

_LOCK_KEY = 0x7475_7465_6C61  # "tutela": the advisory lock that serialises appends
_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_records (
    seq BIGINT PRIMARY KEY,
    record BYTEA,
    leaf BYTEA NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_checkpoints (
    size BIGINT PRIMARY KEY,
    origin TEXT NOT NULL,
    root BYTEA NOT NULL,
    time TEXT NOT NULL,
    key_id TEXT NOT NULL,
    signature BYTEA NOT NULL
);
"""
_BATCH = 5000


class PostgresAuditStore:
    def __init__(self, dsn: str) -> None:
        try:
            import psycopg
        except ImportError:
            raise ConfigError(
                "audit_dsn is set but psycopg is not installed: pip install 'tutela[postgres]'"
            ) from None
        self._psycopg = psycopg
        self._lock = threading.Lock()  # the connection's transactions are not per thread
        try:
            self._db = psycopg.connect(dsn, autocommit=True)
            with self._db.transaction():
                self._db.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
                self._db.execute(_SCHEMA)
        except psycopg.Error as exc:
            # The DSN may hold a password: only the error's type is shown.
            raise AuditError(
                f"the PostgreSQL audit store cannot be opened ({type(exc).__name__}): check "
                "audit_dsn and that the server is running"
            ) from None

    def append(self, build: Callable[[int], bytes]) -> int:
        try:
            with self._lock, self._db.transaction():
                self._db.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
                (seq,) = self._db.execute(
                    "SELECT COALESCE(MAX(seq) + 1, 0) FROM audit_records"
                ).fetchone()
                record = build(seq)
                self._db.execute(
                    "INSERT INTO audit_records (seq, record, leaf) VALUES (%s, %s, %s)",
                    (seq, record, leaf_hash(record)),
                )
        except self._psycopg.Error as exc:
            raise store_error("written", exc) from None
        return seq

    def size(self) -> int:
        with self._lock:
            (count,) = self._db.execute(
                "SELECT COALESCE(MAX(seq) + 1, 0) FROM audit_records"
            ).fetchone()
        return count

    def records(self, start: int = 0, end: int | None = None) -> Iterator[StoredRecord]:
        upper = end if end is not None else 1 << 62
        position = start
        while True:
            with self._lock:
                rows = self._db.execute(
                    "SELECT seq, record, leaf FROM audit_records WHERE seq >= %s AND seq < %s "
                    "ORDER BY seq LIMIT %s",
                    (position, upper, _BATCH),
                ).fetchall()
            for seq, record, leaf in rows:
                yield StoredRecord(seq, bytes(record) if record is not None else None, bytes(leaf))
            if len(rows) < _BATCH:
                return
            position = rows[-1][0] + 1

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        try:
            with self._lock:
                self._db.execute(
                    "INSERT INTO audit_checkpoints (size, origin, root, time, key_id, signature) "
                    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (size) DO UPDATE SET "
                    "origin = EXCLUDED.origin, root = EXCLUDED.root, time = EXCLUDED.time, "
                    "key_id = EXCLUDED.key_id, signature = EXCLUDED.signature",
                    (
                        checkpoint.size,
                        checkpoint.origin,
                        checkpoint.root,
                        checkpoint.time,
                        checkpoint.key_id,
                        checkpoint.signature,
                    ),
                )
        except self._psycopg.Error as exc:
            raise store_error("checkpointed", exc) from None

    def checkpoints(self) -> list[Checkpoint]:
        with self._lock:
            rows = self._db.execute(
                "SELECT origin, size, root, time, key_id, signature FROM audit_checkpoints "
                "ORDER BY size"
            ).fetchall()
        return [
            Checkpoint(origin, size, bytes(root), time, key_id, bytes(signature))
            for origin, size, root, time, key_id, signature in rows
        ]

    def prune(self, seqs: list[int]) -> int:
        with self._lock, self._db.transaction():
            cursor = self._db.execute(
                "UPDATE audit_records SET record = NULL WHERE seq = ANY(%s)", (seqs,)
            )
        return cursor.rowcount

    def close(self) -> None:
        with self._lock:
            self._db.close()
