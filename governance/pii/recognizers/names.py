"""Person names: the spaCy model's PERSON entities, raised by a gazetteer and context cues.

The small spaCy model misses many names (lower case, non-English names, names in forms). Two
sources add to it:
- a gazetteer of given names (US census and an international list of about 45,000 given
  names, both from PyPI packages) and surnames (US census), checked against the part of speech
  the spaCy tagger gives each word, so that "Grant" in "apply for a grant" is not a name;
- cues ("my name is", "Dr.", "patient", "Name:") after which one to four name-like words are
  taken as a name, in any case.
"""

from __future__ import annotations

import bisect
import importlib
import importlib.util
import pkgutil
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path

from presidio_analyzer import EntityRecognizer, RecognizerResult
from spacy.lang.en.stop_words import STOP_WORDS

from tutela.errors import ConfigError
from tutela.governance.pii.nlp import dictionary_words, is_english
from tutela.governance.pii.recognizers.name_patterns import (
    foreign_function_words,
    patterned_names,
)
from tutela.governance.pii.recognizers.places import place_names
from tutela.governance.pii.recognizers.scripts import script_given_names

_PARTICLES = {
    "de", "del", "della", "der", "den", "di", "da", "das", "do", "dos", "du", "la", "le", "van",
    "von", "ter", "ten", "bin", "bint", "ibn", "al", "el", "abu", "st", "y", "e", "mac", "mc",
    "o'", "ben", "bat", "af", "zu", "ní", "nic", "uí", "binti", "bte", "dela", "delos",
}  # fmt: skip

# Particles that only occur inside names (not also articles or prepositions).
_NAME_PARTICLES = {"van", "von", "ter", "ten", "bin", "bint", "ibn", "abu", "ben", "mac", "mc"}

# Words after which the next one to four name-like words are a name, whatever their case.
_CUES = (
    r"my name is|my name's|name is|name:|full name:?|patient name:?|student name:?|i am|i'm|"
    r"this is|call me|signed|regards,|sincerely,|thanks,|thank you,|best,|cheers,|from:|to:|"
    r"attn:?|cc:?|dear|hi|hello|hey|dr\.?|dra\.?|mr\.?|mrs\.?|ms\.?|mx\.?|miss|mister|missus|"
    r"prof\.?|professor|"
    r"nurse|patient|pt\.?|student|parent|guardian|mother|father|mom|dad|son|daughter|wife|"
    r"husband|spouse|client|customer|cardholder|account holder|borrower|borrowers|co-borrower|"
    r"co-signer|cosigner|in the name of|"
    r"beneficiary|applicant|advisor|adviser|teacher|tutor|counselor|counsellor|physician|"
    r"doctor|surgeon|therapist|pharmacist|referred by|referring|seen by|prescribed by|"
    r"contact|ask|tell|named|payee|recipient|sender|holder|member|insured|subscriber|"
    r"employee|manager|caregiver|grandson|granddaughter|brother|sister|child|kid|niece|nephew|"
    r"provider|prescriber|coach|caller|baby boy|baby girl|baby|newborn|infant|it's|its|"
    r"name was|name|full name|"
    r"thanks|for|to|from|about|last name:?|"
    r"first name:?|surname:?|given name:?|"
    r"cardholder:|customer:|patient:|student:|parent \d:|emergency contact|by|with|and|"
    r"roommate|cousin|aunt|uncle|grandmother|grandfather|grandma|grandpa|friend|neighbor|"
    r"neighbour|spouse|partner|taxpayer|tenant|landlord|goes by|calls him|calls her|known as|"
    r"pharmacist on duty|im|my details|meus dados|mis datos|meine daten|&|name on card|"
    r"name on account|cardholder name|account name|employee name|"
    # other languages: "I am", "my name is", titles, name labels, patient, pupil, family
    r"je suis|je m'appelle|me llamo|mi nombre es|soy|mi chiamo|sono|ich bin|ich heiße|"
    r"meu nome é|sou|sou a|sou o|jag heter|jeg heter|nazywam się|"
    r"sr\.?|sra\.?|srta\.?|señor|señora|don|doña|dona|sig\.?|sig\.ra|signora|signor|frau|herr|"
    r"mme\.?|mlle\.?|madame|monsieur|senhor|senhora|pani|herrn|puan|encik|"
    r"bác sĩ|tôi là|tên tôi là|em là|họ tên:?|họ và tên:?|quý khách|chủ tk|"
    r"chủ tài khoản|người nhận|bệnh nhân|sinh viên|học sinh|chaplain|pastor|reverend|rev\.|"
    r"nombre:?|nome:?|nom:?|ime:?|navn:?|namn:?|nimi:?|imię:?|"
    r"paciente|paziente|patientin|patiente|alumno|alumna|aluno|aluna|estudiante|étudiant|"
    r"étudiante|élève|elev|schüler|schülerin|studente|studentessa|hijo|hija|esposo|esposa|"
    r"hermano|hermana|madre|padre|filho|filha|fils|fille|sohn|tochter|figlio|figlia|marido|"
    r"mari|datter|sønn|dotter|becaria|becario|empfängerin|empfänger|titular|t\.n\.v\.|"
    r"beneficiario|beneficiaria|ordenante|pangalan|"
    r"ten name van|achternaam|achternaam kind|voornamen|voornaam|roepnaam|ouder/verzorger|"
    r"ouder/verzorger \d:|"
    r"nama|nama lengkap|mwanafunzi|mzazi|tôi tên là|aqui é a|aqui é o|cô|thầy|kontoinhaber|"
    r"kontoinhaberin|atte\.|applicant name|córka|córki|córką|córce|syn|syna|synem|synowi|"
    r"met collegiale groet|"
    # sign-offs of other languages ("Met vriendelijke groet, Femke van der Linden")
    r"met vriendelijke groet|met vriendelijke groeten|mit freundlichen grüßen|"
    r"freundliche grüße|freundliche grüsse|viele grüße|cordialement|bien à vous|atentamente|"
    r"un saludo|saludos|cumprimentos|atenciosamente|distinti saluti|cordiali saluti|"
    r"med vennlig hilsen|mvh|med vänliga hälsningar|pozdrawiam|z poważaniem"
)
_CUES = "|".join(sorted(_CUES.split("|"), key=len, reverse=True))  # longest cue first
# ... then separators or a form's leader dots ("Applicant name ........ Hope Mills", "Given
# name(s): HARUTO", "Last name = RADEBE").
_CUE = re.compile(
    rf"(?i)(?:^|(?<=[\s,(\"'>\-]))(?:{_CUES})(?=[\s:,\-=(]|\.\.)"
    rf"(?:[\s:,\-–=]|\.{{2,}}|\(s\))*"
)
_OTHER_LANGUAGE_CUES = {
    "je suis", "soy", "sono", "ich bin", "sou", "sou a", "sou o", "nombre", "nome", "nom",
    "ime", "navn", "namn", "nimi", "imię", "paciente", "paziente", "patientin", "patiente",
    "alumno", "alumna", "aluno", "aluna", "estudiante", "étudiant", "étudiante", "élève", "elev",
    "schüler", "schülerin", "studente", "studentessa", "hijo", "hija", "esposo", "esposa",
    "hermano", "hermana", "madre", "padre", "filho", "filha", "fils", "fille", "sohn", "tochter",
    "figlio", "figlia", "marido", "mari", "datter", "sønn", "dotter", "becaria", "becario",
    "empfängerin", "empfänger", "titular", "beneficiario", "beneficiaria", "ordenante",
    "pangalan", "t.n.v", "ten name van", "achternaam", "achternaam kind", "voornamen",
    "voornaam", "roepnaam", "ouder/verzorger", "ouder/verzorger 1", "ouder/verzorger 2",
    "nama", "nama lengkap", "mwanafunzi", "mzazi",
    "tôi tên là", "aqui é a", "aqui é o", "kontoinhaberin", "atte", "applicant name", "córka",
    "córki", "córką", "córce", "syn", "syna", "synem", "synowi", "met collegiale groet",
    "met vriendelijke groet",
    "met vriendelijke groeten", "mit freundlichen grüßen", "freundliche grüße",
    "freundliche grüsse", "viele grüße", "cordialement", "bien à vous", "atentamente",
    "un saludo", "saludos", "cumprimentos", "atenciosamente", "distinti saluti",
    "cordiali saluti", "med vennlig hilsen", "mvh", "med vänliga hälsningar", "pozdrawiam",
    "z poważaniem", "bác sĩ", "tôi là", "tên tôi là", "em là", "họ tên", "họ và tên",
    "quý khách", "chủ tk", "chủ tài khoản", "người nhận", "bệnh nhân", "sinh viên",
    "học sinh",
}  # fmt: skip
# Cues that label what follows as a name: unknown capitalised words after them are names too.
_STRONG_CUES = {
    "my name is", "my name's", "name is", "name:", "full name:", "full name", "patient name:",
    "patient name", "student name:", "student name", "dr", "mr", "mrs", "ms", "mx", "miss",
    "prof", "professor", "mister", "missus", "patient", "pt", "student", "cardholder",
    "account holder", "dear",
    "signed", "regards,", "sincerely,", "thanks,", "applicant", "borrower", "beneficiary",
    "recipient", "payee", "sender", "insured", "subscriber", "member", "employee", "caregiver",
    "borrowers", "co-borrower", "in the name of",
    "from:", "to:", "attn", "attn:", "cc", "cc:", "called", "provider", "prescriber", "named",
    "nurse", "coach", "caller",
    "customer", "client", "parent", "guardian", "son", "daughter", "wife", "husband", "mother",
    "father", "contact", "thanks", "this is", "i am", "i'm", "it's", "its", "name", "name was",
    "last name", "first name", "surname", "given name", "emergency contact", "parent 1",
    "parent 2", "roommate", "cousin", "aunt", "uncle", "grandmother", "grandfather", "grandma",
    "grandpa", "friend", "neighbor", "neighbour", "spouse", "partner", "taxpayer", "tenant",
    "landlord", "goes by", "calls him", "calls her", "known as", "pharmacist on duty", "im",
    "baby", "newborn", "infant", "child", "grandson", "granddaughter", "brother", "sister",
    "niece", "nephew", "mom", "dad", "my details", "meus dados", "mis datos", "meine daten",
    "name on card", "name on account", "cardholder name", "account name", "employee name",
    *_OTHER_LANGUAGE_CUES,
}  # fmt: skip
# Cues after which even unknown lower-case words are the name ("my name is ana perez").
_NAMING_CUES = {
    "my name is", "my name's", "name is", "name", "name was", "named", "call me", "je m'appelle",
    "me llamo", "mi nombre es", "mi chiamo", "ich heiße", "meu nome é", "jag heter",
    "jeg heter", "nazywam się",
}  # fmt: skip
# Prepositions: two or three capitalised words after them are a name ("sent to Thandiwe Nkosi").
_WEAK_CUES = {"for", "to", "from", "about", "by", "with", "and", "&"}
_CUE_WORDS = {cue for cue in _CUES.split("|") if " " not in cue and cue.isalpha()}
# A sign-off: a name alone on the last line ("- tomás ruiz", "Thanks - Ayşe").
_SIGN_OFF = re.compile(
    r"(?:^|\s)[-–—~/]\s*(?P<name>[^\W\d_][\w'’\-]*(?: [^\W\d_][\w'’\-]*){0,2})\s*$"
)
# A given name alone as the last sentence: "... and the app. Ricardo".
_LAST_WORD = re.compile(r"[.!?]\s+(?P<name>[A-Z][\w'’\-]+)\s*$")
_WORD = re.compile(
    r"[^\W\d_](?:[\w'’\-]*[^\W\d_])?(?!\w)\.?|[A-Z]\.|[01](?=[A-Za-z]{2})[\w'’\-]*[^\W\d_]"
)
# A name as a scan reads it, 0 for O and 1 for I or l: "R0SE", "HE1NR1CH", "0KAFOR".
_SCANNED = re.compile(r"(?=(?:[01'’\-]*[A-Za-z]){2})[A-Za-z01'’\-]+")
_STOP_AFTER_CUE = {
    "and", "or", "the", "a", "an", "is", "was", "are", "at", "in", "on", "for", "from", "with",
    "to", "of", "my", "your", "his", "her", "their", "our", "i", "we", "you", "he", "she",
    "they", "it", "this", "that", "here", "there", "about", "will", "would", "can", "could",
    "should", "has", "have", "had", "not", "no", "yes", "please", "who", "which", "when",
    "if", "as", "by", "but", "so", "just", "also", "be", "been", "me", "us", "them", "him",
    "re", "id", "number", "dob", "mrn", "ssn", "account", "card", "phone", "email", "address",
    "date", "birth", "born", "record", "student", "patient", "today", "tomorrow", "yesterday",
    "new", "name", "called", "again", "regarding", "because", "after", "before", "dea", "npi",
}  # fmt: skip
_TITLE_CUES = {
    "dr", "dra", "mr", "mrs", "ms", "mx", "miss", "mister", "missus", "doctor", "prof",
    "professor", "sr", "sra", "srta", "señor",
    "señora", "don", "doña", "dona", "sig", "sig.ra", "signora", "signor", "frau", "herr", "mme",
    "mlle", "madame", "monsieur", "senhor", "senhora", "pani", "herrn", "puan", "encik",
    "chaplain", "pastor", "reverend", "rev",
}  # fmt: skip
_GREETINGS = {"hi", "hello", "hey", "dear", "thanks", "thank you"}
# Vietnamese words for a teacher that are also pronouns: a name after them is capitalised.
_CASED_CUES = {"cô", "thầy"}
_CALENDAR_WORDS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday",
}  # fmt: skip
_INTRODUCTIONS = {"its", "it's", "this is", "i am", "i'm", "im", "my name is", "my name's"}


