"""Putting real values back in place of pseudonym tokens, whole texts and streams alike.

Replacement is exact: tokens are found by their fixed grammar and looked up in a mapping;
neither tokens nor values are ever compiled into a pattern, so no value can inject one. Tokens
that were not issued to this caller (forged by a user or made up by a model) stay as they are.
"""

from __future__ import annotations

from collections.abc import Mapping

from tutela.governance.pii.tokens import TOKEN, partial_token_start


class Restorer:
    """Replaces the tokens in `values` (token -> value the caller may see) with their values."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = dict(values)
        self.tokens = frozenset(self._values)
        self.restored = 0
        self.unknown = 0

    def restore(self, text: str) -> str:
        return TOKEN.sub(self._replace, text)

    def stream(self) -> StreamRestorer:
        return StreamRestorer(self)

    def _replace(self, match) -> str:
        value = self._values.get(match.group(0))
        if value is None:
            self.unknown += 1
            return match.group(0)
        self.restored += 1
        return value


class StreamRestorer:
    """Restores a text that arrives in chunks of any size, one character included.

    It holds back only the shortest suffix that could still become a known token, so it never
    releases part of a token. If the stream ends inside such a suffix, the suffix is dropped
    (fail closed): a value is never guessed from part of its token.
    """

    def __init__(self, restorer: Restorer) -> None:
        self.restorer = restorer
        self._held = ""
        self.dropped = 0

    def push(self, chunk: str) -> str:
        text = self._held + chunk
        cut = partial_token_start(text, self.restorer.tokens)
        self._held = text[cut:]
        return self.restorer.restore(text[:cut])

    def close(self) -> str:
        if self._held:
            self.dropped += 1
            self._held = ""
        return ""
