"""Values of DICOM headers as `dcmdump`, pydicom and similar tools print them, typed by their
value representation or tag: `(0010,0010) PN [SILVA^ANA^MARIA]`, `(0010,0030) DA [19850723]`,
`(0010,0010) PatientName  PN  KIM^MIN-JUN`, `(0010, 0010) Patient's Name  PN: 'DOE^JANE'`."""

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
_VR = (
    "AE|AS|AT|CS|DA|DS|DT|FD|FL|IS|LO|LT|OB|OD|OF|OL|OV|OW|PN|SH|SL|SQ|SS|ST|SV|TM|UC|UI|UL|UN|"
    "UR|US|UT|UV"
)
_ELEMENT = re.compile(
    r"\((?P<group>[0-9A-Fa-f]{4}),\s?(?P<element>[0-9A-Fa-f]{4})\)[ \t]+"
    rf"(?:[A-Za-z][\w' ]*?[ \t]+)?(?P<vr>{_VR}):?[ \t]+"
    r"(?:\[(?P<bracketed>[^\]\n]+)\]|'(?P<quoted>[^'\n]+)'|(?P<bare>[^\s\['][^\n]*?)[ \t]*$)",
    re.MULTILINE,
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
            tag = f"{match.group('group')},{match.group('element')}".upper()
            kind = "PERSON" if match.group("vr") == "PN" else _TAGS.get(tag)
            value = next(v for v in ("bracketed", "quoted", "bare") if match.group(v))
            if kind and match.group(value).strip():
                results.append(RecognizerResult(kind, *match.span(value), 0.85))
        return results
