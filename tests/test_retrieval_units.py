"""Units of the retrieval feature, on real inputs: cleaning, reading files (real PDFs made with
fpdf2), chunking with the real embedder's tokenizer, index words and their keyed hashes,
near-duplicate signatures, rank fusion, collection names and the catalog's lexical search."""

from __future__ import annotations

import random
import re
import string
import time
from pathlib import Path

import pytest
from fpdf import FPDF

from tutela.errors import IngestError
from tutela.governance.access.decision import DocumentFilter
from tutela.retrieval import catalog as catalog_module
from tutela.retrieval import documents
from tutela.retrieval.catalog import Catalog, ChunkRow, DocumentRow, Readable
from tutela.retrieval.chunking import chunk_text, split_sentences
from tutela.retrieval.cleaning import clean, html_text, repeated_lines
from tutela.retrieval.documents import read_document
from tutela.retrieval.duplicates import NEAR_DUPLICATE, PERMUTATIONS, most_similar, signature
from tutela.retrieval.index import RRF_K, reciprocal_rank_fusion
from tutela.retrieval.terms import STOPWORDS, TermHasher, words
from tutela.retrieval.vectors import collection_name


@pytest.fixture(scope="module")
def embedder():
    from tutela.embeddings import Embedder

    return Embedder()


# -- clean ---------------------------------------------------------------------------------


def test_clean_repairs_mojibake_and_says_so() -> None:
    assert clean("CafÃ© au lait, crÃ¨me brÃ»lÃ©e") == ("Café au lait, crème brûlée", True)
    assert clean("Café au lait") == ("Café au lait", False)


def test_clean_does_not_call_line_endings_or_control_characters_a_repaired_encoding() -> None:
    # A Windows file is not a broken encoding: the quality report would count every one.
    assert clean("First line.\r\nSecond line.\r\n") == ("First line.\nSecond line.", False)
    assert clean("old\rmac") == ("old\nmac", False)
    assert clean("bell\x07 here") == ("bell here", False)


def test_clean_drops_control_and_zero_width_characters() -> None:
    text, _ = clean("zero\u200bwidth\x00 nul\x1b esc \ufeffbom \u202ebidi\u2060joiner\x7f del")
    assert text == "zerowidth nul esc bom bidijoiner del"
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060\ufeff]", text)


def test_clean_drops_boilerplate_lines_only() -> None:
    raw = "\n".join(
        [
            "Skip to main content",
            "© 2024 Northwind Bank. All rights reserved.",
            "Copyright 2023 Contoso Ltd",
            "All rights reserved.",
            "Wire transfers above 10,000 dollars need a second approval.",
            "We use cookies to improve your experience on this site.",
            "Accept all cookies",
            "Page 3 of 9",
            "page 4",
            "Back to top",
            "The cookies policy of the bakery is to sell them by the dozen.",
        ]
    )
    text, _ = clean(raw)
    assert text.split("\n") == [
        "Wire transfers above 10,000 dollars need a second approval.",
        "The cookies policy of the bakery is to sell them by the dozen.",
    ]


def test_clean_collapses_spaces_and_blank_lines() -> None:
    text, _ = clean("\n\n  Title  \t here \u00a0 now\n\n\n\n\n Body\u2003text \n\n\n")
    assert text == "Title here now\n\nBody text"
    assert clean(" \n\t\n ")[0] == ""


# -- html_text -----------------------------------------------------------------------------

PAGE = """<!doctype html>
<html><head><title>Fee
   schedule</title>
<script>var leak = "SCRIPTTEXT";</script><style>.x { color: red }</style></head>
<body>
<nav><a href="/">Home</a> | <a href="/p">Products NAVTEXT</a></nav>
<div class="cookie-banner">We use cookies COOKIETEXT. <button>Accept</button></div>
<header>Site header HEADERTEXT</header>
<div id="main-menu">Menu MENUTEXT</div>
<main>
  <h1>Fees</h1>
  <p>The annual fee is 1%.</p>
  <p hidden>Hidden HIDDENTEXT</p>
  <div style="display: none">Invisible STYLETEXT</div>
  <aside>Related ASIDETEXT</aside>
  <form>Search FORMTEXT</form>
  <ul><li>Wire: 25 dollars</li><li>Card: free</li></ul>
</main>
<footer>Footer FOOTERTEXT</footer>
</body></html>"""


