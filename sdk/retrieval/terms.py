"""Words for the lexical index, as keyed hashes: the index never holds the words themselves.

Text is split into words (codes such as `TGX-204` count as one word and as their parts),
common English words are dropped, the rest are stemmed (Snowball) and each is replaced by a
keyed HMAC of it, with a key per tenant. Queries go through the same steps.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[^\W_]+(?:[-./'][^\W_]+)*")
_JOINERS = re.compile(r"[-./']")
_STOPWORDS = """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves s t"""
STOPWORDS = frozenset(_STOPWORDS.split())
_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _stemmer.stemWord(word)


def words(text: str) -> list[str]:
    """The index words of `text`: stemmed, without stop words; a compound also as a whole."""
    found: list[str] = []
    for match in _WORD.finditer(text.lower()):
        word = match.group(0)
        parts = _JOINERS.split(word)
        if len(parts) > 1:
            found.append(word)
        found += [_stem(part) for part in parts if part not in STOPWORDS]
    return found


class TermHasher:
    """Replaces index words by keyed hashes (64-bit, base32): equal words, equal hashes."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._cache: dict[str, str] = {}

    def hash(self, word: str) -> str:
        found = self._cache.get(word)
        if found is None:
            digest = hmac.new(self._key, word.encode("utf-8"), hashlib.sha256).digest()[:8]
            found = "w" + base64.b32encode(digest).decode("ascii").rstrip("=").lower()
            if len(self._cache) < 200_000:
                self._cache[word] = found
        return found

    def terms(self, text: str) -> list[str]:
        return [self.hash(word) for word in words(text)]
