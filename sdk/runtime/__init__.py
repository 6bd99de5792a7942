"""Runtime backends: local torch (default), OpenAI-compatible engines, optional llama.cpp."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass

from tutela.errors import ConfigError
from tutela.runtime.protocol import (
    ChatBackend,
    ChatCompletion,
    ChatDelta,
    ChatMessage,
    ChatRequest,
    Usage,
)
from tutela.settings import Settings

__all__ = [
    "BackendInfo",
    "ChatBackend",
    "ChatCompletion",
    "ChatDelta",
    "ChatMessage",
    "ChatRequest",
    "DeferredBackend",
    "Usage",
    "backend_catalog",
    "load_backend",
]


@dataclass(frozen=True)
class BackendInfo:
    name: str
    installed: bool
    needs: str
    description: str


def backend_catalog() -> list[BackendInfo]:
    """Every backend Tutela knows, and whether this installation can run it."""
    return [
        BackendInfo(
            "torch",
            _has("torch") and _has("transformers"),
            "torch==2.13.0, transformers",
            "transformers on the CPU; the default",
        ),
        BackendInfo(
            "openai",
            _has("httpx"),
            "an OpenAI-compatible server and TUTELA_OPENAI_BASE_URL",
            "vLLM, llama.cpp server, Ollama, Ray Serve: the scale-out path",
        ),
        BackendInfo(
            "llamacpp",
            _has("llama_cpp"),
            "pip install 'tutela[llamacpp]'",
            "llama.cpp on the GGUF file",
        ),
    ]


def load_backend(settings: Settings, *, show_progress: bool = True) -> ChatBackend:
    """Create the backend the settings select."""
    if settings.backend == "torch":
        from tutela.runtime.torch_backend import TorchBackend

        return TorchBackend(settings, show_progress=show_progress)
    if settings.backend == "openai":
        from tutela.runtime.openai_backend import OpenAIBackend

        return OpenAIBackend(settings)
    if settings.backend == "llamacpp":
        from tutela.runtime.llamacpp_backend import LlamaCppBackend

        return LlamaCppBackend(settings)
    raise ConfigError(f"unknown backend {settings.backend!r}: choose torch, openai or llamacpp")


class DeferredBackend:
    """A backend loaded on its first use: for sessions that may never generate (ingestion,
    search), so they do not pay for loading a model."""

    def __init__(self, settings: Settings, *, show_progress: bool = True) -> None:
        self._settings = settings
        self._show_progress = show_progress
        self._backend: ChatBackend | None = None

    def _loaded(self) -> ChatBackend:
        if self._backend is None:
            self._backend = load_backend(self._settings, show_progress=self._show_progress)
        return self._backend

    @property
    def name(self) -> str:
        return self._loaded().name

    @property
    def model_id(self) -> str:
        return self._loaded().model_id

    def complete(self, request: ChatRequest) -> ChatCompletion:
        return self._loaded().complete(request)

    def stream(self, request: ChatRequest) -> Iterator[ChatDelta]:
        return self._loaded().stream(request)

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None
