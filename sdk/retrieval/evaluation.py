"""The retrieval evaluation: recall@5 and MRR of dense, lexical (BM25) and hybrid search on
the domains' corpora, in one run.

Each domain ships `corpus/<data class>/<files>` and `corpus/questions.jsonl`: a question, the
one document that answers it and a verbatim evidence passage from it. A chunk is relevant
when it belongs to that document and holds the evidence (whitespace and case aside); if the
evidence straddles two chunks, every chunk of the document counts. Questions carry a split:
`dev` for tuning, `test` for reporting only.
"""

from __future__ import annotations

import json
import re
import secrets
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tutela.domain import load_domain
from tutela.governance.access.decision import DocumentFilter
from tutela.governance.pii.vault import Scope
from tutela.retrieval.index import IngestReport, KnowledgeIndex, Mode

MODES: tuple[Mode, ...] = ("dense", "lexical", "hybrid")
SPLITS = ("dev", "test")
RECALL_AT = 5
MRR_DEPTH = 10
DOMAINS = ("finance", "education", "healthcare")


@dataclass(frozen=True)
class Question:
    id: str
    domain: str
    split: str
    question: str
    document: str  # path under the corpus folder
    evidence: str


def corpus_folder(domain: str) -> Path:
    folder = load_domain(domain).policies
    assert folder is not None
    return folder.parent / "corpus"


def load_questions(domain: str) -> list[Question]:
    path = corpus_folder(domain) / "questions.jsonl"
    return [
        Question(domain=domain, **json.loads(line))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


@dataclass
class Built:
    """A domain's corpus once ingested: document ids by corpus path, the data classes, and
    the ingestion reports."""

    doc_ids: dict[str, str]
    classes: list[str]
    reports: list[IngestReport]


def build(
    index: KnowledgeIndex, domain: str, progress: Callable[[str], None] | None = None
) -> Built:
    """Ingest the domain's corpus, one data class (sub-folder) at a time."""
    folder = corpus_folder(domain)
    doc_ids: dict[str, str] = {}
    reports = []
    class_folders = sorted(p for p in folder.iterdir() if p.is_dir())
    for class_folder in class_folders:
        report = index.ingest(
            [class_folder], domain=domain, data_class=class_folder.name, progress=progress
        )
        reports.append(report)
        for result in report.files:
            if result.doc_id and result.status in ("added", "replaced", "unchanged"):
                doc_ids[Path(result.path).relative_to(folder).as_posix()] = result.doc_id
    return Built(doc_ids, [p.name for p in class_folders], reports)


def relevant_chunks(index: KnowledgeIndex, domain: str, doc_id: str, evidence: str) -> set[str]:
    chunks = index.chunks("default", domain, doc_id)
    wanted = _normal(evidence)
    holding = {chunk_id for chunk_id, text in chunks if wanted in _normal(text)}
    return holding or {chunk_id for chunk_id, _ in chunks}


def evaluate(
    index: KnowledgeIndex,
    questions: Sequence[Question],
    built: dict[str, Built],
    progress: Callable[[], None] | None = None,
) -> dict:
    """Recall@5 and MRR@10 per mode and split; questions whose document was not ingested
    (dropped as a duplicate) are counted apart."""
    splits = sorted({q.split for q in questions}, key=SPLITS.index)
    figures = {split: {mode: [0.0, 0.0, 0] for mode in MODES} for split in splits}
    missing: list[str] = []
    seconds = dict.fromkeys(MODES, 0.0)
    for question in questions:
        doc_id = built[question.domain].doc_ids.get(question.document)
        if doc_id is None:
            missing.append(question.id)
            continue
        relevant = relevant_chunks(index, question.domain, doc_id, question.evidence)
        query = index.protector.protect(question.question, Scope("default", "evaluation")).text
        readable = DocumentFilter(
            "default",
            question.domain,
            frozenset({"everyone"}),
            dict.fromkeys(built[question.domain].classes),
        )
        for mode in MODES:
            started = time.perf_counter()
            hits = index.search(query, readable, k=MRR_DEPTH, mode=mode, candidates=40)
            seconds[mode] += time.perf_counter() - started
            ranks = [i for i, hit in enumerate(hits, start=1) if hit.chunk_id in relevant]
            cell = figures[question.split][mode]
            cell[0] += bool(ranks and ranks[0] <= RECALL_AT)
            cell[1] += 1.0 / ranks[0] if ranks else 0.0
            cell[2] += 1
        if progress is not None:
            progress()
    return {
        "splits": {
            split: {
                mode: {
                    "questions": n,
                    f"recall@{RECALL_AT}": round(hits / n, 4) if n else None,
                    f"mrr@{MRR_DEPTH}": round(rr / n, 4) if n else None,
                }
                for mode, (hits, rr, n) in modes.items()
            }
            for split, modes in figures.items()
        },
        "missing_documents": missing,
        "search_seconds": {mode: round(s, 2) for mode, s in seconds.items()},
    }


def run(
    domains: Sequence[str] = DOMAINS,
    splits: Sequence[str] = SPLITS,
    *,
    home: Path | None = None,
    on_file: Callable[[str], None] | None = None,
    on_question: Callable[[], None] | None = None,
) -> dict:
    """Build a throwaway index of the corpora (in `home`, or a temporary folder) with the
    real pipeline (cleaning, PII protection, embeddings, Chroma, BM25) and evaluate it."""
    from tutela.api import Tutela
    from tutela.runtime import DeferredBackend
    from tutela.settings import Settings

    with tempfile.TemporaryDirectory(prefix="tutela-eval-") as scratch:
        folder = home or Path(scratch)
        # Only the throwaway folder is used: no server, audit database or extra packs from the
        # environment or the configuration file.
        settings = Settings.load(folder, master_secret=secrets.token_hex(32)).model_copy(
            update={
                "retrieval_url": None,
                "audit_dsn": None,
                "policy_packs": [],
                "audit_checkpoint_every": 100000,
            }
        )
        with Tutela(settings, DeferredBackend(settings)) as tutela:
            index = tutela.index
            assert index is not None
            started = time.perf_counter()
            built = {domain: build(index, domain, on_file) for domain in domains}
            ingest_seconds = time.perf_counter() - started
            questions = [
                q for domain in domains for q in load_questions(domain) if q.split in splits
            ]
            result = evaluate(index, questions, built, on_question)
    reports = [r for b in built.values() for r in b.reports]
    result["documents"] = sum(len(b.doc_ids) for b in built.values())
    result["files"] = sum(len(r.files) for r in reports)
    result["chunks"] = sum(r.chunks for r in reports)
    result["dropped"] = sum(r.count("duplicate", "near-duplicate") for r in reports)
    result["ingest_seconds"] = round(ingest_seconds, 1)
    result["questions"] = len(questions)
    return result
