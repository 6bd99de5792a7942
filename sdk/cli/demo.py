"""`tutela demo`: the main job on the embedded defaults, run by `make demo`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.panel import Panel
from rich.table import Table

from tutela.answer import Answer
from tutela.cli.options import console, global_options
from tutela.cli.setup import set_up

QUESTIONS = (
    "What is diversification in investing?",
    "In two sentences, why do hospitals protect patient records?",
    "I'm Maria Gonzalez, card 4111 1111 1111 1111. Should I email my card number to my bank?",
)
# A question an adviser asks about the finance sample corpus, answered from retrieved chunks.
ADVISER = "demo-adviser"
CORPUS_FILES = "product_sheet/mrx-1*.md"
CORPUS_QUESTION = "What is the minimum initial investment for the I class of MRX-101?"


def demo(
    ctx: typer.Context,
    max_tokens: Annotated[int, typer.Option("--max-tokens", min=1, help="Answer length cap.")] = 96,
) -> None:
    """Set up the data directory if needed, then answer sample questions through the governed
    pipeline and show what each stage did."""
    options = global_options(ctx)
    set_up(options.settings())
    with options.open() as tutela:
        settings = tutela.settings
        console.print(
            Panel.fit(
                f"backend [bold]{tutela.backend.name}[/] · model [bold]{tutela.backend.model_id}"
                f"[/]\ndata directory {settings.home}",
                title="Tutela demo: governed calls on this machine",
            )
        )
        for question in QUESTIONS:
            console.print(f"\n[bold cyan]Q:[/] {question}")
            console.print("[bold green]A:[/] ", end="")
            stream = tutela.stream(question, max_tokens=max_tokens, temperature=0.0)
            for chunk in stream:
                console.out(chunk, end="", highlight=False)
            console.out("")
            console.print(_stage_table(stream.answer))
        _ask_the_corpus(tutela, max_tokens)


def _ask_the_corpus(tutela, max_tokens: int) -> None:
    """Ingest the finance sample product sheets (unchanged files are skipped on later runs)
    and ask about them as an adviser: the answer cites the chunks it was given."""
    from tutela.retrieval.evaluation import corpus_folder

    files = sorted(corpus_folder("finance").glob(CORPUS_FILES))
    report = tutela.ingest(files, domain="finance", classification="product_sheet")
    console.print(
        f"\n[bold]Knowledge:[/] {len(files)} finance product sheets ingested "
        f"({report.count('added', 'replaced')} new, {report.count('unchanged')} unchanged, "
        f"{report.chunks} new chunks)"
    )
    directory = tutela.access.directory
    if ADVISER not in {p.id for p in directory.list("default")}:
        directory.add(ADVISER, roles=["advisor"])
    adviser = tutela.principal(ADVISER)
    console.print(f"[bold cyan]Q ({ADVISER}, finance, ADVICE):[/] {CORPUS_QUESTION}")
    console.print("[bold green]A:[/] ", end="")
    stream = tutela.stream(
        CORPUS_QUESTION,
        domain="finance",
        principal=adviser,
        purpose="ADVICE",
        max_tokens=max_tokens,
        temperature=0.0,
    )
    for chunk in stream:
        console.out(chunk, end="", highlight=False)
    console.out("")
    answer = stream.answer
    for number, citation in enumerate(answer.citations, start=1):
        console.print(
            f"  [dim][{number}] {citation.title} (doc {citation.doc_id}, chunk "
            f"{citation.chunk_id}, score {citation.score:.3f})[/]",
            highlight=False,
        )
    console.print(_stage_table(answer))


def _stage_table(answer: Answer) -> Table:
    table = Table(title=f"call {answer.call_id[:12]}", title_justify="left")
    for column in ("stage", "implementation", "outcome", "ms", "detail"):
        table.add_column(column)
    for report in answer.stages:
        style = {"block": "red", "error": "red"}.get(report.outcome, "green")
        detail = ", ".join(f"{k}={v}" for k, v in report.detail.items())
        table.add_row(
            report.stage,
            report.implementation,
            f"[{style}]{report.outcome}[/]",
            f"{report.elapsed_ms:.1f}",
            detail,
        )
    if answer.usage:
        seconds = next(r.elapsed_ms for r in answer.stages if r.stage == "generate") / 1000
        table.caption = (
            f"{answer.usage.completion_tokens} tokens in {seconds:.1f} s "
            f"({answer.usage.completion_tokens / max(seconds, 1e-9):.1f} tokens/s), "
            f"finish: {answer.finish_reason}"
        )
    return table
