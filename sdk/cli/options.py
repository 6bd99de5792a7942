"""What every command shares: the global options and the consoles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import typer
from rich.console import Console

from tutela.api import Tutela
from tutela.settings import Settings

console = Console()
console_err = Console(stderr=True)


@dataclass(frozen=True)
class GlobalOptions:
    home: Path | None = None
    backend: str | None = None
    model: str | None = None

    def overrides(self) -> dict[str, str]:
        return {k: v for k, v in (("backend", self.backend), ("model", self.model)) if v}

    def settings(self) -> Settings:
        return Settings.load(self.home, **self.overrides())

    def open(self, *, defer_model: bool = False) -> Tutela:
        return Tutela.open(self.home, origin="cli", defer_model=defer_model, **self.overrides())


def global_options(ctx: typer.Context) -> GlobalOptions:
    return ctx.obj if isinstance(ctx.obj, GlobalOptions) else GlobalOptions()
