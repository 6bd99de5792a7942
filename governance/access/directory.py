"""The user directory: who exists in each tenant, with which roles, ACL groups and attributes.

Users are stored per tenant (the same id in two tenants is two users). Roles must be declared
by a loaded policy pack, so a typo never creates a role that no policy knows.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from tutela.errors import AccessDenied, InputError, PolicyError
from tutela.governance.sqlite_file import open_private_database
from tutela.principal import Principal

UNKNOWN_PRINCIPAL = "tutela.unknown-principal"
_ATTRIBUTE = re.compile(r"[a-z][a-z0-9_]{0,31}")
_GROUP = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    tenant TEXT NOT NULL,
    id TEXT NOT NULL,
    roles TEXT NOT NULL,
    groups_ TEXT NOT NULL,
    attributes TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (tenant, id)
);
"""


class UserDirectory:
    """Users of every tenant in `database`; `roles` are the role names the packs declare."""

    def __init__(self, database: Path, roles: Iterable[str]) -> None:
        self.roles = frozenset(roles)
        try:
            self._db = open_private_database(database, _SCHEMA)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise PolicyError(
                f"the user directory {database} cannot be opened ({type(exc).__name__})"
            ) from None

    def add(
        self,
        user: str,
        *,
        roles: Iterable[str],
        tenant: str = "default",
        groups: Iterable[str] = (),
        attributes: Mapping[str, str] | None = None,
    ) -> Principal:
        principal = self._principal(user, tenant, roles, groups, attributes or {})
        if not principal.roles:
            raise InputError("a user needs at least one role: pass --role")
        try:
            with self._db:
                self._db.execute(
                    "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?)",
                    (tenant, user, *_encode(principal), time.time()),
                )
        except sqlite3.IntegrityError:
            raise InputError(
                f"user {user!r} already exists in tenant {tenant!r}: use grant or revoke to "
                "change their roles"
            ) from None
        return principal

    def get(self, user: str, tenant: str = "default") -> Principal:
        """The user as a principal; an unknown user is `AccessDenied` (never a default)."""
        row = self._db.execute(
            "SELECT roles, groups_, attributes FROM users WHERE tenant = ? AND id = ?",
            (tenant, user),
        ).fetchone()
        if row is None:
            raise AccessDenied(
                f"unknown user in tenant {tenant!r}: add them with `tutela users add`",
                (UNKNOWN_PRINCIPAL,),
            )
        return Principal(
            id=user,
            tenant=tenant,
            roles=frozenset(json.loads(row[0])),
            groups=frozenset(json.loads(row[1])),
            attributes=json.loads(row[2]),
        )

    def list(self, tenant: str | None = None) -> list[Principal]:
        query = "SELECT tenant, id FROM users"
        rows = (
            self._db.execute(query + " WHERE tenant = ? ORDER BY id", (tenant,))
            if tenant is not None
            else self._db.execute(query + " ORDER BY tenant, id")
        ).fetchall()
        return [self.get(user, tenant_) for tenant_, user in rows]

    def remove(self, user: str, tenant: str = "default") -> None:
        with self._db:
            cursor = self._db.execute(
                "DELETE FROM users WHERE tenant = ? AND id = ?", (tenant, user)
            )
        if cursor.rowcount == 0:
            raise InputError(f"no user {user!r} in tenant {tenant!r}")

    def grant(self, user: str, role: str, tenant: str = "default") -> Principal:
        current = self._existing(user, tenant)
        return self._replace(current, roles=current.roles | {self._role(role)})

    def revoke(self, user: str, role: str, tenant: str = "default") -> Principal:
        current = self._existing(user, tenant)
        if role not in current.roles:
            raise InputError(f"user {user!r} does not hold role {role!r}")
        if current.roles == {role}:
            raise InputError(f"{role!r} is the user's last role: remove the user instead")
        return self._replace(current, roles=current.roles - {role})

    def close(self) -> None:
        self._db.close()

    def _existing(self, user: str, tenant: str) -> Principal:
        try:
            return self.get(user, tenant)
        except AccessDenied:
            raise InputError(f"no user {user!r} in tenant {tenant!r}") from None

    def _replace(self, current: Principal, *, roles: frozenset[str]) -> Principal:
        updated = current.model_copy(update={"roles": roles})
        with self._db:
            self._db.execute(
                "UPDATE users SET roles = ? WHERE tenant = ? AND id = ?",
                (_encode(updated)[0], current.tenant, current.id),
            )
        return updated

    def _role(self, role: str) -> str:
        if role not in self.roles:
            raise InputError(
                f"unknown role {role!r}: roles are declared by policy packs "
                f"(known: {', '.join(sorted(self.roles))})"
            )
        return role

    def _principal(self, user, tenant, roles, groups, attributes) -> Principal:
        roles = frozenset(self._role(r) for r in roles)
        groups = frozenset(groups)
        for group in groups:
            if not _GROUP.fullmatch(group):
                raise InputError(f"invalid group name {group!r}: letters, digits and ._-")
        for key, value in attributes.items():
            if not _ATTRIBUTE.fullmatch(key) or not isinstance(value, str):
                raise InputError(
                    f"invalid attribute {key!r}: names are lower-case letters, digits and _, "
                    "values are text"
                )
        return Principal(
            id=user, tenant=tenant, roles=roles, groups=groups, attributes=dict(attributes)
        )


def _encode(principal: Principal) -> tuple[str, str, str]:
    return (
        json.dumps(sorted(principal.roles)),
        json.dumps(sorted(principal.groups)),
        json.dumps(principal.attributes, sort_keys=True),
    )
