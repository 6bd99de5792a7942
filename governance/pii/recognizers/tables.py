"""Values typed by the name of their column or field.

A row such as `10442,Keisha Blackwood,231587764` carries no label next to its values; the
header line above it (`emp_id,name,ssn`) does. A header is a line of three or more cells
that hold no digits, at least one of them a known column name; the lines below it with the
same number of cells are its rows, up to the first blank or differently shaped line. A table
aligned with spaces is read the same way, its cells starting where the header's names start
(`#  Name        DOB`). In structured text (JSON, a logged dictionary, a query string) a quoted
value is typed by its key the same way: `'name': 'ZHANG YUQING'`, `"cvv2": "8812"`, and so
is an unquoted value after a snake-case key (`dob_profile: 01/02/1998`), the text of an XML
element (`<given>Caoimhe</given>`, `<birthTime value="19970812"/>`, or
`<DateOfBirth><Date>1979-11-23</Date></DateOfBirth>` by the element around it), each string
of a JSON list (FHIR's `"given": ["Temitope"]`) and each quoted value of an SQL insert by
its column (`INSERT INTO students (student_id, legal_last) VALUES ('A0192', 'Oyelaran'),
...`).
"""

from __future__ import annotations

import csv
import re

from presidio_analyzer import EntityRecognizer, RecognizerResult

from tutela.governance.pii.recognizers.financial import _BIC

