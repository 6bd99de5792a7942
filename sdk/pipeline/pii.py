"""The PII stages: protect input, protect output, restore.

- protect input: every user and assistant turn is pseudonymized (or masked, generalized...)
  as the profile says, in the caller's scope (tenant and conversation); the model sees tokens.
- protect output: the model's text is scanned one sentence or line at a time; personal data
  in it that is not a token (so not supplied by the caller) is redacted.
- restore: tokens issued in the caller's scope become their values again, in a stream that
  never shows part of a token, if the policies let the caller `reveal` the call's subject.
"""

from __future__ import annotations

import re

from tutela.governance.access.decision import Decision, PolicyDecisionPoint
from tutela.governance.pii.protector import PiiProtector
from tutela.governance.pii.restore import StreamRestorer
from tutela.governance.pii.vault import Scope
from tutela.pipeline.authorize import may_reveal
from tutela.pipeline.call import Call, StageReport
from tutela.runtime.protocol import ChatMessage

# Output is scanned in pieces that end at a line break, or at a sentence end once this much
# text is waiting, or at a space once a piece grows past MAX_PENDING characters.
MIN_SENTENCE = 60
MAX_PENDING = 400
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s")


def scope_of(call: Call) -> Scope:
    return Scope(call.principal.tenant, call.conversation)


def _counts(counts: dict[str, int], prefix: str) -> dict[str, int | str]:
    return {f"{prefix}{kind}": count for kind, count in sorted(counts.items())}


class ProtectInputStage:
    name = "protect_input"

    def __init__(self, protector: PiiProtector) -> None:
        self.protector = protector

    def run(self, call: Call) -> StageReport:
        scope = scope_of(call)
        totals: dict[str, int] = {}
        protected_messages = []
        for message in call.messages:
            if message.role == "system":
                protected_messages.append(message)
                continue
            protected = self.protector.protect(message.content, scope)
            for kind, count in protected.counts().items():
                totals[kind] = totals.get(kind, 0) + count
            protected_messages.append(ChatMessage(message.role, protected.text))
        call.messages = protected_messages
        return StageReport(
            stage=self.name,
            implementation=f"presidio/{self.protector.profile.name}",
            outcome="transform" if totals else "allow",
            elapsed_ms=0.0,
            detail=_counts(totals, "entities."),
        )


class _OutputFilter:
    def __init__(self, protector: PiiProtector) -> None:
        self._protector = protector
        self._pending = ""
        self._totals: dict[str, int] = {}

    def push(self, text: str) -> str:
        self._pending += text
        cut = _cut(self._pending)
        if cut == 0:
            return ""
        ready, self._pending = self._pending[:cut], self._pending[cut:]
        return self._scan(ready)

    def close(self) -> str:
        ready, self._pending = self._pending, ""
        return self._scan(ready) if ready else ""

    def report(self) -> StageReport:
        return StageReport(
            stage="protect_output",
            implementation=f"presidio/{self._protector.profile.name}",
            outcome="transform" if self._totals else "allow",
            elapsed_ms=0.0,
            detail=_counts(self._totals, "redacted."),
        )

    def _scan(self, text: str) -> str:
        protected = self._protector.redact_unsupplied(text)
        for kind, count in protected.counts().items():
            self._totals[kind] = self._totals.get(kind, 0) + count
        return protected.text


def _cut(pending: str) -> int:
    """How much of the pending output can be scanned now (0: wait for more)."""
    line = pending.rfind("\n")
    if line != -1:
        return line + 1
    if len(pending) >= MIN_SENTENCE:
        ends = [m.end() for m in _SENTENCE_END.finditer(pending)]
        if ends:
            return ends[-1]
    if len(pending) > MAX_PENDING:
        space = pending.rfind(" ", 0, len(pending) - 40)
        if space > 0:
            return space + 1
    return 0


class ProtectOutputStage:
    name = "protect_output"

    def __init__(self, protector: PiiProtector) -> None:
        self.protector = protector

    def open(self, call: Call) -> _OutputFilter:
        return _OutputFilter(self.protector)


class _RestoreFilter:
    def __init__(self, stream: StreamRestorer, profile: str) -> None:
        self._stream = stream
        self._profile = profile

    def push(self, text: str) -> str:
        return self._stream.push(text)

    def close(self) -> str:
        return self._stream.close()

    def report(self) -> StageReport:
        restorer = self._stream.restorer
        return StageReport(
            stage="restore",
            implementation=f"vault/{self._profile}",
            outcome="transform" if restorer.restored else "allow",
            elapsed_ms=0.0,
            detail={
                "restored": restorer.restored,
                "unknown_tokens": restorer.unknown,
                "dropped_partial": self._stream.dropped,
            },
        )


class _WithheldFilter:
    """Restore refused by policy: the answer keeps its tokens."""

    def __init__(self, decision: Decision) -> None:
        self._decision = decision

    def push(self, text: str) -> str:
        return text

    def close(self) -> str:
        return ""

    def report(self) -> StageReport:
        return StageReport(
            stage="restore",
            implementation="cedar",
            outcome="block",
            elapsed_ms=0.0,
            detail={"withheld": 1, "policies": ",".join(self._decision.reasons)},
        )


class RestoreStage:
    """Puts real values back, if the policies let the caller `reveal` the call's subject."""

    name = "restore"

    def __init__(self, protector: PiiProtector, pdp: PolicyDecisionPoint) -> None:
        self.protector = protector
        self.pdp = pdp

    def open(self, call: Call) -> _RestoreFilter | _WithheldFilter:
        decision = may_reveal(self.pdp, call)
        if not decision.allowed:
            return _WithheldFilter(decision)
        restorer = self.protector.restorer(scope_of(call), (m.content for m in call.messages))
        return _RestoreFilter(restorer.stream(), self.protector.profile.name)
