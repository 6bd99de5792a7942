"""Ed25519 signatures: a `Signer` holds the private key, anyone with the public key verifies.

`LocalSigner` keeps its private key in a file under the keystore folder, sealed by the KeyRing
(AEAD bound to the key's name), so the key is as safe as the master secret. Break-glass grants
are signed with it; other signers (an HSM, a cloud KMS) can take its place behind `Signer`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tutela.errors import CiphertextError, KeystoreError
from tutela.governance.envelope import Context
from tutela.governance.keyring import KeyRing

_SYSTEM_TENANT = "_system"


class Signer(Protocol):
    key_id: str

    def public_key(self) -> bytes:
        """The raw 32-byte Ed25519 public key."""
        ...

    def sign(self, message: bytes) -> bytes: ...


class LocalSigner:
    """An Ed25519 key sealed by the KeyRing in `<folder>/<name>.key`, created on first use."""

    def __init__(self, private_key: Ed25519PrivateKey, name: str) -> None:
        self._key = private_key
        self.key_id = f"{name}:{self.public_key()[:8].hex()}"

    @classmethod
    def open(cls, keyring: KeyRing, folder: Path, name: str) -> LocalSigner:
        path = folder / f"{name}.key"
        context = Context(_SYSTEM_TENANT, "signing-key", name, "ed25519")
        try:
            if path.exists():
                sealed = path.read_bytes()
                return cls(
                    Ed25519PrivateKey.from_private_bytes(keyring.decrypt(sealed, context)), name
                )
            key = Ed25519PrivateKey.generate()
            sealed = keyring.encrypt(key.private_bytes_raw(), context)
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            temporary = path.with_suffix(".tmp")
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(sealed)
            os.replace(temporary, path)
            return cls(key, name)
        except CiphertextError:
            raise KeystoreError(
                f"the signing key {path} does not open with this keystore: restore it from the "
                "backup taken with the keystore, or remove it to start a new key (grants signed "
                "with the old one stop being valid)"
            ) from None
        except (OSError, ValueError) as exc:
            raise KeystoreError(
                f"the signing key {path} cannot be read or written ({type(exc).__name__}): check "
                "the folder's permissions"
            ) from None

    def public_key(self) -> bytes:
        return self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)


def verify_signature(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Whether `signature` is `public_key`'s Ed25519 signature of `message`."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True
