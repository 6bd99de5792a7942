"""The state of one governed call as it moves through the pipeline's stages."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from tutela.domain import Domain
from tutela.governance.access.decision import Action, Decision
from tutela.principal import Principal
from tutela.runtime.protocol import ChatMessage, FinishReason, Usage

Outcome = Literal["allow", "transform", "block", "error"]


class Citation(BaseModel):
    """A retrieved chunk a call put in the prompt: which document, which chunk, how it ranked."""

    model_config = ConfigDict(frozen=True)

    doc_id: str
    chunk_id: str
    title: str  # the document's title, protected like its text
    score: float


class StageReport(BaseModel):
    """What one stage did. `detail` holds counts and ids chosen by Tutela, never user text."""

    model_config = ConfigDict(frozen=True)

    stage: str
    implementation: str
    outcome: Outcome
    elapsed_ms: float
    detail: dict[str, int | str] = {}


@dataclass
class Call:
    """One request on its way through the pipeline. Stages read and narrow `messages`."""

    principal: Principal
    domain: Domain
    purpose: str | None
    messages: list[ChatMessage]
    max_tokens: int
    temperature: float
    seed: int | None
    stop: tuple[str, ...]
    action: Action = "ask"  # "search": retrieval only, no generation
    top_k: int | None = None  # chunks to retrieve; None: the retrieve stage's default
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    conversation: str = ""  # pseudonyms are shared within it; empty: this call only
    grant: str | None = None  # a break-glass grant token
    subject: str | None = None  # whose values the call reveals; None: the principal's own
    decision: Decision | None = None  # the authorize stage's decision
    retrieved: list = field(default_factory=list)  # the retrieve stage's hits (protected text)
    citations: list[Citation] = field(default_factory=list)  # and what the answer cites
    prefetched: Any = None  # work the retrieve stage began before input protection
    started: float = field(default_factory=time.perf_counter)
    reports: list[StageReport] = field(default_factory=list)
    model: str | None = None
    backend: str | None = None
    finish_reason: FinishReason | None = None
    usage: Usage | None = None

    def __post_init__(self) -> None:
        if not self.conversation:
            self.conversation = f"call:{self.id}"

    def record(self, report: StageReport) -> None:
        self.reports.append(report)

    @property
    def elapsed_ms(self) -> float:
        return (time.perf_counter() - self.started) * 1000.0