# Column names (split into words at "_", "-", "." and spaces), first match wins.
_COLUMNS: list[tuple[str, str]] = [
    (r"password|passwd|pwd|passcode|secret|token|apikey|credential|credentials|pin", "SECRET"),
    (r"dob|birth|birthdate|birthday", "DATE_OF_BIRTH"),
    (r"ssn|social", "US_SSN"),
    (r"routing|aba|rtn", "US_ROUTING_NUMBER"),
    (r"bic|bicfi|swift", "SWIFT_CODE"),
    (r"cvv2?|cvc2?|csc|cid", "CARD_SECURITY_CODE"),
    (r"mrn", "MEDICAL_RECORD_NUMBER"),
    (r"npi", "NPI"),
    (r"dea", "DEA_NUMBER"),
    (r"member|subscriber|mbi|medicaid|medicare", "HEALTH_PLAN_ID"),
    (r"student|matric|sid", "STUDENT_ID"),
    (r"account|acct|iban", "ACCOUNT_NUMBER"),
    (r"zip|zipcode|postcode|postal|plz", "ZIP_CODE"),
    (r"address|addr|street|line[123]|strt|bldg", "STREET_ADDRESS"),
    (r"phone|mobile|cell|tel", "PHONE_NUMBER"),
    (r"email|e-mail", "EMAIL_ADDRESS"),
    (
        r"name|first|last|surname|given|family|forename|insured|prescriber|provider|payee|patient|"
        r"employee|customer|client|borrower|beneficiary|holder|cardholder|physician|doctor|"
        r"guarantor|guardian|recipient|applicant|child|pupil|parent|mother|father|spouse|maiden|"
        r"alias|aliases|middle|preferred",
        "PERSON",
    ),
]
_COLUMN_WORDS = [(re.compile(rf"^(?:{words})$"), kind) for words, kind in _COLUMNS]
_DELIMITERS = ",;|\t"
_KEY = r"[A-Za-z][\w.\-]{0,40}"
# A quoted value after its key: "key": "value", 'key': 'value', key="value".
_FIELD = re.compile(
    rf"""(?P<quote>["']?)(?P<key>{_KEY})(?P=quote)[ \t]*[:=][ \t]*"""
    r"""(?P<open>["'])(?P<value>(?:(?!(?P=open))[^\n]){1,100})(?P=open)"""
)  # a value may hold the other quote: "last": "O'NEILL"
# An unquoted value after its key in a log line: PatientName=KIM^MINJUN, birth_date=19750803.
_LOG_FIELD = re.compile(rf"(?:^|(?<=[\s;,|]))(?P<key>{_KEY})=(?P<value>[^\s\"',;|&=<>]{{1,100}})")
# An unquoted value after a key written in snake case, in YAML or a log's dump
# ("dob_profile: 01/02/1998   name_on_document: NGUYỄN VĂN AN"): up to two spaces or the end.
_SNAKE_FIELD = re.compile(
    r"(?m)(?:^[ \t]*|(?<=[ \t]{2}))(?P<key>[A-Za-z]+(?:_[A-Za-z0-9]+)+)[ \t]*:[ \t]+"
    r"(?P<value>[^\s\"'\[{|>][^\n]*?)(?=[ \t]{2,}|[ \t]*$|[ \t]+#)"
)
# An XML element's text or value attribute: <given>Caoimhe</given>, <birthTime value="1997"/>.
_ELEMENT = re.compile(rf"<(?P<key>{_KEY})(?:\s[^<>]*)?>(?P<value>[^<>\n]{{1,100}})</(?P=key)>")
# ... and the text of an element typed by the element around it:
# <DateOfBirth><Date>1979-11-23</Date></DateOfBirth>.
_NESTED = re.compile(
    rf"<(?P<key>{_KEY})(?:\s[^<>]*)?>\s*<(?P<inner>{_KEY})(?:\s[^<>]*)?>"
    rf"(?P<value>[^<>\n]{{1,100}})</(?P=inner)>\s*</(?P=key)>"
)
_VALUE_ATTRIBUTE = re.compile(
    rf"<(?P<key>{_KEY})\s[^<>]*?\bvalue\s*=\s*\"(?P<value>[^\"<>\n]{{1,100}})\""
)
# A JSON list of strings (FHIR's "given": ["Temitope"], "line": ["680 N Lake Shore Dr"]).
_LIST = re.compile(rf"""["'](?P<key>{_KEY})["'][ \t]*:[ \t]*\[(?P<values>[^\[\]\n]{{1,300}})\]""")
_LIST_ITEM = re.compile(r"""(?P<open>["'])(?P<value>(?:(?!(?P=open))[^\n]){1,100})(?P=open)""")
# An SQL insert: its column list, then its rows of values.
_INSERT = re.compile(
    r"(?i:\binsert\s+into\s+[\w.\"`\[\]]+\s*)\((?P<columns>[^()]{1,500})\)(?i:\s*values\s*)"
)
_SQL_ROW = re.compile(r"\s*,?\s*\((?P<row>(?:'(?:[^'\n]|'')*'|[^'()\n])*)\)")
_SQL_CELL = re.compile(r"\s*(?:'(?P<quoted>(?:[^'\n]|'')*)'|[^,']*?)\s*(?:,|$)")
# In lists, FHIR's address "line" is the street line.
_LIST_COLUMNS = {"line": "STREET_ADDRESS"}
# An identifier, not a name: "cc-number", "UK.OBIE.IBAN", "user_id".
_IDENTIFIER = re.compile(r"[a-z0-9]+(?:[_\-.][a-z0-9]+)+|[A-Za-z0-9]+(?:[_.][A-Za-z0-9]+)+")
# Field names that make a quoted value a person's name (a "provider" may be a company).
_NAME_FIELD_WORDS = {
    "name", "first", "last", "surname", "given", "forename", "family", "holder", "cardholder",
    "patient", "insured", "beneficiary", "guarantor", "recipient", "child", "pupil", "parent",
    "mother", "father", "spouse", "maiden", "alias", "aliases", "nm", "middle", "preferred",
}  # fmt: skip
# Keys that name a type only as a whole: ISO 20022's <Nm>, not <TwnNm> (a town).
_WHOLE_KEYS = {"Nm": "PERSON"}
# A template's placeholder or a redaction, not a value: "{{ debtor.name }}", "[REDACTED]".
_PLACEHOLDER = re.compile(r"[{}\[\]<>$]")
# A cell of a table aligned with spaces: text without two spaces in a row.
_ALIGNED_NAME = re.compile(r"\S+(?: \S+)*")
_RULE_LINE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_HEADER_CELL = re.compile(r"^[A-Za-z#][A-Za-z0-9_ .\-/#?()']*$")  # "last_a1c", "Eligible?"


