"""Retention: how long each class of audit record keeps its content, with regulatory floors.

Purging a record drops its content but keeps its leaf hash, so the Merkle tree and every
checkpoint still verify. Records of a tenant under legal hold are never purged.

Floors (a shorter setting refuses to start):
- `access` (model calls, denials, break-glass): 6 years, as HIPAA keeps security
  documentation (45 CFR 164.316(b)(2)(i)); PCI DSS 10.5.1 asks for at least 12 months;
- `security` (policy changes, key rotation and erasure, legal holds, alerts): 6 years;
- `operations` (audit reads and exports, log start and stop): 12 months (PCI DSS 10.5.1).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from tutela.errors import ConfigError
from tutela.governance.audit.store import AuditStore

DAY = 86400
FLOORS_DAYS = {"access": 6 * 365, "security": 6 * 365, "operations": 365}
RECORD_CLASSES = {
    "model_call": "access",
    "search": "access",
    "ingest": "security",
    "document_deletion": "security",
    "access_denied": "access",
    "break_glass": "access",
    "policy_change": "security",
    "key_rotation": "security",
    "subject_erasure": "security",
    "legal_hold": "security",
    "audit_purge": "security",
    "alert": "security",
    "audit_read": "operations",
    "audit_export": "operations",
    "log_start": "operations",
    "log_stop": "operations",
}


def retention_days(configured: Mapping[str, int]) -> dict[str, int]:
    """The retention of each class: the configured days, never below the floor."""
    unknown = set(configured) - set(FLOORS_DAYS)
    if unknown:
        raise ConfigError(
            f"audit_retention_days: unknown record classes {', '.join(sorted(unknown))} "
            f"(known: {', '.join(FLOORS_DAYS)})"
        )
    days = dict(FLOORS_DAYS)
    for name, value in configured.items():
        if value < FLOORS_DAYS[name]:
            raise ConfigError(
                f"audit_retention_days.{name} is {value} days, below the regulatory floor of "
                f"{FLOORS_DAYS[name]} days"
            )
        days[name] = value
    return days


@dataclass(frozen=True)
class PurgeResult:
    purged: int
    held: int  # due, but kept because their tenant is under legal hold


def purge(
    store: AuditStore,
    days: Mapping[str, int],
    held: Callable[[str], bool],
    *,
    now: datetime.datetime | None = None,
    dry_run: bool = False,
) -> PurgeResult:
    """Drop the content of records older than their class's retention, except for tenants
    `held` says are under legal hold."""
    now = now or datetime.datetime.now(datetime.UTC)
    cutoffs = {
        name: (now - datetime.timedelta(days=value)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        for name, value in days.items()
    }
    due: list[int] = []
    kept = 0
    holds: dict[str, bool] = {}
    for stored in store.records():
        if stored.record is None:
            continue
        try:
            record = json.loads(stored.record)
            cutoff = cutoffs[RECORD_CLASSES[record["event_type"]]]
            old = record["time"] < cutoff
            tenant = record["tenant"]
        except (ValueError, KeyError, TypeError):
            continue  # not a record we can date: `audit verify` reports it, purge keeps it
        if not old:
            continue
        if tenant not in holds:
            holds[tenant] = held(tenant)
        if holds[tenant]:
            kept += 1
        else:
            due.append(stored.seq)
    if due and not dry_run:
        store.prune(due)
    return PurgeResult(len(due), kept)
