"""Envelope encryption: data keys (DEKs) per tenant and per data subject, wrapped by KEKs.

Every record is sealed with a DEK of its scope: the tenant's, or the data subject's when the
record belongs to one person. DEKs are stored only wrapped by the key provider's KEK (in
`<home>/keys/keys.db`); unwrapped DEKs live in memory for `key_cache_seconds`. Destroying a
subject's wrapped DEKs (crypto-shredding) makes every record of that subject unreadable while
everything else stays readable. Rotation wraps the DEKs again under a new KEK version without
touching the data.

Nonces are 96 random bits. A DEK is retired after `max_uses` encryptions (2^24 by default,
far below the 2^32 random-nonce limit NIST SP 800-38D sets for AES-GCM); processes reserve
uses in blocks through the database, so the limit holds across processes.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tutela.errors import (
    CiphertextError,
    ConfigError,
    InputError,
    KeystoreError,
    LegalHoldError,
    SubjectErasedError,
)
from tutela.governance.envelope import (
    ALGORITHM_IDS,
    DEK_ID_BYTES,
    FIXED_HEADER_BYTES,
    NONCE_BYTES,
    TAG_BYTES,
    Context,
    Header,
    cipher,
    parse,
    seal,
    unseal,
)
from tutela.governance.key_provider import KekVersion, KeyProvider
from tutela.governance.sqlite_file import open_private_database
from tutela.settings import Settings

SCHEMA = """
CREATE TABLE IF NOT EXISTS deks (
    dek_id BLOB PRIMARY KEY,
    tenant TEXT NOT NULL,
    subject_ref TEXT NOT NULL,
    kek_id TEXT NOT NULL,
    kek_version INTEGER NOT NULL,
    wrapped BLOB,
    state TEXT NOT NULL CHECK (state IN ('active', 'retired', 'erased')),
    uses INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS one_active_dek ON deks (tenant, subject_ref)
    WHERE state = 'active';
CREATE TABLE IF NOT EXISTS legal_holds (
    tenant TEXT NOT NULL,
    subject_ref TEXT NOT NULL,
    reason BLOB NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (tenant, subject_ref)
);
CREATE TABLE IF NOT EXISTS index_key (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    kek_version INTEGER NOT NULL,
    wrapped BLOB NOT NULL
);
"""


TENANT_WIDE = "*"  # the subject name of a hold on a whole tenant


@dataclass
class _ActiveKey:
    dek_id: bytes
    aead: object
    header: bytes
    reserved: int  # encryptions this process may still do with this key
    expires: float  # re-checked against the keystore after this (erasure, rotation)


@dataclass(frozen=True)
class RotationResult:
    kek_version: int
    rewrapped: int


@dataclass(frozen=True)
class KeyStatus:
    kek_id: str
    kek_versions: list[KekVersion]
    current_version: int
    deks_by_state: dict[str, int]
    deks_by_kek_version: dict[int, int]
    legal_holds: int
    algorithm: str


@dataclass
class _Cached:
    """An unwrapped DEK held in memory until `expires`, with its AEAD objects per algorithm."""

    dek: bytes
    expires: float
    scope: tuple[str, str]
    aeads: dict[str, object] = field(default_factory=dict)

    def aead(self, algorithm: str):
        if algorithm not in self.aeads:
            self.aeads[algorithm] = cipher(algorithm, self.dek)
        return self.aeads[algorithm]


class KeyRing:
    def __init__(
        self,
        database: Path,
        provider: KeyProvider,
        *,
        algorithm: str = "AES-256-GCM",
        max_uses: int = 2**24,
        reserve: int = 4096,
        cache_seconds: float = 60.0,
    ) -> None:
        if algorithm not in ALGORITHM_IDS:
            raise ConfigError(
                f"unknown cipher {algorithm!r}: choose one of {sorted(ALGORITHM_IDS)}"
            )
        if not 1 <= reserve <= max_uses:
            raise ConfigError("reserve must be at least 1 and at most max_uses")
        self.provider = provider
        self.algorithm = algorithm
        self.max_uses = max_uses
        self._reserve = min(reserve, max_uses)
        self._cache_seconds = cache_seconds
        self._lock = threading.RLock()
        self._active: dict[tuple[str, str], _ActiveKey] = {}
        self._cache: dict[bytes, _Cached] = {}
        self._subject_refs: dict[tuple[str, str], str] = {}
        self._headers: dict[bytes, tuple[object, float]] = {}  # header bytes -> (AEAD, expiry)
        self._closed = False
        try:
            self._db = open_private_database(database, SCHEMA)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise KeystoreError(
                f"the keystore {database} cannot be opened ({type(exc).__name__}): restore it "
                "from a backup; nothing was changed"
            ) from None
        self._index_key = self._load_index_key()

    @classmethod
    def open(cls, settings: Settings, *, create: bool = False) -> KeyRing:
        """The keyring of a data directory, with the local provider and the master secret.

        Without `create`, a data directory that has no keystore is an error (`tutela init`
        creates one), so a mistyped home never yields an empty keystore.
        """
        from tutela.governance.local_key_provider import LocalKeyProvider
        from tutela.governance.master_secret import load_master_secret

        kek_file, database = settings.keys_dir / "kek.json", settings.keys_dir / "keys.db"
        if database.exists() and not kek_file.exists():
            raise KeystoreError(
                f"the KEK file {kek_file} is missing but the keystore {database} exists: restore "
                "kek.json from a backup; without it no record can be read"
            )
        if not create and not database.exists():
            raise KeystoreError(
                f"there is no keystore in {settings.keys_dir}: run `tutela init`, or check "
                "--home / TUTELA_HOME"
            )
        for folder in (settings.home, settings.keys_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        provider = LocalKeyProvider(kek_file, load_master_secret(settings))
        return cls(
            database,
            provider,
            algorithm=settings.cipher,
            cache_seconds=settings.key_cache_seconds,
        )

    # -- public operations -------------------------------------------------------------------

    def encrypt(self, plaintext: bytes, context: Context, *, subject: str | None = None) -> bytes:
        """Seal `plaintext` for `context`, with the subject's DEK when it names a person."""
        if not isinstance(plaintext, bytes | bytearray):
            raise InputError("encrypt takes bytes: encode text first")
        scope = (context.tenant, self._subject_ref(context.tenant, subject))
        with self._lock:
            self._check_open()
            key = self._active_key(scope)
            key.reserved -= 1
        return seal(key.aead, key.header, os.urandom(NONCE_BYTES), context, bytes(plaintext))

    def decrypt(self, ciphertext: bytes, context: Context) -> bytes:
        self._check_open()
        # Fast path: a header parsed and checked before, whose key is still cached. Its bytes
        # are authenticated with the body, so an altered header never matches and is parsed.
        if type(ciphertext) is bytes and len(ciphertext) > FIXED_HEADER_BYTES:
            end = FIXED_HEADER_BYTES + ciphertext[FIXED_HEADER_BYTES - 1]
            known = self._headers.get(ciphertext[:end])
            if (
                known is not None
                and known[1] > time.monotonic()
                and len(ciphertext) >= end + NONCE_BYTES + TAG_BYTES
            ):
                nonce = ciphertext[end : end + NONCE_BYTES]
                body = memoryview(ciphertext)[end + NONCE_BYTES :]
                return unseal(known[0], ciphertext[:end], nonce, body, context)
        header, header_bytes, nonce, body = parse(ciphertext)
        if header.kek_id != self.provider.kek_id:
            raise CiphertextError("the ciphertext was sealed under another key provider's KEK")
        cached = self._cached_key(header.dek_id)
        aead = cached.aead(header.algorithm)
        self._headers[header_bytes] = (aead, cached.expires)
        return unseal(aead, header_bytes, nonce, body, context)

    def blind_index(self, tenant: str, field_name: str, value: str) -> str:
        """A keyed HMAC-SHA256 of a value, to find records by value without storing it."""
        self._check_open()
        message = Context(tenant, "blind-index", field_name, value).encode()
        # Context.encode length-prefixes each part, so no two inputs share a message.
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()

    def rotate(self) -> RotationResult:
        """New KEK version; every live DEK and the index key are rewrapped, no data is read."""
        version = self.provider.rotate()
        count = 0
        with self._lock, self._transaction():
            rows = self._db.execute(
                "SELECT dek_id, tenant, subject_ref, kek_version, wrapped FROM deks "
                "WHERE state != 'erased' AND kek_version != ?",
                (version,),
            ).fetchall()
            for dek_id, tenant, subject_ref, old_version, wrapped in rows:
                aad = _dek_aad(dek_id, tenant, subject_ref)
                dek = self.provider.unwrap(old_version, wrapped, aad)
                new_version, rewrapped = self.provider.wrap(dek, aad)
                self._db.execute(
                    "UPDATE deks SET kek_version = ?, wrapped = ? WHERE dek_id = ?",
                    (new_version, rewrapped, dek_id),
                )
                count += 1
            old_version, wrapped = self._db.execute(
                "SELECT kek_version, wrapped FROM index_key WHERE id = 1"
            ).fetchone()
            index_key = self.provider.unwrap(old_version, wrapped, b"tutela-index-key")
            new_version, rewrapped = self.provider.wrap(index_key, b"tutela-index-key")
            self._db.execute(
                "UPDATE index_key SET kek_version = ?, wrapped = ? WHERE id = 1",
                (new_version, rewrapped),
            )
            self._active.clear()  # new ciphertexts carry the new KEK version
        return RotationResult(version, count)

    def erase_subject(self, tenant: str, subject: str) -> int:
        """Destroy every DEK of a data subject; return how many were destroyed."""
        subject_ref = self._subject_ref(tenant, subject)
        with self._lock, self._transaction():
            if self._held(tenant, subject_ref):
                raise LegalHoldError(
                    "this data subject (or their whole tenant) is under legal hold: release "
                    "the hold before erasing"
                )
            erased = self._db.execute(
                "UPDATE deks SET wrapped = NULL, state = 'erased' "
                "WHERE tenant = ? AND subject_ref = ? AND state != 'erased'",
                (tenant, subject_ref),
            ).rowcount
        # Move the WAL's copies of the wrapped keys into the zeroed main file, then drop it.
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with self._lock:
            self._active.pop((tenant, subject_ref), None)
            for dek_id in [k for k, v in self._cache.items() if v.scope == (tenant, subject_ref)]:
                del self._cache[dek_id]
            self._headers.clear()
        return erased

    def set_legal_hold(self, tenant: str, subject: str, reason: str) -> None:
        if not reason.strip():
            raise InputError("a legal hold needs a reason (a case or ticket reference)")
        subject_ref = self._subject_ref(tenant, subject)
        sealed = self.encrypt(
            reason.encode("utf-8"), Context(tenant, "legal_hold", subject_ref, "reason")
        )
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO legal_holds VALUES (?, ?, ?, ?)",
                (tenant, subject_ref, sealed, time.time()),
            )

    def under_legal_hold(self, tenant: str, subject: str = TENANT_WIDE) -> bool:
        """Whether the subject, or the tenant as a whole, is under legal hold."""
        with self._lock:
            return self._held(tenant, self._subject_ref(tenant, subject))

    def _held(self, tenant: str, subject_ref: str) -> bool:
        whole = self._subject_ref(tenant, TENANT_WIDE)
        return (
            self._db.execute(
                "SELECT 1 FROM legal_holds WHERE tenant = ? AND subject_ref IN (?, ?)",
                (tenant, subject_ref, whole),
            ).fetchone()
            is not None
        )

    def release_legal_hold(self, tenant: str, subject: str) -> bool:
        with self._lock:
            return bool(
                self._db.execute(
                    "DELETE FROM legal_holds WHERE tenant = ? AND subject_ref = ?",
                    (tenant, self._subject_ref(tenant, subject)),
                ).rowcount
            )

    def status(self) -> KeyStatus:
        with self._lock:
            states = dict(self._db.execute("SELECT state, COUNT(*) FROM deks GROUP BY state"))
            versions = dict(
                self._db.execute(
                    "SELECT kek_version, COUNT(*) FROM deks WHERE state != 'erased' "
                    "GROUP BY kek_version"
                )
            )
            holds = self._db.execute("SELECT COUNT(*) FROM legal_holds").fetchone()[0]
        return KeyStatus(
            kek_id=self.provider.kek_id,
            kek_versions=self.provider.versions(),
            current_version=self.provider.current_version(),
            deks_by_state={s: states.get(s, 0) for s in ("active", "retired", "erased")},
            deks_by_kek_version=versions,
            legal_holds=holds,
            algorithm=self.algorithm,
        )

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._active.clear()
                self._cache.clear()
                self._headers.clear()
                self._db.close()

    def __enter__(self) -> KeyRing:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _evict_expired(self, now: float) -> None:
        """Drop unwrapped keys past `key_cache_seconds` (run whenever a key is unwrapped)."""
        for dek_id in [k for k, v in self._cache.items() if v.expires <= now]:
            del self._cache[dek_id]
        for scope in [k for k, v in self._active.items() if v.expires <= now]:
            del self._active[scope]
        for header in [k for k, v in self._headers.items() if v[1] <= now]:
            del self._headers[header]

    def _check_open(self) -> None:
        if self._closed:
            raise KeystoreError("this keyring is closed: open it again with KeyRing.open()")

    # -- internals ---------------------------------------------------------------------------

    def _transaction(self):
        return _Transaction(self._db)

    def _subject_ref(self, tenant: str, subject: str | None) -> str:
        if subject is None:
            return ""
        ref = self._subject_refs.get((tenant, subject))
        if ref is None:
            if not isinstance(subject, str) or not subject.strip():
                raise InputError("a data subject id must be a non-empty string")
            ref = self.blind_index(tenant, "subject", subject)
            if len(self._subject_refs) >= 4096:
                self._subject_refs.clear()
            self._subject_refs[(tenant, subject)] = ref
        return ref

    def _load_index_key(self) -> bytes:
        with self._lock, self._transaction():
            row = self._db.execute(
                "SELECT kek_version, wrapped FROM index_key WHERE id = 1"
            ).fetchone()
            if row is None:
                version, wrapped = self.provider.wrap(os.urandom(32), b"tutela-index-key")
                self._db.execute("INSERT INTO index_key VALUES (1, ?, ?)", (version, wrapped))
                row = (version, wrapped)
        return self.provider.unwrap(row[0], row[1], b"tutela-index-key")

    def _active_key(self, scope: tuple[str, str]) -> _ActiveKey:
        key = self._active.get(scope)
        now = time.monotonic()
        if key is not None and key.reserved > 0 and key.expires > now:
            return key
        with self._transaction():
            row = self._db.execute(
                "UPDATE deks SET uses = uses + ? WHERE tenant = ? AND subject_ref = ? "
                "AND state = 'active' AND uses + ? <= ? RETURNING dek_id, kek_version, wrapped",
                (self._reserve, *scope, self._reserve, self.max_uses),
            ).fetchone()
            if row is None:  # no key yet, or its uses are spent: retire it and start another
                self._db.execute(
                    "UPDATE deks SET state = 'retired' WHERE tenant = ? AND subject_ref = ? "
                    "AND state = 'active'",
                    scope,
                )
                dek_id, dek = os.urandom(DEK_ID_BYTES), os.urandom(32)
                version, wrapped = self.provider.wrap(dek, _dek_aad(dek_id, *scope))
                self._db.execute(
                    "INSERT INTO deks VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?)",
                    (
                        dek_id,
                        *scope,
                        self.provider.kek_id,
                        version,
                        wrapped,
                        self._reserve,
                        time.time(),
                    ),
                )
            else:
                dek_id, version, wrapped = row
                dek = self.provider.unwrap(version, wrapped, _dek_aad(dek_id, *scope))
        header = Header(self.algorithm, self.provider.kek_id, version, dek_id).encode()
        self._evict_expired(now)
        cached = _Cached(dek, now + self._cache_seconds, scope)
        self._cache[dek_id] = cached
        key = _ActiveKey(
            dek_id, cached.aead(self.algorithm), header, self._reserve, now + self._cache_seconds
        )
        self._active[scope] = key
        return key

    def _cached_key(self, dek_id: bytes) -> _Cached:
        now = time.monotonic()
        cached = self._cache.get(dek_id)
        if cached is not None and cached.expires > now:
            return cached
        with self._lock:
            row = self._db.execute(
                "SELECT tenant, subject_ref, kek_version, wrapped, state FROM deks "
                "WHERE dek_id = ?",
                (dek_id,),
            ).fetchone()
        if row is None:
            raise CiphertextError("the ciphertext names a data key this keystore does not hold")
        tenant, subject_ref, version, wrapped, state = row
        if state == "erased":
            raise SubjectErasedError(
                "this record belongs to a data subject whose keys were erased: it cannot be read"
            )
        dek = self.provider.unwrap(version, wrapped, _dek_aad(dek_id, tenant, subject_ref))
        cached = _Cached(dek, now + self._cache_seconds, (tenant, subject_ref))
        with self._lock:
            self._evict_expired(now)
            self._cache[dek_id] = cached
        return cached


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error: a failed change leaves no trace."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, value, traceback) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")


def _dek_aad(dek_id: bytes, tenant: str, subject_ref: str) -> bytes:
    return b"tutela-dek|" + dek_id + b"|" + tenant.encode("utf-8") + b"|" + subject_ref.encode()
