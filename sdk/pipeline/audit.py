"""The audit stage: one PII-free record per call, allowed or denied, written last.

The record is built from what the stages reported (codes, counts and ids chosen by Tutela),
never from the messages. If it cannot be written the call fails with `AuditError`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from tutela.errors import AuditError
from tutela.governance.audit.log import AuditLog
from tutela.governance.audit.records import AuditEvent
from tutela.governance.audit.spool import Spool
from tutela.pipeline.call import Call, StageReport

_COUNTED = ("entities.", "redacted.")
log = logging.getLogger(__name__)


class AuditStage:
    name = "audit"

    def __init__(
        self,
        log: AuditLog,
        commit: Callable[[str, str], str],
        origin: str,
        key_ids: tuple[str, ...] = (),
        spool: Spool | None = None,
    ) -> None:
        """`commit(tenant, value)` is a keyed commitment (HMAC) for values a record must
        reference, such as a data subject's id; `key_ids` name the keys that protect the
        call's data (the KeyRing's KEK). With a `spool`, a record the store cannot take is
        buffered and the call goes on (buffer-and-alert); without one the call is refused."""
        self.log = log
        self.commit = commit
        self.origin = origin
        self.key_ids = key_ids
        self.spool = spool

    def run(self, call: Call) -> StageReport:
        event = audit_event(call, self.commit, self.origin)
        event = event.model_copy(update={"key_ids": self.key_ids})
        try:
            if self.spool is not None and self.spool.pending():
                self._drain()
            record = self.log.append(event)
        except AuditError:
            if self.spool is None:
                raise
            self.spool.put(event)
            log.error("the audit store failed: the record of call %s was buffered", call.id)
            return StageReport(
                stage=self.name,
                implementation="merkle-log",
                outcome="transform",
                elapsed_ms=0.0,
                detail={"buffered": 1},
            )
        return StageReport(
            stage=self.name,
            implementation="merkle-log",
            outcome="allow",
            elapsed_ms=0.0,
            detail={"seq": record.seq},
        )

    def _drain(self) -> None:
        """Write the buffered records, then an alert saying they were buffered."""
        count, since = self.spool.drain(self.log.append)
        if count:
            self.log.append(
                AuditEvent(
                    event_type="alert",
                    actor="tutela",
                    tenant="default",
                    outcome="error",
                    origin=self.origin,
                    resource="audit-log",
                    severity="high",
                    details={"buffered": count, "buffered_since": since or ""},
                )
            )


def audit_event(call: Call, commit: Callable[[str, str], str], origin: str) -> AuditEvent:
    decision = call.decision
    failed = [r for r in call.reports if r.outcome in ("error", "block") and r.stage != "restore"]
    denied = any(r.stage == "authorize" and r.outcome == "block" for r in call.reports)
    if denied:
        event_type, outcome = "access_denied", "denied"
    elif failed:
        event_type, outcome = _kind(call), "error"
    else:
        event_type = "break_glass" if decision and decision.break_glass else _kind(call)
        outcome = "success"
    counts: dict[str, int] = {}
    for report in call.reports:
        for key, value in report.detail.items():
            if key.startswith(_COUNTED) and isinstance(value, int):
                counts[key] = counts.get(key, 0) + value
    tenant = call.principal.tenant
    return AuditEvent(
        event_type=event_type,
        actor=call.principal.id,
        tenant=tenant,
        outcome=outcome,
        origin=origin,
        resource=f"domain:{call.domain.name}",
        purpose=call.purpose,
        decision=_decision(call),
        policy_ids=decision.reasons if decision else (),
        entity_counts=counts,
        model=call.model,
        backend=call.backend,
        timings_us={r.stage: int(r.elapsed_ms * 1000) for r in call.reports},
        chunk_ids=tuple(c.chunk_id for c in call.citations),
        request_id=call.id,
        break_glass=bool(decision and decision.break_glass),
        severity=decision.severity if decision else "normal",
        subject_ref=commit(tenant, call.subject) if call.subject else None,
        details={f"stage.{r.stage}": r.outcome for r in call.reports if r.stage != "audit"},
    )


def _kind(call: Call) -> str:
    return "search" if call.action == "search" else "model_call"


def _decision(call: Call) -> str | None:
    if call.decision is None:
        return None
    if call.decision.error:
        return "error"
    return "allow" if call.decision.allowed else "deny"
