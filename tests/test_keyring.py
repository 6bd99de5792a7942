"""Envelope encryption: round trip, tamper and context binding, rotation, erasure, scans."""

import os
from pathlib import Path

import pytest

from tutela.errors import (
    CiphertextError,
    InputError,
    KeystoreError,
    LegalHoldError,
    MasterSecretError,
    SubjectErasedError,
)
from tutela.governance.envelope import Context, parse
from tutela.governance.keyring import KeyRing
from tutela.governance.local_key_provider import LocalKeyProvider

CONTEXT = Context("acme", "note", "r-1", "body")


def open_ring(folder: Path, secret: bytes = b"correct horse", **options) -> KeyRing:
    return KeyRing(folder / "keys.db", LocalKeyProvider(folder / "kek.json", secret), **options)


@pytest.fixture
def ring(tmp_path: Path) -> KeyRing:
    keyring = open_ring(tmp_path)
    yield keyring
    keyring.close()


@pytest.mark.parametrize("algorithm", ["AES-256-GCM", "AES-256-GCM-SIV"])
def test_round_trip(tmp_path: Path, algorithm: str) -> None:
    ring = open_ring(tmp_path, algorithm=algorithm)
    for plaintext in (b"", b"x", b"Blood pressure 120/80, patient Jane Roe", os.urandom(100_000)):
        sealed = ring.encrypt(plaintext, CONTEXT, subject="patient-7")
        if len(plaintext) >= 16:  # a short plaintext may occur in random bytes by chance
            assert plaintext not in sealed
        assert ring.decrypt(sealed, CONTEXT) == plaintext
    assert parse(sealed)[0].algorithm == algorithm


def test_every_header_byte_is_authenticated(ring: KeyRing) -> None:
    sealed = ring.encrypt(b"account 12345678", CONTEXT)
    header_length = len(parse(sealed)[1])
    for position in range(header_length + 12):  # header and nonce
        for bit in (0x01, 0x80):
            damaged = bytearray(sealed)
            damaged[position] ^= bit
            with pytest.raises(CiphertextError):
                ring.decrypt(bytes(damaged), CONTEXT)


def test_body_tampering_and_truncation_are_rejected(ring: KeyRing) -> None:
    sealed = ring.encrypt(b"account 12345678", CONTEXT)
    for position in (len(sealed) - 1, len(sealed) - 20):
        damaged = bytearray(sealed)
        damaged[position] ^= 0x01
        with pytest.raises(CiphertextError):
            ring.decrypt(bytes(damaged), CONTEXT)
    for length in (0, 1, 10, 30, len(sealed) - 1):
        with pytest.raises(CiphertextError):
            ring.decrypt(sealed[:length], CONTEXT)
    with pytest.raises(CiphertextError):
        ring.decrypt(b"garbage that is long enough to hold a header, surely", CONTEXT)


@pytest.mark.parametrize(
    "moved",
    [
        Context("other-tenant", "note", "r-1", "body"),
        Context("acme", "invoice", "r-1", "body"),
        Context("acme", "note", "r-2", "body"),
        Context("acme", "note", "r-1", "title"),
        Context("acme", "noter", "-1", "body"),  # boundaries between fields matter
    ],
)
def test_moving_a_ciphertext_to_another_context_fails(ring: KeyRing, moved: Context) -> None:
    sealed = ring.encrypt(b"diagnosis", CONTEXT)
    with pytest.raises(CiphertextError):
        ring.decrypt(sealed, moved)


def test_unknown_format_version_is_named(ring: KeyRing) -> None:
    sealed = bytearray(ring.encrypt(b"x", CONTEXT))
    sealed[2] = 9
    with pytest.raises(CiphertextError, match="unknown ciphertext format"):
        ring.decrypt(bytes(sealed), CONTEXT)


def test_rotation_keeps_old_data_and_new_data_uses_the_new_version(tmp_path: Path) -> None:
    ring = open_ring(tmp_path)
    old = ring.encrypt(b"before", CONTEXT, subject="s1")
    result = ring.rotate()
    assert result.kek_version == 2 and result.rewrapped == 1
    new = ring.encrypt(b"after", CONTEXT, subject="s1")
    assert parse(old)[0].kek_version == 1
    assert parse(new)[0].kek_version == 2
    ring.close()
    reopened = open_ring(tmp_path)  # a fresh process: nothing cached
    assert reopened.decrypt(old, CONTEXT) == b"before"
    assert reopened.decrypt(new, CONTEXT) == b"after"
    assert reopened.status().deks_by_kek_version == {2: 1}


