"""Cleaning extracted text: encoding repair, boilerplate removal, whitespace normalisation."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from html.parser import HTMLParser

import ftfy

# Elements whose text is never content, and class or id words that mark page furniture.
_SKIPPED = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "svg",
    "iframe",
    "head",
}
_FURNITURE = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|breadcrumbs?|cookie|consent|banner|footer|header|sidebar|"
    r"social|share|skip|advert|promo|subscribe)(?:$|[-_\s])",
    re.I,
)
_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "table",
    "tr",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "hr",
    "td",
    "th",
}
_VOID = {
    "br",
    "hr",
    "img",
    "input",
    "meta",
    "link",
    "area",
    "base",
    "col",
    "embed",
    "source",
    "track",
    "wbr",
}
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BOILERPLATE_LINE = re.compile(
    r"^(?:(?:©|\(c\)|copyright)\s.{0,120}|all rights reserved\.?|skip to (?:main )?content|"
    r"(?:we|this site) uses? cookies.{0,200}|accept(?: all)? cookies?|back to top|"
    r"page \d+(?: of \d+)?)$",
    re.I,
)


def clean(text: str) -> tuple[str, bool]:
    """The text with its encoding repaired, control characters and boilerplate lines dropped,
    spaces collapsed and at most one blank line between paragraphs. The flag tells whether
    the encoding needed repair."""
    fixed = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False)
    # Repaired means mojibake was undone: not line endings, ligatures or control characters.
    repaired = fixed != ftfy.fix_text(
        text, normalization="NFC", uncurl_quotes=False, fix_encoding=False
    )
    fixed = _CONTROL.sub("", fixed.replace("\r\n", "\n").replace("\r", "\n"))
    lines: list[str] = []
    for line in fixed.split("\n"):
        line = _SPACES.sub(" ", line).strip()
        if _BOILERPLATE_LINE.match(line):
            continue
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip(), repaired


def repeated_lines(pages: Sequence[str]) -> set[str]:
    """Lines found on at least half of several pages: running headers and footers."""
    if len(pages) < 3:
        return set()
    counts = Counter(
        line for page in pages for line in {s.strip() for s in page.splitlines() if s.strip()}
    )
    return {line for line, count in counts.items() if count >= max(2, len(pages) // 2)}


def html_text(markup: str) -> tuple[str, str]:
    """The title and visible content text of an HTML page, without its navigation, cookie
    banners, headers, footers, scripts and forms."""
    parser = _VisibleText()
    parser.feed(markup)
    parser.close()
    return parser.title, "".join(parser.parts)


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._stack: list[tuple[str, bool]] = []  # open elements: (tag, skipped?)
        self._skipping = 0  # how many open elements are skipped
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in _BLOCKS:
            self.parts.append("\n")
        if tag in _VOID:
            return
        marks = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role", "aria-label"))
        hidden = any(k == "hidden" for k, _ in attrs) or "display:none" in "".join(
            (v or "").replace(" ", "") for k, v in attrs if k == "style"
        )
        skipped = tag in _SKIPPED or hidden or bool(_FURNITURE.search(marks))
        self._stack.append((tag, skipped))
        self._skipping += skipped

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _VOID:
            return
        if any(open_tag == tag for open_tag, _ in self._stack):
            # Pop up to the matching element: unclosed elements inside it close with it.
            while self._stack:
                open_tag, skipped = self._stack.pop()
                self._skipping -= skipped
                if open_tag == tag:
                    break
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skipping:
            self.parts.append(data)
