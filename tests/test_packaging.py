"""The three root folders map to one import package, in editable and in normal installs."""

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ROOTS = {"sdk": "tutela", "governance": "tutela.governance", "domains": "tutela.domains"}


def discovered_packages() -> set[str]:
    found = set()
    for folder, package in ROOTS.items():
        for init in (REPO / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(REPO / folder).parts
            found.add(".".join((package, *parts)))
    return found


def test_every_package_folder_is_listed_in_pyproject() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert set(config["packages"]) == discovered_packages()
    assert config["package-dir"] == {package: folder for folder, package in ROOTS.items()}


def test_imports_resolve_to_the_root_folders() -> None:
    import tutela
    import tutela.domains
    import tutela.governance

    assert Path(tutela.__file__).parent == REPO / "sdk"
    assert Path(tutela.governance.__file__).parent == REPO / "governance"
    assert Path(tutela.domains.__file__).parent == REPO / "domains"


@pytest.mark.slow
def test_wheel_holds_every_package(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(tmp_path.glob("tutela-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in discovered_packages():
        assert package.replace(".", "/") + "/__init__.py" in names
    assert "tutela/runtime/torch_backend.py" in names
