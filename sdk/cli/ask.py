"""`tutela ask`: one governed question from the command line."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from tutela.cli.options import console, console_err, global_options


def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="The question to ask.")],
    domain: Annotated[
        str, typer.Option("--domain", "-d", help="Domain adapter to use.")
    ] = "general",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the whole answer as JSON.")
    ] = False,
    max_tokens: Annotated[
        int | None, typer.Option("--max-tokens", min=1, help="Answer length cap.")
    ] = None,
    temperature: Annotated[
        float | None, typer.Option("--temperature", min=0.0, max=2.0, help="0 is greedy.")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed for sampling.")] = None,
    user: Annotated[
        str | None, typer.Option("--as", help="Act as this user (see `tutela users`).")
    ] = None,
    tenant: Annotated[str, typer.Option("--tenant", help="The user's tenant.")] = "default",
    purpose: Annotated[
        str | None,
        typer.Option("--purpose", help="Purpose-of-use code (TREAT, ADVICE, INSTRUCTION...)."),
    ] = None,
    grant: Annotated[
        str | None, typer.Option("--grant", help="A break-glass grant (purpose ETREAT).")
    ] = None,
) -> None:
    """Ask a question through the governed pipeline and print the answer.

    The text streams to the terminal as it is generated; --json waits for the end and prints
    text, model, backend, usage, finish_reason and what each pipeline stage did.

    Without --as, the call is made by the local administrator of the default tenant, with the
    configured default purpose (GENERAL): enough for the general domain. A named user must
    always give --purpose.
    """
    with global_options(ctx).open() as tutela:
        principal = tutela.principal(user, tenant) if user is not None else None
        stream = tutela.stream(
            question,
            domain=domain,
            principal=principal,
            purpose=purpose,
            grant=grant,
            max_tokens=max_tokens,
            temperature=temperature,
            seed=seed,
        )
        if as_json:
            for _ in stream:
                pass
            typer.echo(json.dumps(stream.answer.model_dump(mode="json"), indent=2))
            return
        for chunk in stream:
            console.out(chunk, end="", highlight=False)
        console.out("")
        answer = stream.answer
        usage = answer.usage
        tokens = f"{usage.completion_tokens} tokens" if usage else "no usage reported"
        console_err.print(
            f"[dim]{answer.model} on {answer.backend} · {tokens} · {answer.elapsed_ms / 1000:.1f} s"
            f" · finish: {answer.finish_reason}[/]",
            highlight=False,
        )