def test_html_text_keeps_content_and_drops_page_furniture() -> None:
    title, text = html_text(PAGE)
    assert " ".join(title.split()) == "Fee schedule"
    body, _ = clean(text)
    assert [line for line in body.split("\n") if line] == [
        "Fees",
        "The annual fee is 1%.",
        "Wire: 25 dollars",
        "Card: free",
    ]
    for marker in (
        "SCRIPT",
        "NAV",
        "COOKIE",
        "HEADER",
        "MENU",
        "HIDDEN",
        "STYLE",
        "ASIDE",
        "FORM",
        "FOOTER",
    ):
        assert f"{marker}TEXT" not in text
    assert "Accept" not in text and "color" not in text


def test_html_text_survives_unclosed_tags() -> None:
    _, text = html_text("<div><p>First<p>Second</div><p>After<ul><li>One<li>Two")
    assert clean(text)[0].split() == ["First", "Second", "After", "One", "Two"]
    # Closing the nav closes the list left open inside it: the rest is visible again.
    _, text = html_text(
        "<nav><ul><li>Menu</nav><p>Body &amp; soul</p><div class='sidebar'><p>side</div><p>End"
    )
    assert clean(text)[0].split("\n") == ["Body & soul", "", "End"]
    # A stray closing tag does not end a skipped element early.
    _, text = html_text("<footer><p>foot</span>still foot</footer><p>kept")
    assert clean(text)[0] == "kept"


# -- read_document -------------------------------------------------------------------------


def test_read_text_markdown_and_html(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Transfer limits\n\nThe daily limit is 5,000 dollars.\n")
    doc = read_document(tmp_path / "a.txt")
    assert (doc.title, doc.format, doc.repaired) == ("Transfer limits", "text", False)
    assert doc.text == "Transfer limits\n\nThe daily limit is 5,000 dollars."

    (tmp_path / "b.md").write_text("# Card fees\n\nForeign purchases cost **2%**.\n")
    doc = read_document(tmp_path / "b.md")
    assert (doc.title, doc.format) == ("Card fees", "markdown")
    assert "Foreign purchases cost **2%**." in doc.text

    (tmp_path / "c.HTML").write_text(PAGE)
    doc = read_document(tmp_path / "c.HTML")
    assert (doc.title, doc.format) == ("Fee schedule", "html")
    assert "The annual fee is 1%." in doc.text and "FOOTERTEXT" not in doc.text

    # Without a <title>, an HTML page is named by its first line.
    (tmp_path / "d.htm").write_text("<body><h2>Loan terms</h2><p>Fixed for five years.</p>")
    assert read_document(tmp_path / "d.htm").title == "Loan terms"


def test_read_repairs_mojibake_and_decodes_windows_1252(tmp_path: Path) -> None:
    (tmp_path / "mojibake.txt").write_text("Menu du CafÃ©\n\nCrÃ¨me brÃ»lÃ©e.", encoding="utf-8")
    doc = read_document(tmp_path / "mojibake.txt")
    assert doc.text == "Menu du Café\n\nCrème brûlée." and doc.repaired

    text = "Résumé of the naïve café – “smart” quotes cost €5."
    (tmp_path / "cp1252.txt").write_bytes(text.encode("cp1252"))
    assert read_document(tmp_path / "cp1252.txt").text == text

    (tmp_path / "bom.txt").write_bytes("\ufeffWith a BOM.".encode())
    assert read_document(tmp_path / "bom.txt").text == "With a BOM."

    (tmp_path / "crlf.txt").write_bytes(b"Line one.\r\nLine two.\r\n")
    doc = read_document(tmp_path / "crlf.txt")
    assert (doc.text, doc.repaired) == ("Line one.\nLine two.", False)


class _HeadedPdf(FPDF):
    def header(self) -> None:
        self.set_font("Helvetica", size=9)
        self.cell(0, 8, "Northwind Bank - Internal Policy Manual", new_x="LMARGIN", new_y="NEXT")

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=9)
        self.cell(0, 8, f"Page {self.page_no()} of {self.pages_count}")


