"""Email addresses, phone numbers, IP addresses and URLs."""

from __future__ import annotations

import ipaddress

from tutela.governance.pii.recognizers.rules import Rule, RuleRecognizer, labelled


def _ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


EMAIL_ADDRESS = RuleRecognizer(
    "EMAIL_ADDRESS",
    [
        Rule(
            r"(?i)\b[a-z0-9!#$%&'*+/=?^_`{|}~\-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~\-]+)*"
            r"@(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+[a-z]{2,24}\b",
            0.95,
        ),
        # ... and one escaped in a URL: "applicant=hye-jin.choi%40example.com"
        Rule(r"(?i)\b[a-z0-9._\-]+%40(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+[a-z]{2,24}\b", 0.9),
        # ... and one read out: "kwame dot mensah at example dot com"
        Rule(
            r"(?i)\b[a-z0-9]+(?: (?:dot|underscore|dash) [a-z0-9]+)+ at [a-z0-9\-]+"
            r"(?: dot [a-z]{2,24})+\b",
            0.7,
        ),
    ],
)

PHONE_NUMBER = RuleRecognizer(
    "PHONE_NUMBER",
    [
        # Parts apart by a space, a dot or a hyphen, never a tab or a line break (cells).
        # North American: (415) 555-0132, 415-555-0132, 415.555.0132, +1 415 555 0132
        Rule(
            r"(?<![\w+\-])(?:\+?1[ .\-]?)?(?:\(\d{3}\) ?|\d{3}[ .\-])\d{3}[ .\-]\d{4}"
            r"(?:\s*(?:x|ext\.?|extension)\s*\d{1,5})?(?![\d\-])",
            0.75,
        ),
        # International with a country code: +44 20 7946 0958, +91 98765 43210, 0044 ...
        Rule(r"(?<![\w+])(?:\+|00)[1-9]\d{0,2}(?:[ .\-]?\(?\d{1,5}\)?){2,5}(?![\d\-])", 0.75),
        # ... a local number with its extension: 555-0199 ext. 3312
        Rule(r"(?<![\w+\-])\d{3}-\d{4}\s*(?:x|ext\.?|extension)\s*\d{1,5}(?![\d\-])", 0.6),
        # German mobiles: 0151 55501927, 0171/4938226
        Rule(r"(?<![\w+\-])01[5-7]\d[ /\-]?\d{3,4}[ ]?\d{3,5}(?![\d\-])", 0.6),
        # National trunk prefix 0: 020 7946 0321, 06 12 34 56 78, 030-1234567
        Rule(r"(?<![\w+\-])\(?0\d{1,4}\)?(?:[ .\-]\d{2,4}){2,4}(?![\d\-])", 0.5),
        # Chinese mobiles: 138 5550 2267, 186-5550-3172, 13855502267
        Rule(r"(?<![\w+\-])1[3-9]\d(?:[ \-]?\d{4}){2}(?![\w\-])", 0.6),
        Rule(
            labelled(
                r"phone|tel|telephone|mobile|cell|fax|call|text|whatsapp|ph|contact|tlf|telefon|"
                r"teléfono|telefone|telefono|téléphone|puh|tfn|handy|callback|cel|celular|móvil|"
                r"movil|telemóvel|telefoon|teléfono de contacto|telefone de contato|"
                r"numéro de téléphone|simu|телефон|тел|电话|电话号码|联系电话|手机|手机号码|手机号|"
                r"電話|電話番号|携帯|携帯番号|전화|전화번호|휴대폰|휴대폰 번호|"
                r"τηλέφωνο|τηλ|κινητό|telefon kontaktowy|nr tel|טלפון|נייד",
                r"\+?\d[\d .\-()]{6,16}\d",
            )
            + r"(?!\d)",
            0.8,
        ),
    ],
)

IP_ADDRESS = RuleRecognizer(
    "IP_ADDRESS",
    [
        Rule(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.]*\d)", 0.9, _ip),
        Rule(r"(?i)(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])", 0.85, _ip),
    ],
)

_TLD = (
    r"com|org|net|edu|gov|mil|int|io|co|us|uk|de|fr|es|it|nl|ca|au|in|jp|cn|br|mx|ch|se|no|"
    r"dk|fi|pl|ie|be|at|pt|gr|tr|ru|za|ng|ke|info|biz|app|dev|health|bank|school|me|ly|ai"
)
URL = RuleRecognizer(
    "URL",
    [
        Rule(r"(?i)\b(?:https?|ftp|sftp)://[^\s<>\"'`]+[^\s<>\"'`.,;:!?)\]]", 0.95),
        Rule(
            r"(?i)(?<![@\w.\-/])www\.[a-z0-9\-]+(?:\.[a-z0-9\-]+)+(?:/[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]])?",
            0.9,
        ),
        Rule(
            rf"(?i)(?<![@\w.\-/])(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:{_TLD})"
            r"/[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]]",
            0.85,
        ),
        Rule(
            rf"(?i)(?<![@\w.\-/])(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:{_TLD})\b(?![@.\-]\w)",
            0.5,
        ),
    ],
)

RECOGNIZERS = [EMAIL_ADDRESS, PHONE_NUMBER, IP_ADDRESS, URL]
