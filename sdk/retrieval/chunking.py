"""Chunking: pieces of text that fit the embedding model's window, cut at sentence ends.

all-MiniLM-L6-v2 reads at most 256 word pieces; chunks hold at most `max_tokens` (200 by
default, leaving room for the title and special tokens) and repeat the last sentences of the
previous chunk, up to `overlap` word pieces, so an answer cut at a boundary is still found.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

TokenCounter = Callable[[Sequence[str]], list[int]]

_SENTENCE = re.compile(r"(?<=[.!?;:])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9<#*\-•])")
_PARAGRAPH = re.compile(r"\n\s*\n")
LINE, PARAGRAPH = "\n", "\n\n"  # layout marks between sentences
_BREAKS = (LINE, PARAGRAPH)


def split_sentences(text: str) -> list[str]:
    """Paragraphs, then lines, then sentences: list items and table rows stay whole."""
    pieces: list[str] = []
    for paragraph in _PARAGRAPH.split(text):
        for line in paragraph.split("\n"):
            sentences = [s.strip() for s in _SENTENCE.split(line) if s.strip()]
            if sentences:
                pieces += [*sentences, LINE]
        if pieces and pieces[-1] == LINE:
            pieces[-1] = PARAGRAPH  # boundaries are kept to rebuild the layout
    while pieces and pieces[-1] in _BREAKS:
        pieces.pop()
    return pieces


def chunk_text(
    text: str, count_tokens: TokenCounter, max_tokens: int = 200, overlap: int = 40
) -> list[str]:
    """Cut `text` into chunks of at most `max_tokens` word pieces (as `count_tokens` counts
    them), at sentence ends where possible; a sentence longer than that is cut at spaces."""
    if max_tokens < 16 or not 0 <= overlap < max_tokens // 2:
        raise ValueError("max_tokens must be at least 16 and overlap under half of it")
    units = _fit(split_sentences(text), count_tokens, max_tokens)
    sizes = count_tokens([u for u in units if u not in _BREAKS]) if units else []
    sized = iter(sizes)
    measured = [(u, 0 if u in _BREAKS else next(sized)) for u in units]
    chunks: list[str] = []
    current: list[tuple[str, int]] = []
    for unit, size in measured:
        if current and sum(s for _, s in current) + size + 1 > max_tokens:
            chunks.append(_join(current))
            current = _tail(current, overlap)
            while current and sum(s for _, s in current) + size + 1 > max_tokens:
                current.pop(0)
        if unit in _BREAKS and not current:
            continue
        current.append((unit, size))
    if current and any(u not in _BREAKS for u, _ in current):
        chunks.append(_join(current))
    return chunks


def _fit(units: list[str], count_tokens: TokenCounter, max_tokens: int) -> list[str]:
    """Units cut so that none exceeds `max_tokens`: long ones are split at spaces."""
    text_units = [u for u in units if u not in _BREAKS]
    sizes = iter(count_tokens(text_units) if text_units else [])
    fitted: list[str] = []
    for unit in units:
        if unit in _BREAKS or next(sizes) <= max_tokens:
            fitted.append(unit)
            continue
        words = unit.split(" ")
        # Word pieces per word vary: cut by a word budget, then halve pieces that still overflow.
        pending = [words]
        while pending:
            part = pending.pop(0)
            joined = " ".join(part)
            if len(part) == 1 and count_tokens([joined])[0] > max_tokens:
                # One "word" longer than the window (a hash, a blob): cut it; a character is
                # never more than one word piece.
                fitted += [joined[i : i + max_tokens] for i in range(0, len(joined), max_tokens)]
            elif len(part) == 1 or count_tokens([joined])[0] <= max_tokens:
                fitted.append(joined)
            else:
                middle = len(part) // 2
                pending[:0] = [part[:middle], part[middle:]]
    return fitted


def _tail(current: list[tuple[str, int]], overlap: int) -> list[tuple[str, int]]:
    """The last sentences of a chunk, with their line breaks, up to `overlap` word pieces."""
    tail: list[tuple[str, int]] = []
    total = 0
    for unit, size in reversed(current):
        if total + size > overlap:
            break
        tail.insert(0, (unit, size))
        total += size
    while tail and tail[0][0] in _BREAKS:
        tail.pop(0)
    return tail


def _join(units: list[tuple[str, int]]) -> str:
    text = ""
    for unit, _ in units:
        if unit in _BREAKS:
            text = text.rstrip(" ") + unit if not text.endswith("\n") else text
        else:
            text += ("" if not text or text.endswith("\n") else " ") + unit
    return text.strip()
