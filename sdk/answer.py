"""What a governed call returns."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from tutela.pipeline.call import Call, StageReport
from tutela.runtime.protocol import FinishReason


class TokenUsage(BaseModel):
    model_config = ConfigDict(frozen=True)

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class Answer(BaseModel):
    """The answer to one call, with what each pipeline stage did to produce it."""

    model_config = ConfigDict(frozen=True)

    call_id: str
    text: str
    domain: str
    model: str
    backend: str
    finish_reason: FinishReason
    usage: TokenUsage | None
    stages: list[StageReport]
    elapsed_ms: float

    @classmethod
    def from_call(cls, call: Call, text: str) -> Answer:
        usage = call.usage
        return cls(
            call_id=call.id,
            text=text,
            domain=call.domain.name,
            model=call.model or "",
            backend=call.backend or "",
            finish_reason=call.finish_reason or "stop",
            usage=TokenUsage(
                prompt_tokens=usage.prompt_tokens,
                completion_tokens=usage.completion_tokens,
                total_tokens=usage.total_tokens,
            )
            if usage
            else None,
            stages=list(call.reports),
            elapsed_ms=call.elapsed_ms,
        )
