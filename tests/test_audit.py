"""The audit trail against real stores: tampering is caught and located, the checkpoint signer
keeps one history, concurrent writers leave no gap, a 50,000-record log verifies, governed
calls leave PII-free records, evidence bundles verify offline, search and CSV export, and the
`tutela audit` commands.

Store-level tests run on SQLite and on PostgreSQL; the PostgreSQL ones need the DSN of a
server in TUTELA_TEST_PG_DSN (each test gets its own schema) and are skipped without it.
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import hashlib
import io
import json
import multiprocessing
import os
import re
import shutil
import sqlite3
import threading
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CliResult
from test_pii_pipeline import ScriptedBackend, echo, says

from tutela.errors import AccessDenied, AuditError, InputError
from tutela.governance.audit.bundle import verify_bundle, write_bundle
from tutela.governance.audit.checkpoints import CheckpointSigner
from tutela.governance.audit.log import AuditLog
from tutela.governance.audit.merkle import MerkleTree, leaf_hash, root_of, verify_consistency
from tutela.governance.audit.postgres import PostgresAuditStore
from tutela.governance.audit.records import (
    SCHEMA_VERSION,
    AuditEvent,
    AuditRecord,
    canonical_json,
    utc_now,
)
from tutela.governance.audit.search import CSV_COLUMNS, RecordFilter, search, to_csv
from tutela.governance.audit.store import AuditStore, Checkpoint, SqliteAuditStore
from tutela.governance.audit.trail import AuditTrail
from tutela.governance.audit.verify import VerifyReport, verify_log
from tutela.governance.keyring import KeyRing
from tutela.governance.signing import LocalSigner
from tutela.settings import Settings
from tutela.version import __version__

# Read at import: the autouse fixture of conftest.py clears every TUTELA_* variable.
PG_DSN = os.environ.get("TUTELA_TEST_PG_DSN")
ORIGIN = "tutela-audit-test"
SECRET = "audit-test-secret"
BACKENDS = ("sqlite", "postgres")


# -- stores, raw access and the log under test --------------------------------------------------


def _schema_dsn(schema: str, **settings: str) -> str:
    assert PG_DSN is not None
    options = f"-csearch_path%3D{schema}" + "".join(
        f"%20-c{name}%3D{value}" for name, value in settings.items()
    )
    return f"{PG_DSN}{'&' if '?' in PG_DSN else '?'}options={options}"


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh schema, dropped after the test with its backup (`<schema>_backup`)."""
    if not PG_DSN:
        pytest.skip("TUTELA_TEST_PG_DSN is not set: no PostgreSQL server to test against")
    psycopg = pytest.importorskip("psycopg")
    schema = f"tutela_audit_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_DSN, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield schema
    finally:
        with psycopg.connect(PG_DSN, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            admin.execute(f"DROP SCHEMA IF EXISTS {schema}_backup CASCADE")


def open_store(kind: str, location: str) -> AuditStore:
    return SqliteAuditStore(Path(location)) if kind == "sqlite" else PostgresAuditStore(location)


class Raw:
    """The store's tables in plain SQL, as someone with access to the database sees them."""

    def __init__(self, kind: str, location: str) -> None:
        self.kind = kind
        if kind == "sqlite":
            self._db = sqlite3.connect(location, isolation_level=None)
            self._db.execute("PRAGMA busy_timeout=30000")
        else:
            import psycopg

            self._db = psycopg.connect(location, autocommit=True)

    def sql(self, statement: str, params: tuple = ()) -> list[tuple]:
        if self.kind == "postgres":
            statement = statement.replace("?", "%s")
        cursor = self._db.execute(statement, params)
        rows = cursor.fetchall() if cursor.description else []
        return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]

    def close(self) -> None:
        self._db.close()


def open_parts(kind: str, location: str, home: Path, **options):
    """Keyring, checkpoint signer, store and log, as `AuditTrail.open` wires them."""
    settings = Settings(home=home, master_secret=SECRET)
    keyring = KeyRing.open(settings, create=True)
    folder = settings.keys_dir / "signing"
    signer = CheckpointSigner(
        LocalSigner.open(keyring, folder, "audit"),
        keyring,
        folder / "audit-checkpoints.state",
        ORIGIN,
    )
    store = open_store(kind, location)
    log = AuditLog(store, signer, sdk_version="test", **options)
    return keyring, signer, store, log


@dataclass
class Log:
    kind: str
    location: str  # the SQLite file, or the DSN with the test's schema
    home: Path
    keyring: KeyRing
    signer: CheckpointSigner
    store: AuditStore
    log: AuditLog
    raw: Raw
    schema: str | None = None

    @property
    def trail(self) -> AuditTrail:
        return AuditTrail(self.store, self.signer, self.log, self.keyring)

    def verify(self) -> VerifyReport:
        """What `tutela audit verify` checks: records, checkpoints and the signer's memory."""
        return self.trail.verify()

    def reopen(self, while_closed: Callable[[], object] = lambda: None) -> None:
        """Close the store and the raw connection, run `while_closed`, open both again."""
        self.store.close()
        self.raw.close()
        while_closed()
        self.store = self.log.store = open_store(self.kind, self.location)
        self.raw = Raw(self.kind, self.location)

    def record(self, seq: int) -> bytes:
        ((record,),) = self.raw.sql("SELECT record FROM audit_records WHERE seq = ?", (seq,))
        return record

    def close(self) -> None:
        self.raw.close()
        self.store.close()
        self.keyring.close()


def new_log(kind: str, request: pytest.FixtureRequest, tmp_path: Path, **options) -> Log:
    schema = None
    if kind == "sqlite":
        location = str(tmp_path / "store" / "audit.db")
    else:
        schema = request.getfixturevalue("pg_schema")
        location = _schema_dsn(schema, **options.pop("pg_settings", {}))
    options.pop("pg_settings", None)
    options.setdefault("checkpoint_every", 4)
    keyring, signer, store, log = open_parts(kind, location, tmp_path / "home", **options)
    return Log(
        kind, location, tmp_path / "home", keyring, signer, store, log, Raw(kind, location), schema
    )


@pytest.fixture(params=BACKENDS)
def audit(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Log]:
    """An empty audit log on each backend, checkpointed every 4 records."""
    log = new_log(request.param, request, tmp_path)
    yield log
    log.close()


