"""The ciphertext format: a versioned header, then an AEAD-sealed body.

    magic "TU" | format 1 | algorithm | KEK version (u32) | DEK id (16 bytes)
    | KEK id length (u8) | KEK id | nonce (12 bytes) | ciphertext and 16-byte tag

The associated data is the whole header followed by the record context (tenant, record type,
record id, field), so flipping any header byte or moving a ciphertext to another record, field
or tenant makes it fail to decrypt.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import NamedTuple

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, AESGCMSIV

from tutela.errors import CiphertextError, InputError

MAGIC = b"TU"
FORMAT_VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16
DEK_ID_BYTES = 16
ALGORITHMS = {1: "AES-256-GCM", 2: "AES-256-GCM-SIV"}
ALGORITHM_IDS = {name: number for number, name in ALGORITHMS.items()}
_FIXED = struct.Struct(">2sBBI16sB")
FIXED_HEADER_BYTES = _FIXED.size  # the last of these bytes is the KEK id's length
_LENGTH = struct.Struct(">I").pack


@dataclass(frozen=True)
class Context:
    """Where a ciphertext belongs. It is authenticated, never stored in the ciphertext."""

    tenant: str
    record_type: str
    record_id: str
    field: str
    _encoded: bytes = dataclass_field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            parts = [
                p.encode("utf-8")
                for p in (self.tenant, self.record_type, self.record_id, self.field)
            ]
        except (AttributeError, UnicodeEncodeError):
            raise InputError("every part of an encryption context must be a text string") from None
        if not parts[0]:
            raise InputError("an encryption context needs a tenant")
        encoded = b"".join(_LENGTH(len(p)) + p for p in parts)
        object.__setattr__(self, "_encoded", encoded)

    def encode(self) -> bytes:
        """Length-prefixed parts: field boundaries cannot be shifted."""
        return self._encoded


class Header(NamedTuple):
    algorithm: str
    kek_id: str
    kek_version: int
    dek_id: bytes

    def encode(self) -> bytes:
        kek_id = self.kek_id.encode("utf-8")
        if len(kek_id) > 255:
            raise InputError("a KEK id must be at most 255 bytes long")
        fixed = _FIXED.pack(
            MAGIC,
            FORMAT_VERSION,
            ALGORITHM_IDS[self.algorithm],
            self.kek_version,
            self.dek_id,
            len(kek_id),
        )
        return fixed + kek_id


def cipher(algorithm: str, key: bytes) -> AESGCM | AESGCMSIV:
    return AESGCMSIV(key) if algorithm == "AES-256-GCM-SIV" else AESGCM(key)


def parse(ciphertext: bytes) -> tuple[Header, bytes, bytes, memoryview]:
    """Split a ciphertext into its header, the header's bytes, the nonce and the sealed body."""
    if type(ciphertext) is not bytes:
        if not isinstance(ciphertext, bytearray | memoryview):
            raise CiphertextError("a ciphertext must be bytes")
        ciphertext = bytes(ciphertext)
    try:
        magic, version, algorithm, kek_version, dek_id, kek_len = _FIXED.unpack_from(ciphertext)
    except struct.error:
        raise CiphertextError("the ciphertext is truncated or not a Tutela ciphertext") from None
    if magic != MAGIC:
        raise CiphertextError("not a Tutela ciphertext (wrong magic bytes)")
    if version != FORMAT_VERSION or algorithm not in ALGORITHMS:
        raise CiphertextError(
            f"unknown ciphertext format {version}/{algorithm}: upgrade Tutela to read it"
        )
    end = _FIXED.size + kek_len
    if len(ciphertext) < end + NONCE_BYTES + TAG_BYTES:
        raise CiphertextError("the ciphertext is truncated")
    try:
        kek_id = ciphertext[_FIXED.size : end].decode("utf-8")
    except UnicodeDecodeError:
        raise CiphertextError("the ciphertext header is damaged") from None
    header = Header(ALGORITHMS[algorithm], kek_id, kek_version, dek_id)
    body = memoryview(ciphertext)[end + NONCE_BYTES :]
    return header, ciphertext[:end], ciphertext[end : end + NONCE_BYTES], body


def seal(
    aead: AESGCM | AESGCMSIV, header_bytes: bytes, nonce: bytes, context: Context, plaintext: bytes
) -> bytes:
    return header_bytes + nonce + aead.encrypt(nonce, plaintext, header_bytes + context._encoded)


def unseal(
    aead: AESGCM | AESGCMSIV, header_bytes: bytes, nonce: bytes, body: bytes, context: Context
) -> bytes:
    try:
        return aead.decrypt(nonce, body, header_bytes + context._encoded)
    except InvalidTag:
        raise CiphertextError(
            "the ciphertext does not authenticate: it was altered, truncated, or belongs to "
            "another tenant, record or field"
        ) from None
