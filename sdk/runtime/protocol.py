"""The one protocol every runtime backend speaks: the OpenAI chat shape.

A backend takes a `ChatRequest` (messages, max_tokens, temperature, seed, stop) and either returns
a `ChatCompletion` or yields `ChatDelta`s whose texts concatenate to the same completion. The
last delta carries `finish_reason` ("stop" or "length") and the token `Usage` (None when the
engine does not report it: some remote engines, and llama-cpp-python when streaming).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

from tutela.errors import InputError

Role = Literal["system", "user", "assistant"]
FinishReason = Literal["stop", "length"]


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    content: str

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int
    completion_tokens: int

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class ChatRequest:
    messages: tuple[ChatMessage, ...]
    max_tokens: int = 256
    temperature: float = 0.0
    seed: int | None = None
    stop: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if not self.messages:
            raise InputError("a chat request needs at least one message")
        if self.max_tokens < 1:
            raise InputError(f"max_tokens must be at least 1, not {self.max_tokens}")
        if not 0.0 <= self.temperature <= 2.0:
            raise InputError(f"temperature must be between 0 and 2, not {self.temperature}")
        if any(not s for s in self.stop):
            raise InputError("stop sequences must not be empty strings")


@dataclass(frozen=True)
class ChatDelta:
    text: str
    finish_reason: FinishReason | None = None
    usage: Usage | None = None


@dataclass(frozen=True)
class ChatCompletion:
    text: str
    finish_reason: FinishReason
    usage: Usage | None
    model: str


@runtime_checkable
class ChatBackend(Protocol):
    """A runtime that generates chat completions."""

    name: str
    model_id: str

    def complete(self, request: ChatRequest) -> ChatCompletion: ...

    def stream(self, request: ChatRequest) -> Iterator[ChatDelta]: ...

    def close(self) -> None: ...
