"""Pass-through stages: placeholders for stages that are not built yet.

They change nothing and report the outcome "pass-through", so every answer shows which
protections were not applied to it. Each is replaced by its real stage as it lands:
authorize (access control), protect input / protect output / restore (PII protection),
retrieve (retrieval) and audit (audit trail).
"""

from __future__ import annotations

from tutela.pipeline.call import Call, StageReport


def _report(stage: str) -> StageReport:
    return StageReport(
        stage=stage, implementation="pass-through", outcome="pass-through", elapsed_ms=0.0
    )


class PassThroughStage:
    """A `CallStage` that lets the call go on unchanged."""

    def __init__(self, name: str) -> None:
        self.name = name

    def run(self, call: Call) -> StageReport:
        return _report(self.name)


class _PassThroughFilter:
    def __init__(self, name: str) -> None:
        self._name = name

    def push(self, text: str) -> str:
        return text

    def close(self) -> str:
        return ""

    def report(self) -> StageReport:
        return _report(self._name)


class PassThroughTextStage:
    """A `TextStage` that shows the model's output as it comes."""

    def __init__(self, name: str) -> None:
        self.name = name

    def open(self, call: Call) -> _PassThroughFilter:
        return _PassThroughFilter(self.name)
