"""The pseudonym vault: which token stands for which value, per tenant and conversation.

Values are stored only sealed by the `KeyRing` (AES-GCM, with the tenant's or the data
subject's key), bound to their tenant, scope and token. Rows are found by keyed HMACs
(`KeyRing.blind_index`), so neither a value nor a scope name is stored in the clear. The same
value gets the same token within its scope, from any thread or process: a token is assigned
inside one `BEGIN IMMEDIATE` transaction of SQLite. Rows expire `ttl_seconds` after their last
use; `purge_expired` deletes them.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tutela.errors import CiphertextError, InputError, KeystoreError, VaultError
from tutela.governance.envelope import Context
from tutela.governance.keyring import KeyRing
from tutela.governance.pii.tokens import format_token
from tutela.governance.sqlite_file import open_private_database

SCHEMA = """
CREATE TABLE IF NOT EXISTS pseudonyms (
    scope_ref TEXT NOT NULL,
    lookup TEXT NOT NULL,
    token TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    number INTEGER NOT NULL,
    sealed BLOB NOT NULL,
    expires REAL NOT NULL,
    PRIMARY KEY (scope_ref, lookup),
    UNIQUE (scope_ref, token)
);
CREATE INDEX IF NOT EXISTS pseudonyms_expiry ON pseudonyms (expires);
"""


@dataclass(frozen=True)
class Scope:
    """Where tokens are shared: one tenant, and within it one conversation (or `"*"`: the
    whole tenant). `subject` names the data subject whose key seals the values, if known."""

    tenant: str
    conversation: str = "*"
    subject: str | None = None

    def __post_init__(self) -> None:
        for name in ("tenant", "conversation"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise InputError(f"a vault scope needs a non-empty {name}")


class PseudonymVault:
    """Token <-> value mappings, sealed with the keyring. Safe across threads and processes."""

    def __init__(self, database: Path, keyring: KeyRing, *, ttl_seconds: float) -> None:
        if ttl_seconds <= 0:
            raise InputError("the vault's time to live must be positive")
        self.keyring = keyring
        self.ttl_seconds = ttl_seconds
        self._lock = threading.Lock()
        try:
            self._db = open_private_database(database, SCHEMA)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise VaultError(
                f"the vault {database} cannot be opened ({type(exc).__name__}): check the file "
                "and its folder, or restore it from a backup; nothing was changed"
            ) from None

    def tokenize(self, scope: Scope, entity_type: str, value: str) -> str:
        """The token of `value` in `scope`: the one it already has, or a new one."""
        return self.tokenize_all(scope, [(entity_type, value)])[0]

    def tokenize_all(self, scope: Scope, items: Sequence[tuple[str, str]]) -> list[str]:
        """The tokens of (entity type, value) pairs, in one transaction: one disk sync per
        text rather than one per value."""
        if not items:
            return []
        scope_ref = self._scope_ref(scope)
        lookups = [self._lookup(scope, scope_ref, kind, value) for kind, value in items]
        expires = time.time() + self.ttl_seconds
        try:
            with self._lock:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    tokens = [
                        self._find_or_add(scope, scope_ref, lookup, kind, value, expires)
                        for lookup, (kind, value) in zip(lookups, items, strict=True)
                    ]
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise _vault_error(exc) from None
        return tokens

    def values(self, scope: Scope, tokens: set[str] | frozenset[str]) -> dict[str, str]:
        """The values of those `tokens` that were issued in `scope` and have not expired."""
        if not tokens:
            return {}
        scope_ref = self._scope_ref(scope)
        found: dict[str, str] = {}
        wanted = sorted(tokens)
        try:
            with self._lock:
                rows = []
                for start in range(0, len(wanted), 500):
                    part = wanted[start : start + 500]
                    marks = ",".join("?" * len(part))
                    rows += self._db.execute(
                        "SELECT token, sealed FROM pseudonyms WHERE scope_ref = ? AND expires > ? "
                        f"AND token IN ({marks})",
                        (scope_ref, time.time(), *part),
                    ).fetchall()
        except sqlite3.DatabaseError as exc:
            raise _vault_error(exc) from None
        for token, sealed in rows:
            found[token] = self._open(scope, scope_ref, token, sealed)
        return found

    def purge_expired(self) -> int:
        """Delete expired mappings; returns how many."""
        try:
            with self._lock:
                cursor = self._db.execute(
                    "DELETE FROM pseudonyms WHERE expires <= ?", (time.time(),)
                )
        except sqlite3.DatabaseError as exc:
            raise _vault_error(exc) from None
        return cursor.rowcount

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> PseudonymVault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ---------------------------------------------------------------------------

    def _scope_ref(self, scope: Scope) -> str:
        return self.keyring.blind_index(scope.tenant, "pii-scope", scope.conversation)

    def _lookup(self, scope: Scope, scope_ref: str, entity_type: str, value: str) -> str:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            # Lone surrogates (undecodable input bytes) have no UTF-8 form, so the index's
            # context cannot hold the value: index its surrogatepass bytes instead, under another
            # field name, so that no value without surrogates can share the lookup.
            raw = value.encode("utf-8", "surrogatepass").hex()
            return self.keyring.blind_index(
                scope.tenant, f"pii-raw:{scope_ref}", f"{entity_type}:{raw}"
            )
        return self.keyring.blind_index(scope.tenant, f"pii:{scope_ref}", f"{entity_type}:{value}")

    def _find_or_add(
        self,
        scope: Scope,
        scope_ref: str,
        lookup: str,
        entity_type: str,
        value: str,
        expires: float,
    ) -> str:
        row = self._db.execute(
            "SELECT token FROM pseudonyms WHERE scope_ref = ? AND lookup = ?", (scope_ref, lookup)
        ).fetchone()
        if row is not None:
            self._db.execute(
                "UPDATE pseudonyms SET expires = max(expires, ?) "
                "WHERE scope_ref = ? AND lookup = ?",
                (expires, scope_ref, lookup),
            )
            return row[0]
        (highest,) = self._db.execute(
            "SELECT coalesce(max(number), 0) FROM pseudonyms "
            "WHERE scope_ref = ? AND entity_type = ?",
            (scope_ref, entity_type),
        ).fetchone()
        number = highest + 1
        token = format_token(entity_type, number)
        sealed = self.keyring.encrypt(
            value.encode("utf-8", "surrogatepass"),
            Context(scope.tenant, "pseudonym", f"{scope_ref}:{token}", "value"),
            subject=scope.subject,
        )
        self._db.execute(
            "INSERT INTO pseudonyms VALUES (?, ?, ?, ?, ?, ?, ?)",
            (scope_ref, lookup, token, entity_type, number, sealed, expires),
        )
        return token

    def _open(self, scope: Scope, scope_ref: str, token: str, sealed: bytes) -> str:
        context = Context(scope.tenant, "pseudonym", f"{scope_ref}:{token}", "value")
        try:
            plain = self.keyring.decrypt(sealed, context)
        except (CiphertextError, KeystoreError) as exc:
            raise VaultError(
                f"the vault entry for {token} cannot be opened ({type(exc).__name__}): the entry "
                "was altered or its key erased; the value is not restored"
            ) from None
        return plain.decode("utf-8", "surrogatepass")


def _vault_error(exc: sqlite3.DatabaseError) -> VaultError:
    return VaultError(
        f"the vault could not be used ({type(exc).__name__}): the call is refused; check the "
        "vault file and free disk space"
    )
