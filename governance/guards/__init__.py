"""Guards on the text that enters a prompt: `InjectionScreen` drops retrieved chunks that carry
instructions for the model (indirect prompt injection)."""

from __future__ import annotations

from tutela.governance.guards.injection import RULES, InjectionScreen, Screening, normalize

__all__ = ["RULES", "InjectionScreen", "Screening", "normalize"]
