"""The recognizers Tutela runs, one module per family. Add a recognizer by writing a
`RuleRecognizer` (or any Presidio `EntityRecognizer`) and passing it to `PiiDetector`."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from tutela.governance.pii.recognizers import (
    contact,
    financial,
    health,
    identity,
    literal,
    location,
    places,
    scripts,
    secrets,
)
from tutela.governance.pii.recognizers.ach import AchRecognizer
from tutela.governance.pii.recognizers.dicom import DicomRecognizer
from tutela.governance.pii.recognizers.hl7 import Hl7Recognizer
from tutela.governance.pii.recognizers.learned import LearnedNameAddressRecognizer
from tutela.governance.pii.recognizers.names import NameRecognizer
from tutela.governance.pii.recognizers.rules import Rule, RuleRecognizer, labelled
from tutela.governance.pii.recognizers.tables import TableRecognizer
from tutela.governance.pii.recognizers.x12 import X12Recognizer

__all__ = [
    "LearnedNameAddressRecognizer",
    "NameRecognizer",
    "Rule",
    "RuleRecognizer",
    "default_recognizers",
    "labelled",
]


def default_recognizers() -> list[EntityRecognizer]:
    return [
        NameRecognizer(),
        LearnedNameAddressRecognizer(),
        *contact.RECOGNIZERS,
        *financial.RECOGNIZERS,
        *health.RECOGNIZERS,
        *identity.RECOGNIZERS,
        *location.RECOGNIZERS,
        *places.RECOGNIZERS,
        *scripts.RECOGNIZERS,
        *secrets.RECOGNIZERS,
        *literal.RECOGNIZERS,
        TableRecognizer(),
        Hl7Recognizer(),
        X12Recognizer(),
        DicomRecognizer(),
        AchRecognizer(),
    ]
