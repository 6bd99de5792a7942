"""The default backend: transformers on the CPU, with Tutela's own decode loop.

It loads the embedded SmolLM2 (converted once from its GGUF, see `weights`) or any local
Hugging Face model folder. The decode loop keeps the KV cache between steps, detokenizes
incrementally so a delta never ends inside a multi-byte character, and applies stop sequences
through `StopScanner`, so streamed deltas always concatenate to the non-streamed answer.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from tutela.errors import ModelError, PromptTooLongError
from tutela.runtime.protocol import ChatCompletion, ChatDelta, ChatMessage, ChatRequest, Usage
from tutela.runtime.stops import StopScanner
from tutela.runtime.weights import WeightCache, resolve_model
from tutela.settings import Settings

log = logging.getLogger(__name__)


class TorchBackend:
    name = "torch"

    def __init__(self, settings: Settings, *, show_progress: bool = True) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer
        from transformers.utils import logging as hf_logging

        source = resolve_model(settings.model)
        if source.kind == "gguf":
            cache = WeightCache(settings.model_cache_dir)
            folder = cache.ensure(source, settings.torch_dtype, show_progress=show_progress)
        else:
            folder = source.path
        if settings.threads:
            torch.set_num_threads(settings.threads)
        hf_logging.disable_progress_bar()
        try:
            self._tokenizer = AutoTokenizer.from_pretrained(folder)
            self._model = AutoModelForCausalLM.from_pretrained(
                folder, dtype=getattr(torch, settings.torch_dtype)
            )
        except (OSError, ValueError, RuntimeError) as exc:
            raise ModelError(
                f"cannot load the model in {folder} ({type(exc).__name__}): check that it is a "
                "complete Hugging Face causal language model folder"
            ) from None
        finally:
            hf_logging.enable_progress_bar()
        if not self._tokenizer.chat_template:
            raise ModelError(f"the tokenizer in {folder} has no chat template: use a chat model")
        self._model.eval()
        self._torch = torch
        self.model_id = source.name
        self.folder: Path = folder
        self.context_window: int = int(
            getattr(self._model.config, "max_position_embeddings", 0) or 2048
        )
        self._eos = _eos_ids(self._model, self._tokenizer)

    def prompt_ids(self, messages: tuple[ChatMessage, ...]) -> list[int]:
        encoded = self._tokenizer.apply_chat_template(
            [m.as_dict() for m in messages], add_generation_prompt=True, return_dict=True
        )
        return list(encoded["input_ids"])

    def complete(self, request: ChatRequest) -> ChatCompletion:
        parts: list[str] = []
        finish, usage = "length", Usage(0, 0)
        for delta in self.stream(request):
            parts.append(delta.text)
            if delta.finish_reason:
                finish, usage = delta.finish_reason, delta.usage or usage
        return ChatCompletion("".join(parts), finish, usage, self.model_id)

    def stream(self, request: ChatRequest) -> Iterator[ChatDelta]:
        ids = self.prompt_ids(request.messages)
        if len(ids) + request.max_tokens > self.context_window:
            raise PromptTooLongError(self.context_window, len(ids), request.max_tokens)
        return self._decode(ids, request)

    def _decode(self, prompt: list[int], request: ChatRequest) -> Iterator[ChatDelta]:
        torch = self._torch
        generator = torch.Generator()
        if request.seed is not None:
            generator.manual_seed(request.seed)
        else:
            generator.seed()
        scanner = StopScanner(request.stop)
        detok = _IncrementalDecoder(self._tokenizer)
        finish = "length"
        with torch.inference_mode():
            out = self._model(input_ids=torch.tensor([prompt]), use_cache=True)
            for step in range(request.max_tokens):
                token = _pick(out.logits[0, -1], request.temperature, generator)
                if token in self._eos:
                    finish = "stop"
                    break
                text = scanner.push(detok.push(token))
                if text:
                    yield ChatDelta(text)
                if scanner.stopped:
                    finish = "stop"
                    break
                if step + 1 < request.max_tokens:
                    out = self._model(
                        input_ids=torch.tensor([[token]]), cache=out.cache, use_cache=True
                    )
        tail = "" if scanner.stopped else scanner.push(detok.flush())
        if scanner.stopped:
            finish = "stop"
        tail += scanner.flush()
        yield ChatDelta(tail, finish, Usage(len(prompt), detok.count))

    def close(self) -> None:
        self._model = None
        self._tokenizer = None


class _IncrementalDecoder:
    """Turns token ids into text one token at a time without splitting characters.

    Each step decodes a short window that starts a few tokens back, so byte-level merges and
    leading spaces come out as they would in a full decode; text is released only when it does
    not end in an incomplete UTF-8 sequence (decoded as U+FFFD).
    """

    def __init__(self, tokenizer) -> None:
        self._tokenizer = tokenizer
        self._ids: list[int] = []
        self._prefix = 0
        self._read = 0

    @property
    def count(self) -> int:
        return len(self._ids)

    def push(self, token: int) -> str:
        self._ids.append(token)
        decode = self._tokenizer.decode
        before = decode(self._ids[self._prefix : self._read], skip_special_tokens=True)
        after = decode(self._ids[self._prefix :], skip_special_tokens=True)
        if len(after) > len(before) and not after.endswith("\ufffd"):
            self._prefix, self._read = self._read, len(self._ids)
            return after[len(before) :]
        return ""

    def flush(self) -> str:
        """Text still pending at the end; an incomplete character is dropped, not guessed."""
        decode = self._tokenizer.decode
        before = decode(self._ids[self._prefix : self._read], skip_special_tokens=True)
        after = decode(self._ids[self._prefix :], skip_special_tokens=True)
        self._prefix = self._read = len(self._ids)
        return after[len(before) :].rstrip("\ufffd")


def _pick(logits, temperature: float, generator) -> int:
    import torch

    if temperature == 0.0:
        return int(torch.argmax(logits))
    probs = torch.softmax(logits.float() / temperature, dim=-1)
    return int(torch.multinomial(probs, 1, generator=generator))


def _eos_ids(model, tokenizer) -> frozenset[int]:
    ids: set[int] = set()
    configured = getattr(model.generation_config, "eos_token_id", None)
    if isinstance(configured, int):
        ids.add(configured)
    elif configured:
        ids.update(configured)
    if tokenizer.eos_token_id is not None:
        ids.add(tokenizer.eos_token_id)
    if not ids:
        raise ModelError("the model defines no end-of-sequence token: use a chat model")
    return frozenset(ids)
