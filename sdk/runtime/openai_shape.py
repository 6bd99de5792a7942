"""Reading OpenAI chat responses, shared by every backend whose engine speaks that format.

Engines differ on whether the matched stop sequence is part of the output; Tutela applies the
request's stop sequences again on its side, so no backend ever shows one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from tutela.errors import ModelError
from tutela.runtime.protocol import ChatCompletion, ChatDelta, ChatRequest, Usage
from tutela.runtime.stops import StopScanner


def request_body(request: ChatRequest, model: str, *, stream: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": model,
        "messages": [m.as_dict() for m in request.messages],
        "max_tokens": request.max_tokens,
        "temperature": request.temperature,
        "stream": stream,
    }
    if request.seed is not None:
        body["seed"] = request.seed
    if request.stop:
        body["stop"] = list(request.stop)
    if stream:
        body["stream_options"] = {"include_usage": True}
    return body


def usage_from(data: dict[str, Any] | None) -> Usage | None:
    if not data:
        return None
    return Usage(int(data.get("prompt_tokens", 0)), int(data.get("completion_tokens", 0)))


def completion_from(response: dict[str, Any], request: ChatRequest, model: str) -> ChatCompletion:
    try:
        choice = response["choices"][0]
        text = choice["message"].get("content") or ""
        finish = _finish(choice.get("finish_reason"))
    except (KeyError, IndexError, TypeError, AttributeError):
        raise ModelError("the engine answered without a chat completion choice") from None
    scanner = StopScanner(request.stop)
    text = scanner.push(text) + scanner.flush()
    return ChatCompletion(
        text, "stop" if scanner.stopped else finish, usage_from(response.get("usage")), model
    )


def deltas_from(chunks: Iterable[dict[str, Any]], request: ChatRequest) -> Iterator[ChatDelta]:
    """Turn streamed chunks into content deltas and one final delta with finish and usage."""
    scanner = StopScanner(request.stop)
    finish: str | None = None
    usage: Usage | None = None
    for chunk in chunks:
        usage = usage_from(chunk.get("usage")) or usage
        for choice in chunk.get("choices") or ():
            shown = scanner.push((choice.get("delta") or {}).get("content") or "")
            if shown:
                yield ChatDelta(shown)
            if choice.get("finish_reason"):
                finish = _finish(choice["finish_reason"])
    if finish is None:
        raise ModelError("the engine's stream ended without a finish reason: it was cut off")
    tail = scanner.flush()
    yield ChatDelta(tail, "stop" if scanner.stopped else finish, usage)


def _finish(reason: str | None) -> str:
    # Engines report "eos", "stop_sequence" and the like; the protocol knows stop and length.
    return "length" if reason == "length" else "stop"
