"""Stop sequences for local decoders, applied safely to streamed text.

Text is released only once it can no longer turn into a stop sequence: the scanner holds back
the longest tail that is still a prefix of some stop string, so a stream never shows the start
of a stop sequence that the non-streaming answer would have cut.
"""

from __future__ import annotations


class StopScanner:
    def __init__(self, stops: tuple[str, ...]) -> None:
        self._stops = stops
        self._held = ""
        self.stopped = False

    def push(self, text: str) -> str:
        """Add generated text; return the part that is safe to emit."""
        if self.stopped:
            return ""
        buffer = self._held + text
        cut = min((i for i in (buffer.find(s) for s in self._stops) if i >= 0), default=-1)
        if cut >= 0:
            self.stopped = True
            self._held = ""
            return buffer[:cut]
        keep = self._longest_pending_prefix(buffer)
        self._held = buffer[len(buffer) - keep :]
        return buffer[: len(buffer) - keep]

    def flush(self) -> str:
        """Release what was held back once generation ended without a stop sequence."""
        held, self._held = self._held, ""
        return "" if self.stopped else held

    def _longest_pending_prefix(self, buffer: str) -> int:
        best = 0
        for stop in self._stops:
            for size in range(min(len(stop) - 1, len(buffer)), best, -1):
                if buffer.endswith(stop[:size]):
                    best = size
                    break
        return best