def _pdf(path: Path, pages: list[str], *, title: str = "", pdf: FPDF | None = None) -> Path:
    pdf = pdf or FPDF()
    if title:
        pdf.set_title(title)
    for text in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.multi_cell(0, 8, text)
    pdf.output(str(path))
    return path


def test_read_pdf(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "one.pdf", ["Margin loans are reviewed every quarter."], title="Margin")
    doc = read_document(path)
    assert (doc.title, doc.format) == ("Margin", "pdf")
    assert doc.text == "Margin loans are reviewed every quarter."
    # Without metadata, the title is the first line.
    path = _pdf(tmp_path / "two.pdf", ["Overdraft rules\nOverdrafts cost 30 dollars."])
    assert read_document(path).title == "Overdraft rules"


def test_read_multi_page_pdf_drops_its_running_header(tmp_path: Path) -> None:
    bodies = [
        f"Section {n}. Rule {n} concerns {topic}."
        for n, topic in enumerate(
            ["wire transfers", "card disputes", "dormant accounts", "cheque holds"], start=1
        )
    ]
    doc = read_document(_pdf(tmp_path / "manual.pdf", bodies, pdf=_HeadedPdf()))
    assert "Northwind Bank" not in doc.text and "Page" not in doc.text
    assert doc.text.split("\n\n") == bodies


