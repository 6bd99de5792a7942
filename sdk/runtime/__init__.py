"""Runtime backends: local torch (default), OpenAI-compatible engines, optional llama.cpp."""

from __future__ import annotations

import importlib.util
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


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None
