"""Values of X12 claims and remittances (837, 835, 270/271), typed by segment and element.

X12 puts a person's name, identifiers, address and birth date in positional elements:
`NM1*IL*1*BAPTISTE*MARIE-CLAIRE****MI*JQK449210385~`, `N3*4410 MAGAZINE ST~`,
`DMG*D8*19560814*F~`. Elements are separated by `*` and segments end with `~` or a line
break, as nearly every interchange declares in its ISA segment.
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult

from tutela.governance.pii.recognizers.names import given_names

# NM1's identification code qualifier (element 8) -> the type of the code (element 9).
_ID_QUALIFIERS = {
    "MI": "HEALTH_PLAN_ID", "II": "HEALTH_PLAN_ID", "XX": "NPI", "34": "US_SSN",
    "SY": "US_SSN",
}  # fmt: skip
# REF's qualifier -> the type of the reference.
_REFERENCES = {
    "SY": "US_SSN", "1W": "HEALTH_PLAN_ID", "IG": "HEALTH_PLAN_ID", "EA": "MEDICAL_RECORD_NUMBER",
}  # fmt: skip
_SEGMENT = re.compile(r"(?m)(?:^|(?<=~)|(?<=\s))(?P<id>NM1|N3|N4|DMG|REF|PER)\*(?P<rest>[^~\r\n]*)")


class X12Recognizer(EntityRecognizer):
    """Names, identifiers, street lines, postal codes, phones and birth dates in X12."""

    def __init__(self) -> None:
        kinds = {"PERSON", "STREET_ADDRESS", "ZIP_CODE", "DATE_OF_BIRTH", "PHONE_NUMBER"}
        kinds |= set(_ID_QUALIFIERS.values()) | set(_REFERENCES.values())
        super().__init__(supported_entities=sorted(kinds), name="tutela-x12")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        for segment in _SEGMENT.finditer(text):
            elements, position = [], segment.start("rest")
            for value in segment.group("rest").split("*"):
                elements.append((position, position + len(value), value))
                position += len(value) + 1
            results += _READERS[segment.group("id")](elements)
        return results


def _found(kind: str, element: tuple[int, int, str]) -> list[RecognizerResult]:
    start, end, value = element
    return [RecognizerResult(kind, start, end, 0.85)] if value.strip() else []


def _element(elements, number: int) -> tuple[int, int, str]:
    """Element `number` (from 1), or an empty one past the end."""
    return elements[number - 1] if len(elements) >= number else (0, 0, "")


def _name(elements) -> list[RecognizerResult]:
    """NM1: entity code, entity type (1 = a person), last, first, middle, prefix, suffix,
    identification code qualifier, identification code."""
    results = []
    if _element(elements, 2)[2] == "1":
        parts = [e for e in elements[2:5] if e[2].strip()]
        if parts and not any(c.isdigit() for _, _, v in parts for c in v):
            results.append(RecognizerResult("PERSON", parts[0][0], parts[-1][1], 0.85))
    kind = _ID_QUALIFIERS.get(_element(elements, 8)[2])
    if kind:
        results += _found(kind, _element(elements, 9))
    return results


def _street(elements) -> list[RecognizerResult]:
    """N3: one or two street lines."""
    return [r for e in elements[:2] for r in _found("STREET_ADDRESS", e)]


def _place(elements) -> list[RecognizerResult]:
    """N4: city, state, postal code."""
    return _found("ZIP_CODE", _element(elements, 3))


def _demographics(elements) -> list[RecognizerResult]:
    """DMG: date format (D8), birth date, sex."""
    date = _element(elements, 2)
    return _found("DATE_OF_BIRTH", date) if re.fullmatch(r"\d{8}", date[2]) else []


def _reference(elements) -> list[RecognizerResult]:
    kind = _REFERENCES.get(_element(elements, 1)[2])
    return _found(kind, _element(elements, 2)) if kind else []


def _contact(elements) -> list[RecognizerResult]:
    """PER: function, name, then pairs of (qualifier, number): TE phone, EM email. The name is
    a person's when it starts with a given name ("PER*IC*JERRY KING"), not a department's
    ("PER*IC*BILLING DEPT")."""
    results = []
    name = _element(elements, 2)
    words = name[2].split()
    if words and words[0].lower() in given_names() and not any(c.isdigit() for c in name[2]):
        results += _found("PERSON", name)
    for qualifier, number in ((3, 4), (5, 6), (7, 8)):
        if _element(elements, qualifier)[2] in ("TE", "CP", "FX", "HP", "WP"):
            results += _found("PHONE_NUMBER", _element(elements, number))
    return results


_READERS = {
    "NM1": _name,
    "N3": _street,
    "N4": _place,
    "DMG": _demographics,
    "REF": _reference,
    "PER": _contact,
}
