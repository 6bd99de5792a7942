"""The `tutela` command line."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from tutela.cli import ask, demo, setup
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
    home: Path | None = typer.Option(None, "--home", help="Data directory (TUTELA_HOME)."),
    backend: str | None = typer.Option(
        None, "--backend", help="torch, openai or llamacpp (TUTELA_BACKEND)."
    ),
    model: str | None = typer.Option(None, "--model", help="Model name, folder or .gguf file."),
) -> None:
    ctx.obj = GlobalOptions(home=home, backend=backend, model=model)


app.command("init")(setup.init)
app.command("models")(setup.models)
app.command("ask")(ask.ask)
app.command("demo")(demo.demo)


def main() -> None:
    try:
        app()
    except TutelaError as exc:
        console_err.print(f"[bold red]error:[/] {type(exc).__name__}: {exc}", highlight=False)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
