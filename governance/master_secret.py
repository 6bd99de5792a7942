"""The master secret that opens the local keystore.

It comes from `TUTELA_MASTER_SECRET` (a passphrase or random key, ideally injected by a secret
manager) or from a key file kept outside the data directory (`master_secret_file`, by default
`~/.config/tutela/master.key`, mode 0600). `tutela init` creates that file when neither exists.
A production deployment should use an external secret or a KMS-backed provider instead: a key
file on the same disk as the data protects against a copied data directory, not a stolen disk.
"""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

from tutela.errors import MasterSecretError
from tutela.settings import Settings


def load_master_secret(settings: Settings) -> bytes:
    if settings.master_secret is not None:
        return settings.master_secret.get_secret_value().encode("utf-8")
    path = settings.master_secret_file
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise MasterSecretError(
            "no master secret is configured: run `tutela init` to create a key file, or set "
            "TUTELA_MASTER_SECRET"
        ) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise MasterSecretError(
            f"the master key file {path} is readable by other users: run `chmod 600 {path}`"
        )
    secret = path.read_bytes().strip()
    if not secret:
        raise MasterSecretError(f"the master key file {path} is empty: restore it")
    return secret


def create_master_key_file(settings: Settings) -> Path | None:
    """Create a random master key file unless a secret is configured; return its path if new."""
    path = settings.master_secret_file
    if settings.master_secret is not None or path.exists():
        return None
    home = settings.home.resolve()
    if path.resolve().is_relative_to(home):
        raise MasterSecretError(
            f"the master key file {path} would be inside the data directory {home}, next to the "
            "data it protects: set TUTELA_MASTER_SECRET_FILE elsewhere"
        )
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(base64.b64encode(os.urandom(32)) + b"\n")
    return path
