"""The default key provider: KEKs in a file under `<home>/keys`, sealed by the master secret.

Each KEK version is 32 random bytes, stored AES-256-GCM-encrypted under a wrapping key that
scrypt (memory-hard: n=2^15, r=8, p=1, 32 MiB) derives from the master secret and a random salt.
The master secret comes from the environment or a key file kept outside the data directory; a
stolen data directory alone therefore reveals no key. Unwrapped KEKs exist only in memory.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
import threading
import time
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from filelock import FileLock

from tutela.errors import KeystoreError, MasterSecretError
from tutela.governance.key_provider import KekVersion

FILE_FORMAT = 1
SCRYPT = {"n": 2**15, "r": 8, "p": 1}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class LocalKeyProvider:
    kek_id = "local"

    def __init__(self, path: Path, master_secret: bytes) -> None:
        if not master_secret:
            raise MasterSecretError("the master secret is empty: configure it (see docs/keys.md)")
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._file_lock = FileLock(str(path) + ".lock", timeout=60, mode=0o600)
        with self._file_lock:
            if not path.exists():
                self._create(master_secret)
            self._load(master_secret)

    def _create(self, master_secret: bytes) -> None:
        salt = os.urandom(16)
        self._wrapping = AESGCM(self._derive(master_secret, salt, SCRYPT))
        self._state = {
            "format": FILE_FORMAT,
            "kek_id": self.kek_id,
            "salt": _b64(salt),
            "scrypt": SCRYPT,
            "versions": [],
        }
        self._keks: dict[int, bytes] = {}
        self._add_version()

    def _load(self, master_secret: bytes) -> None:
        state = self._read()
        try:
            salt = base64.b64decode(state["salt"])
            wrapping = AESGCM(self._derive(master_secret, salt, state["scrypt"]))
        except (ValueError, KeyError, TypeError):
            raise self._damaged() from None
        self._wrapping = wrapping
        self._keks = self._open_versions(state)
        self._state = state
        self._seen = self._stamp()

    def _stamp(self) -> int:
        try:
            return self.path.stat().st_mtime_ns
        except OSError:
            return 0

    def _refresh_if_changed(self) -> None:
        if self._stamp() != self._seen:
            self._refresh()

    def _refresh(self) -> None:
        """Pick up versions another process added (after its rotation)."""
        with self._file_lock:
            state = self._read()
            self._keks = self._open_versions(state)
            self._state = state
            self._seen = self._stamp()

    def _read(self) -> dict:
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise self._damaged() from None
        if not isinstance(state, dict) or state.get("format") != FILE_FORMAT:
            raise KeystoreError(
                f"the KEK file {self.path} is not in a format this version of Tutela reads: "
                "restore it or upgrade Tutela"
            )
        return state

    def _open_versions(self, state: dict) -> dict[int, bytes]:
        keks = {}
        try:
            for entry in state["versions"]:
                version = int(entry["version"])
                blob = base64.b64decode(entry["wrapped"])
                try:
                    kek = self._wrapping.decrypt(blob[:12], blob[12:], self._aad(version))
                except InvalidTag:
                    raise MasterSecretError(
                        f"the master secret does not open the keystore {self.path}: use the "
                        "secret it was created with (TUTELA_MASTER_SECRET or the master key file)"
                    ) from None
                keks[version] = kek
        except (ValueError, KeyError, TypeError):
            raise self._damaged() from None
        if not keks:
            raise KeystoreError(f"the KEK file {self.path} holds no key version: restore it")
        return keks

    def _damaged(self) -> KeystoreError:
        return KeystoreError(
            f"the KEK file {self.path} is unreadable or damaged: restore it from a backup "
            "(Tutela never rewrites it in place)"
        )

    @staticmethod
    def _derive(secret: bytes, salt: bytes, params: dict) -> bytes:
        return Scrypt(salt=salt, length=32, n=params["n"], r=params["r"], p=params["p"]).derive(
            secret
        )

    def _aad(self, version: int) -> bytes:
        return f"tutela-kek|{self.kek_id}|{version}".encode()

    def _add_version(self) -> int:
        version = max(self._keks, default=0) + 1
        kek = os.urandom(32)
        nonce = os.urandom(12)
        wrapped = nonce + self._wrapping.encrypt(nonce, kek, self._aad(version))
        self._state["versions"].append(
            {"version": version, "created": time.time(), "wrapped": _b64(wrapped)}
        )
        self._write()
        self._seen = self._stamp()
        self._keks[version] = kek
        return version

    def _write(self) -> None:
        """Write a new file next to the old one and swap it in: never a half-written file."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temp = tempfile.mkstemp(prefix=".kek-", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(self._state, out, indent=2)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, 0o600)
            os.replace(temp, self.path)
        except OSError as exc:
            Path(temp).unlink(missing_ok=True)
            raise KeystoreError(
                f"cannot write the KEK file {self.path} ({exc.strerror}): nothing was changed"
            ) from None

    def current_version(self) -> int:
        self._refresh_if_changed()  # another process may have rotated
        return max(self._keks)

    def wrap(self, dek: bytes, aad: bytes) -> tuple[int, bytes]:
        version = self.current_version()
        nonce = os.urandom(12)
        return version, nonce + AESGCM(self._keks[version]).encrypt(nonce, dek, aad)

    def unwrap(self, version: int, wrapped: bytes, aad: bytes) -> bytes:
        if version not in self._keks:
            self._refresh()
        kek = self._keks.get(version)
        if kek is None:
            raise KeystoreError(
                f"KEK version {version} of '{self.kek_id}' is not in {self.path}: the KEK file is "
                "older than the keystore; restore the newer one"
            )
        try:
            return AESGCM(kek).decrypt(wrapped[:12], wrapped[12:], aad)
        except InvalidTag:
            raise KeystoreError("a wrapped data key is damaged: restore the keystore") from None

    def rotate(self) -> int:
        with self._lock, self._file_lock:
            self._refresh()
            return self._add_version()

    def versions(self) -> list[KekVersion]:
        self._refresh_if_changed()
        return [KekVersion(int(v["version"]), float(v["created"])) for v in self._state["versions"]]
