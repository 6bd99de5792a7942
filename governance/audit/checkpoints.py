"""The checkpoint signer: it signs tree heads of one log, and only ones that extend the tree it
signed last, so it never signs two views of history.

It keeps its own state (size and compact range of the last signed tree) beside its key, sealed
by the KeyRing and apart from the log's store: a log restored from an old copy, or truncated,
no longer reaches the size the signer remembers, and verification says so.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from tutela.errors import AuditError, CiphertextError
from tutela.governance.audit.merkle import EMPTY_ROOT, RootBuilder
from tutela.governance.audit.records import utc_now
from tutela.governance.audit.store import Checkpoint
from tutela.governance.envelope import Context
from tutela.governance.keyring import KeyRing
from tutela.governance.signing import Signer


@dataclass(frozen=True)
class SignedState:
    size: int
    root: bytes
    compact: tuple[bytes, ...]


class CheckpointSigner:
    def __init__(self, signer: Signer, keyring: KeyRing, state_file: Path, origin: str) -> None:
        self.signer = signer
        self.keyring = keyring
        self.state_file = state_file
        self.origin = origin
        self._lock = FileLock(str(state_file) + ".lock")
        self._context = Context("_system", "audit-signer-state", origin, "state")

    @property
    def key_id(self) -> str:
        return self.signer.key_id

    def public_key(self) -> bytes:
        return self.signer.public_key()

    def begin(self, log_is_empty: bool) -> None:
        """Start remembering a new, empty log (called when the log is opened). The state is
        created only for an empty log: for one that already holds records, a missing state
        means it was lost or deleted, and the signer refuses to sign (see `sign_next`)."""
        with self._lock:
            if log_is_empty and not self.state_file.exists():
                self._save(SignedState(0, EMPTY_ROOT, ()))

    def last_signed(self) -> SignedState | None:
        """What the signer signed last; None if its state is missing."""
        with self._lock:
            return self._load() if self.state_file.exists() else None

    def sign_next(self, new_leaves: Callable[[int], Iterable[bytes]]) -> Checkpoint | None:
        """Extend the last signed tree with `new_leaves(size)` (the leaves from `size` on, read
        while the signer is locked) and sign its head; None if there is nothing new.

        A signer whose state is missing refuses: starting over could sign a history that
        contradicts what it signed before (after records and checkpoints were rewritten)."""
        with self._lock:
            if not self.state_file.exists():
                raise AuditError(
                    f"the checkpoint signer's state {self.state_file} is missing: restore it "
                    "from backup; nothing is signed until then"
                )
            state = self._load()
            builder = RootBuilder.resume(state.size, state.compact)
            for leaf in new_leaves(state.size):
                builder.push(leaf)
            if builder.size == state.size:
                return None
            checkpoint = self._sign(builder.size, builder.root())
            self._save(SignedState(builder.size, builder.root(), tuple(builder.compact())))
            return checkpoint

    def _sign(self, size: int, root: bytes) -> Checkpoint:
        unsigned = Checkpoint(self.origin, size, root, utc_now(), self.signer.key_id, b"")
        signature = self.signer.sign(unsigned.signed_text())
        return Checkpoint(self.origin, size, root, unsigned.time, self.signer.key_id, signature)

    def _load(self) -> SignedState:
        try:
            data = json.loads(self.keyring.decrypt(self.state_file.read_bytes(), self._context))
            return SignedState(
                int(data["size"]),
                base64.b64decode(data["root"]),
                tuple(base64.b64decode(h) for h in data["compact"]),
            )
        except (CiphertextError, ValueError, KeyError, OSError):
            raise AuditError(
                f"the checkpoint signer's state {self.state_file} is unreadable or was altered: "
                "no checkpoint is signed until it is restored from backup"
            ) from None

    def _save(self, state: SignedState) -> None:
        payload = json.dumps(
            {
                "size": state.size,
                "root": base64.b64encode(state.root).decode(),
                "compact": [base64.b64encode(h).decode() for h in state.compact],
            }
        ).encode()
        sealed = self.keyring.encrypt(payload, self._context)
        self.state_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = self.state_file.with_suffix(".tmp")
        temporary.write_bytes(sealed)
        temporary.chmod(0o600)
        temporary.replace(self.state_file)
