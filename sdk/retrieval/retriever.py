"""Governed retrieval: the permission filter inside the query, a policy decision on every
chunk, and injection screening, before any retrieved text can reach a prompt."""

from __future__ import annotations

from dataclasses import dataclass

from tutela.governance.access.decision import (
    DocumentFilter,
    DocumentResource,
    PolicyDecisionPoint,
    RequestContext,
)
from tutela.governance.guards.injection import InjectionScreen
from tutela.principal import Principal
from tutela.retrieval.index import Hit, KnowledgeIndex, Mode, Prefetch
from tutela.retrieval.vectors import collection_name

FILTER_CACHE = 1024  # principals' document filters kept in memory


@dataclass(frozen=True)
class Retrieval:
    """What a retrieval kept, and how many chunks it held back and why."""

    hits: list[Hit]
    denied: int = 0  # found inside the filter but refused by the chunk-level decision
    flagged: int = 0  # dropped by the injection screen


class Retriever:
    def __init__(
        self, index: KnowledgeIndex, pdp: PolicyDecisionPoint, screen: InjectionScreen
    ) -> None:
        self.index = index
        self.pdp = pdp
        self.screen = screen
        self._filters: dict[tuple, DocumentFilter] = {}

    def is_empty(self, tenant: str, domain: str) -> bool:
        partitions = self.index.catalog.partitions(collection_name(tenant, domain))
        return not any(p.chunks for p in partitions)

    def prefetch(self, query: str) -> Prefetch:
        """Begin embedding `query` (the caller's text, before protection): see
        `KnowledgeIndex.prefetch`."""
        return self.index.prefetch(query)

    def retrieve(
        self,
        principal: Principal,
        domain: str,
        context: RequestContext,
        query: str,
        *,
        k: int,
        exclude: frozenset[str] = frozenset(),
        mode: Mode = "hybrid",
        prefetched: Prefetch | None = None,
    ) -> Retrieval:
        """The `k` best chunks `principal` may read in `domain` for `query` (protected text;
        `prefetched` is `KnowledgeIndex.prefetch` of the text before protection)."""
        readable = self._filter(principal, domain, context, exclude)
        owners = self._owners(principal, readable.data_classes.values())
        clean: list[Hit] = []
        denied = flagged = 0
        for page in self.index.pages(query, readable, k=k, mode=mode, prefetched=prefetched):
            decisions = self.pdp.decide_many(
                principal,
                "read",
                [self._resource(principal, domain, hit, owners) for hit in page],
                context,
            )
            permitted = [hit for hit, d in zip(page, decisions, strict=True) if d.allowed]
            screenings = self.screen.screen_many([hit.text for hit in permitted])
            clean += [hit for hit, s in zip(permitted, screenings, strict=True) if not s.flagged]
            denied += len(page) - len(permitted)
            flagged += sum(s.flagged for s in screenings)
            if len(clean) >= k:
                break
        return Retrieval(hits=clean[:k], denied=denied, flagged=flagged)

    @staticmethod
    def _resource(
        principal: Principal, domain: str, hit: Hit, owners: dict[str, str]
    ) -> DocumentResource:
        return DocumentResource(
            id=hit.doc_id,
            tenant=principal.tenant,
            domain=domain,
            data_class=hit.data_class,
            acl=frozenset(hit.acl),
            # A stored owner is a keyed reference: name it only if it is one the principal
            # could be entitled to; any other owner stays opaque.
            owner=owners.get(hit.owner_ref, f"ref:{hit.owner_ref}") if hit.owner_ref else None,
        )

    def _filter(
        self, principal: Principal, domain: str, context: RequestContext, exclude: frozenset[str]
    ) -> DocumentFilter:
        """The principal's document filter. Decisions depend only on the principal, the
        domain, the purpose and the policies (loaded once), so filters are cached, except
        under a break-glass grant, whose validity depends on the time."""
        if context.grant is not None:
            return self.pdp.document_filter(principal, domain, context, exclude=exclude)
        key = (principal.model_dump_json(), domain, context.purpose, exclude)
        found = self._filters.get(key)
        if found is None:
            found = self.pdp.document_filter(principal, domain, context, exclude=exclude)
            if len(self._filters) >= FILTER_CACHE:
                self._filters.pop(next(iter(self._filters)))
            self._filters[key] = found
        return found

    def _owners(self, principal: Principal, owner_sets) -> dict[str, str]:
        candidates = {principal.id, *principal.attributes.values()}
        for owners in owner_sets:
            candidates |= set(owners or ())
        tenant = principal.tenant
        return {self.index.owner_ref(tenant, c): c for c in candidates}
