"""Payment cards, card security codes, IBANs, US routing numbers, SWIFT/BIC, account numbers."""

from __future__ import annotations

from tutela.governance.pii import checksums
from tutela.governance.pii.nlp import is_english
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

_CSC_LABEL = (
    r"cvv2?|cvc2?|cid|csc|cvn|security code|card code|sec code|sec\. code|"
    r"(?:3|4|three|four)[- ]digits?(?: (?:security )?code)?|code on (?:the )?back|"
    r"back of the card(?: \w+)? says|prüfziffer|kartenprüfnummer|código de seguridad|"
    r"código de segurança|cryptogramme|code de sécurité|codice di sicurezza|"
    r"セキュリティコード|보안코드|安全码"
)
# A code of three or four digits: no year, amount, time, date or part of a longer number.
_CSC_VALUE = r"(?<![\d/.,$€£#:\-])(?<!\d )(?!(?:19|20)\d\d\b)\d{3,4}(?![\d%]|[/.,:\- ]\d)"
# A card expiry (MM/YY, MMYY), after "exp" or a card number: "4004 ... 4817 exp 0526 code 903",
# "4335978518912527|09/27|418".
_AFTER_EXPIRY = (
    r"(?i:(?:\bexp(?:iry|ires|iration)?\.?:?|\d(?:[ \-]?\d){12,18}[\s,;|]+)\s*"
    r"(?:0[1-9]|1[0-2])\s*/?\s*(?:20)?\d{2}[\s,;|]+(?:(?:cvv2?|cvc2?|csc|cid|code)\s*[:#]?\s*)?)"
)

CARD_SECURITY_CODE = RuleRecognizer(
    "CARD_SECURITY_CODE",
    [
        Rule(labelled(_CSC_LABEL, r"\d{3,4}") + r"(?!\d)", 0.9),
        Rule(rf"{_AFTER_EXPIRY}(?P<value>{_CSC_VALUE})", 0.85),
        # ... right after an expiry written with a slash: "2221 ... 9241 09/26 671".
        Rule(
            r"\d(?:[ \-]?\d){12,18}[\s,;|]+(?:0[1-9]|1[0-2])/(?:20)?\d{2}[\s,;|]+"
            r"(?P<value>(?!(?:19|20)\d\d\b)\d{3,4})(?![\d%]|[/.,:\- ]\d)",
            0.85,
        ),
        # The code and where it is printed: "the code 518 on the back".
        Rule(rf"(?i:\bcode\s+)(?P<value>{_CSC_VALUE})(?i:\s+on\s+(?:the\s+)?back)\b", 0.85),
        # The label a sentence or two before the code, the first and the last code after it
        # ("my old CVV was 806 and the new one says 215").
        Rule(rf"(?is:(?<![^\W_])(?:{_CSC_LABEL})\b.{{0,100}}?)(?P<value>{_CSC_VALUE})", 0.75),
        Rule(rf"(?is:(?<![^\W_])(?:{_CSC_LABEL})\b[^.]{{0,100}})(?P<value>{_CSC_VALUE})", 0.7),
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
            labelled(
                r"rout(?:ing|ng|ign)|aba|rtn|transit|routing/transit|r/t|wire routing|"
                r"receiving dfi|dfi",
                r"\d{9}",
            )
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
        # A check's MICR line: the routing number between transit symbols.
        Rule(r"⑆(?P<value>\d{9})⑆", 0.9, checksums.aba_routing),
        # An ACH transfer: routing number, then the account ("ACH from 031276492 / 5510...").
        Rule(
            r"(?i:\bach\b[^\n\d]{0,20})(?<!\d)(?P<value>\d{9})(?=\s*[/,]\s*\d)",
            0.8,
            checksums.aba_routing,
        ),
    ],
)

_BIC = r"[A-Z]{4}(?:A[DEFGILMOQRSTUWZ]|B[ABDEFGHIJLMNOQRSTVWYZ]|C[ACDFGHIKLMNORUVWXYZ]|D[EJKMOZ]|E[CEGHRST]|F[IJKMOR]|G[ABDEFGHILMNPQRSTUWY]|H[KMNRTU]|I[DELMNOQRST]|J[EMOP]|K[EGHIMNPRWYZ]|L[ABCIKRSTUVY]|M[ACDEFGHKLMNOPQRSTUVWXYZ]|N[ACEFGILOPRUZ]|OM|P[AEFGHKLMNRSTWY]|QA|R[EOSUW]|S[ABCDEGHIJKLMNORSTVXYZ]|T[CDFGHJKLMNORTVWZ]|U[AGMSYZ]|V[ACEGINU]|W[FS]|XK|Y[ET]|Z[AMW])[A-Z0-9]{2}(?:[A-Z0-9]{3})?"  # noqa: E501


def _no_word(code: str) -> bool:
    """Not an English word in capitals ("CHECKING", "TRANSFER")."""
    return not is_english(code.lower())


