"""The governed call: every model call runs these stages, in this order.

    authorize -> protect input -> retrieve -> generate -> protect output -> restore -> audit

A stage that fails stops the call: the caller gets a typed error, never an unprotected answer,
and the audit stage still runs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from tutela.errors import AccessDenied, AuditError, StageError, TutelaError
from tutela.governance.access.break_glass import BreakGlass
from tutela.governance.access.decision import PolicyDecisionPoint
from tutela.governance.pii.protector import PiiProtector
from tutela.pipeline.authorize import AuthorizeStage
from tutela.pipeline.call import Call, StageReport
from tutela.pipeline.generate import GenerateStage
from tutela.pipeline.pii import ProtectInputStage, ProtectOutputStage, RestoreStage
from tutela.pipeline.retrieve import RetrievalOff
from tutela.pipeline.stage import CallStage, TextFilter, TextStage
from tutela.runtime.protocol import ChatBackend

__all__ = ["Call", "CallStage", "GenerateStage", "Pipeline", "StageReport", "TextStage"]

log = logging.getLogger(__name__)


@dataclass
class Pipeline:
    authorize: CallStage
    protect_input: CallStage
    retrieve: CallStage
    generate: GenerateStage
    protect_output: TextStage
    restore: TextStage
    audit: CallStage

    @classmethod
    def default(
        cls,
        backend: ChatBackend,
        protector: PiiProtector,
        pdp: PolicyDecisionPoint,
        audit: CallStage,
        break_glass: BreakGlass | None = None,
        retrieve: CallStage | None = None,
    ) -> Pipeline:
        """The standard stages; without `retrieve` (a `RetrieveStage`) nothing is retrieved."""
        return cls(
            authorize=AuthorizeStage(pdp, break_glass),
            protect_input=ProtectInputStage(protector),
            retrieve=retrieve or RetrievalOff(),
            generate=GenerateStage(backend),
            protect_output=ProtectOutputStage(protector),
            restore=RestoreStage(protector, pdp),
            audit=audit,
        )

    def search(self, call: Call) -> None:
        """Run a search call (`call.action == "search"`): authorize, protect the query,
        retrieve (into `call.retrieved`) and audit; nothing is generated."""
        with self._governed(call) as current:
            self._prepare(call, current)

    def run(self, call: Call) -> Iterator[str]:
        """Run the call; yield the text the caller may see, as it becomes safe to show."""
        with self._governed(call) as current:
            self._prepare(call, current)
            current.stage = "protect_output"
            filters = [_Timed(self.protect_output.open(call)), _Timed(self.restore.open(call))]
            current.stage = "generate"
            for text in self.generate.run(call):
                current.stage = "protect_output"
                shown = _through(filters, text)
                current.stage = "generate"
                if shown:
                    yield shown
            current.stage = "protect_output"
            tail = _close(filters)
            if tail:
                yield tail
            for text_filter in filters:
                call.record(text_filter.report())

    def _prepare(self, call: Call, current: _Current) -> None:
        for stage in (self.authorize, self.protect_input, self.retrieve):
            current.stage = stage.name
            if stage is self.protect_input:
                # A retrieve stage may start on the query while protection runs.
                prefetch = getattr(self.retrieve, "prefetch", None)
                if prefetch is not None:
                    prefetch(call)
            _timed(stage, call)

    @contextmanager
    def _governed(self, call: Call) -> Iterator[_Current]:
        """Record a failing stage, turn unexpected errors into `StageError`, audit always."""
        current = _Current("authorize")
        try:
            yield current
        except TutelaError as exc:
            call.record(_failure(current.stage, exc))
            raise
        except Exception as exc:
            # Only the error's type is logged: its message could quote user text.
            log.error("stage %s failed in call %s (%s)", current.stage, call.id, type(exc).__name__)
            call.record(_failure(current.stage, exc))
            raise StageError(current.stage, exc) from None
        finally:
            _audit(self.audit, call)


@dataclass
class _Current:
    stage: str


def _failure(stage: str, exc: BaseException) -> StageReport:
    if isinstance(exc, AccessDenied):
        return StageReport(
            stage=stage,
            implementation="cedar",
            outcome="block",
            elapsed_ms=0.0,
            detail={"error": "AccessDenied", "policies": ",".join(exc.reasons)},
        )
    return StageReport(
        stage=stage,
        implementation="-",
        outcome="error",
        elapsed_ms=0.0,
        detail={"error": type(exc).__name__},
    )


def _audit(stage: CallStage, call: Call) -> None:
    """Run the audit stage; if it cannot record the call, the call fails with `AuditError`."""
    try:
        _timed(stage, call)
    except AuditError:
        raise
    except Exception as exc:
        log.error("audit failed in call %s (%s)", call.id, type(exc).__name__)
        raise AuditError(
            f"the audit record of call {call.id} could not be written ({type(exc).__name__}): "
            "the call is refused; check the audit store"
        ) from None


def _timed(stage: CallStage, call: Call) -> None:
    started = time.perf_counter()
    report = stage.run(call)
    elapsed = (time.perf_counter() - started) * 1000.0
    call.record(report.model_copy(update={"elapsed_ms": elapsed}))


class _Timed:
    """A text filter that adds up the time spent in it, for its report."""

    def __init__(self, text_filter: TextFilter) -> None:
        self._filter = text_filter
        self._elapsed = 0.0

    def push(self, text: str) -> str:
        started = time.perf_counter()
        try:
            return self._filter.push(text)
        finally:
            self._elapsed += time.perf_counter() - started

    def close(self) -> str:
        started = time.perf_counter()
        try:
            return self._filter.close()
        finally:
            self._elapsed += time.perf_counter() - started

    def report(self) -> StageReport:
        return self._filter.report().model_copy(update={"elapsed_ms": self._elapsed * 1000.0})


def _through(filters: list[TextFilter], text: str) -> str:
    for text_filter in filters:
        if not text:
            break
        text = text_filter.push(text)
    return text


def _close(filters: list[TextFilter]) -> str:
    carry = ""
    for text_filter in filters:
        carry = (text_filter.push(carry) if carry else "") + text_filter.close()
    return carry
