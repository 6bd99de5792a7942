"""Access control: the Cedar decision point, policy packs, break-glass grants, the user
directory, document filters, and the authorize and restore stages of the pipeline.

Everything is real: Cedar, SQLite, the KeyRing and the signing key live in tmp folders. The
role x purpose matrix of the built-in policies is in test_access_matrix.py.
"""

from __future__ import annotations

import base64
import json
import uuid
from pathlib import Path

import cedarpy
import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from test_pii_pipeline import ScriptedBackend, echo

from tutela.domain import GENERAL, load_domain, policy_packs
from tutela.errors import AccessDenied, InputError, PolicyError
from tutela.governance.access.break_glass import BreakGlass, parse_ttl
from tutela.governance.access.cedar_engine import CedarDecisionPoint
from tutela.governance.access.decision import (
    DATA_CLASS_UNKNOWN,
    DEFAULT_DENY,
    ENGINE_ERROR,
    GRANT_EXPIRED,
    GRANT_INVALID,
    GRANT_NOT_YOURS,
    PURPOSE_MISSING,
    PURPOSE_UNKNOWN,
    AuditResource,
    DirectoryResource,
    DocumentFilter,
    DocumentResource,
    DomainResource,
    RequestContext,
    SubjectResource,
)
from tutela.governance.access.directory import UNKNOWN_PRINCIPAL, UserDirectory
from tutela.governance.access.packs import load_pack
from tutela.governance.keyring import KeyRing
from tutela.governance.pii.profiles import load_profile
from tutela.governance.pii.protector import PiiProtector
from tutela.governance.pii.vault import PseudonymVault
from tutela.governance.signing import LocalSigner
from tutela.pipeline import Call, Pipeline
from tutela.principal import Principal
from tutela.runtime.protocol import ChatMessage
from tutela.settings import Settings

HEALTHCARE = load_domain("healthcare")
PHI = DomainResource(tenant="default", name="healthcare", data_class="phi")
REASON = "Patient Maria Lopez in cardiac arrest, bed 12"
CLINICIAN = Principal(id="dr-grey", roles=frozenset({"clinician"}))
BILLING = Principal(id="bill-1", roles=frozenset({"billing"}))
PATIENT = Principal(id="pat-1", roles=frozenset({"patient"}))


# -- helpers ----------------------------------------------------------------------------------


def write_pack(
    folder: Path,
    policies: dict[str, str] | None = None,
    *,
    name: str | None = None,
    roles: dict[str, str] | None = None,
    purposes: dict[str, str] | None = None,
    data_classes: dict[str, str] | None = None,
) -> Path:
    """A policy pack folder with a pack.yaml and one .cedar file per entry of `policies`."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {
        "name": name or folder.name,
        "description": "a test pack",
        "roles": {"nurse": "cares"} if roles is None else roles,
        "purposes": {"CARE": "care"} if purposes is None else purposes,
        "data_classes": {"notes": "notes"} if data_classes is None else data_classes,
    }
    (folder / "pack.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    for file_name, text in (policies or {}).items():
        (folder / file_name).write_text(text, encoding="utf-8")
    return folder


def pack_pdp(
    folder: Path, policies: dict[str, str] | None = None, **manifest
) -> CedarDecisionPoint:
    return CedarDecisionPoint([load_pack(write_pack(folder, policies, **manifest))])


NURSE = Principal(id="n-1", roles=frozenset({"nurse"}))
NOTES = DomainResource(tenant="default", name="ward", data_class="notes")
CARE = RequestContext("CARE")


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home", master_secret="test-secret-access")


@pytest.fixture
def keyring(settings: Settings):
    ring = KeyRing.open(settings, create=True)
    yield ring
    ring.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def break_glass(settings: Settings, keyring: KeyRing, clock: Clock):
    signer = LocalSigner.open(keyring, settings.keys_dir / "signing", "break-glass")
    store = BreakGlass(settings.access_file, keyring, signer, clock=clock)
    yield store
    store.close()


@pytest.fixture
def bg_pdp(break_glass: BreakGlass) -> CedarDecisionPoint:
    return CedarDecisionPoint(policy_packs(), grants=break_glass)


@pytest.fixture
def directory(tmp_path: Path, pdp: CedarDecisionPoint):
    users = UserDirectory(tmp_path / "access" / "users.db", pdp.vocabulary.roles)
    yield users
    users.close()


def etreat(grant: str | None) -> RequestContext:
    return RequestContext("ETREAT", grant)


def payload_of(token: str) -> dict:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


# -- deny by default and fail closed ----------------------------------------------------------


def test_a_pack_without_policies_denies_everything(tmp_path: Path) -> None:
    pdp = pack_pdp(tmp_path / "empty")
    assert pdp.policy_ids == []
    admin = Principal(id="boss", roles=frozenset({"nurse"}))
    requests = [
        ("ask", NOTES),
        ("search", NOTES),
        ("ingest", NOTES),
        ("read", DocumentResource("d1", "default", "ward", "notes", frozenset({"everyone"}))),
        ("reveal", SubjectResource("default", "ward", admin.id)),
        ("read_audit", AuditResource("default")),
        ("manage_users", DirectoryResource("default")),
    ]
    for action, resource in requests:
        decision = pdp.decide(admin, action, resource, CARE)
        assert not decision.allowed, action
        assert decision.reasons == (DEFAULT_DENY,)
        assert not decision.error
        assert "no policy permits nurse" in decision.explanation
    # The document filter of an empty policy set reads nothing.
    assert pdp.document_filter(admin, "ward", CARE).data_classes == {}


def test_purpose_and_data_class_checks_come_before_policies(pdp: CedarDecisionPoint) -> None:
    missing = pdp.decide(CLINICIAN, "ask", PHI, RequestContext(None))
    assert (missing.allowed, missing.reasons) == (False, (PURPOSE_MISSING,))
    unknown = pdp.decide(CLINICIAN, "ask", PHI, RequestContext("TREATMENT"))
    assert (unknown.allowed, unknown.reasons) == (False, (PURPOSE_UNKNOWN,))
    assert "'TREATMENT' is not declared" in unknown.explanation
    odd = DomainResource(tenant="default", name="healthcare", data_class="x-rays")
    bad_class = pdp.decide(CLINICIAN, "ask", odd, RequestContext("TREAT"))
    assert (bad_class.allowed, bad_class.reasons) == (False, (DATA_CLASS_UNKNOWN,))
    assert pdp.decide(CLINICIAN, "ask", PHI, RequestContext("TREAT")).allowed


def test_an_engine_exception_is_a_denial(pdp, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(cedarpy, "is_authorized_batch", boom)
    context = RequestContext("TREAT")
    decision = pdp.decide(CLINICIAN, "ask", PHI, context)
    assert not decision.allowed
    assert decision.error is True
    assert decision.reasons == (ENGINE_ERROR,)
    many = pdp.decide_many(CLINICIAN, "ask", [PHI, PHI, PHI], context)
    assert [d.reasons for d in many] == [(ENGINE_ERROR,)] * 3
    assert not any(d.allowed for d in many)
    # A filter asked of a failing engine reads nothing.
    assert pdp.document_filter(CLINICIAN, "healthcare", context).data_classes == {}


def test_a_policy_that_fails_at_run_time_denies_even_when_another_permits(tmp_path: Path) -> None:
    # Cedar skips a policy that errors: a skipped forbid would let the permit through.
    pdp = pack_pdp(
        tmp_path / "overflow",
        {
            "p.cedar": """
