"""The knowledge index: governed ingestion and hybrid search over one vector store and one
catalog.

Ingestion reads, cleans, de-duplicates, protects (PII), chunks, embeds, seals and stores each
document; searching fuses a dense query (Chroma) and a lexical one (BM25 over keyed word
hashes) with reciprocal rank fusion, inside a permission filter. Access decisions on each
chunk and injection screening belong to `Retriever`, which wraps this index for calls.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import secrets
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from tutela.errors import CiphertextError, IngestError, InputError, SubjectErasedError
from tutela.governance.access.decision import DocumentFilter
from tutela.governance.envelope import Context
from tutela.governance.keyring import KeyRing
from tutela.governance.pii.protector import PiiProtector
from tutela.governance.pii.vault import Scope
from tutela.retrieval.catalog import (
    Catalog,
    ChunkRow,
    DocumentRow,
    Partition,
    Readable,
    partition_id,
)
from tutela.retrieval.chunking import chunk_text
from tutela.retrieval.documents import FORMATS, SourceDocument, read_document
from tutela.retrieval.duplicates import NEAR_DUPLICATE, most_similar, signature
from tutela.retrieval.terms import TermHasher
from tutela.retrieval.vectors import VectorStore, collection_name

Mode = Literal["hybrid", "dense", "lexical"]
# Reciprocal rank fusion constant. Cormack et al. (2009) use 60; on the evaluation's dev split
# k from 1 to 3 ranks best (recall@5 0.864-0.870, MRR 0.712-0.714, against 0.831 and 0.680
# at 60): the first places of each list matter most here.
RRF_K = 2
CHUNK_TOKENS = 200  # word pieces per chunk; the title and special tokens fill the rest of 256
CHUNK_OVERLAP = 40
EMBED_BATCH = 64  # chunks embedded together across documents
log = logging.getLogger(__name__)

FileStatus = Literal["added", "replaced", "unchanged", "duplicate", "near-duplicate", "failed"]


@dataclass(frozen=True)
class FileResult:
    path: str
    status: FileStatus
    doc_id: str = ""
    chunks: int = 0
    reason: str = ""  # why a file failed or was dropped; never its content


@dataclass
class IngestReport:
    """What one ingestion run did, file by file, and the data-quality figures of the run."""

    tenant: str
    domain: str
    files: list[FileResult] = field(default_factory=list)
    entities: Counter[str] = field(default_factory=Counter)
    chunk_tokens: list[int] = field(default_factory=list)
    repaired_encodings: int = 0
    formats: Counter[str] = field(default_factory=Counter)
    saved_to: Path | None = None  # where the quality report was written, if it was

    def count(self, *statuses: FileStatus) -> int:
        return sum(1 for f in self.files if f.status in statuses)

    @property
    def chunks(self) -> int:
        return sum(f.chunks for f in self.files if f.status in ("added", "replaced"))

    def save(self, folder: Path) -> Path:
        """Write the quality report, with each document's status and id (never its path,
        which may name a person), as `ingest-<UTC time>.json` in `folder` (0600)."""
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        path = folder / f"ingest-{stamp}-{secrets.token_hex(3)}.json"
        body = {
            **self.quality(),
            "documents": [
                {"status": f.status, "doc_id": f.doc_id, "chunks": f.chunks} for f in self.files
            ],
        }
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(body, handle, indent=2)
        self.saved_to = path
        return path

    def quality(self) -> dict[str, object]:
        """The run's data-quality report: counts and distributions only, no text or names."""
        tokens = self.chunk_tokens
        failures = Counter(
            f.reason.split(" (")[0].split(":")[0] for f in self.files if f.status == "failed"
        )
        return {
            "tenant": self.tenant,
            "domain": self.domain,
            "files": len(self.files),
            "by_status": dict(Counter(f.status for f in self.files)),
            "by_format": dict(self.formats),
            "failures": dict(failures),
            "repaired_encodings": self.repaired_encodings,
            "chunks": self.chunks,
            "chunk_tokens": {
                "min": min(tokens),
                "median": statistics.median(tokens),
                "max": max(tokens),
            }
            if tokens
            else {},
            "entities_protected": dict(sorted(self.entities.items())),
        }


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk: its ids, its document's title, its fused score and its protected
    text, with its rank in each of the two searches (None when that search missed it)."""

    doc_id: str
    chunk_id: str
    title: str
    score: float
    text: str
    data_class: str
    acl: tuple[str, ...]
    owner_ref: str
    dense_rank: int | None
    lexical_rank: int | None


@dataclass(frozen=True)
class _TenantKeys:
    """Keys derived per tenant from the KeyRing's index key: for word hashes and shingles."""

    terms: TermHasher
    shingles: bytes


