"""The access policy test matrix: who may do what, to which resource, for which purpose.

Each row of `access_matrix.csv` is one case, derived by hand from the policy text
(`governance/access/core/core.cedar`, `domains/*/policies/*.cedar`) and the intent stated in
each `pack.yaml`, never from the engine's output. Columns:

- case: a stable id (ADM admin, AUD auditor = compliance officer, ADV advisor, ANL analyst,
  CLI client, TEA teacher, STU student, MIN minor student, GUA guardian, CLN clinician,
  BGL break-glass, BIL billing, PAT patient, MUL several roles or another tenant's user,
  NOR no role, PRE checks made before any policy).
- principal: a key of `PRINCIPALS` below (all of tenant "acme" unless named otherwise).
- action: one of the ten actions of `tutela.governance.access.decision.Action`.
- resource: `domain <name>/<data class>`, `doc <domain>/<data class> [owner=<user>]
  [acl=<group>+<group>]` (ACL "everyone" unless given; `acl=` is an empty ACL),
  `subject <owner>` (a data subject's values), `audit` (the audit log) or `directory`.
- tenant: the resource's tenant ("acme" is every principal's own, "globex" another).
- purpose: a purpose-of-use code; `<none>` is no purpose, `<empty>` the empty string.
- grant: a break-glass grant (`valid`, `expired`, `not-mine`, `forged`) or nothing.
- expect: allow or deny.
- reasons: the ids that decide it, joined with " + ": policy @id values, or tutela.* ids.
- obligations: duties the permit carries, e.g. `exclude_data_classes: a b`.
- why: the reading that gives the expectation.
- policy_doubt: non-empty when the policy (as written) seems to contradict its stated
  intent; the row states the intended outcome and is an expected failure (strict xfail)
  until the policy is reviewed.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from tutela.governance.access.break_glass import Grant, GrantCheck
from tutela.governance.access.decision import (
    ACTIONS,
    GRANT_EXPIRED,
    GRANT_INVALID,
    GRANT_NOT_YOURS,
    AuditResource,
    DirectoryResource,
    DocumentResource,
    DomainResource,
    Obligation,
    RequestContext,
    Resource,
    SubjectResource,
)
from tutela.principal import Principal

MATRIX = Path(__file__).with_name("access_matrix.csv")
COLUMNS = [
    "case",
    "principal",
    "action",
    "resource",
    "tenant",
    "purpose",
    "grant",
    "expect",
    "reasons",
    "obligations",
    "why",
    "policy_doubt",
]
HOME, OTHER = "acme", "globex"


def _p(
    id: str,
    *roles: str,
    groups: tuple[str, ...] = (),
    tenant: str = HOME,
    **attributes: str,
) -> Principal:
    return Principal(
        id=id,
        tenant=tenant,
        roles=frozenset(roles),
        groups=frozenset(groups),
        attributes=attributes,
    )


# Who the matrix asks about: key -> principal (id, roles, ACL groups, attributes).
PRINCIPALS: dict[str, Principal] = {
    "admin": _p("admin-1", "admin"),
    "auditor": _p("auditor-1", "auditor"),
    "advisor": _p("advisor-1", "advisor", groups=("advisors",)),
    "analyst": _p("analyst-1", "analyst", groups=("research",)),
    "client": _p("client-1", "client"),
    "teacher": _p("teacher-1", "teacher", groups=("staff",)),
    "student": _p("student-1", "student", age_band="adult"),
    "student-untagged": _p("student-2", "student"),
    "minor": _p("student-9", "student", age_band="minor"),
    "guardian": _p("guardian-1", "guardian", ward="student-9"),
    "guardian-noward": _p("guardian-2", "guardian"),
    "clinician": _p("clinician-1", "clinician", groups=("clinical",)),
    "billing": _p("billing-1", "billing", groups=("billing-office",)),
    "patient": _p("patient-1", "patient"),
    "clinician-patient": _p("clinician-2", "clinician", "patient", groups=("clinical",)),
    "globex-clinician": _p("clinician-g", "clinician", groups=("clinical",), tenant=OTHER),
    "noroles": _p("user-1"),
}
# One principal per role the packs declare (the minor is the student role with age_band).
ROLE_PRINCIPALS = (
    "admin",
    "auditor",
    "advisor",
    "analyst",
    "client",
    "teacher",
    "student",
    "minor",
    "guardian",
    "clinician",
    "billing",
    "patient",
)
# Written out from the pack.yaml files, not read from the engine.
PURPOSES = {
    "GENERAL",
    "INSTRUCTION",
    "ASSESSMENT",
    "ADVISING",
    "ADMIN",
    "ADVICE",
    "RESEARCH",
    "SERVICING",
    "COMPLIANCE",
    "TREAT",
    "ETREAT",
    "HPAYMT",
    "HOPERAT",
    "PATRQT",
}
DATA_CLASSES = {
    "general",
    "public",
    "education_record",
    "course_material",
    "grades",
    "student_record",
    "financial",
    "client_record",
    "transaction",
    "product_sheet",
    "research_report",
    "phi",
    "clinical_narrative",
    "diagnosis_codes",
    "billing_record",
    "clinical_guideline",
}
GRANT_ID = "grant-1"


@dataclass(frozen=True)
class Case:
    case: str
    principal: str
    action: str
    resource: str
    tenant: str
    purpose: str
    grant: str
    expect: str
    reasons: str
    obligations: str
    why: str
    policy_doubt: str

    def who(self) -> Principal:
        return PRINCIPALS[self.principal]

    def target(self) -> Resource:
        return _resource(self.resource, self.tenant, self.case)

    def context(self) -> RequestContext:
        purpose = {"<none>": None, "<empty>": ""}.get(self.purpose, self.purpose)
        return RequestContext(purpose=purpose, grant=self.grant or None)

    def expected_reasons(self) -> list[str]:
        return sorted(r.strip() for r in self.reasons.split("+"))

    def expected_obligations(self) -> list[tuple[str, tuple[str, ...]]]:
        if not self.obligations:
            return []
        name, values = self.obligations.split(":")
        return [(name.strip(), tuple(sorted(values.split())))]


def _resource(spec: str, tenant: str, case: str) -> Resource:
    kind, *rest = spec.split()
    if kind == "domain":
        name, data_class = rest[0].split("/")
        return DomainResource(tenant=tenant, name=name, data_class=data_class)
    if kind == "doc":
        domain, data_class = rest[0].split("/")
        options = dict(option.split("=", 1) for option in rest[1:])
        acl = options.get("acl", "everyone")
        return DocumentResource(
            id=f"doc-{case}",
            tenant=tenant,
            domain=domain,
            data_class=data_class,
            acl=frozenset(g for g in acl.split("+") if g),
            owner=options.get("owner"),
        )
    if kind == "subject":
        domain, owner = rest[0].split("/")
        return SubjectResource(tenant=tenant, domain=domain, owner=owner)
    if kind == "audit":
        return AuditResource(tenant=tenant)
    if kind == "directory":
        return DirectoryResource(tenant=tenant)
    raise ValueError(f"unknown resource kind in {spec!r}")


def _load() -> list[Case]:
    with MATRIX.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        assert header == COLUMNS, header
        rows = list(reader)
    cases = []
    for row in rows:
        assert len(row) == len(COLUMNS), f"row {row[:1]} has {len(row)} columns"
        cases.append(Case(*(cell.strip() for cell in row)))
    return cases


CASES = _load()


def _normalized(obligations: tuple[Obligation, ...]) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((o.name, tuple(sorted(o.values))) for o in obligations)


class StubGrants:
    """Break-glass verification without keys: the token names the verifier's answer."""

    def check(self, token: str, principal: Principal) -> GrantCheck:
        if token == "valid":
            grant = Grant(GRANT_ID, principal.tenant, principal.id, "ETREAT", 0.0, 4e9)
            return GrantCheck(grant)
        if token == "expired":
            return GrantCheck(None, GRANT_EXPIRED, "expired")
        if token == "not-mine":
            return GrantCheck(None, GRANT_NOT_YOURS, "another principal's")
        return GrantCheck(None, GRANT_INVALID, "forged")


