"""A small token classifier for person names and street lines, trained on synthetic data.

Each token is represented by two hashed embeddings of its lower-cased form (digits read as 0),
a character CNN over its lower-cased letters, and its shape (case, length, the space before
it, letters outside ASCII). A two-layer BiLSTM reads the tokens and a linear layer gives BIO
tags for PERSON and STREET_ADDRESS. The weights (`tagger.pt`, a safetensors file in float16)
and `tagger.json` (the sizes) ship in this package and load offline; `train.py` makes them.
"""

from __future__ import annotations

import json
import os
import re
import threading
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file
from torch import nn

TAGS = ("O", "B-PERSON", "I-PERSON", "B-STREET_ADDRESS", "I-STREET_ADDRESS")
ENTITY_TYPES = ("PERSON", "STREET_ADDRESS")
WEIGHTS = "tagger.pt"
CONFIG = "tagger.json"

# A URL or an email address is one token; a word keeps its inner hyphens and apostrophes
# ("Obi-Ugwu", "O'Brien", "3-14-2") but not a possessive "'s"; a line break is a token.
_TOKEN = re.compile(
    r"https?://\S+|www\.\S+|[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
    r"|\n|[^\W_]+(?:[-'’](?![sS]\b)[^\W_]+)*|[^\w\s]|_"
)
_DIGIT = re.compile(r"\d")
MAX_CHARS = 16
CHAR_VOCAB = 1024
CASES = 13
LENGTHS = 8
GAPS = 6