@dataclass
class _Prepared:
    path: str
    row: DocumentRow
    status: FileStatus
    title: str
    chunks: list[str]
    owner: str | None
    embeddings: list[list[float]] = field(default_factory=list)


@dataclass(frozen=True)
class Prefetch:
    """An embedding started before its text was protected. Only a digest of the text is
    kept, and the vector is given out only for a text with the same digest: one that
    protection left as it was."""

    digest: bytes
    job: Future

    def vector(self, query: str) -> list[float] | None:
        if _digest(query) != self.digest:
            self.job.cancel()
            return None
        return self.job.result()[0]


class KnowledgeIndex:
    def __init__(
        self,
        keyring: KeyRing,
        protector: PiiProtector,
        embedder,
        store: VectorStore,
        catalog: Catalog,
    ) -> None:
        self.keyring = keyring
        self.protector = protector
        self.embedder = embedder
        self.store = store
        self.catalog = catalog
        self._tenant_keys: dict[str, _TenantKeys] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def close(self) -> None:
        """Wait for running queries, then close the catalog."""
        with self._pool_lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None
        self.catalog.close()

    def _workers(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="tutela-lexical")
            return self._pool

    # -- ingestion -------------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | Path],
        *,
        domain: str,
        tenant: str = "default",
        acl: Sequence[str] = ("everyone",),
        data_class: str,
        subject: str | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> IngestReport:
        """Ingest files and folders (recursively, supported suffixes only). Each file is
        reported with its status; a failing file never stops the run, and a document is
        visible to searches only once all its chunks are stored."""
        files = list({source: (path, source) for path, source in expand_paths(paths)}.values())
        report = IngestReport(tenant=tenant, domain=domain)
        collection = collection_name(tenant, domain)
        batch: list[_Prepared] = []
        for path, source in files:
            try:
                document = read_document(path)
            except IngestError as exc:
                report.files.append(FileResult(str(path), "failed", reason=str(exc)))
                _advance(progress, path)
                continue
            report.formats[document.format] += 1
            report.repaired_encodings += document.repaired
            try:
                prepared = self._prepare(
                    document,
                    str(path),
                    source,
                    collection,
                    tenant,
                    domain,
                    acl,
                    data_class,
                    subject,
                    batch,
                    report,
                )
            except Exception as exc:  # a failing file never stops the run
                log.error("ingesting one file failed (%s)", type(exc).__name__)
                prepared = None
                report.files.append(
                    FileResult(str(path), "failed", reason=f"not ingested ({type(exc).__name__})")
                )
            if prepared is not None:
                batch.append(prepared)
                if sum(len(p.chunks) for p in batch) >= EMBED_BATCH:
                    self._flush(batch, report)
                    batch = []
            _advance(progress, path)
        self._flush(batch, report)
        order = {str(path): i for i, (path, _) in enumerate(files)}
        report.files.sort(key=lambda result: order.get(result.path, len(order)))
        return report

    def _prepare(
        self,
        document: SourceDocument,
        path: str,
        source: str,
        collection: str,
        tenant: str,
        domain: str,
        acl: Sequence[str],
        data_class: str,
        subject: str | None,
        batch: list[_Prepared],
        report: IngestReport,
    ) -> _Prepared | None:
        doc_id = self.keyring.blind_index(tenant, "document-source", f"{domain}\x00{source}")[:24]
        content_ref = self.keyring.blind_index(tenant, "document-content", document.text)[:32]
        previous = self.catalog.document(collection, doc_id)
        owner_ref = self.owner_ref(tenant, subject)
        if (
            previous is not None
            and previous.content_ref == content_ref
            and (previous.data_class, previous.owner_ref, set(previous.acl))
            == (data_class, owner_ref, set(acl))
        ):
            report.files.append(FileResult(path, "unchanged", doc_id))
            return None
        same = self.catalog.by_content(collection, content_ref)
        pending_same = next((p for p in batch if p.row.content_ref == content_ref), None)
        if (same is not None and same.doc_id != doc_id) or pending_same is not None:
            report.files.append(
                FileResult(path, "duplicate", doc_id, reason="same text as another document")
            )
            return None
        # The signature is taken before protection (so near duplicates are dropped before any
        # value reaches the vault) with a key per tenant (so it reveals nothing of the text).
        sig = signature(document.text, self._keys(tenant).shingles)
        others = [(d, s) for d, s in self.catalog.signatures(collection) if d != doc_id]
        others += [(p.row.doc_id, p.row.signature) for p in batch if p.row.doc_id != doc_id]
        near = most_similar(sig, others)
        if near is not None and near[1] >= NEAR_DUPLICATE:
            report.files.append(
                FileResult(
                    path, "near-duplicate", doc_id, reason=f"{near[1]:.0%} like another document"
                )
            )
            return None
        scope = Scope(tenant, f"documents:{domain}", subject=subject)
        protected = self.protector.protect(document.text, scope)
        title = self.protector.protect(document.title, scope).text if document.title else ""
        report.entities.update(protected.counts())
        chunks = chunk_text(protected.text, self.embedder.count_tokens, CHUNK_TOKENS, CHUNK_OVERLAP)
        row = DocumentRow(
            collection=collection,
            doc_id=doc_id,
            tenant=tenant,
            domain=domain,
            data_class=data_class,
            owner_ref=owner_ref,
            acl=tuple(sorted(set(acl))),
            source_ref=self.keyring.blind_index(tenant, "document-source-path", source)[:32],
            content_ref=content_ref,
            signature=sig,
            title=self.keyring.encrypt(
                title.encode("utf-8"), _title_context(tenant, doc_id), subject=subject
            ),
            format=document.format,
        )
        return _Prepared(path, row, "replaced" if previous else "added", title, chunks, subject)

    def _flush(self, batch: list[_Prepared], report: IngestReport) -> None:
        if not batch:
            return
        texts = [_embedded_text(p.title, c) for p in batch for c in p.chunks]
        vectors = iter(self.embedder.embed(texts, batch_size=32))
        for prepared in batch:
            prepared.embeddings = [next(vectors) for _ in prepared.chunks]
            report.chunk_tokens += self.embedder.count_tokens(prepared.chunks)
            report.files.append(self._write(prepared))

    def _write(self, prepared: _Prepared) -> FileResult:
        row = prepared.row
        ids = [f"{row.doc_id}-{row.content_ref[:8]}-{i}" for i in range(len(prepared.chunks))]
        sealed = [
            base64.b64encode(
                self.keyring.encrypt(
                    text.encode("utf-8"),
                    _chunk_context(row.tenant, chunk_id),
                    subject=prepared.owner,
                )
            ).decode("ascii")
            for chunk_id, text in zip(ids, prepared.chunks, strict=True)
        ]
        metadata = {
            "partition": partition_id(row.data_class, row.owner_ref, row.acl),
            "tenant": row.tenant,
            "domain": row.domain,
            "data_class": row.data_class,
            "owner": row.owner_ref,
            "doc_id": row.doc_id,
            **{f"acl:{group}": True for group in row.acl},
        }
        hasher = self._keys(row.tenant).terms
        terms = [" ".join(hasher.terms(f"{prepared.title}\n{text}")) for text in prepared.chunks]
        try:
            self.store.add(
                row.collection,
                ids,
                prepared.embeddings,
                sealed,
                [{**metadata, "position": i} for i in range(len(ids))],
            )
            try:
                old = self.catalog.put(
                    row,
                    [ChunkRow(c, i, t) for i, (c, t) in enumerate(zip(ids, terms, strict=True))],
                )
            except Exception:
                self.store.delete(row.collection, ids)
                raise
            self.store.delete(row.collection, [c for c in old if c not in set(ids)])
        except Exception as exc:
            log.error("storing one document failed (%s)", type(exc).__name__)
            return FileResult(
                prepared.path, "failed", row.doc_id, reason=f"not stored ({type(exc).__name__})"
            )
        return FileResult(prepared.path, prepared.status, row.doc_id, len(ids))

    # -- search ----------------------------------------------------------------------------

    def search(
        self,
        query: str,
        readable: DocumentFilter,
        *,
        k: int = 5,
        mode: Mode = "hybrid",
        candidates: int = 40,
    ) -> list[Hit]:
        """The `k` best chunks for `query` among the documents `readable` allows, best first.
        `query` must already be protected (it is embedded and hashed as given)."""
        hits: list[Hit] = []
        for page in self.pages(query, readable, k=k, mode=mode, candidates=candidates):
            hits += page
            if len(hits) >= k:
                break
        return hits[:k]

    def prefetch(self, query: str) -> Prefetch:
        """Start embedding `query` in the background, before it is protected: if protection
        leaves it unchanged, `pages` uses this vector instead of waiting for a new one."""
        return Prefetch(_digest(query), self._workers().submit(self.embedder.embed, [query]))

    def pages(
        self,
        query: str,
        readable: DocumentFilter,
        *,
        k: int = 5,
        mode: Mode = "hybrid",
        candidates: int = 40,
        prefetched: Prefetch | None = None,
    ) -> Iterator[list[Hit]]:
        """The readable chunks for `query`, best first, `k` at a time. Bad sizes are refused
        and both searches run when this is called; each page's texts are read and opened only
        when it is asked for, so a caller that keeps the first `k` pays for `k`, and one that
        must drop some (denied, flagged) reads on."""
        if k < 1 or candidates < k:
            raise InputError("k must be at least 1 and candidates at least k")
        collection = collection_name(readable.tenant, readable.domain)
        stored = self._stored_filter(readable)
        partitions = self.catalog.partitions(collection)
        lexical_job = None
        if mode in ("hybrid", "lexical"):
            # The lexical query runs in SQLite, which lets go of the interpreter, while the
            # query is embedded and the vector store searched here.
            lexical_job = self._workers().submit(
                self.catalog.lexical,
                collection,
                self._keys(readable.tenant).terms.terms(query),
                Readable(stored.data_classes, stored.groups),
                candidates,
            )
        dense: list[str] = []
        if mode in ("hybrid", "dense"):
            vector = prefetched.vector(query) if prefetched is not None else None
            if vector is None:
                vector = self.embedder.embed([query])[0]
            dense = self._dense(collection, partitions, vector, stored, candidates)
        lexical = [i for i, _ in lexical_job.result()] if lexical_job is not None else []
        fused = reciprocal_rank_fusion([dense, lexical])
        rows = self.catalog.chunk_documents(collection, [i for i, _ in fused])
        # Only chunks the catalog holds (a document is complete) and the filter allows.
        allowed = [(i, s) for i, s in fused if i in rows and _allows(stored, rows[i])]
        dense_ranks = {i: rank for rank, i in enumerate(dense, start=1)}
        lexical_ranks = {i: rank for rank, i in enumerate(lexical, start=1)}
        # Ranked now (errors and the searches happen here); opened page by page below.
        return self._open_pages(collection, allowed, rows, dense_ranks, lexical_ranks, k)

    def _open_pages(
        self,
        collection: str,
        allowed: list[tuple[str, float]],
        rows: dict[str, DocumentRow],
        dense_ranks: dict[str, int],
        lexical_ranks: dict[str, int],
        k: int,
    ) -> Iterator[list[Hit]]:
        for start in range(0, len(allowed), k):
            page = allowed[start : start + k]
            texts = self.store.get(collection, [i for i, _ in page])
            hits = []
            for chunk_id, score in page:
                row = rows[chunk_id]
                if chunk_id not in texts:
                    continue
                try:
                    text = self._open_chunk(row.tenant, chunk_id, texts[chunk_id][0])
                    title = self.keyring.decrypt(
                        row.title, _title_context(row.tenant, row.doc_id)
                    ).decode("utf-8")
                except (CiphertextError, SubjectErasedError):
                    continue  # erased or tampered with: never shown
                hits.append(
                    Hit(
                        doc_id=row.doc_id,
                        chunk_id=chunk_id,
                        title=title,
                        score=score,
                        text=text,
                        data_class=row.data_class,
                        acl=row.acl,
                        owner_ref=row.owner_ref,
                        dense_rank=dense_ranks.get(chunk_id),
                        lexical_rank=lexical_ranks.get(chunk_id),
                    )
                )
            yield hits

    def _dense(
        self,
        collection: str,
        partitions: list[Partition],
        vector: list[float],
        readable: DocumentFilter,
        candidates: int,
    ) -> list[str]:
        """The nearest readable chunks. The filter goes into the Chroma query as the list of
        readable partitions, except where that is needless or costly: Chroma's metadata
        pre-filter costs time in proportion to the chunks it admits (about 3 ms per thousand
        chunks here), more than the search itself. So when every chunk is readable the query has
        no filter (the same result); when most are, the query over-fetches ids only (reading
        their metadata would cost more than the search), keeps those the catalog shows
        readable, and runs the filtered query only if too few remain."""
        total = sum(p.chunks for p in partitions)
        allowed = {p.id for p in partitions if _allows_partition(readable, p)}
        readable_chunks = sum(p.chunks for p in partitions if p.id in allowed)
        if not allowed:
            return []
        if readable_chunks == total:
            return self.store.query(collection, vector, None, candidates)
        if readable_chunks * 2 > total:
            wanted = min(total, candidates * 2 * total // readable_chunks + 1)
            nearest = self.store.query(collection, vector, None, wanted)
            rows = self.catalog.chunk_documents(collection, nearest)
            found = [i for i in nearest if i in rows and _allows(readable, rows[i])]
            if len(found) >= candidates or wanted >= total:
                return found[:candidates]
        where = {"partition": {"$in": sorted(allowed)}}
        return self.store.query(collection, vector, where, candidates)

    # -- documents and erasure ----------------------------------------------------------------

    def documents(self, tenant: str, domain: str | None = None) -> list[DocumentRow]:
        collection = collection_name(tenant, domain) if domain else None
        return self.catalog.documents(collection, tenant=tenant)

    def chunks(self, tenant: str, domain: str, doc_id: str) -> list[tuple[str, str]]:
        """A document's chunks in order, as (chunk id, protected text)."""
        collection = collection_name(tenant, domain)
        ids = self.catalog.chunk_ids(collection, doc_id)
        stored = self.store.get(collection, ids)
        return [(i, self._open_chunk(tenant, i, stored[i][0])) for i in ids if i in stored]

    def delete_document(self, tenant: str, domain: str, doc_id: str) -> int:
        """Remove a document from every index; returns how many chunks were removed."""
        collection = collection_name(tenant, domain)
        removed = self.catalog.delete(collection, doc_id)
        self.store.delete(collection, removed)
        return len(removed)

    def erase_subject(self, tenant: str, subject: str) -> int:
        """Remove every document about `subject` in `tenant`, from every domain's indexes;
        returns how many chunks were removed."""
        owner = self.owner_ref(tenant, subject)
        if not owner:  # an empty reference would select every document of the tenant
            raise InputError("a data subject id must be a non-empty string")
        removed = 0
        for row in self.catalog.documents(tenant=tenant, owner_ref=owner):
            ids = self.catalog.delete(row.collection, row.doc_id)
            self.store.delete(row.collection, ids)
            removed += len(ids)
        return removed

    def _open_chunk(self, tenant: str, chunk_id: str, sealed: str) -> str:
        context = _chunk_context(tenant, chunk_id)
        return self.keyring.decrypt(base64.b64decode(sealed), context).decode("utf-8")

    def owner_ref(self, tenant: str, subject: str | None) -> str:
        """The keyed reference stored for a data subject ('' for none)."""
        return self.keyring.blind_index(tenant, "document-owner", subject)[:32] if subject else ""

    def _stored_filter(self, readable: DocumentFilter) -> DocumentFilter:
        """The filter with owners replaced by their stored keyed references; a class open to
        no owner at all is left out (Chroma refuses an empty `$in`)."""
        return replace(
            readable,
            data_classes={
                c: None
                if owners is None
                else frozenset(self.owner_ref(readable.tenant, o) for o in owners)
                for c, owners in readable.data_classes.items()
                if owners is None or owners
            },
        )

    def _keys(self, tenant: str) -> _TenantKeys:
        if tenant not in self._tenant_keys:
            terms = bytes.fromhex(self.keyring.blind_index(tenant, "lexical-terms", "v1"))
            shingles = bytes.fromhex(self.keyring.blind_index(tenant, "minhash-shingles", "v1"))
            self._tenant_keys[tenant] = _TenantKeys(TermHasher(terms), shingles[:32])
        return self._tenant_keys[tenant]


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]], k: int = RRF_K
) -> list[tuple[str, float]]:
    """Ids ordered by the sum of 1 / (k + rank) over the rankings they appear in."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


def expand_paths(paths: Iterable[str | Path]) -> Iterable[tuple[Path, str]]:
    """Each file to ingest with its source key (its resolved path): folders are walked in
    name order and keep only supported suffixes; a path that does not exist is an error.
    One path may be given on its own."""
    if isinstance(paths, str | Path):
        paths = [paths]
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file()):
                if found.suffix.lower() in FORMATS and not found.name.startswith("."):
                    yield found, str(found.resolve())
        elif path.exists():
            yield path, str(path.resolve())
        else:
            raise InputError(f"{given} does not exist")


def _allows_partition(readable: DocumentFilter, partition: Partition) -> bool:
    owners = readable.data_classes.get(partition.data_class, frozenset())
    return (
        partition.data_class in readable.data_classes
        and bool(partition.acl & readable.groups)
        and (owners is None or partition.owner_ref in owners)
    )


def _allows(readable: DocumentFilter, row: DocumentRow) -> bool:
    owners = readable.data_classes.get(row.data_class, frozenset())
    return (
        row.tenant == readable.tenant
        and row.domain == readable.domain
        and row.data_class in readable.data_classes
        and bool(set(row.acl) & readable.groups)
        and (owners is None or row.owner_ref in owners)
    )


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _embedded_text(title: str, chunk: str) -> str:
    return f"{title}\n{chunk}" if title else chunk


def _chunk_context(tenant: str, chunk_id: str) -> Context:
    return Context(tenant, "chunk", chunk_id, "text")


def _title_context(tenant: str, doc_id: str) -> Context:
    return Context(tenant, "document", doc_id, "title")


def _advance(progress: Callable[[str], None] | None, path: Path) -> None:
    if progress is not None:
        progress(str(path))
