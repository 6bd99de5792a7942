"""Reading source files: text, Markdown, HTML and PDF, into a title and clean text.

Each reader returns the document's visible text; `clean` repairs encodings, drops boilerplate
and normalises whitespace. A file that cannot be read raises `IngestError` with a reason that
names the file's problem, never its content.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path

from tutela.errors import IngestError
from tutela.retrieval.cleaning import clean, html_text, repeated_lines

FORMATS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class SourceDocument:
    """A document's visible text, cleaned, and its title (the first heading or line)."""

    title: str
    text: str
    format: str
    repaired: bool  # the encoding was broken and has been repaired


def read_document(path: Path) -> SourceDocument:
    """Read `path` by its suffix. Unsupported, unreadable, empty, binary, oversized or
    malformed files raise `IngestError`."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise IngestError(
            f"unsupported file type {path.suffix or '(none)'!r}: use one of "
            f"{', '.join(sorted(FORMATS))}"
        )
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(
                f"file too large ({size // (1024 * 1024)} MiB; the limit is "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MiB): split it"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read the file ({exc.strerror or type(exc).__name__})") from None
    if not data.strip():
        raise IngestError("the file is empty")
    if kind == "pdf":
        title, raw = _pdf(data)
    else:
        raw = _decode(data)
        title = ""
        if kind == "html":
            title, raw = html_text(raw)
    text, repaired = clean(raw)
    if not text:
        raise IngestError("no text is left once the file is cleaned")
    return SourceDocument(
        title=_title(title, text, kind), text=text, format=kind, repaired=repaired
    )


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise IngestError("the file is binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    if text.count("\ufffd") > len(text) // 100:
        raise IngestError("the file is not text in UTF-8 or Windows-1252")
    return text


def _pdf(data: bytes) -> tuple[str, str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise IngestError("the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = str((reader.metadata or {}).get("/Title") or "")
    except IngestError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise IngestError(f"malformed PDF ({type(exc).__name__})") from None
    repeated = repeated_lines(pages)
    body = "\n\n".join(
        "\n".join(line for line in page.splitlines() if line.strip() not in repeated)
        for page in pages
    )
    return title, body


def _title(found: str, text: str, kind: str) -> str:
    title = " ".join(found.split())
    if not title:
        first = text.lstrip().split("\n", 1)[0]
        title = first.lstrip("#").strip() if kind == "markdown" or first else ""
    return title[:200]
