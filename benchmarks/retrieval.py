"""Retrieval: governed ingestion throughput and governed query latency at 10^4 and 10^5
chunks, against bare Chroma on the same data in the same run.

Rows:

- ingest: `Tutela.ingest` of `--docs` synthetic Markdown product sheets (about 300 words
  each, with names, e-mail addresses and phone numbers) through the whole pipeline: reading,
  cleaning, duplicate checks, PII protection, chunking, embedding, sealing each chunk,
  Chroma and the lexical index. Baseline: the same number of chunk texts embedded with the
  same model and added to a bare Chroma collection (`collection.add` with embeddings and
  plain text). Both report chunks per second; the ratio is Tutela's over the baseline's.
- query at N chunks: the collection of tenant "bench" in the finance domain is filled to N
  chunks. 10^4 distinct synthetic texts are embedded with the real model; above that, each
  further chunk is a variant of one of them (its sentences in another order, its vector with
  Gaussian noise of 0.05 per dimension, normalised), so that filling 10^5 chunks does not take
  half an hour of embedding on two cores. Those chunks go through the index's own writer
  (sealing, Chroma metadata, lexical index); the PII step is skipped for them (it is
  measured by the ingest row). A tenth of the chunks are client records of 50 clients, the
  rest product sheets. Each query then runs:
  * governed: `Tutela.search(query, domain="finance", principal=P, purpose=..., k=5)` for
    an adviser (ADVICE: reads every chunk) and an analyst (RESEARCH: client records are
    excluded, so the permission filter removes a tenth of the collection): authorization,
    query protection, the permission filter in the Chroma query, BM25 over keyed word
    hashes, fusion, a policy decision per chunk, decryption, injection screening and the
    audit record;
  * bare: `collection.query(query_embeddings=[vector], n_results=5)` on the same collection,
    without a filter, and the query's embedding time measured on its own.
  Target: governed p50 within 2x of (bare query p50 + embedding p50). PASS or MISS is printed.

Run from the repository root:

    .venv/bin/python benchmarks/retrieval.py            # 10^4 and 10^5 chunks
    .venv/bin/python benchmarks/retrieval.py --quick    # 2,000 chunks, fewer queries
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

FIRST = ["Maria", "Kenji", "Amara", "Lukas", "Priya", "Tomasz", "Aisha", "Diego", "Mei", "Oskar"]
LAST = ["Gonzalez", "Tanaka", "Okafor", "Schmidt", "Raman", "Nowak", "Haddad", "Silva", "Chen"]
ASSETS = [
    "government bonds",
    "global equities",
    "emerging market debt",
    "real estate trusts",
    "money market paper",
    "inflation-linked bonds",
    "small caps",
    "infrastructure",
]
TERMS = [
    "a management fee of {f} percent",
    "an entry charge of {f} percent",
    "a performance fee of {f} percent above the hurdle",
    "a custody fee of {f} percent",
]
RULES = [
    "Redemptions settle in {d} business days.",
    "The minimum investment is {m} euros.",
    "Distributions are paid every {p}.",
    "The fund is rebalanced every {p}.",
    "Switching between share classes is free {d} times a year.",
]
PERIODS = ["month", "quarter", "half year", "year"]
# An adviser reads every chunk (product sheets and client records); an analyst doing research
# reads the product sheets only (nine tenths), so the permission filter excludes something.
PRINCIPALS = (("adv", "ADVICE"), ("ana", "RESEARCH"))


def sentence(rng: random.Random, code: str) -> str:
    template = rng.choice(RULES + [f"The {code} fund invests in {{a}} and charges {{t}}."])
    fee = f"{rng.randint(5, 250) / 100:.2f}"
    return template.format(
        a=rng.choice(ASSETS),
        t=rng.choice(TERMS).format(f=fee),
        d=rng.randint(1, 9),
        m=rng.choice([500, 1000, 2500, 10000]),
        p=rng.choice(PERIODS),
    )


def chunk_text(rng: random.Random, index: int) -> tuple[str, str]:
    code = f"{rng.choice('ABCDEFGHKLMNPRSTX')}{rng.choice('BGKTX')}X-{index % 997:03d}"
    return code, " ".join(sentence(rng, code) for _ in range(6))


def product_sheet(rng: random.Random, number: int) -> str:
    code, body = chunk_text(rng, number)
    person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    email = f"{person.split()[0].lower()}.{person.split()[1].lower()}@example.com"
    paragraphs = [chunk_text(rng, number + k)[1] for k in range(4)]
    phone = rng.randint(1000, 9999)
    return (
        f"# Fund {code} product sheet\n\n{body}\n\n"
        + "\n\n".join(paragraphs)
        + f"\n\nYour adviser is {person}; write to {email} or call +1 212 555 {phone}.\n"
    )


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def ingest_row(tutela, folder: Path, docs: int, rng: random.Random) -> dict:
    for number in range(docs):
        (folder / f"sheet-{number:05d}.md").write_text(product_sheet(rng, number), "utf-8")
    started = time.perf_counter()
    report = tutela.ingest(
        [folder],
        domain="finance",
        tenant="bench",
        classification="product_sheet",
        principal=tutela.principal("ops", "bench"),
    )
    governed = time.perf_counter() - started
    index = tutela.index
    texts = [
        text
        for f in report.files
        if f.doc_id
        for _, text in index.chunks("bench", "finance", f.doc_id)
    ]
    store = index.store
    started = time.perf_counter()
    vectors = index.embedder.embed(texts, batch_size=32)
    store.add(
        "bench_bare_ingest",
        [f"c{i}" for i in range(len(texts))],
        vectors,
        texts,
        [{"n": i} for i in range(len(texts))],
    )
    bare = time.perf_counter() - started
    return {
        "documents": docs,
        "chunks": report.chunks,
        "governed_chunks_per_s": round(report.chunks / governed, 1),
        "bare_chunks_per_s": round(len(texts) / bare, 1),
        "ratio": round((report.chunks / governed) / (len(texts) / bare), 3),
        "entities_protected": sum(report.entities.values()),
    }


def fill(tutela, target: int, pool: list[tuple[str, list[float]]], rng: random.Random) -> None:
    """Fill the bench collection to `target` chunks through the index's writer."""
    from tutela.retrieval.catalog import DocumentRow
    from tutela.retrieval.duplicates import signature
    from tutela.retrieval.index import _Prepared
    from tutela.retrieval.vectors import collection_name

    index = tutela.index
    collection = collection_name("bench", "finance")
    have = index.catalog.counts(collection)[1]
    number = have
    while have < target:
        size = min(10, target - have)
        chunks, vectors = [], []
        for _ in range(size):
            if number < len(pool):
                text, vector = pool[number]
            else:
                text, vector = pool[rng.randrange(len(pool))]
                parts = text.split(". ")
                rng.shuffle(parts)
                text = ". ".join(parts)
                noisy = np.asarray(vector) + np.random.default_rng(number).normal(
                    0, 0.05, len(vector)
                )
                vector = (noisy / np.linalg.norm(noisy)).tolist()
            chunks.append(text)
            vectors.append(vector)
            number += 1
        doc_id = f"bench{number:08d}"
        record = (number // 10) % 10 == 0  # a tenth are client records, of 50 clients
        owner = f"c-{number % 50}" if record else None
        row = DocumentRow(
            collection=collection,
            doc_id=doc_id,
            tenant="bench",
            domain="finance",
            data_class="client_record" if record else "product_sheet",
            owner_ref=index.owner_ref("bench", owner),
            acl=("everyone",),
            source_ref=doc_id,
            content_ref=secrets.token_hex(16),
            signature=signature(chunks[0]),
            title=index.keyring.encrypt(
                b"Fund product sheet", _title_context(doc_id), subject=owner
            ),
            format="markdown",
        )
        prepared = _Prepared(doc_id, row, "added", "Fund product sheet", chunks, owner, vectors)
        result = index._write(prepared)
        assert result.status == "added", result
        have += size


def _title_context(doc_id: str):
    from tutela.governance.envelope import Context

    return Context("bench", "document", doc_id, "title")


def query_row(tutela, size: int, queries: list[str], rounds: int, user: str, purpose: str) -> dict:
    from tutela.retrieval.vectors import collection_name

    index = tutela.index
    principal = tutela.principal(user, "bench")
    bare_collection = index.store._collection(collection_name("bench", "finance"))
    governed, bare, embedding = [], [], []
    for _ in range(rounds):
        for query in queries:
            started = time.perf_counter()
            result = tutela.search(
                query, domain="finance", principal=principal, purpose=purpose, k=5
            )
            governed.append((time.perf_counter() - started) * 1000)
            assert result.hits, "the governed search found nothing"
            started = time.perf_counter()
            vector = index.embedder.embed([query])[0]
            embedding.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            bare_collection.query(query_embeddings=[vector], n_results=5)
            bare.append((time.perf_counter() - started) * 1000)
    g50, g95 = percentiles(governed)
    b50, b95 = percentiles(bare)
    e50, e95 = percentiles(embedding)
    ratio = g50 / (b50 + e50)
    return {
        "chunks": size,
        "principal": f"{user} ({purpose})",
        "queries": len(governed),
        "governed_ms": [round(g50, 2), round(g95, 2)],
        "bare_query_ms": [round(b50, 2), round(b95, 2)],
        "embedding_ms": [round(e50, 2), round(e95, 2)],
        "ratio_p50": round(ratio, 2),
        "target": "PASS" if ratio <= 2.0 else "MISS",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--docs", type=int, default=200, help="documents for the ingest row")
    parser.add_argument("--pool", type=int, default=10000, help="distinct embedded texts")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.docs, args.pool, args.queries, args.rounds = "2000", 30, 1000, 30, 1
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = random.Random(7)

    from tutela.api import Tutela

    with tempfile.TemporaryDirectory(prefix="tutela-bench-") as scratch:
        home = Path(scratch) / "home"
        with Tutela.open(
            home, defer_model=True, master_secret=secrets.token_hex(32), show_progress=False
        ) as tutela:
            tutela.access.directory.add("ops", roles=["admin"], tenant="bench")
            tutela.access.directory.add("adv", roles=["advisor"], tenant="bench")
            tutela.access.directory.add("ana", roles=["analyst"], tenant="bench")
            tutela.embedder.embed(["warm up"])
            folder = Path(scratch) / "docs"
            folder.mkdir()
            results = {"ingest": ingest_row(tutela, folder, args.docs, rng), "queries": []}
            print(json.dumps(results["ingest"]), flush=True)
            started = time.perf_counter()
            texts = [chunk_text(rng, i)[1] for i in range(min(args.pool, max(sizes)))]
            vectors = tutela.embedder.embed(texts, batch_size=64)
            pool = list(zip(texts, vectors, strict=True))
            print(
                f"embedded a pool of {len(pool)} texts in {time.perf_counter() - started:.0f} s",
                flush=True,
            )
            queries = [
                rng.choice(
                    [
                        "What does the {c} fund charge?",
                        "When do redemptions of {c} settle?",
                        "Which fund invests in {a}?",
                        "minimum investment for {c}",
                        "how often are distributions paid",
                        "fees for {a} funds",
                    ]
                ).format(c=chunk_text(rng, rng.randrange(997))[0], a=rng.choice(ASSETS))
                for _ in range(args.queries)
            ]
            for size in sizes:
                started = time.perf_counter()
                fill(tutela, size, pool, rng)
                print(
                    f"filled to {size} chunks in {time.perf_counter() - started:.0f} s", flush=True
                )
                for user, purpose in PRINCIPALS:
                    row = query_row(tutela, size, queries, args.rounds, user, purpose)
                    results["queries"].append(row)
                    print(json.dumps(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
