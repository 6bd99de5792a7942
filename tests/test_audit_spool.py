"""Buffer-and-alert: records the store cannot take wait in a spool, then go in with an alert."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutela.domain import GENERAL
from tutela.errors import AuditError
from tutela.governance.audit.spool import Spool
from tutela.governance.audit.store import SqliteAuditStore
from tutela.pipeline.audit import AuditStage
from tutela.pipeline.call import Call
from tutela.principal import Principal
from tutela.runtime.protocol import ChatMessage


def a_call() -> Call:
    return Call(
        principal=Principal.local_admin(),
        domain=GENERAL,
        purpose="GENERAL",
        messages=[ChatMessage("user", "hello")],
        max_tokens=4,
        temperature=0.0,
        seed=None,
        stop=(),
    )


def test_without_a_spool_an_unwritable_record_refuses_the_call(audit_stage) -> None:
    audit_stage.log.store.close()
    with pytest.raises(AuditError, match="refused"):
        audit_stage.run(a_call())


def test_buffered_records_are_written_later_with_an_alert(audit_stage, tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool.jsonl")
    stage = AuditStage(audit_stage.log, audit_stage.commit, "python", spool=spool)
    store = stage.log.store
    store.close()
    reports = [stage.run(a_call()) for _ in range(2)]
    assert [r.detail for r in reports] == [{"buffered": 1}, {"buffered": 1}]
    assert spool.pending()
    assert "hello" not in spool.path.read_text()  # events hold no message text
    assert oct(spool.path.stat().st_mode & 0o777) == "0o600"

    stage.log.store = SqliteAuditStore(store.path)  # the store is back
    report = stage.run(a_call())
    assert not spool.pending()
    records = [json.loads(r.record) for r in stage.log.store.records()]
    assert [r["event_type"] for r in records] == ["model_call", "model_call", "alert", "model_call"]
    alert = records[2]
    assert alert["severity"] == "high" and alert["details"]["buffered"] == 2
    assert report.detail == {"seq": 3}
    stage.log.store.close()
