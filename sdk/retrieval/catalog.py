"""The catalog: which documents and chunks each collection holds, and its lexical index.

One SQLite file under the data directory (`retrieval/catalog.db`). It is the source of truth
for what is stored: a chunk counts only once its document's row is committed here, so a
failure between the vector store and the catalog never exposes half a document. Each
collection (tenant and domain) has its own full-text table of keyed word hashes, ranked by
SQLite's BM25, so term statistics never mix tenants. Nothing here is readable text: titles
are sealed, words are keyed hashes, sources and contents are keyed references.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tutela.errors import RetrievalError
from tutela.governance.sqlite_file import open_private_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    collection TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    tenant TEXT NOT NULL,
    domain TEXT NOT NULL,
    data_class TEXT NOT NULL,
    owner_ref TEXT NOT NULL,      -- keyed reference to the data subject, '' for none
    acl TEXT NOT NULL,            -- JSON list of ACL groups
    source_ref TEXT NOT NULL,     -- keyed reference to where the document came from
    content_ref TEXT NOT NULL,    -- keyed hash of the cleaned text: unchanged files are skipped
    signature BLOB NOT NULL,      -- keyed MinHash of the cleaned text, for near duplicates
    title BLOB NOT NULL,          -- the protected title, sealed with the KeyRing
    format TEXT NOT NULL,
    ingested_at REAL NOT NULL,
    PRIMARY KEY (collection, doc_id)
);
CREATE INDEX IF NOT EXISTS documents_owner ON documents (tenant, owner_ref);
CREATE INDEX IF NOT EXISTS documents_content ON documents (collection, content_ref);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY,
    chunk_id TEXT NOT NULL UNIQUE,
    collection TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks (collection, doc_id);
CREATE TABLE IF NOT EXISTS collections (name TEXT PRIMARY KEY, tenant TEXT, domain TEXT);
CREATE TABLE IF NOT EXISTS term_chunks (  -- how many chunks of a collection hold each word hash
    collection TEXT NOT NULL,
    term TEXT NOT NULL,
    chunks INTEGER NOT NULL,
    PRIMARY KEY (collection, term)
) WITHOUT ROWID;
"""
_VERSION = 1  # PRAGMA user_version: 1 added term_chunks
# The most postings (chunk entries of the matched terms) one lexical query scores.
LEXICAL_BUDGET = 5000


@dataclass(frozen=True)
class DocumentRow:
    collection: str
    doc_id: str
    tenant: str
    domain: str
    data_class: str
    owner_ref: str
    acl: tuple[str, ...]
    source_ref: str
    content_ref: str
    signature: bytes
    title: bytes
    format: str
    ingested_at: float = 0.0


@dataclass(frozen=True)
class Partition:
    """Chunks that share who may read them: one data class, owner and ACL."""

    id: str
    data_class: str
    owner_ref: str
    acl: frozenset[str]
    chunks: int


def partition_id(data_class: str, owner_ref: str, acl: Sequence[str]) -> str:
    key = "\x00".join((data_class, owner_ref, ",".join(sorted(acl))))
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


@dataclass(frozen=True)
class ChunkRow:
    chunk_id: str
    position: int
    terms: str  # space-separated word hashes


@dataclass(frozen=True)
class Readable:
    """The part of a document filter the catalog applies: data classes (each open to anyone,
    or to keyed owner references) and ACL groups."""

    classes: dict[str, frozenset[str] | None]
    groups: frozenset[str]