# Types whose values hold four digits or more and are no amounts ("account_id: 1",
# "student_loans: 288.00").
_NUMBERS = {
    "ACCOUNT_NUMBER", "STUDENT_ID", "MEDICAL_RECORD_NUMBER", "HEALTH_PLAN_ID", "US_SSN", "NPI",
    "DEA_NUMBER", "US_ROUTING_NUMBER", "PHONE_NUMBER",
}  # fmt: skip
_AMOUNT = re.compile(r"[$€£]?-?[\d,]+\.\d{2}")


def _words(header: str) -> list[str]:
    """The words of a column or field name: "pcp_npi", "birthTime", "Postal Code"."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", header.strip())
    return [w for w in re.split(r"[_\-.\s/#]+", spaced.lower()) if w]


def column_type(header: str) -> str | None:
    """The entity type a column name announces ("pcp_npi" -> NPI), if any."""
    words = _words(header)
    for pattern, kind in _COLUMN_WORDS:
        if any(pattern.match(w) for w in words):
            return kind
    return None


def _plausible(kind: str, cell: str) -> bool:
    has_digit = any(c.isdigit() for c in cell)
    if kind in _NUMBERS:
        return sum(c.isdigit() for c in cell) >= 4 and not _AMOUNT.fullmatch(cell.strip())
    if kind == "PERSON":
        return not has_digit and any(c.isalpha() for c in cell)
    if kind == "STREET_ADDRESS":
        return any(c.isalnum() for c in cell)  # a building's number alone: <BldgNb>214</BldgNb>
    if kind == "EMAIL_ADDRESS":
        return any(c.isalpha() for c in cell)
    if kind == "SWIFT_CODE":
        return re.fullmatch(_BIC, cell.strip()) is not None
    return has_digit


class TableRecognizer(EntityRecognizer):
    """Cells of delimited tables, typed by the column name in the header line."""

    def __init__(self) -> None:
        kinds = sorted({kind for _, kind in _COLUMNS})
        super().__init__(supported_entities=kinds, name="tutela-table")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        lines = _lines(text)
        i = 0
        while i < len(lines):
            start, line = lines[i]
            header = _header(line) or _aligned_header(line)
            if header is None:
                i += 1
                continue
            layout, kinds = header
            i += 1
            if i < len(lines) and _RULE_LINE.match(lines[i][1]):
                i += 1  # a Markdown table's line under its header
            while i < len(lines):
                start, line = lines[i]
                cells = _cells(line, layout) if isinstance(layout, str) else _aligned(line, layout)
                if cells is None or len(cells) != len(kinds):
                    break
                for kind, (cell_start, cell_end) in zip(kinds, cells, strict=True):
                    value = line[cell_start:cell_end]
                    if kind is not None and _plausible(kind, value):
                        results.append(
                            RecognizerResult(kind, start + cell_start, start + cell_end, 0.85)
                        )
                i += 1
        for pattern in (_FIELD, _LOG_FIELD, _SNAKE_FIELD, _ELEMENT, _NESTED, _VALUE_ATTRIBUTE):
            for match in pattern.finditer(text):
                results += _field(match.group("key"), match.group("value"), match.start("value"))
        for match in _INSERT.finditer(text):
            results += _inserted(text, match)
        for match in _LIST.finditer(text):
            key = match.group("key")
            for item in _LIST_ITEM.finditer(match.group("values")):
                start = match.start("values") + item.start("value")
                results += _field(key, item.group("value"), start, _LIST_COLUMNS.get(key))
        return results


def _inserted(text: str, match: re.Match) -> list[RecognizerResult]:
    """The quoted values of an SQL insert's rows, typed by their columns."""
    columns = [c.strip().strip('"`[]') for c in match.group("columns").split(",")]
    results: list[RecognizerResult] = []
    position = match.end()
    while row := _SQL_ROW.match(text, position):
        position = row.end()
        cells = [c for c in _SQL_CELL.finditer(row.group("row")) if c.end() > c.start()]
        for key, cell in zip(columns, cells, strict=False):
            if cell.group("quoted"):
                start = row.start("row") + cell.start("quoted")
                results += _field(key, cell.group("quoted"), start)
    return results


