"""Identity numbers and dates: SSNs, dates of birth, other dates, ages, student ids."""

from __future__ import annotations

from tutela.governance.pii import checksums
from tutela.governance.pii.recognizers.rules import Rule, RuleRecognizer, labelled

US_SSN = RuleRecognizer(
    "US_SSN",
    [
        Rule(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])", 0.85, checksums.us_ssn),
        Rule(r"(?<![\d ])\d{3} \d{2} \d{4}(?![\d ])", 0.6, checksums.us_ssn),
        Rule(r"(?<![\d.])\d{3}\.\d{2}\.\d{4}(?![\d.])", 0.6, checksums.us_ssn),
        # The label a few words before the number ("SSN on file for her: 123456789").
        Rule(
            r"(?is:(?<![^\W_])(?:ssn|ss#|social security|soc\.? sec)\b.{0,60}?)(?<![\d\-])"
            r"(?P<value>\d{3}[- .]?\d{2}[- .]?\d{4})(?![\d\-])",
            0.75,
            checksums.us_ssn,
        ),
        Rule(
            labelled(
                r"ssn|ss#|ss no|social security|social sec|soc sec|social|ssa|tin|taxpayer id",
                r"\d{3}[- ]?\d{2}[- ]?\d{4}",
            )
            + r"(?!\d)",
            0.9,
            checksums.us_ssn,
        ),
    ],
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DATE_VALUE = (
    r"(?i:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"  # 03/14/1987, 14.03.87
    r"|\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}"  # 1987-03-14
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"  # March 14, 1987
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"  # 14 Mar 1987
    rf"|\d{{1,2}}[\-]{_MONTH}[\-]\d{{2,4}})"  # 14-Mar-1987
)

DATE_OF_BIRTH = RuleRecognizer(
    "DATE_OF_BIRTH",
    [
        Rule(
            labelled(
                r"dob|d\.o\.b\.?|date of birth|birth ?date|birthday|born(?: on)?|b\.|"
                r"fecha de nacimiento|geburtsdatum|date de naissance|bday|birth|birth certificate|"
                r"nata il|nato il|née le|né le|geboren am|nacido el|nacida el|"
                r"date of birth\??[^\n]{0,40}\n[^\n:]{0,20}:",
                DATE_VALUE,
            )
            + r"(?!\d)",
            0.9,
        ),
    ],
)

DATE = RuleRecognizer("DATE", [Rule(rf"(?i)(?<![\d/.\-]){DATE_VALUE}(?![\d/\-])", 0.6)])

AGE = RuleRecognizer(
    "AGE",
    [
        Rule(r"(?i)\b(?:age[ds]?|aged)\s*:?\s*(?P<value>1[0-4]\d|\d{1,2})\b", 0.8),
        Rule(
            r"(?i)\b(?P<value>1[0-4]\d|\d{1,2})[\s\-]*(?:years?|yrs?|y/?o|yo)\b(?:[\s\-]*old)?",
            0.75,
        ),
    ],
)

STUDENT_ID = RuleRecognizer(
    "STUDENT_ID",
    [
        Rule(
            labelled(
                r"student|learner|pupil|matrikelnummer|matrikel|matriculation|matric|enrol?lment|enrollee|roll|"
                r"registration|campus|school|university|univ|admission|applicant|banner|"
                r"sid|stu|id|id#|id no",
                r"(?=[A-Z0-9\-]*\d{4})[A-Z0-9][A-Z0-9\-]{3,20}[A-Z0-9]",
            )
            + r"(?![\w-])",
            0.8,
        ),
    ],
)


# Any other code holding five digits or more (reference, member, case numbers no label names):
# pseudonymized too, since the caller gets it back and a missed identifier is a leak.
ID_NUMBER = RuleRecognizer(
    "ID_NUMBER",
    [
        Rule(
            r"(?<![\w\-/.,$€£#:])(?=(?:[A-Za-z\-]*\d){5})[A-Za-z0-9](?:[A-Za-z0-9]|-(?=\w)){4,30}"
            r"(?![\w\-]|[.,]\d)",
            0.4,
        )
    ],
)

RECOGNIZERS = [US_SSN, DATE_OF_BIRTH, DATE, AGE, STUDENT_ID, ID_NUMBER]
