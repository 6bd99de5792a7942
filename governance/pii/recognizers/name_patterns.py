"""Names that a shape gives away, for `NameRecognizer`: names before a professional degree,
families by their surname, @-mentions, names spelled out letter by letter; and the function
words of other languages, which are no names although the given-name list holds many of them.
(Names in other scripts are `recognizers/scripts.py`'s.)"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from functools import cache

# A name before a professional degree: "Halima Abdullahi, FNP", "Miguel Ángel Torres, DO".
_CREDENTIAL = re.compile(
    r"(?<![\w'’\-])(?P<name>[A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+){1,2}),? "
    r"(?:MD|DO|RN|NP|FNP|APRN|PA-C|PhD|DDS|DMD|PharmD|LPN|CNM|DNP|MSN|BSN|LCSW|CPA|Esq)\b"
)
# A family by its surname: "the Dupont family", "the Okafor twins".
_FAMILY = re.compile(
    r"\b[Tt]he (?P<name>[A-Z][\w'’\-]+) (?:family|household|twins|triplets|kids|children)\b"
)
# A name spelled out letter by letter, after "spelled" or the like ("spelled B-A-P-T-I-S-T-E",
# "that's V O L K O V"), or after the name itself ("Will Baker. B-A-K-E-R.").
_SPELLED = re.compile(
    r"(?i:\b(?:spelled|spelt|spelling|spell it|spells|that's|that is|it's)\b[:,]?[ \t]+)"
    r"(?P<name>(?-i:[A-Z](?:(?:-| )[A-Z]){3,}))(?![\w\-])"
)
_LETTERS = re.compile(r"(?<![\w\-])(?P<name>[A-Z](?:-[A-Z]){3,})(?![\w\-])")
# A mention: "@Marguerite can you ...".
_MENTION = re.compile(r"(?<![\w.@])@(?P<name>[A-Z][a-z]+(?:[A-Z][a-z]+)?)\b(?!\.\w)")


def patterned_names(text: str) -> Iterator[tuple[int, int, float]]:
    """(start, end, score) of the names these patterns find."""
    for pattern in (_MENTION, _CREDENTIAL, _FAMILY, _SPELLED):
        for match in pattern.finditer(text):
            yield match.start("name"), match.end("name"), 0.7
    for match in _LETTERS.finditer(text):
        word = match.group("name").replace("-", "")
        if re.search(rf"(?i)\b{word}\b", text):
            yield match.start("name"), match.end("name"), 0.7


# Languages whose function words ("una", "til", "alla") the international given-name list
# also holds.
_OTHER_LANGUAGES = ("es", "fr", "de", "it", "pt", "nl", "sv", "da", "nb", "fi", "pl", "ro", "hr")


@cache
def foreign_function_words() -> frozenset[str]:
    """Function words of other languages, from spaCy's stop lists, in lower case."""
    words: set[str] = set()
    for language in _OTHER_LANGUAGES:
        words.update(importlib.import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS)
    return frozenset(words)