class NameRecognizer(EntityRecognizer):
    """PERSON from spaCy, a gazetteer checked against part-of-speech tags, and cues."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], name="tutela-person")

    def load(self) -> None:
        self.dictionary = dictionary_words()
        self.given, self.surnames = name_lists()
        self.known = self.given | self.surnames
        self.foreign_all = frozenset(_key(w) for w in foreign_function_words())
        # capitalised, a common US given name that is also a foreign function word stays a name
        self.census_given = _census_given()
        self.foreign = self.foreign_all - self.census_given

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        spans: dict[tuple[int, int], float] = {}
        doc = getattr(nlp_artifacts, "tokens", None) if nlp_artifacts is not None else None
        if doc is not None:
            english = self._english_text(text)
            for ent in doc.ents:
                if ent.label_ == "PERSON" and self._plausible(ent, english):
                    # a name ends with its line ("Nur Aisyah Harahap\nNISN: ...")
                    end = text.find("\n", ent.start_char, ent.end_char)
                    end = ent.end_char if end < 0 else end
                    if text[ent.start_char : end].strip():
                        spans[_strip_possessive(text, ent.start_char, end)] = 0.75
            runs = self._gazetteer_runs(doc, english)
            for start, end, score in [*runs, *self._lower_case(doc)]:
                spans[(start, end)] = max(score, spans.get((start, end), 0.0))
        for start, end, score in [
            *self._cued(text),
            *self._initialled(text),
            *patterned_names(text),
        ]:
            spans[(start, end)] = max(score, spans.get((start, end), 0.0))
        for (start, end), score in list(spans.items()):
            if score >= 0.6:
                for other in self._coordinated(text, start, end):
                    spans.setdefault(other[:2], other[2])
        return [
            RecognizerResult(
                "PERSON", *self._grown(text, *_joined(text, *_strip_title(text, start, end))), score
            )
            for (start, end), score in spans.items()
            if not _POSTCODE_LETTERS.search(text, max(0, start - 5), start + 3)
            and not _saint(text, start, end)
        ] + [
            RecognizerResult("PERSON", s, e, score)
            for s, e, score in [*self._user_names(text), *self._speakers(text)]
        ]

    def _initialled(self, text: str):
        """One or two initials and a surname: "M. Sorensen", "J. BOUDREAUX", "H. Mbeki, RN",
        "A. K. Mensah", "M. Ibáñez"."""
        for match in _INITIALLED.finditer(text):
            word = match.group("surname")
            key = _key(word)
            if not never_a_part(word) and (
                key in self.surnames or not _english(key, self.dictionary)
            ):
                yield match.start(), match.end(), 0.65

    def _user_names(self, text: str) -> Iterator[tuple[int, int, float]]:
        """A user name made of a person's name after its label: "user=jmartinez",
        "login: priya.raman", "user bgoncalves", '"actor":"a.petrova"' (an initial and a
        surname or a word that names no service, or a given name and a surname apart by a
        dot, a hyphen or an underscore), not "user=admin"; and a given name and a surname apart
        by a dot anywhere ("ayesha.siddiqui")."""
        for match in _USER_NAME.finditer(text):
            name = match.group("name").lower()
            parts = [p for p in re.split(r"[._\-]", name) if p]
            if len(parts) == 1:
                word = parts[0].rstrip("0123456789")
                known = self._telling_surname(word[1:])
            elif len(parts) == 2 and len(parts[0]) == 1:
                # an initial and a word that names no account's role ("m.delacroix", not
                # "a.admin")
                word = parts[1]
                known = word.isalpha() and len(word) >= 4 and word not in _ACCOUNT_WORDS
            else:
                known = any(self._telling_surname(p) for p in parts) and all(
                    p.isalpha() for p in parts
                )
            if known:
                yield *match.span("name"), 0.7
        for match in _DOTTED_NAME.finditer(text):
            given, surname = match.group("name").split(".")
            if given in self.given and self._telling_surname(surname):
                yield *match.span("name"), 0.7

    def _speakers(self, text: str) -> Iterator[tuple[int, int, float]]:
        """A chat's speakers written in Latin letters: after a time, one whose word is a given
        name ("[10:43] rachel.b:") or who opens two lines ("[10/04/24 21:13] Vale 🐝:");
        without a time, a given name that opens two lines ("Priya:"); a name in brackets after
        a role ("agent (Bri):"). A speaker's name outranks a place's."""
        speakers = list(_SPEAKER.finditer(text))
        lines = Counter(match.group("name") for match in speakers)
        for match in speakers:
            name = match.group("name")
            words = re.split(r"[._ ]", name)
            if _key(name) in _ROLES or any(never_a_part(word) for word in words):
                continue  # "Agent", "Customer"
            keys = [_key(word) for word in words if len(word) > 2]
            given = any(key in self.census_given or key in self.given for key in keys)
            if match.group("time"):
                # ... or who opens two lines, named in capitals or with an initial ("raf
                # m"), not a handle ("quietstorm", "enrollment_sync")
                named = name[:1].isupper() or (len(words) == 2 and len(words[1]) == 1)
            else:
                # without a time: a speaker of two lines or more written as a given name
                # ("Rohit:"), not a label, a role or an abbreviation ("Note:", "Cliente:", "RN:")
                named = given and name[:1].isupper() and not name.isupper()
                given = False
            if given or (lines[name] >= 2 and named):
                yield *match.span("name"), 0.85
        for match in _ROLE_SPEAKER.finditer(text):
            yield *match.span("name"), 0.85

    def _scanned_name(self, word: str) -> bool:
        """Whether a scanned word reads as a name, not as an English word ("F0RM")."""
        key = _key(_scan_reading(word))
        known = key in self.known or key in self.census_given
        return key.isalpha() and (known or not _english(key, self.dictionary))

    def _telling_surname(self, word: str) -> bool:
        return len(word) >= 4 and word in self.surnames and not _english(word, self.dictionary)

    def _grown(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Grow a name over the name words right next to it, written in the same case: a
        given name before it ("Leon" + "Schneider"), a surname after it ("olga" + "ivanova")."""
        upper = text[start : start + 1].isupper()
        for _ in range(2):
            after = _NEXT_WORD.match(text, end)
            if not after or not self._grows(after.group(1), upper, self.surnames):
                break
            end = after.end()
        for _ in range(2):
            before = _PREVIOUS_WORD.search(text, max(0, start - 40), start)
            if before and before.group(1).lower() in _PARTICLES:
                inner = _PREVIOUS_WORD.search(text, max(0, before.start(1) - 40), before.start(1))
                known = self.known
                if (
                    inner
                    and self._grows(inner.group(1), upper, known)
                    and _key(inner.group(1)) in known
                ):
                    before = inner  # "nguyen van" + "hoang"
            if not before or not self._grows(before.group(1), upper, self.known):
                break
            start = before.start(1)
        return start, end

    def _coordinated(self, text: str, start: int, end: int):
        """A name-like word joined to a name by "and": "add Tadeo and Inés"."""
        before = _AND_BEFORE.search(text, max(0, start - 40), start)
        if before and self._grows(before.group(1), True, self.given):
            yield before.start(1), before.end(1), 0.65
        after = _AND_AFTER.match(text, end)
        if after and self._grows(after.group(1), True, self.given):
            yield after.start(1), after.end(1), 0.65

    def _grows(self, word: str, upper: bool, names: frozenset[str]) -> bool:
        """Whether `word` may join a name: a known name, or (capitalised) no English word."""
        key = _key(word)
        if word[:1].isupper() != upper or (upper and len(word) > 1 and word.isupper()):
            return False  # another case, or an acronym ("MRN")
        if (
            key in STOP_WORDS
            or key in _STOP_AFTER_CUE
            or key in _NOT_NAME_WORDS
            or key in _NEVER_IN_NAMES
            or key in _CHAT_WORDS
            or key in _TITLE_CUES
            or key in _PARTICLES
            or key in self.foreign_all
            or len(key) < 2
        ):
            return False
        return key in names or key not in self.dictionary

    def _plausible(self, ent, english: bool) -> bool:
        """spaCy's small model calls many capitalised words PERSON: keep names only. In a
        text of another language, words that are no English words are no evidence of a name
        ("Ingeniería Civil"): a known name must be among them."""
        words = [t for t in ent if any(c.isalpha() for c in t.text) and t.text not in ("'s", "’s")]
        if not words or any(c.isdigit() or c in "<>=/" for c in ent.text):
            return False  # digits, or markup: "BICFI>GEBABEBB</BICFI>"
        if any(_key(t.text) in _NOT_NAME_WORDS or _key(t.text) in _NEVER_IN_NAMES for t in words):
            return False
        if len(words) == 1 and _key(words[0].text) in self.foreign | _CHAT_WORDS:
            return False  # "Til bogholderiet", "Bitte ..."
        if len(words) > 1 and any(
            _key(t.text) in self.foreign and t.text.lower() not in _PARTICLES for t in words
        ):
            return False  # another language's words: "Ihr Konto", "Vielen Dank"
        if self._heading([t.text for t in words]) or self._form_label(ent.doc, words):
            return False
        keys = [_key(t.text) for t in words]
        known = any(k in self.given or k in self.surnames for k in keys)
        capitalised = all(t.text[:1].isupper() for t in words)
        if keys[0] in _CHAT_WORDS or (
            not known and all(_english(k, self.dictionary) for k in keys)
        ):
            return False  # "Bitte Rückbuchung", "Marching Band"
        latin = _LATIN.search(ent.text) is not None
        return capitalised and (known or len(words) >= 2 and (english or not latin))

    def _heading(self, words: list[str]) -> bool:
        """Capitals spelling English words: a heading ("PRIOR AUTHORIZATION REQUEST")."""
        words = [w for w in words if len(w.rstrip(".")) > 1 and w.lower() not in _PARTICLES]
        return (
            bool(words)
            and all(w.isupper() for w in words)
            and all(_key(w) in self.dictionary for w in words)
            and any(_key(w) not in self.known for w in words)
        )

    def _form_label(self, doc, words) -> bool:
        """One English word before a colon: a form's label ("Subscriber:", "Owner 1:")."""
        if len(words) != 1 or _key(words[0].text) not in self.dictionary:
            return False
        rest = doc.text[words[0].idx + len(words[0].text) :]
        return re.match(r"[ \t]*\d{0,2}[ \t]*:", rest) is not None

    # -- gazetteer over capitalised runs -----------------------------------------------------

    def _gazetteer_runs(self, doc, english: bool):
        run: list = []
        for token in [*doc, None]:
            if token is not None and self._name_like(token):
                if run and token.idx > run[-1].idx + len(run[-1].text) + 1:
                    yield from self._judge(run, english)
                    run = []
                run.append(token)
                continue
            if token is not None and run and token.text.lower() in _PARTICLES:
                run.append(token)
                continue
            if run:
                yield from self._judge(run, english)
            run = []

    def _name_like(self, token) -> bool:
        word = token.text
        if not word[:1].isupper() or not any(c.isalpha() for c in word):
            return False
        if word.lower() in _NEVER_IN_NAMES or (word.isupper() and len(word) <= 3 and len(word) > 1):
            return False  # pronouns; codes such as "MA", "DOB", "MRN"
        if len(word) == 2 and word[1] == "." or len(word) == 1:
            return True  # an initial
        return all(c.isalpha() or c in "'’-" for c in word)

    def _judge(self, run, english: bool):
        while run and run[-1].text.lower() in _PARTICLES:
            run = run[:-1]
        # A capitalised verb opening a sentence is no part of a name ("Call Maria Lopez").
        while run and (run[0].text.lower() in _PARTICLES or run[0].pos_ in ("VERB", "AUX")):
            run = run[1:]
        words = [t for t in run if len(t.text.rstrip(".")) > 1]
        if not words or len(run) > 5:
            return
        if any(_key(t.text) in _NOT_NAME_WORDS for t in words):
            return
        if self._heading([t.text for t in words]) or self._form_label(run[0].doc, words):
            return
        word = words[0]
        if len(words) == 1 and word.text.isupper() and not capitals_line(word.doc.text, word.idx):
            return  # one word in capitals in a line written in lower case: "CLABE", "ISIN"
        keys = [_key(t.text) for t in words]
        given = sum(k in self.given for k in keys)
        known = sum(k in self.given or k in self.surnames for k in keys)
        # a surname that is also an English word ("Hall", "Part", "Joint") is weak evidence
        telling = sum(
            k in self.given or (k in self.surnames and k not in self.dictionary) for k in keys
        )
        proper = sum(t.pos_ == "PROPN" for t in words)
        entity = {t.ent_type_ for t in words} - {""}
        other = entity & {"GPE", "LOC", "ORG", "FAC", "PRODUCT", "NORP", "EVENT", "LAW", "DATE"}
        lone_name = len(words) == 1 and given and keys[0] not in self.dictionary
        # Two or three words that are no English words, written as names ("Olumide Adebayo",
        # "Lærke Østergaard"): the small model often calls such names an organisation; not so
        # in Latin letters in a text of another language ("Ingeniería Civil").
        english = english or not _LATIN.search(run[0].text)
        unknown_pair = (
            english
            and 2 <= len(words) <= 3
            and all(t.pos_ == "PROPN" and not t.text.isupper() for t in words)
            and all(k not in self.dictionary and k not in self.foreign_all for k in keys)
        )
        if other and not (
            "PERSON" in entity
            or (given and known == len(words) >= 2)
            # the small model calls unknown one-word names places: a name that is no city,
            # country or state ("Kenji", "Siobhan") stays
            or (lone_name and (not other & {"GPE", "LOC", "FAC"} or keys[0] not in place_names()))
            or (unknown_pair and not other & {"GPE", "LOC", "FAC"})
        ):
            return
        start, end = run[0].idx, run[-1].idx + len(run[-1].text)
        after_colon = run[0].i > 0 and run[0].nbor(-1).text == ":"
        mid_sentence = run[0].i > 0 and (not run[0].is_sent_start or after_colon)
        if len(words) >= 2 and given and known == len(words) and proper >= 1:
            yield start, end, 0.8
        elif len(words) >= 2 and telling >= 1 and proper == len(words):
            yield start, end, 0.65
        elif (
            2 <= len(words) <= 3
            and english
            and mid_sentence
            and (proper == len(words) and not entity or unknown_pair)
            and not all(_english(k, self.dictionary) for k in keys)
        ):
            yield start, end, 0.6  # unknown names, written as names mid-sentence
        elif (
            len(words) == 1
            and given
            and len(keys[0]) >= 3
            and keys[0] not in _AMBIGUOUS | _STOP_AFTER_CUE | _CHAT_WORDS
            and keys[0] not in self.foreign
            and (proper and mid_sentence or keys[0] not in self.dictionary)
            and (english or mid_sentence)  # not a line's first word in another language
        ):
            yield start, end, 0.6

    # -- names written in lower case ---------------------------------------------------------

    def _lower_case(self, doc):
        """A lower-case given name that is no English word ("tell marcus", "jayden"), with the
        lower-case surnames that follow it ("deborah king"); in English lines only: in a line
        of another language most words are no English words ("tiền học phí")."""
        tokens = list(doc)
        text = doc.text
        english = self._english_lines(text)
        i = 0
        while i < len(tokens):
            token = tokens[i]
            word = token.text
            if not english(token.idx):
                i += 1
                continue
            previous = tokens[i - 1].text.lower() if i else ""
            following = text[token.idx + len(word) : token.idx + len(word) + 1]
            if (
                not (_lower_word(word) and len(word) >= 3)
                or following == "="  # a key: "geo=NL"
                or _inflected(token, self.dictionary)  # "ran" (run), "numbers" (number)
                or not (self._unusual_given(word) or self._given_before_surname(tokens, i))
                or (
                    previous in self.foreign_all
                    and previous not in STOP_WORDS
                    and previous not in _NAME_PARTICLES
                )
            ):
                i += 1  # not after an article of another language: "la constancia"
                continue
            first = i
            while (
                first > 0
                and _lower_word(tokens[first - 1].text)
                and tokens[first].idx == tokens[first - 1].idx + len(tokens[first - 1].text) + 1
                and tokens[first - 1].text not in STOP_WORDS
                and (
                    _key(tokens[first - 1].text) in self.surnames
                    or self._unusual_given(tokens[first - 1].text)
                )
            ):
                first -= 1
            j = i + 1
            while (
                j < len(tokens)
                and j - i < 4
                and _lower_word(tokens[j].text)
                and tokens[j].idx == tokens[j - 1].idx + len(tokens[j - 1].text) + 1
                and tokens[j].text not in _STOP_AFTER_CUE
                and (
                    _key(tokens[j].text) in self.surnames
                    or self._unusual_given(tokens[j].text)
                    or tokens[j].text in _PARTICLES
                )
            ):
                j += 1
            while j - 1 > i and tokens[j - 1].text in _PARTICLES:
                j -= 1
            yield tokens[first].idx, tokens[j - 1].idx + len(tokens[j - 1].text), 0.65
            i = j

    def _given_before_surname(self, tokens, i: int) -> bool:
        """A common given name, even an English word, before a lower-case surname that is no
        English word: "bill ferguson", "owen mcallister", "rebecca o'sullivan"."""
        key = _key(tokens[i].text)
        if (
            key not in self.census_given
            or key in STOP_WORDS | _STOP_AFTER_CUE | _CHAT_WORDS | _TITLE_CUES | _CUE_WORDS
            or i + 1 >= len(tokens)
        ):
            return False
        after = tokens[i + 1]
        surname = _key(after.text)
        return (
            _lower_word(after.text)
            and after.idx == tokens[i].idx + len(tokens[i].text) + 1
            and surname in self.surnames
            and not _english(surname, self.dictionary)
            and surname not in self.foreign_all
            and surname not in STOP_WORDS | _STOP_AFTER_CUE | _CHAT_WORDS
        )

    def _plain_word(self, key: str) -> bool:
        """An everyday word that no name list holds as a telling name: chat ("uh"), or an
        English word that is no given name ("Actually", "Good")."""
        if key in _CHAT_WORDS or key in STOP_WORDS:
            return True
        return _english(key, self.dictionary) and key not in self.given

    def _english_text(self, text: str) -> bool:
        """Whether the text's words in lower-case Latin letters are mostly English words, or
        too few to tell (a list of names)."""
        words = [w.lower() for w in _LOWER_WORD.findall(text)]  # accents kept: "thông"
        known = sum(w in STOP_WORDS or _english(w, self.dictionary) for w in words)
        return len(words) < 5 or 2 * known >= len(words)

    def _english_lines(self, text: str):
        """A test of whether the line holding an offset is mostly English words."""
        starts, verdicts, position = [], [], 0
        for line in text.splitlines(keepends=True):
            words = [w.lower() for w in _PLAIN_WORD.findall(line)]
            known = sum(w in STOP_WORDS or _english(w, self.dictionary) for w in words)
            starts.append(position)
            verdicts.append(not words or 2 * known >= len(words))
            position += len(line)

        def english(offset: int) -> bool:
            return verdicts[bisect.bisect_right(starts, offset) - 1] if starts else True

        return english

    def _unusual_given(self, word: str) -> bool:
        key = _key(word)
        return (
            key in self.given
            and key not in self.dictionary
            and key not in _STOP_AFTER_CUE
            and key not in _CHAT_WORDS
            and key not in _NOT_NAME_WORDS
            and key not in STOP_WORDS
            and key not in self.foreign_all
        )

    # -- cues ---------------------------------------------------------------------------------

    def _cued(self, text: str):
        sign_off = _SIGN_OFF.search(text)
        if sign_off:
            name = sign_off.group("name")
            if all(
                _key(w) not in _STOP_AFTER_CUE
                and _key(w) not in _NOT_NAME_WORDS
                and (w[:1].isupper() or _key(w) in self.given or _key(w) not in self.dictionary)
                for w in name.split()
            ):
                yield sign_off.start("name"), sign_off.end("name"), 0.7
        last = _LAST_WORD.search(text)
        if last and _key(last.group("name")) in self.given - _STOP_AFTER_CUE - _NOT_NAME_WORDS:
            yield last.start("name"), last.end("name"), 0.65
        for cue in _CUE.finditer(text):
            cue_word = cue.group(0).replace("(s)", "").strip(" :,.-–=").lower()
            # a title written as one ("Mrs.", "Dr"), not a pair of capitals ("MS Statistics")
            title = cue_word in _TITLE_CUES and not cue.group(0).strip(" :,-–").isupper()
            if cue_word in _TITLE_CUES and not title and not _CAPITALS_AFTER.match(text, cue.end()):
                continue  # "MS Computer Science", "mild MR. Current": a degree, a finding
            if cue_word in _TITLE_CUES and "," in cue.group(0):
                continue  # a street's "Dr," ("77 Springbrook Dr, Brampton"), not a title
            strong = cue_word in _STRONG_CUES or cue_word.rstrip(":") in _STRONG_CUES or title
            greeted = cue_word in _GREETINGS and bool(_GREETED.match(text, cue.end()))
            strong = strong or greeted  # "Hi Faith, ..."
            naming_cue = cue_word.rstrip(":") in _NAMING_CUES
            field = naming_cue and cue.group(0).rstrip().endswith(":")
            words = []
            organisation = False
            paired = False  # a lower-case given name and surname after an introduction
            position = cue.end()
            for match in _WORD.finditer(text, position):
                gap = text[position : match.start()]
                named = [w for w in words if w.group(0).lower() not in _PARTICLES]
                if gap.strip(" ") or "\n" in gap or len(named) == 4 or (words and "  " in gap):
                    break  # another line, another column, or four words besides particles
                word = match.group(0)
                if any(c.isdigit() or c == "_" for c in word) and not (
                    strong and _SCANNED.fullmatch(word) and self._scanned_name(word)
                ):
                    break  # a code ("L6Y") or an identifier ("utilization_ratio"), not a name
                # after a strong cue, a capitalised given name opens a name even if it is a
                # word ("Name: Bill Church", "Student: Will Hunter")
                given_first = (
                    (strong and not words and word[:1].isupper() and _given_pair(text, match))
                    or (
                        # ... and any capitalised pair in a form's name field ("Name: Can Kaya")
                        field and not words and _capitalised_pair(text, match)
                    )
                    or (
                        # ... and in lower case after a self-introduction ("its will hunter")
                        cue_word in _INTRODUCTIONS and not words and _lower_pair(text, match)
                    )
                )
                # after a title, a given name that is also a word ("ms. hope delacroix")
                titled_given = title and not words and _key(word) in self.census_given
                # after a Vietnamese middle name or a word written with Vietnamese letters, any
                # capitalised word ("Trần Thị Thu Hương", "Phạm Thu Hà")
                vietnamese = bool(words) and (
                    _key(words[-1].group(0)) in {"thi", "van"}
                    or bool(_VIETNAMESE_LETTERS.search(words[0].group(0)))
                )
                vietnamese = vietnamese and word[:1].isupper() and not word.isupper()
                # after a greeting, a given name that is also a word ("Hi Bill,")
                greeted_given = greeted and not words and _key(word) in self.census_given
                kept = given_first or titled_given or vietnamese or greeted_given
                if _key(word) in _NOT_NAME_WORDS and not kept:
                    # a capitalised name of an organisation: "Dear Payroll Team", not "NAME ON
                    # CARD RAJESH KUMAR CARD ..."
                    organisation = (
                        bool(words)
                        and gap == " "
                        and word[:1].isupper()
                        and (
                            not word.isupper()
                            or len(words) < 2
                            or not all(_key(m.group(0)) in self.known for m in words)
                        )
                    )
                    break
                lowered = word.lower().rstrip(".")
                if _key(word) in _NEVER_IN_NAMES:
                    break  # "Hi, I'm ...": a pronoun, not a name
                if lowered in _TITLE_CUES:
                    break  # "Dear Mr. Tanaka": the title is a cue of its own
                # a lower-case name starts with a given name that is no word, or one after a
                # strong cue ("my daughter amelia"), and goes on over other names
                lower_start = not words and (
                    self._unusual_given(word) or strong and self._lower_name(word, title)
                )
                lower_next = (
                    bool(words)
                    and not words[0].group(0)[:1].isupper()
                    and strong
                    and self._lower_name(word, True)
                )
                cased = word[:1].isupper()
                if not words and not cased and cue_word in _CASED_CUES:
                    break  # "cô giáo chủ nhiệm" (the class teacher), not "cô Phạm Thu Hà"
                # a surname that opens with its particle ("Achternaam: van den Heuvel")
                particle_first = strong and not words and lowered in _NAME_PARTICLES
                if (
                    not words
                    and not cased
                    and not (naming_cue or title or lower_start or particle_first)
                ):
                    if not given_first:
                        break
                    paired = True
                if (
                    naming_cue
                    and not cased
                    and not (lower_start or lower_next or title or lowered in _PARTICLES)
                    and not self._lower_name(word, False)
                    and _english(_key(word), self.dictionary)
                ):
                    break  # "my name is different", "fill in name later"
                initial = len(word) == 2 and word[1] == "." and word[0].isupper()
                if lowered in _STOP_AFTER_CUE and not (
                    title and word[:1].isupper() or initial or given_first
                ):
                    break
                if not (
                    word[:1].isupper()
                    or _key(word) in self.given
                    or naming_cue
                    or _key(word) in self.surnames
                    or lowered in _PARTICLES
                    or lower_start
                    or lower_next
                    or given_first
                ):
                    break
                words.append(match)
                position = match.end()
                if word.endswith(".") and len(word) > 2 and lowered not in _PARTICLES:
                    break  # the end of a sentence ("by Friday. Missing ...")
                if word.endswith(("'s", "’s")):
                    break  # a possessive ends the name ("this is Jordan's mom")
            while words and words[-1].group(0).lower() in _PARTICLES:
                words.pop()
            if not words or organisation:
                continue
            if not naming_cue and self._heading([m.group(0) for m in words]):
                continue  # "PATIENT REGISTRATION"
            keys = [_key(m.group(0)) for m in words]
            capitalised = all(
                m.group(0)[:1].isupper() or m.group(0).lower() in _PARTICLES for m in words
            )
            known = any(k in self.given or k in self.surnames for k in keys)
            naming = cue_word.rstrip(":") in _NAMING_CUES
            last = words[-1]
            # A sentence's full stop is not part of the name; an initial's is ("J.").
            end = last.end() - (len(last.group(0)) > 2 and last.group(0).endswith("."))
            unknown = all(k not in self.dictionary for k in keys)
            if cue_word in _WEAK_CUES:
                # "for", "by", "to": only words that read as names ("by Joint Commission" no)
                telling = any(
                    k in self.given or (k in self.surnames and k not in self.dictionary)
                    for k in keys
                )
                if not (capitalised and 2 <= len(words) <= 3 and (telling or unknown)):
                    continue
                yield words[0].start(), end, 0.65
                continue
            plain = len(words) == 1 and self._plain_word(keys[0])
            if plain and not (naming or title or (greeted and keys[0] in self.census_given)):
                continue  # "Caller: Actually, ...", "AGENT: Here ...", "Hello, Good ..."
            if not (
                known
                or (capitalised and strong)
                or naming
                or (strong and unknown)
                or title
                or paired
            ):
                continue
            score = 0.8 if capitalised or (known and strong) or naming else 0.7
            if capitalised and (cue_word.rstrip(":").endswith("name") or greeted):
                score = 0.85  # outranks a place's name ("Name: Hope Mills", "Hi Ngozi,")
            inverted = (
                _INVERTED.match(text, end) if strong and not greeted and len(words) == 1 else None
            )
            if inverted and capitalised and _key(inverted.group(1)) not in _NOT_NAME_WORDS:
                end = inverted.end()  # "Patient: CHEN, WEI-LING   DOB: ..."
            yield words[0].start(), _strip_possessive(text, 0, end)[1], score

    def _lower_name(self, word: str, title: bool) -> bool:
        """A lower-case word after a strong cue that is a given name ("my daughter amelia"),
        or after a title any word that is no English word ("mrs. chiamaka obi")."""
        key = _key(word)
        if (
            key in STOP_WORDS
            or key in _STOP_AFTER_CUE
            or key in _CHAT_WORDS
            or key in _NOT_NAME_WORDS
            or key in self.foreign_all
        ):
            return False
        if key in self.dictionary:
            return key in self.census_given
        return key in self.given or (title and not is_english(key))  # not "doctor mentioned"


