"""`PiiDetector`: Presidio's analyzer with Tutela's recognizers, thresholds and allow list.

Long texts are analysed in overlapping chunks, so a megabyte is handled in bounded memory and
time. Overlapping findings are merged into one span (the most confident type wins), so no
part of a value is left out because two recognizers disagreed on its edges.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterable, Mapping, Sequence

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry
from spacy.lang.en.stop_words import STOP_WORDS

from tutela.errors import InputError
from tutela.governance.pii.entities import Entity
from tutela.governance.pii.nlp import dictionary_words, spacy_engine
from tutela.governance.pii.recognizers import default_recognizers
from tutela.governance.pii.recognizers.names import (
    capitals_line,
    completed,
    given_names,
    is_brand,
    is_building,
    is_capitals_heading,
    is_eponym,
    is_organisation,
    is_place,
    is_titled_thing,
    never_a_part,
    reads_as_name,
    titled,
)
from tutela.governance.pii.recognizers.scripts import cjk_surname
from tutela.governance.pii.tokens import TOKEN

CHUNK_CHARS = 20_000
OVERLAP_CHARS = 600

DEFAULT_THRESHOLD = 0.5
# Per-type minimum scores, tuned on the development split of the evaluation corpus.
THRESHOLDS: dict[str, float] = {"PERSON": 0.6, "ZIP_CODE": 0.5, "ID_NUMBER": 0.4}

_SURROGATE = re.compile(r"[\ud800-\udfff]")


class PiiDetector:
    """Finds personal data and secrets in text.

    `recognizers` replaces the default set; `extra_recognizers` adds to it. `allow` lists
    values that are never reported (e.g. the organisation's own name), compared ignoring case.
    """

    def __init__(
        self,
        *,
        recognizers: Sequence[EntityRecognizer] | None = None,
        extra_recognizers: Sequence[EntityRecognizer] = (),
        thresholds: Mapping[str, float] | None = None,
        allow: Iterable[str] = (),
    ) -> None:
        chosen = list(recognizers if recognizers is not None else default_recognizers())
        chosen += extra_recognizers
        registry = RecognizerRegistry(recognizers=chosen, supported_languages=["en"])
        self.engine = AnalyzerEngine(
            registry=registry, nlp_engine=spacy_engine(), supported_languages=["en"]
        )
        self.entity_types = sorted({e for r in chosen for e in r.supported_entities})
        self.thresholds = {**THRESHOLDS, **(thresholds or {})}
        self.allow = frozenset(value.casefold() for value in allow)
        self._lock = threading.Lock()  # spaCy pipelines are not safe to share across threads

    def analyze(self, text: str, *, skip_tokens: bool = False) -> list[Entity]:
        """Entities in `text`, sorted by position, never overlapping.

        With `skip_tokens`, findings that touch a pseudonym token (`<PERSON_1>`) are ignored:
        for text that has been protected already, such as model output.
        """
        if not isinstance(text, str):
            raise InputError("the text to analyse must be a string: decode bytes first")
        if not text.strip():
            return []
        # Lone surrogates (from undecodable bytes) would break the tagger: analyse a copy with
        # U+FFFD in their place, which keeps every offset.
        clean = _SURROGATE.sub("\ufffd", text)
        found: list[Entity] = []
        for offset, chunk in _chunks(clean):
            found += [
                Entity(r.entity_type, r.start + offset, r.end + offset, r.score)
                for r in self._analyze_chunk(chunk)
            ]
        found = [e for e in found if e.score >= self.thresholds.get(e.type, DEFAULT_THRESHOLD)]
        if self.allow:
            found = [e for e in found if text[e.start : e.end].casefold() not in self.allow]
        if skip_tokens:
            tokens = [m.span() for m in TOKEN.finditer(text)]
            found = [e for e in found if not _overlaps(tokens, e.start, e.end)]
        found = _places_after_addresses(text, merge_overlaps(found))
        found = [_completed(text, e) for e in found]
        found = merge_overlaps([e for e in found if not _not_a_person(text, e)])
        found = merge_overlaps(found + _addressees(text, found))
        found = _typed_like_others(text, found)
        found = merge_overlaps(found + _relatives_and_listed(text, found))
        return merge_overlaps(found + _other_mentions(text, found))

    def _analyze_chunk(self, chunk: str):
        with self._lock:
            return self.engine.analyze(chunk, language="en", entities=self.entity_types)


def _not_a_person(text: str, entity: Entity) -> bool:
    """Whether a PERSON finding names no person. The small model and the tagger take many
    things for people:
    - a city, country or state that is no common given name ("Lyon", "SAN ANTONIO"), unless
      a field's name or a record's position made it a name (<LastName>Villanueva</LastName>);
    - a thing named after a person ("Roth IRA", "Kocher clamps");
    - a month's abbreviation beside a number or another month ("14 Mar", "Jan–Mar");
    - a known organisation or its product ("Goldman Sachs", "Cerner Millennium");
    - a brand's camel-case word ("Imprivata OneSign");
    - a building where rooms are ("in Harrison Hall", "Kresge Hall 210");
    - found without a cue: a code in capitals in a lower-case line ("VARCHAR"), English
      words only ("Blackboard Learn"), a heading in capitals without a known name
      ("BARUA KWA MZAZI"), a product before its version ("Sunrise 22.1.4").
    A name right after a title is a person's ("Mrs Thornbury")."""
    if entity.type != "PERSON" or titled(text, entity.start):
        return False
    value = text[entity.start : entity.end]
    return (
        (is_place(value) and entity.score < 0.85)
        or is_organisation(value)
        or is_brand(value)
        or is_eponym(text, entity.start, entity.end)
        or _dated_month(text, entity, value)
        or is_building(text, entity.start, entity.end)
        or (
            entity.score < 0.8
            and (
                _acronym(text, entity.start, value)
                or is_titled_thing(value)
                or is_capitals_heading(value)
                or _VERSION.match(text, entity.end) is not None
            )
        )
    )


_MONTHS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}


