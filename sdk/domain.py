"""Domains: the general assistant built in, and adapters found under `tutela.domains`.

A domain adapter is a module `tutela.domains.<name>` exposing `DOMAIN`, a `Domain`: its system
prompt, the data class of its working data and its policy pack. The core finds adapters by
name only, so dependencies keep pointing from domains to the core.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tutela.errors import InputError
from tutela.governance.access.packs import CORE_PACK, PolicyPack, load_pack

GENERAL_PROMPT = (
    "You are Tutela, a careful assistant. Answer the question plainly and briefly. "
    "If you do not know, say so."
)


@dataclass(frozen=True)
class Domain:
    name: str
    system_prompt: str
    data_class: str  # the class of the data its calls work on, for access policies
    policies: Path | None = None  # the domain's policy pack folder


GENERAL = Domain("general", GENERAL_PROMPT, data_class="general")


def installed_domains() -> list[str]:
    import tutela.domains

    adapters = [m.name for m in pkgutil.iter_modules(tutela.domains.__path__) if m.ispkg]
    return ["general", *sorted(adapters)]


def load_domain(name: str) -> Domain:
    """The domain called `name`; an unknown name is an `InputError` listing the known ones."""
    if name == GENERAL.name:
        return GENERAL
    if re.fullmatch(r"[a-z][a-z0-9_]{0,63}", name) and name in installed_domains():
        module = importlib.import_module(f"tutela.domains.{name}")
        domain = getattr(module, "DOMAIN", None)
        if isinstance(domain, Domain):
            return domain
    raise InputError(f"unknown domain {name!r}: choose one of {', '.join(installed_domains())}")


def policy_packs(extra: Sequence[Path] = ()) -> list[PolicyPack]:
    """The core policy pack, every installed domain's pack, then the `extra` pack folders."""
    folders = [CORE_PACK]
    for name in installed_domains():
        folder = load_domain(name).policies
        if folder is not None:
            folders.append(folder)
    return [load_pack(folder) for folder in [*folders, *extra]]