# A word right after or right before a name, one space away.
_NAME_WORD = r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*[^\W\d_]"
_NEXT_WORD = re.compile(rf" ({_NAME_WORD})(?![\w'’\-]|\.\w)")
_PREVIOUS_WORD = re.compile(rf"(?<![\w'’\-.])({_NAME_WORD}) $")
_AND_BEFORE = re.compile(rf"(?<![\w'’\-.])({_NAME_WORD}) (?:and|&) $")
_AND_AFTER = re.compile(rf" (?:and|&) ({_NAME_WORD})(?![\w'’\-])")
# After a greeting, a name then a comma or an exclamation mark: "Hi Faith, ...".
_GREETED = re.compile(r"[ ]*[A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+)?[,!.]")
# The end of a table cell or form field: two spaces, a separator, a bracket, the line's end.
_CELL_END = re.compile(r"(?=[ ]{2,}|[ \t]*[|;(\t]|[ \t]*\n|[ \t]*$)")
# "Surname, Given" around a found part: ", WILL O." after it, "van der Berg, " before it,
# the surname at the start of a line or field.
_GIVEN_AFTER_COMMA = re.compile(
    rf",[ ]?({_NAME_WORD})(?:[ ][A-Z]\.)?(?=[ ]{{2,}}|[ \t]*[|;(\t]|[ \t]*\n|[ \t]*$)"
)
_SURNAME_BEFORE_COMMA = re.compile(
    rf"(?:^|(?<=[:|;\t\n]))[ \t]*(?P<name>(?:[a-z]{{1,3}} ){{0,2}}{_NAME_WORD}),[ ]?\Z",
    re.MULTILINE,
)
_PARTICLE_WORDS = "|".join(sorted(p for p in _PARTICLES if p.isalpha()))
# ... or anywhere, when the surname is a known one or carries particles ("client van der
# Berg, Pieter", "EMP LOPEZ, ANDREA").
_ANY_SURNAME_BEFORE_COMMA = re.compile(
    rf"(?<![\w'’\-.])(?P<particles>(?:(?:{_PARTICLE_WORDS}) ){{0,2}})"
    rf"(?P<name>{_NAME_WORD}),[ ]?\Z"
)
# An initial and a surname, not part of an abbreviation ("U.S. Bank", "P. O. Box").
_INITIALLED = re.compile(
    r"(?<![\w.])(?<![A-Za-z]\. )(?!U\.S\.|U\.K\.|E\.U\.|U\.N\.|D\.C\.|N\.Y\.)(?:[A-Z]\.[ ]?){1,2}"
    r"(?P<surname>[A-ZÀ-Ý][a-zß-ÿ'’]{2,}(?:-[A-ZÀ-Ý]?[a-zß-ÿ'’]+)*|[A-ZÀ-Ý][A-ZÀ-Ý'’\-]{2,})"
    r"\b(?!\.\w)"
)
# Words in capitals after a cue: "MR. OKAFOR", not "MR. Current".
_CAPITALS_AFTER = re.compile(r"[A-ZÀ-Ý][A-ZÀ-Ý'’\-]+\b")
# The head of an eponym: what follows a person's name when it names a thing ("Roth IRA",
# "Pell Grant", "Hashimoto's thyroiditis", "Kocher clamps", "Glasgow Coma Scale").
_EPONYM_HEADS = {
    "ira", "iras", "grant", "grants", "loan", "loans", "scholarship", "scholarships", "award",
    "prize", "fellowship", "foundation", "fund", "funds", "brokerage", "securities", "bank",
    "syndrome", "disease", "thyroiditis", "palsy", "sarcoma", "lymphoma", "anemia", "anaemia",
    "scale", "score", "classification", "criteria", "test", "sign", "reflex", "maneuver",
    "manoeuvre", "procedure", "operation", "clamp", "clamps", "retractor", "retractors",
    "forceps", "scissors", "drain", "catheter", "tube", "needle", "law", "act", "rule",
    "equation", "formula", "theorem", "model", "method", "index", "ratio", "curve",
    "distribution", "effect", "principle", "hospital", "clinic", "center", "centre",
    "institute", "university", "college", "school", "elementary", "library", "hall",
    "doctrine", "day", "hierarchy", "cycle", "curves", "effects", "theory", "paradox", "pyramid",
    "taxonomy", "experiment", "hypothesis", "algorithm", "estimator", "inequality", "constant",
}  # fmt: skip
# A possessive or a second name joined by a dash may stand before the head: "Graves'
# disease", "Dunning–Kruger effect".
_NEXT_HEAD = re.compile(r"(?:['’]s?)?(?:[\-–][A-Z][a-z]+)*[ \-]+([A-Za-z]+)")
# A title right before a name: "Dr. ", "Mrs ", "ms. ".
_TITLE_BEFORE = re.compile(
    rf"(?i)(?<![\w.])(?:{'|'.join(sorted(map(re.escape, _TITLE_CUES), key=len, reverse=True))})"
    r"\.?[ ]+\Z"
)
# A saint that names a place: "St. Brendan's Medical Center", "Saint Jude's".
_SAINT = re.compile(r"\b(?:St\.?|Saint) $")
# The letters of a Dutch postcode before the town: "1016 HK Amsterdam" holds no name.
_PLAIN_WORD = re.compile(r"[^\W\d_]+")
_USER_NAME = re.compile(
    r"(?i:(?<![\w.])(?:user|username|user name|login|login[_ ]id|userid|user id|uid|netid|"
    r"net id|actor|tech|operator|"
    r"agent|author|assignee|reviewer)\b)[\"']?[ \t]*[:=]?[ \t]*[\"']?"
    r"(?P<name>[a-z][a-z0-9._\-]{3,30}[a-z0-9])(?![\w@\-]|\.\w)"
)
# A chat's speaker at a line's start, maybe after a time ("[10:43] rachel.b:", "Priya:").
_SPEAKER = re.compile(
    r"^[ \t]*(?P<time>[\[(]?(?:\d{1,4}[/.\-]\d{1,2}[/.\-]\d{2,4},?[ ])?\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:[ ]?[AaPp][Mm])?[\])]?[ \t]+(?:-[ \t]+)?)?"
    r"(?P<name>[^\W\d_][^\W_'’\-]*(?:['’\-][^\W_]+)?(?:[._ ][^\W\d_][^\W_]{0,15})?)"
    # a role in brackets or an emoji after the name ("Gemma (Y3 class rep):", "Vale 🐝:")
    r"(?:[ \t]*\([^()\n]{1,30}\))?(?:[ \t]+[^\w\s:]{1,4})?[ \t]*:",
    re.MULTILINE,
)
# What service accounts are named after ("a.admin", "svc.backup").
_ACCOUNT_WORDS = {
    "admin", "administrator", "backup", "test", "testing", "service", "system", "support", "info",
    "noreply", "root", "user", "guest", "demo", "sync", "batch", "api", "app", "ops", "team",
    "prod", "staging", "monitor", "deploy", "build", "scanner", "reports", "billing", "helpdesk",
}  # fmt: skip
# Speakers that are roles, not people.
_ROLES = {
    "agent", "customer", "client", "user", "bot", "system", "support", "admin", "operator",
    "nurse", "doctor", "patient", "caller", "rep", "me", "you", "staff", "teller", "advisor",
    "moderator", "host", "guest", "unknown", "assistant", "member", "parent", "teacher", "tutor",
    "student", "mom", "dad", "officer", "clerk", "pharmacist", "provider", "dispatcher",
    "visitor", "pt", "tech", "bank",
}  # fmt: skip
# ... or a name in brackets after the speaker's role ("agent (Bri): Hi!").
_ROLE_SPEAKER = re.compile(
    r"^[ \t]*(?:[\[(][^\])\n]{1,25}[\])][ \t]*)?(?i:agent|rep|representative|operator|advisor|"
    r"adviser|nurse|support|csr|tech|teller|banker|counselor|counsellor)[ \t]*"
    r"\((?P<name>[A-Z][\w'’\-]+(?:[ ][A-Z][\w'’\-]+)?)\)[ \t]*:",
    re.MULTILINE,
)
# A given name and a surname apart by a dot, anywhere ("access granted for ayesha.siddiqui").
_DOTTED_NAME = re.compile(r"(?<![\w.@/\-])(?P<name>[a-z]{2,15}\.[a-z]{2,20})(?![\w@\-/]|\.\w)")
_LOWER_WORD = re.compile(r"(?<![^\W\d_])[a-zß-ɏḀ-ỿ]+(?![^\W\d_])")
_LATIN = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ]")
_POSTCODE_LETTERS = re.compile(r"\d{4} [A-Z]{2}\b")
# A surname, a comma and the given name, as forms print them: "CHEN, WEI-LING   DOB".
_INVERTED = re.compile(
    r",[ ]?([^\W\d_][\w'’\-]*)(?:[ ][A-Z]\.?)?"
    r"(?=[ ]{2,}|[ \t]*(?:\n|$)|[ ]?[|;)]|[ ](?:[A-Z]{2,4}\b|\d))"
)  # ... or before a field's separator or label: "pt CHEN, XIAOMING MRN E4410923"