@id("t.overflowing-forbid")
forbid (principal, action, resource) when { 9223372036854775807 + 1 > 0 };

@id("t.permit-all")
permit (principal, action, resource);
"""
        },
    )
    decision = pdp.decide(NURSE, "ask", NOTES, CARE)
    assert not decision.allowed
    assert decision.error is True
    assert decision.reasons == (ENGINE_ERROR,)
    assert "overflow" in decision.explanation


def test_an_attribute_missing_at_run_time_is_an_error_denial(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tutela.governance.access import cedar_engine

    pdp = CedarDecisionPoint(policy_packs())
    context = RequestContext("TREAT")
    assert pdp.decide(CLINICIAN, "ask", PHI, context).allowed
    build = cedar_engine._resource_entity

    def without_domain(index, resource):
        uid, entity = build(index, resource)
        del entity["attrs"]["domain"]
        return uid, entity

    monkeypatch.setattr(cedar_engine, "_resource_entity", without_domain)
    decision = pdp.decide(CLINICIAN, "ask", PHI, context)
    assert (decision.allowed, decision.error, decision.reasons) == (False, True, (ENGINE_ERROR,))
    assert "does not have the attribute `domain`" in decision.explanation


def test_a_request_the_schema_refuses_is_an_error_denial(pdp: CedarDecisionPoint) -> None:
    # `ask` applies to a Domain, not to a Document: the engine cannot build the request.
    document = DocumentResource("d", "default", "healthcare", "phi", frozenset({"everyone"}))
    decision = pdp.decide(CLINICIAN, "ask", document, RequestContext("TREAT"))
    assert (decision.allowed, decision.error, decision.reasons) == (False, True, (ENGINE_ERROR,))


def test_a_tag_read_without_has_tag_refuses_to_start(tmp_path: Path) -> None:
    # Cedar's validator cannot prove the tag exists, so the policy never reaches run time,
    # where it could only error: it is refused at load.
    with pytest.raises(PolicyError, match=r"tags/p\.cedar does not validate.*tag"):
        pack_pdp(
            tmp_path / "tags",
            {
                "p.cedar": '@id("t.tag")\npermit (principal, action, resource) '
                'when { principal.getTag("ward") == "3" };\n'
            },
        )


def test_tags_guarded_by_has_tag_decide_on_the_principals_attributes(tmp_path: Path) -> None:
    pdp = pack_pdp(
        tmp_path / "tags",
        {
            "p.cedar": '@id("t.ward")\npermit (principal, action, resource) '
            'when { principal.hasTag("ward") && principal.getTag("ward") == "3" };\n'
        },
    )
    on_ward = NURSE.model_copy(update={"attributes": {"ward": "3"}})
    other_ward = NURSE.model_copy(update={"attributes": {"ward": "4"}})
    assert pdp.decide(on_ward, "ask", NOTES, CARE).reasons == ("t.ward",)
    assert pdp.decide(on_ward, "ask", NOTES, CARE).allowed
    for principal in (NURSE, other_ward):
        decision = pdp.decide(principal, "ask", NOTES, CARE)
        assert (decision.allowed, decision.error, decision.reasons) == (
            False,
            False,
            (DEFAULT_DENY,),
        )


# -- malformed policies refuse to start -------------------------------------------------------

PERMIT = "permit (principal, action, resource);"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("permit (principal, action resource);", "does not parse"),
        (
            '@id("t.a")\npermit (principal, action, resource) when { principal.nickname == "x" };',
            "does not validate against the schema",
        ),
        (PERMIT, r'needs a stable @id\("\.\.\."\)'),
        (f'@id("t.a")\n{PERMIT}\n@id("t.a")\n{PERMIT}', "'t.a' is used twice or reserved"),
        (f'@id("tutela.default-deny")\n{PERMIT}', "used twice or reserved"),
        (
            '@id("t.a")\npermit (principal in Tutela::Role::"surgeon", action, resource);',
            "names role 'surgeon', which no pack declares",
        ),
        (
            '@id("t.a")\npermit (principal, action, resource) '
            'when { principal in Tutela::Role::"surgeon" };',
            "names role 'surgeon'",
        ),
        (f'@id("t.a")\n@owner("me")\n{PERMIT}', "unknown annotations owner"),
        (f'@id("t.a")\n@severity("critical")\n{PERMIT}', "@severity is normal or high"),
        (
            f'@id("t.a")\n@exclude_data_classes("notes, x_rays")\n{PERMIT}',
            "excludes undeclared data class 'x_rays'",
        ),
        (
            '@id("t.a")\npermit (principal == ?principal, action, resource);',
            "policy templates are not supported",
        ),
    ],
    ids=[
        "syntax",
        "unknown-attribute",
        "missing-id",
        "duplicate-id",
        "reserved-id",
        "undeclared-role",
        "undeclared-role-in-condition",
        "unknown-annotation",
        "bad-severity",
        "undeclared-excluded-class",
        "template",
    ],
)
def test_a_malformed_policy_refuses_to_start(tmp_path: Path, text: str, message: str) -> None:
    folder = write_pack(
        tmp_path / "mine", {"good.cedar": '@id("t.ok")\n' + PERMIT, "bad.cedar": text}
    )
    with pytest.raises(PolicyError, match=message) as caught:
        CedarDecisionPoint([load_pack(folder)])
    assert "mine/bad.cedar" in str(caught.value)


def test_the_same_id_in_two_files_or_two_packs_refuses_to_start(tmp_path: Path) -> None:
    policy = f'@id("t.same")\n{PERMIT}'
    folder = write_pack(tmp_path / "two", {"a.cedar": policy, "b.cedar": policy})
    with pytest.raises(PolicyError, match="two/b.cedar: policy id 't.same' is used twice"):
        CedarDecisionPoint([load_pack(folder)])
    other = write_pack(
        tmp_path / "other", {"c.cedar": policy}, roles={}, purposes={}, data_classes={}
    )
    first = write_pack(tmp_path / "first", {"a.cedar": policy})
    with pytest.raises(PolicyError, match="other/c.cedar"):
        CedarDecisionPoint([load_pack(first), load_pack(other)])


def test_a_good_extra_pack_loads_with_the_builtin_ones(tmp_path: Path) -> None:
    folder = write_pack(
        tmp_path / "ward",
        {
            "ward.cedar": """