def _dated_month(text: str, entity: Entity, value: str) -> bool:
    """A month's abbreviation beside a number or another month ("14 Mar", "Jan–Mar")."""
    if value.lower() not in _MONTHS:
        return False
    around = text[max(0, entity.start - 3) : entity.start] + text[entity.end : entity.end + 3]
    return any(c.isdigit() or c in "–-/" for c in around)


# A version after a product's name: "v2.1", "2024.01.12", "2018.07", "i2000SR".
_VERSION = re.compile(r"[ ]+(?:[vV]\d|\d+(?:\.\d+){2,}\b|\d{4}\.\d{1,2}\b|[a-z]\d{3,}[A-Z]*\b)")


def _acronym(text: str, start: int, value: str) -> bool:
    """One word in capitals in a line written in lower case: a code ("VARCHAR", "HAPI")."""
    return value.isupper() and value.isalpha() and not capitals_line(text, start)


def _completed(text: str, entity: Entity) -> Entity:
    """A name grown over the words that complete it (`names.completed`)."""
    if entity.type != "PERSON":
        return entity
    return Entity("PERSON", *completed(text, entity.start, entity.end), entity.score)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of `spans` (sorted, not overlapping each other)."""
    i = bisect.bisect_left(spans, (end,))
    return i > 0 and spans[i - 1][1] > start


# A place name after a street line (and maybe other places), before a state, province or postal
# code, a comma or the end of a line: "41 Beach Road, Bondi NSW 2026", "2290 Cedar Hollow Ct,
# Fort Collins.", "B-42, Sector 15, Noida, Uttar Pradesh", "apto 62 – Consolação, São Paulo".
_PLACE_GAP = re.compile(r"(?: *[,–—] *[A-Z][\w'’\-]*(?: [A-Z][\w'’\-]*)?){0,3} *[,–—]? +")
_PLACE_END = re.compile(r"\s*(?:[A-Z]{2,3}\b|\d|[,.(/–—-]|\n|$)")


def _places_after_addresses(text: str, found: list[Entity]) -> list[Entity]:
    """Drop names that are the town of a street address found just before them."""
    kept: list[Entity] = []
    for entity in found:
        previous = kept[-1] if kept else None
        if (
            entity.type == "PERSON"
            and previous is not None
            and previous.type == "STREET_ADDRESS"
            and _PLACE_GAP.fullmatch(text, previous.end, entity.start)
            and _PLACE_END.match(text, entity.end)
        ):
            continue
        kept.append(entity)
    return kept


# A letter's addressee: a name alone on its line ("Rose Hill", "Maria J. Lopez").
_ADDRESSEE = re.compile(r"[ \t]*([A-Z][\w'’\-]+(?: [A-Z]\.)?(?: [A-Z][\w'’\-]+){1,3})[ \t]*")


def _addressees(text: str, found: list[Entity]) -> list[Entity]:
    """The name on the line right above a street line that starts its own line (see
    `names.reads_as_name`)."""
    names = []
    for entity in found:
        line_start = text.rfind("\n", 0, entity.start) + 1
        if entity.type != "STREET_ADDRESS" or text[line_start : entity.start].strip():
            continue
        above = text.rfind("\n", 0, max(0, line_start - 1)) + 1
        match = _ADDRESSEE.fullmatch(text, above, max(above, line_start - 1))
        if not match:
            continue
        if reads_as_name(match.group(1)):
            names.append(Entity("PERSON", *match.span(1), 0.8))
    return names


# Id types whose other values in the same text, written in the same shape, are of that type too.
_ID_TYPES = ("STUDENT_ID", "HEALTH_PLAN_ID", "MEDICAL_RECORD_NUMBER", "ACCOUNT_NUMBER")


_YEARS = re.compile(r"(?:19|20)\d\d[-/](?:19|20)\d\d")  # "2015-2019": a span of years


def _shape(value: str) -> str:
    return re.sub(r"[^\W\d_]", "A", re.sub(r"\d", "9", value))


def _typed_like_others(text: str, found: list[Entity]) -> list[Entity]:
    """An untyped code (ID_NUMBER) written like a typed id of the same text takes its type:
    "student ID 88-231-704 and Marcus Bell (88-229-115)"."""
    shapes: dict[str, set[str]] = {}
    for entity in found:
        if entity.type in _ID_TYPES:
            shapes.setdefault(_shape(text[entity.start : entity.end]), set()).add(entity.type)
    typed = []
    for entity in found:
        value = text[entity.start : entity.end]
        kinds = shapes.get(_shape(value), set())
        if entity.type == "ID_NUMBER" and len(kinds) == 1 and not _YEARS.fullmatch(value):
            entity = Entity(kinds.pop(), entity.start, entity.end, entity.score)
        typed.append(entity)
    return typed


_NAME_WORD = r"[A-Z][a-z'’\-]+"
_LISTED = re.compile(
    rf"{_NAME_WORD} {_NAME_WORD}(?:[ \t]*[,;][ \t]*{_NAME_WORD} {_NAME_WORD}){{2,}}"
)
_LIST_ITEM = re.compile(rf"({_NAME_WORD}) ({_NAME_WORD})")


def _relatives_and_listed(text: str, found: list[Entity]) -> list[Entity]:
    """Given names that are everyday words, made names by the names around them: before the
    surname of a person found ("Borrowers: Rose Hill and Daniel Hill"), or in a list of three
    or more pairs of which two are names found ("Faith Hope, Will Baker, Summer Knight"), unless
    the other word is an organisation's ("Hope Fund")."""
    people = [e for e in found if e.type == "PERSON"]
    if not people:
        return []
    given = given_names()
    surnames = {
        words[-1]
        for e in people
        if len(words := text[e.start : e.end].split()) >= 2 and re.fullmatch(_NAME_WORD, words[-1])
    }
    candidates: list[tuple[int, int]] = []
    if surnames:
        alternatives = "|".join(re.escape(s) for s in sorted(surnames, key=len, reverse=True))
        pattern = re.compile(rf"(?<![\w'’\-])({_NAME_WORD}) (?:{alternatives})(?![\w'’\-])")
        candidates += [m.span() for m in pattern.finditer(text) if m.group(1).lower() in given]
    spans = [(e.start, e.end) for e in people]
    for listed in _LISTED.finditer(text):
        items = list(_LIST_ITEM.finditer(text, listed.start(), listed.end()))
        if sum(_overlaps(spans, *item.span()) for item in items) >= 2:
            candidates += [
                item.span()
                for item in items
                if item.group(1).lower() in given and not never_a_part(item.group(2))
            ]
    return [
        Entity("PERSON", start, end, 0.7)
        for start, end in candidates
        if not _overlaps(spans, start, end)
    ]


