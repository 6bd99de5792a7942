"""Medical record numbers, NPIs, DEA numbers and health plan ids."""

from __future__ import annotations

from tutela.governance.pii import checksums
from tutela.governance.pii.recognizers.rules import Rule, RuleRecognizer, labelled

_ID_VALUE = r"(?=[A-Z0-9\-]*\d{3})[A-Z0-9][A-Z0-9\-]{3,24}[A-Z0-9]"
# Ids printed in groups: "BCX 4471 0928 33", "QWR 882 019 447", "UHC 918-22-0471-01" (also
# with the letter O read for a zero).
_GROUPED_ID = (
    r"[A-Z]{2,4}(?:(?: \d{2,5}){2,4}| \d{6,12}(?!-)"
    r"| (?=[\dO\-]*\d{3})\d[\dO]{1,11}(?:-[\dO]{2,5}){1,3}(?![\w-]))"
)
# Digits printed in groups, eight or more in all: "2953 70415 1", "0 880 004571903 002",
# "884.2210.0073.44", with a version code after them ("4821 093 771 KT").
_DIGIT_GROUPS = (
    r"(?=(?:\d ?){8})\d{1,5}(?: \d{1,9}){1,4}(?!\d)(?: [A-Z]{1,2}\b)?"
    r"|\d{3,4}(?:\.\d{2,4}){2,4}(?![\d.])"
)
# Ids made of parts between slashes: "KMC/OP/2024/118823".
_SLASHED_ID = r"(?=[A-Z0-9/]*\d{4})[A-Z]{2,5}(?:/[A-Z0-9]{2,10}){2,4}"

MEDICAL_RECORD_NUMBER = RuleRecognizer(
    "MEDICAL_RECORD_NUMBER",
    [
        Rule(
            labelled(
                r"mrn|medical record|med rec|medical rec|chart|patient|pt|hospital|"
                r"record|case|encounter|ehr|emr|health record|registration no|hospital no|"
                r"hospital number|historia clínica|número de historia clínica|dossier|"
                r"patientennummer|cartella clinica|hosp\. no\.?|uhid|등록번호|병원 등록번호|"
                r"protokol no|no\. rm|rekam medis|شماره پرونده|رقم الملف",
                rf"{_ID_VALUE}|{_SLASHED_ID}|\d{{2,4}}/\d{{4,8}}",
            )
            + r"(?![\w-])",
            0.85,
        ),
        # A FHIR resource path: "/Patient/30041977".
        Rule(r"(?i:/patient/)(?P<value>[A-Za-z0-9\-.]{4,64})(?![\w\-])", 0.8),
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
                r"medicare card|medicaid card|member card|"
                r"tessera sanitaria|afiliado|número de afiliado|carte vitale|versichertennummer|"
                r"adhérent|d'adhérent|tarjeta sanitaria|carteirinha|carteirinha do convênio|"
                r"convênio|polisnummer|polis|krankenversichertennummer|رقم العضوية|العضوية|"
                # national health numbers: UK, Ghana, Ontario, Quebec, France, Russia, Brazil,
                # Vietnam, Germany, Australia, India, Portugal, Japan, Korea, China
                r"nhs|nhis|ohip|ramq|assurance maladie|mutuelle|sécurité sociale|полис омс|"
                r"полис|омс|cartão sus|cartão nacional de saúde|cns|số thẻ bhyt|thẻ bhyt|bhyt|"
                r"kvnr|medicare number|medicare no|abha|número de utente|utente|nº de utente|"
                r"被保険者番号|保険者番号|記号・番号|保険証|건강보험증|건강보험|医保卡号|医保卡|社保卡|"
                r"医保号",
                rf"{_GROUPED_ID}|{_DIGIT_GROUPS}|{_ID_VALUE}",
            )
            + r"(?![\w-])",
            0.8,
        ),
        # ... with the card's scheme in brackets: "Health card (OHIP): 4821 093 771 KT".
        Rule(
            labelled(
                r"(?:health|insurance|medicare|medicaid|member) card \([A-Z]{2,8}\)",
                rf"{_GROUPED_ID}|{_DIGIT_GROUPS}|{_ID_VALUE}",
            )
            + r"(?![\w-])",
            0.8,
        ),
        # A bare "ID" on a card or in a sentence about the plan: "MEMBER: ... ID: BRH 44718",
        # also as optical character recognition reads it ("Member lD").
        Rule(
            r"(?is:(?<![^\W_])(?:member|subscriber|insurance|insured|health plan|cardholder|"
            r"medicaid|medicare|ahcccs)\b.{0,80}?)(?<![^\W_])[Il1]D\b(?:[\s:#]|\bis\b)*"
            rf"(?P<value>(?-i:{_GROUPED_ID}|{_ID_VALUE}))(?![\w-])",
            0.78,
        ),
        Rule(rf"\b{_MBI}\b", 0.85),
    ],
)

RECOGNIZERS = [MEDICAL_RECORD_NUMBER, NPI, DEA_NUMBER, HEALTH_PLAN_ID]
