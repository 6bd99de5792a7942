"""Secrets pasted by mistake: API keys, access tokens, private keys and passwords."""

from __future__ import annotations

from tutela.governance.pii.recognizers.rules import Rule, RuleRecognizer, labelled

# The characters of a password-like word: its letters, digits and symbols are looked for
# inside it, not further along ("postgresql" in "postgresql://app:S3cret!@db" is none).
_TOKEN = r"[A-Za-z0-9!#$%^&*~+?_\-]"

SECRET = RuleRecognizer(
    "SECRET",
    [
        Rule(
            r"-----BEGIN [A-Z0-9 ]*(?:PRIVATE KEY|SECRET)[A-Z ]*-----[\s\S]*?"
            r"-----END [A-Z0-9 ]*(?:PRIVATE KEY|SECRET)[A-Z ]*-----",
            0.99,
        ),
        Rule(r"\b(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{10,}\b", 0.95),  # Stripe
        Rule(r"\b(?:ghp|gho|ghu|ghs|ghr)_[0-9A-Za-z]{30,}\b", 0.95),  # GitHub
        Rule(r"\bgithub_pat_[0-9A-Za-z_]{30,}\b", 0.95),
        Rule(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b", 0.95),  # AWS key ids
        Rule(r"\bxox[abposr]-[0-9A-Za-z\-]{10,}\b", 0.95),  # Slack
        Rule(r"\bAIza[0-9A-Za-z_\-]{35}\b", 0.95),  # Google
        Rule(r"\bglpat-[0-9A-Za-z_\-]{20,}\b", 0.95),  # GitLab
        Rule(r"\baccess-(?:sandbox|development|production)-[0-9a-f\-]{36}\b", 0.95),  # Plaid
        Rule(r"\bsk-(?:proj-|ant-)?[0-9A-Za-z_\-]{20,}\b", 0.9),  # model provider keys
        Rule(r"\beyJ[0-9A-Za-z_\-]{8,}\.eyJ[0-9A-Za-z_\-]{8,}\.[0-9A-Za-z_\-]{8,}", 0.95),  # JWT
        Rule(r"(?<![\d\-])\d{6}(?:-\d{6}){7}(?![\d\-])", 0.95),  # BitLocker recovery key
        # A password someone set or was given: "Temporary password set to Blue-Kite-2291",
        # "his new temp is Blue-Falcon-2291".
        Rule(
            r"(?i:\b(?:password|passcode|pwd|pw|temp(?:orary)?(?: password)?)\b[^.\n]{0,30}?"
            r"\b(?:set to|reset to|changed to|is now|is)\s+)"
            r"(?P<value>(?=\S*\d)[^\s'\",;<>]{6,64}?)(?=[.,!?]?(?:\s|$))",
            0.8,
        ),
        # Password-like words: letters, digits and a symbol ("Summer2024!"). A question mark
        # ending a question ("the I class of MRX-101?") is punctuation, not a symbol.
        # Not a record of a message format: HL7 ("2345-7^Glucose^LN") and X12 ("BPR*I*1520",
        # "ST~N4*NEW") separate their fields with ^ and *, X12 ends segments with ~, and MT940
        # opens subfields with ? and two digits ("166?00GUTSCHRIFT?20GEHALT").
        Rule(
            r"(?<![\w@.#^*~?])(?![^\s]*[\^*~][^\s]*[\^*~])(?![^\s]*\?\d\d[^\W\d_])"
            rf"(?={_TOKEN}*[A-Za-z])(?={_TOKEN}*\d)(?={_TOKEN}*(?:[!$%^&*~+]|\?\S|\w#))"
            rf"{_TOKEN}{{8,64}}(?![\w@=])",
            0.6,
        ),
        # Long random-looking strings: upper and lower case letters and digits, 20+ characters.
        Rule(
            r"(?<![\w/+\-])(?=[A-Za-z0-9+/~_\-]*[a-z])(?=[A-Za-z0-9+/~_\-]*[A-Z])"
            r"(?=[A-Za-z0-9+/~_\-]*\d)[A-Za-z0-9+/~_\-]{20,}={0,2}(?![\w/+\-=])",
            0.7,
        ),
        Rule(
            labelled(
                r"password|passwd|pwd|pw|pass|passcode|passphrase|secret|api[ _-]?key|"
                r"access[ _-]?key|access[ _-]?code|secret[ _-]?key|aws_secret_access_key|token|"
                r"auth[ _-]?token|"
                r"bearer|client[ _-]?secret|priv(?:ate)?[ _-]?key|credentials?|hmac|"
                r"signing[ _-]?key|"
                r"(?-i:[a-z]+_key)(?!\w)(?=\s*[:=])",
                # not a placeholder ("${DB_PASSWORD}", "{{ token }}", "%(secret)s")
                r"(?!https?://|www\.|\$\{|\{\{|%\()(?=[^\s<>]*[0-9!@#$%^&*_+=~\-])"
                r"[^\s'\"`,;<>]{6,}",
            ),
            0.8,
        ),
        # A wallet's seed phrase: twelve to twenty-four words after its key (and a few words):
        # "seed phrase: ...", "restoring the wallet with my phrase: ...".
        Rule(
            r"(?i:(?:seed|mnemonic|phrase)\w*[\"']?"
            r"[^:=\n]{0,60}?[:=]\s*"
            r"[\"']?)(?P<value>[a-z]+(?: [a-z]+){11,23})\b",
            0.85,
        ),
        # A one-time, activation or access code, in groups or in digits ("9QF4T-ZM27K-88HWD",
        # "one-time code, 771 402", "Kod dostępu: 7391", "lockbox 4-1-7-9", "gate code
        # #2580"), and a key sent as curl's user ("-u sk_live_...:").
        Rule(
            labelled(
                r"activation code|recovery code|backup code|verification code|one-time code|"
                r"one time code|otp|kod dostępu|kod dostępu do e-recepty|"
                r"código de verificación|code de vérification|lockbox|lock box|key safe|"
                r"keysafe|gate code|door code|alarm code|keypad code|gate keypad|door keypad|"
                # "the reset code they texted me was 448 172"
                r"(?:reset|login|sms|text|sign-in|security|access) code(?:[ ][a-z]+){0,4}?[ ]"
                r"(?:was|is)",
                r"(?=[A-Z0-9\-]*\d)[A-Z0-9]{4,8}(?:-[A-Z0-9]{4,8}){1,5}|\d{3}[ ]\d{3}|\d{4,8}"
                r"|\d(?:-\d){3,7}",
            )
            + r"(?![\d\-])",
            0.8,
        ),
        Rule(r"(?<!\S)-u\s+[\"']?(?P<value>[A-Za-z0-9_\-]{16,}):", 0.8),
        # A PIN of four digits after its name (six are an Indian postal code: "PIN 560011").
        Rule(r"\bPIN\b[ \t:#=]*(?:is[ \t]+)?(?P<value>\d{4})(?![\d\-])", 0.8),
        # A list of backup codes, one line or one column of them: "  1. v3zr-p1v3",
        # "  4f7k-2mqp   8zt1-qq9x   c0vb-71ne".
        Rule(
            r"(?m)(?:^[ \t]*(?:\d{1,2}[.)][ \t]*)?|(?<=[ \t]{2}))"
            r"(?P<value>(?=[a-z0-9\-]*[a-z])(?=[a-z0-9\-]*\d)[a-z0-9]{4,5}-[a-z0-9]{4,5})"
            r"(?=(?:[ \t]{2,}[a-z0-9]{4,5}-[a-z0-9]{4,5})*[ \t]*$)",
            0.8,
        ),
        # A URL with credentials, whole: "postgresql://app:S3cret!@db:5432/app" names the
        # account, its password and where they open.
        Rule(r"\b[a-z][a-z0-9+.\-]*://[^\s:/@]*:[^\s/]+@[^\s'\"`<>]+", 0.96),
    ],
)

RECOGNIZERS = [SECRET]