# Chat shorthand that the international given-name list also holds.
_CHAT_WORDS = {
    "pls", "plz", "thx", "lol", "omg", "btw", "asap", "fyi", "idk", "hey", "yep", "nope", "yeah",
    "hmm", "tho", "cuz", "gonna", "wanna", "gotta", "kinda", "dunno", "ur", "u", "ya", "yo",
    "aka", "etc", "vs", "via", "per", "pre", "ok", "okay", "hola", "ciao", "merci", "danke",
    "bitte", "gracias", "grazie", "obrigado", "obrigada", "tack", "takk", "kiitos", "hej", "hei",
    "moi", "salut", "ola", "oi", "servus", "buongiorno", "buenas", "buenos", "kia", "ora",
    "uh", "um", "umm", "oh", "ah", "er", "erm", "mhm", "huh", "sid",
}  # fmt: skip

_NEVER_IN_NAMES = {
    "i", "i'm", "i’m", "i'd", "i've", "i'll", "im", "ok", "okay", "mi", "su", "sie", "tu",
    "mon", "ma", "mein", "meine", "hola", "bonjour", "hallo",
}  # fmt: skip

# Words that make a capitalised run an organisation, product, place or form label.
_NOT_NAME_WORDS = {
    "bank", "banco", "banque", "llc", "inc", "ltd", "corp", "co", "company", "group", "plc",
    "university", "universidad", "université", "universität", "college", "school", "academy",
    "institute", "instituto", "room", "library", "center", "centre", "hospital",
    "clinic", "clínica", "pharmacy", "medical", "health", "care", "street", "road", "avenue",
    "ave", "blvd", "boulevard", "drive", "lane", "st", "rd", "hwy", "highway", "suite", "apt",
    "unit", "box", "floor", "iban", "swift", "bic", "account", "acct", "card", "gold", "pay",
    "bill", "loan", "wire", "copay", "plan", "shield", "cross", "ppo", "hmo", "record", "name",
    "first", "last", "full", "updated", "kyc", "form", "office", "attendance", "counselor",
    "worker", "reading", "beach", "springs", "city", "county", "west", "east", "north", "south",
    "new", "san", "los", "las", "santa", "mount", "lake", "river", "island", "valley",
    "venmo", "zelle", "paypal", "slack", "teams", "zoom", "visa", "mastercard", "amex",
    "discover", "sapphire", "preferred", "checking", "savings", "portal", "app", "help", "pls",
    "please", "said", "back", "today", "tomorrow", "payment", "tax", "notice", "department",
    "dept", "services", "service", "insurance", "federal", "state", "national", "international",
    "calle", "via", "rua", "rue", "avenida", "av", "ul", "strasse", "straße", "tx",
    "ca", "ny", "fl", "oh", "ma", "il", "wa", "court", "place", "square", "verwendungszweck",
    "beneficiary", "student", "patient", "doctor", "nurse", "coach", "team", "club", "fund",
    "trust", "capital", "credit", "union", "debit", "dear", "hi", "hello", "thanks", "regards",
    "mg", "tablet", "tablets", "daily", "dose", "oficina", "piso", "apto", "flat", "villa",
    "qc", "bc", "nsw", "qld", "vic", "pr", "sons", "brothers", "bros", "partners",
    "associates", "hardware", "gmbh", "bv", "ag", "srl", "sarl", "spa", "oy", "ids",
    "high", "admissions", "utilities", "utility", "escrow", "logistics", "bakery",
    "electronics", "medicine", "engineering", "brokerage", "mutual", "consulting", "solutions",
    "systems", "technologies", "holdings", "industries", "realty", "properties", "pediatrics",
    "cardiology", "endocrinology", "radiology", "oncology", "dermatology", "neurology",
    "orthopedics", "surgery", "plus", "dental", "dentistry", "orthodontics", "sales", "auto",
    "motors", "resources", "request", "finance", "financial", "bancorp", "investments",
    "advisors", "advisory", "wealth", "lending", "pharma", "pharmaceuticals", "labs",
    "healthcare", "therapy", "rehab", "counseling", "tutoring", "learning", "education",
    "online", "digital", "software", "cloud", "networks", "energy", "electric", "telecom",
    "wireless",
    # institutions, awards and rules named after people ("Pell Grant" stays: Grant is a name)
    "scholarship", "scholarships", "fellowship", "elementary", "arena", "committee", "act",
    "amendment", "loans", "foundation", "award", "prize", "program", "programme", "stadium",
    "auditorium", "theater", "theatre", "museum", "gallery", "campus", "dormitory", "commons",
    "pavilion", "chapel", "memorial", "laboratory", "lab", "desk", "handbook", "rubric",
    "practice", "rule", "llp", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "feb",
    "apr", "aug", "sep", "sept", "oct", "nov", "dec", "grüße", "grüsse", "groet", "groeten",
    "saludos", "atentamente", "cordialement", "hilsen", "pozdrawiam", "guten", "freundliche",
    # salutations of other languages ("Szanowna Pani", "Estimada Sra.", "Sehr geehrte")
    "szanowna", "szanowny", "szanowni", "państwo", "estimada", "estimado", "estimados",
    "gentile", "gentili", "egregio", "egregia", "prezado", "prezada", "prezados", "geehrte",
    "geehrter", "geachte", "sehr", "nr", "str", "herren", "damen", "mom", "dad", "mum",
    # degrees written after or instead of a name ("BSc", "PsyD")
    "bsc", "msc", "phd", "psyd", "mba", "beng", "meng", "llb", "llm", "edd", "dphil", "mphil",
    # SQL column types and constraints ("BIGSERIAL PRIMARY KEY", "NVARCHAR(80)")
    "varchar", "nvarchar", "char", "nchar", "smallint", "bigint", "tinyint", "int", "integer",
    "serial", "bigserial", "decimal", "numeric", "timestamp", "timestamptz", "datetime",
    "boolean", "text", "primary", "foreign", "references", "default", "unique", "null",
    "constraint", "check",
}  # fmt: skip

