"""`tutela keys` and `tutela subjects`: key rotation, status, erasure and legal holds."""

from __future__ import annotations

import datetime
from typing import Annotated

import typer
from rich.table import Table

from tutela.cli.audit import record_event
from tutela.cli.options import console, global_options
from tutela.governance.keyring import KeyRing

keys_app = typer.Typer(help="Key-encryption keys and data keys.", no_args_is_help=True)
subjects_app = typer.Typer(help="Data subjects: erasure and legal holds.", no_args_is_help=True)

Subject = Annotated[str, typer.Option("--subject", help="Data subject id (e.g. a patient id).")]
Tenant = Annotated[str, typer.Option("--tenant", help="Tenant of the subject.")]


def _keyring(ctx: typer.Context) -> KeyRing:
    return KeyRing.open(global_options(ctx).settings())


@keys_app.command("status")
def status(ctx: typer.Context) -> None:
    """Show KEK versions and how many data keys each wraps."""
    with _keyring(ctx) as keyring:
        report = keyring.status()
    table = Table(title=f"KEK '{report.kek_id}' ({report.algorithm})")
    for column in ("version", "created (UTC)", "data keys wrapped", ""):
        table.add_column(column)
    for version in report.kek_versions:
        created = datetime.datetime.fromtimestamp(version.created, datetime.UTC)
        table.add_row(
            str(version.version),
            created.strftime("%Y-%m-%d %H:%M:%S"),
            str(report.deks_by_kek_version.get(version.version, 0)),
            "current" if version.version == report.current_version else "",
        )
    console.print(table)
    states = report.deks_by_state
    console.print(
        f"data keys: {states['active']} active, {states['retired']} retired, "
        f"{states['erased']} erased; legal holds: {report.legal_holds}"
    )


@keys_app.command("rotate")
def rotate(ctx: typer.Context) -> None:
    """Create a new KEK version and rewrap every data key under it (no data is decrypted)."""
    with _keyring(ctx) as keyring:
        result = keyring.rotate()
        record_event(
            ctx, keyring, "key_rotation", "default", "keystore", kek_version=result.kek_version
        )
    console.print(
        f"KEK version {result.kek_version} is current; {result.rewrapped} data keys rewrapped. "
        "Ciphertexts made before stay readable."
    )


@subjects_app.command("erase")
def erase(ctx: typer.Context, subject: Subject, tenant: Tenant = "default") -> None:
    """Erase a data subject: remove their documents from every index, then crypto-shred
    them (destroy their data keys so their remaining records cannot be read)."""
    with _keyring(ctx):
        pass  # a missing keystore (a mistyped --home) is an error here, not a new keystore
    with global_options(ctx).open(defer_model=True) as tutela:
        chunks, count = tutela.erase_subject(subject, tenant=tenant)
    if count or chunks:
        console.print(
            f"Erased: {chunks} document chunks removed from the indexes, {count} data keys "
            "destroyed; the subject's records are unreadable."
        )
    else:
        console.print("Nothing to erase: this subject has no live data keys in this tenant.")


@subjects_app.command("hold")
def hold(
    ctx: typer.Context,
    subject: Subject,
    reason: Annotated[str, typer.Option("--reason", help="Case or ticket reference.")],
    tenant: Tenant = "default",
) -> None:
    """Place a legal hold: the subject cannot be erased until it is released."""
    with _keyring(ctx) as keyring:
        keyring.set_legal_hold(tenant, subject, reason)
        record_event(ctx, keyring, "legal_hold", tenant, "subject", action="placed")
    console.print("Legal hold set; erasure of this subject is refused until it is released.")


@subjects_app.command("release")
def release(ctx: typer.Context, subject: Subject, tenant: Tenant = "default") -> None:
    """Release a legal hold."""
    with _keyring(ctx) as keyring:
        released = keyring.release_legal_hold(tenant, subject)
        if released:
            record_event(ctx, keyring, "legal_hold", tenant, "subject", action="released")
    console.print("Legal hold released." if released else "This subject had no legal hold.")
