"""The `tutela` command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from tutela.cli import access, ask, audit, demo, keys, knowledge, pii, setup
from tutela.cli.options import GlobalOptions, console_err
from tutela.errors import TutelaError

app = typer.Typer(
    name="tutela",
    help="Governed LLM assistants for regulated domains, on this machine.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _options(
    ctx: typer.Context,
    home: Annotated[
        Path | None, typer.Option("--home", help="Data directory (TUTELA_HOME).")
    ] = None,
    backend: Annotated[
        str | None, typer.Option("--backend", help="torch, openai or llamacpp (TUTELA_BACKEND).")
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="Model name, folder or .gguf file (TUTELA_MODEL).")
    ] = None,
) -> None:
    ctx.obj = GlobalOptions(home=home, backend=backend, model=model)


app.command("init")(setup.init)
app.command("models")(setup.models)
app.command("ask")(ask.ask)
app.command("demo")(demo.demo)
app.command("redact")(pii.redact)
app.command("ingest")(knowledge.ingest)
app.command("search")(knowledge.search)
app.add_typer(knowledge.documents_app, name="documents")
pii.eval_app.command("retrieval")(knowledge.eval_retrieval)
app.add_typer(pii.eval_app, name="eval")
app.add_typer(keys.keys_app, name="keys")
app.add_typer(keys.subjects_app, name="subjects")
app.add_typer(access.users_app, name="users")
app.add_typer(access.break_glass_app, name="break-glass")
app.add_typer(access.policies_app, name="policies")
app.add_typer(audit.audit_app, name="audit")


def main() -> None:
    try:
        app()
    except TutelaError as exc:
        console_err.print(
            f"[bold red]error:[/] {type(exc).__name__}: {escape(str(exc))}", highlight=False
        )
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
