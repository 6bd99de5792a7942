"""`PiiProtector`: detection, the profile's operators and the vault, applied to text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from tutela.governance.pii.detector import PiiDetector
from tutela.governance.pii.operators import Operator, generalize, mask, redact
from tutela.governance.pii.profiles import Profile
from tutela.governance.pii.restore import Restorer
from tutela.governance.pii.tokens import TOKEN, format_token
from tutela.governance.pii.vault import Scope


class TokenIssuer(Protocol):
    def tokenize_all(self, scope: Scope, items: Sequence[tuple[str, str]]) -> list[str]: ...

    def values(self, scope: Scope, tokens: set[str] | frozenset[str]) -> dict[str, str]: ...


class OneShotTokens:
    """Tokens that live in memory only, for one protection that is never restored
    (`tutela redact`): the same value gets the same token, nothing is stored."""

    def __init__(self) -> None:
        self._tokens: dict[tuple[str, str], str] = {}
        self._counts: Counter[str] = Counter()

    def tokenize_all(self, scope: Scope, items: Sequence[tuple[str, str]]) -> list[str]:
        for key in items:
            if key not in self._tokens:
                self._counts[key[0]] += 1
                self._tokens[key] = format_token(key[0], self._counts[key[0]])
        return [self._tokens[key] for key in items]

    def values(self, scope: Scope, tokens: set[str] | frozenset[str]) -> dict[str, str]:
        found = {token: value for (_, value), token in self._tokens.items()}
        return {token: found[token] for token in tokens if token in found}


@dataclass(frozen=True)
class Replacement:
    """One protected value: where it was in the input and what stands there now."""

    type: str
    start: int
    end: int
    score: float
    operator: Operator
    replacement: str


@dataclass(frozen=True)
class Protected:
    text: str
    replacements: tuple[Replacement, ...]

    def counts(self) -> dict[str, int]:
        """Entity types and how many of each: what an audit record may hold."""
        return dict(Counter(r.type for r in self.replacements))


class PiiProtector:
    def __init__(self, detector: PiiDetector, profile: Profile, tokens: TokenIssuer) -> None:
        self.detector = detector
        self.profile = profile
        self.tokens = tokens

    def protect(self, text: str, scope: Scope) -> Protected:
        """Replace every detected value as the profile says; keep everything else as it is."""
        chosen = [(e, self.profile.operator(e.type)) for e in self.detector.analyze(text)]
        chosen = [(entity, operator) for entity, operator in chosen if operator != "keep"]
        pseudonyms = iter(
            self.tokens.tokenize_all(
                scope,
                [(e.type, text[e.start : e.end]) for e, op in chosen if op == "pseudonymize"],
            )
        )
        replacements = tuple(
            Replacement(
                entity.type,
                entity.start,
                entity.end,
                entity.score,
                operator,
                next(pseudonyms)
                if operator == "pseudonymize"
                else _transform(operator, entity.type, text[entity.start : entity.end]),
            )
            for entity, operator in chosen
        )
        return Protected(_rewrite(text, replacements), replacements)

    def redact_unsupplied(self, text: str) -> Protected:
        """Redact values in text that holds tokens already (model output): tokens stand for
        values the caller supplied; any other personal data was not supplied and is redacted."""
        replacements = tuple(
            Replacement(e.type, e.start, e.end, e.score, "redact", redact(e.type))
            for e in self.detector.analyze(text, skip_tokens=True)
            if self.profile.operator(e.type) != "keep" and e.type != "LITERAL"
        )
        return Protected(_rewrite(text, replacements), replacements)

    def restorer(self, scope: Scope, texts: Iterable[str]) -> Restorer:
        """A restorer for the tokens found in `texts` that were issued in `scope`."""
        wanted = {match.group(0) for text in texts for match in TOKEN.finditer(text)}
        return Restorer(self.tokens.values(scope, wanted))


def _transform(operator: Operator, entity_type: str, value: str) -> str:
    """Every operator but `pseudonymize`, which needs the token issuer."""
    if operator == "mask":
        return mask(entity_type, value)
    if operator == "generalize":
        return generalize(entity_type, value)
    if operator == "drop":
        return ""
    return redact(entity_type)


def _rewrite(text: str, replacements: Sequence[Replacement]) -> str:
    """`text` with each replacement's span (in order, not overlapping) replaced."""
    parts: list[str] = []
    position = 0
    for replacement in replacements:
        parts += [text[position : replacement.start], replacement.replacement]
        position = replacement.end
    parts.append(text[position:])
    return "".join(parts)
