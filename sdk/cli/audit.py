"""`tutela audit`: verify, search, export and hand over the audit trail."""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tutela.cli.options import console, global_options
from tutela.errors import InputError
from tutela.governance.audit.bundle import verify_bundle, write_bundle
from tutela.governance.audit.records import EVENT_TYPES, AuditEvent
from tutela.governance.audit.retention import purge, retention_days
from tutela.governance.audit.search import RecordFilter, search, to_csv
from tutela.governance.audit.trail import AuditTrail
from tutela.governance.audit.verify import VerifyReport
from tutela.governance.keyring import TENANT_WIDE, KeyRing
from tutela.principal import Principal
from tutela.version import __version__

audit_app = typer.Typer(help="The audit trail: verify, search, export, evidence bundles.")


@contextmanager
def _trail(ctx: typer.Context):
    settings = global_options(ctx).settings()
    keyring = KeyRing.open(settings)
    try:
        trail = AuditTrail.open(settings, keyring, sdk_version=__version__)
        try:
            yield trail
        finally:
            trail.close()
    finally:
        keyring.close()


def record_event(
    ctx: typer.Context,
    keyring: KeyRing,
    event_type: str,
    tenant: str,
    resource: str,
    **details: str | int,
) -> None:
    """Record a governance event of a command (key rotation, erasure, holds)."""
    settings = global_options(ctx).settings()
    trail = AuditTrail.open(settings, keyring, sdk_version=__version__)
    try:
        _record_access(trail, event_type, tenant, resource=resource, **details)
    finally:
        trail.close()


def _record_access(
    trail: AuditTrail,
    event_type: str,
    tenant: str = "default",
    resource: str = "audit-log",
    **details: str | int,
) -> None:
    """Reading, exporting or holding the audit trail is itself audited."""
    trail.log.append(
        AuditEvent(
            event_type=event_type,
            actor=Principal.local_admin().id,
            tenant=tenant,
            outcome="success",
            origin="cli",
            resource=resource,
            details=details,
        )
    )


