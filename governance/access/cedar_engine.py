"""The default `PolicyDecisionPoint`, on AWS Cedar (`cedarpy`).

Policies are parsed and validated against `schema.cedarschema` once, at start: a policy that
does not validate, lacks an `@id`, repeats one, or names a role or data class no pack declares
refuses to start with a `PolicyError` naming the file. Decisions deny by default, a `forbid`
overrides any `permit`, and any engine error or missing attribute is a denial recorded as
`tutela.error`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

import cedarpy

from tutela.errors import PolicyError
from tutela.governance.access.break_glass import GrantCheck, GrantVerifier
from tutela.governance.access.decision import (
    DATA_CLASS_UNKNOWN,
    DEFAULT_DENY,
    ENGINE_ERROR,
    GRANT_INVALID,
    PURPOSE_MISSING,
    PURPOSE_UNKNOWN,
    Action,
    AuditResource,
    Decision,
    DirectoryResource,
    DocumentFilter,
    DocumentResource,
    DomainResource,
    Obligation,
    RequestContext,
    Resource,
    SubjectResource,
)
from tutela.governance.access.packs import PolicyPack, Vocabulary
from tutela.principal import Principal

SCHEMA_FILE = Path(__file__).parent / "schema.cedarschema"
EVERYONE = "everyone"  # the ACL group every user belongs to
_NS = "Tutela::"
_OBLIGATIONS = {"exclude_data_classes"}
_ANNOTATIONS = {"id", "severity", "description", *_OBLIGATIONS}
log = logging.getLogger(__name__)


class CedarDecisionPoint:
    """Decides with the policies of `packs`; `grants` verifies break-glass grants."""

    def __init__(self, packs: Sequence[PolicyPack], grants: GrantVerifier | None = None) -> None:
        self.packs = tuple(packs)
        self.vocabulary = Vocabulary.of(list(packs))
        self.grants = grants
        schema_text = SCHEMA_FILE.read_text(encoding="utf-8")
        self._schema = cedarpy.Schema.from_str(schema_text)
        self.annotations: dict[str, dict[str, str]] = {}
        self.effects: dict[str, str] = {}  # policy id -> "permit" or "forbid"
        texts = []
        for pack in self.packs:
            for policy_file in pack.policies:
                self._check(policy_file.path, policy_file.text)
                texts.append(policy_file.text)
        self._policies = cedarpy.PolicySet.from_str("\n".join(texts))

    @property
    def policy_ids(self) -> list[str]:
        return list(self.annotations)

    # -- decisions ---------------------------------------------------------------------------

    def decide(
        self, principal: Principal, action: Action, resource: Resource, context: RequestContext
    ) -> Decision:
        return self.decide_many(principal, action, [resource], context)[0]

    def decide_many(
        self,
        principal: Principal,
        action: Action,
        resources: Sequence[Resource],
        context: RequestContext,
    ) -> list[Decision]:
        """One decision per resource, from one engine call."""
        try:
            return self._decide_many(principal, action, resources, context)
        except Exception as exc:  # any failure of the engine is a denial, never an allow
            log.error("policy evaluation failed (%s): denied", type(exc).__name__)
            return [_error("the policy engine failed") for _ in resources]

    def document_filter(
        self,
        principal: Principal,
        domain: str,
        context: RequestContext,
        exclude: Iterable[str] = (),
    ) -> DocumentFilter:
        """Which documents of `domain` the principal may read, found by asking the policies
        about probe documents of each declared data class: one owned by nobody in particular,
        and one owned by each subject the principal may stand for (themselves, and the values
        of their attributes, such as a guardian's ward). Classes in `exclude` (a permit's
        obligation) are left out."""
        excluded = set(exclude)
        classes = [c for c in self.vocabulary.data_classes if c not in excluded]
        owners = [None, *sorted({principal.id, *principal.attributes.values()})]
        probes: list[Resource] = [
            DocumentResource(
                id=f"probe-{data_class}-{n}",
                tenant=principal.tenant,
                domain=domain,
                data_class=data_class,
                acl=frozenset({EVERYONE}),
                owner=owner,
            )
            for data_class in classes
            for n, owner in enumerate(owners)
        ]
        decisions = iter(self.decide_many(principal, "read", probes, context))
        readable: dict[str, frozenset[str] | None] = {}
        for data_class in classes:
            allowed = [owner for owner in owners if next(decisions).allowed]
            if None in allowed:
                readable[data_class] = None
            elif allowed:
                readable[data_class] = frozenset(o for o in allowed if o is not None)
        return DocumentFilter(
            tenant=principal.tenant,
            domain=domain,
            groups=frozenset(principal.groups | {EVERYONE}),
            data_classes=readable,
        )

    def _decide_many(
        self,
        principal: Principal,
        action: Action,
        resources: Sequence[Resource],
        context: RequestContext,
    ) -> list[Decision]:
        if not resources:
            return []
        early, grant = self._check_context(principal, context)
        if early is not None:
            return [early for _ in resources]
        break_glass = grant is not None and grant.grant is not None
        entities = [_user_entity(principal)]
        requests = []
        decisions: list[Decision | None] = []
        for i, resource in enumerate(resources):
            unknown = self._unknown_class(resource)
            if unknown is not None:
                decisions.append(unknown)
                continue
            uid, entity = _resource_entity(i, resource)
            entities.append(entity)
            requests.append(
                {
                    "principal": {"type": f"{_NS}User", "id": principal.id},
                    "action": {"type": f"{_NS}Action", "id": action},
                    "resource": uid,
                    "context": {"purpose": context.purpose, "break_glass": break_glass},
                }
            )
            decisions.append(None)
        results = (
            cedarpy.is_authorized_batch(
                requests,
                self._policies,
                cedarpy.Entities.from_json_str(json.dumps(entities)),
                self._schema,
            )
            if requests
            else []
        )
        answers = iter(results)
        grant_id = grant.grant.id if break_glass and grant and grant.grant else None
        return [
            d
            if d is not None
            else self._decision(next(answers), principal, action, resource, context, grant_id)
            for d, resource in zip(decisions, resources, strict=True)
        ]

    def _check_context(
        self, principal: Principal, context: RequestContext
    ) -> tuple[Decision | None, GrantCheck | None]:
        if not context.purpose:
            return _deny(
                PURPOSE_MISSING, "no purpose of use was given: every call must state one"
            ), None
        if context.purpose not in self.vocabulary.purposes:
            return _deny(
                PURPOSE_UNKNOWN,
                f"purpose {context.purpose!r} is not declared by any policy pack "
                f"(known: {', '.join(sorted(self.vocabulary.purposes))})",
            ), None
        if context.grant is None:
            return None, None
        if self.grants is None:
            return _deny(
                GRANT_INVALID, "a break-glass grant was given but none can be verified"
            ), None
        check = self.grants.check(context.grant, principal)
        if check.grant is None:
            return _deny(check.reason, check.explanation), check
        return None, check

    def _unknown_class(self, resource: Resource) -> Decision | None:
        data_class = getattr(resource, "data_class", None)
        if data_class is not None and data_class not in self.vocabulary.data_classes:
            return _deny(
                DATA_CLASS_UNKNOWN, f"data class {data_class!r} is not declared by any policy pack"
            )
        return None

    def _decision(
        self,
        result,
        principal: Principal,
        action: str,
        resource: Resource,
        context: RequestContext,
        grant_id: str | None,
    ) -> Decision:
        diagnostics = result.diagnostics
        if diagnostics.errors:
            return _error(
                "a policy could not be evaluated (" + _first_line(diagnostics.errors) + ")"
            )
        by_reason = diagnostics.id_annotations_by_reason
        reasons = tuple(sorted(by_reason.get(r, r) for r in diagnostics.reasons))
        if not result.allowed:
            if reasons:
                return _deny(reasons, "denied: " + self._described(reasons))
            roles = ", ".join(sorted(principal.roles)) or "no role"
            return _deny(
                DEFAULT_DENY,
                f"no policy permits {roles} to {action} {_target(resource)} for purpose "
                f"{context.purpose}",
            )
        notes = [self.annotations.get(r, {}) for r in reasons]
        obligations = tuple(
            Obligation(name, tuple(v.strip() for v in note[name].split(",") if v.strip()))
            for note in notes
            for name in sorted(_OBLIGATIONS & set(note))
        )
        high = grant_id is not None or any(n.get("severity") == "high" for n in notes)
        return Decision(
            allowed=True,
            reasons=reasons,
            obligations=obligations,
            break_glass=grant_id is not None,
            severity="high" if high else "normal",
            grant_id=grant_id,
            explanation="allowed: " + self._described(reasons),
        )

    def _described(self, reasons: tuple[str, ...]) -> str:
        return "; ".join(
            f"{r} ({self.annotations[r]['description']})"
            if "description" in self.annotations.get(r, {})
            else r
            for r in reasons
        )

    # -- loading -----------------------------------------------------------------------------

    def _check(self, path: Path, text: str) -> None:
        where = f"{path.parent.name}/{path.name}"
        try:
            policies = json.loads(cedarpy.policies_to_json_str(text))
        except ValueError as exc:
            raise PolicyError(f"{where} does not parse: {_first_line([str(exc)])}") from None
        if policies.get("templates"):
            raise PolicyError(f"{where}: policy templates are not supported")
        result = cedarpy.validate_policies(text, self._schema)
        if not result.validation_passed:
            raise PolicyError(
                f"{where} does not validate against the schema: "
                + _first_line([getattr(e, "error", str(e)) for e in result.errors])
            )
        for body in policies.get("staticPolicies", {}).values():
            notes = body.get("annotations") or {}
            policy_id = notes.get("id")
            if not policy_id:
                raise PolicyError(f'{where}: every policy needs a stable @id("...") annotation')
            if policy_id in self.annotations or policy_id.startswith("tutela."):
                raise PolicyError(f"{where}: policy id {policy_id!r} is used twice or reserved")
            unknown = set(notes) - _ANNOTATIONS
            if unknown:
                raise PolicyError(
                    f"{where}: policy {policy_id!r} has unknown annotations "
                    f"{', '.join(sorted(unknown))} (known: {', '.join(sorted(_ANNOTATIONS))})"
                )
            if notes.get("severity", "normal") not in ("normal", "high"):
                raise PolicyError(f"{where}: policy {policy_id!r}: @severity is normal or high")
            for name in _OBLIGATIONS & set(notes):
                for value in (v.strip() for v in notes[name].split(",")):
                    if value not in self.vocabulary.data_classes:
                        raise PolicyError(
                            f"{where}: policy {policy_id!r} excludes undeclared data class "
                            f"{value!r}"
                        )
            for kind, name in _entity_refs(body):
                if kind == f"{_NS}Role" and name not in self.vocabulary.roles:
                    raise PolicyError(
                        f"{where}: policy {policy_id!r} names role {name!r}, which no pack declares"
                    )
            self.annotations[policy_id] = {k: str(v) for k, v in notes.items()}
            self.effects[policy_id] = body["effect"]


def _entity_refs(node) -> Iterable[tuple[str, str]]:
    """Every entity literal in a policy's JSON form."""
    if isinstance(node, dict):
        if set(node) >= {"type", "id"} and isinstance(node["type"], str):
            yield node["type"], str(node["id"])
        for value in node.values():
            yield from _entity_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _entity_refs(value)


