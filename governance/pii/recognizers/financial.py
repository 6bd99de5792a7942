"""Payment cards, card security codes, IBANs, US routing numbers, SWIFT/BIC, account numbers."""

from __future__ import annotations

from tutela.governance.pii import checksums
from tutela.governance.pii.recognizers.rules import Rule, RuleRecognizer, labelled

# Issuer prefixes of the major networks: Visa, Mastercard (51-55, 2221-2720), Amex, Discover,
# Diners, JCB, UnionPay, Maestro.
_CARD_PREFIX = r"(?:4|5[1-5]|2[2-7]|3[47]|6(?:011|5|4[4-9]|2)|3(?:0[0-5]|[68])|35|5[06-8]|6[37])"


def _card(text: str) -> bool:
    digits = checksums.compact(text)
    return 13 <= len(digits) <= 19 and checksums.luhn(digits)


CARD = RuleRecognizer(
    "CREDIT_CARD",
    [
        Rule(rf"(?<![\d-])(?={_CARD_PREFIX})\d(?:[ -]?\d){{12,18}}(?![\d-])", 0.95, _card),
    ],
)

CARD_SECURITY_CODE = RuleRecognizer(
    "CARD_SECURITY_CODE",
    [
        Rule(
            labelled(
                r"cvv2?|cvc2?|cid|csc|cvn|security code|card code|sec code|"
                r"(?:3|4|three|four)[- ]digit (?:security )?code",
                r"\d{3,4}",
            )
            + r"(?!\d)",
            0.9,
        ),
    ],
)

IBAN = RuleRecognizer(
    "IBAN",
    [
        Rule(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b", 0.95, checksums.iban),
        Rule(r"(?i)\b[a-z]{2}\d{2}(?:[ ]?[a-z0-9]){11,30}\b", 0.9, checksums.iban),
    ],
)

US_ROUTING_NUMBER = RuleRecognizer(
    "US_ROUTING_NUMBER",
    [
        Rule(
            labelled(r"routing|aba|rtn|transit|routing/transit|r/t|wire routing", r"\d{9}")
            + r"(?!\d)",
            0.9,
            checksums.aba_routing,
        ),
        # The label a sentence or so before the number.
        Rule(
            r"(?is:(?<![^\W_])(?:routing|aba|rtn)\b.{0,80}?)(?<!\d)(?P<value>\d{9})(?!\d)",
            0.75,
            checksums.aba_routing,
        ),
    ],
)

_BIC = r"[A-Z]{4}(?:A[DEFGILMOQRSTUWZ]|B[ABDEFGHIJLMNOQRSTVWYZ]|C[ACDFGHIKLMNORUVWXYZ]|D[EJKMOZ]|E[CEGHRST]|F[IJKMOR]|G[ABDEFGHILMNPQRSTUWY]|H[KMNRTU]|I[DELMNOQRST]|J[EMOP]|K[EGHIMNPRWYZ]|L[ABCIKRSTUVY]|M[ACDEFGHKLMNOPQRSTUVWXYZ]|N[ACEFGILOPRUZ]|OM|P[AEFGHKLMNRSTWY]|QA|R[EOSUW]|S[ABCDEGHIJKLMNORSTVXYZ]|T[CDFGHJKLMNORTVWZ]|U[AGMSYZ]|V[ACEGINU]|W[FS]|XK|Y[ET]|Z[AMW])[A-Z0-9]{2}(?:[A-Z0-9]{3})?"  # noqa: E501

SWIFT_CODE = RuleRecognizer(
    "SWIFT_CODE",
    [
        Rule(
            labelled(
                r"swift|bic|swift/bic|bic/swift|swift code|bank identifier code", rf"(?-i:{_BIC})"
            )
            + r"\b",
            0.9,
        ),
        # The label a few words before the code ("SWIFT for the receiving bank is DEUTDEFF").
        Rule(rf"(?is:(?<![^\W_])(?:swift|bic)\b.{{0,50}}?)\b(?P<value>(?-i:{_BIC}))\b", 0.75),
        # Without a label: only codes whose location or branch part holds a digit or "XXX".
        Rule(rf"\b(?={_BIC}\b)[A-Z]{{6}}(?:[A-Z0-9]*\d[A-Z0-9]*|[A-Z0-9]{{2}}XXX)\b", 0.6),
    ],
)

_ACCOUNT_VALUE = r"(?=[A-Z0-9\- ]*\d{4})[A-Z0-9](?:[A-Z0-9\-]|(?<=\d) (?=\d{2})){3,24}[A-Z0-9]"

ACCOUNT_NUMBER = RuleRecognizer(
    "ACCOUNT_NUMBER",
    [
        Rule(
            labelled(
                r"(?:checking|savings|brokerage|bank|loan|mortgage|ira|401\(k\)|investment|"
                r"trading|card ?holder|billing|customer|client|deposit|current)?\s*"
                r"(?:account|acct|acc|a/c)s?|loan|mortgage|policy (?:account)|iban ending|"
                r"checking|savings|ira|roth ira|brokerage|dest_acct|acct_no",
                _ACCOUNT_VALUE,
            )
            + r"(?![\w-])",
            0.8,
        ),
    ],
)

RECOGNIZERS = [CARD, CARD_SECURITY_CODE, IBAN, US_ROUTING_NUMBER, SWIFT_CODE, ACCOUNT_NUMBER]
