"""RFC 9162 Merkle trees: the shared conformance vectors, known answers and properties."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutela.governance.audit.merkle import (
    EMPTY_ROOT,
    MerkleTree,
    leaf_hash,
    node_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)

VECTORS = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "rfc9162-merkle"
needs_vectors = pytest.mark.skipif(
    not VECTORS.is_dir(), reason=f"the shared Merkle vectors are not at {VECTORS}"
)


def _cases(kind: str) -> list[Path]:
    return sorted((VECTORS / kind).rglob("*.json")) if VECTORS.is_dir() else []


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value) if value else b""


def _proof(values) -> list[bytes]:
    return [_b64(v) for v in values or []]


@needs_vectors
@pytest.mark.parametrize("path", _cases("inclusion"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_inclusion_vectors(path: Path) -> None:
    case = json.loads(path.read_text())
    ok = verify_inclusion(
        case["leafIdx"],
        case["treeSize"],
        _b64(case["leafHash"]),
        _proof(case["proof"]),
        _b64(case["root"]),
    )
    assert ok is not case["wantErr"], case["desc"]


@needs_vectors
@pytest.mark.parametrize("path", _cases("consistency"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_consistency_vectors(path: Path) -> None:
    case = json.loads(path.read_text())
    ok = verify_consistency(
        case["size1"],
        case["size2"],
        _b64(case["root1"]),
        _b64(case["root2"]),
        _proof(case["proof"]),
    )
    assert ok is not case["wantErr"], case["desc"]


@needs_vectors
def test_every_vector_file_is_read() -> None:
    assert len(_cases("inclusion")) + len(_cases("consistency")) >= 150


def _leaves(n: int) -> list[bytes]:
    return [leaf_hash(f"record {i}".encode()) for i in range(n)]


def test_known_answers() -> None:
    assert hashlib.sha256(b"").digest() == EMPTY_ROOT
    assert leaf_hash(b"") == bytes.fromhex(
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    )
    a, b, c = _leaves(3)
    assert root_of([a]) == a
    assert root_of([a, b]) == node_hash(a, b)
    assert root_of([a, b, c]) == node_hash(node_hash(a, b), c)
    assert MerkleTree([a, b, c]).root() == root_of([a, b, c])
    assert MerkleTree([]).root() == EMPTY_ROOT


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 300), st.data())
def test_generated_proofs_verify(size: int, data) -> None:
    leaves = _leaves(size)
    tree = MerkleTree(leaves)
    assert tree.root() == root_of(leaves)
    index = data.draw(st.integers(0, size - 1))
    proof = tree.inclusion_proof(index)
    assert verify_inclusion(index, size, leaves[index], proof, tree.root())
    assert not verify_inclusion(index, size, leaf_hash(b"other"), proof, tree.root())
    old = data.draw(st.integers(1, size))
    consistency = tree.consistency_proof(old)
    assert verify_consistency(old, size, tree.root(old), tree.root(), consistency)
    if 1 < old < size:
        assert not verify_consistency(old, size, tree.root(old - 1), tree.root(), consistency)


def test_every_prefix_is_consistent_with_every_larger_tree() -> None:
    leaves = _leaves(40)
    tree = MerkleTree(leaves)
    for new in range(1, 41):
        for old in range(1, new + 1):
            proof = tree.consistency_proof(old, new)
            assert verify_consistency(old, new, tree.root(old), tree.root(new), proof)
        for index in range(new):
            proof = tree.inclusion_proof(index, new)
            assert verify_inclusion(index, new, leaves[index], proof, tree.root(new))
