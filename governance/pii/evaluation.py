"""The PII evaluation: Tutela's protection against plain Presidio on a labelled corpus.

The corpus (`corpus/dev.jsonl`, `corpus/test.jsonl`) holds texts from finance, education and
healthcare with the values of their entities. Rules are tuned on `dev` only; `test` is for
reporting. For each entity type it reports:

- precision and recall of detection: a finding matches a labelled value when their spans
  overlap and their types agree (Presidio's types are mapped to Tutela's, see PRESIDIO_TYPES);
- leak rate: the share of labelled values still readable after protection, verbatim or by a
  recognisable part (a word of three letters or more, or a run of four digits or more, that
  the text does not also hold outside its labelled values).
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources

from tutela.errors import InputError
from tutela.governance.pii.detector import PiiDetector
from tutela.governance.pii.nlp import spacy_engine
from tutela.governance.pii.profiles import Profile
from tutela.governance.pii.protector import OneShotTokens, PiiProtector
from tutela.governance.pii.vault import Scope

SPLITS = ("dev", "test")

# Plain Presidio's entity types, as Tutela's; types missing here count for leaks only.
PRESIDIO_TYPES = {
    "PERSON": "PERSON",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "PHONE_NUMBER": "PHONE_NUMBER",
    "US_SSN": "US_SSN",
    "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "IBAN",
    "IP_ADDRESS": "IP_ADDRESS",
    "URL": "URL",
    "US_BANK_NUMBER": "ACCOUNT_NUMBER",
    "DATE_TIME": "DATE_OF_BIRTH",
    "LOCATION": "STREET_ADDRESS",
    "MEDICAL_LICENSE": "DEA_NUMBER",
}

# Words of addresses and titles that identify nobody on their own.
_GENERIC = {
    "street", "st", "avenue", "ave", "road", "rd", "lane", "drive", "apt", "apartment", "suite",
    "unit", "flat", "floor", "box", "the", "and", "calle", "rue", "via", "rua", "north", "south",
    "east", "west", "court", "place", "boulevard", "blvd", "way", "de", "del", "la", "le", "van",
    "von", "der", "da", "dos", "des", "di", "bin", "al", "el", "mr", "mrs", "ms", "dr", "born",
}  # fmt: skip
_PART = re.compile(r"\d{4,}|[^\W\d_]{3,}")


@dataclass(frozen=True)
class Labelled:
    type: str
    start: int
    end: int


@dataclass(frozen=True)
class Sample:
    id: str
    domain: str
    text: str
    values: tuple[tuple[str, str], ...]  # (type, value)
    spans: tuple[Labelled, ...]


@dataclass
class Tally:
    labelled: int = 0
    found: int = 0
    matched_labels: int = 0
    correct_findings: int = 0
    leaked: int = 0

    @property
    def precision(self) -> float | None:
        return self.correct_findings / self.found if self.found else None

    @property
    def recall(self) -> float | None:
        return self.matched_labels / self.labelled if self.labelled else None

    @property
    def leak_rate(self) -> float | None:
        return self.leaked / self.labelled if self.labelled else None


@dataclass
class SystemResult:
    name: str
    by_type: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    seconds: float = 0.0

    def overall(self) -> Tally:
        total = Tally()
        for tally in self.by_type.values():
            for name in ("labelled", "found", "matched_labels", "correct_findings", "leaked"):
                setattr(total, name, getattr(total, name) + getattr(tally, name))
        return total


def load_corpus(split: str) -> list[Sample]:
    """The labelled texts of one split ("dev" or "test")."""
    if split not in SPLITS:
        raise InputError(f"unknown split {split!r}: choose dev or test")
    path = resources.files("tutela.governance.pii").joinpath("corpus", f"{split}.jsonl")
    samples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        record = json.loads(line)
        text = record["text"]
        spans = []
        for entity in record["entities"]:
            value = entity["value"]
            if not value or value not in text:
                raise InputError(
                    f"{split}.jsonl line {number}: a labelled value is not in its text"
                )
            spans += [
                Labelled(entity["type"], m.start(), m.end())
                for m in re.finditer(re.escape(value), text)
            ]
        values = tuple((e["type"], e["value"]) for e in record["entities"])
        samples.append(Sample(record["id"], record["domain"], text, values, tuple(spans)))
    return samples


# A system takes a text and returns (findings as (type, start, end), protected text).
System = Callable[[str], tuple[list[tuple[str, int, int]], str]]


def tutela_system(detector: PiiDetector, profile: Profile) -> System:
    def run(text: str):
        protector = PiiProtector(detector, profile, OneShotTokens())
        protected = protector.protect(text, Scope("eval"))
        findings = [(r.type, r.start, r.end) for r in protected.replacements]
        return findings, protected.text

    return run


def presidio_system() -> System:
    """Plain Presidio: the default AnalyzerEngine and AnonymizerEngine, same spaCy model."""
    from presidio_analyzer import AnalyzerEngine
    from presidio_anonymizer import AnonymizerEngine

    analyzer = AnalyzerEngine(nlp_engine=spacy_engine(), supported_languages=["en"])
    anonymizer = AnonymizerEngine()

    def run(text: str):
        results = analyzer.analyze(text, language="en")
        protected = anonymizer.anonymize(text=text, analyzer_results=results).text
        findings = [
            (PRESIDIO_TYPES.get(r.entity_type, r.entity_type), r.start, r.end) for r in results
        ]
        return findings, protected

    return run


def score(name: str, system: System, samples: Iterable[Sample], progress=None) -> SystemResult:
    result = SystemResult(name)
    started = time.perf_counter()
    for sample in samples:
        findings, protected = system(sample.text)
        _score_sample(result, sample, findings, protected)
        if progress is not None:
            progress()
    result.seconds = time.perf_counter() - started
    return result


def _score_sample(result: SystemResult, sample: Sample, findings, protected: str) -> None:
    for label in sample.spans:
        tally = result.by_type[label.type]
        tally.labelled += 1
        if any(t == label.type and s < label.end and label.start < e for t, s, e in findings):
            tally.matched_labels += 1
    for kind, start, end in findings:
        if kind not in _TYPES_IN_CORPUS:
            continue  # a type the corpus does not label (DATE, AGE, ...): not scored
        tally = result.by_type[kind]
        tally.found += 1
        if any(s.type == kind and s.start < end and start < s.end for s in sample.spans):
            tally.correct_findings += 1
    background = _background(sample)
    for label in sample.spans:
        value = sample.text[label.start : label.end]
        if _leaks(value, protected, background):
            result.by_type[label.type].leaked += 1


_TYPES_IN_CORPUS = {
    "PERSON", "STREET_ADDRESS", "ZIP_CODE", "EMAIL_ADDRESS", "PHONE_NUMBER", "US_SSN",
    "DATE_OF_BIRTH", "CREDIT_CARD", "CARD_SECURITY_CODE", "IBAN", "US_ROUTING_NUMBER",
    "SWIFT_CODE", "ACCOUNT_NUMBER", "MEDICAL_RECORD_NUMBER", "NPI", "DEA_NUMBER",
    "HEALTH_PLAN_ID", "STUDENT_ID", "IP_ADDRESS", "URL", "SECRET",
}  # fmt: skip


def _background(sample: Sample) -> str:
    chars = list(sample.text)
    for label in sample.spans:
        for i in range(label.start, label.end):
            chars[i] = " "
    return "".join(chars)


def _leaks(value: str, protected: str, background: str) -> bool:
    if value in protected:
        return True
    for part in _PART.findall(value):
        if part.lower() in _GENERIC:
            continue
        pattern = re.compile(rf"(?<![^\W_]){re.escape(part)}(?![^\W_])")
        if pattern.search(protected) and not pattern.search(background):
            return True
    return False


def type_counts(samples: Iterable[Sample]) -> Counter[str]:
    return Counter(label.type for sample in samples for label in sample.spans)


def report(results: dict[str, SystemResult], *, split: str, profile: str, texts: int) -> dict:
    """The figures as plain data: one row per entity type and an ALL row."""
    kinds = sorted({k for r in results.values() for k, t in r.by_type.items() if t.labelled})
    rows = []
    for kind in [*kinds, "ALL"]:
        row: dict = {"entity": kind}
        for name, result in results.items():
            tally = result.overall() if kind == "ALL" else result.by_type[kind]
            row["labelled"] = tally.labelled
            row[name] = {
                "precision": tally.precision,
                "recall": tally.recall,
                "leak_rate": tally.leak_rate,
            }
        rows.append(row)
    return {
        "split": split,
        "profile": profile,
        "texts": texts,
        "rows": rows,
        "seconds": {name: result.seconds for name, result in results.items()},
    }