@dataclass(frozen=True)
class Config:
    buckets: int = 16384
    word_dim: int = 64
    char_dim: int = 24
    char_filters: int = 64
    hidden: int = 96
    layers: int = 2
    dropout: float = 0.25

    @classmethod
    def from_json(cls, data: dict) -> Config:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def tokenize(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token of `text`."""
    return [m.span() for m in _TOKEN.finditer(text)]


def _hash(key: str, salt: bytes, buckets: int) -> int:
    return zlib.crc32(salt + key.encode("utf-8", "surrogatepass")) % buckets + 1


def _case(word: str) -> int:
    if word == "\n":
        return 1
    if "://" in word or word.startswith("www."):
        return 2
    if "@" in word and len(word) > 3:
        return 3
    letters = [c for c in word if c.isalpha()]
    digits = any(c.isdigit() for c in word)
    if not letters:
        return 5 if digits else 4
    if digits:
        return 6
    cased = [c for c in letters if c.isupper() or c.islower()]
    if not cased:
        return 12  # a script without case (CJK, Arabic...)
    if all(c.islower() for c in cased):
        return 7
    if len(cased) == 1:
        return 10
    if all(c.isupper() for c in cased):
        return 9
    if cased[0].isupper() and all(c.islower() for c in cased[1:]):
        return 8
    return 11  # "McDonald", "DeShawn", "iPhone"


def _length(word: str) -> int:
    n = len(word)
    return (
        1
        if n == 1
        else 2
        if n == 2
        else 3
        if n == 3
        else 4
        if n == 4
        else 5
        if n <= 6
        else 6
        if n <= 9
        else 7
    )


def _gap(text: str, start: int, previous_end: int) -> int:
    if previous_end < 0:
        return 1
    gap = text[previous_end:start]
    if not gap:
        return 2
    if gap == " ":
        return 3
    if "\n" in gap:
        return 5
    return 4  # several spaces or a tab: a table's column


def _char_ids(word: str) -> list[int]:
    word = word.lower()
    if len(word) > MAX_CHARS:
        word = word[: MAX_CHARS // 2] + word[-MAX_CHARS // 2 :]
    ids = [1]
    for c in word:
        o = ord(c)
        ids.append(o + 3 if o < 900 else 903 + o % 121)
    ids.append(2)
    return ids


@dataclass
class Features:
    """The model's inputs for one text: one row per token."""

    spans: list[tuple[int, int]]
    words: np.ndarray  # [T, 2] hashed word ids
    chars: np.ndarray  # [T, MAX_CHARS + 2] character ids
    shapes: np.ndarray  # [T, 4] case, length, gap, non-ASCII


def featurize(text: str, buckets: int) -> Features:
    spans = tokenize(text)
    n = len(spans)
    words = np.zeros((n, 2), dtype=np.int64)
    chars = np.zeros((n, MAX_CHARS + 2), dtype=np.int64)
    shapes = np.zeros((n, 4), dtype=np.int64)
    previous = -1
    for i, (start, end) in enumerate(spans):
        word = text[start:end]
        key = _DIGIT.sub("0", word.lower())
        words[i, 0] = _hash(key, b"a", buckets)
        words[i, 1] = _hash(key, b"b", buckets)
        ids = _char_ids(word)
        chars[i, : len(ids)] = ids
        shapes[i, 0] = _case(word)
        shapes[i, 1] = _length(word)
        shapes[i, 2] = _gap(text, start, previous)
        shapes[i, 3] = 1 + (not word.isascii())
        previous = end
    return Features(spans, words, chars, shapes)


class TaggerModel(nn.Module):
    def __init__(self, config: Config) -> None:
        super().__init__()
        self.config = config
        self.word = nn.Embedding(config.buckets + 1, config.word_dim, padding_idx=0)
        self.char = nn.Embedding(CHAR_VOCAB, config.char_dim, padding_idx=0)
        self.conv = nn.Conv1d(config.char_dim, config.char_filters, 3, padding=1)
        self.case = nn.Embedding(CASES, 8)
        self.length = nn.Embedding(LENGTHS, 4)
        self.gap = nn.Embedding(GAPS, 4)
        self.script = nn.Embedding(3, 2)
        width = config.word_dim + config.char_filters + 18
        self.dropout = nn.Dropout(config.dropout)
        self.lstm = nn.LSTM(
            width,
            config.hidden,
            num_layers=config.layers,
            bidirectional=True,
            batch_first=True,
            dropout=config.dropout if config.layers > 1 else 0.0,
        )
        self.out = nn.Linear(2 * config.hidden, len(TAGS))

    def forward(
        self, words: torch.Tensor, chars: torch.Tensor, shapes: torch.Tensor, lengths: torch.Tensor
    ) -> torch.Tensor:
        """Tag scores [B, T, tags] for padded batches ([B, T, ...]) of `lengths` tokens."""
        batch, steps, width = chars.shape
        char_vectors = self.char(chars.view(batch * steps, width)).transpose(1, 2)
        char_vectors = torch.relu(self.conv(char_vectors)).max(dim=2).values
        x = torch.cat(
            [
                self.word(words).sum(dim=2),
                char_vectors.view(batch, steps, -1),
                self.case(shapes[..., 0]),
                self.length(shapes[..., 1]),
                self.gap(shapes[..., 2]),
                self.script(shapes[..., 3]),
            ],
            dim=-1,
        )
        x = self.dropout(x)
        packed = nn.utils.rnn.pack_padded_sequence(
            x, lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        y, _ = self.lstm(packed)
        y, _ = nn.utils.rnn.pad_packed_sequence(y, batch_first=True, total_length=steps)
        return self.out(self.dropout(y))


def batch_tensors(items: list[Features]) -> tuple[torch.Tensor, ...]:
    """Padded tensors (words, chars, shapes, lengths) for a list of featurized texts."""
    longest = max(len(f.spans) for f in items)
    words = np.zeros((len(items), longest, 2), dtype=np.int64)
    chars = np.zeros((len(items), longest, MAX_CHARS + 2), dtype=np.int64)
    shapes = np.zeros((len(items), longest, 4), dtype=np.int64)
    for i, f in enumerate(items):
        n = len(f.spans)
        words[i, :n], chars[i, :n], shapes[i, :n] = f.words, f.chars, f.shapes
    lengths = torch.tensor([len(f.spans) for f in items], dtype=torch.int64)
    return torch.from_numpy(words), torch.from_numpy(chars), torch.from_numpy(shapes), lengths


@dataclass(frozen=True)
class Span:
    type: str
    start: int
    end: int
    score: float


WINDOW = 320
STRIDE = 256


class Tagger:
    """The trained model, ready to tag text: `Tagger.load()` reads it from this package."""

    def __init__(self, model: TaggerModel) -> None:
        self.model = model.eval()
        self.config = model.config

    @classmethod
    def load(cls, folder: Path | None = None) -> Tagger:
        if folder is None:
            root = resources.files("tutela.governance.pii.model")
            config = json.loads(root.joinpath(CONFIG).read_text(encoding="utf-8"))
            with resources.as_file(root.joinpath(WEIGHTS)) as path:
                state = load_file(str(path))
        else:
            config = json.loads((folder / CONFIG).read_text(encoding="utf-8"))
            state = load_file(str(folder / WEIGHTS))
        model = TaggerModel(Config.from_json(config))
        model.load_state_dict({k: v.float() for k, v in state.items()})
        return cls(model)

    def probabilities(self, text: str) -> tuple[list[tuple[int, int]], np.ndarray]:
        """The tokens of `text` and their tag probabilities [T, tags]."""
        features = featurize(text, self.config.buckets)
        n = len(features.spans)
        if n == 0:
            return [], np.zeros((0, len(TAGS)), dtype=np.float32)
        starts = list(range(0, max(n - WINDOW, 0) + 1, STRIDE))
        if starts[-1] + WINDOW < n:
            starts.append(n - WINDOW)
        windows = [
            Features(
                features.spans[s : s + WINDOW],
                features.words[s : s + WINDOW],
                features.chars[s : s + WINDOW],
                features.shapes[s : s + WINDOW],
            )
            for s in starts
        ]
        probs = _worker().submit(self._forward, windows).result()
        if len(starts) == 1:
            return features.spans, probs[0, :n]
        # each token takes the window where it is farthest from an edge (the text's own
        # start and end are no edges)
        out = np.zeros((n, len(TAGS)), dtype=np.float32)
        best = np.full(n, -1)
        far = 10**6
        for w, s in enumerate(starts):
            size = min(WINDOW, n - s)
            index = np.arange(s, s + size)
            left = index - s if s > 0 else np.full(size, far)
            right = s + size - 1 - index if s + size < n else np.full(size, far)
            margin = np.minimum(left, right)
            take = margin > best[index]
            out[index[take]] = probs[w, :size][take]
            best[index[take]] = margin[take]
        return features.spans, out

    def _forward(self, windows: list[Features]) -> np.ndarray:
        with torch.inference_mode():
            return torch.softmax(self.model(*batch_tensors(windows)), dim=-1).numpy()

    def tag(self, text: str) -> list[Span]:
        """PERSON and STREET_ADDRESS spans, each scored by its tokens' mean probability."""
        tokens, probs = self.probabilities(text)
        return decode(tokens, probs)


def decode(tokens: list[tuple[int, int]], probs: np.ndarray) -> list[Span]:
    """Spans from per-token tag probabilities: the most likely tag of each token, where an
    inside tag without its beginning starts a span."""
    spans: list[Span] = []
    if not tokens:
        return spans
    best = probs.argmax(axis=1)
    kind: str | None = None
    first = 0
    scores: list[float] = []

    def close(last: int) -> None:
        if kind is not None:
            spans.append(Span(kind, tokens[first][0], tokens[last][1], float(np.mean(scores))))

    for i, tag in enumerate(best):
        name = TAGS[tag]
        if name == "O":
            close(i - 1)
            kind = None
            continue
        prefix, entity = name.split("-", 1)
        column = TAGS.index(f"B-{entity}")
        mass = float(probs[i, column] + probs[i, column + 1])
        if prefix == "B" or kind != entity:
            close(i - 1)
            kind, first, scores = entity, i, []
        scores.append(mass)
    close(len(tokens) - 1)
    return spans


_WORKER: ThreadPoolExecutor | None = None
_WORKER_LOCK = threading.Lock()


def _worker() -> ThreadPoolExecutor:
    """The thread that runs the model, with one intra-op thread of its own (OpenMP's and MKL's
    thread counts are per calling thread): on a busy two-core machine, a batch of one text runs
    10-100 times slower when its small matrix products wait on a second thread. The rest of
    the process keeps torch's setting. One thread also serialises the model's use."""
    global _WORKER
    with _WORKER_LOCK:
        if _WORKER is None:
            _WORKER = ThreadPoolExecutor(
                1,
                thread_name_prefix="tutela-tagger",
                initializer=torch.set_num_threads,
                initargs=(1,),
            )
        return _WORKER


def _forget_worker() -> None:
    global _WORKER
    _WORKER = None  # a forked child has the executor but not its thread: start a new one


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_worker)


@cache
def default_tagger() -> Tagger:
    """The tagger shipped in this package, loaded once per process."""
    return Tagger.load()
