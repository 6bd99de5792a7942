"""`PiiProtector`: detection, the profile's operators and the vault, applied to text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from tutela.governance.pii.detector import PiiDetector
from tutela.governance.pii.entities import Entity
from tutela.governance.pii.operators import Operator, generalize, mask, redact
from tutela.governance.pii.profiles import Profile
from tutela.governance.pii.restore import Restorer
from tutela.governance.pii.tokens import TOKEN, format_token
from tutela.governance.pii.vault import Scope


class TokenIssuer(Protocol):
    def tokenize(self, scope: Scope, entity_type: str, value: str) -> str: ...

    def values(self, scope: Scope, tokens: set[str] | frozenset[str]) -> dict[str, str]: ...


class OneShotTokens:
    """Tokens that live in memory only, for one protection that is never restored
    (`tutela redact`): the same value gets the same token, nothing is stored."""

    def __init__(self) -> None:
        self._tokens: dict[tuple[str, str], str] = {}
        self._counts: Counter[str] = Counter()

    def tokenize(self, scope: Scope, entity_type: str, value: str) -> str:
        key = (entity_type, value)
        if key not in self._tokens:
            self._counts[entity_type] += 1
            self._tokens[key] = format_token(entity_type, self._counts[entity_type])
        return self._tokens[key]

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
        parts: list[str] = []
        replacements: list[Replacement] = []
        position = 0
        for entity in self.detector.analyze(text):
            operator = self.profile.operator(entity.type)
            if operator == "keep":
                continue
            value = text[entity.start : entity.end]
            replacement = self._apply(operator, entity, value, scope)
            parts += [text[position : entity.start], replacement]
            replacements.append(
                Replacement(
                    entity.type, entity.start, entity.end, entity.score, operator, replacement
                )
            )
            position = entity.end
        parts.append(text[position:])
        return Protected("".join(parts), tuple(replacements))

    def redact_unsupplied(self, text: str) -> Protected:
        """Redact values in text that holds tokens already (model output): tokens stand for
        values the caller supplied; any other personal data was not supplied and is redacted."""
        parts: list[str] = []
        replacements: list[Replacement] = []
        position = 0
        for entity in self.detector.analyze(text, skip_tokens=True):
            if self.profile.operator(entity.type) == "keep" or entity.type == "LITERAL":
                continue
            replacement = redact(entity.type)
            parts += [text[position : entity.start], replacement]
            replacements.append(
                Replacement(
                    entity.type, entity.start, entity.end, entity.score, "redact", replacement
                )
            )
            position = entity.end
        parts.append(text[position:])
        return Protected("".join(parts), tuple(replacements))

    def restorer(self, scope: Scope, texts: Iterable[str]) -> Restorer:
        """A restorer for the tokens found in `texts` that were issued in `scope`."""
        wanted = {match.group(0) for text in texts for match in TOKEN.finditer(text)}
        return Restorer(self.tokens.values(scope, wanted))

    def _apply(self, operator: Operator, entity: Entity, value: str, scope: Scope) -> str:
        if operator == "pseudonymize":
            return self.tokens.tokenize(scope, entity.type, value)
        if operator == "mask":
            return mask(entity.type, value)
        if operator == "generalize":
            return generalize(entity.type, value)
        if operator == "drop":
            return ""
        return redact(entity.type)
