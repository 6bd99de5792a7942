"""Evidence bundles: everything an external auditor needs to check the log, in one zip, and
the check itself, which needs nothing but the bundle and the trusted public key.

A bundle holds:
- `records.jsonl`: every record the latest checkpoint covers, one canonical JSON per line
  (a pruned record is `{"pruned": true, "seq": n, "leaf": <base64>}`);
- `checkpoints.json`: every signed checkpoint up to the latest;
- `inclusion_proofs.jsonl`: for each record, its RFC 9162 inclusion proof in the latest tree;
- `consistency.json`: a consistency proof from an earlier checkpoint the auditor already holds
  (if one was named) to the latest;
- `public_key.json`: the signing key's id and raw Ed25519 public key (base64);
- `manifest.json`: the SHA-256 of every other file.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tutela.errors import InputError
from tutela.governance.audit.merkle import (
    MerkleTree,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)
from tutela.governance.audit.records import canonical_json
from tutela.governance.audit.store import AuditStore, Checkpoint
from tutela.governance.audit.verify import check_checkpoint

FORMAT = "tutela-audit-bundle/1"
_FILES = (
    "records.jsonl",
    "checkpoints.json",
    "inclusion_proofs.jsonl",
    "consistency.json",
    "public_key.json",
)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def write_bundle(
    store: AuditStore,
    out: Path,
    *,
    key_id: str,
    public_key: bytes,
    since_size: int | None = None,
) -> Checkpoint:
    """Write the bundle for the latest checkpoint; `since_size` names an earlier checkpoint
    to prove consistency from. Returns the checkpoint the bundle proves."""
    checkpoints = store.checkpoints()
    if not checkpoints:
        raise InputError("the audit log has no checkpoint yet: run `tutela audit checkpoint`")
    latest = checkpoints[-1]
    if since_size is not None and since_size not in {c.size for c in checkpoints}:
        raise InputError(
            f"there is no checkpoint at size {since_size}: choose one of "
            f"{', '.join(str(c.size) for c in checkpoints)}"
        )
    lines: list[bytes] = []
    leaves: list[bytes] = []
    for stored in store.records(0, latest.size):
        if stored.record is None:
            lines.append(
                canonical_json({"pruned": True, "seq": stored.seq, "leaf": _b64(stored.leaf)})
            )
            leaves.append(stored.leaf)
        else:
            lines.append(stored.record)
            leaves.append(leaf_hash(stored.record))
    tree = MerkleTree(leaves)
    proofs = [
        canonical_json({"seq": i, "proof": [_b64(p) for p in tree.inclusion_proof(i)]})
        for i in range(tree.size)
    ]
    consistency: dict = {}
    if since_size is not None:
        consistency = {
            "from_size": since_size,
            "to_size": latest.size,
            "proof": [_b64(p) for p in tree.consistency_proof(since_size)],
        }
    contents = {
        "records.jsonl": b"\n".join(lines) + b"\n",
        "checkpoints.json": json.dumps([c.to_json() for c in checkpoints], indent=1).encode(),
        "inclusion_proofs.jsonl": b"\n".join(proofs) + b"\n",
        "consistency.json": json.dumps(consistency).encode(),
        "public_key.json": json.dumps({"key_id": key_id, "public_key": _b64(public_key)}).encode(),
    }
    manifest = {
        "format": FORMAT,
        "origin": latest.origin,
        "tree_size": latest.size,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in contents.items()},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
        archive.writestr("manifest.json", json.dumps(manifest, indent=1))
    return latest


@dataclass
class BundleReport:
    tree_size: int = 0
    records: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_bundle(path: Path, trusted_key: bytes) -> BundleReport:
    """Check a bundle with nothing but itself and the trusted public key."""
    report = BundleReport()
    try:
        with zipfile.ZipFile(path) as archive:
            files = {name: archive.read(name) for name in archive.namelist()}
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        report.problems.append(f"the bundle cannot be read ({type(exc).__name__})")
        return report
    try:
        _verify(files, trusted_key, report)
    except (ValueError, KeyError, TypeError) as exc:
        report.problems.append(f"the bundle is malformed ({type(exc).__name__})")
    return report


def _verify(files: dict[str, bytes], trusted_key: bytes, report: BundleReport) -> None:
    manifest = json.loads(files["manifest.json"])
    if manifest.get("format") != FORMAT:
        report.problems.append("manifest.json: not a Tutela audit bundle of a known format")
        return
    listed = manifest["files"]
    if set(listed) != set(_FILES) or set(files) != {*_FILES, "manifest.json"}:
        report.problems.append("the bundle's files do not match its manifest")
        return
    for name in _FILES:
        if hashlib.sha256(files[name]).hexdigest() != listed[name]:
            report.problems.append(f"{name}: checksum does not match the manifest")
    if report.problems:
        return
    key = json.loads(files["public_key.json"])
    if base64.b64decode(key["public_key"]) != trusted_key:
        report.problems.append("public_key.json: the bundle's key is not the trusted key")
        return
    trusted = {key["key_id"]: trusted_key}
    checkpoints = [Checkpoint.from_json(c) for c in json.loads(files["checkpoints.json"])]
    if not checkpoints:
        report.problems.append("checkpoints.json: no checkpoint")
        return
    latest = checkpoints[-1]
    report.tree_size = latest.size
    for checkpoint in checkpoints:
        problem = check_checkpoint(checkpoint, trusted, latest.origin)
        if problem is not None:
            report.problems.append(f"checkpoints.json: {problem.message}")
    if report.problems:
        return
    leaves: list[bytes] = []
    for line_number, line in enumerate(files["records.jsonl"].splitlines()):
        value = json.loads(line)
        if value.get("seq") != line_number:
            report.problems.append(f"records.jsonl: record {line_number} is out of place")
            return
        if value.get("pruned") is True:
            leaves.append(base64.b64decode(value["leaf"]))
        elif canonical_json(value) != line:
            report.problems.append(f"records.jsonl: record {line_number} is not canonical")
            return
        else:
            leaves.append(leaf_hash(line))
    report.records = len(leaves)
    tree = MerkleTree(leaves)
    for checkpoint in checkpoints:
        if checkpoint.size > tree.size or tree.root(checkpoint.size) != checkpoint.root:
            report.problems.append(
                f"records.jsonl: the records do not match the checkpoint at size {checkpoint.size}"
            )
            return
    proofs = [json.loads(line) for line in files["inclusion_proofs.jsonl"].splitlines()]
    if len(proofs) != tree.size:
        report.problems.append("inclusion_proofs.jsonl: not one proof per record")
    for entry in proofs:
        seq = entry["seq"]
        proof = [base64.b64decode(p) for p in entry["proof"]]
        if not 0 <= seq < tree.size or not verify_inclusion(
            seq, latest.size, leaves[seq], proof, latest.root
        ):
            report.problems.append(f"inclusion_proofs.jsonl: the proof of record {seq} fails")
            break
    consistency = json.loads(files["consistency.json"])
    if consistency:
        old = next((c for c in checkpoints if c.size == consistency["from_size"]), None)
        proof = [base64.b64decode(p) for p in consistency["proof"]]
        if old is None or not verify_consistency(
            old.size, latest.size, old.root, latest.root, proof
        ):
            report.problems.append("consistency.json: the consistency proof fails")