@audit_app.command("verify")
def verify(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Recompute the Merkle tree from every record and check it against the signed
    checkpoints; exit 1 and name the first bad record if anything was changed."""
    with _trail(ctx) as trail:
        report = trail.verify()
        _record_access(trail, "audit_read", command="verify", ok=int(report.ok))
        # Shown before the trail closes: closing signs a checkpoint, which an altered unsigned
        # tail makes fail, and the report must still be seen.
        _show_report(report, as_json)
    if not report.ok:
        raise typer.Exit(1)


def _show_report(report: VerifyReport, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
    elif report.ok:
        console.print(
            f"[green]OK[/]: {report.size} records; {report.signed_size} covered by "
            f"{report.checkpoints} signed checkpoints, none altered.",
            highlight=False,
        )
    else:
        where = (
            f"first bad record: {report.first_bad_index}"
            if report.first_bad_index is not None
            else "no record is known to be altered"
        )
        console.print(f"[red]FAILED[/]: {where}", highlight=False)
        for problem in report.problems:
            console.print(f"  - {problem.kind}: {problem.message}", highlight=False)


@audit_app.command("checkpoint")
def checkpoint(ctx: typer.Context) -> None:
    """Sign a checkpoint of the log now."""
    with _trail(ctx) as trail:
        made = trail.log.checkpoint()
    if made is None:
        console.print("Nothing new since the last checkpoint.")
    else:
        console.print(f"Signed checkpoint at size {made.size} ({made.key_id}).")


@audit_app.command("public-key")
def public_key(ctx: typer.Context) -> None:
    """Print the checkpoint signing key (base64): give it to auditors to verify bundles."""
    with _trail(ctx) as trail:
        typer.echo(base64.b64encode(trail.signer.public_key()).decode())


Since = Annotated[
    str | None, typer.Option("--since", help="From this time (ISO 8601; UTC unless it says).")
]
Until = Annotated[str | None, typer.Option("--until", help="Before this UTC time.")]
Tenant = Annotated[str | None, typer.Option("--tenant")]
Actor = Annotated[str | None, typer.Option("--actor", help="User id.")]
Event = Annotated[str | None, typer.Option("--event", help="Event type, e.g. access_denied.")]
Outcome = Annotated[str | None, typer.Option("--outcome", help="success, denied or error.")]
Purpose = Annotated[str | None, typer.Option("--purpose")]
Policy = Annotated[str | None, typer.Option("--policy", help="A policy id in the decision.")]
Model = Annotated[str | None, typer.Option("--model")]
BreakGlass = Annotated[
    bool | None, typer.Option("--break-glass/--no-break-glass", help="Only (or no) break-glass.")
]


def _utc(value: str | None, option: str) -> str | None:
    """An ISO 8601 time as records write it (UTC, microseconds, "Z"); a date means midnight."""
    if value is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{option} {value!r} is not an ISO 8601 time: write e.g. 2026-11-28 or "
            "2026-11-28T14:30:00Z"
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _criteria(since, until, tenant, actor, event, outcome, purpose, policy, model, glass):
    if event is not None and event not in EVENT_TYPES:
        raise InputError(f"unknown event type {event!r}: one of {', '.join(EVENT_TYPES)}")
    return RecordFilter(
        since=_utc(since, "--since"),
        until=_utc(until, "--until"),
        tenant=tenant,
        actor=actor,
        event_type=event,
        outcome=outcome,
        purpose=purpose,
        policy_id=policy,
        model=model,
        break_glass=glass,
    )


@audit_app.command("search")
def search_records(
    ctx: typer.Context,
    since: Since = None,
    until: Until = None,
    tenant: Tenant = None,
    actor: Actor = None,
    event: Event = None,
    outcome: Outcome = None,
    purpose: Purpose = None,
    policy: Policy = None,
    model: Model = None,
    break_glass: BreakGlass = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most records shown.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON record per line.")] = False,
) -> None:
    """Find records by time, tenant, actor, event type, outcome, purpose, policy, model or
    break-glass."""
    criteria = _criteria(
        since, until, tenant, actor, event, outcome, purpose, policy, model, break_glass
    )
    with _trail(ctx) as trail:
        found = list(search(trail.store, criteria, limit))
        _record_access(trail, "audit_read", command="search", records=len(found))
    if as_json:
        for record in found:
            typer.echo(json.dumps(record, sort_keys=True))
        return
    table = Table()
    for column in ("seq", "time", "event", "actor", "tenant", "outcome", "purpose", "policies"):
        table.add_column(column)
    for r in found:
        table.add_row(
            str(r["seq"]),
            r["time"],
            r["event_type"],
            r["actor"],
            r["tenant"],
            r["outcome"],
            r.get("purpose") or "",
            ", ".join(r.get("policy_ids", [])),
        )
    console.print(table)


@audit_app.command("export")
def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
    out: Annotated[Path | None, typer.Option("--out", help="File (default: stdout).")] = None,
    since: Since = None,
    until: Until = None,
    tenant: Tenant = None,
    actor: Actor = None,
    event: Event = None,
    outcome: Outcome = None,
    purpose: Purpose = None,
    policy: Policy = None,
    model: Model = None,
    break_glass: BreakGlass = None,
) -> None:
    """Export records as JSON lines or CSV (stable columns, see docs/audit.md)."""
    if fmt not in ("jsonl", "csv"):
        raise InputError("--format is jsonl or csv")
    criteria = _criteria(
        since, until, tenant, actor, event, outcome, purpose, policy, model, break_glass
    )
    with _trail(ctx) as trail:
        records = search(trail.store, criteria)
        lines = (
            to_csv(records)
            if fmt == "csv"
            else (json.dumps(r, sort_keys=True, ensure_ascii=False) + "\n" for r in records)
        )
        count = 0
        handle = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
        try:
            for line in lines:
                handle.write(line)
                count += 1
        finally:
            if out:
                handle.close()
        _record_access(trail, "audit_export", format=fmt, lines=count)


@audit_app.command("bundle")
def bundle(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="The zip file to write.")],
    since_size: Annotated[
        int | None,
        typer.Option("--since-size", help="A checkpoint size the auditor holds already."),
    ] = None,
) -> None:
    """Write an evidence bundle: records, checkpoints, inclusion and consistency proofs,
    public key and a manifest with checksums."""
    with _trail(ctx) as trail:
        trail.log.checkpoint()
        latest = write_bundle(
            trail.store,
            out,
            key_id=trail.signer.key_id,
            public_key=trail.signer.public_key(),
            since_size=since_size,
        )
        _record_access(trail, "audit_export", format="bundle", tree_size=latest.size)
    console.print(
        f"Wrote {out}: {latest.size} records under a checkpoint signed by {latest.key_id}."
    )


@audit_app.command("verify-bundle")
def verify_bundle_command(
    path: Annotated[Path, typer.Argument(help="The bundle (zip).")],
    trusted_key: Annotated[
        str, typer.Option("--trusted-key", help="The public key (base64), or a file holding it.")
    ],
) -> None:
    """Check a bundle with nothing but the bundle and the trusted key; exit 1 if it fails."""
    key_text = Path(trusted_key).read_text().strip() if Path(trusted_key).is_file() else trusted_key
    try:
        key = base64.b64decode(key_text, validate=True)
    except (binascii.Error, ValueError):
        raise InputError("--trusted-key is not a base64 public key or a file holding one") from None
    report = verify_bundle(path, key)
    if report.ok:
        console.print(
            f"[green]OK[/]: {report.records} records match the signed checkpoint at size "
            f"{report.tree_size}; every proof verifies.",
            highlight=False,
        )
        return
    console.print("[red]FAILED[/]", highlight=False)
    for problem in report.problems:
        console.print(f"  - {problem}", highlight=False)
    raise typer.Exit(1)


@audit_app.command("purge")
def purge_records(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count, change nothing.")] = False,
) -> None:
    """Drop the content of records past their retention (leaf hashes stay, so the log still
    verifies); tenants under legal hold keep theirs."""
    settings = global_options(ctx).settings()
    days = retention_days(settings.audit_retention_days)
    with _trail(ctx) as trail:
        result = purge(
            trail.store,
            days,
            lambda tenant: trail.keyring.under_legal_hold(tenant),
            dry_run=dry_run,
        )
        if not dry_run:
            _record_access(trail, "audit_purge", purged=result.purged, held=result.held)
    verb = "would purge" if dry_run else "purged"
    console.print(
        f"{result.purged} records {verb}; {result.held} kept under legal hold "
        f"(retention in days: {', '.join(f'{k} {v}' for k, v in days.items())})."
    )


@audit_app.command("hold")
def hold(
    ctx: typer.Context,
    tenant: Annotated[str, typer.Option("--tenant", help="The tenant to hold.")],
    reason: Annotated[str, typer.Option("--reason", help="Case or ticket reference.")],
) -> None:
    """Place a legal hold on a whole tenant: no purge of its records, no erasure of its
    subjects, until released."""
    with _trail(ctx) as trail:
        trail.keyring.set_legal_hold(tenant, TENANT_WIDE, reason)
        _record_access(trail, "legal_hold", tenant, resource="tenant", action="placed")
    console.print(f"Legal hold placed on tenant {tenant}.")


@audit_app.command("release")
def release(
    ctx: typer.Context,
    tenant: Annotated[str, typer.Option("--tenant", help="The tenant to release.")],
) -> None:
    """Release a tenant's legal hold."""
    with _trail(ctx) as trail:
        released = trail.keyring.release_legal_hold(tenant, TENANT_WIDE)
        if released:
            _record_access(trail, "legal_hold", tenant, resource="tenant", action="released")
    console.print("Legal hold released." if released else "This tenant had no legal hold.")
