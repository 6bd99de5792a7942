"""The generate stage: the one place a model is called, through a runtime backend."""

from __future__ import annotations

import time
from collections.abc import Iterator

from tutela.pipeline.call import Call, StageReport
from tutela.runtime.protocol import ChatBackend, ChatRequest


class GenerateStage:
    name = "generate"

    def __init__(self, backend: ChatBackend) -> None:
        self.backend = backend

    def run(self, call: Call) -> Iterator[str]:
        """Yield the model's output as it is generated; record model, usage and finish."""
        started = time.perf_counter()
        request = ChatRequest(
            messages=tuple(call.messages),
            max_tokens=call.max_tokens,
            temperature=call.temperature,
            seed=call.seed,
            stop=call.stop,
        )
        call.model, call.backend = self.backend.model_id, self.backend.name
        for delta in self.backend.stream(request):
            if delta.text:
                yield delta.text
            if delta.finish_reason:
                call.finish_reason, call.usage = delta.finish_reason, delta.usage
        detail: dict[str, int | str] = {"model": self.backend.model_id}
        if call.usage is not None:
            detail["prompt_tokens"] = call.usage.prompt_tokens
            detail["completion_tokens"] = call.usage.completion_tokens
        call.record(
            StageReport(
                stage=self.name,
                implementation=self.backend.name,
                outcome="allow",
                elapsed_ms=(time.perf_counter() - started) * 1000.0,
                detail=detail,
            )
        )
