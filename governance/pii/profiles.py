"""Profiles: which operator applies to which entity type, bundled per regulation.

Every profile pseudonymizes what it does not name, redacts secrets (they are never stored,
not even sealed) and drops card security codes (PCI DSS forbids keeping them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tutela.errors import ConfigError
from tutela.governance.pii.entities import ENTITY_TYPES
from tutela.governance.pii.operators import Operator

_ALWAYS: dict[str, Operator] = {"SECRET": "redact", "CARD_SECURITY_CODE": "drop"}


@dataclass(frozen=True)
class Profile:
    """`operators` maps entity types to operators; types it does not list get `default`."""

    name: str
    description: str
    operators: dict[str, Operator] = field(default_factory=dict)
    default: Operator = "pseudonymize"

    def operator(self, entity_type: str) -> Operator:
        return self.operators.get(entity_type, self.default)

    def protected_types(self) -> list[str]:
        """Entity types this profile changes (everything but `keep`)."""
        return [t for t in ENTITY_TYPES if self.operator(t) != "keep"]


PROFILES: dict[str, Profile] = {
    profile.name: profile
    for profile in (
        Profile(
            "default",
            "pseudonymize personal data, redact secrets, drop card security codes; other dates "
            "and ages stay",
            {**_ALWAYS, "DATE": "keep", "AGE": "keep"},
        ),
        Profile(
            "hipaa-safe-harbor",
            "HIPAA Safe Harbor: the 18 identifiers are pseudonymized; dates become years, ZIP "
            "codes their first three digits (000 where sparse), ages over 89 '90+'",
            {
                **_ALWAYS,
                "DATE_OF_BIRTH": "generalize",
                "DATE": "generalize",
                "ZIP_CODE": "generalize",
                "AGE": "generalize",
            },
        ),
        Profile(
            "pci",
            "PCI DSS: card numbers masked to first six and last four digits, security codes "
            "dropped, account numbers masked; other personal data pseudonymized",
            {
                **_ALWAYS,
                "CREDIT_CARD": "mask",
                "ACCOUNT_NUMBER": "mask",
                "DATE": "keep",
                "AGE": "keep",
            },
        ),
        Profile(
            "ferpa",
            "FERPA: students' identifiers and records pseudonymized; social security numbers "
            "redacted (never used as student identifiers)",
            {**_ALWAYS, "US_SSN": "redact", "DATE": "keep", "AGE": "keep"},
        ),
        Profile(
            "gdpr",
            "GDPR: every identifier pseudonymized (Art. 4(5)) with keys kept apart, online "
            "identifiers (IP addresses, URLs) and ages included; secrets redacted",
            {**_ALWAYS, "DATE": "keep"},
        ),
    )
}


def load_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise ConfigError(
            f"unknown PII profile {name!r}: choose one of {', '.join(PROFILES)}"
        ) from None
