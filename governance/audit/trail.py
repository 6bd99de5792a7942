"""The audit trail as one object: store, checkpoint signer and log, opened from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from tutela.governance.audit.checkpoints import CheckpointSigner
from tutela.governance.audit.log import AuditLog
from tutela.governance.audit.retention import retention_days
from tutela.governance.audit.store import AuditStore, SqliteAuditStore
from tutela.governance.audit.verify import Problem, VerifyReport, verify_log
from tutela.governance.keyring import KeyRing
from tutela.governance.signing import LocalSigner
from tutela.settings import Settings


@dataclass
class AuditTrail:
    store: AuditStore
    signer: CheckpointSigner
    log: AuditLog
    keyring: KeyRing  # for keyed commitments and legal holds

    @classmethod
    def open(cls, settings: Settings, keyring: KeyRing, *, sdk_version: str) -> AuditTrail:
        retention_days(settings.audit_retention_days)  # below a regulatory floor: ConfigError
        folder = settings.keys_dir / "signing"
        signer = CheckpointSigner(
            LocalSigner.open(keyring, folder, "audit"),
            keyring,
            folder / "audit-checkpoints.state",
            settings.audit_origin,
        )
        store = open_store(settings)
        log = AuditLog(
            store,
            signer,
            sdk_version=sdk_version,
            checkpoint_every=settings.audit_checkpoint_every,
            checkpoint_seconds=settings.audit_checkpoint_seconds,
        )
        return cls(store, signer, log, keyring)

    def trusted_keys(self) -> dict[str, bytes]:
        return {self.signer.key_id: self.signer.public_key()}

    def verify(self) -> VerifyReport:
        """Verify the whole log against its checkpoints and the signer's memory."""
        last = self.signer.last_signed()
        report = verify_log(
            self.store,
            self.trusted_keys(),
            self.signer.origin,
            remembered=(last.size, last.root) if last is not None else None,
        )
        if last is None and report.size:
            report.problems.append(
                Problem(
                    "signer-state-missing",
                    None,
                    "the checkpoint signer's state is missing: records and checkpoints may have "
                    "been rewritten without trace; restore the state from backup",
                )
            )
        return report

    def close(self) -> None:
        """Checkpoint what is not signed yet, then close the store."""
        try:
            self.log.checkpoint()
        finally:
            self.store.close()


def open_store(settings: Settings) -> AuditStore:
    """PostgreSQL when `audit_dsn` is set, else SQLite under the data directory."""
    if settings.audit_dsn is not None:
        from tutela.governance.audit.postgres import PostgresAuditStore

        return PostgresAuditStore(settings.audit_dsn.get_secret_value())
    return SqliteAuditStore(settings.audit_file)
