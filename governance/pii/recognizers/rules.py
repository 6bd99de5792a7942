"""`RuleRecognizer`: a Presidio recognizer made of regular-expression rules.

A rule's pattern may hold a group named `value`: then only that group is the entity and the
rest of the match is context that must be present (e.g. `MRN` before a record number). A rule
may also carry a validator (a check digit) that a match must pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from presidio_analyzer import EntityRecognizer, RecognizerResult

# Between a label and its value: separators, quotes and a few filler words ("MRN is 123",
# "acct no. 123", "member ID number: 123", 'passphrase = "...').
GAP = (
    r"(?:[\s:#=.,\-–()：、№\"'`፡]|\b(?:is|was|assigned|are|number|numbers|num|no|n0|nr|id|ids"
    r"|of|on file|ending in|ending|reads|the|my|his|her|their|our|code|field|value|on the back"
    r"|back|if|it|it's|its|should be|be|will be|new|ref|reference|es|est|ist|é|è|är)\b)*"
)


def labelled(labels: str, value: str) -> str:
    """A pattern for `value` right after one of the `labels` (case-insensitive), which starts
    a word or follows Chinese, Japanese or Korean text, written without spaces ("他的学号是")."""
    return rf"(?<![^\W_{CJK_LETTERS}])(?i:{labels})(?i:{GAP})(?P<value>{value})"


CJK_LETTERS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"


@dataclass(frozen=True)
class Rule:
    pattern: str
    score: float
    validate: Callable[[str], bool] | None = None
    flags: int = 0
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", re.compile(self.pattern, self.flags))


class RuleRecognizer(EntityRecognizer):
    """Finds one entity type with a list of rules."""

    def __init__(self, entity: str, rules: Sequence[Rule], *, name: str | None = None) -> None:
        self.rules = tuple(rules)
        super().__init__(supported_entities=[entity], name=name or f"tutela-{entity.lower()}")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        entity = self.supported_entities[0]
        found: dict[tuple[int, int], float] = {}
        for rule in self.rules:
            for match in rule.compiled.finditer(text):
                group = "value" if "value" in rule.compiled.groupindex else 0
                start, end = match.span(group)
                start, end = _trim(text, start, end)
                if end <= start:
                    continue
                if rule.validate is not None:
                    end = _valid_end(text, start, end, rule.validate)
                    if end is None:
                        continue
                if found.get((start, end), 0.0) < rule.score:
                    found[(start, end)] = rule.score
        return [
            RecognizerResult(entity, start, end, score) for (start, end), score in found.items()
        ]


def _valid_end(text: str, start: int, end: int, validate: Callable[[str], bool]) -> int | None:
    """The longest end, at the match's end or before one of its separators, that validates:
    a greedy match may run into a following group of characters ("DE89 ... 00 BIC")."""
    if validate(text[start:end]):
        return end
    for cut in range(end - 1, start, -1):
        if text[cut] in " -" and validate(text[start:cut]):
            return cut
    return None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding spaces and trailing sentence punctuation from a match."""
    while start < end and text[start] in " \t\r\n":
        start += 1
    while end > start and text[end - 1] in " \t\r\n.,;:)!?":
        end -= 1
    return start, end
