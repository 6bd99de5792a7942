"""The pseudonym vault with a real keyring: scopes, sealing, expiry, tampering, erasure and
concurrency across threads and processes."""

from __future__ import annotations

import multiprocessing
import random
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from tutela.errors import InputError, SubjectErasedError, TutelaError, VaultError
from tutela.governance.keyring import KeyRing
from tutela.governance.pii.tokens import TOKEN
from tutela.governance.pii.vault import PseudonymVault, Scope
from tutela.settings import Settings

SECRET = "test-secret-vault-7f3a"
ACME = Scope("acme", "conversation-1")


def open_vault(home: Path, ttl_seconds: float = 3600.0) -> tuple[KeyRing, PseudonymVault]:
    settings = Settings(home=home, master_secret=SECRET)
    keyring = KeyRing.open(settings, create=True)
    return keyring, PseudonymVault(settings.vault_file, keyring, ttl_seconds=ttl_seconds)


@pytest.fixture
def vault(tmp_path: Path):
    keyring, vault = open_vault(tmp_path / "home")
    yield vault
    vault.close()
    keyring.close()


def test_tokenize_all_numbers_a_whole_text_at_once(vault: PseudonymVault) -> None:
    items = [("PERSON", "Jane Roe"), ("PERSON", "John Smith"), ("PERSON", "Jane Roe")]
    assert vault.tokenize_all(ACME, items) == ["<PERSON_1>", "<PERSON_2>", "<PERSON_1>"]
    assert vault.tokenize(ACME, "PERSON", "John Smith") == "<PERSON_2>"
    assert vault.tokenize_all(ACME, []) == []


def vault_file(tmp_path: Path) -> Path:
    return Settings(home=tmp_path / "home", master_secret=SECRET).vault_file


def sealed_value(tmp_path: Path, token: str) -> bytes:
    with sqlite3.connect(vault_file(tmp_path)) as db:
        (sealed,) = db.execute("SELECT sealed FROM pseudonyms WHERE token = ?", (token,)).fetchone()
    return sealed


def stored_bytes(home: Path) -> bytes:
    """Everything the vault has on disk: the database and its write-ahead log."""
    folder = Settings(home=home, master_secret=SECRET).vault_file.parent
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file())


def test_same_value_same_token_and_numbering_per_type(vault: PseudonymVault) -> None:
    assert vault.tokenize(ACME, "PERSON", "Jane Roe") == "<PERSON_1>"
    assert vault.tokenize(ACME, "PERSON", "John Smith") == "<PERSON_2>"
    assert vault.tokenize(ACME, "PERSON", "Jane Roe") == "<PERSON_1>"
    assert vault.tokenize(ACME, "EMAIL_ADDRESS", "jane@example.com") == "<EMAIL_ADDRESS_1>"
    # The same text as another type is another value.
    assert vault.tokenize(ACME, "EMAIL_ADDRESS", "Jane Roe") == "<EMAIL_ADDRESS_2>"
    assert vault.tokenize(ACME, "PERSON", "jane roe") == "<PERSON_3>"  # exact, not case-folded
    tokens = {"<PERSON_1>", "<PERSON_2>", "<PERSON_3>", "<EMAIL_ADDRESS_1>", "<EMAIL_ADDRESS_2>"}
    assert vault.values(ACME, tokens) == {
        "<PERSON_1>": "Jane Roe",
        "<PERSON_2>": "John Smith",
        "<PERSON_3>": "jane roe",
        "<EMAIL_ADDRESS_1>": "jane@example.com",
        "<EMAIL_ADDRESS_2>": "Jane Roe",
    }


def test_values_returns_only_issued_tokens(vault: PseudonymVault) -> None:
    vault.tokenize(ACME, "PERSON", "Jane Roe")
    assert vault.values(ACME, set()) == {}
    assert vault.values(ACME, {"<PERSON_1>", "<PERSON_2>", "<EMAIL_ADDRESS_1>", "junk"}) == {
        "<PERSON_1>": "Jane Roe"
    }


def test_other_conversations_and_tenants_have_their_own_tokens(vault: PseudonymVault) -> None:
    other_conversation = Scope("acme", "conversation-2")
    other_tenant = Scope("globex", "conversation-1")
    assert vault.tokenize(ACME, "PERSON", "Jane Roe") == "<PERSON_1>"
    assert vault.tokenize(ACME, "PERSON", "John Smith") == "<PERSON_2>"
    # Nothing of the first scope can be read from the others, not even by guessing tokens.
    for scope in (other_conversation, other_tenant, Scope("acme")):
        assert vault.values(scope, {"<PERSON_1>", "<PERSON_2>"}) == {}
    assert vault.tokenize(other_conversation, "PERSON", "John Smith") == "<PERSON_1>"
    assert vault.tokenize(other_tenant, "PERSON", "Mallory") == "<PERSON_1>"
    assert vault.values(other_conversation, {"<PERSON_1>", "<PERSON_2>"}) == {
        "<PERSON_1>": "John Smith"
    }
    assert vault.values(other_tenant, {"<PERSON_1>"}) == {"<PERSON_1>": "Mallory"}
    assert vault.values(ACME, {"<PERSON_1>", "<PERSON_2>"}) == {
        "<PERSON_1>": "Jane Roe",
        "<PERSON_2>": "John Smith",
    }


