"""Medical record numbers, NPIs, DEA numbers and health plan ids."""

from __future__ import annotations

from tutela.governance.pii import checksums
from tutela.governance.pii.recognizers.rules import Rule, RuleRecognizer, labelled

_ID_VALUE = r"(?=[A-Z0-9\-]*\d{3})[A-Z0-9][A-Z0-9\-]{3,24}[A-Z0-9]"
# Ids printed in groups: "BCX 4471 0928 33", "QWR 882 019 447".
_GROUPED_ID = r"[A-Z]{2,4}(?: \d{2,4}){2,4}"

MEDICAL_RECORD_NUMBER = RuleRecognizer(
    "MEDICAL_RECORD_NUMBER",
    [
        Rule(
            labelled(
                r"mrn|medical record|med rec|medical rec|chart|patient|pt|hospital|"
                r"record|case|encounter|ehr|emr|health record",
                _ID_VALUE,
            )
            + r"(?![\w-])",
            0.85,
        ),
    ],
)

NPI = RuleRecognizer(
    "NPI",
    [
        Rule(
            labelled(r"npi|national provider|provider|prescriber|npi#", r"\d{10}") + r"(?!\d)",
            0.9,
            checksums.npi,
        ),
        Rule(r"(?<![\d\-.(])\d{10}(?![\d\-])", 0.5, checksums.npi),
    ],
)

DEA_NUMBER = RuleRecognizer(
    "DEA_NUMBER",
    [Rule(r"(?i)\b[ABFGMPRX][A-Z9]\d{7}\b", 0.9, checksums.dea)],
)

# Medicare Beneficiary Identifier: 11 characters in a fixed letter/digit layout (no S, L, O,
# I, B, Z letters), often written with dashes after the 4th and 7th.
_MBI = (
    r"[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?"
    r"[AC-HJKMNP-RT-Y]{2}\d{2}"
)

HEALTH_PLAN_ID = RuleRecognizer(
    "HEALTH_PLAN_ID",
    [
        Rule(
            labelled(
                r"member|subscriber|insurance|insured|policy|plan|group|medicaid|medicare|"
                r"beneficiary|mbi|hicn|coverage|payer|insurer|health plan|benefits|"
                r"dental plan|vision plan|enrollee|ins id|ins\. id|insurance card|health card|"
                r"tessera sanitaria|afiliado|número de afiliado|carte vitale|versichertennummer",
                rf"{_GROUPED_ID}|{_ID_VALUE}",
            )
            + r"(?![\w-])",
            0.8,
        ),
        Rule(rf"\b{_MBI}\b", 0.85),
    ],
)

RECOGNIZERS = [MEDICAL_RECORD_NUMBER, NPI, DEA_NUMBER, HEALTH_PLAN_ID]