def _other_mentions(text: str, found: list[Entity]) -> list[Entity]:
    """Where else the text mentions what was found (sorted, not overlapping): the same value,
    or a part of a name ("Maria Gonzalez ... Ms. Gonzalez called"), protected everywhere."""
    mentions: dict[str, tuple[str, float]] = {}
    # Chinese and Korean names run into the words around them ("민준이가", "小明这周"): they
    # and their given names ("王小明" -> "小明") are found without word boundaries.
    unbounded: set[str] = set()
    # Parts that are English words ("Hall", "Parent") are someone's name only where they
    # stand alone, not inside another capitalised name ("Whitman Hall").
    words: set[str] = set()
    for entity in found:
        value = text[entity.start : entity.end]
        if entity.type == "PERSON" and _CJK_NAME.fullmatch(value.replace(" ", "")):
            for part in {value, *value.split()}:
                if part == value or len(part) == 3:
                    mentions.setdefault(part, ("PERSON", entity.score))
                    unbounded.add(part)
                if len(part) == 3 and cjk_surname(part[0]):  # a surname and a given name
                    mentions.setdefault(part[1:], ("PERSON", 0.6))
                    unbounded.add(part[1:])
            continue
        if entity.type in ("LITERAL", "ID_NUMBER") or len(value) < 3:
            continue
        mentions.setdefault(value, (entity.type, entity.score))
        if entity.type == "PERSON":
            for part in _NAME_PART.findall(value):
                if part.lower() not in STOP_WORDS and part not in mentions:
                    mentions[part] = ("PERSON", 0.6)
                    if part != value and part.lower() in dictionary_words():
                        words.add(part)
    if not mentions:
        return []
    # A name that is no English word is the same name in any case ("Linh" ... "LINH (RPh):").
    english = dictionary_words()
    folded = {
        m.casefold(): m
        for m, (kind, _) in mentions.items()
        if kind == "PERSON" and m.casefold() not in english and m.casefold() not in STOP_WORDS
    }
    ordered = sorted(mentions, key=len, reverse=True)
    alternatives = "|".join(
        f"(?i:{re.escape(m)})" if m.casefold() in folded else re.escape(m)
        for m in ordered
        if m not in unbounded
    )
    # not inside a dotted or slashed identifier ("ca.uhn.fhir.rest", "j.doe@...")
    bounded = rf"(?<![\w])(?<!\w[./@])(?:{alternatives})(?![\w])(?![./@]\w)"
    pattern = "|".join(
        [*(re.escape(m) for m in ordered if m in unbounded), *([bounded] if alternatives else [])]
    )
    covered = [(e.start, e.end) for e in found]
    extra = []
    for match in re.finditer(pattern, text):
        start, end = match.span()
        value = match.group(0)
        if value in words and _in_other_name(text, start, end):
            continue
        if not _overlaps(covered, start, end):
            kind, score = mentions.get(value) or mentions[_folded_mention(value, folded)]
            extra.append(Entity(kind, start, end, score))
    return extra