def test_erasure_shreds_exactly_one_subject(tmp_path: Path) -> None:
    ring = open_ring(tmp_path)
    records = {
        who: [ring.encrypt(f"{who} {i}".encode(), CONTEXT, subject=who) for i in range(3)]
        for who in ("alice", "bob")
    }
    tenant_record = ring.encrypt(b"tenant-wide", CONTEXT)
    assert ring.erase_subject("acme", "alice") == 1
    for ring_view in (ring, open_ring(tmp_path)):
        for sealed in records["alice"]:
            with pytest.raises(SubjectErasedError):
                ring_view.decrypt(sealed, CONTEXT)
        assert [ring_view.decrypt(s, CONTEXT) for s in records["bob"]] == [
            b"bob 0",
            b"bob 1",
            b"bob 2",
        ]
        assert ring_view.decrypt(tenant_record, CONTEXT) == b"tenant-wide"
    assert ring.erase_subject("acme", "alice") == 0
    again = ring.encrypt(b"new record", CONTEXT, subject="alice")  # a new key, readable
    assert ring.decrypt(again, CONTEXT) == b"new record"


def test_same_subject_id_in_another_tenant_is_not_erased(ring: KeyRing) -> None:
    other = Context("globex", "note", "r-1", "body")
    kept = ring.encrypt(b"kept", other, subject="alice")
    ring.encrypt(b"gone", CONTEXT, subject="alice")
    ring.erase_subject("acme", "alice")
    assert ring.decrypt(kept, other) == b"kept"


def test_legal_hold_blocks_erasure_until_released(ring: KeyRing) -> None:
    sealed = ring.encrypt(b"evidence", CONTEXT, subject="carol")
    ring.set_legal_hold("acme", "carol", "case 2026-114")
    with pytest.raises(LegalHoldError):
        ring.erase_subject("acme", "carol")
    assert ring.decrypt(sealed, CONTEXT) == b"evidence"  # nothing was lost
    assert ring.status().legal_holds == 1
    assert ring.release_legal_hold("acme", "carol")
    assert ring.erase_subject("acme", "carol") == 1
    with pytest.raises(InputError):
        ring.set_legal_hold("acme", "carol", "  ")


def test_wrong_master_secret_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    ring = open_ring(tmp_path)
    sealed = ring.encrypt(b"x", CONTEXT)
    ring.close()
    before = (tmp_path / "kek.json").read_bytes()
    with pytest.raises(MasterSecretError):
        open_ring(tmp_path, secret=b"wrong")
    assert (tmp_path / "kek.json").read_bytes() == before
    assert open_ring(tmp_path).decrypt(sealed, CONTEXT) == b"x"


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"format": 99}', b"[]"])
def test_damaged_kek_file_is_a_keystore_error(tmp_path: Path, damage: bytes) -> None:
    open_ring(tmp_path).close()
    (tmp_path / "kek.json").write_bytes(damage)
    with pytest.raises(KeystoreError):
        open_ring(tmp_path)
    assert (tmp_path / "kek.json").read_bytes() == damage


def test_corrupted_keystore_database_is_a_keystore_error(tmp_path: Path) -> None:
    open_ring(tmp_path).close()
    (tmp_path / "keys.db").write_bytes(b"this is not a database" * 100)
    with pytest.raises(KeystoreError):
        open_ring(tmp_path)


def test_dek_is_retired_after_its_use_limit(tmp_path: Path) -> None:
    ring = open_ring(tmp_path, max_uses=8, reserve=4)
    sealed = [ring.encrypt(b"r", CONTEXT) for _ in range(20)]
    dek_ids = {parse(s)[0].dek_id for s in sealed}
    assert len(dek_ids) == 3  # 8 + 8 + 4 uses
    assert ring.status().deks_by_state["retired"] == 2
    assert all(ring.decrypt(s, CONTEXT) == b"r" for s in sealed)


def test_use_limit_holds_across_processes(tmp_path: Path) -> None:
    first = open_ring(tmp_path, max_uses=8, reserve=4)
    second = open_ring(tmp_path, max_uses=8, reserve=4)
    sealed = [ring.encrypt(b"r", CONTEXT) for _ in range(6) for ring in (first, second)]
    per_key: dict[bytes, int] = {}
    for item in sealed:
        dek_id = parse(item)[0].dek_id
        per_key[dek_id] = per_key.get(dek_id, 0) + 1
    assert max(per_key.values()) <= 8