# Given names that are also everyday English words: never a name on their own.
_AMBIGUOUS = {
    "will", "may", "bill", "grant", "rose", "hope", "mark", "june", "april", "august", "art",
    "faith", "joy", "sunny", "summer", "autumn", "dawn", "eve", "guy", "jack", "ray", "rich",
    "sky", "pat", "sue", "frank", "chance", "chase", "gene", "iris", "ivy", "lane", "lily",
    "penny", "robin", "star", "amber", "crystal", "destiny", "dusty", "holly", "jewel",
    "major", "marshall", "miles", "norm", "page", "reed", "rusty", "sandy", "stone", "van",
    "wade", "young", "grace", "price", "cash", "clay", "drew", "forest", "hunter", "king",
    "paris", "london", "jordan", "israel", "china", "india", "georgia", "victoria", "florence",
    "virginia", "carolina", "austin", "houston", "dallas", "phoenix", "tyler", "sydney",
    "monday", "friday", "january", "march", "patient", "student", "doctor", "nurse", "dear",
    "thanks", "please", "hi", "hello", "visa", "amex", "mercedes", "ford", "ward", "lot", "reg",
}  # fmt: skip


_JOINED_BEFORE = re.compile(r"[^\W\d_]+[-'’]$")
_JOINED_AFTER = re.compile(r"^[-'’](?![sS](?!\w))[^\W\d_]+")  # not a possessive "'s"


