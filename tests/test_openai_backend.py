"""How the openai backend reports an engine's refusals (a scripted engine: a unit test)."""

import httpx
import pytest

from tutela.errors import ModelError, PromptTooLongError
from tutela.runtime.openai_backend import OpenAIBackend
from tutela.runtime.protocol import ChatMessage, ChatRequest
from tutela.settings import Settings

REQUEST = ChatRequest((ChatMessage("user", "my account is 12345678"),), max_tokens=8)


def backend_answering(status: int, message: str) -> OpenAIBackend:
    def engine(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"error": {"message": message}})

    backend = OpenAIBackend(
        Settings(backend="openai", openai_base_url="http://engine/v1", openai_model="m")
    )
    backend._client = httpx.Client(
        base_url="http://engine/v1", transport=httpx.MockTransport(engine)
    )
    return backend


@pytest.mark.parametrize("call", ["complete", "stream"])
def test_context_window_refusal_is_prompt_too_long(call: str) -> None:
    backend = backend_answering(
        400, "This model's maximum context length is 8192 tokens; the prompt 12345678 is longer"
    )
    with pytest.raises(PromptTooLongError) as caught:
        result = getattr(backend, call)(REQUEST)
        list(result) if call == "stream" else result
    assert "12345678" not in str(caught.value)


def test_other_refusals_name_the_status_without_the_engine_text() -> None:
    backend = backend_answering(500, "internal failure while reading 12345678")
    with pytest.raises(ModelError, match="HTTP 500") as caught:
        backend.complete(REQUEST)
    assert "12345678" not in str(caught.value)
