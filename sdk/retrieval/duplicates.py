"""Near-duplicate detection: MinHash signatures over word 5-grams.

Two documents whose signatures agree in at least `NEAR_DUPLICATE` of their 64 positions have
an estimated Jaccard similarity of their 5-gram sets at least that high.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

PERMUTATIONS = 64
SHINGLE = 5
# Edited copies in the evaluation corpora score 0.77-0.95; distinct neighbouring documents
# (two funds, two courses of one template) at most 0.14.
NEAR_DUPLICATE = 0.7
_rng = np.random.default_rng(20261128)
_SEEDS = _rng.integers(1, 2**63, PERMUTATIONS, dtype=np.uint64)
_MULTIPLIERS = _rng.integers(1, 2**63, PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
_WORD = re.compile(r"\w+")


def signature(text: str, key: bytes = b"") -> bytes:
    """The MinHash signature of `text` (64 unsigned 64-bit minima, as bytes), its shingles
    hashed with `key` (BLAKE2b keyed, up to 64 bytes): without the key, a signature cannot be
    checked against guessed text."""
    words = _WORD.findall(text.lower())
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    hashes = np.fromiter(
        (
            int.from_bytes(
                hashlib.blake2b(s.encode("utf-8"), digest_size=8, key=key).digest(), "little"
            )
            for s in shingles
        ),
        dtype=np.uint64,
        count=len(shingles),
    )
    with np.errstate(over="ignore"):
        mixed = (hashes[:, None] ^ _SEEDS[None, :]) * _MULTIPLIERS[None, :]
    return mixed.min(axis=0).tobytes()


def most_similar(candidate: bytes, others: list[tuple[str, bytes]]) -> tuple[str, float] | None:
    """The id among `others` whose signature agrees most with `candidate`, and the share of
    agreeing positions (the estimated Jaccard similarity)."""
    if not others:
        return None
    matrix = np.frombuffer(b"".join(s for _, s in others), dtype=np.uint64).reshape(
        len(others), PERMUTATIONS
    )
    agreement = (matrix == np.frombuffer(candidate, dtype=np.uint64)).mean(axis=1)
    best = int(agreement.argmax())
    return others[best][0], float(agreement[best])