def event(n: int, **changes) -> AuditEvent:
    values = {
        "event_type": "model_call",
        "actor": f"user-{n % 3}",
        "tenant": "default",
        "outcome": "success",
        "resource": "domain:general",
        "purpose": "GENERAL",
        "decision": "allow",
        "policy_ids": ("core.general.ask",),
        "model": "scripted-1",
        "backend": "scripted",
        "details": {"n": n},
    }
    return AuditEvent(**{**values, **changes})


def fill(log: Log, count: int = 10) -> list[bytes]:
    """`count` records, checkpointed every 4 and at the end; returns their leaf hashes."""
    for n in range(count):
        log.log.append(event(n))
    log.log.checkpoint()
    return [leaf_hash(log.record(seq)) for seq in range(count)]


def edited(record: bytes) -> bytes:
    """The record with another actor, still canonical JSON with its own sequence number."""
    value = json.loads(record)
    value["actor"] = "mallory"
    return canonical_json(value)


def kinds(report: VerifyReport) -> set[str]:
    return {problem.kind for problem in report.problems}


def messages(report: VerifyReport) -> str:
    return " | ".join(problem.message for problem in report.problems)


# -- tampering with a real store ------------------------------------------------------------


def test_an_untampered_log_verifies(audit: Log) -> None:
    fill(audit)
    assert [c.size for c in audit.store.checkpoints()] == [4, 8, 10]
    report = audit.verify()
    assert report.ok, report.problems
    assert (report.size, report.checkpoints, report.signed_size, report.pruned) == (10, 3, 10, 0)
    assert report.first_bad_index is None
    assert report.to_json()["unsigned_tail"] == 0

    audit.log.append(event(10))  # an unsigned tail is not a problem
    report = audit.verify()
    assert report.ok and report.to_json()["unsigned_tail"] == 1


def _edit(log: Log) -> None:
    log.raw.sql("UPDATE audit_records SET record = ? WHERE seq = 5", (edited(log.record(5)),))


def _edit_with_leaf(log: Log) -> None:
    record = edited(log.record(5))
    log.raw.sql(
        "UPDATE audit_records SET record = ?, leaf = ? WHERE seq = 5", (record, leaf_hash(record))
    )


def _delete(log: Log) -> None:
    log.raw.sql("DELETE FROM audit_records WHERE seq = 5")


def _swap(log: Log) -> None:
    rows = dict(
        (seq, (record, leaf))
        for seq, record, leaf in log.raw.sql(
            "SELECT seq, record, leaf FROM audit_records WHERE seq IN (2, 6)"
        )
    )
    for seq, other in ((2, 6), (6, 2)):
        log.raw.sql(
            "UPDATE audit_records SET record = ?, leaf = ? WHERE seq = ?", (*rows[other], seq)
        )


def _insert(log: Log) -> None:
    """A well-formed record slipped in at 5; the records from 5 on move up by one."""
    log.raw.sql("UPDATE audit_records SET seq = -seq - 1 WHERE seq >= 5")
    log.raw.sql("UPDATE audit_records SET seq = -seq WHERE seq < 0")
    forged = AuditRecord(
        **event(99, actor="mallory").model_dump(), seq=5, time=utc_now(), sdk_version="test"
    ).canonical()
    log.raw.sql("INSERT INTO audit_records VALUES (?, ?, ?)", (5, forged, leaf_hash(forged)))


def _truncate(log: Log) -> None:
    log.raw.sql("DELETE FROM audit_records WHERE seq >= 8")


def _truncate_with_checkpoints(log: Log) -> None:
    log.raw.sql("DELETE FROM audit_records WHERE seq >= 8")
    log.raw.sql("DELETE FROM audit_checkpoints WHERE size > 8")


# The log under test: records 0-9, checkpoints at 4, 8 and 10.
# (tampering, problem kinds, first bad index, records a valid checkpoint still vouches for,
#  a fragment of the messages)
TAMPERING = {
    "edit": (_edit, {"edited", "root-mismatch"}, 5, 4, "record 5 does not match its leaf hash"),
    # With the leaf rewritten too, only the checkpoint notices: the first record it no longer
    # vouches for is where the damage may begin.
    "edit-with-leaf": (
        _edit_with_leaf,
        {"root-mismatch"},
        4,
        4,
        "records 4 to 7 differ from the checkpoint signed at size 8",
    ),
    "delete": (_delete, {"missing"}, 5, 4, "records 5 to 5 are missing"),
    "swap": (_swap, {"misplaced", "root-mismatch"}, 2, 0, "record 2 carries sequence number 6"),
    "insert": (_insert, {"misplaced", "root-mismatch"}, 5, 4, "record 6 carries sequence number 5"),
    "truncate": (
        _truncate,
        {"truncated"},
        8,
        8,
        "a checkpoint covers 10 records but the log holds 8",
    ),
    "truncate-and-drop-checkpoints": (
        _truncate_with_checkpoints,
        {"rollback"},
        8,
        8,
        "the signer last signed 10 records",
    ),
}


@pytest.mark.parametrize("tampering", TAMPERING)
def test_tampering_is_caught_and_located(audit: Log, tampering: str) -> None:
    tamper, expected_kinds, first_bad, signed, fragment = TAMPERING[tampering]
    fill(audit)
    tamper(audit)
    report = audit.verify()
    assert not report.ok
    assert kinds(report) == expected_kinds, report.problems
    assert report.first_bad_index == first_bad, report.problems
    assert report.signed_size == signed
    assert fragment in messages(report)
    assert report.to_json()["first_bad_index"] == first_bad