def test_scope_needs_tenant_and_conversation() -> None:
    for tenant, conversation in (("", "c"), ("  ", "c"), ("acme", ""), ("acme", " \n")):
        with pytest.raises(InputError):
            Scope(tenant, conversation)


def test_ttl_must_be_positive(tmp_path: Path) -> None:
    keyring, vault = open_vault(tmp_path / "home")
    vault.close()
    for ttl in (0, -1.0):
        with pytest.raises(InputError):
            PseudonymVault(vault_file(tmp_path), keyring, ttl_seconds=ttl)
    keyring.close()


def test_values_and_conversation_ids_are_not_stored_in_the_clear(tmp_path: Path) -> None:
    home = tmp_path / "home"
    keyring, vault = open_vault(home)
    scope = Scope("acme", "conversation-ZQX-7731")
    values = ["Jane Roe-Quixotic", "jane.quixotic@example.com", "4111 1111 1111 1111"]
    for value in values:
        vault.tokenize(scope, "PERSON", value)
    secrets = [v.encode() for v in values] + [b"conversation-ZQX-7731", b"Quixotic"]
    wal = vault_file(tmp_path).with_name("pseudonyms.db-wal")
    assert wal.exists()  # the writes are (at least partly) in the log: it is checked too

    def check(moment: str) -> None:
        content = stored_bytes(home)
        assert b"<PERSON_3>" in content  # the check reads the right files
        for secret in secrets:
            assert secret not in content, f"{secret!r} is stored in the clear ({moment})"
            assert secret.decode().encode("utf-16-le") not in content

    check("while open")
    vault.close()
    keyring.close()
    check("after close")


def test_expired_tokens_are_not_returned_and_are_purged(tmp_path: Path) -> None:
    keyring, vault = open_vault(tmp_path / "home", ttl_seconds=0.3)
    token = vault.tokenize(ACME, "PERSON", "Jane Roe")
    assert vault.values(ACME, {token}) == {token: "Jane Roe"}
    assert vault.purge_expired() == 0
    time.sleep(0.4)
    assert vault.values(ACME, {token}) == {}
    assert vault.purge_expired() == 1
    assert vault.purge_expired() == 0
    with sqlite3.connect(vault_file(tmp_path)) as db:
        assert db.execute("SELECT count(*) FROM pseudonyms").fetchone() == (0,)
    vault.close()
    keyring.close()


def test_use_extends_the_life_of_a_token(tmp_path: Path) -> None:
    keyring, vault = open_vault(tmp_path / "home", ttl_seconds=0.6)
    token = vault.tokenize(ACME, "PERSON", "Jane Roe")
    time.sleep(0.4)
    assert vault.tokenize(ACME, "PERSON", "Jane Roe") == token  # used again: lives on
    time.sleep(0.4)
    assert vault.values(ACME, {token}) == {token: "Jane Roe"}
    vault.close()
    keyring.close()


def test_tampered_sealed_value_is_a_vault_error(tmp_path: Path) -> None:
    keyring, vault = open_vault(tmp_path / "home")
    vault.tokenize(ACME, "PERSON", "Jane Roe")
    vault.tokenize(ACME, "PERSON", "John Smith")
    sealed = sealed_value(tmp_path, "<PERSON_1>")
    with sqlite3.connect(vault_file(tmp_path)) as db:
        damaged = bytearray(sealed)
        damaged[-1] ^= 0x01
        db.execute("UPDATE pseudonyms SET sealed = ? WHERE token = '<PERSON_1>'", (bytes(damaged),))
    with pytest.raises(VaultError, match="<PERSON_1>") as caught:
        vault.values(ACME, {"<PERSON_1>"})
    assert "Jane" not in str(caught.value)
    assert vault.values(ACME, {"<PERSON_2>"}) == {"<PERSON_2>": "John Smith"}
    vault.close()
    keyring.close()


def test_a_sealed_value_moved_to_another_token_is_a_vault_error(tmp_path: Path) -> None:
    keyring, vault = open_vault(tmp_path / "home")
    vault.tokenize(ACME, "PERSON", "Jane Roe")
    vault.tokenize(ACME, "PERSON", "John Smith")
    sealed = sealed_value(tmp_path, "<PERSON_1>")
    with sqlite3.connect(vault_file(tmp_path)) as db:
        db.execute("UPDATE pseudonyms SET sealed = ? WHERE token = '<PERSON_2>'", (sealed,))
    with pytest.raises(VaultError):
        vault.values(ACME, {"<PERSON_2>"})
    vault.close()
    keyring.close()


