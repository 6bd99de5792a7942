"""Retention: content past its class's retention is purged, leaf hashes stay, holds win."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from tutela.errors import ConfigError, LegalHoldError
from tutela.governance.audit.checkpoints import CheckpointSigner
from tutela.governance.audit.log import AuditLog
from tutela.governance.audit.records import AuditEvent
from tutela.governance.audit.retention import FLOORS_DAYS, purge, retention_days
from tutela.governance.audit.search import RecordFilter, search
from tutela.governance.audit.store import SqliteAuditStore
from tutela.governance.audit.verify import verify_log
from tutela.governance.keyring import TENANT_WIDE, KeyRing
from tutela.governance.signing import LocalSigner
from tutela.settings import Settings


@pytest.fixture
def trail(tmp_path: Path):
    settings = Settings(home=tmp_path, master_secret="retention-test-secret")
    keyring = KeyRing.open(settings, create=True)
    folder = settings.keys_dir / "signing"
    signer = CheckpointSigner(
        LocalSigner.open(keyring, folder, "audit"), keyring, folder / "state", "retention"
    )
    store = SqliteAuditStore(settings.audit_file)
    yield AuditLog(store, signer, sdk_version="test", checkpoint_every=5), keyring
    store.close()
    keyring.close()


def event(kind: str, tenant: str) -> AuditEvent:
    return AuditEvent(event_type=kind, actor="u1", tenant=tenant, outcome="success")


def test_floors_refuse_shorter_retention() -> None:
    assert retention_days({}) == FLOORS_DAYS
    assert retention_days({"operations": 400})["operations"] == 400
    with pytest.raises(ConfigError, match="below the regulatory floor of 365 days"):
        retention_days({"operations": 30})
    with pytest.raises(ConfigError, match="unknown record classes"):
        retention_days({"chats": 3000})


def test_purge_keeps_leaves_verifies_and_respects_holds(trail) -> None:
    log, keyring = trail
    for tenant in ("alpha", "beta"):
        log.append(event("model_call", tenant))
        log.append(event("audit_read", tenant))
    log.checkpoint()
    keyring.set_legal_hold("beta", TENANT_WIDE, "case 7")
    days = retention_days({})
    now = datetime.datetime.now(datetime.UTC)

    # Nothing is due yet.
    assert purge(log.store, days, keyring.under_legal_hold, now=now).purged == 0
    # 2 years on: operations records (12 months) are due, access records (6 years) are not.
    later = now + datetime.timedelta(days=2 * 365)
    dry = purge(log.store, days, keyring.under_legal_hold, now=later, dry_run=True)
    assert (dry.purged, dry.held) == (1, 1)
    assert all(r.record is not None for r in log.store.records())
    result = purge(log.store, days, keyring.under_legal_hold, now=later)
    assert (result.purged, result.held) == (1, 1)
    remaining = list(search(log.store, RecordFilter()))
    assert [(r["tenant"], r["event_type"]) for r in remaining] == [
        ("alpha", "model_call"),
        ("beta", "model_call"),
        ("beta", "audit_read"),
    ]
    # 7 years on, after the hold is released: everything of both tenants goes.
    keyring.release_legal_hold("beta", TENANT_WIDE)
    much_later = now + datetime.timedelta(days=7 * 365)
    assert purge(log.store, days, keyring.under_legal_hold, now=much_later).purged == 3
    report = verify_log(log.store, {log.signer.key_id: log.signer.public_key()}, "retention")
    assert report.ok and report.pruned == 4 and report.signed_size == 4


def test_a_tenant_hold_blocks_subject_erasure(trail) -> None:
    _, keyring = trail
    keyring.set_legal_hold("alpha", TENANT_WIDE, "case 9")
    assert keyring.under_legal_hold("alpha", "patient-1")
    with pytest.raises(LegalHoldError, match="whole tenant"):
        keyring.erase_subject("alpha", "patient-1")
    assert not keyring.under_legal_hold("beta", "patient-1")
    keyring.release_legal_hold("alpha", TENANT_WIDE)
    assert keyring.erase_subject("alpha", "patient-1") == 0