class Catalog:
    def __init__(self, path: Path) -> None:
        self._lock = threading.RLock()
        self._partitions: dict[str, tuple[tuple[int, int], list[Partition]]] = {}
        self._writes = 0  # this connection's commits; PRAGMA data_version counts the others'
        try:
            self._db = open_private_database(path, _SCHEMA)
            self._upgrade()
        except (sqlite3.DatabaseError, OSError) as exc:
            raise _error(exc) from None

    # -- reads ---------------------------------------------------------------------------

    def document(self, collection: str, doc_id: str) -> DocumentRow | None:
        rows = self._select("WHERE collection = ? AND doc_id = ?", (collection, doc_id))
        return rows[0] if rows else None

    def documents(
        self, collection: str | None = None, *, tenant: str | None = None, owner_ref: str = ""
    ) -> list[DocumentRow]:
        clauses, args = [], []
        for column, value in (("collection", collection), ("tenant", tenant)):
            if value is not None:
                clauses.append(f"{column} = ?")
                args.append(value)
        if owner_ref:
            clauses.append("owner_ref = ?")
            args.append(owner_ref)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        return self._select(where + " ORDER BY ingested_at, doc_id", tuple(args))

    def by_content(self, collection: str, content_ref: str) -> DocumentRow | None:
        rows = self._select("WHERE collection = ? AND content_ref = ?", (collection, content_ref))
        return rows[0] if rows else None

    def signatures(self, collection: str) -> list[tuple[str, bytes]]:
        with self._reading() as db:
            return db.execute(
                "SELECT doc_id, signature FROM documents WHERE collection = ?", (collection,)
            ).fetchall()

    def chunk_ids(self, collection: str, doc_id: str) -> list[str]:
        with self._reading() as db:
            rows = db.execute(
                "SELECT chunk_id FROM chunks WHERE collection = ? AND doc_id = ? ORDER BY position",
                (collection, doc_id),
            ).fetchall()
        return [r[0] for r in rows]

    def chunk_documents(self, collection: str, chunk_ids: Sequence[str]) -> dict[str, DocumentRow]:
        """The document of each chunk id that the catalog holds; unknown ids are left out."""
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        with self._reading() as db:
            rows = db.execute(
                f"SELECT c.chunk_id, {_DOCUMENT_COLUMNS} FROM chunks c JOIN documents d "
                "ON d.collection = c.collection AND d.doc_id = c.doc_id "
                # `+` keeps SQLite on the chunk id index: by collection it would scan them all.
                f"WHERE c.chunk_id IN ({marks}) AND +c.collection = ?",
                (*chunk_ids, collection),
            ).fetchall()
        documents: dict[str, DocumentRow] = {}
        found: dict[str, DocumentRow] = {}
        for chunk_id, *columns in rows:
            doc_id = columns[1]
            if doc_id not in documents:
                documents[doc_id] = _document(columns)
            found[chunk_id] = documents[doc_id]
        return found

    def lexical(
        self, collection: str, terms: Sequence[str], readable: Readable, limit: int
    ) -> list[tuple[str, float]]:
        """Chunk ids ranked by BM25 for any of `terms`, among readable documents only.

        The full-text index ranks on its own first (its top `4 * limit`), and only those rows
        are checked against the filter: joining every match with the catalog would cost time
        in proportion to the matches. If too few of them are readable, the filtered query
        runs over all matches."""
        if not terms or not readable.classes or not readable.groups:
            return []
        table = self._terms_table(collection, create=False)
        if table is None:
            return []
        total = sum(p.chunks for p in self.partitions(collection))
        where, args = _readable_sql(readable)
        with self._reading() as db:
            wanted = self._selective(db, collection, total, list(dict.fromkeys(terms)))
            if not wanted:
                return []
            query = " OR ".join(f'"{t}"' for t in wanted)
            ranked = db.execute(
                f"SELECT rowid, rank FROM {table} WHERE {table} MATCH ? ORDER BY rank LIMIT ?",
                (query, 4 * limit),
            ).fetchall()
            if not ranked:
                return []
            marks = ",".join("?" * len(ranked))
            readable_ids = dict(
                db.execute(
                    "SELECT c.id, c.chunk_id FROM chunks c JOIN documents d "
                    "ON d.collection = c.collection AND d.doc_id = c.doc_id "
                    f"WHERE c.id IN ({marks}) AND {where}",
                    (*[r[0] for r in ranked], *args),
                ).fetchall()
            )
            rows = [(readable_ids[i], rank) for i, rank in ranked if i in readable_ids]
            if len(rows) < limit and len(ranked) == 4 * limit:
                rows = db.execute(
                    f"SELECT c.chunk_id, {table}.rank FROM {table} "
                    f"JOIN chunks c ON c.id = {table}.rowid "
                    "JOIN documents d ON d.collection = c.collection AND d.doc_id = c.doc_id "
                    f"WHERE {table} MATCH ? AND {where} ORDER BY {table}.rank LIMIT ?",
                    (query, *args, limit),
                ).fetchall()
        return [(chunk_id, -rank) for chunk_id, rank in rows[:limit]]

    def _selective(
        self, db: sqlite3.Connection, collection: str, chunks: int, terms: list[str]
    ) -> list[str]:
        """The terms worth matching, within a bounded amount of work.

        BM25 scores every chunk holding any matched term, so a query's cost grows with the
        sum of its terms' document frequencies. Terms in more than half of the chunks weigh
        about nothing (SQLite clamps their weight to 1e-6) and are dropped, unless every term
        is that common, when the rarest is kept. The rest are taken rarest first while their
        document frequencies add up to at most `LEXICAL_BUDGET` postings: the common terms
        left out carry the least weight, and the dense search still reads them. If even the
        rarest term is above the budget, the lexical side has nothing selective to add and
        matches nothing. Terms no chunk holds are dropped. Document frequencies come from
        `term_chunks`, kept with every write: the full-text index would count the postings."""
        marks = ",".join("?" * len(terms))
        found = dict(
            db.execute(
                f"SELECT term, chunks FROM term_chunks WHERE collection = ? AND term IN ({marks})",
                (collection, *terms),
            ).fetchall()
        )
        informative = [t for t in found if found[t] * 2 <= chunks]
        if not informative and found:
            informative = [min(found, key=found.__getitem__)]
        chosen, postings = [], 0
        for term in sorted(informative, key=found.__getitem__):
            postings += found[term]
            if postings > LEXICAL_BUDGET:
                break
            chosen.append(term)
        return chosen

    def partitions(self, collection: str) -> list[Partition]:
        """The collection's partitions with their chunk counts, cached until the catalog
        changes (in this process or another)."""
        with self._reading() as db:
            version = (db.execute("PRAGMA data_version").fetchone()[0], self._writes)
            cached = self._partitions.get(collection)
            if cached is not None and cached[0] == version:
                return cached[1]
            rows = db.execute(
                "SELECT d.data_class, d.owner_ref, d.acl, count(c.id) FROM documents d "
                "JOIN chunks c ON c.collection = d.collection AND c.doc_id = d.doc_id "
                "WHERE d.collection = ? GROUP BY d.data_class, d.owner_ref, d.acl",
                (collection,),
            ).fetchall()
        found: dict[str, Partition] = {}
        for data_class, owner_ref, acl, chunks in rows:
            groups = json.loads(acl)
            pid = partition_id(data_class, owner_ref, groups)
            known = found.get(pid)
            found[pid] = Partition(
                pid,
                data_class,
                owner_ref,
                frozenset(groups),
                chunks + (known.chunks if known else 0),
            )
        self._partitions[collection] = (version, list(found.values()))
        return list(found.values())

    def counts(self, collection: str) -> tuple[int, int]:
        with self._reading() as db:
            documents = db.execute(
                "SELECT count(*) FROM documents WHERE collection = ?", (collection,)
            ).fetchone()[0]
            chunks = db.execute(
                "SELECT count(*) FROM chunks WHERE collection = ?", (collection,)
            ).fetchone()[0]
        return documents, chunks

    # -- writes --------------------------------------------------------------------------

    def put(self, row: DocumentRow, chunks: Sequence[ChunkRow]) -> list[str]:
        """Store a document and its chunks, replacing any earlier version; returns the chunk
        ids the earlier version had (for the caller to remove from the vector store)."""
        with self._writing() as db:
            table = self._terms_table(row.collection, create=True, db=db)
            old = self._drop(db, table, row.collection, row.doc_id)
            db.execute(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    row.collection,
                    row.doc_id,
                    row.tenant,
                    row.domain,
                    row.data_class,
                    row.owner_ref,
                    json.dumps(sorted(row.acl)),
                    row.source_ref,
                    row.content_ref,
                    row.signature,
                    row.title,
                    row.format,
                    time.time(),
                ),
            )
            for chunk in chunks:
                cursor = db.execute(
                    "INSERT INTO chunks (chunk_id, collection, doc_id, position) VALUES (?,?,?,?)",
                    (chunk.chunk_id, row.collection, row.doc_id, chunk.position),
                )
                db.execute(
                    f"INSERT INTO {table} (rowid, words) VALUES (?, ?)",
                    (cursor.lastrowid, chunk.terms),
                )
            _count_terms(db, row.collection, [chunk.terms for chunk in chunks], 1)
            db.execute(
                "INSERT OR IGNORE INTO collections VALUES (?, ?, ?)",
                (row.collection, row.tenant, row.domain),
            )
        return old

    def delete(self, collection: str, doc_id: str) -> list[str]:
        """Remove a document; returns its chunk ids (empty if it was not there)."""
        with self._writing() as db:
            table = self._terms_table(collection, create=False, db=db)
            return self._drop(db, table, collection, doc_id)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- internals -----------------------------------------------------------------------

    def _upgrade(self) -> None:
        """Bring a catalog written by an earlier version up to this one."""
        db = self._db
        if db.execute("PRAGMA user_version").fetchone()[0] >= _VERSION:
            return
        with self._writing() as db:
            for (collection,) in db.execute("SELECT name FROM collections").fetchall():
                table = self._terms_table(collection, create=False, db=db)
                if table is None:
                    continue
                vocabulary = f"temp.{table}_vocabulary"
                db.execute(
                    f"CREATE VIRTUAL TABLE {vocabulary} USING fts5vocab(main, {table}, 'row')"
                )
                db.execute(
                    f"INSERT OR REPLACE INTO term_chunks SELECT ?, term, doc FROM {vocabulary}",
                    (collection,),
                )
                db.execute(f"DROP TABLE {vocabulary}")
            db.execute(f"PRAGMA user_version = {_VERSION}")

    def _drop(self, db: sqlite3.Connection, table: str | None, collection: str, doc_id: str):
        rows = db.execute(
            "SELECT id, chunk_id FROM chunks WHERE collection = ? AND doc_id = ?",
            (collection, doc_id),
        ).fetchall()
        if table is not None and rows:
            marks = ",".join("?" * len(rows))
            words = db.execute(
                f"SELECT words FROM {table} WHERE rowid IN ({marks})", [r[0] for r in rows]
            ).fetchall()
            _count_terms(db, collection, [w[0] for w in words], -1)
            db.executemany(f"DELETE FROM {table} WHERE rowid = ?", [(r[0],) for r in rows])
        db.execute("DELETE FROM chunks WHERE collection = ? AND doc_id = ?", (collection, doc_id))
        db.execute(
            "DELETE FROM documents WHERE collection = ? AND doc_id = ?", (collection, doc_id)
        )
        return [r[1] for r in rows]

    def _terms_table(self, collection: str, *, create: bool, db=None) -> str | None:
        # Collection names are chosen by Tutela: [a-z0-9_] only (see vectors.collection_name).
        table = "terms_" + collection.replace("-", "_").replace(".", "_")
        db = db or self._db
        with self._lock:
            exists = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
            ).fetchone()
            if not exists:
                if not create:
                    return None
                db.execute(f"CREATE VIRTUAL TABLE {table} USING fts5(words, tokenize='ascii')")
        return table

    def _select(self, where: str, args: tuple) -> list[DocumentRow]:
        with self._reading() as db:
            rows = db.execute(
                f"SELECT {_DOCUMENT_COLUMNS} FROM documents d " + where, args
            ).fetchall()
        return [_document(r) for r in rows]

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._db
            except sqlite3.DatabaseError as exc:
                raise _error(exc) from None

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
                self._writes += 1
            except sqlite3.DatabaseError as exc:
                raise _error(exc) from None


