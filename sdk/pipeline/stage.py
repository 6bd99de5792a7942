"""The two shapes of pipeline stage.

A `CallStage` runs before generation (authorize, protect input, retrieve) or after it (audit):
it inspects or narrows the call and returns a `StageReport`. A `TextStage` runs on the model's
output (protect output, restore); it sees the text as a stream, so it returns a `TextFilter`
that takes chunks and releases only text that is safe to show.
"""

from __future__ import annotations

from typing import Protocol

from tutela.pipeline.call import Call, StageReport


class CallStage(Protocol):
    name: str

    def run(self, call: Call) -> StageReport: ...


class TextFilter(Protocol):
    def push(self, text: str) -> str:
        """Take the next chunk of output; return the text that may be shown now."""
        ...

    def close(self) -> str:
        """The stream ended: return what may still be shown (fail closed on anything partial)."""
        ...

    def report(self) -> StageReport: ...


class TextStage(Protocol):
    name: str

    def open(self, call: Call) -> TextFilter: ...