def test_a_restored_older_copy_is_caught_through_the_signers_memory(audit: Log) -> None:
    fill(audit, 6)  # checkpoints at 4 and 6
    backup = Path(audit.location).with_name("audit-backup.db")
    if audit.kind == "sqlite":  # closed, the file holds everything (no WAL left)
        audit.reopen(lambda: shutil.copyfile(audit.location, backup))
    else:
        audit.raw.sql(f"CREATE SCHEMA {audit.schema}_backup")
        for table in ("audit_records", "audit_checkpoints"):
            audit.raw.sql(f"CREATE TABLE {audit.schema}_backup.{table} AS TABLE {table}")

    for n in range(6, 10):
        audit.log.append(event(n))  # the fourth append checkpoints at 10
    assert audit.signer.last_signed().size == 10
    assert audit.verify().ok

    if audit.kind == "sqlite":

        def restore() -> None:
            assert not Path(audit.location + "-wal").exists()  # nothing left to fold in
            shutil.copyfile(backup, audit.location)

        audit.reopen(restore)
    else:
        for table in ("audit_records", "audit_checkpoints"):
            audit.raw.sql(f"DELETE FROM {table}")
            audit.raw.sql(f"INSERT INTO {table} SELECT * FROM {audit.schema}_backup.{table}")

    # The copy is consistent in itself: only the signer's memory shows it is old.
    alone = verify_log(audit.store, audit.trail.trusted_keys(), ORIGIN)
    assert alone.ok and alone.size == 6
    report = audit.verify()
    assert kinds(report) == {"rollback"}
    assert report.first_bad_index == 6
    assert "the signer last signed 10 records" in messages(report)

    # Growing past the size the signer remembers does not hide it: the signer extends its
    # own history, which the restored records do not match.
    for n in range(6, 12):
        audit.log.append(event(100 + n))
    audit.log.checkpoint()
    assert audit.signer.last_signed().size == 12
    report = audit.verify()
    assert not report.ok
    assert "root-mismatch" in kinds(report)
    assert report.first_bad_index == 6


def _forge(log: Log, forgery: str, size: int, root: bytes, tmp_path: Path) -> Checkpoint:
    (original,) = [c for c in log.store.checkpoints() if c.size == size]
    if forgery == "bad-signature":
        signature = original.signature
        if root == original.root:  # nothing to change but the signature itself
            signature = bytes([signature[0] ^ 1]) + signature[1:]
        return dataclasses.replace(original, root=root, signature=signature)
    if forgery == "unknown-key":
        signer = LocalSigner.open(log.keyring, tmp_path / "mallory", "audit")
        origin = ORIGIN
    else:  # a checkpoint the same key signed for another log
        signer, origin = log.signer.signer, "another-log"
    unsigned = Checkpoint(origin, size, root, utc_now(), signer.key_id, b"")
    return dataclasses.replace(unsigned, signature=signer.sign(unsigned.signed_text()))


def _replace_checkpoint(log: Log, checkpoint: Checkpoint) -> None:
    log.raw.sql(
        "UPDATE audit_checkpoints SET origin = ?, root = ?, time = ?, key_id = ?, signature = ? "
        "WHERE size = ?",
        (
            checkpoint.origin,
            checkpoint.root,
            checkpoint.time,
            checkpoint.key_id,
            checkpoint.signature,
            checkpoint.size,
        ),
    )


@pytest.mark.parametrize("forgery", ["bad-signature", "unknown-key", "wrong-origin"])
def test_a_forged_checkpoint_is_refused(audit: Log, forgery: str, tmp_path: Path) -> None:
    fill(audit)
    (middle,) = [c for c in audit.store.checkpoints() if c.size == 8]
    _replace_checkpoint(audit, _forge(audit, forgery, 8, middle.root, tmp_path))
    report = audit.verify()
    assert kinds(report) == {forgery}
    assert "checkpoint at size 8" in messages(report)
    # No record was changed: the checkpoint at 10 still vouches for all of them.
    assert report.first_bad_index is None
    assert report.signed_size == 10


@pytest.mark.parametrize("forgery", ["bad-signature", "unknown-key", "wrong-origin"])
def test_a_forged_checkpoint_does_not_cover_an_edit(
    audit: Log, forgery: str, tmp_path: Path
) -> None:
    """Record 9 edited (leaf too) and the checkpoint at 10 replaced by one over the new root."""
    fill(audit)
    record = edited(audit.record(9))
    audit.raw.sql(
        "UPDATE audit_records SET record = ?, leaf = ? WHERE seq = 9", (record, leaf_hash(record))
    )
    root = root_of(leaf_hash(stored.record) for stored in audit.store.records())
    _replace_checkpoint(audit, _forge(audit, forgery, 10, root, tmp_path))
    report = audit.verify()
    assert kinds(report) == {forgery, "rollback"}, report.problems
    assert "checkpoint at size 10" in messages(report)
    assert report.first_bad_index == 8  # the first record no valid checkpoint vouches for
    assert report.signed_size == 8


def test_a_missing_latest_checkpoint_is_reported(audit: Log) -> None:
    fill(audit)
    audit.raw.sql("DELETE FROM audit_checkpoints WHERE size = 10")
    report = audit.verify()
    assert kinds(report) == {"checkpoint-missing"}
    assert report.first_bad_index is None  # the records are those the signer signed
    assert "size 10" in messages(report)


# -- the checkpoint signer --------------------------------------------------------------------


def test_the_signer_refuses_an_altered_tail(audit: Log) -> None:
    fill(audit)
    for n in range(10, 13):
        audit.log.append(event(n))  # 10-12: not signed yet
    audit.raw.sql("UPDATE audit_records SET record = ? WHERE seq = 11", (edited(audit.record(11)),))
    with pytest.raises(AuditError, match="audit record 11 does not match its leaf hash"):
        audit.log.checkpoint()
    assert audit.signer.last_signed().size == 10
    assert [c.size for c in audit.store.checkpoints()] == [4, 8, 10]

    audit.raw.sql("DELETE FROM audit_records WHERE seq = 11")
    with pytest.raises(AuditError, match="audit record 11 is missing"):
        audit.log.checkpoint()
    assert audit.signer.last_signed().size == 10


def test_the_signer_extends_only_its_own_history(audit: Log) -> None:
    leaves = fill(audit)
    (signed,) = [c for c in audit.store.checkpoints() if c.size == 10]
    record = edited(audit.record(3))
    audit.raw.sql(
        "UPDATE audit_records SET record = ?, leaf = ? WHERE seq = 3", (record, leaf_hash(record))
    )
    audit.log.append(event(10))
    made = audit.log.checkpoint()
    # The new head extends the tree the signer signed, not the edited store.
    leaves.append(leaf_hash(audit.record(10)))
    tree = MerkleTree(leaves)
    assert (made.size, made.root) == (11, tree.root())
    assert verify_consistency(10, 11, signed.root, made.root, tree.consistency_proof(10))
    report = audit.verify()
    assert kinds(report) == {"root-mismatch"}
    assert report.first_bad_index == 0 and report.signed_size == 0