def test_erased_subject_cannot_be_restored(tmp_path: Path) -> None:
    keyring, vault = open_vault(tmp_path / "home")
    patient = Scope("acme", "conversation-1", subject="p-1")
    other = Scope("acme", "conversation-1", subject="p-2")
    token = vault.tokenize(patient, "PERSON", "Jane Roe")
    kept = vault.tokenize(other, "PERSON", "John Smith")
    assert vault.values(patient, {token}) == {token: "Jane Roe"}
    assert keyring.erase_subject("acme", "p-1") >= 1
    with pytest.raises(TutelaError) as caught:
        vault.values(patient, {token})
    # The code raises SubjectErasedError from the keyring (VaultError would also be typed).
    assert isinstance(caught.value, SubjectErasedError | VaultError)
    assert "Jane" not in str(caught.value)
    assert vault.values(other, {kept}) == {kept: "John Smith"}
    vault.close()
    keyring.close()


def test_values_with_lone_surrogates_round_trip(vault: PseudonymVault) -> None:
    # Undecodable input bytes become lone surrogates (surrogateescape).
    value = b"Jane\xffRoe".decode("utf-8", "surrogateescape")
    token = vault.tokenize(ACME, "PERSON", value)
    assert vault.tokenize(ACME, "PERSON", value) == token
    assert vault.tokenize(ACME, "PERSON", "Jane\\udcffRoe") != token
    assert vault.tokenize(ACME, "PERSON", "Jane\ufffdRoe") != token
    assert vault.values(ACME, {token}) == {token: value}


def test_threads_get_consistent_tokens(vault: PseudonymVault) -> None:
    values = [("PERSON", f"Person {i}") for i in range(15)]
    values += [("EMAIL_ADDRESS", f"p{i}@example.com") for i in range(10)]
    results: list[dict[tuple[str, str], str]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def work(seed: int) -> None:
        order = values * 2
        random.Random(seed).shuffle(order)
        mapping: dict[tuple[str, str], str] = {}
        try:
            start.wait(timeout=10)
            for kind, value in order:
                token = vault.tokenize(ACME, kind, value)
                assert mapping.setdefault((kind, value), token) == token
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        results.append(mapping)

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert len(results) == 8
    assert all(mapping == results[0] for mapping in results)
    check_mapping(results[0], values)
    stored = vault.values(ACME, set(results[0].values()))
    assert {token: value for (_, value), token in results[0].items()} == stored


def check_mapping(mapping: dict[tuple[str, str], str], values: list[tuple[str, str]]) -> None:
    """Every value has a token, no two share one, and each type is numbered 1..n."""
    assert set(mapping) == set(values)
    assert len(set(mapping.values())) == len(values)
    for kind in {k for k, _ in values}:
        numbers = sorted(
            int(TOKEN.fullmatch(t).group(2)) for (k, _), t in mapping.items() if k == kind
        )
        assert numbers == list(range(1, len(numbers) + 1))
        assert all(TOKEN.fullmatch(t).group(1) == k for (k, _), t in mapping.items())


PROCESS_VALUES = [("PERSON", f"Patient {i}") for i in range(12)]
PROCESS_VALUES += [("EMAIL_ADDRESS", f"patient{i}@example.org") for i in range(8)]


def tokenize_in_process(home: str, seed: int, start, results) -> None:
    """Run in a spawned process: open the vault from the data directory and tokenize."""
    keyring, vault = open_vault(Path(home))
    try:
        order = list(PROCESS_VALUES)
        random.Random(seed).shuffle(order)
        start.wait(timeout=120)
        mapping = {f"{k}|{v}": vault.tokenize(ACME, k, v) for k, v in order}
        results.put((seed, mapping))
    except BaseException as exc:
        results.put((seed, repr(exc)))
    finally:
        vault.close()
        keyring.close()


def test_processes_get_identical_tokens(tmp_path: Path) -> None:
    home = tmp_path / "home"
    keyring, vault = open_vault(home)  # the keystore exists before the workers start
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(2), context.Queue()
    workers = [
        context.Process(target=tokenize_in_process, args=(str(home), seed, start, results))
        for seed in (1, 2)
    ]
    for worker in workers:
        worker.start()
    try:
        answers = dict(results.get(timeout=120) for _ in workers)
    finally:
        for worker in workers:
            worker.join(timeout=30)
            if worker.is_alive():
                worker.kill()
    assert all(isinstance(a, dict) for a in answers.values()), answers
    assert answers[1] == answers[2]
    mapping = {tuple(key.split("|", 1)): token for key, token in answers[1].items()}
    check_mapping(mapping, PROCESS_VALUES)
    # This process sees the same mapping, and reads the values back.
    assert all(vault.tokenize(ACME, k, v) == t for (k, v), t in mapping.items())
    assert vault.values(ACME, set(mapping.values())) == {t: v for (_, v), t in mapping.items()}
    vault.close()
    keyring.close()
