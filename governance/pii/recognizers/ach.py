"""Values of ACH (NACHA) files, typed by record and position.

An ACH file is made of 94-character records. The file header (`1`) holds the receiving
bank's routing number; each entry detail record (`6`) holds the receiver's routing number,
account number, amount, identification number and name:

    6220735085002826590892       0000184250EMP0042        OKONKWO-ADEBAYO, NNEKA  0071000010000001

Records copied from a file may carry a stray space, so the fields after the amount are read
as words rather than by column.
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult

# An entry detail record: transaction code, routing number (8 digits and a check digit),
# account number (17 characters), amount (10 digits), then the identification number and
# the receiver's name, separated by spaces.
_ENTRY = re.compile(
    r"(?m)^6\d{2}(?P<routing>\d{9})(?P<account>[0-9A-Za-z\- ]{17})\d{10}"
    r"(?P<id>[0-9A-Za-z\-]{1,15})?[ ]+(?P<name>[A-Za-z][A-Za-z ,.'&\-]{0,21}?)(?=[ ]{2,}|[ ]?\d|$)"
)
# The file header: priority code, then the immediate destination (a space and a routing
# number) and the immediate origin.
_HEADER = re.compile(r"(?m)^101[ ](?P<routing>\d{9})[ 0-9]\d{9}\d{6}\d{4}[A-Z0-9]094101")


class AchRecognizer(EntityRecognizer):
    """Routing and account numbers, identification numbers and names in ACH records."""

    def __init__(self) -> None:
        kinds = ["PERSON", "US_ROUTING_NUMBER", "ACCOUNT_NUMBER", "ID_NUMBER"]
        super().__init__(supported_entities=kinds, name="tutela-ach")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        results = [
            RecognizerResult("US_ROUTING_NUMBER", *match.span("routing"), 0.85)
            for match in _HEADER.finditer(text)
        ]
        for match in _ENTRY.finditer(text):
            results.append(RecognizerResult("US_ROUTING_NUMBER", *match.span("routing"), 0.85))
            field = match.group("account")  # 17 characters, the number padded with spaces
            if account := field.strip():
                start = match.start("account") + field.index(account)
                results.append(
                    RecognizerResult("ACCOUNT_NUMBER", start, start + len(account), 0.85)
                )
            if match.group("id"):
                results.append(RecognizerResult("ID_NUMBER", *match.span("id"), 0.5))
            results.append(RecognizerResult("PERSON", *match.span("name"), 0.85))
        return results