def test_an_altered_signer_state_is_refused(audit: Log, tmp_path: Path) -> None:
    fill(audit)
    state = audit.signer.state_file
    sealed = state.read_bytes()
    state.write_bytes(sealed[:-1] + bytes([sealed[-1] ^ 1]))
    audit.log.append(event(10))
    with pytest.raises(AuditError, match="signer's state .* is unreadable or was altered"):
        audit.log.checkpoint()
    with pytest.raises(AuditError, match="unreadable or was altered"):
        audit.verify()

    # A genuine state, but of another log: bound to its origin, it does not open here.
    other = CheckpointSigner(
        audit.signer.signer, audit.keyring, tmp_path / "other.state", "another-log"
    )
    other.begin(log_is_empty=True)
    other.sign_next(lambda start: [leaf_hash(b"x")])
    state.write_bytes((tmp_path / "other.state").read_bytes())
    with pytest.raises(AuditError, match="unreadable or was altered"):
        audit.log.checkpoint()

    state.write_bytes(sealed)  # restored from backup
    assert audit.log.checkpoint().size == 11
    assert audit.verify().ok


def test_a_deleted_signer_state_is_refused_and_reported(audit: Log) -> None:
    fill(audit)
    state = audit.signer.state_file
    sealed = state.read_bytes()
    state.unlink()  # with an older copy of the store, a rollback would go unseen
    audit.log.append(event(10))
    with pytest.raises(AuditError, match="state .* is missing: restore it from backup"):
        audit.log.checkpoint()
    report = audit.verify()
    assert "signer-state-missing" in kinds(report) and not report.ok
    state.write_bytes(sealed)  # restored from backup
    assert audit.log.checkpoint().size == 11
    assert audit.verify().ok


def test_rewriting_history_and_deleting_the_signers_state_is_caught(audit: Log) -> None:
    fill(audit)
    audit.raw.sql("DELETE FROM audit_checkpoints")
    audit.raw.sql("UPDATE audit_records SET record = ? WHERE seq = 5", (edited(audit.record(5)),))
    audit.raw.sql("UPDATE audit_records SET leaf = ? WHERE seq = 5", (leaf_hash(audit.record(5)),))
    audit.signer.state_file.unlink()
    report = audit.verify()
    assert not report.ok and "signer-state-missing" in kinds(report)
    audit.log.append(event(10))  # the record is written; the checkpoint due is refused
    with pytest.raises(AuditError, match="is missing"):
        audit.log.checkpoint()
    assert audit.store.checkpoints() == []


# -- concurrent writers -----------------------------------------------------------------------


def _check_concurrent(log: Log, workers: int, count: int) -> None:
    log.log.checkpoint()
    seen = []
    for position, stored in enumerate(log.store.records()):
        assert stored.seq == position
        value = json.loads(stored.record)
        assert value["seq"] == position
        seen.append((value["details"]["worker"], value["details"]["n"]))
    assert sorted(seen) == [(w, n) for w in range(workers) for n in range(count)]
    report = log.verify()
    assert report.ok, report.problems
    assert report.size == report.signed_size == workers * count


def test_concurrent_threads_leave_no_gap(audit: Log) -> None:
    audit.log.checkpoint_every = 7
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def work(worker: int) -> None:
        start.wait()
        try:
            for n in range(60):
                audit.log.append(event(n, details={"worker": worker, "n": n}))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures
    _check_concurrent(audit, 4, 60)


def append_from_process(kind: str, location: str, home: str, worker: int, count: int, start):
    """Runs in a spawned process: open the log as another process would, append `count`."""
    keyring, _, store, log = open_parts(kind, location, Path(home), checkpoint_every=7)
    try:
        start.wait(timeout=120)
        for n in range(count):
            log.append(event(n, details={"worker": worker, "n": n}))
    finally:
        store.close()
        keyring.close()


