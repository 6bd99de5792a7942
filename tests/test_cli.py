"""The `tutela` command, run as a user runs it: a real process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TUTELA = str(Path(sys.executable).with_name("tutela"))


def tutela(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [TUTELA, *args], capture_output=True, text=True, timeout=timeout, env=dict(os.environ)
    )


def test_help_lists_the_commands() -> None:
    result = tutela("--help")
    assert result.returncode == 0
    for command in ("init", "ask", "models", "demo"):
        assert command in result.stdout


def test_models_shows_backends_and_the_active_one() -> None:
    result = tutela("--backend", "openai", "models")
    assert result.returncode == 0, result.stderr
    assert "torch" in result.stdout and "llamacpp" in result.stdout
    assert "tutela[llamacpp]" in result.stdout.replace("\n", "")
    active = next(line for line in result.stdout.splitlines() if "▶" in line)
    assert "openai" in active


def test_init_creates_home_and_settings_file(tmp_path: Path) -> None:
    home = tmp_path / "fresh"
    result = tutela("--home", str(home), "init")
    assert result.returncode == 0, result.stderr
    assert (home / "config.yaml").is_file()
    assert oct(home.stat().st_mode & 0o777) == "0o700"


def test_empty_question_is_a_clear_error() -> None:
    result = tutela("ask", "  ")
    assert result.returncode == 1
    assert "InputError" in result.stderr and "empty" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_backend_names_the_choices() -> None:
    result = tutela("--backend", "tensorflow", "ask", "hello")
    assert result.returncode == 1
    assert "ConfigError" in result.stderr and "backend" in result.stderr


def test_unknown_model_path_names_the_fix() -> None:
    result = tutela("--model", "/no/such/model", "ask", "hello")
    assert result.returncode == 1
    assert "ModelError" in result.stderr and "TUTELA_MODEL" in result.stderr


def test_unreachable_engine_names_the_fix() -> None:
    result = tutela("--backend", "openai", "ask", "hello", timeout=60)
    assert result.returncode == 1
    assert "TUTELA_OPENAI_BASE_URL" in result.stderr


@pytest.mark.slow
def test_ask_json_returns_a_model_answer_with_usage() -> None:
    result = tutela("ask", "--json", "--max-tokens", "32", "What is diversification?")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["text"].strip()
    assert answer["model"] == "smollm2-135m-instruct"
    assert answer["finish_reason"] in ("stop", "length")
    assert answer["usage"]["completion_tokens"] > 0
    assert answer["usage"]["total_tokens"] == (
        answer["usage"]["prompt_tokens"] + answer["usage"]["completion_tokens"]
    )


@pytest.mark.slow
def test_ask_streams_text_to_the_terminal() -> None:
    result = tutela("ask", "--max-tokens", "12", "What is a bond?")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert "smollm2-135m-instruct on torch" in result.stderr


def test_keys_and_subjects_commands(tmp_path: Path) -> None:
    home = str(tmp_path / "h")
    assert tutela("--home", home, "init").returncode == 0
    secret_file = Path(os.environ["TUTELA_MASTER_SECRET_FILE"])
    assert oct(secret_file.stat().st_mode & 0o777) == "0o600"
    assert not secret_file.resolve().is_relative_to(Path(home).resolve())

    status = tutela("--home", home, "keys", "status")
    assert status.returncode == 0, status.stderr
    assert "current" in status.stdout
    rotated = tutela("--home", home, "keys", "rotate")
    assert "KEK version 2 is current" in rotated.stdout

    held = tutela("--home", home, "subjects", "hold", "--subject", "p-1", "--reason", "case 7")
    assert held.returncode == 0, held.stderr
    refused = tutela("--home", home, "subjects", "erase", "--subject", "p-1")
    assert refused.returncode == 1 and "LegalHoldError" in refused.stderr
    assert tutela("--home", home, "subjects", "release", "--subject", "p-1").returncode == 0
    erased = tutela("--home", home, "subjects", "erase", "--subject", "p-1")
    assert erased.returncode == 0 and "Nothing to erase" in erased.stdout

    # Each of these is in the audit trail, without the subject's id.
    found = tutela("--home", home, "audit", "search", "--json")
    events = [json.loads(line) for line in found.stdout.splitlines()]
    kinds = [
        (e["event_type"], e["resource"], e["details"].get("action"))
        for e in events
        if e["event_type"] not in ("log_start", "log_stop")
    ]
    assert kinds == [
        ("key_rotation", "keystore", None),
        ("legal_hold", "subject", "placed"),
        ("subject_erasure", "subject", None),  # refused under the hold: outcome denied
        ("legal_hold", "subject", "released"),
        ("subject_erasure", "subject", None),
    ]
    assert [e["outcome"] for e in events if e["event_type"] == "subject_erasure"] == [
        "denied",
        "success",
    ]
    assert "p-1" not in found.stdout


def test_wrong_master_secret_is_a_clear_cli_error(tmp_path: Path) -> None:
    home = str(tmp_path / "h")
    assert tutela("--home", home, "init").returncode == 0
    Path(os.environ["TUTELA_MASTER_SECRET_FILE"]).write_text("another secret\n")
    result = tutela("--home", home, "keys", "status")
    assert result.returncode == 1
    assert "MasterSecretError" in result.stderr and "Traceback" not in result.stderr
