"""Text that looks like a pseudonym token but was not issued: `<PERSON_7>` typed by a user,
or a trailing `<PERS` that a stream could mistake for the start of a token. It is treated as
a value of its own (type LITERAL), so the model never sees a forged token and the caller
gets the text back exactly as typed."""

from __future__ import annotations

from tutela.governance.pii.recognizers.rules import Rule, RuleRecognizer

LITERAL = RuleRecognizer(
    "LITERAL",
    [
        Rule(r"<[A-Z][A-Z0-9_]*_[1-9][0-9]*>", 1.0),
        Rule(r"<[A-Z0-9_]*\Z", 1.0),
    ],
)

RECOGNIZERS = [LITERAL]
