"""What a governed call returns."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from tutela.pipeline.call import Call, Citation, StageReport
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
    citations: list[Citation] = []  # the retrieved chunks the prompt held, best first

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
            citations=list(call.citations),
        )


class SearchHit(BaseModel):
    """One chunk a search returned: its citation and its protected text."""

    model_config = ConfigDict(frozen=True)

    doc_id: str
    chunk_id: str
    title: str
    score: float
    text: str


class SearchResult(BaseModel):
    """What a governed search found, with what each stage did."""

    model_config = ConfigDict(frozen=True)

    call_id: str
    domain: str
    hits: list[SearchHit]
    stages: list[StageReport]
    elapsed_ms: float

    @classmethod
    def from_call(cls, call: Call) -> SearchResult:
        return cls(
            call_id=call.id,
            domain=call.domain.name,
            hits=[
                SearchHit(
                    doc_id=h.doc_id, chunk_id=h.chunk_id, title=h.title, score=h.score, text=h.text
                )
                for h in call.retrieved
            ],
            stages=list(call.reports),
            elapsed_ms=call.elapsed_ms,
        )
