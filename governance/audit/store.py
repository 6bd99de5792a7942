"""Where the audit log lives: records with gap-free sequence numbers, and signed checkpoints.

`AuditStore` is the interface; `SqliteAuditStore` (WAL, one file under TUTELA_HOME) is the
default and `PostgresAuditStore` (governance/audit/postgres.py) serves several processes and
hosts. Sequence numbers are taken inside the writing transaction, under the store's write
lock, so concurrent writers (threads or processes) never leave a gap or a duplicate. A store
may be shared by threads: its one connection serves one of them at a time.

Retention prunes a record's payload but keeps its leaf hash, so the tree still verifies.
"""

from __future__ import annotations

import base64
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from tutela.errors import AuditError
from tutela.governance.audit.merkle import leaf_hash
from tutela.governance.sqlite_file import open_private_database


@dataclass(frozen=True)
class Checkpoint:
    """A signed tree head: the log `origin` held `size` records whose tree has `root`."""

    origin: str
    size: int
    root: bytes
    time: str
    key_id: str
    signature: bytes

    def signed_text(self) -> bytes:
        """The bytes the signature covers (a tlog-checkpoint style note body)."""
        root = base64.b64encode(self.root).decode()
        return f"{self.origin}\n{self.size}\n{root}\n{self.time}\n".encode()

    def to_json(self) -> dict:
        return {
            "origin": self.origin,
            "size": self.size,
            "root": base64.b64encode(self.root).decode(),
            "time": self.time,
            "key_id": self.key_id,
            "signature": base64.b64encode(self.signature).decode(),
        }

    @classmethod
    def from_json(cls, data: dict) -> Checkpoint:
        return cls(
            origin=str(data["origin"]),
            size=int(data["size"]),
            root=base64.b64decode(data["root"], validate=True),
            time=str(data["time"]),
            key_id=str(data["key_id"]),
            signature=base64.b64decode(data["signature"], validate=True),
        )


@dataclass(frozen=True)
class StoredRecord:
    seq: int
    record: bytes | None  # None once retention pruned it
    leaf: bytes  # the leaf hash written with the record


class AuditStore(Protocol):
    def append(self, build: Callable[[int], bytes]) -> int:
        """Write the record `build(seq)` under the next sequence number; return it."""
        ...

    def size(self) -> int: ...

    def records(self, start: int = 0, end: int | None = None) -> Iterator[StoredRecord]:
        """Records in sequence order, as stored (no check)."""
        ...

    def add_checkpoint(self, checkpoint: Checkpoint) -> None: ...

    def checkpoints(self) -> list[Checkpoint]:
        """Every checkpoint, oldest (smallest) first."""
        ...

    def prune(self, seqs: list[int]) -> int:
        """Drop the payload of these records, keeping their leaf hashes."""
        ...

    def close(self) -> None: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_records (
    seq INTEGER PRIMARY KEY,
    record BLOB,
    leaf BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_checkpoints (
    size INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    root BLOB NOT NULL,
    time TEXT NOT NULL,
    key_id TEXT NOT NULL,
    signature BLOB NOT NULL
);
"""
_BATCH = 5000


class SqliteAuditStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()  # the connection's transactions are not per thread
        try:
            self._db = open_private_database(path, _SCHEMA)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise AuditError(
                f"the audit store {path} cannot be opened ({type(exc).__name__}): calls are "
                "refused until it can"
            ) from None

    def append(self, build: Callable[[int], bytes]) -> int:
        try:
            with self._lock:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    (seq,) = self._db.execute(
                        "SELECT COALESCE(MAX(seq) + 1, 0) FROM audit_records"
                    ).fetchone()
                    record = build(seq)
                    self._db.execute(
                        "INSERT INTO audit_records (seq, record, leaf) VALUES (?, ?, ?)",
                        (seq, record, leaf_hash(record)),
                    )
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
        except sqlite3.Error as exc:
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
                    "SELECT seq, record, leaf FROM audit_records WHERE seq >= ? AND seq < ? "
                    "ORDER BY seq LIMIT ?",
                    (position, upper, _BATCH),
                ).fetchall()
            for seq, record, leaf in rows:
                yield StoredRecord(seq, _as_bytes(record), _as_bytes(leaf))
            if len(rows) < _BATCH:
                return
            position = rows[-1][0] + 1

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        try:
            with self._lock, self._db:
                self._db.execute(
                    "INSERT OR REPLACE INTO audit_checkpoints VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        checkpoint.size,
                        checkpoint.origin,
                        checkpoint.root,
                        checkpoint.time,
                        checkpoint.key_id,
                        checkpoint.signature,
                    ),
                )
        except sqlite3.Error as exc:
            raise store_error("checkpointed", exc) from None

    def checkpoints(self) -> list[Checkpoint]:
        with self._lock:
            rows = self._db.execute(
                "SELECT origin, size, root, time, key_id, signature FROM audit_checkpoints "
                "ORDER BY size"
            ).fetchall()
        return [Checkpoint(*row) for row in rows]

    def prune(self, seqs: list[int]) -> int:
        with self._lock, self._db:
            cursor = self._db.executemany(
                "UPDATE audit_records SET record = NULL WHERE seq = ?", [(s,) for s in seqs]
            )
        return cursor.rowcount

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _as_bytes(value) -> bytes | None:
    """Stored bytes, even where a row was rewritten as another SQL type."""
    if value is None or isinstance(value, bytes):
        return value
    return value.encode() if isinstance(value, str) else str(value).encode()


def store_error(what: str, exc: Exception) -> AuditError:
    return AuditError(
        f"the audit log could not be {what} ({type(exc).__name__}): the call is refused; "
        "check the audit store"
    )
