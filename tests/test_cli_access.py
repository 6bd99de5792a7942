"""`tutela users`, `tutela break-glass`, `tutela policies` and `tutela ask --as`, run through
the command's entry point (`tutela.cli.main`) in this process, so a scripted backend can stand
in for the model. Errors exit 1 with a one-line message, as in a real shell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CliResult
from test_pii_pipeline import ScriptedBackend, says


@pytest.fixture
def tutela(cli_in_process):
    return cli_in_process


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> ScriptedBackend:
    """The model of every `tutela ask` in the test: it answers "Noted." and records requests."""
    scripted = ScriptedBackend(says("Noted."))
    monkeypatch.setattr("tutela.api.load_backend", lambda settings, show_progress=True: scripted)
    return scripted


@pytest.fixture
def home(tutela, tmp_path: Path) -> Path:
    """A data directory set up by `tutela init` (the keystore break-glass grants need)."""
    result = tutela("--backend", "openai", "init")
    assert result.code == 0, result.stderr
    home = tmp_path / "home"  # TUTELA_HOME, set by conftest
    assert f"Tutela is set up in {home}" in result.out
    assert (home / "keys").is_dir()
    return home


def ok(result: CliResult) -> CliResult:
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def failed(result: CliResult, *fragments: str) -> CliResult:
    assert result.code == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.err, result.err
    return result


# -- users ------------------------------------------------------------------------------------


def test_users_add_list_grant_revoke_remove(tutela) -> None:
    added = ok(
        tutela(
            "users",
            "add",
            "alice",
            "--role",
            "clinician",
            "--group",
            "ward-3",
            "--attr",
            "ward=3",
        )
    )
    assert "Added alice to tenant default with roles: clinician." in added.out
    ok(tutela("users", "add", "bob", "--role", "billing", "--role", "patient", "--tenant", "acme"))

    listed = json.loads(ok(tutela("users", "list", "--json")).stdout)
    assert listed == [
        {
            "tenant": "acme",
            "user": "bob",
            "roles": ["billing", "patient"],
            "groups": [],
            "attributes": {},
        },
        {
            "tenant": "default",
            "user": "alice",
            "roles": ["clinician"],
            "groups": ["ward-3"],
            "attributes": {"ward": "3"},
        },
    ]
    only_acme = json.loads(ok(tutela("users", "list", "--tenant", "acme", "--json")).stdout)
    assert [u["user"] for u in only_acme] == ["bob"]
    table = ok(tutela("users", "list")).out
    assert "alice" in table and "ward=3" in table and "billing, patient" in table

    assert (
        "alice now holds: auditor, clinician."
        in ok(tutela("users", "grant", "alice", "auditor")).out
    )
    assert "alice now holds: auditor." in ok(tutela("users", "revoke", "alice", "clinician")).out
    failed(tutela("users", "revoke", "alice", "auditor"), "InputError", "last role")
    failed(tutela("users", "revoke", "alice", "billing"), "does not hold role 'billing'")

    removed = ok(tutela("users", "remove", "bob", "--tenant", "acme"))
    assert "Removed bob from tenant acme." in removed.out
    failed(tutela("users", "remove", "bob", "--tenant", "acme"), "no user 'bob' in tenant 'acme'")
    assert [u["user"] for u in json.loads(ok(tutela("users", "list", "--json")).stdout)] == [
        "alice"
    ]


def test_users_add_refuses_unknown_roles_duplicates_and_bad_attributes(tutela) -> None:
    failed(
        tutela("users", "add", "carol", "--role", "nurse"),
        "InputError: unknown role 'nurse': roles are declared by policy packs",
        "clinician",
    )
    failed(tutela("users", "grant", "carol", "patient"), "no user 'carol'")
    failed(tutela("users", "add", "carol", "--role", "patient", "--attr", "ward"), "key=value")
    assert json.loads(ok(tutela("users", "list", "--json")).stdout) == []

    ok(tutela("users", "add", "carol", "--role", "patient"))
    failed(tutela("users", "add", "carol", "--role", "patient"), "already exists")
    failed(tutela("users", "grant", "carol", "surgeon"), "unknown role 'surgeon'")


# -- break-glass ------------------------------------------------------------------------------


def test_break_glass_issues_a_grant(tutela, home: Path) -> None:
    ok(tutela("users", "add", "dr-grey", "--role", "clinician"))
    issued = ok(
        tutela("break-glass", "--as", "dr-grey", "--reason", "cardiac arrest", "--ttl", "15m")
    )
    assert "Break-glass grant for dr-grey" in issued.err
    assert "purpose ETREAT, 15 min" in issued.err
    token = issued.out.strip()  # the grant alone on stdout, for scripts
    assert token.startswith("bg1.") and token.count(".") == 2
    assert "cardiac" not in token

    failed(tutela("break-glass", "--as", "dr-grey"), "needs --as USER and --reason TEXT")
    failed(tutela("break-glass", "--as", "dr-grey", "--reason", "x", "--ttl", "9h"), "8h")
    failed(tutela("break-glass", "--as", "dr-grey", "--reason", "x", "--ttl", "soon"), "15m")
    failed(
        tutela("break-glass", "--as", "nobody", "--reason", "x"),
        "AccessDenied",
        "unknown user",
    )


def test_break_glass_use_is_reviewed(tutela, home: Path, backend: ScriptedBackend) -> None:
    ok(tutela("users", "add", "dr-grey", "--role", "clinician"))
    reason = "Maria Lopez, cardiac arrest in bed 12"
    issued = ok(tutela("break-glass", "--as", "dr-grey", "--reason", reason, "--ttl", "15m"))
    token = issued.stdout.strip().splitlines()[-1]
    assert json.loads(ok(tutela("break-glass", "review", "--json")).stdout) == []

    asked = ok(
        tutela(
            "ask",
            "--json",
            "-d",
            "healthcare",
            "--as",
            "dr-grey",
            "--purpose",
            "ETREAT",
            "--grant",
            token,
            "Known allergies?",
        )
    )
    answer = json.loads(asked.stdout)
    assert answer["text"] == "Noted."
    authorize = next(s for s in answer["stages"] if s["stage"] == "authorize")
    assert authorize["detail"]["break_glass"] == 1
    assert authorize["detail"]["severity"] == "high"
    assert authorize["detail"]["policies"] == "healthcare.clinician.break-glass"

    (use,) = json.loads(ok(tutela("break-glass", "review", "--json")).stdout)
    assert use["user"] == "dr-grey" and use["tenant"] == "default"
    assert use["reason"] == reason
    assert (use["call_id"], use["action"], use["domain"]) == (
        answer["call_id"],
        "ask",
        "healthcare",
    )
    assert use["reviewed"] is False
    assert "dr-grey" in ok(tutela("break-glass", "review")).out

    marked = ok(tutela("break-glass", "reviewed", use["grant_id"][:12]))
    assert "1 use(s) marked as reviewed." in marked.out
    assert json.loads(ok(tutela("break-glass", "review", "--json")).stdout) == []
    (done,) = json.loads(ok(tutela("break-glass", "review", "--all", "--json")).stdout)
    assert done["reviewed"] is True
    failed(tutela("break-glass", "reviewed", use["grant_id"][:12]), "matches 0 grants")

    # The same grant does not serve plain treatment.
    failed(
        tutela(
            "ask",
            "-d",
            "healthcare",
            "--as",
            "dr-grey",
            "--purpose",
            "TREAT",
            "--grant",
            token,
            "Known allergies?",
        ),
        "AccessDenied",
        "core.break-glass-etreat-only",
    )
    assert len(backend.requests) == 1


# -- policies ---------------------------------------------------------------------------------


def test_policies_list(tutela) -> None:
    policies = json.loads(ok(tutela("policies", "list", "--json")).stdout)
    assert policies["core.tenant-isolation"] == {
        "effect": "forbid",
        "id": "core.tenant-isolation",
        "description": "nothing crosses tenants, whatever else a policy permits",
    }
    assert policies["core.general.ask"]["effect"] == "permit"
    assert policies["healthcare.billing.payment"]["exclude_data_classes"] == "clinical_narrative"
    assert policies["healthcare.clinician.break-glass"]["severity"] == "high"
    table = ok(tutela("policies", "list")).out
    assert "core.tenant-isolation" in table and "exclude_data_classes=clinical_narrative" in table


def _pack(folder: Path, policy: str) -> Path:
    folder.mkdir()
    (folder / "pack.yaml").write_text(
        "name: ward\nroles:\n  nurse: cares\npurposes:\n  CARE: care\n", encoding="utf-8"
    )
    (folder / "ward.cedar").write_text(policy, encoding="utf-8")
    return folder


def test_policies_check(tutela, tmp_path: Path) -> None:
    checked = ok(tutela("policies", "check"))
    assert checked.out.startswith("OK: ")
    assert "policies in 4 packs validate" in checked.out

    good = _pack(
        tmp_path / "good",
        '@id("ward.nurse.ask")\n'
        'permit (principal in Tutela::Role::"nurse", action, resource)\n'
        'when { context.purpose == "CARE" };\n',
    )
    assert "in 5 packs validate" in ok(tutela("policies", "check", str(good))).out

    bad = _pack(tmp_path / "bad", '@id("ward.broken")\npermit (principal, action resource);\n')
    failed(tutela("policies", "check", str(bad)), "PolicyError", "bad/ward.cedar", "does not parse")
    unknown = _pack(
        tmp_path / "unknown",
        '@id("ward.x")\npermit (principal in Tutela::Role::"surgeon", action, resource);\n',
    )
    failed(tutela("policies", "check", str(unknown)), "unknown/ward.cedar", "'surgeon'")
    empty = tmp_path / "empty"
    empty.mkdir()
    failed(tutela("policies", "check", str(empty)), "PolicyError", "pack.yaml is missing")


# -- ask --as ---------------------------------------------------------------------------------


def test_ask_as_an_unknown_user_is_denied(tutela, backend: ScriptedBackend) -> None:
    result = failed(
        tutela("ask", "--as", "unknown", "--purpose", "TREAT", "-d", "healthcare", "Hello"),
        "AccessDenied",
        "unknown user in tenant 'default'",
        "tutela users add",
    )
    assert result.stdout == ""
    assert backend.requests == []


def test_ask_as_a_user_needs_a_purpose_the_policies_allow(tutela, backend: ScriptedBackend) -> None:
    ok(tutela("users", "add", "dr-grey", "--role", "clinician"))
    failed(
        tutela("ask", "--as", "dr-grey", "-d", "healthcare", "Hello"),
        "AccessDenied",
        "tutela.purpose-missing",
    )
    failed(
        tutela("ask", "--as", "dr-grey", "--purpose", "HPAYMT", "-d", "healthcare", "Hello"),
        "tutela.default-deny",
    )
    failed(
        tutela("ask", "--as", "dr-grey", "--purpose", "TREAT", "--tenant", "acme", "Hello"),
        "unknown user in tenant 'acme'",
    )
    assert backend.requests == []

    answered = ok(tutela("ask", "--as", "dr-grey", "--purpose", "TREAT", "-d", "healthcare", "Hi"))
    assert answered.stdout.strip() == "Noted."
    assert "scripted-1 on scripted" in answered.err
    assert len(backend.requests) == 1


def test_ask_without_a_user_uses_the_default_purpose(tutela, backend: ScriptedBackend) -> None:
    answer = json.loads(ok(tutela("ask", "--json", "Hello")).stdout)
    authorize = next(s for s in answer["stages"] if s["stage"] == "authorize")
    assert authorize["detail"] == {"purpose": "GENERAL", "policies": "core.general.ask"}
    # The local administrator has no healthcare role.
    failed(tutela("ask", "-d", "healthcare", "Hello"), "AccessDenied", "tutela.default-deny")
