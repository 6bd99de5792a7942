"""`tutela ingest`, `tutela search`, `tutela documents` and `tutela eval retrieval`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tutela.cli.options import console, console_err, global_options
from tutela.retrieval.index import IngestReport, expand_paths

documents_app = typer.Typer(help="Documents in the knowledge indexes.", no_args_is_help=True)

Domain = Annotated[str, typer.Option("--domain", "-d", help="Domain of the documents.")]
Tenant = Annotated[str, typer.Option("--tenant", help="Tenant the documents belong to.")]


def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files and folders (.txt .md .html .pdf).")],
    domain: Domain,
    tenant: Tenant = "default",
    acl: Annotated[
        list[str] | None,
        typer.Option("--acl", help="ACL group that may read them (repeat); default: everyone."),
    ] = None,
    classification: Annotated[
        str | None,
        typer.Option("--classification", help="Data class (default: the domain's own)."),
    ] = None,
    subject: Annotated[
        str | None,
        typer.Option("--subject", help="The data subject the documents are about, if one."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Ingest documents: clean, de-duplicate, protect personal data, chunk, embed, encrypt
    and index them. Unchanged files are skipped, changed ones replace their old chunks, and
    files that cannot be read are reported while the rest of the batch goes on."""
    total = sum(1 for _ in expand_paths(paths))
    with (
        global_options(ctx).open(defer_model=True) as tutela,
        Progress(
            TextColumn("ingesting"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console_err,
            transient=True,
            disable=as_json or total < 2,
        ) as progress,
    ):
        task = progress.add_task("files", total=total)
        report = tutela.ingest(
            paths,
            domain=domain,
            tenant=tenant,
            acl=acl or ["everyone"],
            classification=classification,
            subject=subject,
            progress=lambda _path: progress.advance(task),
        )
    if as_json:
        files = [
            {
                "path": f.path,
                "status": f.status,
                "doc_id": f.doc_id,
                "chunks": f.chunks,
                "reason": f.reason,
            }
            for f in report.files
        ]
        saved = str(report.saved_to) if report.saved_to else None
        typer.echo(
            json.dumps(
                {"files": files, "quality": report.quality(), "quality_report": saved}, indent=2
            )
        )
    else:
        _print_report(report)
    if report.count("failed"):
        raise typer.Exit(2)


def _print_report(report: IngestReport) -> None:
    for result in report.files:
        if result.status == "failed" or result.status.endswith("duplicate"):
            console_err.print(
                f"[yellow]{result.status}[/] {escape(result.path)}: {escape(result.reason)}",
                highlight=False,
            )
    quality = report.quality()
    entities = sum(report.entities.values())
    console.print(
        f"{len(report.files)} files: {report.count('added')} added, "
        f"{report.count('replaced')} replaced, {report.count('unchanged')} unchanged, "
        f"{report.count('duplicate', 'near-duplicate')} duplicates dropped, "
        f"{report.count('failed')} failed · {report.chunks} chunks · {entities} personal "
        f"values protected · {quality['repaired_encodings']} encodings repaired",
        highlight=False,
    )
    if report.saved_to is not None:
        console_err.print(f"[dim]quality report: {report.saved_to}[/]", highlight=False)


def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="What to look for.")],
    domain: Domain,
    user: Annotated[
        str | None, typer.Option("--as", help="Search as this user (see `tutela users`).")
    ] = None,
    tenant: Annotated[str, typer.Option("--tenant", help="The user's tenant.")] = "default",
    purpose: Annotated[
        str | None, typer.Option("--purpose", help="Purpose-of-use code (TREAT, ADVICE...).")
    ] = None,
    grant: Annotated[
        str | None, typer.Option("--grant", help="A break-glass grant (purpose ETREAT).")
    ] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="How many chunks.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the hits as JSON.")] = False,
) -> None:
    """Show what a principal would retrieve for a query, without generating: doc id, chunk
    id, title, score and protected text. The search is governed and audited like a call."""
    with global_options(ctx).open(defer_model=True) as tutela:
        principal = tutela.principal(user, tenant) if user is not None else None
        result = tutela.search(
            query, domain=domain, principal=principal, purpose=purpose, grant=grant, k=k
        )
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), indent=2))
        return
    if not result.hits:
        console_err.print("No readable document matches.")
        return
    for number, hit in enumerate(result.hits, start=1):
        console.print(
            f"[bold][{number}] {escape(hit.title or 'untitled')}[/]  [dim]doc {hit.doc_id} · "
            f"chunk {hit.chunk_id} · score {hit.score:.4f}[/]",
            highlight=False,
        )
        console.print(escape(hit.text), highlight=False)
        console.print()


