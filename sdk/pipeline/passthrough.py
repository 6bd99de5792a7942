"""Pass-through stages: placeholders for stages that are not built yet.

They change nothing and report the outcome "pass-through", so every answer shows which
protections were not applied to it. Each is replaced by its real stage as it lands:
retrieve (retrieval).
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
