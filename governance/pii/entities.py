"""The entity types Tutela detects, and one detected entity."""

from __future__ import annotations

from dataclasses import dataclass

ENTITY_TYPES: dict[str, str] = {
    "PERSON": "a person's name",
    "STREET_ADDRESS": "a street line: number, street, unit; or a PO box",
    "ZIP_CODE": "a postal code (US ZIP, UK, Canadian, continental)",
    "EMAIL_ADDRESS": "an email address",
    "PHONE_NUMBER": "a phone or fax number",
    "US_SSN": "a US social security number",
    "DATE_OF_BIRTH": "a date given as a birth date",
    "DATE": "any other calendar date",
    "AGE": "a person's age",
    "CREDIT_CARD": "a payment card number (Luhn-checked)",
    "CARD_SECURITY_CODE": "a card's CVV/CVC",
    "IBAN": "an international bank account number (mod-97-checked)",
    "US_ROUTING_NUMBER": "a US ABA routing number (checksum-checked)",
    "SWIFT_CODE": "a SWIFT/BIC bank code",
    "ACCOUNT_NUMBER": "a bank, brokerage or loan account number",
    "MEDICAL_RECORD_NUMBER": "a medical record number",
    "NPI": "a US National Provider Identifier (check-digit-checked)",
    "DEA_NUMBER": "a DEA registration number (check-digit-checked)",
    "HEALTH_PLAN_ID": "a health plan member, subscriber or beneficiary id",
    "STUDENT_ID": "a student id",
    "IP_ADDRESS": "an IPv4 or IPv6 address",
    "URL": "a web address",
    "SECRET": "an API key, access token, password, private key, seed phrase or one-time code",
    "ID_NUMBER": "any other code of five digits or more (reference, case, member numbers)",
    "LITERAL": "text shaped like a pseudonym token that Tutela did not issue",
}


@dataclass(frozen=True)
class Entity:
    """A detected value: its type, where it is (`text[start:end]`) and how sure the detector is."""

    type: str
    start: int
    end: int
    score: float

    def __len__(self) -> int:
        return self.end - self.start