def test_concurrent_processes_leave_no_gap(audit: Log) -> None:
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(4)
    processes = [
        spawn.Process(
            target=append_from_process,
            args=(audit.kind, audit.location, str(audit.home), worker, 40, start),
        )
        for worker in range(4)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
    assert [p.exitcode for p in processes] == [0, 0, 0, 0]
    _check_concurrent(audit, 4, 40)


# -- a large log --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    # 50,000 appends take 12 s on PostgreSQL on an idle 2-core machine, 35 s on a busy one.
    ["sqlite", pytest.param("postgres", marks=pytest.mark.slow)],
)
def test_a_50000_record_log_verifies(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    # Commits that wait for the disk make no difference to what is tested here.
    log = new_log(kind, request, tmp_path, pg_settings={"synchronous_commit": "off"})
    if kind == "sqlite":
        log.store._db.execute("PRAGMA synchronous=OFF")
    try:
        value = AuditRecord(
            **event(0).model_dump(), seq=0, time=utc_now(), sdk_version="test"
        ).model_dump(mode="json")
        started = time.perf_counter()
        for n in range(50_000):
            value["details"] = {"n": n}
            log.store.append(lambda seq: canonical_json({**value, "seq": seq}))
            if n % 1000 == 999:
                log.log.checkpoint()
        built = time.perf_counter() - started

        started = time.perf_counter()
        report = log.verify()
        verified = time.perf_counter() - started
        assert report.ok, report.problems[:3]
        assert (report.size, report.checkpoints, report.signed_size) == (50_000, 50, 50_000)
        print(f"\n{kind}: 50,000 records built in {built:.1f} s, verified in {verified:.1f} s")

        log.raw.sql(
            "UPDATE audit_records SET record = ? WHERE seq = 43210", (edited(log.record(43210)),)
        )
        report = log.verify()
        assert kinds(report) == {"edited", "root-mismatch"}
        assert report.first_bad_index == 43210 and report.signed_size == 43000
    finally:
        log.close()


# -- governed calls leave PII-free records ------------------------------------------------------

NAME, EMAIL, CARD, SSN = (
    "Maria Gonzalez",
    "maria.gonzalez@example.org",
    "4111 1111 1111 1111",
    ("536-22-8471"),
)
QUESTION = f"I am {NAME}, mail {EMAIL}, card {CARD}, SSN {SSN}. Please summarise my account."
PII_VALUES = (NAME, "Gonzalez", EMAIL, CARD, CARD.replace(" ", ""), SSN, SSN.replace("-", ""))
SUBJECT = "patient-8842"
REQUIRED_FIELDS = (
    "actor",
    "event_type",
    "time",
    "outcome",
    "origin",
    "resource",
    "tenant",
    "purpose",
    "decision",
    "policy_ids",
    "entity_counts",
    "model",
    "backend",
    "key_ids",
    "timings_us",
    "request_id",
    "sdk_version",
    "schema_version",
)


@pytest.fixture
def governed(tmp_path: Path):
    """A Tutela on a scripted model that repeats the question: everything else is real."""
    from tutela import Tutela

    backend = ScriptedBackend(echo)
    tutela = Tutela(Settings.load(), backend)
    yield tutela, backend
    tutela.close()


def records_of(tutela, **criteria) -> list[dict]:
    return list(search(tutela.audit.store, RecordFilter(**criteria)))


def hits(data: bytes, values=PII_VALUES) -> list[str]:
    return [value for value in values if value.encode() in data]


def audit_files(home: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in (home / "audit").iterdir() if path.is_file()}


@pytest.fixture
def cli(cli_in_process):
    return cli_in_process


def ok(result: CliResult) -> CliResult:
    assert result.code == 0, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def test_a_governed_call_leaves_one_pii_free_record(governed, cli, tmp_path: Path) -> None:
    tutela, backend = governed
    answer = tutela.ask(QUESTION)
    assert answer.text == QUESTION  # the caller sees the values ...
    assert not hits("\n".join(m.content for m in backend.requests[0].messages).encode())

    (record,) = records_of(tutela, event_type="model_call")  # ... the log never does
    for name in REQUIRED_FIELDS:
        assert record.get(name) not in (None, "", [], {}), name
    assert record["actor"] == "local-admin" and record["tenant"] == "default"
    assert (record["outcome"], record["decision"]) == ("success", "allow")
    assert (record["origin"], record["resource"]) == ("python", "domain:general")
    assert record["purpose"] == "GENERAL"
    assert record["policy_ids"] == ["core.general.ask"]
    assert (record["model"], record["backend"]) == ("scripted-1", "scripted")
    assert record["key_ids"] == [f"kek:{tutela.keyring.provider.kek_id}"]
    assert record["request_id"] == answer.call_id
    assert (record["sdk_version"], record["schema_version"]) == (__version__, SCHEMA_VERSION)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", record["time"])
    (protect_input,) = [s for s in answer.stages if s.stage == "protect_input"]
    assert record["entity_counts"] == protect_input.detail
    for entity in ("PERSON", "EMAIL_ADDRESS", "CREDIT_CARD", "US_SSN"):
        assert record["entity_counts"].get(f"entities.{entity}", 0) >= 1, record["entity_counts"]
    assert {"authorize", "protect_input", "generate", "restore"} <= set(record["timings_us"])
    assert record["subject_ref"] is None and record["break_glass"] is False
    assert [r["event_type"] for r in records_of(tutela)] == ["log_start", "model_call"]

    # A data subject is a keyed commitment, the same for every call about them.
    tutela.ask("What is the balance?", subject=SUBJECT)
    tutela.ask("And the last payment?", subject=SUBJECT)
    tutela.ask("And hers?", subject="patient-0001")
    refs = [r["subject_ref"] for r in records_of(tutela, event_type="model_call")[1:]]
    assert all(re.fullmatch(r"[0-9a-f]{64}", ref) for ref in refs)
    assert refs[0] == refs[1] != refs[2]
    assert refs[0] == tutela.keyring.blind_index("default", "audit-reference", SUBJECT)
    assert refs[0] != hashlib.sha256(SUBJECT.encode()).hexdigest()  # keyed, not a plain hash

    home = tutela.settings.home
    secrets = (*PII_VALUES, SUBJECT, "patient-0001")
    stored = audit_files(home)
    assert "audit.db-wal" in stored  # the records are still in the write-ahead log
    for name, data in stored.items():
        assert not hits(data, secrets), name
    tutela.close()
    for name, data in audit_files(home).items():
        assert not hits(data, secrets), name

    jsonl, table, bundle = tmp_path / "all.jsonl", tmp_path / "all.csv", tmp_path / "all.zip"
    ok(cli("audit", "export", "--out", str(jsonl)))
    ok(cli("audit", "export", "--format", "csv", "--out", str(table)))
    ok(cli("audit", "bundle", "--out", str(bundle)))
    exported = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert [r["event_type"] for r in exported].count("model_call") == 4
    assert sum(row["event_type"] == "model_call" for row in csv.DictReader(table.open())) == 4
    for path in (jsonl, table):
        assert not hits(path.read_bytes(), secrets), path.name
    extracted = tmp_path / "bundle"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(extracted)
    assert sorted(p.name for p in extracted.iterdir()) == [
        "checkpoints.json",
        "consistency.json",
        "inclusion_proofs.jsonl",
        "manifest.json",
        "public_key.json",
        "records.jsonl",
    ]
    for path in extracted.iterdir():
        assert not hits(path.read_bytes(), secrets), path.name


def test_denied_and_break_glass_calls_are_recorded(governed) -> None:
    tutela, backend = governed
    tutela.access.directory.add("dr-grey", roles=["clinician"])
    doctor = tutela.principal("dr-grey")
    with pytest.raises(AccessDenied):
        tutela.ask("Bill the visit.", domain="healthcare", principal=doctor, purpose="HPAYMT")
    assert backend.requests == []
    (denied,) = records_of(tutela, event_type="access_denied")
    assert (denied["actor"], denied["outcome"], denied["decision"]) == ("dr-grey", "denied", "deny")
    assert denied["policy_ids"] == ["tutela.default-deny"]
    assert (denied["purpose"], denied["resource"]) == ("HPAYMT", "domain:healthcare")
    assert denied["model"] is None and denied["severity"] == "normal"

    reason = f"{NAME} collapsed in bed 12"
    grant = tutela.access.break_glass.issue(doctor, reason, 900)
    answer = tutela.ask(
        "Known allergies?", domain="healthcare", principal=doctor, purpose="ETREAT", grant=grant
    )
    (glass,) = records_of(tutela, event_type="break_glass")
    assert (glass["severity"], glass["break_glass"]) == ("high", True)
    assert (glass["outcome"], glass["decision"]) == ("success", "allow")
    assert glass["policy_ids"] == ["healthcare.clinician.break-glass"]
    assert glass["request_id"] == answer.call_id and glass["purpose"] == "ETREAT"
    assert records_of(tutela, break_glass=True) == [glass]
    assert records_of(tutela, event_type="model_call") == []
    for name, data in audit_files(tutela.settings.home).items():
        assert not hits(data, (reason, NAME, grant)), name


# -- evidence bundles -------------------------------------------------------------------------


@pytest.fixture
def bundled(audit: Log, tmp_path: Path) -> tuple[Log, Path]:
    fill(audit)
    path = tmp_path / "evidence.zip"
    latest = write_bundle(
        audit.store, path, key_id=audit.signer.key_id, public_key=audit.signer.public_key()
    )
    assert latest.size == 10
    return audit, path


def rezip(
    source: Path, target: Path, change: Callable[[dict[str, bytes]], None], *, remanifest: bool
) -> Path:
    """A copy of the bundle with `change` applied to its files; `remanifest` recomputes the
    manifest's checksums, as someone covering their tracks would."""
    with zipfile.ZipFile(source) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    change(files)
    if remanifest:
        manifest = json.loads(files["manifest.json"])
        manifest["files"] = {
            name: hashlib.sha256(files[name]).hexdigest() for name in manifest["files"]
        }
        files["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return target


def test_a_bundle_verifies_with_the_trusted_key(bundled) -> None:
    audit, path = bundled
    report = verify_bundle(path, audit.signer.public_key())
    assert report.ok, report.problems
    assert (report.tree_size, report.records) == (10, 10)


def _change_record(files: dict[str, bytes]) -> None:
    lines = files["records.jsonl"].splitlines()
    lines[5] = edited(lines[5])
    files["records.jsonl"] = b"\n".join(lines) + b"\n"


def _drop_proof(files: dict[str, bytes]) -> None:
    lines = files["inclusion_proofs.jsonl"].splitlines()
    files["inclusion_proofs.jsonl"] = b"\n".join(lines[:3] + lines[4:]) + b"\n"


def _bend_proof(files: dict[str, bytes]) -> None:
    lines = files["inclusion_proofs.jsonl"].splitlines()
    entry = json.loads(lines[3])
    entry["proof"][0] = base64.b64encode(hashlib.sha256(b"x").digest()).decode()
    lines[3] = json.dumps(entry).encode()
    files["inclusion_proofs.jsonl"] = b"\n".join(lines) + b"\n"


def _alter_checksum(files: dict[str, bytes]) -> None:
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["checkpoints.json"] = hashlib.sha256(b"other").hexdigest()
    files["manifest.json"] = json.dumps(manifest).encode()


def _add_file(files: dict[str, bytes]) -> None:
    files["notes.txt"] = b"nothing to see here"


BUNDLE_CORRUPTIONS = {
    "changed-record": (_change_record, False, "records.jsonl: checksum does not match"),
    "changed-record-remanifested": (
        _change_record,
        True,
        "records.jsonl: the records do not match the checkpoint at size 8",
    ),
    "removed-proof": (_drop_proof, False, "inclusion_proofs.jsonl: checksum does not match"),
    "removed-proof-remanifested": (
        _drop_proof,
        True,
        "inclusion_proofs.jsonl: not one proof per record",
    ),
    "altered-proof-remanifested": (
        _bend_proof,
        True,
        "inclusion_proofs.jsonl: the proof of record 3 fails",
    ),
    "altered-checksum": (_alter_checksum, False, "checkpoints.json: checksum does not match"),
    "extra-file": (_add_file, True, "the bundle's files do not match its manifest"),
}


@pytest.mark.parametrize("corruption", BUNDLE_CORRUPTIONS)
def test_a_corrupted_bundle_fails(bundled, corruption: str, tmp_path: Path) -> None:
    audit, path = bundled
    change, remanifest, message = BUNDLE_CORRUPTIONS[corruption]
    corrupted = rezip(path, tmp_path / "corrupted.zip", change, remanifest=remanifest)
    report = verify_bundle(corrupted, audit.signer.public_key())
    assert not report.ok
    assert any(message in problem for problem in report.problems), report.problems


def test_a_bundle_needs_the_trusted_key_and_a_zip(bundled, tmp_path: Path) -> None:
    audit, path = bundled
    other = LocalSigner.open(audit.keyring, tmp_path / "other-key", "audit")
    report = verify_bundle(path, other.public_key())
    assert report.problems == ["public_key.json: the bundle's key is not the trusted key"]

    not_a_zip = tmp_path / "evidence.txt"
    not_a_zip.write_text("records.jsonl\n")
    report = verify_bundle(not_a_zip, audit.signer.public_key())
    assert report.problems == ["the bundle cannot be read (BadZipFile)"]
    report = verify_bundle(tmp_path / "missing.zip", audit.signer.public_key())
    assert report.problems == ["the bundle cannot be read (FileNotFoundError)"]


def test_a_bundle_proves_consistency_with_an_earlier_checkpoint(bundled, tmp_path: Path) -> None:
    audit, _ = bundled
    path = tmp_path / "since.zip"
    write_bundle(
        audit.store,
        path,
        key_id=audit.signer.key_id,
        public_key=audit.signer.public_key(),
        since_size=4,
    )
    with zipfile.ZipFile(path) as archive:
        consistency = json.loads(archive.read("consistency.json"))
    assert (consistency["from_size"], consistency["to_size"]) == (4, 10)
    assert consistency["proof"]
    assert verify_bundle(path, audit.signer.public_key()).ok

    def bend(files: dict[str, bytes]) -> None:
        value = json.loads(files["consistency.json"])
        value["proof"] = value["proof"][::-1]
        files["consistency.json"] = json.dumps(value).encode()

    bent = rezip(path, tmp_path / "bent.zip", bend, remanifest=True)
    report = verify_bundle(bent, audit.signer.public_key())
    assert report.problems == ["consistency.json: the consistency proof fails"]

    with pytest.raises(InputError, match="no checkpoint at size 5: choose one of 4, 8, 10"):
        write_bundle(
            audit.store,
            tmp_path / "bad.zip",
            key_id=audit.signer.key_id,
            public_key=audit.signer.public_key(),
            since_size=5,
        )


def test_a_bundle_with_pruned_records_verifies(bundled, tmp_path: Path) -> None:
    audit, _ = bundled
    assert audit.store.prune([1, 2]) == 2
    assert audit.verify().pruned == 2
    path = tmp_path / "pruned.zip"
    write_bundle(
        audit.store, path, key_id=audit.signer.key_id, public_key=audit.signer.public_key()
    )
    report = verify_bundle(path, audit.signer.public_key())
    assert report.ok, report.problems
    with zipfile.ZipFile(path) as archive:
        lines = archive.read("records.jsonl").splitlines()
    ((leaf,),) = audit.raw.sql("SELECT leaf FROM audit_records WHERE seq = 1")
    assert json.loads(lines[1]) == {
        "pruned": True,
        "seq": 1,
        "leaf": base64.b64encode(leaf).decode(),
    }


# -- search and CSV export --------------------------------------------------------------------


@pytest.fixture
def searchable(tmp_path: Path, request: pytest.FixtureRequest):
    log = new_log("sqlite", request, tmp_path)
    events = [
        event(0, actor="alice", model="m1"),
        event(
            1,
            event_type="access_denied",
            actor="bob",
            tenant="acme",
            outcome="denied",
            decision="deny",
            purpose="HPAYMT",
            policy_ids=("tutela.default-deny",),
            model=None,
            backend=None,
        ),
        event(
            2,
            event_type="break_glass",
            actor="carol",
            purpose="ETREAT",
            policy_ids=("healthcare.clinician.break-glass",),
            model="m2",
            break_glass=True,
            severity="high",
            entity_counts={"entities.US_SSN": 1, "entities.PERSON": 2},
            timings_us={"generate": 345, "authorize": 12},
            key_ids=("kek:abc",),
            subject_ref="ab" * 32,
        ),
        event(
            3,
            actor="alice",
            tenant="acme",
            outcome="error",
            decision="error",
            purpose="TREAT",
            policy_ids=("healthcare.clinician.treat", "core.tenant-isolation"),
            model="m2",
        ),
        event(
            4,
            event_type="audit_read",
            actor="dave",
            purpose=None,
            decision=None,
            policy_ids=(),
            model=None,
            backend=None,
        ),
    ]
    times = []
    for item in events:
        times.append(log.log.append(item).time)
        time.sleep(0.002)
    yield log, times
    log.close()


def seqs(log: Log, limit: int | None = None, **criteria) -> list[int]:
    return [r["seq"] for r in search(log.store, RecordFilter(**criteria), limit)]


def test_search_filters_on_each_criterion(searchable) -> None:
    log, times = searchable
    assert seqs(log) == [0, 1, 2, 3, 4]
    assert seqs(log, since=times[2]) == [2, 3, 4]
    assert seqs(log, until=times[2]) == [0, 1]
    assert seqs(log, since=times[1], until=times[3]) == [1, 2]
    assert seqs(log, tenant="acme") == [1, 3]
    assert seqs(log, actor="alice") == [0, 3]
    assert seqs(log, event_type="access_denied") == [1]
    assert seqs(log, outcome="error") == [3]
    assert seqs(log, purpose="ETREAT") == [2]
    assert seqs(log, policy_id="core.tenant-isolation") == [3]
    assert seqs(log, policy_id="tutela.default-deny") == [1]
    assert seqs(log, model="m2") == [2, 3]
    assert seqs(log, break_glass=True) == [2]
    assert seqs(log, break_glass=False) == [0, 1, 3, 4]
    assert seqs(log, tenant="acme", outcome="denied") == [1]
    assert seqs(log, tenant="nobody") == []
    assert seqs(log, 2) == [0, 1]
    assert seqs(log, 1, actor="alice") == [0]

    log.store.prune([0])
    assert seqs(log, actor="alice") == [3]  # pruned content is not searchable


def test_csv_export_has_the_documented_columns(searchable) -> None:
    log, times = searchable
    text = "".join(to_csv(search(log.store, RecordFilter())))
    assert text.splitlines()[0] == ",".join(CSV_COLUMNS)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [row["seq"] for row in rows] == ["0", "1", "2", "3", "4"]
    glass = rows[2]
    assert glass == {
        "seq": "2",
        "time": times[2],
        "event_type": "break_glass",
        "actor": "carol",
        "tenant": "default",
        "outcome": "success",
        "origin": "python",
        "resource": "domain:general",
        "purpose": "ETREAT",
        "decision": "allow",
        "policy_ids": "healthcare.clinician.break-glass",
        "entity_counts": "entities.PERSON=2;entities.US_SSN=1",
        "model": "m2",
        "backend": "scripted",
        "chunk_ids": "",
        "key_ids": "kek:abc",
        "request_id": "",
        "break_glass": "true",
        "severity": "high",
        "subject_ref": "ab" * 32,
        "timings_us": "authorize=12;generate=345",
        "details": "n=2",
        "sdk_version": "test",
        "schema_version": str(SCHEMA_VERSION),
    }
    assert rows[3]["policy_ids"] == "healthcare.clinician.treat;core.tenant-isolation"
    assert (rows[1]["model"], rows[1]["break_glass"]) == ("", "false")
    assert rows[4]["purpose"] == rows[4]["decision"] == ""
    empty = "".join(to_csv(search(log.store, RecordFilter(tenant="nobody"))))
    assert empty == ",".join(CSV_COLUMNS) + "\n"


# -- the command line ---------------------------------------------------------------------------


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> ScriptedBackend:
    scripted = ScriptedBackend(says("Noted."))
    monkeypatch.setattr("tutela.api.load_backend", lambda settings, show_progress=True: scripted)
    return scripted


def failed(result: CliResult, *fragments: str) -> CliResult:
    assert result.code == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.out + result.err, (result.stdout, result.stderr)
    return result


def json_lines(result: CliResult) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def audit_db(tmp_path: Path) -> sqlite3.Connection:
    database = sqlite3.connect(tmp_path / "home" / "audit" / "audit.db", isolation_level=None)
    database.execute("PRAGMA busy_timeout=30000")
    return database


def test_cli_audit_commands(cli, backend: ScriptedBackend, tmp_path: Path) -> None:
    ok(cli("ask", "Hello"))
    ok(cli("users", "add", "dr-grey", "--role", "clinician"))
    failed(
        cli("ask", "--as", "dr-grey", "--purpose", "HPAYMT", "-d", "healthcare", "Bill it"),
        "AccessDenied",
    )

    verified = json.loads(ok(cli("audit", "verify", "--json")).stdout)
    assert verified["ok"] is True and verified["first_bad_index"] is None
    size = verified["size"]
    assert size == verified["signed_size"] >= 6  # each command checkpoints as it closes
    assert verified["problems"] == [] and verified["unsigned_tail"] == 0
    # ... and the verification itself was recorded.
    assert f"OK: {size + 1} records; {size + 1} covered by" in ok(cli("audit", "verify")).out

    (denied,) = json_lines(ok(cli("audit", "search", "--event", "access_denied", "--json")))
    assert (denied["actor"], denied["outcome"]) == ("dr-grey", "denied")
    assert denied["policy_ids"] == ["tutela.default-deny"]
    assert denied["origin"] == "cli"
    table = ok(cli("audit", "search", "--event", "access_denied")).out
    assert "dr-grey" in table and "tutela.default-deny" in table
    failed(cli("audit", "search", "--event", "nothing"), "unknown event type 'nothing'")
    failed(cli("audit", "search", "--since", "yesterday"), "--since 'yesterday' is not an ISO")
    # Times with an offset are compared in UTC: nothing was written after tomorrow.
    assert ok(cli("audit", "search", "--since", "2999-01-01T00:00:00+02:00", "--json")).out == ""

    exported = tmp_path / "audit.csv"
    ok(cli("audit", "export", "--format", "csv", "--out", str(exported)))
    header, *rows = list(csv.reader(exported.open()))
    assert header == list(CSV_COLUMNS)
    assert [row[2] for row in rows].count("access_denied") == 1
    assert [row[0] for row in rows] == [str(n) for n in range(len(rows))]
    failed(cli("audit", "export", "--format", "xml"), "--format is jsonl or csv")

    bundle = tmp_path / "evidence.zip"
    assert "Wrote" in ok(cli("audit", "bundle", "--out", str(bundle))).out
    key = ok(cli("audit", "public-key")).stdout.strip()
    assert len(base64.b64decode(key, validate=True)) == 32
    checked = ok(cli("audit", "verify-bundle", str(bundle), "--trusted-key", key)).out
    assert checked.startswith("OK: ") and "every proof verifies" in checked
    key_file = tmp_path / "auditor.pub"
    key_file.write_text(key + "\n")
    ok(cli("audit", "verify-bundle", str(bundle), "--trusted-key", str(key_file)))
    other = base64.b64encode(bytes(32)).decode()
    failed(
        cli("audit", "verify-bundle", str(bundle), "--trusted-key", other),
        "FAILED",
        "not the trusted key",
    )
    failed(cli("audit", "verify-bundle", str(bundle), "--trusted-key", "not base64!"), "InputError")

    # Reading and exporting the trail are themselves in the trail.
    reads = json_lines(ok(cli("audit", "search", "--event", "audit_read", "--json")))
    commands = [r["details"]["command"] for r in reads]
    assert commands == ["verify", "verify", "search", "search", "search"]
    assert all(r["origin"] == "cli" and r["resource"] == "audit-log" for r in reads)
    exports = json_lines(ok(cli("audit", "search", "--event", "audit_export", "--json")))
    assert [r["details"]["format"] for r in exports] == ["csv", "bundle"]
    assert json.loads(ok(cli("audit", "verify", "--json")).stdout)["ok"] is True


def test_cli_verify_names_the_first_bad_record(cli, backend: ScriptedBackend, tmp_path) -> None:
    ok(cli("ask", "Hello"))
    ok(cli("ask", "Hello again"))
    # Nothing new: each command checkpoints as it closes.
    assert "Nothing new since the last checkpoint." in ok(cli("audit", "checkpoint")).out
    database = audit_db(tmp_path)
    rows = database.execute("SELECT seq, record FROM audit_records ORDER BY seq").fetchall()
    calls = [(seq, record) for seq, record in rows if b'"model_call"' in record]
    assert len(calls) == 2
    model_call, record = calls[1]
    database.execute(
        "UPDATE audit_records SET record = ? WHERE seq = ?", (edited(record), model_call)
    )

    result = failed(cli("audit", "verify", "--json"))
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["first_bad_index"] == model_call
    assert {p["kind"] for p in report["problems"]} == {"edited", "root-mismatch"}
    failed(cli("audit", "verify"), f"FAILED: first bad record: {model_call}", "edited: record")
    database.close()


def test_cli_verify_reports_an_altered_unsigned_tail(
    cli, backend: ScriptedBackend, tmp_path: Path
) -> None:
    ok(cli("ask", "Hello"))
    # A record written by a process that stopped before its next checkpoint, then edited.
    store = SqliteAuditStore(tmp_path / "home" / "audit" / "audit.db")
    tail = store.append(
        lambda seq: AuditRecord(
            **event(0).model_dump(), seq=seq, time=utc_now(), sdk_version=__version__
        ).canonical()
    )
    store.close()
    database = audit_db(tmp_path)
    ((record,),) = database.execute("SELECT record FROM audit_records WHERE seq = ?", (tail,))
    database.execute("UPDATE audit_records SET record = ? WHERE seq = ?", (edited(record), tail))
    database.close()

    result = failed(cli("audit", "verify", "--json"), "AuditError", "nothing is signed")
    report = json.loads(result.stdout)
    assert report["first_bad_index"] == tail
    assert [p["kind"] for p in report["problems"]] == ["edited"]
    failed(cli("audit", "checkpoint"), f"audit record {tail} does not match its leaf hash")


def test_cli_verify_reports_a_forged_checkpoint(cli, backend: ScriptedBackend, tmp_path) -> None:
    ok(cli("ask", "Hello"))
    database = audit_db(tmp_path)
    ((size, signature),) = database.execute(
        "SELECT size, signature FROM audit_checkpoints ORDER BY size LIMIT 1"
    )
    database.execute(
        "UPDATE audit_checkpoints SET signature = ? WHERE size = ?",
        (bytes([signature[0] ^ 1]) + signature[1:], size),
    )
    database.close()
    result = failed(
        cli("audit", "verify"),
        "FAILED: no record is known to be altered",
        f"bad-signature: checkpoint at size {size} has a forged signature",
    )
    assert "Traceback" not in result.stderr