def _folded_mention(value: str, folded: dict[str, str]) -> str:
    """The mention a case-insensitive match stands for. The regex engine's case rules are
    wider than casefold ("DANIŞMAN" matches "danışman", whose casefold differs)."""
    if value.casefold() in folded:
        return folded[value.casefold()]
    return next(m for m in folded.values() if re.fullmatch(re.escape(m), value, re.IGNORECASE))


_CJK_NAME = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]{2,12}")
_CAPITALISED_BEFORE = re.compile(r"([A-Z][\w'’\-]*)\.? $")
_CAPITALISED_AFTER = re.compile(r" [A-Z]")
_TITLES = {"mr", "mrs", "ms", "mx", "miss", "dr", "prof", "sir", "dame"}


def _in_other_name(text: str, start: int, end: int) -> bool:
    """Whether a capitalised word other than a title stands right before or after."""
    before = _CAPITALISED_BEFORE.search(text, max(0, start - 30), start)
    if before and before.group(1).lower() not in _TITLES:
        return True
    return _CAPITALISED_AFTER.match(text, end) is not None


_NAME_PART = re.compile(r"[^\W\d_][\w'’\-]{2,}")


def merge_overlaps(entities: list[Entity]) -> list[Entity]:
    """One span per group of overlapping findings: the union of the group, typed by its most
    confident finding (the longest, on a tie)."""
    merged: list[Entity] = []
    group: list[Entity] = []
    end = -1
    for entity in sorted(entities, key=lambda e: (e.start, e.end)):
        if group and entity.start >= end:
            merged.append(_union(group, end))
            group = []
        group.append(entity)
        end = max(end, entity.end) if len(group) > 1 else entity.end
    if group:
        merged.append(_union(group, end))
    return merged


def _union(group: list[Entity], end: int) -> Entity:
    best = max(group, key=lambda e: (e.score, e.end - e.start))
    return Entity(best.type, group[0].start, end, best.score)


def _chunks(text: str) -> Iterable[tuple[int, str]]:
    """(offset, chunk) pieces of at most CHUNK_CHARS, overlapping by OVERLAP_CHARS, cut at
    whitespace where possible so that a value is whole in at least one chunk."""
    if len(text) <= CHUNK_CHARS:
        yield 0, text
        return
    start = 0
    while start < len(text):
        end = min(start + CHUNK_CHARS, len(text))
        if end < len(text):
            cut = text.rfind("\n", start + CHUNK_CHARS // 2, end)
            if cut == -1:
                cut = text.rfind(" ", start + CHUNK_CHARS // 2, end)
            end = cut + 1 if cut != -1 else end
        yield start, text[start:end]
        if end >= len(text):
            return
        start = max(end - OVERLAP_CHARS, start + 1)
