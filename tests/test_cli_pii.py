"""`tutela redact` and `tutela eval pii`, run as a user runs them."""

import json
import subprocess
import sys
from pathlib import Path

TUTELA = Path(sys.executable).with_name("tutela")


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(TUTELA), *args], input=stdin, capture_output=True, timeout=300)


def test_redact_json_gives_offsets_into_the_input() -> None:
    text = "Hi, I'm Maria Gonzalez, card 4111 1111 1111 1111, email maria@example.com."
    result = run("redact", "--json", stdin=text.encode())
    assert result.returncode == 0, result.stderr.decode()
    report = json.loads(result.stdout)
    assert "Maria" not in report["text"] and "maria@example.com" not in report["text"]
    found = {e["type"]: text[e["start"] : e["end"]] for e in report["entities"]}
    assert found["CREDIT_CARD"] == "4111 1111 1111 1111"
    assert found["EMAIL_ADDRESS"] == "maria@example.com"
    assert "Gonzalez" in found["PERSON"]
    assert all(e["token"] in report["text"] for e in report["entities"])


def test_redact_handles_invalid_utf8_and_profiles() -> None:
    result = run("redact", "--profile", "pci", stdin=b"card 4111-1111-1111-1111 CVV 123 \xff\xfe")
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "4111-11**-****-1111" in out and "123" not in out and "\ufffd" in out


def test_redact_rejects_an_unknown_profile() -> None:
    result = run("redact", "--profile", "nope", stdin=b"x")
    assert result.returncode == 1
    assert "unknown PII profile" in result.stderr.decode()


def test_eval_pii_reports_both_systems() -> None:
    result = run("eval", "pii", "--split", "dev", "--limit", "400", "--json")
    assert result.returncode == 0, result.stderr.decode()
    report = json.loads(result.stdout)
    assert report["texts"] == 400
    overall = report["rows"][-1]
    assert overall["entity"] == "ALL" and overall["labelled"] > 900
    assert overall["tutela"]["leak_rate"] < overall["presidio"]["leak_rate"]
    assert overall["tutela"]["recall"] > overall["presidio"]["recall"]
