"""Verify an audit log: recompute its Merkle tree from the stored records and hold it against
the signed checkpoints.

What it catches, and where it points:
- an edited record (its bytes no longer hash to the leaf written with it, or are not canonical
  JSON, or no longer carry their own sequence number): that record's index;
- a deleted, inserted or swapped record (a gap in the sequence, a record carrying another
  record's number): that index;
- any change under a checkpoint, even with the leaf column rewritten to match: the checkpoint's
  root differs from the recomputed one; the first bad index lies after the last good one;
- a truncated tail (fewer records than a checkpoint covers) and a rollback to an older copy
  (the log is behind what the signer remembers signing);
- a forged checkpoint or one signed by an unknown key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from tutela.governance.audit.merkle import RootBuilder, leaf_hash
from tutela.governance.audit.records import canonical_json
from tutela.governance.audit.store import AuditStore, Checkpoint
from tutela.governance.signing import verify_signature


@dataclass(frozen=True)
class Problem:
    kind: str  # edited, missing, misplaced, malformed, root-mismatch, truncated, rollback,
    #            bad-signature, unknown-key, wrong-origin
    index: int | None  # the first record concerned, where known
    message: str


@dataclass
class VerifyReport:
    size: int = 0
    checkpoints: int = 0
    signed_size: int = 0  # records covered by a valid checkpoint
    pruned: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_bad_index(self) -> int | None:
        indexes = [p.index for p in self.problems if p.index is not None]
        return min(indexes) if indexes else None

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "size": self.size,
            "checkpoints": self.checkpoints,
            "signed_size": self.signed_size,
            "unsigned_tail": self.size - self.signed_size if self.ok else None,
            "pruned": self.pruned,
            "first_bad_index": self.first_bad_index,
            "problems": [p.__dict__ for p in self.problems],
        }


def check_checkpoint(
    checkpoint: Checkpoint, trusted_keys: dict[str, bytes], origin: str
) -> Problem | None:
    """Whether a checkpoint is signed by a trusted key for this log."""
    if checkpoint.origin != origin:
        return Problem(
            "wrong-origin", None, f"checkpoint at size {checkpoint.size} is for another log"
        )
    key = trusted_keys.get(checkpoint.key_id)
    if key is None:
        return Problem(
            "unknown-key",
            None,
            f"checkpoint at size {checkpoint.size} is signed by unknown key {checkpoint.key_id}",
        )
    if not verify_signature(key, checkpoint.signed_text(), checkpoint.signature):
        return Problem(
            "bad-signature", None, f"checkpoint at size {checkpoint.size} has a forged signature"
        )
    return None


def verify_log(
    store: AuditStore,
    trusted_keys: dict[str, bytes],
    origin: str,
    *,
    remembered: tuple[int, bytes] | None = None,
) -> VerifyReport:
    """Verify every record and checkpoint. `remembered` is the (size, root) the signer last
    signed, kept apart from the store, to catch a rollback of the whole store."""
    report = VerifyReport()
    checkpoints = store.checkpoints()
    report.checkpoints = len(checkpoints)
    valid: dict[int, Checkpoint] = {}
    for checkpoint in checkpoints:
        problem = check_checkpoint(checkpoint, trusted_keys, origin)
        if problem is None:
            valid[checkpoint.size] = checkpoint
        else:
            report.problems.append(problem)

    builder = RootBuilder()
    last_good = 0
    broken_at: int | None = None  # where a gap makes every later position uncertain
    roots: dict[int, bytes] = {}
    for stored in store.records():
        index = builder.size
        if stored.seq != index:
            report.problems.append(
                Problem("missing", index, f"records {index} to {stored.seq - 1} are missing")
            )
            broken_at = index
            break
        if stored.record is None:
            report.pruned += 1
            leaf = stored.leaf
        else:
            leaf = leaf_hash(stored.record)
            problem = _check_record(index, stored.record, leaf, stored.leaf)
            if problem is not None:
                report.problems.append(problem)
        builder.push(leaf)
        if builder.size in valid:
            roots[builder.size] = builder.root()
    report.size = store.size()

    for size, checkpoint in sorted(valid.items()):
        if broken_at is not None and size > broken_at:
            break  # reported as missing records
        if size > report.size or size not in roots:
            report.problems.append(
                Problem(
                    "truncated",
                    min(report.size, builder.size),
                    f"a checkpoint covers {size} records but the log holds {report.size}",
                )
            )
            break
        if roots[size] != checkpoint.root:
            inside = [
                p.index
                for p in report.problems
                if p.index is not None and last_good <= p.index < size
            ]
            report.problems.append(
                Problem(
                    "root-mismatch",
                    min(inside, default=last_good),
                    f"records {last_good} to {size - 1} differ from the checkpoint signed at "
                    f"size {size}",
                )
            )
            break
        last_good = size
    report.signed_size = last_good

    if remembered is not None and remembered[0] > 0:
        size, root = remembered
        known = valid.get(size)
        if size > report.size or known is None or known.root != root:
            report.problems.append(
                Problem(
                    "rollback",
                    min(size, report.size),
                    f"the signer last signed {size} records, but this log does not hold that "
                    "checkpoint: it was rolled back, truncated or replaced",
                )
            )
    return report


def _check_record(index: int, record: bytes, leaf: bytes, stored_leaf: bytes) -> Problem | None:
    if leaf != stored_leaf:
        return Problem("edited", index, f"record {index} does not match its leaf hash")
    try:
        value = json.loads(record)
    except ValueError:
        return Problem("malformed", index, f"record {index} is not JSON")
    if not isinstance(value, dict) or value.get("seq") != index:
        return Problem("misplaced", index, f"record {index} carries another sequence number")
    if canonical_json(value) != record:
        return Problem("edited", index, f"record {index} is not in canonical form")
    return None