SWIFT_CODE = RuleRecognizer(
    "SWIFT_CODE",
    [
        Rule(
            labelled(
                r"swift|bic|swift/bic|bic/swift|swift code|bank identifier code|السويفت|سويفت|"
                r"swift代码|swift代碼|swift码",
                rf"(?-i:{_BIC})",
            )
            + r"\b",
            0.9,
        ),
        # The label a few words before the code ("SWIFT for the receiving bank is DEUTDEFF").
        Rule(rf"(?is:(?<![^\W_])(?:swift|bic)\b.{{0,50}}?)\b(?P<value>(?-i:{_BIC}))\b", 0.75),
        # In a SWIFT message's header blocks: "{1:F01TGBATRISAXXX...}{2:I103CHASUS33XXXXN}".
        Rule(r"\{1:F0[1-9](?P<value>[A-Z]{6}[A-Z0-9]{2})[A-Z0-9]", 0.9),
        Rule(r"\{2:[IO]\d{3}(?P<value>[A-Z]{6}[A-Z0-9]{2})", 0.9),
        # ... and in its text block's bank fields (option A), after an optional account line:
        # ":57A:DEUTDEFF", ":52A:/D/12345678\nBOFAUS3N".
        Rule(rf"(?m:^:5[1-8]A:(?:/[^\n]*\n)?)(?P<value>{_BIC})(?![^\n])", 0.9),
        # Right after an IBAN: "GR66 7300 ... 739 / ETHNGRAA", "PK44MEZN... (MEZNPKKA)".
        Rule(
            r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\s*[/,;|(（،]?\s*"
            rf"(?P<value>{_BIC})\b",
            0.8,
        ),
        # A few words after a word for a bank: "sender bank NCBKSAJE", "بنك الراجحي RJHISARI".
        Rule(
            r"(?is:(?<![^\W_])(?:bank|banco|banque|bankası|بنك|банк|银行|은행)(?![^\W_]).{0,30}?)"
            rf"(?<![^\W_])(?P<value>(?-i:{_BIC}))\b",
            0.7,
            _no_word,
        ),
        # Without a label: only codes whose location or branch part holds a digit or "XXX".
        Rule(rf"\b(?={_BIC}\b)[A-Z]{{6}}(?:[A-Z0-9]*\d[A-Z0-9]*|[A-Z0-9]{{2}}XXX)\b", 0.6),
    ],
)

# Up to 34 characters: a Polish NRB is 26 digits in seven groups ("71 1020 1026 ... 8803").
_ACCOUNT_VALUE = r"(?=[A-Z0-9\- ]*\d{4})[A-Z0-9](?:[A-Z0-9\-]|(?<=\d) (?=\d{2})){3,32}[A-Z0-9]"

ACCOUNT_NUMBER = RuleRecognizer(
    "ACCOUNT_NUMBER",
    [
        Rule(
            labelled(
                r"(?:checking|savings|brokerage|bank|loan|mortgage|ira|401\(k\)|investment|"
                r"trading|card ?holder|billing|customer|client|deposit|current)?\s*"
                r"(?:acc[o0]unt|acct|acc|a/c)s?|loan|mortgage|policy (?:account)|iban ending|"
                r"checking|savings|ira|roth ira|brokerage|dest_acct|acct_no|contract",
                _ACCOUNT_VALUE,
            )
            + r"(?![\w-])",
            0.8,
        ),
        # The label earlier in the sentence: "my account there is 770018224", "the account
        # number on my form is wrong, the full number is BRK-88301746".
        Rule(
            r"(?is:(?<![^\W_])(?:account|acct)\b[^.?!\n]{0,50}?\b(?:is|was|to|ref)\s*:?\s*)"
            rf"(?P<value>{_ACCOUNT_VALUE})(?![\w-])",
            0.75,
        ),
        # A check's MICR line: the account number after the routing number.
        Rule(r"⑆\d{9}⑆\s*(?P<value>\d[\d\-]{3,16})⑈", 0.9),
        # A SWIFT message's ordering customer and beneficiary fields: ":50K:/000945463382",
        # ":59:/012170411185185761" (an IBAN there is found as one, more surely).
        Rule(r"(?m:^:(?:50[AFK]|59[AF]?):/)(?P<value>[A-Z0-9]{4,34})(?![^\n])", 0.85),
        # An ACH transfer: the account after the routing number ("031276492 / 5510382947").
        Rule(r"(?i:\bach\b[^\n\d]{0,20}\d{9}\s*[/,]\s*)(?P<value>\d{4,17})(?!\d)", 0.8),
    ],
)

# The other party's name in an MT940 statement's information field: ":86:166?00GUTSCHRIFT
# ?20GEHALT 05/2024?32LUKAS BRANDT" (subfields ?32 and ?33, 27 characters each).
MT940_NAMES = RuleRecognizer(
    "PERSON",
    [
        Rule(r"\?3[23](?P<value>[^\W\d_][^?\n]{0,25}[^\W\d_.])(?=\?|\n|$)", 0.8),
        # ... and the cardholder in a card's first track ("B4845...^TAKAHASHI/YUKI^2605...")
        Rule(r"(?<![\w^])%?B\d{13,19}\^(?P<value>[A-Z][A-Z' .\-]*/[A-Z' .\-]*[A-Z.])\^\d{4}", 0.85),
    ],
    name="tutela-mt940",
)

RECOGNIZERS = [
    CARD,
    CARD_SECURITY_CODE,
    IBAN,
    US_ROUTING_NUMBER,
    SWIFT_CODE,
    ACCOUNT_NUMBER,
    MT940_NAMES,
]
