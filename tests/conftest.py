"""Shared fixtures: isolated settings, one real model per test session, a real OpenAI server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parent.parent
# Converted weights are shared by every test run on this checkout (the conversion takes a
# minute); each test still gets its own data directory.
MODEL_CACHE = REPO / ".tutela-test" / "models"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("TUTELA_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("TUTELA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TUTELA_MODEL_CACHE", str(MODEL_CACHE))
    monkeypatch.setenv("TUTELA_MASTER_SECRET_FILE", str(tmp_path / "secrets" / "master.key"))


@pytest.fixture(scope="session")
def torch_backend():
    from tutela.runtime.torch_backend import TorchBackend
    from tutela.settings import Settings

    settings = Settings(model_cache=MODEL_CACHE, home=MODEL_CACHE.parent / "home")
    backend = TorchBackend(settings, show_progress=False)
    yield backend
    backend.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_server(
    command: list[str], ready_url: str, what: str, log_path: Path, *, timeout: float, env=None
) -> Iterator[None]:
    """Start a server process, wait until `ready_url` answers 200, stop it afterwards."""
    log = log_path.open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                pytest.fail(f"{what} exited with {process.returncode}: see {log_path}")
            try:
                if httpx.get(ready_url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"{what} did not start in {timeout:.0f} s: see {log_path}")
            time.sleep(0.25)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def openai_server(torch_backend) -> Iterator[str]:
    """`transformers serve` on loopback, serving the same converted model: a real engine."""
    serve = Path(sys.executable).with_name("transformers")
    if not serve.exists():
        pytest.fail("transformers[serving] is not installed: run `make test` to install it")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    with running_server(
        [
            str(serve),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            str(torch_backend.folder),
        ],
        f"{base_url}/models",
        "transformers serve",
        MODEL_CACHE.parent / "serve.log",
        timeout=180,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"},
    ):
        yield base_url


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`chroma run` on loopback with its own folder; yields its URL."""
    executable = Path(sys.executable).with_name("chroma")
    if not executable.exists():
        pytest.fail("the chroma command is not installed next to the Python interpreter")
    port = free_port()
    folder = tmp_path_factory.mktemp("chroma-server")
    url = f"http://127.0.0.1:{port}"
    with running_server(
        [str(executable), "run", "--path", str(folder / "data"), "--host", "127.0.0.1"]
        + ["--port", str(port)],
        f"{url}/api/v2/heartbeat",
        "chroma run",
        folder / "server.log",
        timeout=60,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    ):
        yield url


@pytest.fixture(scope="session")
def openai_backend(openai_server: str):
    from tutela.runtime.openai_backend import OpenAIBackend
    from tutela.settings import Settings

    backend = OpenAIBackend(Settings(backend="openai", openai_base_url=openai_server))
    yield backend
    backend.close()


@pytest.fixture(scope="session")
def llamacpp_backend():
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed (extra: llamacpp)")
    from tutela.runtime.llamacpp_backend import LlamaCppBackend
    from tutela.settings import Settings

    backend = LlamaCppBackend(Settings(backend="llamacpp"))
    yield backend
    backend.close()


@pytest.fixture(scope="session")
def tutela_app(torch_backend):
    """A Tutela on the session's torch backend, with its own data directory."""
    from tutela import Tutela
    from tutela.settings import Settings

    home = MODEL_CACHE.parent / "session-home"
    shutil.rmtree(home, ignore_errors=True)
    settings = Settings(home=home, model_cache=MODEL_CACHE, master_secret="session-test-secret")
    return Tutela(settings, torch_backend)


@pytest.fixture(scope="session")
def pii_detector():
    """One PII detector per test session: loading spaCy takes seconds."""
    from tutela.governance.pii.detector import PiiDetector

    return PiiDetector()


@pytest.fixture(scope="session")
def pdp():
    """The decision point on the built-in policy packs (no break-glass verifier)."""
    from tutela.domain import policy_packs
    from tutela.governance.access.cedar_engine import CedarDecisionPoint

    return CedarDecisionPoint(policy_packs())


@pytest.fixture
def audit_stage(tmp_path: Path):
    """A real audit stage: a Merkle log in SQLite with its own keystore and signer."""
    from tutela.governance.audit.checkpoints import CheckpointSigner
    from tutela.governance.audit.log import AuditLog
    from tutela.governance.audit.store import SqliteAuditStore
    from tutela.governance.keyring import KeyRing
    from tutela.governance.signing import LocalSigner
    from tutela.pipeline.audit import AuditStage
    from tutela.settings import Settings

    settings = Settings(home=tmp_path / "audit-home", master_secret="audit-stage-secret")
    keyring = KeyRing.open(settings, create=True)
    folder = settings.keys_dir / "signing"
    signer = CheckpointSigner(
        LocalSigner.open(keyring, folder, "audit"), keyring, folder / "state", "tutela-test"
    )
    store = SqliteAuditStore(settings.audit_file)
    log = AuditLog(store, signer, sdk_version="test")
    yield AuditStage(log, lambda tenant, value: keyring.blind_index(tenant, "ref", value), "python")
    store.close()
    keyring.close()


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    @property
    def out(self) -> str:
        """stdout with Rich's line wrapping undone."""
        return " ".join(self.stdout.split())

    @property
    def err(self) -> str:
        return " ".join(self.stderr.split())


@pytest.fixture
def cli_in_process(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    """`tutela ...` through its entry point, in this process: exit code, stdout, stderr."""
    from tutela.cli import main

    monkeypatch.setenv("COLUMNS", "250")  # wide enough that Rich tables do not wrap cells

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["tutela", *args])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
