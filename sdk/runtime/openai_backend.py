"""A backend for any OpenAI-compatible engine: vLLM, llama.cpp server, Ollama, Ray Serve.

This is the scale-out path: the same governed pipeline, with generation on a server chosen by
configuration (`TUTELA_BACKEND=openai`, `TUTELA_OPENAI_BASE_URL`). It is the only backend that
opens network connections, and only to the configured URL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx

from tutela.errors import ConfigError, ModelError, PromptTooLongError
from tutela.runtime.openai_shape import completion_from, deltas_from, request_body
from tutela.runtime.protocol import ChatCompletion, ChatDelta, ChatRequest
from tutela.settings import Settings


class OpenAIBackend:
    name = "openai"

    def __init__(self, settings: Settings) -> None:
        if not settings.openai_base_url:
            raise ConfigError(
                "backend 'openai' needs the engine's URL: set TUTELA_OPENAI_BASE_URL "
                "(for example http://127.0.0.1:8000/v1)"
            )
        self.base_url = settings.openai_base_url.rstrip("/")
        headers = {}
        if settings.openai_api_key is not None:
            headers["Authorization"] = f"Bearer {settings.openai_api_key.get_secret_value()}"
        self._client = httpx.Client(
            base_url=self.base_url, headers=headers, timeout=settings.openai_timeout
        )
        self.model_id = settings.openai_model or self._first_model()

    def _first_model(self) -> str:
        listing = self._send("GET", "/models").json()
        models = [m.get("id") for m in listing.get("data") or () if m.get("id")]
        if not models:
            raise ModelError(
                f"the engine at {self.base_url} lists no models: load one or set "
                "TUTELA_OPENAI_MODEL"
            )
        return models[0]

    def complete(self, request: ChatRequest) -> ChatCompletion:
        body = request_body(request, self.model_id, stream=False)
        response = self._send("POST", "/chat/completions", json=body)
        return completion_from(response.json(), request, self.model_id)

    def stream(self, request: ChatRequest) -> Iterator[ChatDelta]:
        body = request_body(request, self.model_id, stream=True)
        return deltas_from(self._events(body), request)

    def _events(self, body: dict) -> Iterator[dict]:
        try:
            with self._client.stream("POST", "/chat/completions", json=body) as response:
                if response.status_code >= 400:
                    response.read()
                    self._raise_for(response)
                for line in response.iter_lines():
                    if not line.startswith("data:"):
                        continue
                    payload = line[5:].strip()
                    if payload == "[DONE]":
                        return
                    yield json.loads(payload)
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from None
        except json.JSONDecodeError:
            raise ModelError(
                f"the engine at {self.base_url} sent a malformed stream event"
            ) from None

    def _send(self, method: str, path: str, **kwargs) -> httpx.Response:
        try:
            response = self._client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from None
        if response.status_code >= 400:
            self._raise_for(response)
        return response

    def _unreachable(self, exc: httpx.HTTPError) -> ModelError:
        return ModelError(
            f"cannot reach the engine at {self.base_url} ({type(exc).__name__}): start it, or fix "
            "TUTELA_OPENAI_BASE_URL"
        )

    def _raise_for(self, response: httpx.Response) -> None:
        # The engine's error text may quote the prompt, so only its status is repeated here.
        if response.status_code in (400, 413, 422) and "context" in response.text.lower():
            raise PromptTooLongError(None)
        raise ModelError(
            f"the engine at {self.base_url} refused the request with HTTP "
            f"{response.status_code}: check the engine's log and TUTELA_OPENAI_MODEL"
        )

    def close(self) -> None:
        self._client.close()
