"""Access control as one object: the decision point, the user directory and break-glass."""

from __future__ import annotations

from dataclasses import dataclass

from tutela.governance.access.break_glass import BreakGlass
from tutela.governance.access.cedar_engine import CedarDecisionPoint
from tutela.governance.access.directory import UserDirectory
from tutela.governance.access.packs import PolicyPack
from tutela.governance.keyring import KeyRing
from tutela.governance.signing import LocalSigner
from tutela.settings import Settings


@dataclass
class AccessControl:
    pdp: CedarDecisionPoint
    directory: UserDirectory
    break_glass: BreakGlass

    @classmethod
    def open(cls, settings: Settings, keyring: KeyRing, packs: list[PolicyPack]) -> AccessControl:
        """Validate the policies of `packs` (a bad policy refuses to start: `PolicyError`), then
        open the directory and the break-glass store."""
        signer = LocalSigner.open(keyring, settings.keys_dir / "signing", "break-glass")
        break_glass = BreakGlass(settings.access_file, keyring, signer)
        try:
            pdp = CedarDecisionPoint(packs, grants=break_glass)
            directory = UserDirectory(settings.access_file, pdp.vocabulary.roles)
        except BaseException:
            break_glass.close()
            raise
        return cls(pdp, directory, break_glass)

    def close(self) -> None:
        self.directory.close()
        self.break_glass.close()
