"""Pseudonym tokens: `<PERSON_1>`, `<IBAN_2>`, ...

A token is `<`, an entity type (capital letters, digits and underscores, starting with a
letter), `_`, a number without leading zeros, and `>`. Tokens hold no `<` or `>` inside, so
tokens placed between pieces of text can never combine with that text into another token.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TOKEN = re.compile(r"<([A-Z][A-Z0-9_]*)_([1-9][0-9]*)>")
_TYPE = re.compile(r"[A-Z][A-Z0-9_]*\Z")


def format_token(entity_type: str, number: int) -> str:
    # A bool is an int, and a float formats with a dot: neither makes a token.
    if (
        not isinstance(entity_type, str)
        or not _TYPE.match(entity_type)
        or type(number) is not int
        or number < 1
    ):
        raise ValueError("a token needs an entity type in capitals and a number from 1")
    return f"<{entity_type}_{number}>"


def find_tokens(text: str) -> Iterable[re.Match[str]]:
    return TOKEN.finditer(text)


def partial_token_start(text: str, tokens: Iterable[str]) -> int:
    """Where the shortest suffix of `text` that could still grow into one of `tokens` starts.

    Returns `len(text)` when no suffix could: all of `text` may be released. Tokens contain no
    `<` after their first character, so only the suffix from the last `<` can qualify.
    """
    start = text.rfind("<")
    if start == -1:
        return len(text)
    tail = text[start:]
    if any(len(tail) < len(token) and token.startswith(tail) for token in tokens):
        return start
    return len(text)
