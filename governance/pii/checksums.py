"""Check digits of the identifier formats that have one. Each takes the identifier's text and
returns whether its check digit is right; separators (spaces, dashes) are ignored."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-.]")

# Length of the IBAN of each country (ISO 13616 registry).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip


def compact(text: str) -> str:
    return _SEPARATORS.sub("", text)


def luhn(digits: str) -> bool:
    digits = compact(digits)
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def iban(text: str) -> bool:
    code = compact(text).upper()
    if IBAN_LENGTHS.get(code[:2]) != len(code) or not code[2:4].isdigit():
        return False
    rearranged = code[4:] + code[:4]
    if not rearranged.isalnum():
        return False
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def aba_routing(text: str) -> bool:
    digits = compact(text)
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    d = [int(c) for c in digits]
    return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5] + d[8]) % 10 == 0


def npi(text: str) -> bool:
    digits = compact(text)
    return len(digits) == 10 and digits[0] in "12" and luhn("80840" + digits)


def dea(text: str) -> bool:
    code = compact(text).upper()
    if len(code) != 9 or not code[:2].isalpha() and not (code[0].isalpha() and code[1] == "9"):
        return False
    if not code[2:].isdigit():
        return False
    d = [int(c) for c in code[2:]]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


def us_ssn(text: str) -> bool:
    digits = compact(text)
    if len(digits) != 9 or not digits.isdigit():
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
        return False
    return len(set(digits)) > 1 and digits not in ("123456789", "987654321")
