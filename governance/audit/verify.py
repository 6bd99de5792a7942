"""Verify an audit log: recompute its Merkle tree from the stored records and hold it against
the signed checkpoints.

What it catches, and where it points:
- an edited record (its bytes no longer hash to the leaf written with it, or are not canonical
  JSON, or no longer carry their own sequence number): that record's index;
- a deleted, inserted or swapped record (a gap in the sequence, a record carrying another
  record's number): that index, or for a record pushed up by inserted ones, the first position
  they may hold;
- any change under a checkpoint, even with the leaf column rewritten to match: the checkpoint's
  root differs from the recomputed one; the first bad index lies after the last good one;
- a truncated tail (fewer records than a checkpoint covers) and a rollback to an older copy
  (the log is behind what the signer remembers signing, or differs from it);
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
    #            checkpoint-missing, signer-state-missing, bad-signature, unknown-key,
    #            wrong-origin, checkpoint-missing
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
    last_good = 0  # the first `last_good` records match a valid checkpoint
    mismatch: int | None = None  # the size of the first valid checkpoint they do not match
    broken_at: int | None = None  # where a gap makes every later position uncertain
    remembered_size = remembered[0] if remembered is not None else 0
    held_root: bytes | None = None  # the root of the first `remembered_size` records
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
            problem = _check_record(index, stored.record, leaf, stored.leaf, last_good)
            if problem is not None:
                report.problems.append(problem)
        builder.push(leaf)
        checkpoint = valid.get(builder.size)
        if checkpoint is not None and mismatch is None:
            if builder.root() == checkpoint.root:
                last_good = builder.size
            else:
                mismatch = builder.size
        if builder.size == remembered_size:
            held_root = builder.root()
    report.size = store.size()

    if mismatch is not None:
        inside = [
            p.index
            for p in report.problems
            if p.index is not None and last_good <= p.index < mismatch
        ]
        report.problems.append(
            Problem(
                "root-mismatch",
                min(inside, default=last_good),
                f"records {last_good} to {mismatch - 1} differ from the checkpoint signed at "
                f"size {mismatch}",
            )
        )
    elif broken_at is None:  # beyond a gap, the records are reported as missing
        beyond = [size for size in valid if size > builder.size]
        if beyond:
            report.problems.append(
                Problem(
                    "truncated",
                    builder.size,
                    f"a checkpoint covers {min(beyond)} records but the log holds {builder.size}",
                )
            )
    report.signed_size = last_good

    if remembered is not None and remembered_size == 0 and valid:
        report.problems.append(
            Problem(
                "signer-state-missing",
                None,
                "the log holds signed checkpoints but the signer remembers none: its state was "
                "deleted or replaced, so a rollback cannot be ruled out; restore it from backup",
            )
        )
    if remembered is not None and remembered_size > 0:
        root = remembered[1]
        known = valid.get(remembered_size)
        if known is None or known.root != root:
            if held_root == root:
                report.problems.append(
                    Problem(
                        "checkpoint-missing",
                        None,
                        f"the log has no valid checkpoint at size {remembered_size}, the last "
                        "one the signer signed; the records it covers are intact",
                    )
                )
            elif held_root is None:
                report.problems.append(
                    Problem(
                        "rollback",
                        builder.size,
                        f"the signer last signed {remembered_size} records, but the log holds "
                        f"{builder.size} in sequence: it was rolled back or truncated",
                    )
                )
            else:
                report.problems.append(
                    Problem(
                        "rollback",
                        last_good,
                        f"records {last_good} to {remembered_size - 1} are not those the signer "
                        "last signed: the log was rolled back or replaced",
                    )
                )
    return report


def _check_record(
    index: int, record: bytes, leaf: bytes, stored_leaf: bytes, last_good: int
) -> Problem | None:
    if leaf != stored_leaf:
        return Problem("edited", index, f"record {index} does not match its leaf hash")
    try:
        value = json.loads(record)
    except ValueError:
        return Problem("malformed", index, f"record {index} is not JSON")
    claimed = value.get("seq") if isinstance(value, dict) else None
    if not isinstance(claimed, int):
        return Problem("misplaced", index, f"record {index} carries no sequence number")
    if claimed < index:
        # Pushed up by records inserted before it, after the last good checkpoint: the first
        # of them may sit where this record was.
        return Problem(
            "misplaced",
            max(claimed, last_good),
            f"record {index} carries sequence number {claimed}: records were inserted before it",
        )
    if claimed > index:
        return Problem("misplaced", index, f"record {index} carries sequence number {claimed}")
    if canonical_json(value) != record:
        return Problem("edited", index, f"record {index} is not in canonical form")
    return None
