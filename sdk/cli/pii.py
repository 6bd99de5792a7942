"""`tutela redact` and `tutela eval pii`."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from tutela.cli.options import console, global_options
from tutela.governance.pii.detector import PiiDetector
from tutela.governance.pii.profiles import PROFILES, load_profile
from tutela.governance.pii.protector import OneShotTokens, PiiProtector
from tutela.governance.pii.vault import Scope

eval_app = typer.Typer(help="Measure Tutela's protections.", no_args_is_help=True)

ProfileOption = Annotated[
    str | None,
    typer.Option("--profile", help=f"PII profile: {', '.join(PROFILES)} (default: settings)."),
]


def redact(
    ctx: typer.Context,
    profile: ProfileOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print text and entities as JSON.")
    ] = False,
) -> None:
    """Protect the text on standard input and print it. Nothing is stored: tokens are numbered
    for this text only. Undecodable bytes are read as U+FFFD; offsets count characters."""
    settings = global_options(ctx).settings()
    chosen = load_profile(profile or settings.pii_profile)
    text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    protector = PiiProtector(PiiDetector(allow=settings.pii_allow), chosen, OneShotTokens())
    protected = protector.protect(text, Scope("cli"))
    if not as_json:
        sys.stdout.write(protected.text)
        return
    entities = [
        {
            "type": r.type,
            "start": r.start,
            "end": r.end,
            "score": round(r.score, 3),
            "token": r.replacement,
        }
        for r in protected.replacements
    ]
    sys.stdout.write(json.dumps({"text": protected.text, "entities": entities}, ensure_ascii=False))
    sys.stdout.write("\n")


@eval_app.command("pii")
def eval_pii(
    ctx: typer.Context,
    split: Annotated[str, typer.Option("--split", help="Corpus split: test, dev or all.")] = "test",
    profile: ProfileOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help="Only N texts, spread evenly over the split."),
    ] = None,
) -> None:
    """Per-entity precision, recall and leak rate of Tutela and of plain Presidio."""
    from tutela.governance.pii import evaluation

    settings = global_options(ctx).settings()
    chosen = load_profile(profile or settings.pii_profile)
    splits = evaluation.SPLITS if split == "all" else (split,)
    samples = [s for name in splits for s in evaluation.load_corpus(name)]
    if limit is not None and limit < len(samples):
        samples = [samples[i * len(samples) // limit] for i in range(limit)]
    systems = {
        "tutela": evaluation.tutela_system(PiiDetector(), chosen),
        "presidio": evaluation.presidio_system(),
    }
    results = {}
    with Progress(console=console, transient=True, disable=as_json) as progress:
        for name, system in systems.items():
            task = progress.add_task(f"{name} on {len(samples)} texts", total=len(samples))
            results[name] = evaluation.score(
                name, system, samples, progress=lambda t=task: progress.advance(t)
            )
    report = evaluation.report(results, split=split, profile=chosen.name, texts=len(samples))
    if as_json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
        return
    console.print(_table(report))


def _table(report: dict) -> Table:
    table = Table(
        title=f"PII evaluation: {report['texts']} texts ({report['split']}), profile "
        f"{report['profile']}"
    )
    for column in ("entity", "n", "tutela P", "R", "leak", "presidio P", "R", "leak"):
        table.add_column(column, justify="right" if column != "entity" else "left")
    for row in report["rows"]:
        cells = [row["entity"], str(row["labelled"])]
        for system in ("tutela", "presidio"):
            figures = row[system]
            cells += [
                _fmt(figures["precision"]),
                _fmt(figures["recall"]),
                _fmt(figures["leak_rate"]),
            ]
        table.add_row(*cells, style="bold" if row["entity"] == "ALL" else None)
    seconds = report["seconds"]
    table.caption = f"time: tutela {seconds['tutela']:.1f} s, presidio {seconds['presidio']:.1f} s"
    return table


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
