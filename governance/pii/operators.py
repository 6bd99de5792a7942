"""What happens to a detected value: the operators a profile chooses from.

- `pseudonymize`: a typed token (`<PERSON_1>`) kept in the vault; the caller gets the value back.
- `mask`: most characters hidden; a card keeps at most its first six and last four digits.
- `redact`: the value is replaced by its type in brackets (`[US_SSN]`).
- `generalize`: HIPAA Safe Harbor coarsening: dates to their year, ZIP codes to their first
  three digits (`000` for the sparsely populated areas), ages over 89 to `90+`.
- `drop`: the value is removed and never stored (card security codes).
- `keep`: the value stays as it is.
"""

from __future__ import annotations

import re
from typing import Literal

Operator = Literal["pseudonymize", "mask", "redact", "generalize", "drop", "keep"]
OPERATORS: tuple[Operator, ...] = ("pseudonymize", "mask", "redact", "generalize", "drop", "keep")

# Three-digit ZIP prefixes whose areas hold 20,000 people or fewer (HHS guidance on the
# Safe Harbor method, 2000 census): they generalize to 000.
RESTRICTED_ZIP3 = frozenset(
    [
        "036",
        "059",
        "063",
        "102",
        "203",
        "556",
        "692",
        "790",
        "821",
        "823",
        "830",
        "831",
        "878",
        "879",
        "884",
        "890",
        "893",
    ]
)
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_SHORT_YEAR = re.compile(r"[/.\-](\d{2})\s*$")
_ZIP = re.compile(r"(?<![0-9])([0-9]{5})(?:-[0-9]{4})?(?![0-9])")


def redact(entity_type: str) -> str:
    return f"[{entity_type}]"


def mask(entity_type: str, value: str) -> str:
    """Hide all but a few characters: a card keeps its first six and last four digits, other
    values their last four characters when they have at least ten."""
    alnum = [i for i, char in enumerate(value) if char.isalnum()]
    if entity_type == "CREDIT_CARD":
        shown = set(alnum[:6] + alnum[-4:]) if len(alnum) >= 13 else set()
    else:
        shown = set(alnum[-4:]) if len(alnum) >= 10 else set()
    return "".join(c if i in shown or not c.isalnum() else "*" for i, c in enumerate(value))


def generalize(entity_type: str, value: str) -> str:
    """The Safe Harbor form of a value; types without one are redacted."""
    if entity_type in ("DATE_OF_BIRTH", "DATE"):
        year = _YEAR.search(value)
        if year:
            return year.group(1)
        short = _SHORT_YEAR.search(value)
        return f"'{short.group(1)}" if short else redact(entity_type)
    if entity_type == "ZIP_CODE":
        # The value may carry its label ("ZIP 02139"), like dates and ages may: generalize its
        # one ZIP code; anything else in it is left out (it could name a city).
        code = _ZIP.search(value)
        if code and not re.search(r"\d", value[: code.start()] + value[code.end() :]):
            prefix = code.group(1)[:3]
            return "000" if prefix in RESTRICTED_ZIP3 else prefix
        return redact(entity_type)
    if entity_type == "AGE":
        digits = re.sub(r"\D", "", value)
        if not digits:
            return redact(entity_type)  # an age it cannot read might be over 89
        if int(digits) > 89:
            return "90+"
        return value
    return redact(entity_type)