_DOCUMENT_COLUMNS = (
    "d.collection, d.doc_id, d.tenant, d.domain, d.data_class, d.owner_ref, d.acl, "
    "d.source_ref, d.content_ref, d.signature, d.title, d.format, d.ingested_at"
)


def _document(columns: Sequence) -> DocumentRow:
    return DocumentRow(*columns[:6], tuple(json.loads(columns[6])), *columns[7:])


def _readable_sql(readable: Readable) -> tuple[str, list]:
    classes, args = [], []
    for data_class, owners in sorted(readable.classes.items()):
        if owners is None:
            classes.append("d.data_class = ?")
            args.append(data_class)
        else:
            marks = ",".join("?" * len(owners)) or "NULL"
            classes.append(f"(d.data_class = ? AND d.owner_ref IN ({marks}))")
            args += [data_class, *sorted(owners)]
    groups = ",".join("?" * len(readable.groups))
    args += sorted(readable.groups)
    return (
        f"({' OR '.join(classes)}) AND EXISTS "
        f"(SELECT 1 FROM json_each(d.acl) WHERE json_each.value IN ({groups}))",
        args,
    )


def _count_terms(db: sqlite3.Connection, collection: str, chunks: Sequence[str], sign: int):
    """Add (`sign` 1) or remove (-1) chunks' words to the collection's term counts."""
    counts = Counter(term for words in chunks for term in set(words.split()))
    db.executemany(
        "INSERT INTO term_chunks VALUES (?, ?, ?) ON CONFLICT (collection, term) "
        "DO UPDATE SET chunks = chunks + excluded.chunks",
        [(collection, term, sign * n) for term, n in counts.items()],
    )
    if sign < 0:
        db.executemany(
            "DELETE FROM term_chunks WHERE collection = ? AND term = ? AND chunks <= 0",
            [(collection, term) for term in counts],
        )


def _error(exc: Exception) -> RetrievalError:
    return RetrievalError(
        f"the retrieval catalog cannot be used ({type(exc).__name__}): check the data directory"
    )