@id("ward.nurse.ask")
@description("nurses ask on their ward")
@exclude_data_classes("clinical_narrative")
permit (principal in Tutela::Role::"nurse", action == Tutela::Action::"ask", resource)
when { context.purpose == "CARE" };
"""
        },
    )
    pdp = CedarDecisionPoint(policy_packs([folder]))
    assert {"core.tenant-isolation", "healthcare.clinician.care", "ward.nurse.ask"} <= set(
        pdp.policy_ids
    )
    decision = pdp.decide(NURSE, "ask", PHI, CARE)
    assert decision.allowed and decision.reasons == ("ward.nurse.ask",)
    assert decision.excluded_data_classes() == {"clinical_narrative"}
    assert "nurses ask on their ward" in decision.explanation
    # Core forbids still apply to the extra pack's permits.
    other_tenant = DomainResource(tenant="acme", name="healthcare", data_class="phi")
    assert pdp.decide(NURSE, "ask", other_tenant, CARE).reasons == ("core.tenant-isolation",)


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (None, "pack.yaml is missing"),
        ("- a\n- list\n", "must be a mapping with at least a `name`"),
        ("description: no name\n", "must be a mapping with at least a `name`"),
        ("name: [unclosed\n", r"cannot be read \(\w+Error\)"),
        ("name: p\nroles:\n  nurse: x\npurposes:\n  care: x\n", "`purposes` must map names"),
        ("name: p\npurposes:\n  C: x\n", "`purposes` must map names"),
        ("name: p\nroles:\n  Nurse: x\n", "`roles` must map names"),
        ("name: p\nroles: [nurse]\n", "`roles` must map names"),
        ("name: p\nowners:\n  me: x\n", "unknown keys owners"),
    ],
    ids=[
        "missing",
        "list",
        "no-name",
        "bad-yaml",
        "lowercase-purpose",
        "short-purpose",
        "capital-role",
        "roles-list",
        "unknown-key",
    ],
)
def test_a_malformed_pack_yaml_refuses_to_start(
    tmp_path: Path, manifest: str | None, message: str
) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    if manifest is not None:
        (folder / "pack.yaml").write_text(manifest, encoding="utf-8")
    with pytest.raises(PolicyError, match=message) as caught:
        load_pack(folder)
    assert str(folder / "pack.yaml") in str(caught.value)


def test_a_role_declared_by_two_packs_refuses_to_start(tmp_path: Path) -> None:
    first = load_pack(write_pack(tmp_path / "a", name="alpha"))
    second = load_pack(
        write_pack(tmp_path / "b", name="beta", purposes={"OTHER": "x"}, data_classes={})
    )
    with pytest.raises(PolicyError, match="role 'nurse' is declared by both 'alpha' and 'beta'"):
        CedarDecisionPoint([first, second])
    # Clashing with a built-in pack is refused the same way.
    clinician = write_pack(tmp_path / "c", name="gamma", roles={"clinician": "x"}, purposes={})
    with pytest.raises(PolicyError, match="role 'clinician' is declared by both 'healthcare'"):
        CedarDecisionPoint(policy_packs([clinician]))


def test_a_purpose_or_data_class_declared_by_two_packs_refuses_to_start(tmp_path: Path) -> None:
    clash = write_pack(tmp_path / "p", name="pharmacy", roles={}, purposes={"TREAT": "x"})
    with pytest.raises(PolicyError, match="^purpose 'TREAT' is declared by both 'healthcare'"):
        CedarDecisionPoint(policy_packs([clash]))
    clash = write_pack(
        tmp_path / "d", name="docs", roles={}, purposes={}, data_classes={"phi": "x"}
    )
    with pytest.raises(PolicyError, match="^data class 'phi' is declared by both 'healthcare'"):
        CedarDecisionPoint(policy_packs([clash]))


# -- break-glass ------------------------------------------------------------------------------


def test_a_valid_grant_lets_a_clinician_act_for_emergency_treatment(
    break_glass: BreakGlass, bg_pdp: CedarDecisionPoint, settings: Settings
) -> None:
    token = break_glass.issue(CLINICIAN, REASON, 900)
    assert token.startswith("bg1.")
    grant = break_glass.check(token, CLINICIAN).grant
    assert grant is not None and grant.user == CLINICIAN.id and grant.purpose == "ETREAT"

    decision = bg_pdp.decide(CLINICIAN, "ask", PHI, etreat(token))
    assert decision.allowed
    assert decision.reasons == ("healthcare.clinician.break-glass",)
    assert decision.break_glass is True
    assert decision.severity == "high"
    assert decision.grant_id == grant.id
    patient = SubjectResource("default", "healthcare", "pat-9")
    reveal = bg_pdp.decide(CLINICIAN, "reveal", patient, etreat(token))
    assert reveal.allowed and reveal.break_glass

    # The token carries no reason; the store keeps it sealed.
    assert "Lopez" not in json.dumps(payload_of(token))
    stored = b"".join(p.read_bytes() for p in settings.access_file.parent.iterdir() if p.is_file())
    assert stored  # the grant is in the store...
    for fragment in (b"Maria Lopez", b"cardiac arrest", b"bed 12"):
        assert fragment not in stored  # ...but not its reason in plain text

    break_glass.record_use(grant.id, "call-1", "ask", "healthcare")
    break_glass.record_use(grant.id, "call-2", "reveal", "healthcare")
    uses = break_glass.uses()
    assert [(u.call_id, u.action, u.domain) for u in uses] == [
        ("call-1", "ask", "healthcare"),
        ("call-2", "reveal", "healthcare"),
    ]
    assert all(u.reason == REASON and u.user == CLINICIAN.id for u in uses)
    assert all(u.grant_id == grant.id and not u.reviewed for u in uses)

    assert break_glass.mark_reviewed(grant.id) == 2
    assert break_glass.uses() == []
    assert [u.reviewed for u in break_glass.uses(pending_only=False)] == [True, True]
    with pytest.raises(InputError, match="no pending use"):
        break_glass.mark_reviewed(grant.id)


def test_a_grant_does_not_widen_other_roles(break_glass: BreakGlass, bg_pdp) -> None:
    token = break_glass.issue(BILLING, "emergency", 900)
    decision = bg_pdp.decide(BILLING, "ask", PHI, etreat(token))
    assert (decision.allowed, decision.reasons) == (False, (DEFAULT_DENY,))


def _forgeries(token: str) -> dict[str, str]:
    prefix, payload, signature = token.split(".")
    claims = payload_of(token)
    longer = json.dumps(
        {**claims, "expires_at": claims["expires_at"] + 86400},
        sort_keys=True,
        separators=(",", ":"),
    ).encode()
    stranger = LocalSigner(Ed25519PrivateKey.generate(), "break-glass")
    return {
        "tampered payload": f"{prefix}.{b64(longer)}.{signature}",
        "re-signed with another key": f"{prefix}.{b64(longer)}.{b64(stranger.sign(longer))}",
        "flipped signature": f"{prefix}.{payload}.{signature[::-1]}",
        "garbage": "not a grant at all",
        "bad base64": "bg1.!!!.???",
        "wrong prefix": f"bg2.{payload}.{signature}",
        "extra part": f"{token}.x",
        "empty": "",
    }


def test_forged_grants_are_invalid(break_glass: BreakGlass, bg_pdp) -> None:
    token = break_glass.issue(CLINICIAN, REASON, 900)
    for label, forged in _forgeries(token).items():
        decision = bg_pdp.decide(CLINICIAN, "ask", PHI, etreat(forged))
        assert not decision.allowed, label
        assert decision.reasons == (GRANT_INVALID,), label
        assert not decision.break_glass, label


def test_a_grant_signed_elsewhere_is_invalid_here(
    tmp_path: Path, break_glass: BreakGlass, bg_pdp, keyring: KeyRing
) -> None:
    # Another installation's signing key: a well-formed, properly signed grant, not ours.
    other_signer = LocalSigner.open(keyring, tmp_path / "elsewhere", "break-glass")
    other = BreakGlass(tmp_path / "elsewhere" / "access.db", keyring, other_signer)
    try:
        token = other.issue(CLINICIAN, REASON, 900)
    finally:
        other.close()
    assert bg_pdp.decide(CLINICIAN, "ask", PHI, etreat(token)).reasons == (GRANT_INVALID,)


def test_an_expired_grant_is_refused(break_glass: BreakGlass, bg_pdp, clock: Clock) -> None:
    token = break_glass.issue(CLINICIAN, REASON, parse_ttl("15m"))
    clock.now += 899
    assert bg_pdp.decide(CLINICIAN, "ask", PHI, etreat(token)).allowed
    clock.now += 1
    decision = bg_pdp.decide(CLINICIAN, "ask", PHI, etreat(token))
    assert (decision.allowed, decision.reasons) == (False, (GRANT_EXPIRED,))


def test_another_principals_grant_is_refused(break_glass: BreakGlass, bg_pdp) -> None:
    token = break_glass.issue(CLINICIAN, REASON, 900)
    colleague = Principal(id="dr-karev", roles=frozenset({"clinician"}))
    same_id_elsewhere = CLINICIAN.model_copy(update={"tenant": "acme"})
    for principal in (colleague, same_id_elsewhere):
        decision = bg_pdp.decide(principal, "ask", PHI, etreat(token))
        assert (decision.allowed, decision.reasons) == (False, (GRANT_NOT_YOURS,))


def test_a_grant_serves_emergency_treatment_only(break_glass: BreakGlass, bg_pdp) -> None:
    token = break_glass.issue(CLINICIAN, REASON, 900)
    treat = bg_pdp.decide(CLINICIAN, "ask", PHI, RequestContext("TREAT", token))
    assert (treat.allowed, treat.reasons) == (False, ("core.break-glass-etreat-only",))
    # Without the grant the same clinician may ask for treatment.
    assert bg_pdp.decide(CLINICIAN, "ask", PHI, RequestContext("TREAT")).allowed


def test_emergency_treatment_needs_a_grant(bg_pdp, pdp) -> None:
    for decision_point in (bg_pdp, pdp):
        decision = decision_point.decide(CLINICIAN, "ask", PHI, etreat(None))
        assert (decision.allowed, decision.reasons) == (False, ("core.break-glass-required",))


def test_a_grant_without_a_verifier_is_invalid(break_glass: BreakGlass, pdp) -> None:
    token = break_glass.issue(CLINICIAN, REASON, 900)
    decision = pdp.decide(CLINICIAN, "ask", PHI, etreat(token))  # pdp has no grant verifier
    assert (decision.allowed, decision.reasons) == (False, (GRANT_INVALID,))


def test_issuing_needs_a_reason_and_a_sane_duration(break_glass: BreakGlass) -> None:
    with pytest.raises(InputError, match="needs a reason"):
        break_glass.issue(CLINICIAN, "  ", 900)
    for seconds in (0, -5, 8 * 3600 + 1):
        with pytest.raises(InputError, match="at most 8h"):
            break_glass.issue(CLINICIAN, REASON, seconds)


@pytest.mark.parametrize(
    ("text", "seconds"), [("15m", 900.0), ("90s", 90.0), ("1h", 3600.0), (" 8H ", 28800.0)]
)
def test_parse_ttl_reads_durations(text: str, seconds: float) -> None:
    assert parse_ttl(text) == seconds


@pytest.mark.parametrize("text", ["0s", "9h", "481m", "abc", "", "15", "1d", "-5m", "1.5h"])
def test_parse_ttl_refuses_bad_durations(text: str) -> None:
    with pytest.raises(InputError, match="15m|at most 8h"):
        parse_ttl(text)


# -- the user directory -----------------------------------------------------------------------


def test_directory_add_get_list_grant_revoke_remove(directory: UserDirectory) -> None:
    added = directory.add(
        "alice",
        roles=["clinician"],
        groups=["ward-3"],
        attributes={"ward": "3"},
    )
    assert added == directory.get("alice")
    assert added.roles == {"clinician"} and added.groups == {"ward-3"}
    assert added.attributes == {"ward": "3"} and added.tenant == "default"

    directory.add("bob", roles=["billing"])
    assert [p.id for p in directory.list()] == ["alice", "bob"]
    assert [p.id for p in directory.list("default")] == ["alice", "bob"]
    assert directory.list("acme") == []

    assert directory.grant("alice", "auditor").roles == {"clinician", "auditor"}
    assert directory.get("alice").roles == {"clinician", "auditor"}
    assert directory.revoke("alice", "clinician").roles == {"auditor"}
    assert directory.get("alice").roles == {"auditor"}
    assert directory.get("alice").groups == {"ward-3"}  # roles change, the rest is kept

    directory.remove("bob")
    assert [p.id for p in directory.list()] == ["alice"]
    with pytest.raises(AccessDenied) as caught:
        directory.get("bob")
    assert caught.value.reasons == (UNKNOWN_PRINCIPAL,)
    with pytest.raises(InputError, match="no user 'bob' in tenant 'default'"):
        directory.remove("bob")


def test_directory_refuses_unknown_roles_and_duplicates(directory: UserDirectory) -> None:
    with pytest.raises(InputError, match="unknown role 'nurse': roles are declared by policy"):
        directory.add("carol", roles=["nurse"])
    with pytest.raises(InputError) as caught:
        directory.add("carol", roles=["surgeon"])
    assert "known: admin" in str(caught.value) and "clinician" in str(caught.value)
    with pytest.raises(InputError, match="at least one role"):
        directory.add("carol", roles=[])
    assert directory.list() == []  # nothing half-added

    directory.add("carol", roles=["patient"])
    with pytest.raises(InputError, match="'carol' already exists in tenant 'default'"):
        directory.add("carol", roles=["clinician"])
    assert directory.get("carol").roles == {"patient"}

    with pytest.raises(InputError, match="unknown role 'nurse'"):
        directory.grant("carol", "nurse")
    with pytest.raises(InputError, match="does not hold role 'billing'"):
        directory.revoke("carol", "billing")
    with pytest.raises(InputError, match="last role: remove the user instead"):
        directory.revoke("carol", "patient")
    assert directory.get("carol").roles == {"patient"}
    with pytest.raises(InputError, match="no user 'dave'"):
        directory.grant("dave", "patient")
    with pytest.raises(InputError, match="invalid group name"):
        directory.add("erin", roles=["patient"], groups=["bad group!"])
    with pytest.raises(InputError, match="invalid attribute 'Ward'"):
        directory.add("erin", roles=["patient"], attributes={"Ward": "3"})


def test_an_unknown_user_is_access_denied(directory: UserDirectory) -> None:
    with pytest.raises(AccessDenied, match="unknown user in tenant 'default'") as caught:
        directory.get("mallory")
    assert caught.value.reasons == ("tutela.unknown-principal",)
    assert "mallory" not in str(caught.value)  # ids can identify people


def test_the_same_id_in_two_tenants_is_two_users(directory: UserDirectory) -> None:
    directory.add("sam", roles=["clinician"], tenant="north")
    directory.add("sam", roles=["patient"], tenant="south")
    assert directory.get("sam", "north").roles == {"clinician"}
    assert directory.get("sam", "south").roles == {"patient"}
    with pytest.raises(AccessDenied):
        directory.get("sam")  # not in the default tenant
    directory.remove("sam", "north")
    assert directory.get("sam", "south").roles == {"patient"}
    assert [(p.tenant, p.id) for p in directory.list()] == [("south", "sam")]


def test_the_directory_survives_a_reopen(tmp_path: Path, pdp) -> None:
    path = tmp_path / "users.db"
    first = UserDirectory(path, pdp.vocabulary.roles)
    first.add("alice", roles=["teacher"], attributes={"age_band": "adult"})
    first.close()
    second = UserDirectory(path, pdp.vocabulary.roles)
    try:
        assert second.get("alice").attributes == {"age_band": "adult"}
    finally:
        second.close()


# -- document filters -------------------------------------------------------------------------


def _document(**fields) -> DocumentResource:
    base = {
        "id": "d",
        "tenant": "t1",
        "domain": "healthcare",
        "data_class": "phi",
        "acl": frozenset({"everyone"}),
        "owner": None,
    }
    return DocumentResource(**{**base, **fields})


FILTER = DocumentFilter(
    tenant="t1",
    domain="healthcare",
    groups=frozenset({"everyone", "ward-3"}),
    data_classes={"clinical_guideline": None, "phi": frozenset({"u1", "u3"})},
)


def test_document_filter_allows() -> None:
    assert FILTER.allows(_document(data_class="clinical_guideline"))
    assert FILTER.allows(_document(owner="u1"))  # own phi
    assert FILTER.allows(_document(owner="u3"))  # e.g. a guardian's ward
    assert FILTER.allows(_document(owner="u1", acl=frozenset({"ward-3"})))
    refused = {
        "someone else's phi": _document(owner="u2"),
        "phi about no one": _document(owner=None),
        "another tenant": _document(data_class="clinical_guideline", tenant="t2"),
        "another domain": _document(data_class="clinical_guideline", domain="finance"),
        "unreadable class": _document(data_class="billing_record", owner="u1"),
        "not in its ACL": _document(data_class="clinical_guideline", acl=frozenset({"ward-4"})),
        "empty ACL": _document(data_class="clinical_guideline", acl=frozenset()),
    }
    for label, document in refused.items():
        assert not FILTER.allows(document), label


def test_document_filter_chroma_where_shape() -> None:
    assert FILTER.chroma_where() == {
        "$and": [
            {"tenant": "t1"},
            {"domain": "healthcare"},
            {
                "$or": [
                    {"data_class": "clinical_guideline"},
                    {"$and": [{"data_class": "phi"}, {"owner": {"$in": ["u1", "u3"]}}]},
                ]
            },
            {"$or": [{"acl:everyone": True}, {"acl:ward-3": True}]},
        ]
    }
    single = DocumentFilter("t1", "healthcare", frozenset({"everyone"}), {"phi": None})
    assert single.chroma_where() == {
        "$and": [
            {"tenant": "t1"},
            {"domain": "healthcare"},
            {"data_class": "phi"},
            {"acl:everyone": True},
        ]
    }


def test_chroma_accepts_the_filter_and_returns_only_readable_documents() -> None:
    chromadb = pytest.importorskip("chromadb")
    client = chromadb.EphemeralClient()
    name = f"access-{uuid.uuid4().hex}"
    collection = client.create_collection(name, embedding_function=None)
    try:
        documents = {
            "own-phi": {"data_class": "phi", "owner": "u1", "acl:everyone": True},
            "other-phi": {"data_class": "phi", "owner": "u2", "acl:everyone": True},
            "guideline": {"data_class": "clinical_guideline", "acl:everyone": True},
            "ward-4-guideline": {"data_class": "clinical_guideline", "acl:ward-4": True},
            "ward-3-guideline": {"data_class": "clinical_guideline", "acl:ward-3": True},
            "billing": {"data_class": "billing_record", "owner": "u1", "acl:everyone": True},
            "other-tenant": {
                "data_class": "clinical_guideline",
                "tenant": "t2",
                "acl:everyone": True,
            },
        }
        metadatas = [{"tenant": "t1", "domain": "healthcare", **m} for m in documents.values()]
        collection.add(
            ids=list(documents),
            embeddings=[[float(i), 1.0] for i in range(len(documents))],
            metadatas=metadatas,
        )
        found = collection.get(where=FILTER.chroma_where())["ids"]
        assert sorted(found) == ["guideline", "own-phi", "ward-3-guideline"]
        # A filter that reads nothing is still a valid clause, and matches nothing.
        for empty in (
            DocumentFilter("t1", "healthcare", frozenset({"everyone"}), {}),
            DocumentFilter("t1", "healthcare", frozenset(), {"phi": None}),
        ):
            assert collection.get(where=empty.chroma_where())["ids"] == []
    finally:
        client.delete_collection(name)


def test_the_decision_point_builds_filters_from_the_policies(pdp: CedarDecisionPoint) -> None:
    patient = PATIENT.model_copy(update={"groups": frozenset({"ward-3"})})
    own = pdp.document_filter(patient, "healthcare", RequestContext("PATRQT"))
    assert own.tenant == "default" and own.domain == "healthcare"
    assert own.groups == {"everyone", "ward-3"}
    assert own.data_classes["clinical_guideline"] is None  # anyone's
    assert own.data_classes["clinical_narrative"] == {"pat-1"}  # own only
    assert own.data_classes["phi"] == {"pat-1"}

    billing = pdp.document_filter(BILLING, "healthcare", RequestContext("HPAYMT"))
    assert billing.data_classes == {"diagnosis_codes": None, "billing_record": None}
    excluded = pdp.document_filter(
        BILLING, "healthcare", RequestContext("HPAYMT"), exclude=["billing_record"]
    )
    assert excluded.data_classes == {"diagnosis_codes": None}
    # A filter and the decision point agree on a document.
    narrative = _document(tenant="default", data_class="clinical_narrative", owner="pat-1")
    decision = pdp.decide(patient, "read", narrative, RequestContext("PATRQT"))
    assert decision.allowed == own.allows(narrative) is True
    others = _document(tenant="default", data_class="clinical_narrative", owner="pat-2")
    decision = pdp.decide(patient, "read", others, RequestContext("PATRQT"))
    assert decision.allowed == own.allows(others) is False


# -- the pipeline -----------------------------------------------------------------------------

NAME = "Jane Roe"


@pytest.fixture
def protector(pii_detector, settings: Settings, keyring: KeyRing, audit_stage):
    """The PII protector and the audit stage, for the pipeline."""
    vault = PseudonymVault(settings.vault_file, keyring, ttl_seconds=3600)
    yield PiiProtector(pii_detector, load_profile("default"), vault), audit_stage
    vault.close()


def call_for(
    principal: Principal,
    purpose: str | None,
    text: str = "What should I do next?",
    *,
    domain=HEALTHCARE,
    **fields,
) -> Call:
    return Call(
        principal=principal,
        domain=domain,
        purpose=purpose,
        messages=[ChatMessage("system", "You are helpful."), ChatMessage("user", text)],
        max_tokens=64,
        temperature=0.0,
        seed=None,
        stop=(),
        **fields,
    )


def run(pipeline_pdp, governed, call: Call, reply=echo, break_glass=None):
    protector, audit = governed
    backend = ScriptedBackend(reply)
    pipeline = Pipeline.default(backend, protector, pipeline_pdp, audit, break_glass)
    return "".join(pipeline.run(call)), backend


def report(call: Call, stage: str):
    (found,) = [r for r in call.reports if r.stage == stage]
    return found


def test_a_denied_call_never_reaches_the_model_and_is_audited(pdp, protector) -> None:
    call = call_for(PATIENT, "TREAT", f"I am {NAME}, what is my diagnosis?")
    backend = ScriptedBackend(echo)
    with pytest.raises(AccessDenied) as caught:
        list(Pipeline.default(backend, protector[0], pdp, protector[1]).run(call))
    assert caught.value.reasons == (DEFAULT_DENY,)
    message = str(caught.value)
    assert "no policy permits patient to ask" in message and "purpose TREAT" in message
    assert NAME not in str(caught.value)
    assert backend.requests == []  # generate never ran
    assert [r.stage for r in call.reports] == ["authorize", "audit"]
    authorize = report(call, "authorize")
    assert authorize.outcome == "block"
    assert authorize.detail == {"error": "AccessDenied", "policies": DEFAULT_DENY}
    assert call.decision is not None and not call.decision.allowed


@pytest.mark.parametrize(
    ("purpose", "reasons"),
    [
        (None, (PURPOSE_MISSING,)),
        ("TREATMENT", (PURPOSE_UNKNOWN,)),
        ("ETREAT", ("core.break-glass-required",)),
        ("ADVICE", (DEFAULT_DENY,)),  # a finance purpose
    ],
)
def test_denials_carry_their_reason_ids(pdp, protector, purpose, reasons) -> None:
    call = call_for(CLINICIAN, purpose)
    with pytest.raises(AccessDenied) as caught:
        run(pdp, protector, call)
    assert caught.value.reasons == reasons
    assert [r.stage for r in call.reports] == ["authorize", "audit"]


def test_billing_calls_carry_the_minimum_necessary_obligation(pdp, protector) -> None:
    call = call_for(BILLING, "HPAYMT", "Which code applies to this visit?")
    text, backend = run(pdp, protector, call)
    assert text == "Which code applies to this visit?"
    assert len(backend.requests) == 1
    authorize = report(call, "authorize")
    assert authorize.outcome == "allow"
    assert authorize.detail == {
        "purpose": "HPAYMT",
        "policies": "healthcare.billing.payment",
        "excluded_data_classes": "clinical_narrative",
    }
    assert call.decision.excluded_data_classes() == {"clinical_narrative"}
    # The retrieve stage asks for the filter without the excluded classes: narrative never
    # reaches the model.
    retrieved = pdp.document_filter(
        BILLING,
        "healthcare",
        RequestContext("HPAYMT"),
        exclude=call.decision.excluded_data_classes(),
    )
    assert set(retrieved.data_classes) == {"diagnosis_codes", "billing_record"}
    unbound = pdp.document_filter(BILLING, "healthcare", RequestContext("HPAYMT"))
    assert retrieved.data_classes.items() <= unbound.data_classes.items()


def test_restore_is_withheld_when_reveal_is_denied(pdp, protector) -> None:
    # Billing staff may not reveal another person's values: the answer keeps the tokens.
    call = call_for(BILLING, "HPAYMT", f"Hi, I am {NAME}. Bill the visit.", subject="pat-7")
    text, backend = run(pdp, protector, call)
    assert "<PERSON_1>" in text and NAME not in text
    assert NAME not in "".join(m.content for m in backend.requests[0].messages)
    restore = report(call, "restore")
    assert restore.outcome == "block"
    assert restore.detail == {"withheld": 1, "policies": DEFAULT_DENY}


def test_restore_gives_values_back_to_their_owner(pdp, protector) -> None:
    for subject in (None, BILLING.id):  # by default the caller is the subject
        call = call_for(BILLING, "HPAYMT", f"Hi, I am {NAME}. Bill the visit.", subject=subject)
        text, _ = run(pdp, protector, call)
        assert text == f"Hi, I am {NAME}. Bill the visit."
        restore = report(call, "restore")
        assert restore.outcome == "transform"
        assert restore.detail["restored"] == 1


def test_a_clinician_treating_sees_another_patients_values(pdp, protector) -> None:
    call = call_for(CLINICIAN, "TREAT", f"Summarise {NAME}'s chart.", subject="pat-7")
    text, _ = run(pdp, protector, call)
    assert text == f"Summarise {NAME}'s chart."
    assert report(call, "restore").outcome == "transform"


def test_a_break_glass_call_is_flagged_and_queued_for_review(
    break_glass: BreakGlass, bg_pdp, protector
) -> None:
    token = break_glass.issue(CLINICIAN, REASON, 900)
    call = call_for(CLINICIAN, "ETREAT", f"{NAME} collapsed: allergies?", grant=token)
    text, _ = run(bg_pdp, protector, call, break_glass=break_glass)
    assert text == f"{NAME} collapsed: allergies?"
    authorize = report(call, "authorize")
    assert authorize.detail == {
        "purpose": "ETREAT",
        "policies": "healthcare.clinician.break-glass",
        "break_glass": 1,
        "severity": "high",
    }
    (use,) = break_glass.uses()
    assert (use.call_id, use.action, use.domain) == (call.id, "ask", "healthcare")
    assert use.reason == REASON
    assert token not in repr(call.reports)

    # The same grant for treatment is refused, and nothing more is queued.
    refused = call_for(CLINICIAN, "TREAT", grant=token)
    with pytest.raises(AccessDenied) as caught:
        run(bg_pdp, protector, refused, break_glass=break_glass)
    assert caught.value.reasons == ("core.break-glass-etreat-only",)
    assert len(break_glass.uses()) == 1


def test_the_general_domain_with_the_default_principal(pdp, protector) -> None:
    call = call_for(Principal.local_admin(), "GENERAL", "Hello there.", domain=GENERAL)
    text, _ = run(pdp, protector, call)
    assert text == "Hello there."
    assert report(call, "authorize").detail == {
        "purpose": "GENERAL",
        "policies": "core.general.ask",
    }


# -- the Tutela API, with the real model ------------------------------------------------------


@pytest.mark.slow
def test_tutela_principal_reads_the_directory(tutela_app) -> None:
    user = f"nurse-{uuid.uuid4().hex[:8]}"
    added = tutela_app.access.directory.add(
        user, roles=["clinician"], groups=["ward-3"], attributes={"ward": "3"}
    )
    assert tutela_app.principal(user) == added
    with pytest.raises(AccessDenied) as caught:
        tutela_app.principal(user, tenant="elsewhere")
    assert caught.value.reasons == (UNKNOWN_PRINCIPAL,)
    with pytest.raises(AccessDenied) as caught:
        tutela_app.principal(f"ghost-{uuid.uuid4().hex[:8]}")
    assert caught.value.reasons == (UNKNOWN_PRINCIPAL,)


@pytest.mark.slow
def test_a_named_principal_must_state_a_purpose(tutela_app) -> None:
    user = f"doc-{uuid.uuid4().hex[:8]}"
    principal = tutela_app.access.directory.add(user, roles=["clinician"])
    with pytest.raises(AccessDenied) as caught:
        tutela_app.ask("Hello", domain="healthcare", principal=principal, max_tokens=4)
    assert caught.value.reasons == (PURPOSE_MISSING,)
    answer = tutela_app.ask(
        "Hello", domain="healthcare", principal=principal, purpose="TREAT", max_tokens=4
    )
    authorize = next(s for s in answer.stages if s.stage == "authorize")
    assert authorize.detail["policies"] == "healthcare.clinician.care"


@pytest.mark.slow
def test_a_quick_call_uses_the_default_purpose(tutela_app) -> None:
    answer = tutela_app.ask("Hello", max_tokens=4)
    assert answer.usage is not None and answer.usage.completion_tokens <= 4
    authorize = next(s for s in answer.stages if s.stage == "authorize")
    assert authorize.outcome == "allow"
    assert authorize.detail == {"purpose": "GENERAL", "policies": "core.general.ask"}
