"""Governance: PII protection, vault, keys and encryption, access control, audit, guards."""