def _scan_reading(word: str) -> str:
    """A scanned word with its letters read back: "R0SE" -> "ROSE", "Rosal1nd" -> "Rosalind"."""
    upper = word.isupper() or word[1:2].isupper()
    return re.sub(
        r"[01'’\-]",
        lambda m: {"0": "O" if upper else "o", "1": "I" if upper else "i"}.get(m.group(0), ""),
        word,
    )


def _joined(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a name over the parts a hyphen or apostrophe joins to it ("Hyun-woo", "O'Brien")."""
    while match := _JOINED_AFTER.match(text[end : end + 40]):
        end += match.end()
    while match := _JOINED_BEFORE.search(text[max(0, start - 40) : start]):
        start -= len(match.group(0))
    return start, end


_ELIDED = re.compile(r"^(\w)['’](?=\w\w)(?!ll$)")  # O'Brien, D'Souza; not I'd, I'll


def _english(key: str, dictionary: frozenset[str]) -> bool:
    """Whether `key` is an English word or its plural ("Secrets Manager", "Claims Desk")."""
    if key in dictionary:
        return True
    for suffix, replacement in (("ies", "y"), ("es", ""), ("s", "")):
        if key.endswith(suffix) and key[: -len(suffix)] + replacement in dictionary:
            return True
    return False


@lru_cache(maxsize=65536)
def _key(word: str) -> str:
    """The gazetteer form of a word: lower case, without accents or apostrophes ("Inés" ->
    "ines", "O'Brien" -> "obrien", as the census lists it), letters that carry no accent
    written plainly ("Małgorzata" -> "malgorzata", "Yıldırım" -> "yildirim")."""
    word = re.sub(r"['’]s$", "", word.rstrip(".").lower())
    plain = unicodedata.normalize("NFKD", _ELIDED.sub(r"\1", word)).translate(_PLAIN_LETTERS)
    return "".join(c for c in plain if not unicodedata.combining(c))


_VIETNAMESE_LETTERS = re.compile(
    "[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE
)
_PLAIN_LETTERS = str.maketrans({"ł": "l", "ı": "i", "ø": "o", "æ": "ae", "ß": "ss"})


def capitals_line(text: str, offset: int) -> bool:
    """Whether the line holding `offset` is written mostly in capitals ("LAST NAME: OKAFOR")."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    letters = [c for c in text[start : end if end >= 0 else len(text)] if c.isalpha()]
    return 2 * sum(c.isupper() for c in letters) >= len(letters)


def _saint(text: str, start: int, end: int) -> bool:
    """Whether a name is a saint's that names a place ("St. Brendan's Medical Center")."""
    return bool(_SAINT.search(text, max(0, start - 7), start)) and text.startswith(
        ("'s", "’s"), end
    )


def _inflected(token, dictionary: frozenset[str]) -> bool:
    """Whether a token is an inflected form of an English word: its lemma differs from it and
    is a word of the dictionary ("ran", "numbers")."""
    lemma = token.lemma_.lower()
    return lemma != token.text.lower() and lemma in dictionary


def _lower_word(word: str) -> bool:
    return word.islower() and all(c.isalpha() or c in "'’-" for c in word)


def _strip_possessive(text: str, start: int, end: int) -> tuple[int, int]:
    for suffix in ("'s", "’s"):
        if text[start:end].endswith(suffix):
            return start, end - len(suffix)
    return start, end


_LEADING_TITLE = re.compile(r"([^\W\d_]+)\.? +(?=[^\W\d_])")


def _strip_title(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the title that opens it ("Chaplain Noel Christmas" -> "Noel Christmas")."""
    title = _LEADING_TITLE.match(text, start, end)
    if title and title.group(1).lower() in _TITLE_CUES:
        return title.end(), end
    return start, end


def completed(text: str, start: int, end: int) -> tuple[int, int]:
    """A found name grown over the words that complete it, whichever recognizer found it:
    a one-word name with the capitalised word beside it, even an English word (a given name
    before a surname, "Destiny" + "Washington"; a surname after a given name, "Rose" +
    "Delacroix"), and a name printed "Surname, Given" that ends its cell ("RYAN, WILL O. |",
    "Tardy: van der Berg, Jesse (22-1004)"), and a nickname in quotes with the words around
    it ('Isabella "Izzy" Moretti')."""
    start, end = _paired(text, start, end)
    start, end = _inverted(text, start, end)
    return _nicknamed(text, start, end)


_NICKNAME_AFTER = re.compile(rf' ["“\'(][A-Z][a-z]+["”\')] ({_NAME_WORD})(?![\w\'’\-])')
_NICKNAME_BEFORE = re.compile(rf'(?<![\w\'’\-])({_NAME_WORD}) ["“\'(][A-Z][a-z]+["”\')] $')


def _nicknamed(text: str, start: int, end: int) -> tuple[int, int]:
    after = _NICKNAME_AFTER.match(text, end)
    if after and _partner(after.group(1)):
        end = after.end()
    before = _NICKNAME_BEFORE.search(text, max(0, start - 60), start)
    if before and _partner(before.group(1)):
        start = before.start()
    return start, end


def _paired(text: str, start: int, end: int) -> tuple[int, int]:
    word = text[start:end]
    if " " in word or not word[:1].isupper() or word.isupper():
        return start, end
    given = given_names()
    before = _PREVIOUS_WORD.search(text, max(0, start - 40), start)
    if before and _partner(before.group(1)) and _key(before.group(1)) in _census_given():
        return before.start(1), end
    after = _NEXT_WORD.match(text, end)
    if after and _partner(after.group(1)) and _key(word) in given:
        return start, after.end(1)
    return start, end


def _partner(word: str) -> bool:
    return (
        word[:1].isupper() and not word.isupper() and len(_key(word)) > 2 and not never_a_part(word)
    )


def _inverted(text: str, start: int, end: int) -> tuple[int, int]:
    upper = text[start:end].isupper()
    after = _GIVEN_AFTER_COMMA.match(text, end)
    if after and _inverted_part(after.group(1), upper):
        return start, after.end()
    if _CELL_END.match(text, end):
        before = _SURNAME_BEFORE_COMMA.search(text, max(0, start - 60), start)
        if before and _inverted_part(before.group("name").split()[-1], upper):
            return before.start("name"), end
    if " " in text[start:end]:
        return start, end  # one given name after "Surname, " only
    before = _ANY_SURNAME_BEFORE_COMMA.search(text, max(0, start - 60), start)
    if before and _inverted_part(before.group("name"), upper):
        surname = _key(before.group("name"))
        if before.group("particles"):
            return before.start(), end
        previous = _PREVIOUS_WORD.search(text, max(0, before.start() - 40), before.start())
        place = (
            previous is not None
            and previous.group(1) in STOP_WORDS
            and is_place(before.group("name"))
        )
        if _known_surname(surname) and not place:
            return before.start(), end  # not "in Berlin, Andrea ..."
    return start, end


def _known_surname(key: str) -> bool:
    """A surname of the name lists that is no English word ("lopez", not "hall")."""
    return key in name_lists()[1] and key not in dictionary_words()


def _inverted_part(word: str, upper: bool) -> bool:
    known = _key(word) in _census_given()  # "RYAN, WILL O.": a given name, not a verb
    return word[:1].isupper() and word.isupper() == upper and (known or not never_a_part(word))


@cache
def _script_given_keys() -> frozenset[str]:
    """The given names written in other scripts, in gazetteer form ("ΕΛΕΝΗ" -> "ελενη")."""
    return frozenset(_key(name) for name in script_given_names())


_PLACE_WORDS = {
    "mall", "park", "plaza", "square", "centre", "center", "tower", "towers", "court", "house",
    "building", "hall", "clinic", "pharmacy", "market", "station", "village", "gardens",
    "heights", "estate", "apartments", "residency", "complex",
}  # fmt: skip


def reads_as_name(value: str) -> bool:
    """Whether words alone read as a person's name: none of them completes no name or names an
    organisation, and the first is a given name or another a surname that is no English word
    ("Rose Hill", "Maria J. Lopez"; not "Accounts Payable", "Crestline Servicing LLC")."""
    words = value.split()
    if any(never_a_part(word) for word in words) or is_organisation(value):
        return False
    if _key(words[-1]) in _PLACE_WORDS:
        return False  # "Jefferson Mall", "Madison Park"
    given, surnames = name_lists()
    keys = [_key(word) for word in words]
    return (
        keys[0] in given
        or keys[0] in _census_given()
        or any(key in surnames and not _english(key, dictionary_words()) for key in keys[1:])
    )


def never_a_part(word: str) -> bool:
    """A word that completes no name: stop words, cues, titles, organisation words."""
    key = _key(word)
    return (
        key in STOP_WORDS
        or key in _STOP_AFTER_CUE - {"will"}
        or key in _NOT_NAME_WORDS
        or key in _CHAT_WORDS
        or key in _TITLE_CUES
        or key in _NEVER_IN_NAMES
        or key in _CUE_WORDS
    )


def _given_pair(text: str, match: re.Match) -> bool:
    """Whether a capitalised common given name is followed by a capitalised surname in the
    same case ("Bill Church", "Will Hunter", "WILL MACKENZIE")."""
    return _key(match.group(0)) in _census_given() and _capitalised_pair(text, match)


def _capitalised_pair(text: str, match: re.Match) -> bool:
    """Whether a capitalised word is followed by a capitalised name word in the same case."""
    after = _NEXT_WORD.match(text, match.end())
    word = match.group(0)
    return (
        word[:1].isupper()
        and after is not None
        and after.group(1)[:1].isupper()
        and after.group(1).isupper() == word.isupper()
        and not never_a_part(after.group(1))
    )


def _lower_pair(text: str, match: re.Match) -> bool:
    """Whether a lower-case common given name is followed by a lower-case surname ("bill
    hunter"), not by a word that no surname list holds ("bill payment")."""
    after = _NEXT_WORD.match(text, match.end())
    word = match.group(0)
    return (
        word.islower()
        and _key(word) in _census_given()
        and _key(word) not in _CALENDAR_WORDS
        and after is not None
        and _key(after.group(1)) not in _CALENDAR_WORDS
        and after.group(1).islower()
        and (_key(after.group(1)) in name_lists()[1] or _key(after.group(1)) in _AMBIGUOUS)
        and not never_a_part(after.group(1))
    )


def is_eponym(text: str, start: int, end: int) -> bool:
    """Whether a name found at [start, end) names a thing after a person: the head follows it
    ("Roth IRA"), or ends it after a word that is no given name ("Pell Grant", "Aid Index";
    not "Will Grant")."""
    after = _NEXT_HEAD.match(text, end)
    if after and after.group(1).lower() in _EPONYM_HEADS:
        return True
    words = text[start:end].split()
    return (
        len(words) >= 2
        and words[-1].lower() in _EPONYM_HEADS
        and _key(words[-2]) not in given_names()
        and not any(w.lower() in _PARTICLES for w in words)
    )


# A building named after a person, where rooms are: "in Harrison Hall", "Room 214, Hamilton
# Hall", "Kresge Hall 210"; not "the script for Terrence Hall".
_BUILDING_HEADS = ("Hall", "Building", "Tower", "Annex", "Pavilion")
_BEFORE_BUILDING = re.compile(r"(?i)(?:\b(?:in|at|room|rooms)|\broom [\w\-]+,?|#\w+,?) \Z")
_AFTER_BUILDING = re.compile(r",? (?:\d|[A-Z]\d|(?i:rooms?|open|lobby|basement)\b)")


def is_building(text: str, start: int, end: int) -> bool:
    """Whether a name found at [start, end) is a building where rooms are."""
    return text[start:end].endswith(_BUILDING_HEADS) and (
        _BEFORE_BUILDING.search(text, max(0, start - 20), start) is not None
        or _AFTER_BUILDING.match(text, end) is not None
    )


def titled(text: str, start: int) -> bool:
    """Whether a title stands right before `start` ("Mrs Thornbury", "Dr. Lucía Benítez's
    clinic"): a titled name is a person's even where it is also a place or heads a thing."""
    return _TITLE_BEFORE.search(text, max(0, start - 12), start) is not None


# A word in camel case, as brands write them ("IntelliVue", "BlueShield"); "MacLeod",
# "FitzGerald" and "MaryAnn" are names.
_CAMEL_WORD = re.compile(r"\b([A-Z][a-z]{2,})([A-Z][a-z]+)\b")
_CAMEL_NAME_HEADS = {"mac", "van", "von", "fitz", "del", "della", "des", "san", "ter"}


def is_brand(value: str) -> bool:
    """Whether a "name" holds a brand's camel-case word ("Imprivata OneSign")."""
    given = given_names()
    return any(
        head.lower() not in _CAMEL_NAME_HEADS and not (_key(head) in given and _key(tail) in given)
        for head, tail in _CAMEL_WORD.findall(value)
    )


def is_organisation(value: str) -> bool:
    """Whether a "name" is, or starts with, a known organisation, brand or product whose name
    reads like a person's ("Goldman Sachs", "Fannie Mae", "Cerner Millennium"), or holds a
    legal form or an institution's word ("Banco Santander SA", "Okafor Holdings Ltd")."""
    keys = [_key(w) for w in value.split()]
    known = _organisations()
    return any(" ".join(keys[:n]) in known for n in range(1, len(keys) + 1)) or any(
        key in _ORGANISATION_WORDS for key in keys
    )


_ORGANISATION_WORDS = {
    "bank", "banco", "banque", "bancorp", "llc", "inc", "ltd", "corp", "plc", "gmbh", "ag", "sas",
    "srl", "bv", "nv", "llp", "aps", "sl", "holdings", "consulting", "university",
    "universidad", "universite", "universitat", "universita", "hospital", "clinic", "clinica",
    "foundation", "ministry", "service", "services", "servicio",
}  # fmt: skip


@cache
def _organisations() -> frozenset[str]:
    text = Path(__file__).with_name("organisations.txt").read_text(encoding="utf-8")
    names = {
        " ".join(_key(w) for w in line.split())
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    }
    given, surnames = name_lists()
    return frozenset(n for n in names if " " in n or n not in given | surnames | _census_given())


def is_titled_thing(value: str) -> bool:
    """Capitalised words that name a thing, not a person: English words all, neither the
    first nor the last a common given name ("Examination Manual", "Blackboard Learn", "Do Not
    Honor"; "Rose Delacroix", "Jin Park" and "Lindiwe Zulu" stay names)."""
    keys = [_key(w) for w in value.split()]
    return (
        len(keys) >= 2
        and all(len(k) > 1 and (k in STOP_WORDS or _english(k, dictionary_words())) for k in keys)
        and keys[0] not in _census_given()
        and keys[-1] not in _census_given()
    )


def is_capitals_heading(value: str) -> bool:
    """Two words or more in capitals, none of them a given name or surname of the lists: a
    heading or a form's title in any language ("ÖĞRENCİ BİLGİ SİSTEMİ", "BARUA KWA MZAZI"),
    not "KAI AKANA", "ΠΑΠΑΔΟΠΟΥΛΟΥ ΕΛΕΝΗ"."""
    words = re.findall(r"[^\W\d_]{2,}", value)  # not initials: "EMT D. OYELOWO"
    if len(words) < 2 or not value.isupper() or re.search(r"\b[^\W\d_]\.", value):
        return False
    given, surnames = name_lists()
    return not any(
        _key(w) in given
        or _key(w) in surnames
        or _key(w) in _census_given()
        or _key(w) in _script_given_keys()
        for w in words
    )


def is_place(value: str) -> bool:
    """Whether `value` is all the name of a known place and not a common given name, also
    written in words the place's own name runs together ("Hà Nội" for Hanoi)."""
    key = " ".join(_key(w) for w in value.split())
    places = place_names()
    return (key in places or key.replace(" ", "") in places) and key not in _census_given()


@cache
def given_names() -> frozenset[str]:
    """Every given name of the lists, English words such as "Grace" and "Will" included."""
    return name_lists()[0] | _census_given()


@cache
def name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """Given names and surnames: the census and `gender-guesser` lists, and the locale lists
    where a name is no English word ("Kwame", "Mensah"), since those lists also hold words
    such as "Comfort" and "Banks"."""
    dictionary = dictionary_words()
    given, surnames = _gazetteer()
    world_given, world_surnames = _world_names()
    return (
        given | {n for n in world_given if not _english(n, dictionary)},
        surnames | {n for n in world_surnames if not _english(n, dictionary)},
    )


@cache
def _census_given() -> frozenset[str]:
    """The US census given names: "Ella", "Mia", "Dan" are names even if other languages
    use them as function words."""
    names_dir = _package_dir("names")
    files = ("dist.male.first", "dist.female.first")
    return frozenset(n for f in files for n in _census(names_dir / f))


@cache
def _gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    given: set[str] = set()
    surnames: set[str] = set()
    names_dir = _package_dir("names")
    for file in ("dist.male.first", "dist.female.first"):
        given.update(_census(names_dir / file))
    surnames.update(_census(names_dir / "dist.all.last", limit=40000))
    nam_dict = _package_dir("gender_guesser") / "data" / "nam_dict.txt"
    with nam_dict.open(encoding="iso-8859-1") as handle:
        for line in handle:
            if line.startswith("#") or len(line) < 30:
                continue
            name = line[3:29].strip()
            if (
                name.isascii()
                and name.replace("-", "").replace("+", " ").replace(" ", "").isalpha()
            ):
                for part in re.split(r"[+ ]", name):
                    if len(part) > 1:
                        given.add(part.lower())
    return frozenset(given - _AMBIGUOUS), frozenset(surnames - _AMBIGUOUS)


@cache
def _world_names() -> tuple[frozenset[str], frozenset[str]]:
    """Given names and surnames of about 80 locales (Faker's person providers: Nigerian,
    Ghanaian, Kenyan, Irish, Turkish, Indian, ... names), in gazetteer form: Latin letters
    only (the English pipeline reads no other script), four letters or more."""
    import faker.providers.person as person

    given: set[str] = set()
    surnames: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attribute, target in _WORLD_NAME_LISTS:
            names = getattr(provider, attribute, ())
            if not isinstance(names, (list, tuple, dict)):
                continue  # a property that combines the other lists
            for part in (p for name in names for p in str(name).split()):
                key = _key(part)
                if len(key) > 3 and key.isascii() and key.replace("-", "").isalpha():
                    (given if target == "given" else surnames).add(key)
    return frozenset(given - _AMBIGUOUS), frozenset(surnames - _AMBIGUOUS)


_WORLD_NAME_LISTS = (
    ("first_names", "given"), ("first_names_male", "given"), ("first_names_female", "given"),
    ("first_names_nonbinary", "given"), ("last_names", "surname"),
    ("last_names_male", "surname"), ("last_names_female", "surname"),
)  # fmt: skip


def _census(path: Path, limit: int | None = None) -> list[str]:
    with path.open(encoding="ascii") as handle:
        names = [line.split(None, 1)[0].lower() for line in handle if line.strip()]
    return names[:limit] if limit else names


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            f"the package {package!r}, which holds the name gazetteer, is missing: reinstall "
            "tutela (pip install tutela) to get it"
        )
    return Path(spec.submodule_search_locations[0])
