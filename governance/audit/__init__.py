"""The audit trail: an append-only RFC 9162 Merkle log of PII-free records."""