def test_blind_index_is_keyed_and_stable(tmp_path: Path) -> None:
    ring = open_ring(tmp_path)
    index = ring.blind_index("acme", "email", "jane@example.com")
    assert index == ring.blind_index("acme", "email", "jane@example.com")
    assert index != ring.blind_index("globex", "email", "jane@example.com")
    other = open_ring(tmp_path / "elsewhere")
    assert index != other.blind_index("acme", "email", "jane@example.com")
    import hashlib

    assert index != hashlib.sha256(b"jane@example.com").hexdigest()


def test_no_key_is_stored_in_the_clear(tmp_path: Path) -> None:
    ring = open_ring(tmp_path)
    for i in range(5):
        ring.encrypt(b"record", CONTEXT, subject=f"s{i}")
    ring.rotate()
    ring.erase_subject("acme", "s0")
    secrets = [c.dek for c in ring._cache.values()] + [ring._index_key]
    secrets += list(ring.provider._keks.values())
    assert len(secrets) == 4 + 1 + 2  # live DEKs, the index key, two KEK versions
    for path in tmp_path.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            for secret in secrets:
                assert secret not in content, f"a key is stored in the clear in {path.name}"
                assert secret.hex().encode() not in content


def test_nonces_never_repeat_per_key(tmp_path: Path) -> None:
    ring = open_ring(tmp_path, max_uses=40_000, reserve=4096)
    seen: set[tuple[bytes, bytes]] = set()
    for i in range(100_000):
        header, _, nonce, _ = parse(ring.encrypt(b"x", CONTEXT, subject=f"s{i % 3}"))
        pair = (header.dek_id, nonce)
        assert pair not in seen
        seen.add(pair)
    assert len({dek for dek, _ in seen}) >= 3


def test_open_refuses_a_data_directory_without_keystore(tmp_path: Path) -> None:
    from tutela.governance.master_secret import create_master_key_file
    from tutela.settings import Settings

    settings = Settings.load(tmp_path / "home", master_secret_file=tmp_path / "s" / "master.key")
    create_master_key_file(settings)
    with pytest.raises(KeystoreError, match="tutela init"):
        KeyRing.open(settings)
    assert not settings.keys_dir.exists()
    KeyRing.open(settings, create=True).close()
    assert oct(settings.home.stat().st_mode & 0o777) == "0o700"
    ring = KeyRing.open(settings)
    ring.encrypt(b"x", CONTEXT)
    modes = {p.name: oct(p.stat().st_mode & 0o777) for p in settings.keys_dir.iterdir()}
    assert oct(settings.keys_dir.stat().st_mode & 0o777) == "0o700"
    assert set(modes.values()) == {"0o600"}, modes
    ring.close()
    (settings.keys_dir / "kek.json").unlink()
    with pytest.raises(KeystoreError, match="kek.json"):
        KeyRing.open(settings)


def test_rotation_by_another_process_is_used_for_new_keys(tmp_path: Path) -> None:
    first, second = open_ring(tmp_path), open_ring(tmp_path)
    second.encrypt(b"warm", CONTEXT)
    first.rotate()
    assert second.status().current_version == 2
    sealed = second.encrypt(b"new subject", CONTEXT, subject="someone-new")
    assert parse(sealed)[0].kek_version == 2
    assert first.decrypt(sealed, CONTEXT) == b"new subject"


def test_erasure_reaches_a_writer_in_another_process(tmp_path: Path) -> None:
    writer = open_ring(tmp_path, cache_seconds=0.0)
    eraser = open_ring(tmp_path)
    before = writer.encrypt(b"old", CONTEXT, subject="dave")
    eraser.erase_subject("acme", "dave")
    after = writer.encrypt(b"new", CONTEXT, subject="dave")
    assert parse(after)[0].dek_id != parse(before)[0].dek_id
    assert eraser.decrypt(after, CONTEXT) == b"new"
    with pytest.raises(SubjectErasedError):
        writer.decrypt(before, CONTEXT)


def test_bad_arguments_are_typed_errors(tmp_path: Path) -> None:
    from tutela.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown cipher"):
        open_ring(tmp_path, algorithm="ROT13")
    with pytest.raises(ConfigError):
        open_ring(tmp_path, reserve=0)
    with pytest.raises(InputError):
        Context("acme", "note", 5, "body")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        Context("", "note", "1", "body")
    ring = open_ring(tmp_path)
    with pytest.raises(InputError):
        ring.encrypt("text, not bytes", CONTEXT)  # type: ignore[arg-type]
    with pytest.raises(InputError):
        ring.encrypt(b"x", CONTEXT, subject="  ")
    ring.close()
    with pytest.raises(KeystoreError, match="closed"):
        ring.encrypt(b"x", CONTEXT)
