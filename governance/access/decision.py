"""What a policy decision point is asked and what it answers.

A request names who (a `Principal`), may do what (an action), to which resource (a domain, a
document, a data subject's values, the audit log, the user directory), for which purpose. The
answer is a `Decision`: allowed or not, the ids of the policies that decided it, and the
obligations the caller must apply (e.g. data classes to keep away from the model).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from tutela.principal import Principal

Action = Literal[
    "ask",  # a governed model call in a domain
    "search",  # retrieval without generation
    "ingest",  # add documents to a domain
    "read",  # one document or chunk, before it reaches a prompt
    "reveal",  # put a data subject's real values back into an answer
    "read_audit",
    "export_audit",
    "manage_users",
    "manage_policies",
    "manage_keys",
]
ACTIONS: tuple[str, ...] = Action.__args__  # type: ignore[attr-defined]

# Reason ids of decisions taken before any policy is evaluated.
DEFAULT_DENY = "tutela.default-deny"  # no policy permits the request
ENGINE_ERROR = "tutela.error"  # the engine failed or an attribute was missing
PURPOSE_MISSING = "tutela.purpose-missing"
PURPOSE_UNKNOWN = "tutela.purpose-unknown"
DATA_CLASS_UNKNOWN = "tutela.data-class-unknown"
GRANT_INVALID = "tutela.break-glass-invalid"
GRANT_EXPIRED = "tutela.break-glass-expired"
GRANT_NOT_YOURS = "tutela.break-glass-other-principal"


@dataclass(frozen=True)
class DomainResource:
    """A domain of one tenant: the resource of `ask`, `search` and `ingest`."""

    tenant: str
    name: str
    data_class: str


@dataclass(frozen=True)
class DocumentResource:
    """A document (or one of its chunks) of a tenant's domain, readable by its ACL groups."""

    id: str
    tenant: str
    domain: str
    data_class: str
    acl: frozenset[str]
    owner: str | None = None  # the data subject the document is about, if any


@dataclass(frozen=True)
class SubjectResource:
    """A data subject's pseudonymized values, in the domain of the call that would reveal
    them: the resource of `reveal`."""

    tenant: str
    domain: str
    owner: str


@dataclass(frozen=True)
class AuditResource:
    tenant: str


@dataclass(frozen=True)
class DirectoryResource:
    """A tenant's users, roles, policies and keys: the resource of the `manage_*` actions."""

    tenant: str


Resource = DomainResource | DocumentResource | SubjectResource | AuditResource | DirectoryResource


@dataclass(frozen=True)
class RequestContext:
    """Why the request is made: a purpose-of-use code and, for emergencies, a break-glass grant."""

    purpose: str | None
    grant: str | None = None


@dataclass(frozen=True)
class Obligation:
    """A duty that comes with a permit, named by a policy annotation: `@exclude_data_classes(
    "clinical_narrative")` keeps documents of that class away from the model."""

    name: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reasons: tuple[str, ...]  # policy ids (or tutela.* ids for decisions taken before policies)
    obligations: tuple[Obligation, ...] = ()
    error: bool = False  # denied because the engine failed: reasons hold ENGINE_ERROR
    break_glass: bool = False  # allowed through a break-glass grant: review it
    severity: Literal["normal", "high"] = "normal"
    grant_id: str | None = None
    explanation: str = field(default="", compare=False)  # for people; names no personal data

    def excluded_data_classes(self) -> frozenset[str]:
        return frozenset(
            v for o in self.obligations if o.name == "exclude_data_classes" for v in o.values
        )


@dataclass(frozen=True)
class DocumentFilter:
    """The documents a principal may retrieve in a domain, as a pre-filter for a vector query.

    `data_classes` maps each readable class to None when any document of it is readable, or
    to the owners whose documents are (the principal, or subjects their attributes name, such
    as a guardian's ward). Every retrieved chunk is still re-checked with `decide_many` before
    it reaches a prompt.
    """

    tenant: str
    domain: str
    groups: frozenset[str]
    data_classes: dict[str, frozenset[str] | None]

    def allows(self, document: DocumentResource) -> bool:
        if document.data_class not in self.data_classes:
            return False
        owners = self.data_classes[document.data_class]
        return (
            document.tenant == self.tenant
            and document.domain == self.domain
            and bool(document.acl & self.groups)
            and (owners is None or document.owner in owners)
        )

    def chroma_where(self) -> dict:
        """The filter as a Chroma `where` clause over metadata keys `tenant`, `domain`,
        `data_class`, `owner` and one boolean `acl:<group>` key per ACL group."""
        if not self.data_classes or not self.groups:
            # Matches nothing (Chroma refuses an empty `$in` list).
            return {"$and": [{"tenant": self.tenant}, {"tenant": {"$ne": self.tenant}}]}
        classes = [
            {"data_class": c}
            if owners is None
            else {"$and": [{"data_class": c}, {"owner": {"$in": sorted(owners)}}]}
            for c, owners in sorted(self.data_classes.items())
        ]
        groups = [{f"acl:{g}": True} for g in sorted(self.groups)]
        return {
            "$and": [
                {"tenant": self.tenant},
                {"domain": self.domain},
                classes[0] if len(classes) == 1 else {"$or": classes},
                groups[0] if len(groups) == 1 else {"$or": groups},
            ]
        }


class PolicyDecisionPoint(Protocol):
    """Decides every request before any data moves. Implementations deny by default and turn
    any failure of their own into a denial with `error=True`, never into an exception."""

    def decide(
        self, principal: Principal, action: Action, resource: Resource, context: RequestContext
    ) -> Decision: ...

    def decide_many(
        self,
        principal: Principal,
        action: Action,
        resources: Sequence[Resource],
        context: RequestContext,
    ) -> list[Decision]: ...

    def document_filter(
        self,
        principal: Principal,
        domain: str,
        context: RequestContext,
        exclude: Iterable[str] = (),
    ) -> DocumentFilter: ...
