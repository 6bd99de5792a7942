"""`AuditLog`: append PII-free records to a store and have the signer checkpoint them, every
`checkpoint_every` records or `checkpoint_seconds` seconds, and on demand."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable

from tutela.errors import AuditError
from tutela.governance.audit.checkpoints import CheckpointSigner
from tutela.governance.audit.merkle import leaf_hash
from tutela.governance.audit.records import AuditEvent, AuditRecord, utc_now
from tutela.governance.audit.store import AuditStore, Checkpoint

log = logging.getLogger(__name__)


class AuditLog:
    def __init__(
        self,
        store: AuditStore,
        signer: CheckpointSigner,
        *,
        sdk_version: str,
        checkpoint_every: int = 1000,
        checkpoint_seconds: float = 300.0,
    ) -> None:
        self.store = store
        self.signer = signer
        self.sdk_version = sdk_version
        self.checkpoint_every = checkpoint_every
        self.checkpoint_seconds = checkpoint_seconds
        self._lock = threading.Lock()
        self._since_checkpoint = 0
        self._last_checkpoint = time.monotonic()
        signer.begin(log_is_empty=store.size() == 0)

    @property
    def origin(self) -> str:
        return self.signer.origin

    def append(self, event: AuditEvent) -> AuditRecord:
        """Write one record; checkpoint when one is due. Raises `AuditError` if it cannot."""
        written: list[AuditRecord] = []

        def build(seq: int) -> bytes:
            record = AuditRecord(
                **event.model_dump(), seq=seq, time=utc_now(), sdk_version=self.sdk_version
            )
            written.append(record)
            return record.canonical()

        self.store.append(build)
        with self._lock:
            self._since_checkpoint += 1
            due = (
                self._since_checkpoint >= self.checkpoint_every
                or time.monotonic() - self._last_checkpoint >= self.checkpoint_seconds
            )
        if due:
            try:
                self.checkpoint()
            except AuditError as exc:
                # The record is written; a checkpoint that cannot be signed (the log was
                # tampered with, or the signer's state is missing) is for `audit verify`.
                log.error("scheduled audit checkpoint failed: %s", exc)
        return written[-1]

    def checkpoint(self) -> Checkpoint | None:
        """Sign the current tree head (None if nothing was added since the last one).

        The signer hashes the records itself: a record whose stored leaf hash no longer
        matches its bytes is tampering, and nothing is signed."""
        checkpoint = self.signer.sign_next(self._leaves_from)
        with self._lock:
            self._since_checkpoint = 0
            self._last_checkpoint = time.monotonic()
        if checkpoint is not None:
            self.store.add_checkpoint(checkpoint)
        return checkpoint

    def _leaves_from(self, start: int) -> Iterable[bytes]:
        expected = start
        for stored in self.store.records(start):
            if stored.seq != expected:
                raise AuditError(
                    f"audit record {expected} is missing: nothing is signed; run "
                    "`tutela audit verify`"
                )
            leaf = leaf_hash(stored.record) if stored.record is not None else stored.leaf
            if leaf != stored.leaf:
                raise AuditError(
                    f"audit record {stored.seq} does not match its leaf hash: nothing is "
                    "signed; run `tutela audit verify`"
                )
            expected += 1
            yield leaf
