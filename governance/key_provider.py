"""Key-encryption keys (KEKs) live behind a `KeyProvider`.

A provider wraps and unwraps data keys; it never hands out a KEK. The interface is the one a
key-management service offers (HashiCorp Vault transit, AWS KMS, Google Cloud KMS, Azure Key
Vault): encrypt and decrypt small blobs under a named, versioned key, and rotate that key. An
external KMS plugs in by implementing these five members; callers do not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class KekVersion:
    version: int
    created: float


@runtime_checkable
class KeyProvider(Protocol):
    kek_id: str
    """Stable name of the KEK, written into every ciphertext header."""

    def current_version(self) -> int:
        """The version new wraps use."""
        ...

    def wrap(self, dek: bytes, aad: bytes) -> tuple[int, bytes]:
        """Encrypt a data key under the current version; return (version, wrapped bytes)."""
        ...

    def unwrap(self, version: int, wrapped: bytes, aad: bytes) -> bytes:
        """Decrypt a data key wrapped under `version`; raise `KeystoreError` if it fails."""
        ...

    def rotate(self) -> int:
        """Create a new KEK version, make it current and return it; old versions stay usable."""
        ...

    def versions(self) -> list[KekVersion]: ...