@pytest.fixture(scope="module")
def bg_pdp():
    """The built-in packs with a (stub) break-glass verifier, for the rows with a grant."""
    from tutela.domain import policy_packs
    from tutela.governance.access.cedar_engine import CedarDecisionPoint

    return CedarDecisionPoint(policy_packs(), grants=StubGrants())


def _param(case: Case):
    marks = [pytest.mark.xfail(reason=case.policy_doubt, strict=True)] if case.policy_doubt else []
    return pytest.param(case, id=case.case, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_matrix(case: Case, pdp, bg_pdp) -> None:
    engine = bg_pdp if case.grant else pdp
    d = engine.decide(case.who(), case.action, case.target(), case.context())
    where = f"{case.case} ({case.why}): got {d.allowed} {d.reasons} - {d.explanation}"
    assert d.allowed is (case.expect == "allow"), where
    assert sorted(d.reasons) == case.expected_reasons(), where
    assert _normalized(d.obligations) == case.expected_obligations(), where
    assert d.excluded_data_classes() == {v for _, vs in case.expected_obligations() for v in vs}
    assert not d.error, where
    granted = d.allowed and case.grant == "valid"
    assert d.break_glass is granted, where
    assert d.grant_id == (GRANT_ID if granted else None), where
    assert d.severity == ("high" if granted else "normal"), where


def test_matrix_is_complete() -> None:
    """The table covers what the review needs: at least 220 cases, every role on every action,
    every purpose, a cross-tenant attempt per role, the obligations and the tutela.* ids."""
    assert len(CASES) >= 220
    assert len({c.case for c in CASES}) == len(CASES), "case ids repeat"
    assert {c.action for c in CASES} == set(ACTIONS)
    assert {c.purpose for c in CASES} >= PURPOSES
    for key in ROLE_PRINCIPALS:
        actions = {c.action for c in CASES if c.principal == key}
        assert actions == set(ACTIONS), f"{key} lacks {set(ACTIONS) - actions}"
        assert any(
            c.principal == key and c.tenant == OTHER and "core.tenant-isolation" in c.reasons
            for c in CASES
        ), f"{key} has no cross-tenant case"
    reasons = {r for c in CASES for r in c.expected_reasons()}
    assert {
        "tutela.default-deny",
        "tutela.purpose-missing",
        "tutela.purpose-unknown",
        "tutela.data-class-unknown",
        "core.tenant-isolation",
        "core.document-acl",
        "core.break-glass-required",
        "core.break-glass-etreat-only",
    } <= reasons
    with_obligations = {c.principal for c in CASES if c.obligations}
    assert {"analyst", "billing"} <= with_obligations
    for c in CASES:
        assert c.principal in PRINCIPALS, c.case
        assert c.expect in ("allow", "deny"), c.case
        assert c.action in ACTIONS, c.case
        assert c.tenant in (HOME, OTHER), c.case
        assert c.why, c.case


def test_grant_without_verifier_is_refused(pdp) -> None:
    """The fixture's decision point has no grant verifier: any grant is refused as invalid,
    even one the stub would accept, and even for emergency treatment by a clinician."""
    resource = DomainResource(HOME, "healthcare", "phi")
    for purpose in ("ETREAT", "TREAT"):
        d = pdp.decide(PRINCIPALS["clinician"], "ask", resource, RequestContext(purpose, "valid"))
        assert (d.allowed, d.reasons, d.break_glass) == (
            False,
            ("tutela.break-glass-invalid",),
            False,
        )


# -- decide_many ------------------------------------------------------------------------------


def test_decide_many_matches_decide(pdp, bg_pdp) -> None:
    """Every group of rows sharing principal, action, purpose and grant, decided in one batch,
    gives the same decisions as one `decide` per row."""
    groups: dict[tuple[str, str, str, str], list[Case]] = defaultdict(list)
    for c in CASES:
        groups[(c.principal, c.action, c.purpose, c.grant)].append(c)
    batched = 0
    for (key, action, _, grant), cases in groups.items():
        engine = bg_pdp if grant else pdp
        context = cases[0].context()
        resources = [c.target() for c in cases]
        many = engine.decide_many(PRINCIPALS[key], action, resources, context)
        one_by_one = [engine.decide(PRINCIPALS[key], action, r, context) for r in resources]
        assert many == one_by_one, [c.case for c in cases]
        batched += len(cases) > 1
    assert batched >= 20


def test_decide_many_mixed_batch(pdp) -> None:
    """One clinician batch for treatment: each document keeps its own answer."""
    clinician = PRINCIPALS["clinician"]

    def doc(i: int, data_class: str, tenant: str = HOME, acl: str = "everyone", owner=None):
        return DocumentResource(f"d{i}", tenant, "healthcare", data_class, frozenset({acl}), owner)

    resources = [
        doc(0, "clinical_narrative", owner="patient-1"),
        doc(1, "clinical_narrative", tenant=OTHER),
        doc(2, "genomics"),
        doc(3, "phi", acl="psychiatry"),
        doc(4, "billing_record", acl="clinical"),
        DocumentResource("d5", HOME, "finance", "client_record", frozenset({"everyone"})),
    ]
    expected = [
        (True, ("healthcare.clinician.read",)),
        (False, ("core.tenant-isolation",)),
        (False, ("tutela.data-class-unknown",)),
        (False, ("core.document-acl",)),
        (True, ("healthcare.clinician.read",)),
        (False, ("tutela.default-deny",)),
    ]
    decisions = pdp.decide_many(clinician, "read", resources, RequestContext("TREAT"))
    assert [(d.allowed, d.reasons) for d in decisions] == expected
    assert pdp.decide_many(clinician, "read", [], RequestContext("TREAT")) == []
    missing = pdp.decide_many(clinician, "read", resources[:2], RequestContext(None))
    assert [d.reasons for d in missing] == [("tutela.purpose-missing",)] * 2


# -- document_filter --------------------------------------------------------------------------


ANY = None  # every document of the class, whoever it is about
# The classes each domain's pack declares: its staff read those, not other packs' classes.
HEALTHCARE_CLASSES = (
    "phi",
    "clinical_narrative",
    "diagnosis_codes",
    "billing_record",
    "clinical_guideline",
)
FINANCE_CLASSES = ("financial", "client_record", "transaction", "product_sheet", "research_report")


def _all(owners: frozenset[str] | None, *but: str) -> dict[str, frozenset[str] | None]:
    return {c: owners for c in DATA_CLASSES if c not in but}


# principal, domain, purpose, exclude -> readable data classes, each to ANY or to the owners
# whose documents are readable.
FILTERS = [
    pytest.param(
        "billing",
        "healthcare",
        "HPAYMT",
        (),
        {"diagnosis_codes": ANY, "billing_record": ANY},
        id="billing-HPAYMT",
    ),
    pytest.param(
        "billing",
        "healthcare",
        "HPAYMT",
        ("clinical_narrative", "billing_record"),
        {"diagnosis_codes": ANY},
        id="billing-HPAYMT-excluding",
    ),
    pytest.param(
        "patient",
        "healthcare",
        "PATRQT",
        (),
        {**_all(frozenset({"patient-1"})), "clinical_guideline": ANY},
        id="patient-PATRQT-own-only",
    ),
    pytest.param(
        "clinician",
        "healthcare",
        "TREAT",
        (),
        dict.fromkeys(HEALTHCARE_CLASSES, ANY),
        id="clinician-TREAT",
    ),
    pytest.param("clinician", "healthcare", "ETREAT", (), {}, id="clinician-ETREAT-no-grant"),
    pytest.param("clinician", "finance", "TREAT", (), {}, id="clinician-other-domain"),
    pytest.param(
        "analyst",
        "finance",
        "RESEARCH",
        ("client_record", "transaction"),
        {"product_sheet": ANY, "research_report": ANY},
        id="analyst-RESEARCH",
    ),
    pytest.param(
        "advisor", "finance", "ADVICE", (), dict.fromkeys(FINANCE_CLASSES, ANY), id="advisor-ADVICE"
    ),
    pytest.param(
        "client",
        "finance",
        "SERVICING",
        (),
        {**_all(frozenset({"client-1"})), "product_sheet": ANY},
        id="client-SERVICING-own-only",
    ),
    pytest.param(
        "teacher",
        "education",
        "ASSESSMENT",
        (),
        {"course_material": ANY, "grades": ANY, "student_record": ANY},
        id="teacher-ASSESSMENT",
    ),
    pytest.param(
        "teacher", "education", "INSTRUCTION", (), {"course_material": ANY}, id="teacher-INSTR"
    ),
    pytest.param(
        "student",
        "education",
        "INSTRUCTION",
        (),
        {**_all(frozenset({"student-1"})), "course_material": ANY},
        id="student-INSTRUCTION-own-only",
    ),
    pytest.param("minor", "education", "ADMIN", (), {}, id="minor-ADMIN"),
    pytest.param("admin", "healthcare", "TREAT", (), {}, id="admin-no-records"),
    pytest.param("noroles", "general", "GENERAL", (), {"public": ANY}, id="noroles-general"),
    pytest.param("patient", "healthcare", "<none>", (), {}, id="purpose-missing"),
]


@pytest.mark.parametrize(("key", "domain", "purpose", "exclude", "classes"), FILTERS)
def test_document_filter(pdp, key, domain, purpose, exclude, classes) -> None:
    principal = PRINCIPALS[key]
    context = RequestContext(None if purpose == "<none>" else purpose)
    f = pdp.document_filter(principal, domain, context, exclude=exclude)
    assert f.data_classes == classes
    assert (f.tenant, f.domain) == (HOME, domain)
    assert f.groups == principal.groups | {"everyone"}


def test_document_filter_where_clause(pdp) -> None:
    f = pdp.document_filter(PRINCIPALS["billing"], "healthcare", RequestContext("HPAYMT"))
    assert f.chroma_where() == {
        "$and": [
            {"tenant": "acme"},
            {"domain": "healthcare"},
            {"$or": [{"data_class": "billing_record"}, {"data_class": "diagnosis_codes"}]},
            {"$or": [{"acl:billing-office": True}, {"acl:everyone": True}]},
        ]
    }
    patient = pdp.document_filter(PRINCIPALS["patient"], "healthcare", RequestContext("PATRQT"))
    where = patient.chroma_where()["$and"][2]["$or"]
    assert {"$and": [{"data_class": "phi"}, {"owner": {"$in": ["patient-1"]}}]} in where
    assert {"data_class": "clinical_guideline"} in where
    nothing = pdp.document_filter(PRINCIPALS["minor"], "education", RequestContext("ADMIN"))
    assert nothing.chroma_where() == {"$and": [{"tenant": "acme"}, {"tenant": {"$ne": "acme"}}]}


def test_document_filter_allows(pdp) -> None:
    """A patient's filter admits their own notes and published guidance, nothing else."""
    f = pdp.document_filter(PRINCIPALS["patient"], "healthcare", RequestContext("PATRQT"))

    def doc(data_class, owner=None, tenant=HOME, domain="healthcare", acl="everyone"):
        return DocumentResource("d", tenant, domain, data_class, frozenset({acl}), owner)

    assert f.allows(doc("clinical_narrative", owner="patient-1"))
    assert f.allows(doc("clinical_guideline"))
    assert not f.allows(doc("clinical_narrative", owner="patient-2"))
    assert not f.allows(doc("clinical_narrative"))
    assert not f.allows(doc("clinical_narrative", owner="patient-1", tenant=OTHER))
    assert not f.allows(doc("clinical_narrative", owner="patient-1", domain="finance"))
    assert not f.allows(doc("clinical_narrative", owner="patient-1", acl="clinical"))
    assert not f.allows(doc("genomics", owner="patient-1"))


# The pre-filter must admit every document `decide` would let the principal read (else a
# permitted document is never retrieved) and nothing `decide` refuses.
FILTER_AGREEMENT = [
    ("patient", "healthcare", "PATRQT"),
    ("billing", "healthcare", "HPAYMT"),
    ("clinician", "healthcare", "TREAT"),
    ("client", "finance", "ADVICE"),
    ("analyst", "finance", "RESEARCH"),
    ("teacher", "education", "ADVISING"),
    ("student", "education", "INSTRUCTION"),
    ("minor", "education", "ADMIN"),
    ("guardian", "education", "ADVISING"),
]


@pytest.mark.parametrize(("key", "domain", "purpose"), FILTER_AGREEMENT)
def test_document_filter_agrees_with_decide(pdp, key, domain, purpose) -> None:
    principal = PRINCIPALS[key]
    context = RequestContext(purpose)
    f = pdp.document_filter(principal, domain, context)
    owners = (None, principal.id, principal.attributes.get("ward", "student-9"), "someone-else")
    docs = [
        DocumentResource(f"d{i}", HOME, domain, c, frozenset({"everyone"}), owner)
        for i, (c, owner) in enumerate((c, o) for c in sorted(DATA_CLASSES) for o in owners)
    ]
    decisions = pdp.decide_many(principal, "read", docs, context)
    assert [f.allows(d) for d in docs] == [d.allowed for d in decisions]
