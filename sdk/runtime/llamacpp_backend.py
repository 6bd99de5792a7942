"""An optional backend on llama.cpp (`pip install 'tutela[llamacpp]'`), on the same GGUF file.

llama.cpp decodes the quantized weights directly and is several times faster than transformers
on a CPU; it is chosen only when `llama-cpp-python` is installed and TUTELA_BACKEND=llamacpp.
llama-cpp-python reports token usage for whole completions but not for streams, so streamed
answers from this backend carry `usage=None`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from tutela.errors import ModelError, PromptTooLongError
from tutela.runtime.openai_shape import completion_from, deltas_from
from tutela.runtime.protocol import ChatCompletion, ChatDelta, ChatRequest
from tutela.runtime.weights import resolve_model
from tutela.settings import Settings


class LlamaCppBackend:
    name = "llamacpp"

    def __init__(self, settings: Settings) -> None:
        try:
            from llama_cpp import Llama
        except ImportError:
            raise ModelError(
                "backend 'llamacpp' needs llama-cpp-python: run `pip install 'tutela[llamacpp]'` "
                "or choose TUTELA_BACKEND=torch"
            ) from None
        source = resolve_model(settings.model)
        if source.kind != "gguf":
            raise ModelError(
                f"backend 'llamacpp' reads GGUF files, but {source.path} is a Hugging Face "
                "folder: set TUTELA_MODEL to a .gguf file or choose TUTELA_BACKEND=torch"
            )
        try:
            self._llm = Llama(
                model_path=str(source.path),
                n_ctx=0,  # the model's own context window
                n_threads=settings.threads or os.cpu_count(),
                verbose=False,
            )
        except (ValueError, RuntimeError) as exc:
            raise ModelError(
                f"llama.cpp cannot load {source.path} ({type(exc).__name__})"
            ) from None
        self.model_id = source.name
        self.context_window = self._llm.n_ctx()

    def _call(self, request: ChatRequest, *, stream: bool):
        with self._context_errors():
            return self._llm.create_chat_completion(
                messages=[m.as_dict() for m in request.messages],
                max_tokens=request.max_tokens,
                temperature=request.temperature,
                seed=request.seed,
                stop=list(request.stop) or None,
                stream=stream,
            )

    def _chunks(self, request: ChatRequest) -> Iterator[dict]:
        # llama-cpp-python checks the context window only once the stream is read.
        with self._context_errors():
            yield from self._call(request, stream=True)

    @contextmanager
    def _context_errors(self) -> Iterator[None]:
        try:
            yield
        except ValueError as exc:
            if "context" in str(exc).lower():
                raise PromptTooLongError(self.context_window) from None
            raise

    def complete(self, request: ChatRequest) -> ChatCompletion:
        return completion_from(self._call(request, stream=False), request, self.model_id)

    def stream(self, request: ChatRequest) -> Iterator[ChatDelta]:
        return deltas_from(self._chunks(request), request)

    def close(self) -> None:
        self._llm.close()
