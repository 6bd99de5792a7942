"""Values of HL7 v2 messages, typed by the segment and field that hold them.

An HL7 v2 message carries a patient's name, birth date, address, phones and identifiers in
numbered fields without labels: `PID|1||00822914^^^MERCY^MR||Ahmadi^Parisa||19880214|F|...`.
Segments are found at the start of a line (`PID|...`); fields named in logs the usual way are
read as well (`PID-5=ABERNATHY-COLE^TERRENCE`). Components are separated by `^` and
repetitions by `~`, the separators nearly every message declares in its MSH segment.
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult

from tutela.governance.pii import checksums

# (segment, field number) -> how to read the field.
_NAME, _DATE, _ADDRESS, _PHONE, _IDENTIFIER, _PROVIDER = (
    "name", "date", "address", "phone", "identifier", "provider",
)  # fmt: skip
_FIELDS: dict[tuple[str, int], tuple[str, str]] = {
    ("PID", 2): (_IDENTIFIER, "MEDICAL_RECORD_NUMBER"),
    ("PID", 3): (_IDENTIFIER, "MEDICAL_RECORD_NUMBER"),
    ("PID", 4): (_IDENTIFIER, "MEDICAL_RECORD_NUMBER"),
    ("PID", 5): (_NAME, "PERSON"),
    ("PID", 6): (_NAME, "PERSON"),
    ("PID", 7): (_DATE, "DATE_OF_BIRTH"),
    ("PID", 9): (_NAME, "PERSON"),
    ("PID", 11): (_ADDRESS, "STREET_ADDRESS"),
    ("PID", 13): (_PHONE, "PHONE_NUMBER"),
    ("PID", 14): (_PHONE, "PHONE_NUMBER"),
    ("PID", 18): (_IDENTIFIER, "ACCOUNT_NUMBER"),
    ("PID", 19): (_IDENTIFIER, "US_SSN"),
    ("MRG", 1): (_IDENTIFIER, "MEDICAL_RECORD_NUMBER"),
    ("NK1", 2): (_NAME, "PERSON"),
    ("NK1", 4): (_ADDRESS, "STREET_ADDRESS"),
    ("NK1", 5): (_PHONE, "PHONE_NUMBER"),
    ("NK1", 6): (_PHONE, "PHONE_NUMBER"),
    ("GT1", 3): (_NAME, "PERSON"),
    ("GT1", 5): (_ADDRESS, "STREET_ADDRESS"),
    ("GT1", 6): (_PHONE, "PHONE_NUMBER"),
    ("GT1", 7): (_PHONE, "PHONE_NUMBER"),
    ("GT1", 8): (_DATE, "DATE_OF_BIRTH"),
    ("GT1", 12): (_IDENTIFIER, "US_SSN"),
    ("IN1", 16): (_NAME, "PERSON"),
    ("IN1", 18): (_DATE, "DATE_OF_BIRTH"),
    ("IN1", 19): (_ADDRESS, "STREET_ADDRESS"),
    ("IN1", 36): (_IDENTIFIER, "HEALTH_PLAN_ID"),
    ("IN1", 49): (_IDENTIFIER, "HEALTH_PLAN_ID"),
    ("PD1", 4): (_PROVIDER, "PERSON"),
    ("PV1", 7): (_PROVIDER, "PERSON"),
    ("PV1", 8): (_PROVIDER, "PERSON"),
    ("PV1", 9): (_PROVIDER, "PERSON"),
    ("PV1", 17): (_PROVIDER, "PERSON"),
    ("ORC", 10): (_PROVIDER, "PERSON"),
    ("ORC", 11): (_PROVIDER, "PERSON"),
    ("ORC", 12): (_PROVIDER, "PERSON"),
    ("OBR", 16): (_PROVIDER, "PERSON"),
    ("OBR", 28): (_PROVIDER, "PERSON"),
    ("RXE", 13): (_PROVIDER, "PERSON"),
}
_SEGMENTS = sorted({segment for segment, _ in _FIELDS})
# Identifier type codes (CX component 5) that say what an identifier is.
_IDENTIFIER_TYPES = {
    "MR": "MEDICAL_RECORD_NUMBER", "PI": "MEDICAL_RECORD_NUMBER", "PT": "MEDICAL_RECORD_NUMBER",
    "SS": "US_SSN", "AN": "ACCOUNT_NUMBER", "MB": "HEALTH_PLAN_ID", "MA": "HEALTH_PLAN_ID",
    "MC": "HEALTH_PLAN_ID", "MI": "HEALTH_PLAN_ID", "SN": "HEALTH_PLAN_ID", "NPI": "NPI",
}  # fmt: skip
_PLACEHOLDER = re.compile(r"[{}<>$]")
_SSN = re.compile(r"(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)")
_SEGMENT = re.compile(
    rf"(?m)(?:^|(?<=[\s>\"']))(?P<segment>{'|'.join(_SEGMENTS)})\|(?P<rest>[^\r\n]*)"
)
_FIELD_REFERENCE = re.compile(
    rf"\b(?P<segment>{'|'.join(_SEGMENTS)})[-.](?P<field>\d{{1,2}})\s*[=:]\s*(?P<value>[^\s|,;]+)"
)


# A clinician in any field of any segment: a valid NPI, then family and given names
# ("RXA|...|1539733455^OKAFOR-LEWIS^CHIOMA^^^^^^NPI").
_NPI_PROVIDER = re.compile(r"(?<![\w^])(?P<npi>\d{10})(?P<names>(?:\^[A-Za-z][A-Za-z'\- ]*){1,3})")


class Hl7Recognizer(EntityRecognizer):
    """Names, birth dates, addresses, phones and identifiers in HL7 v2 segments."""

    def __init__(self) -> None:
        kinds = {kind for _, kind in _FIELDS.values()} | set(_IDENTIFIER_TYPES.values())
        super().__init__(supported_entities=sorted(kinds | {"ZIP_CODE"}), name="tutela-hl7")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        for segment in _SEGMENT.finditer(text):
            position = segment.start("rest")
            for number, field in enumerate(segment.group("rest").split("|"), 1):
                results += _field(segment.group("segment"), number, field, position)
                position += len(field) + 1
        for provider in _NPI_PROVIDER.finditer(text):
            if checksums.npi(provider.group("npi")):
                start = provider.start("names")
                results += _provider(_components(text[start : provider.end()], start), "PERSON")
        for reference in _FIELD_REFERENCE.finditer(text):
            results += _field(
                reference.group("segment"),
                int(reference.group("field")),
                reference.group("value"),
                reference.start("value"),
            )
        return list({(r.entity_type, r.start, r.end): r for r in results}.values())


def _field(segment: str, number: int, field: str, offset: int) -> list[RecognizerResult]:
    """The values one field holds, over each of its repetitions."""
    reading = _FIELDS.get((segment, number))
    if reading is None or not field or _PLACEHOLDER.search(field):
        return []  # nothing, or a template's placeholder ("{{LAST}}^{{FIRST}}", "<name>")
    how, kind = reading
    results = []
    position = offset
    for repetition in field.split("~"):
        components = _components(repetition, position)
        results += _READERS[how](components, kind)
        position += len(repetition) + 1
    return results


def _components(value: str, offset: int) -> list[tuple[int, int, str]]:
    """(start, end, text) of each `^`-separated component, empty ones included."""
    components, position = [], offset
    for part in value.split("^"):
        components.append((position, position + len(part), part))
        position += len(part) + 1
    return components


def _found(kind: str, start: int, end: int) -> RecognizerResult:
    return RecognizerResult(kind, start, end, 0.85)


def _name(components, kind: str, first: int = 0) -> list[RecognizerResult]:
    """Family name, given name and middle names (the components after them are suffix,
    prefix and degree): one name, from the first to the last of them that holds letters."""
    parts = [c for c in components[first : first + 3] if any(ch.isalpha() for ch in c[2])]
    if not parts or any(ch.isdigit() for _, _, text in parts for ch in text):
        return []
    return [_found(kind, parts[0][0], parts[-1][1])]


def _provider(components, kind: str) -> list[RecognizerResult]:
    """A clinician (XCN): an identifier, then family, given and middle names."""
    return _name(components, kind, first=1)


def _date(components, kind: str) -> list[RecognizerResult]:
    start, end, text = components[0]
    return [_found(kind, start, end)] if re.fullmatch(r"\d{8}(?:\d{2,6})?", text) else []


def _address(components, kind: str) -> list[RecognizerResult]:
    """Street and its other designation (apartment) are the street line; component 5 is the
    postal code."""
    results = []
    street = [c for c in components[:2] if c[2].strip()]
    if street:
        results.append(_found(kind, street[0][0], street[-1][1]))
    if len(components) > 4 and any(ch.isdigit() for ch in components[4][2]):
        results.append(_found("ZIP_CODE", components[4][0], components[4][1]))
    return results


def _phone(components, kind: str) -> list[RecognizerResult]:
    return [
        _found(kind, start, end)
        for start, end, text in components
        if sum(ch.isdigit() for ch in text) >= 7
    ][:1]


def _identifier(components, kind: str) -> list[RecognizerResult]:
    start, end, text = components[0]
    if not any(ch.isdigit() for ch in text):
        return []
    code = components[4][2].strip().upper() if len(components) > 4 else ""
    kind = _IDENTIFIER_TYPES.get(code, kind)
    if _SSN.search(text):
        kind = "US_SSN"  # an SSN in another identifier's field keeps its type
    return [_found(kind, start, end)]


_READERS = {
    _NAME: _name,
    _PROVIDER: _provider,
    _DATE: _date,
    _ADDRESS: _address,
    _PHONE: _phone,
    _IDENTIFIER: _identifier,
}
