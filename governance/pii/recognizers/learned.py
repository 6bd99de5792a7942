"""Person names and street lines from the learned tagger (`tutela.governance.pii.model`).

The tagger is a small BiLSTM trained on synthetic text only; it reads names and street lines
from their letters and their context, where the rules need a gazetteer word, a cue or a
street suffix. It is one member of the ensemble: its findings join the rules' findings in
`PiiDetector`, which merges overlapping spans (the more confident type wins; the tagger's
scores sit just above the detector's thresholds and below the rules', so a rule's finding
keeps its type).

A span counts when the tagger is sure enough (`THRESHOLDS`) and passes checks against what
the tagger, having seen only synthetic text, gets wrong most often (tuned on the development
split of the evaluation corpus):
- a name has Latin letters and no digits, as all the names it learned; it is no identifier
  ("birthDate") or short acronym, and in lower case it holds a known name;
- a name made only of English words (inflected forms too) needs a known name among them
  and a higher score (`AMBIGUOUS_THRESHOLD`): "grace", "Hunter", "brandt" stay; "Savings",
  "tried paying", "mark them" go;
- a name made mostly of other languages' function words or greetings goes ("Kan du",
  "Boa tarde"); words at its edges that are no names are cut off ("subscriber Hiroshi Kato");
- a street line ends before a postal code and the town after it ("9 Shore Road, Rostrevor,
  BT34 3AA" -> "9 Shore Road"), and needs a street word or a house number next to a name,
  more than a label and a number ("Room 312") and no phone number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from presidio_analyzer import EntityRecognizer, RecognizerResult
from spacy.lang.en.stop_words import STOP_WORDS

from tutela.governance.pii.model.synthetic import (
    COMMON,
    CULTURES,
    GREETINGS_WORLD,
    WORD_GIVEN,
    census_names,
)
from tutela.governance.pii.model.tagger import Tagger, default_tagger
from tutela.governance.pii.nlp import is_english
from tutela.governance.pii.recognizers.location import ZIP_CODE
from tutela.governance.pii.recognizers.name_patterns import foreign_function_words
from tutela.governance.pii.recognizers.names import (
    _CHAT_WORDS,
    _PARTICLES,
    _census_given,
    _gazetteer,
    _key,
)

# Minimum mean tag probability of a span, per type.
THRESHOLDS: dict[str, float] = {"PERSON": 0.9, "STREET_ADDRESS": 0.9}
# A name made only of English words ("grace", "Hunter") needs more.
AMBIGUOUS_THRESHOLD = 0.97
# The score a span is reported with: above the detector's threshold, below the rules.
SCORES: dict[str, float] = {"PERSON": 0.62, "STREET_ADDRESS": 0.6}

_PIECE = re.compile(r"[^\W\d_]+")
# A capital after three lower-case letters: camelCase, never a name ("McDonald", "LaToya" pass).
_CAMEL = re.compile(r"[a-z]{3}[A-Z]")
_EDGE_WORD = re.compile(r"[^\W\d_][\w'’\-.]*")  # a word with its hyphens, apostrophes, dots
# Words of a street line (any language): with no digit, a span needs one of them.
_STREET_WORDS = {
    "road", "rd", "street", "st", "avenue", "ave", "av", "lane", "ln", "drive", "dr", "way",
    "close", "crescent", "court", "ct", "place", "pl", "terrace", "gardens", "square", "sq",
    "boulevard", "blvd", "highway", "hwy", "parkway", "pkwy", "mews", "grove", "row", "walk",
    "calle", "avenida", "avda", "paseo", "carrer", "rua", "travessa", "alameda", "rue",
    "chemin", "allée", "quai", "impasse", "via", "viale", "corso", "piazza", "vicolo", "strasse",
    "straße", "str", "weg", "gasse", "allee", "platz", "gracht", "straat", "laan", "plein",
    "gatan", "gata", "gate", "vej", "gade", "katu", "tie", "ul", "ulica", "caddesi", "sokak",
    "bulvarı", "marg", "salai", "nagar", "sector", "block", "blk", "plot", "house", "flat",
    "apartment", "apartments", "apt", "mansions", "heights", "tower", "towers", "residency",
    "estate", "villa", "po", "box", "postfach", "apartado", "carrera", "jalan", "soi",
}  # fmt: skip
# A house number: a whole number, maybe with a letter ("12", "12B", "7/12"), not "2.4".
_HOUSE_NUMBER = re.compile(r"(?<![\d.,])\d{1,6}(?![.,]\d)")
_PHONE = re.compile(r"\+\d|\d{3}[-.\s]\d{3}[-.\s]\d{4}|\(\d{3}\)")
_NAMED_NUMBER = re.compile(
    r"(?<![\w.,])\d{1,5}[A-Za-z]?(?:[-/]\d{1,4})*,?\s+[A-ZÀ-Þ][a-zß-ÿ]"
    r"|[A-ZÀ-Þ][a-zß-ÿ'’\-]+\.?,?\s+(?:No\.?:?\s*)?\d{1,5}(?![.,]\d)"
)
# Labels that a number follows without making a street line ("Room 312", "Bed 4").
_NOT_STREET_LABELS = {
    "room", "rm", "floor", "fl", "bed", "gate", "ward", "section", "page", "pages", "ext",
    "lot", "site", "shift", "level", "grade", "unit", "chapter", "table", "form", "line",
    "question", "cvv", "cvc", "code", "security", "exp", "ref", "dea", "npi", "ein", "pin",
    "bus", "route", "flight", "seat", "building", "bldg", "suite", "ste", "no", "number",
    "mon", "tue", "wed", "thu", "fri", "sat", "sun", "mg", "ml", "step", "tier", "bay", "dock",
    "aisle", "pod", "field", "period", "class", "year", "years", "day", "days", "week",
    "weeks", "month", "months", "hours", "minutes", "am", "pm", "rd", "nd", "st", "th",
}  # fmt: skip


class LearnedNameAddressRecognizer(EntityRecognizer):
    """PERSON and STREET_ADDRESS spans from the learned tagger."""

    def __init__(
        self, tagger: Tagger | None = None, thresholds: Mapping[str, float] | None = None
    ) -> None:
        self._tagger = tagger
        self.thresholds = {**THRESHOLDS, **(thresholds or {})}
        super().__init__(supported_entities=["PERSON", "STREET_ADDRESS"], name="tutela-learned")

    def load(self) -> None:
        if self._tagger is None:
            self._tagger = default_tagger()
        # names that an English word may also be: given names, the 5,000 most frequent US
        # surnames (further down the census lists "Rolling", "Sugar"), the generator's lists
        given, _ = _gazetteer()
        surnames = {_key(n) for n in census_names()[2][:5000]}
        listed = {
            _key(n)
            for givens, family_names, _ in CULTURES.values()
            for n in (*givens, *family_names)
            for n in _PIECE.findall(n)
        }
        self.names = given | surnames | listed
        self.census_given = _census_given()
        self.common = frozenset(COMMON)
        # given names, also those that are English words ("Grace", "Hunter"), not everyday
        # words that the census lists as given names ("Loan")
        self.given = {_key(w) for w in WORD_GIVEN} | {
            k for k in self.census_given if k not in self.common and k not in STOP_WORDS
        }
        greetings = {_key(w) for g in GREETINGS_WORLD for w in _PIECE.findall(g)}
        self.foreign = foreign_function_words() | _CHAT_WORDS | greetings

    @property
    def tagger(self) -> Tagger:
        if self._tagger is None:
            self.load()
        assert self._tagger is not None
        return self._tagger

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        wanted = set(entities or self.supported_entities)
        results = []
        spans = self.tagger.tag(text)
        zips = None
        if any(s.type == "STREET_ADDRESS" for s in spans):
            zips = [(r.start, r.end) for r in ZIP_CODE.analyze(text, ["ZIP_CODE"])]
        for span in spans:
            if span.type not in wanted or span.score < self.thresholds[span.type]:
                continue
            value = text[span.start : span.end]
            if not any(c.isalpha() for c in value) or "@" in value or "://" in value:
                continue  # no letters; an email address or a URL (found by other rules)
            start, end = span.start, span.end
            if span.type == "PERSON":
                start, end = self._trimmed(text, start, end)
                plausible = (
                    end > start
                    and self._name(value, span.score)
                    and self._name(text[start:end], span.score)
                )
            else:
                start, end = _street_line(text, start, end, zips)
                plausible = end > start and _street(text[start:end])
            if plausible:
                results.append(RecognizerResult(span.type, start, end, SCORES[span.type]))
        return results

    def _trimmed(self, text: str, start: int, end: int) -> tuple[int, int]:
        """The span without the words at its edges that are no names: a role or a word of
        another language that the tagger took in ("subscriber Hiroshi Kato", "soy Íñigo")."""
        pieces = list(_EDGE_WORD.finditer(text, start, end))
        while len(pieces) > 1 and self._no_name(pieces[0].group(0)):
            pieces.pop(0)
        while len(pieces) > 1 and self._no_name(pieces[-1].group(0)):
            pieces.pop()
        return (pieces[0].start(), pieces[-1].end()) if pieces else (start, start)

    def _no_name(self, word: str) -> bool:
        key = _key(word)
        if key in self.names or len(key) <= 1:
            return False
        return key in self.foreign or self._ordinary(key)

    def _name(self, value: str, score: float) -> bool:
        if any(c.isdigit() for c in value) or not all(_latin(c) for c in value if c.isalpha()):
            return False  # the tagger learned Latin-script names without digits only
        if _CAMEL.search(value) or (value.isupper() and len(value) <= 4):
            return False  # an identifier ("birthDate") or an acronym ("ISA")
        keys = [_key(p) for p in _PIECE.findall(value)]
        if not keys:
            return False
        if value == value.lower() and not any(k in self.names or k in self.given for k in keys):
            return False  # lower case, and no known name: "username", "kontrola protezy"
        lower_words = value == value.lower() and all(self._plain(k) for k in keys)
        if lower_words and not any(k in self.given for k in keys):
            return False  # English words in lower case, no given name: "cash", "link"
        words = value.split()
        first = next((i for i, w in enumerate(words) if w[:1].isupper()), None)
        if first is not None and any(
            w.islower() and _key(w) not in _PARTICLES for w in words[first + 1 :]
        ):
            return False  # a phrase, not a name: "Adres do korespondencji", "Aetna commercial"
        # English words only: a name if one is a known name and the tagger is sure ("grace",
        # "Hunter", "brandt"), not otherwise ("Savings", "tried paying", "mark them")
        if all(self._plain(k) for k in keys) and (
            score < AMBIGUOUS_THRESHOLD or not any(k in self.names or k in self.given for k in keys)
        ):
            return False
        # words of other languages: "Kan du", "Boa tarde", "Kia ora"; not "Mia"
        foreign = sum(k in self.foreign for k in keys)
        return not (
            2 * foreign >= len(keys) and (len(keys) > 1 or keys[0] not in self.census_given)
        )

    def _plain(self, key: str) -> bool:
        """An English word, whether or not a name list also holds it."""
        return len(key) <= 2 or key in STOP_WORDS or key in self.common or is_english(key)

    def _ordinary(self, key: str) -> bool:
        """An everyday word, or an English word (inflected forms too) that no name list
        holds: WordNet, the dictionary, also lists "Brandt" and "Obi"."""
        if len(key) <= 2 or key in STOP_WORDS or key in self.common:
            return True
        return key not in self.names and is_english(key)


def _street(value: str) -> bool:
    """Whether a span looks like a street line: a street word, or a house number next to a
    capitalised name ("Storgatan 14", "3-14-2 Jingumae"); not a phone number or a label and
    a number ("Room 312")."""
    if _PHONE.search(value):
        return False
    words = [w.lower() for w in _PIECE.findall(value)]
    if not _HOUSE_NUMBER.search(value):
        return any(w in _STREET_WORDS for w in words)
    if not any(len(w) >= 3 and w not in _NOT_STREET_LABELS for w in words):
        return False
    return any(w in _STREET_WORDS for w in words) or _NAMED_NUMBER.search(value) is not None


def _latin(c: str) -> bool:
    return c < "\u0250" or "\u1e00" <= c <= "\u1eff"  # Latin, with Vietnamese letters


def _street_line(text: str, start: int, end: int, zips) -> tuple[int, int]:
    """The street line of a span that the tagger ran on into the postal code and the town
    ("9 Shore Road, Rostrevor, BT34 3AA" -> "9 Shore Road")."""
    for zip_start, _ in zips or ():
        if start < zip_start < end:
            end = zip_start
    while True:
        value = text[start:end].rstrip(" ,;-–\n")
        end = start + len(value)
        cut = max(value.rfind(","), value.rfind("\n"))
        if cut <= 0:
            return start, end
        last = value[cut + 1 :]
        words = {w.lower() for w in _PIECE.findall(last)}
        if any(c.isdigit() for c in last) or words & _STREET_WORDS:
            return start, end
        end = start + cut  # a town or a district: not part of the street line