@documents_app.command("list")
def list_documents(
    ctx: typer.Context,
    domain: Annotated[str | None, typer.Option("--domain", "-d", help="Only this domain.")] = None,
    tenant: Tenant = "default",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List ingested documents: id, domain, data class, ACL groups, format, chunks."""
    with global_options(ctx).open(defer_model=True) as tutela:
        assert tutela.index is not None
        rows = tutela.index.documents(tenant, domain)
        listed = [
            {
                "doc_id": r.doc_id,
                "domain": r.domain,
                "data_class": r.data_class,
                "acl": list(r.acl),
                "subject": bool(r.owner_ref),
                "format": r.format,
                "chunks": len(tutela.index.catalog.chunk_ids(r.collection, r.doc_id)),
            }
            for r in rows
        ]
    if as_json:
        typer.echo(json.dumps(listed, indent=2))
        return
    table = Table(title=f"{len(listed)} documents of tenant {tenant}")
    for column in ("doc id", "domain", "data class", "acl", "subject", "format", "chunks"):
        table.add_column(column)
    for d in listed:
        table.add_row(
            d["doc_id"],
            d["domain"],
            d["data_class"],
            ",".join(d["acl"]),
            "yes" if d["subject"] else "",
            d["format"],
            str(d["chunks"]),
        )
    console.print(table)


@documents_app.command("delete")
def delete_document(
    ctx: typer.Context,
    doc_id: Annotated[str, typer.Argument(help="The document id (see `documents list`).")],
    domain: Domain,
    tenant: Tenant = "default",
) -> None:
    """Remove a document's chunks from every index (vector store and lexical index)."""
    with global_options(ctx).open(defer_model=True) as tutela:
        removed = tutela.delete_document(doc_id, domain=domain, tenant=tenant)
    console.print(f"Removed document {doc_id}: {removed} chunks.")


def eval_retrieval(
    ctx: typer.Context,
    split: Annotated[
        str, typer.Option("--split", help="Question split: test, dev or all.")
    ] = "test",
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Recall@5 and MRR@10 of dense, BM25 and hybrid search on the domains' corpora, in one
    run, on a throwaway index built with the real pipeline (your data is not touched)."""
    from tutela.errors import InputError
    from tutela.retrieval import evaluation

    if split not in ("test", "dev", "all"):
        raise InputError(f"unknown split {split!r}: test, dev or all")
    splits = evaluation.SPLITS if split == "all" else (split,)
    with Progress(console=console_err, transient=True, disable=as_json) as progress:
        files = progress.add_task("ingesting the corpora", total=None)
        questions = progress.add_task("asking the questions", total=None)
        result = evaluation.run(
            splits=splits,
            on_file=lambda _p: progress.advance(files),
            on_question=lambda: progress.advance(questions),
        )
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    table = Table(
        title=f"Retrieval evaluation: {result['documents']} documents, {result['chunks']} chunks"
    )
    for column in ("split", "questions", "mode", "recall@5", "MRR@10"):
        table.add_column(column)
    for name in splits:
        for mode, figures in result["splits"][name].items():
            table.add_row(
                name,
                str(figures["questions"]),
                mode,
                _fmt(figures["recall@5"]),
                _fmt(figures["mrr@10"]),
            )
    console.print(table)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
