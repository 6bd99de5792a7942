"""Values of DICOM headers as `dcmdump` and similar tools print them, typed by their value
representation or tag: `(0010,0010) PN [SILVA^ANA^MARIA]`, `(0010,0030) DA [19850723]`."""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult

# Tags whose values are personal, beyond every person name (PN).
_TAGS = {
    "0010,0020": "MEDICAL_RECORD_NUMBER",  # patient id
    "0010,0030": "DATE_OF_BIRTH",
    "0010,1040": "STREET_ADDRESS",  # patient's address
    "0010,2154": "PHONE_NUMBER",
}
_ELEMENT = re.compile(
    r"\((?P<tag>[0-9A-Fa-f]{4},[0-9A-Fa-f]{4})\)\s+(?P<vr>[A-Z]{2})\s+\[(?P<value>[^\]\n]+)\]"
)


class DicomRecognizer(EntityRecognizer):
    """Person names and patient identifiers in printed DICOM headers."""

    def __init__(self) -> None:
        kinds = {"PERSON", *_TAGS.values()}
        super().__init__(supported_entities=sorted(kinds), name="tutela-dicom")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        results = []
        for match in _ELEMENT.finditer(text):
            kind = "PERSON" if match.group("vr") == "PN" else _TAGS.get(match.group("tag"))
            if kind and match.group("value").strip():
                results.append(RecognizerResult(kind, *match.span("value"), 0.85))
        return results