def _field(key: str, value: str, start: int, kind: str | None = None) -> list[RecognizerResult]:
    """A structured value typed by its key, if the key announces a type and the value fits."""
    kind = kind or _WHOLE_KEYS.get(key) or column_type(key)
    if kind is None or not value.strip() or not _plausible(kind, value):
        return []
    if kind == "PERSON" and _PLACEHOLDER.search(value):
        return []
    if kind == "PERSON" and (
        not _NAME_FIELD_WORDS.intersection(_words(key)) or _IDENTIFIER.fullmatch(value)
    ):
        return []  # not a name's field, or an identifier (HTML's name="cc-number")
    return [RecognizerResult(kind, start, start + len(value), 0.85)]


def _lines(text: str) -> list[tuple[int, str]]:
    lines, position = [], 0
    for line in text.splitlines(keepends=True):
        lines.append((position, line.rstrip("\r\n")))
        position += len(line)
    return lines


def _header(line: str) -> tuple[str, list[str | None]] | None:
    """The delimiter and column types of a header line, or None if `line` is no header."""
    for delimiter in _DELIMITERS:
        names = _inner(line).split(delimiter)
        if len(names) < 3 or not all(_HEADER_CELL.match(n.strip()) for n in names):
            continue
        kinds = [column_type(n) for n in names]
        if any(kinds):
            return delimiter, kinds
    return None


def _aligned_header(line: str) -> tuple[list[int], list[str | None]] | None:
    """The column starts and types of a header whose names stand two or more spaces apart
    ("#  Name        DOB         Grade"), or None."""
    if "\t" in line:
        return None
    names = list(_ALIGNED_NAME.finditer(line))
    if len(names) < 3 or not all(_HEADER_CELL.match(n.group(0)) for n in names):
        return None
    kinds = [column_type(n.group(0)) for n in names]
    return ([n.start() for n in names], kinds) if any(kinds) else None


def _aligned(line: str, starts: list[int]) -> list[tuple[int, int]] | None:
    """The cells of a row under an aligned header: each starts at its column, after a space
    (a value that runs into the next column ends the table)."""
    if len(_ALIGNED_NAME.findall(line)) < 2 or len(line) <= starts[-1]:
        return None
    if any(line[s - 1] != " " for s in starts[1:]):
        return None
    spans = []
    for begin, end in zip(starts, [*starts[1:], len(line)], strict=True):
        value = line[begin:end]
        spans.append((begin + len(value) - len(value.lstrip()), begin + len(value.rstrip())))
    return spans


def _inner(line: str) -> str:
    """A Markdown table row without its outer pipes ("| a | b |" -> " a | b ")."""
    stripped = line.strip()
    if len(stripped) > 1 and stripped[0] == "|" and stripped[-1] == "|":
        return stripped[1:-1]
    return line


def _cells(line: str, delimiter: str) -> list[tuple[int, int]] | None:
    """The (start, end) of each cell of a row, without quotes and surrounding spaces."""
    inner = _inner(line)
    if inner is not line:
        offset = line.index(inner)
        cells = _cells(inner, delimiter)
        return None if cells is None else [(a + offset, b + offset) for a, b in cells]
    if delimiter not in line:
        return None
    try:
        values = next(csv.reader([line], delimiter=delimiter))
    except csv.Error:
        return None
    spans, position = [], 0
    for value in values:
        quoted = line.startswith('"', position)
        end = position + len(value) + (2 if quoted else 0)
        start, stop = position + quoted, end - quoted
        while start < stop and line[start] == " ":
            start += 1
        while stop > start and line[stop - 1] == " ":
            stop -= 1
        spans.append((start, stop))
        position = end + 1
    return spans if position == len(line) + 1 else None  # escaped quotes: give up