def test_read_pdf_failures(tmp_path: Path) -> None:
    good = _pdf(tmp_path / "good.pdf", ["Some text that is fine."]).read_bytes()
    for name, data in {
        "truncated.pdf": good[: len(good) // 2],
        "garbage.pdf": b"%PDF-1.7\nthis is not a PDF at all\n%%EOF\n",
        "text.pdf": b"plain text with a .pdf suffix",
    }.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(IngestError, match=r"^malformed PDF \(\w+\)$"):
            read_document(tmp_path / name)

    locked = FPDF()
    locked.set_encryption(owner_password="owner-secret", user_password="user-secret")
    _pdf(tmp_path / "locked.pdf", ["Encrypted content."], pdf=locked)
    with pytest.raises(IngestError, match="the PDF is encrypted"):
        read_document(tmp_path / "locked.pdf")

    # A PDF whose pages hold no text (a scan without OCR).
    blank = FPDF()
    blank.add_page()
    blank.output(str(tmp_path / "blank.pdf"))
    with pytest.raises(IngestError, match="no text is left"):
        read_document(tmp_path / "blank.pdf")


def test_read_refuses_empty_binary_unsupported_oversized_and_missing_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = {
        "empty.txt": (b"", "the file is empty"),
        "blank.md": (b"  \n\t\n", "the file is empty"),
        "image.txt": (bytes(range(256)) * 4, "the file is binary"),
        "noise.html": (random.Random(3).randbytes(4000).replace(b"\x00", b"\x80"), "not text"),
        "only-boilerplate.txt": (b"Back to top\nAll rights reserved.\n", "no text is left"),
        "letter.docx": (b"PK\x03\x04 a zip", r"unsupported file type '\.docx'"),
        "README": (b"no suffix", r"unsupported file type '\(none\)'"),
    }
    for name, (data, reason) in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(IngestError, match=reason):
            read_document(tmp_path / name)
    with pytest.raises(IngestError, match="cannot read the file"):
        read_document(tmp_path / "missing.txt")

    (tmp_path / "big.txt").write_text("x" * 100)
    assert read_document(tmp_path / "big.txt").text == "x" * 100
    monkeypatch.setattr(documents, "MAX_FILE_BYTES", 99)
    with pytest.raises(IngestError, match="file too large"):
        read_document(tmp_path / "big.txt")


def test_repeated_lines_needs_several_pages() -> None:
    assert repeated_lines(["Header\nA", "Header\nB"]) == set()
    assert repeated_lines(["Header\nA", "Header\nB", "Header\nC", "D"]) == {"Header"}


# -- chunk_text ----------------------------------------------------------------------------


def _sentences(count: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    topics = ["bond ladder", "index fund", "mortgage", "credit card", "wire transfer"]
    return [
        f"Rule {n} says the {rng.choice(topics)} limit for branch {rng.randint(10, 99)} is "
        f"{rng.randint(100, 999)} dollars, reviewed every {rng.choice(['week', 'month'])}."
        for n in range(count)
    ]


def _text(sentences: list[str]) -> str:
    return (
        " ".join(sentences[:30])
        + "\n\n"
        + "\n".join(f"- {s}" for s in sentences[30:60])
        + "\n\n"
        + " ".join(sentences[60:])
    )


@pytest.mark.parametrize(("max_tokens", "overlap"), [(200, 40), (120, 50), (64, 16)])
def test_chunks_fit_overlap_and_lose_no_sentence(embedder, max_tokens: int, overlap: int) -> None:
    sentences = _sentences(90)
    chunks = chunk_text(_text(sentences), embedder.count_tokens, max_tokens, overlap)
    assert len(chunks) > 3
    assert max(embedder.count_tokens(chunks)) <= max_tokens
    for sentence in sentences:
        assert any(sentence in chunk for chunk in chunks), sentence
    overlapped = 0
    for before, after in zip(chunks, chunks[1:], strict=False):
        ahead = [s.removeprefix("- ") for s in split_sentences(after) if s.strip()]
        behind = [s.removeprefix("- ") for s in split_sentences(before) if s.strip()]
        shared = 0
        while shared < len(ahead) and ahead[shared] in behind:
            shared += 1
        # The repeated sentences are the end of the chunk before, within the overlap budget.
        assert ahead[:shared] == behind[len(behind) - shared :]
        assert sum(embedder.count_tokens(ahead[:shared])) <= overlap
        if embedder.count_tokens([behind[-1]])[0] <= overlap:
            assert shared >= 1, (before[-100:], after[:100])
        overlapped += shared > 0
    assert overlapped == (len(chunks) - 1 if overlap >= 30 else 0)


def test_sentences_longer_than_the_window_are_cut_at_spaces(embedder) -> None:
    text = _text(_sentences(90))
    chunks = chunk_text(text, embedder.count_tokens, 16, 0)
    assert max(embedder.count_tokens(chunks)) <= 16
    # Without overlap, the chunks hold every word of the text once, in order.
    assert " ".join(chunks).split() == text.split()


def test_chunks_keep_list_items_and_paragraphs(embedder) -> None:
    text = "Fees\n\n- Wire: 25 dollars.\n- Card: free.\n\nOverdrafts cost 30 dollars."
    assert chunk_text(text, embedder.count_tokens) == [text]


def test_a_huge_word_is_cut_to_the_window(embedder) -> None:
    # No spaces, but hundreds of word pieces (digits and hyphens are separate pieces).
    word = "-".join(str(n) for n in range(700))
    assert embedder.count_tokens([word])[0] > 1000
    chunks = chunk_text(f"Intro sentence. {word} Outro sentence.", embedder.count_tokens, 100, 20)
    assert max(embedder.count_tokens(chunks)) <= 100
    assert chunks[0].startswith("Intro sentence.") and chunks[-1].endswith("Outro sentence.")
    covered = [False] * len(word)
    for chunk in chunks:
        for piece in chunk.split(" "):
            start = word.find(piece)
            if piece and start >= 0 and len(piece) > 20:
                covered[start : start + len(piece)] = [True] * len(piece)
    assert all(covered)


def test_chunk_text_refuses_bad_sizes(embedder) -> None:
    for max_tokens, overlap in ((15, 0), (100, 50), (100, -1)):
        with pytest.raises(ValueError):
            chunk_text("Some text.", embedder.count_tokens, max_tokens, overlap)
    assert chunk_text("", embedder.count_tokens) == []
    assert chunk_text("\n\n\n", embedder.count_tokens) == []


# -- words and keyed hashes ----------------------------------------------------------------


def test_words_keep_codes_whole_and_in_parts() -> None:
    assert words("Order TGX-204 today") == ["order", "tgx-204", "tgx", "204", "today"]
    assert words("ISIN US0378331005, ref A/B.7") == [
        "isin",
        "us0378331005",
        "ref",
        "a/b.7",
        "b",
        "7",
    ]
    assert words("Mr O'Brien's U.S. fund") == ["mr", "o'brien's", "o", "brien", "u.s", "u", "fund"]
    assert words("state-of-the-art") == ["state-of-the-art", "state", "art"]


def test_words_drop_stop_words_and_stem() -> None:
    assert words("The fees of the and a") == ["fee"]
    assert words("running runs ran Runner") == ["run", "run", "ran", "runner"]
    assert words("charged charging charges") == ["charg"] * 3
    assert all(word not in STOPWORDS for word in words(" ".join(sorted(STOPWORDS))))
    assert words("") == [] and words("... -- !!") == []


def test_term_hashes_are_keyed() -> None:
    one, same, other = TermHasher(b"tenant-one"), TermHasher(b"tenant-one"), TermHasher(b"two")
    text = "Client TGX-204 asked about mortgage fees"
    assert one.terms(text) == same.terms(text) == [one.hash(w) for w in words(text)]
    assert set(one.terms(text)).isdisjoint(other.terms(text))
    for term in one.terms(text):
        assert re.fullmatch(r"w[a-z2-7]{13}", term)
    assert not set(words(text)) & set(one.terms(text))
    assert one.hash("fee") != one.hash("fees")  # hashes are of index words, stemmed first
    assert one.terms("fees") == one.terms("FEE")


# -- duplicates ----------------------------------------------------------------------------


def _prose(seed: int, count: int = 220) -> str:
    rng = random.Random(seed)
    vocabulary = [w for w in string.ascii_lowercase for w in (w * 3, w + "ing", w + "ed")]
    return " ".join(rng.choice(vocabulary) for _ in range(count))


def test_minhash_similarity() -> None:
    text = _prose(1)
    assert len(signature(text)) == PERMUTATIONS * 8
    assert signature(text) == signature(text.upper())
    assert most_similar(signature(text), [("same", signature(text))]) == ("same", 1.0)

    near = text + " and one short sentence added at the end"
    _, similarity = most_similar(signature(near), [("original", signature(text))])
    assert NEAR_DUPLICATE <= similarity < 1.0

    _, unrelated = most_similar(signature(_prose(2)), [("original", signature(text))])
    assert unrelated < 0.2

    best = most_similar(
        signature(near),
        [
            ("other", signature(_prose(2))),
            ("original", signature(text)),
            ("third", signature(_prose(3))),
        ],
    )
    assert best is not None and best[0] == "original"
    assert most_similar(signature(text), []) is None
    assert len(signature("")) == PERMUTATIONS * 8  # short texts still get a signature


# -- rank fusion ---------------------------------------------------------------------------


def test_reciprocal_rank_fusion() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "c", "d"]], k=60)
    assert [i for i, _ in fused] == ["b", "c", "a", "d"]
    scores = dict(fused)
    assert scores["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert scores["a"] == pytest.approx(1 / 61) and scores["d"] == pytest.approx(1 / 63)
    assert reciprocal_rank_fusion([["x", "y"]], k=0) == [("x", 1.0), ("y", 0.5)]
    default = dict(reciprocal_rank_fusion([["a", "b"], ["b"]]))
    assert default == {"b": 1 / (RRF_K + 2) + 1 / (RRF_K + 1), "a": 1 / (RRF_K + 1)}
    # Found by both searches beats first in one: the point of fusing.
    assert reciprocal_rank_fusion([["a", "b"], ["c", "b"]])[0][0] == "b"
    # Ties are broken by id, so the order never depends on dictionary order.
    assert [i for i, _ in reciprocal_rank_fusion([["q"], ["p"]])] == ["p", "q"]
    assert reciprocal_rank_fusion([]) == [] and reciprocal_rank_fusion([[], []]) == []


# -- collection names ----------------------------------------------------------------------

_IPV4 = re.compile(r"\d{1,3}(\.\d{1,3}){3}")


@pytest.mark.parametrize("domain", ["general", "finance", "healthcare", "education"])
@pytest.mark.parametrize(
    "tenant", ["default", "acme", "Acme", "a" * 128, "tenant.with..dots", "ünïcødé", "x@y.z"]
)
def test_collection_names_follow_chroma_rules(tenant: str, domain: str) -> None:
    name = collection_name(tenant, domain)
    assert 3 <= len(name) <= 63
    assert re.fullmatch(r"[a-z0-9][a-z0-9_-]*[a-z0-9]", name)
    assert ".." not in name and not _IPV4.fullmatch(name)
    assert tenant.lower() not in name  # the tenant is not shown
    assert name == collection_name(tenant, domain)
    assert re.fullmatch(r"[a-z0-9_]+", "terms_" + name.replace("-", "_"))  # an SQL name too


def test_collection_names_are_distinct_and_accepted_by_chroma(tmp_path: Path) -> None:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    names = {
        collection_name(t, d) for t in ("acme", "Acme", "globex") for d in ("finance", "general")
    }
    assert len(names) == 6
    client = chromadb.PersistentClient(
        path=str(tmp_path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    for name in names:
        client.get_or_create_collection(name, embedding_function=None)
    assert {c.name for c in client.list_collections()} == names


# -- the catalog ---------------------------------------------------------------------------

HASHER = TermHasher(b"catalog-test-key")
COLLECTION = collection_name("acme", "finance")


def _row(
    doc_id: str, data_class: str, acl: tuple[str, ...], owner: str = "", **changes
) -> DocumentRow:
    fields = dict(
        collection=COLLECTION,
        doc_id=doc_id,
        tenant="acme",
        domain="finance",
        data_class=data_class,
        owner_ref=owner,
        acl=acl,
        source_ref=f"src-{doc_id}",
        content_ref=f"content-{doc_id}",
        signature=signature(doc_id),
        title=b"sealed title",
        format="text",
    )
    return DocumentRow(**{**fields, **changes})


def _chunks(doc_id: str, *texts: str, version: str = "v1") -> list[ChunkRow]:
    return [
        ChunkRow(f"{doc_id}-{version}-{n}", n, " ".join(HASHER.terms(text)))
        for n, text in enumerate(texts)
    ]


def _readable(groups: set[str], classes: dict[str, frozenset[str] | None]) -> Readable:
    """What the index passes to the catalog: the filter's classes and groups."""
    readable = DocumentFilter("acme", "finance", frozenset(groups | {"everyone"}), classes)
    return Readable(readable.data_classes, readable.groups)


def _lexical(catalog: Catalog, query: str, readable: Readable, limit: int = 10) -> list[str]:
    return [i for i, _ in catalog.lexical(COLLECTION, HASHER.terms(query), readable, limit)]


@pytest.fixture
def catalog(tmp_path: Path):
    opened = Catalog(tmp_path / "retrieval" / "catalog.db")
    opened.put(
        _row("sheet", "product_sheet", ("everyone",)),
        _chunks("sheet", "The bond ladder fund charges 0.2% a year.", "Redemptions take two days."),
    )
    opened.put(
        _row("wealth", "product_sheet", ("wealth",)),
        _chunks("wealth", "Private bond ladder mandates start at one million."),
    )
    opened.put(
        _row("client-a", "client_record", ("wealth",), owner="ref-a"),
        _chunks("client-a", "Client A holds a bond ladder of treasuries."),
    )
    opened.put(
        _row("client-b", "client_record", ("wealth",), owner="ref-b"),
        _chunks("client-b", "Client B holds a bond ladder of municipal bonds."),
    )
    yield opened
    opened.close()


def test_catalog_lexical_search_ranks_and_filters(catalog: Catalog) -> None:
    everything = _readable({"wealth"}, {"product_sheet": None, "client_record": None})
    found = _lexical(catalog, "bond ladder", everything)
    assert sorted(found) == ["client-a-v1-0", "client-b-v1-0", "sheet-v1-0", "wealth-v1-0"]
    assert _lexical(catalog, "municipal", everything) == ["client-b-v1-0"]
    assert _lexical(catalog, "redemptions", everything) == ["sheet-v1-1"]
    assert _lexical(catalog, "bond ladder", everything, limit=2) == found[:2]
    scores = [s for _, s in catalog.lexical(COLLECTION, HASHER.terms("bond ladder"), everything, 9)]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    # Words the index never saw, or another key's hashes, find nothing.
    assert _lexical(catalog, "zebra", everything) == []
    other = TermHasher(b"another-tenant").terms("bond ladder")
    assert catalog.lexical(COLLECTION, other, everything, 10) == []
    assert (
        catalog.lexical(collection_name("globex", "finance"), HASHER.terms("bond"), everything, 10)
        == []
    )


def test_catalog_readable_filter_by_class_owner_and_acl(catalog: Catalog) -> None:
    query = "bond ladder"
    # ACL: outside the wealth group only the everyone sheet is readable.
    assert _lexical(
        catalog, query, _readable(set(), {"product_sheet": None, "client_record": None})
    ) == ["sheet-v1-0"]
    # Class: product sheets only.
    assert sorted(_lexical(catalog, query, _readable({"wealth"}, {"product_sheet": None}))) == [
        "sheet-v1-0",
        "wealth-v1-0",
    ]
    # Owner: client records of owner A only (a client reading their own record).
    own = _readable({"wealth"}, {"product_sheet": None, "client_record": frozenset({"ref-a"})})
    assert sorted(_lexical(catalog, query, own)) == ["client-a-v1-0", "sheet-v1-0", "wealth-v1-0"]
    assert _lexical(catalog, query, _readable({"wealth"}, {"client_record": frozenset()})) == []
    # Nothing readable: nothing found.
    assert _lexical(catalog, query, Readable({}, frozenset({"everyone"}))) == []
    assert _lexical(catalog, query, Readable({"product_sheet": None}, frozenset())) == []


def test_catalog_put_replace_and_delete(catalog: Catalog) -> None:
    assert catalog.counts(COLLECTION) == (4, 5)
    assert catalog.chunk_ids(COLLECTION, "sheet") == ["sheet-v1-0", "sheet-v1-1"]
    assert catalog.document(COLLECTION, "sheet").acl == ("everyone",)
    assert catalog.by_content(COLLECTION, "content-sheet").doc_id == "sheet"
    assert [r.doc_id for r in catalog.documents(tenant="acme", owner_ref="ref-a")] == ["client-a"]
    assert {d for d, _ in catalog.signatures(COLLECTION)} == {
        "sheet",
        "wealth",
        "client-a",
        "client-b",
    }

    # Replacing returns the old chunk ids, and the old words are gone from the index.
    time.sleep(0.01)
    old = catalog.put(
        _row("sheet", "product_sheet", ("everyone", "retail"), content_ref="content-sheet-2"),
        _chunks("sheet", "The index fund charges 0.1% a year.", version="v2"),
    )
    assert old == ["sheet-v1-0", "sheet-v1-1"]
    assert catalog.chunk_ids(COLLECTION, "sheet") == ["sheet-v2-0"]
    assert catalog.document(COLLECTION, "sheet").acl == ("everyone", "retail")
    readable = _readable(set(), {"product_sheet": None})
    assert _lexical(catalog, "redemptions", readable) == []
    assert _lexical(catalog, "index fund", readable) == ["sheet-v2-0"]
    assert catalog.by_content(COLLECTION, "content-sheet") is None
    assert catalog.counts(COLLECTION) == (4, 4)
    assert catalog.chunk_documents(COLLECTION, ["sheet-v2-0", "sheet-v1-0", "nope"]).keys() == {
        "sheet-v2-0"
    }

    assert catalog.delete(COLLECTION, "client-a") == ["client-a-v1-0"]
    assert catalog.delete(COLLECTION, "client-a") == []
    assert catalog.document(COLLECTION, "client-a") is None
    assert catalog.documents(tenant="acme", owner_ref="ref-a") == []
    everything = _readable({"wealth"}, {"product_sheet": None, "client_record": None})
    assert "client-a-v1-0" not in _lexical(catalog, "treasuries bond ladder", everything)
    assert catalog.counts(COLLECTION) == (3, 3)


def test_catalog_persists_across_reopening(tmp_path: Path) -> None:
    path = tmp_path / "catalog.db"
    first = Catalog(path)
    first.put(_row("kept", "product_sheet", ("everyone",)), _chunks("kept", "Dividend dates."))
    first.close()
    second = Catalog(path)
    try:
        readable = _readable(set(), {"product_sheet": None})
        assert _lexical(second, "dividend", readable) == ["kept-v1-0"]
        assert path.stat().st_mode & 0o077 == 0  # readable by its owner only
    finally:
        second.close()


def _term_counts(catalog: Catalog) -> dict[str, int]:
    """The catalog's kept term counts, and (checked equal) those the full-text index holds."""
    db = catalog._db
    kept = dict(
        db.execute(
            "SELECT term, chunks FROM term_chunks WHERE collection = ?", (COLLECTION,)
        ).fetchall()
    )
    table = catalog._terms_table(COLLECTION, create=False)
    db.execute(f"CREATE VIRTUAL TABLE temp.check_vocabulary USING fts5vocab(main, {table}, 'row')")
    try:
        counted = dict(db.execute("SELECT term, doc FROM temp.check_vocabulary").fetchall())
    finally:
        db.execute("DROP TABLE temp.check_vocabulary")
    assert kept == counted
    return kept


def test_catalog_term_counts_follow_every_write(catalog: Catalog) -> None:
    bond = HASHER.hash("bond")
    assert _term_counts(catalog)[bond] == 4
    catalog.put(
        _row("sheet", "product_sheet", ("everyone",), content_ref="c2"),
        _chunks("sheet", "Equity fund.", "Equity fund, again.", version="v2"),
    )
    counts = _term_counts(catalog)
    assert counts[bond] == 3 and counts[HASHER.hash("equiti")] == 2
    catalog.delete(COLLECTION, "sheet")
    counts = _term_counts(catalog)
    assert HASHER.hash("equiti") not in counts and counts[bond] == 3


def test_catalog_upgrades_a_catalog_without_term_counts(tmp_path: Path) -> None:
    path = tmp_path / "catalog.db"
    first = Catalog(path)
    first.put(_row("kept", "product_sheet", ("everyone",)), _chunks("kept", "Dividend dates."))
    first._db.execute("DELETE FROM term_chunks")
    first._db.execute("PRAGMA user_version = 0")
    first.close()
    second = Catalog(path)
    try:
        assert _term_counts(second) == {HASHER.hash("dividend"): 1, HASHER.hash("date"): 1}
        readable = _readable(set(), {"product_sheet": None})
        assert _lexical(second, "dividend", readable) == ["kept-v1-0"]
    finally:
        second.close()


def test_lexical_queries_stay_within_their_budget(tmp_path: Path, monkeypatch) -> None:
    opened = Catalog(tmp_path / "catalog.db")
    try:
        for n in range(12):
            words = "ledger" if n < 5 else "memo"
            opened.put(
                _row(f"d{n}", "product_sheet", ("everyone",)),
                _chunks(f"d{n}", f"{words} {n} " + ("zircon" if n == 3 else "")),
            )
        readable = _readable(set(), {"product_sheet": None})
        assert len(_lexical(opened, "ledger", readable)) == 5
        monkeypatch.setattr(catalog_module, "LEXICAL_BUDGET", 3)
        # A term in more chunks than the budget is not matched: nothing selective is left.
        assert _lexical(opened, "ledger", readable) == []
        # Rarer terms are kept, rarest first, within the budget.
        assert _lexical(opened, "ledger zircon", readable) == ["d3-v1-0"]
    finally:
        opened.close()
