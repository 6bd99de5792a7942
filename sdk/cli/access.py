"""`tutela users`, `tutela break-glass` and `tutela policies`: who may do what, and why."""

from __future__ import annotations

import datetime
import json
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tutela.cli.options import console, console_err, global_options
from tutela.domain import policy_packs
from tutela.errors import InputError
from tutela.governance.access.break_glass import BreakGlass, parse_ttl
from tutela.governance.access.cedar_engine import CedarDecisionPoint
from tutela.governance.access.directory import UserDirectory
from tutela.governance.access.packs import Vocabulary, load_pack
from tutela.governance.keyring import KeyRing
from tutela.governance.signing import LocalSigner
from tutela.settings import Settings

users_app = typer.Typer(help="Users of each tenant and their roles.", no_args_is_help=True)
break_glass_app = typer.Typer(
    help="Emergency access: issue a time-limited grant for purpose ETREAT; review its uses.",
    invoke_without_command=True,
)
policies_app = typer.Typer(help="The access policies in force.", no_args_is_help=True)

User = Annotated[str, typer.Argument(help="User id, unique within its tenant.")]
Tenant = Annotated[str, typer.Option("--tenant", help="Tenant of the user.")]


@contextmanager
def _directory(ctx: typer.Context):
    settings = global_options(ctx).settings()
    roles = Vocabulary.of(policy_packs(settings.policy_packs)).roles
    directory = UserDirectory(settings.access_file, roles)
    try:
        yield directory
    finally:
        directory.close()


@contextmanager
def _break_glass(settings: Settings):
    keyring = KeyRing.open(settings)
    try:
        signer = LocalSigner.open(keyring, settings.keys_dir / "signing", "break-glass")
        store = BreakGlass(settings.access_file, keyring, signer)
        try:
            yield store
        finally:
            store.close()
    finally:
        keyring.close()


def _attributes(pairs: list[str]) -> dict[str, str]:
    attributes = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise InputError(f"write attributes as key=value, not {pair!r}")
        attributes[key.strip()] = value.strip()
    return attributes


def _describe(principal) -> str:
    return ", ".join(sorted(principal.roles))


# -- users ------------------------------------------------------------------------------------


@users_app.command("add")
def add(
    ctx: typer.Context,
    user: User,
    role: Annotated[list[str], typer.Option("--role", help="A role (repeat for several).")],
    tenant: Tenant = "default",
    group: Annotated[
        list[str] | None, typer.Option("--group", help="An ACL group (repeat for several).")
    ] = None,
    attribute: Annotated[
        list[str] | None,
        typer.Option("--attr", help="An attribute for policies, key=value (e.g. age_band=minor)."),
    ] = None,
) -> None:
    """Add a user to a tenant with one or more roles."""
    with _directory(ctx) as directory:
        principal = directory.add(
            user,
            roles=role,
            tenant=tenant,
            groups=group or (),
            attributes=_attributes(attribute or []),
        )
    console.print(f"Added {user} to tenant {tenant} with roles: {_describe(principal)}.")


