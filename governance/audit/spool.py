"""The buffer for records the audit store could not take (setting `audit_on_failure: buffer`).

Events hold no personal data, so they wait as JSON lines in a private file; the next record
that is written drains them into the log first, followed by an `alert` record saying how many
were buffered and since when. Without this setting a call whose record cannot be written is
refused.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from filelock import FileLock

from tutela.governance.audit.records import AuditEvent, utc_now


class Spool:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = FileLock(str(path) + ".lock")

    def put(self, event: AuditEvent) -> None:
        line = json.dumps({"buffered_at": utc_now(), "event": event.model_dump(mode="json")})
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
                handle.write(line + "\n")
                handle.flush()
                os.fsync(handle.fileno())

    def pending(self) -> bool:
        return self.path.exists() and self.path.stat().st_size > 0

    def drain(self, write) -> tuple[int, str | None]:
        """Pass every buffered event to `write`, oldest first, removing each once written;
        returns how many and when the first was buffered."""
        with self._lock:
            if not self.pending():
                return 0, None
            entries = [json.loads(line) for line in self.path.read_text().splitlines() if line]
            for done, entry in enumerate(entries):
                event = AuditEvent.model_validate(entry["event"])
                details = {**event.details, "buffered_at": entry["buffered_at"]}
                try:
                    write(event.model_copy(update={"details": details}))
                except BaseException:
                    self._keep(entries[done:])
                    raise
            self.path.unlink()
            return len(entries), entries[0]["buffered_at"] if entries else None

    def _keep(self, entries: list[dict]) -> None:
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text("".join(json.dumps(e) + "\n" for e in entries))
        temporary.chmod(0o600)
        temporary.replace(self.path)
