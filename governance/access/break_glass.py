"""Break-glass: signed, time-limited grants for emergency treatment (purpose ETREAT), and the
queue in which every use waits for review.

A grant is a token `bg1.<payload>.<signature>`: the payload (grant id, tenant, user, purpose,
issue and expiry times) is signed with Ed25519, so a grant cannot be forged, widened or
extended without the signing key. The reason given for it may name a patient: it is stored
sealed by the KeyRing, never in the token. Policies decide what a valid grant permits; core
policies let it serve ETREAT only.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from tutela.errors import InputError, PolicyError
from tutela.governance.access.decision import GRANT_EXPIRED, GRANT_INVALID, GRANT_NOT_YOURS
from tutela.governance.envelope import Context
from tutela.governance.keyring import KeyRing
from tutela.governance.signing import Signer, verify_signature
from tutela.governance.sqlite_file import open_private_database
from tutela.principal import Principal

PURPOSE = "ETREAT"
MAX_TTL_SECONDS = 8 * 3600
_PREFIX = "bg1"
_TTL = re.compile(r"(\d+)\s*([smh])")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS break_glass_grants (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL,
    user_id TEXT NOT NULL,
    issued_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    reason BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS break_glass_uses (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    grant_id TEXT NOT NULL,
    used_at REAL NOT NULL,
    call_id TEXT NOT NULL,
    action TEXT NOT NULL,
    domain TEXT NOT NULL,
    reviewed_at REAL
);
"""


@dataclass(frozen=True)
class Grant:
    id: str
    tenant: str
    user: str
    purpose: str
    issued_at: float
    expires_at: float


@dataclass(frozen=True)
class GrantCheck:
    """A verified grant, or why a token is not one (`reason` is a tutela.* reason id)."""

    grant: Grant | None
    reason: str = ""
    explanation: str = ""


class GrantVerifier(Protocol):
    def check(self, token: str, principal: Principal) -> GrantCheck: ...


@dataclass(frozen=True)
class GrantUse:
    grant_id: str
    tenant: str
    user: str
    reason: str
    used_at: float
    call_id: str
    action: str
    domain: str
    reviewed: bool


def parse_ttl(text: str) -> float:
    """Seconds in "15m", "90s", "1h" (at most 8 hours)."""
    match = _TTL.fullmatch(text.strip().lower())
    if not match:
        raise InputError(f"cannot read the duration {text!r}: write e.g. 15m, 90s or 1h")
    seconds = int(match.group(1)) * {"s": 1, "m": 60, "h": 3600}[match.group(2)]
    if not 0 < seconds <= MAX_TTL_SECONDS:
        raise InputError("a break-glass grant lasts more than 0 seconds and at most 8h")
    return float(seconds)


class BreakGlass:
    """Issues and verifies grants and keeps their uses for review, in `database`."""

    def __init__(
        self,
        database: Path,
        keyring: KeyRing,
        signer: Signer,
        *,
        clock=time.time,
    ) -> None:
        self.keyring = keyring
        self.signer = signer
        self._public_key = signer.public_key()
        self._clock = clock
        try:
            self._db = open_private_database(database, _SCHEMA)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise PolicyError(
                f"the break-glass store {database} cannot be opened ({type(exc).__name__})"
            ) from None

    def issue(self, principal: Principal, reason: str, ttl_seconds: float) -> str:
        """A grant for `principal` to act for emergency treatment during `ttl_seconds`."""
        if not reason or not reason.strip():
            raise InputError("a break-glass grant needs a reason: say why access is needed")
        if not 0 < ttl_seconds <= MAX_TTL_SECONDS:
            raise InputError("a break-glass grant lasts more than 0 seconds and at most 8h")
        now = self._clock()
        grant = Grant(
            id=uuid.uuid4().hex,
            tenant=principal.tenant,
            user=principal.id,
            purpose=PURPOSE,
            issued_at=round(now, 3),
            expires_at=round(now + ttl_seconds, 3),
        )
        sealed = self.keyring.encrypt(
            reason.strip().encode("utf-8"),
            Context(grant.tenant, "break-glass", grant.id, "reason"),
        )
        with self._db:
            self._db.execute(
                "INSERT INTO break_glass_grants VALUES (?, ?, ?, ?, ?, ?)",
                (grant.id, grant.tenant, grant.user, grant.issued_at, grant.expires_at, sealed),
            )
        payload = json.dumps(grant.__dict__, sort_keys=True, separators=(",", ":")).encode()
        return ".".join((_PREFIX, _b64(payload), _b64(self.signer.sign(payload))))

    def check(self, token: str, principal: Principal) -> GrantCheck:
        """Whether `token` is an unexpired grant, signed here, issued to `principal`."""
        grant = self._verified(token)
        if grant is None:
            return GrantCheck(None, GRANT_INVALID, "the break-glass grant is forged or malformed")
        if grant.tenant != principal.tenant or grant.user != principal.id:
            return GrantCheck(
                None, GRANT_NOT_YOURS, "the break-glass grant was issued to another principal"
            )
        if self._clock() >= grant.expires_at:
            return GrantCheck(None, GRANT_EXPIRED, "the break-glass grant has expired")
        return GrantCheck(grant)

    def record_use(self, grant_id: str, call_id: str, action: str, domain: str) -> None:
        """Queue one use of a grant for review."""
        with self._db:
            self._db.execute(
                "INSERT INTO break_glass_uses (grant_id, used_at, call_id, action, domain) "
                "VALUES (?, ?, ?, ?, ?)",
                (grant_id, self._clock(), call_id, action, domain),
            )

    def uses(self, *, pending_only: bool = True) -> list[GrantUse]:
        """Uses of grants, oldest first, with their reasons (for the reviewer's eyes)."""
        rows = self._db.execute(
            "SELECT g.id, g.tenant, g.user_id, g.reason, u.used_at, u.call_id, u.action, "
            "u.domain, u.reviewed_at FROM break_glass_uses u JOIN break_glass_grants g "
            "ON g.id = u.grant_id"
            + (" WHERE u.reviewed_at IS NULL" if pending_only else "")
            + " ORDER BY u.seq"
        ).fetchall()
        return [
            GrantUse(
                grant_id=row[0],
                tenant=row[1],
                user=row[2],
                reason=self.keyring.decrypt(
                    row[3], Context(row[1], "break-glass", row[0], "reason")
                ).decode("utf-8"),
                used_at=row[4],
                call_id=row[5],
                action=row[6],
                domain=row[7],
                reviewed=row[8] is not None,
            )
            for row in rows
        ]

    def mark_reviewed(self, grant_id: str) -> int:
        """Mark every pending use of a grant as reviewed; returns how many."""
        with self._db:
            cursor = self._db.execute(
                "UPDATE break_glass_uses SET reviewed_at = ? "
                "WHERE grant_id = ? AND reviewed_at IS NULL",
                (self._clock(), grant_id),
            )
        if cursor.rowcount == 0:
            raise InputError(f"no pending use of grant {grant_id!r} to review")
        return cursor.rowcount

    def close(self) -> None:
        self._db.close()

    def _verified(self, token: str) -> Grant | None:
        if not isinstance(token, str):
            return None
        parts = token.strip().split(".")
        if len(parts) != 3 or parts[0] != _PREFIX:
            return None
        try:
            payload, signature = _unb64(parts[1]), _unb64(parts[2])
        except (binascii.Error, ValueError):
            return None
        if not verify_signature(self._public_key, payload, signature):
            return None
        try:
            grant = Grant(**json.loads(payload))
        except (ValueError, TypeError):
            return None
        return grant if grant.purpose == PURPOSE else None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