def _user_entity(principal: Principal) -> dict:
    parents = [{"type": f"{_NS}Role", "id": r} for r in sorted(principal.roles)]
    parents += [{"type": f"{_NS}Group", "id": g} for g in sorted(principal.groups | {EVERYONE})]
    return {
        "uid": {"type": f"{_NS}User", "id": principal.id},
        "attrs": {"tenant": principal.tenant, "user": principal.id},
        "parents": parents,
        "tags": dict(principal.attributes),
    }


def _resource_entity(index: int, resource: Resource) -> tuple[dict, dict]:
    match resource:
        case DomainResource():
            kind = "Domain"
            attrs = {
                "tenant": resource.tenant,
                "domain": resource.name,
                "data_class": resource.data_class,
            }
        case DocumentResource():
            kind = "Document"
            attrs = {
                "tenant": resource.tenant,
                "domain": resource.domain,
                "data_class": resource.data_class,
                "acl": [
                    {"__entity": {"type": f"{_NS}Group", "id": g}} for g in sorted(resource.acl)
                ],
            }
            if resource.owner is not None:
                attrs["owner"] = resource.owner
        case SubjectResource():
            kind = "Subject"
            attrs = {
                "tenant": resource.tenant,
                "domain": resource.domain,
                "owner": resource.owner,
            }
        case AuditResource():
            kind, attrs = "AuditLog", {"tenant": resource.tenant}
        case DirectoryResource():
            kind, attrs = "Directory", {"tenant": resource.tenant}
        case _:
            raise TypeError(f"not a resource: {type(resource).__name__}")
    uid = {"type": f"{_NS}{kind}", "id": str(index)}
    return uid, {"uid": uid, "attrs": attrs, "parents": []}


def _target(resource: Resource) -> str:
    """The resource, for people, without its id (ids of documents and subjects may identify
    someone)."""
    match resource:
        case DomainResource():
            return f"in domain {resource.name}"
        case DocumentResource():
            return f"a {resource.data_class} document of domain {resource.domain}"
        case SubjectResource():
            return "a data subject's values"
        case AuditResource():
            return "the audit trail"
        case _:
            return "the tenant's directory"


def _deny(reasons: str | tuple[str, ...], explanation: str) -> Decision:
    reasons = (reasons,) if isinstance(reasons, str) else reasons
    return Decision(allowed=False, reasons=reasons, explanation=explanation)


def _error(explanation: str) -> Decision:
    return Decision(allowed=False, reasons=(ENGINE_ERROR,), error=True, explanation=explanation)


def _first_line(errors) -> str:
    text = str(errors[0]) if errors else "unknown error"
    return text.splitlines()[0][:300] if text else "unknown error"