@users_app.command("list")
def list_users(
    ctx: typer.Context,
    tenant: Annotated[
        str | None, typer.Option("--tenant", help="Only this tenant (default: all).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List users with their roles, groups and attributes."""
    with _directory(ctx) as directory:
        principals = directory.list(tenant)
    if as_json:
        rows = [
            {
                "tenant": p.tenant,
                "user": p.id,
                "roles": sorted(p.roles),
                "groups": sorted(p.groups),
                "attributes": p.attributes,
            }
            for p in principals
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table()
    for column in ("tenant", "user", "roles", "groups", "attributes"):
        table.add_column(column)
    for p in principals:
        attributes = ", ".join(f"{k}={v}" for k, v in sorted(p.attributes.items()))
        table.add_row(p.tenant, p.id, _describe(p), ", ".join(sorted(p.groups)), attributes)
    console.print(table)


@users_app.command("remove")
def remove(ctx: typer.Context, user: User, tenant: Tenant = "default") -> None:
    """Remove a user; their later calls are denied as an unknown user."""
    with _directory(ctx) as directory:
        directory.remove(user, tenant)
    console.print(f"Removed {user} from tenant {tenant}.")


@users_app.command("grant")
def grant(
    ctx: typer.Context,
    user: User,
    role: Annotated[str, typer.Argument(help="The role to add.")],
    tenant: Tenant = "default",
) -> None:
    """Give a user one more role."""
    with _directory(ctx) as directory:
        principal = directory.grant(user, role, tenant)
    console.print(f"{user} now holds: {_describe(principal)}.")


@users_app.command("revoke")
def revoke(
    ctx: typer.Context,
    user: User,
    role: Annotated[str, typer.Argument(help="The role to take away.")],
    tenant: Tenant = "default",
) -> None:
    """Take a role away from a user (not their last one: remove the user instead)."""
    with _directory(ctx) as directory:
        principal = directory.revoke(user, role, tenant)
    console.print(f"{user} now holds: {_describe(principal)}.")


# -- break-glass ------------------------------------------------------------------------------


@break_glass_app.callback()
def issue(
    ctx: typer.Context,
    user: Annotated[
        str | None, typer.Option("--as", help="The user who needs emergency access.")
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why: stored encrypted, shown to reviewers.")
    ] = None,
    ttl: Annotated[str, typer.Option("--ttl", help="How long it lasts: 15m, 1h (max 8h).")] = "15m",
    tenant: Tenant = "default",
) -> None:
    """Issue a signed grant that permits emergency treatment (ETREAT) for a short time.

    Pass the printed grant to `tutela ask --grant`. Every use is flagged high severity and
    queued for review (`tutela break-glass review`).
    """
    if ctx.invoked_subcommand is not None:
        return
    if user is None or reason is None:
        raise InputError("issuing a grant needs --as USER and --reason TEXT")
    seconds = parse_ttl(ttl)
    settings = global_options(ctx).settings()
    with _directory(ctx) as directory:
        principal = directory.get(user, tenant)
    with _break_glass(settings) as store:
        token = store.issue(principal, reason, seconds)
    console_err.print(
        f"[bold]Break-glass grant for {user}[/] (tenant {tenant}, purpose ETREAT, "
        f"{int(seconds // 60)} min). Every use is reviewed.",
        highlight=False,
    )
    typer.echo(token)  # alone on stdout, for scripts


@break_glass_app.command("review")
def review(
    ctx: typer.Context,
    show_all: Annotated[bool, typer.Option("--all", help="Include reviewed uses.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List uses of break-glass grants waiting for review, with their reasons."""
    with _break_glass(global_options(ctx).settings()) as store:
        uses = store.uses(pending_only=not show_all)
    if as_json:
        typer.echo(json.dumps([u.__dict__ for u in uses], indent=2))
        return
    table = Table(title="Break-glass uses" + ("" if show_all else " awaiting review"))
    for column in ("grant", "tenant", "user", "used (UTC)", "call", "domain", "reason", ""):
        table.add_column(column)
    for use in uses:
        when = datetime.datetime.fromtimestamp(use.used_at, datetime.UTC)
        table.add_row(
            use.grant_id[:12],
            use.tenant,
            use.user,
            when.strftime("%Y-%m-%d %H:%M:%S"),
            use.call_id[:12],
            use.domain,
            use.reason,
            "reviewed" if use.reviewed else "",
        )
    console.print(table)


@break_glass_app.command("reviewed")
def reviewed(
    ctx: typer.Context,
    grant_id: Annotated[str, typer.Argument(help="The grant id shown by `review`.")],
) -> None:
    """Mark the pending uses of a grant as reviewed."""
    with _break_glass(global_options(ctx).settings()) as store:
        matches = {u.grant_id for u in store.uses() if u.grant_id.startswith(grant_id)}
        if len(matches) != 1:
            raise InputError(f"{grant_id!r} matches {len(matches)} grants with pending uses")
        count = store.mark_reviewed(matches.pop())
    console.print(f"{count} use(s) marked as reviewed.")


# -- policies ---------------------------------------------------------------------------------


@policies_app.command("list")
def list_policies(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The policies in force, by pack: id, effect, annotations."""
    settings = global_options(ctx).settings()
    pdp = CedarDecisionPoint(policy_packs(settings.policy_packs))
    if as_json:
        rows = {
            pid: {"effect": pdp.effects[pid], **notes} for pid, notes in pdp.annotations.items()
        }
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table()
    for column in ("policy id", "effect", "description", "obligations / severity"):
        table.add_column(column)
    for policy_id, notes in pdp.annotations.items():
        extra = ", ".join(
            f"{k}={v}" for k, v in sorted(notes.items()) if k not in ("id", "description")
        )
        table.add_row(policy_id, pdp.effects[policy_id], notes.get("description", ""), extra)
    console.print(table)


@policies_app.command("check")
def check(
    ctx: typer.Context,
    folder: Annotated[
        list[str] | None, typer.Argument(help="Extra pack folders to check with the built-in.")
    ] = None,
) -> None:
    """Validate the policies (and extra pack folders) against the schema; exit 1 on error."""
    settings = global_options(ctx).settings()
    extra = [*settings.policy_packs, *(Path(f) for f in folder or [])]
    for path in extra:
        load_pack(path)  # a clear error for a folder that is no pack
    pdp = CedarDecisionPoint(policy_packs(extra))
    console.print(
        f"OK: {len(pdp.policy_ids)} policies in {len(pdp.packs)} packs validate; "
        f"{len(pdp.vocabulary.roles)} roles, {len(pdp.vocabulary.purposes)} purposes, "
        f"{len(pdp.vocabulary.data_classes)} data classes."
    )
