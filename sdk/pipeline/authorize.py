"""The authorize stage: the policy decision point decides the call before any data moves."""

from __future__ import annotations

from tutela.errors import AccessDenied
from tutela.governance.access.break_glass import BreakGlass
from tutela.governance.access.decision import (
    Decision,
    DomainResource,
    PolicyDecisionPoint,
    RequestContext,
    SubjectResource,
)
from tutela.pipeline.call import Call, StageReport


def request_context(call: Call) -> RequestContext:
    return RequestContext(purpose=call.purpose, grant=call.grant)


def decision_detail(decision: Decision) -> dict[str, int | str]:
    detail: dict[str, int | str] = {"policies": ",".join(decision.reasons)}
    excluded = decision.excluded_data_classes()
    if excluded:
        detail["excluded_data_classes"] = ",".join(sorted(excluded))
    if decision.break_glass:
        detail["break_glass"] = 1
        detail["severity"] = decision.severity
    return detail


class AuthorizeStage:
    """Asks the decision point whether the principal may `ask` in the call's domain for its
    purpose. A denial raises `AccessDenied` with the reason ids (the call is still audited);
    a permit's obligations are kept on the call for the stages that apply them; each use of a
    break-glass grant is queued for review."""

    name = "authorize"

    def __init__(self, pdp: PolicyDecisionPoint, break_glass: BreakGlass | None = None) -> None:
        self.pdp = pdp
        self.break_glass = break_glass

    def run(self, call: Call) -> StageReport:
        resource = DomainResource(
            tenant=call.principal.tenant, name=call.domain.name, data_class=call.domain.data_class
        )
        decision = self.pdp.decide(call.principal, call.action, resource, request_context(call))
        call.decision = decision
        if not decision.allowed:
            raise AccessDenied(
                f"access denied ({', '.join(decision.reasons)}): {decision.explanation}",
                decision.reasons,
            )
        if decision.break_glass and decision.grant_id and self.break_glass is not None:
            self.break_glass.record_use(decision.grant_id, call.id, call.action, call.domain.name)
        return StageReport(
            stage=self.name,
            implementation="cedar",
            outcome="allow",
            elapsed_ms=0.0,
            detail={"purpose": call.purpose or "", **decision_detail(decision)},
        )


def may_reveal(pdp: PolicyDecisionPoint, call: Call) -> Decision:
    """Whether the caller may see the real values of the call's data subject (by default the
    caller, who supplied them)."""
    owner = call.subject or call.principal.id
    subject = SubjectResource(tenant=call.principal.tenant, domain=call.domain.name, owner=owner)
    return pdp.decide(call.principal, "reveal", subject, request_context(call))
