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


@dataclass(frozen=True)
class Context:
    """Where a ciphertext belongs. It is authenticated, never stored in the ciphertext."""

    tenant: str
    record_type: str
    record_id: str
    field: str

    def __post_init__(self) -> None:
        parts = (self.tenant, self.record_type, self.record_id, self.field)
        if not all(isinstance(p, str) for p in parts):
            raise InputError("every part of an encryption context must be a string")
        if not self.tenant:
            raise InputError("an encryption context needs a tenant")

    def encode(self) -> bytes:
        parts = [
            p.encode("utf-8") for p in (self.tenant, self.record_type, self.record_id, self.field)
        ]
        return b"".join(struct.pack(">I", len(p)) + p for p in parts)


@dataclass(frozen=True)
class Header:
    algorithm: str
    kek_id: str
    kek_version: int
    dek_id: bytes

    def encode(self) -> bytes:
        kek_id = self.kek_id.encode("utf-8")
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


def parse(ciphertext: bytes) -> tuple[Header, bytes, bytes, bytes]:
    """Split a ciphertext into its header, the header's bytes, the nonce and the sealed body."""
    if not isinstance(ciphertext, bytes | bytearray | memoryview):
        raise CiphertextError("a ciphertext must be bytes")
    data = bytes(ciphertext)
    if len(data) < _FIXED.size:
        raise CiphertextError("the ciphertext is truncated or not a Tutela ciphertext")
    magic, version, algorithm, kek_version, dek_id, kek_len = _FIXED.unpack_from(data)
    if magic != MAGIC:
        raise CiphertextError("not a Tutela ciphertext (wrong magic bytes)")
    if version != FORMAT_VERSION or algorithm not in ALGORITHMS:
        raise CiphertextError(
            f"unknown ciphertext format {version}/{algorithm}: upgrade Tutela to read it"
        )
    end = _FIXED.size + kek_len
    if len(data) < end + NONCE_BYTES + TAG_BYTES:
        raise CiphertextError("the ciphertext is truncated")
    try:
        kek_id = data[_FIXED.size : end].decode("utf-8")
    except UnicodeDecodeError:
        raise CiphertextError("the ciphertext header is damaged") from None
    header = Header(ALGORITHMS[algorithm], kek_id, kek_version, dek_id)
    return header, data[:end], data[end : end + NONCE_BYTES], data[end + NONCE_BYTES :]


def seal(
    aead: AESGCM | AESGCMSIV, header_bytes: bytes, nonce: bytes, context: Context, plaintext: bytes
) -> bytes:
    body = aead.encrypt(nonce, plaintext, header_bytes + context.encode())
    return header_bytes + nonce + body


def unseal(
    aead: AESGCM | AESGCMSIV, header_bytes: bytes, nonce: bytes, body: bytes, context: Context
) -> bytes:
    try:
        return aead.decrypt(nonce, body, header_bytes + context.encode())
    except InvalidTag:
        raise CiphertextError(
            "the ciphertext does not authenticate: it was altered, truncated, or belongs to "
            "another tenant, record or field"
        ) from None
