"""Policy packs: a folder holding `pack.yaml` (the roles, purposes of use and data classes it
declares) and `.cedar` policy files.

The core pack ships with Tutela (`governance/access/core/`); each domain ships its own under
`domains/<domain>/policies/`; deployments add theirs with the `policy_packs` setting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from tutela.errors import PolicyError

CORE_PACK = Path(__file__).parent / "core"
_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
_PURPOSE = re.compile(r"[A-Z][A-Z0-9_]{1,31}")
_SECTIONS = ("roles", "purposes", "data_classes")
_SINGULAR = {"roles": "role", "purposes": "purpose", "data_classes": "data class"}


@dataclass(frozen=True)
class PolicyFile:
    path: Path
    text: str


@dataclass(frozen=True)
class PolicyPack:
    name: str
    description: str
    roles: dict[str, str]
    purposes: dict[str, str]
    data_classes: dict[str, str]
    policies: tuple[PolicyFile, ...]


def load_pack(folder: Path) -> PolicyPack:
    """Read a pack; a missing or malformed `pack.yaml` is a `PolicyError` naming the file."""
    manifest = folder / "pack.yaml"
    try:
        data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyError(f"{manifest} is missing: every policy pack folder needs one") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PolicyError(f"{manifest} cannot be read ({type(exc).__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise PolicyError(f"{manifest} must be a mapping with at least a `name`")
    unknown = set(data) - {"name", "description", *_SECTIONS}
    if unknown:
        raise PolicyError(f"{manifest}: unknown keys {', '.join(sorted(unknown))}")
    sections = {}
    for section in _SECTIONS:
        entries = data.get(section) or {}
        pattern = _PURPOSE if section == "purposes" else _NAME
        if not isinstance(entries, dict) or not all(
            isinstance(k, str) and pattern.fullmatch(k) and isinstance(v, str)
            for k, v in entries.items()
        ):
            raise PolicyError(
                f"{manifest}: `{section}` must map names ({pattern.pattern}) to descriptions"
            )
        sections[section] = dict(entries)
    try:
        policies = tuple(
            PolicyFile(path, path.read_text(encoding="utf-8"))
            for path in sorted(folder.glob("*.cedar"))
        )
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(
            f"a policy file in {folder} cannot be read ({type(exc).__name__})"
        ) from None
    return PolicyPack(
        name=data["name"],
        description=str(data.get("description", "")),
        roles=sections["roles"],
        purposes=sections["purposes"],
        data_classes=sections["data_classes"],
        policies=policies,
    )


@dataclass(frozen=True)
class Vocabulary:
    """What the loaded packs declare together, with the pack that declared each name."""

    roles: dict[str, str]
    purposes: dict[str, str]
    data_classes: dict[str, str]

    @classmethod
    def of(cls, packs: list[PolicyPack]) -> Vocabulary:
        merged: dict[str, dict[str, str]] = {s: {} for s in _SECTIONS}
        for pack in packs:
            for section in _SECTIONS:
                for name in getattr(pack, section):
                    if name in merged[section]:
                        raise PolicyError(
                            f"{_SINGULAR[section]} {name!r} is declared by both "
                            f"{merged[section][name]!r} and {pack.name!r} packs: declare it once"
                        )
                    merged[section][name] = pack.name
        return cls(**merged)
