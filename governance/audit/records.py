"""Audit records: what is written for every governed call and every governance event.

A record holds the PCI DSS 10.2.2 fields (actor, event type, UTC time, outcome, origin,
affected resource) and Tutela's own (tenant, purpose, decision and policy ids, entity types and
counts, model and backend, retrieved chunk ids, key ids, timings, request id, SDK version).
It never holds personal data: a value that must be referenced (a data subject) is a keyed
commitment (HMAC), never the value or a plain hash of it.

Records are stored as canonical JSON (sorted keys, no spaces, UTF-8, integers only), so the
same record always has the same bytes and the same Merkle leaf.
"""

from __future__ import annotations

import datetime
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

EventType = Literal[
    "model_call",  # a governed call that ran (allowed)
    "search",  # a governed retrieval without generation (allowed)
    "ingest",  # documents added to or replaced in a domain's indexes
    "document_deletion",  # a document's chunks removed from every index
    "access_denied",  # a call or action refused by policy
    "break_glass",  # a call allowed through a break-glass grant
    "policy_change",
    "key_rotation",
    "subject_erasure",
    "legal_hold",  # placed or released
    "audit_read",
    "audit_export",
    "audit_purge",  # retention dropped the content of old records
    "log_start",
    "log_stop",
    "alert",  # the audit trail itself needs attention (e.g. records were buffered)
]
EVENT_TYPES: tuple[str, ...] = EventType.__args__  # type: ignore[attr-defined]
Outcome = Literal["success", "denied", "error"]
_ID = r"^[A-Za-z0-9][A-Za-z0-9._@:/-]{0,127}$"


class AuditEvent(BaseModel):
    """What happened, as the caller reports it. Only ids, codes and counts: no free text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: EventType
    actor: str = Field(pattern=_ID)
    tenant: str = Field(pattern=_ID)
    outcome: Outcome
    origin: str = Field(default="python", pattern=r"^[a-z][a-z0-9_-]{0,31}$")
    resource: str = Field(default="", max_length=256)  # e.g. "domain:healthcare"
    purpose: str | None = Field(default=None, pattern=r"^[A-Z][A-Z0-9_]{1,31}$")
    decision: Literal["allow", "deny", "error"] | None = None
    policy_ids: tuple[str, ...] = ()
    entity_counts: dict[str, int] = Field(default_factory=dict)
    model: str | None = None
    backend: str | None = None
    chunk_ids: tuple[str, ...] = ()
    key_ids: tuple[str, ...] = ()
    timings_us: dict[str, int] = Field(default_factory=dict)  # stage -> microseconds
    request_id: str | None = Field(default=None, pattern=_ID)
    break_glass: bool = False
    severity: Literal["normal", "high"] = "normal"
    subject_ref: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")  # keyed HMAC
    details: dict[str, str | int] = Field(default_factory=dict)  # codes and counts only


class AuditRecord(AuditEvent):
    """An event as stored: numbered, timed and versioned."""

    seq: int = Field(ge=0)
    time: str  # UTC, ISO 8601 with microseconds and "Z"
    schema_version: int = SCHEMA_VERSION
    sdk_version: str

    def canonical(self) -> bytes:
        return canonical_json(self.model_dump(mode="json"))

    @classmethod
    def parse(cls, data: bytes) -> AuditRecord:
        """A record from its stored bytes (raises ValueError if they are not one)."""
        return cls.model_validate_json(data)


def canonical_json(value: dict) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def utc_now() -> str:
    now = datetime.datetime.now(datetime.UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
