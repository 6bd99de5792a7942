"""Searching and exporting audit records, with documented, stable CSV columns."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tutela.governance.audit.store import AuditStore

# The export's columns, in order. New columns are only ever added at the end.
CSV_COLUMNS = (
    "seq",
    "time",
    "event_type",
    "actor",
    "tenant",
    "outcome",
    "origin",
    "resource",
    "purpose",
    "decision",
    "policy_ids",
    "entity_counts",
    "model",
    "backend",
    "chunk_ids",
    "key_ids",
    "request_id",
    "break_glass",
    "severity",
    "subject_ref",
    "timings_us",
    "details",
    "sdk_version",
    "schema_version",
)


@dataclass(frozen=True)
class RecordFilter:
    """Criteria a record must all meet; None matches anything. Times are ISO 8601 UTC."""

    since: str | None = None
    until: str | None = None
    tenant: str | None = None
    actor: str | None = None
    event_type: str | None = None
    outcome: str | None = None
    purpose: str | None = None
    policy_id: str | None = None
    model: str | None = None
    break_glass: bool | None = None

    def matches(self, record: dict) -> bool:
        time = record.get("time", "")
        return (
            (self.since is None or time >= self.since)
            and (self.until is None or time < self.until)
            and all(
                expected is None or record.get(key) == expected
                for key, expected in (
                    ("tenant", self.tenant),
                    ("actor", self.actor),
                    ("event_type", self.event_type),
                    ("outcome", self.outcome),
                    ("purpose", self.purpose),
                    ("model", self.model),
                    ("break_glass", self.break_glass),
                )
            )
            and (self.policy_id is None or self.policy_id in record.get("policy_ids", ()))
        )


def search(store: AuditStore, criteria: RecordFilter, limit: int | None = None) -> Iterator[dict]:
    """Matching records, oldest first (pruned records are skipped)."""
    found = 0
    for stored in store.records():
        if stored.record is None:
            continue
        try:
            record = json.loads(stored.record)
        except ValueError:
            continue  # `audit verify` reports it
        if criteria.matches(record):
            yield record
            found += 1
            if limit is not None and found >= limit:
                return


def to_csv(records: Iterable[dict]) -> Iterator[str]:
    """CSV lines (header first) with CSV_COLUMNS; lists joined by ";", mappings as k=v."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield flush()
    for record in records:
        writer.writerow(_cell(record.get(column)) for column in CSV_COLUMNS)
        yield flush()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return ";".join(f"{k}={v}" for k, v in sorted(value.items()))
    return str(value)
