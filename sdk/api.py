"""The Python entry point: `Tutela.open(...)`, then `ask` or `stream`."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from tutela.answer import Answer, SearchResult
from tutela.domain import load_domain, policy_packs
from tutela.embeddings import Embedder
from tutela.errors import AccessDenied, ConfigError, InputError, LegalHoldError, ModelError
from tutela.governance.access.control import AccessControl
from tutela.governance.access.decision import DomainResource, RequestContext
from tutela.governance.audit.records import AuditEvent
from tutela.governance.audit.spool import Spool
from tutela.governance.audit.trail import AuditTrail
from tutela.governance.guards.injection import InjectionScreen
from tutela.governance.keyring import KeyRing
from tutela.governance.master_secret import create_master_key_file
from tutela.governance.pii.detector import PiiDetector
from tutela.governance.pii.profiles import load_profile
from tutela.governance.pii.protector import PiiProtector
from tutela.governance.pii.vault import PseudonymVault
from tutela.pipeline import Call, Pipeline
from tutela.pipeline.audit import AuditStage
from tutela.pipeline.retrieve import RetrieveStage
from tutela.principal import Principal
from tutela.retrieval.catalog import Catalog
from tutela.retrieval.index import IngestReport, KnowledgeIndex
from tutela.retrieval.retriever import Retriever
from tutela.retrieval.vectors import VectorStore
from tutela.runtime import ChatBackend, DeferredBackend, load_backend
from tutela.runtime.protocol import ChatMessage
from tutela.settings import Settings
from tutela.version import __version__

Turn = tuple[str, str] | ChatMessage
log = logging.getLogger(__name__)


class AnswerStream:
    """Iterate to receive the answer's text as it becomes safe to show; then read `.answer`."""

    def __init__(self, call: Call, chunks: Iterator[str]) -> None:
        self._call = call
        self._chunks = chunks
        self._parts: list[str] = []
        self._answer: Answer | None = None

    def __iter__(self) -> Iterator[str]:
        for chunk in self._chunks:
            self._parts.append(chunk)
            yield chunk
        self._answer = Answer.from_call(self._call, "".join(self._parts))

    @property
    def answer(self) -> Answer:
        if self._answer is None:
            raise InputError("the stream has not been read to its end yet: iterate over it first")
        return self._answer

    def close(self) -> None:
        """Stop reading early. A call that has started still runs its audit stage; a stream
        closed before its first chunk never started, so no stage ran."""
        self._chunks.close()  # type: ignore[attr-defined]


class Tutela:
    """A governed assistant. Every `ask` and `stream` runs the full pipeline."""

    def __init__(self, settings: Settings, backend: ChatBackend, *, origin: str = "python") -> None:
        """Open the keystore (creating it, and a master key file as `tutela init` does when no
        master secret is configured), the policies, the pseudonym vault and the audit trail;
        build the pipeline. `origin` names the interface in audit records (python, cli...)."""
        self.settings = settings
        self.backend = backend
        created = create_master_key_file(settings)
        if created:
            log.warning(
                "created a master key file at %s (outside the data directory): back it up, or "
                "use TUTELA_MASTER_SECRET from a secret manager (docs/keys.md)",
                created,
            )
        self.keyring = KeyRing.open(settings, create=True)
        self.access: AccessControl | None = None
        self.vault: PseudonymVault | None = None
        self.audit: AuditTrail | None = None
        self.index: KnowledgeIndex | None = None
        self.origin = origin
        self._embedder: Embedder | None = None
        try:
            self.audit = AuditTrail.open(settings, self.keyring, sdk_version=__version__)
            self.access = AccessControl.open(
                settings, self.keyring, policy_packs(settings.policy_packs)
            )
            self.vault = PseudonymVault(
                settings.vault_file, self.keyring, ttl_seconds=settings.vault_ttl_days * 86400
            )
            self.protector = PiiProtector(
                PiiDetector(allow=settings.pii_allow),
                load_profile(settings.pii_profile),
                self.vault,
            )
            self.index = KnowledgeIndex(
                self.keyring,
                self.protector,
                _LazyEmbedder(self),
                VectorStore(settings.retrieval_dir / "chroma", settings.retrieval_url),
                Catalog(settings.retrieval_dir / "catalog.db"),
            )
        except BaseException:
            self._close_stores()
            raise
        self.retriever = Retriever(self.index, self.access.pdp, InjectionScreen())
        self.pipeline = Pipeline.default(
            backend,
            self.protector,
            self.access.pdp,
            AuditStage(
                self.audit.log,
                self._commitment,
                origin,
                key_ids=(f"kek:{self.keyring.provider.kek_id}",),
                spool=Spool(settings.audit_spool_file)
                if settings.audit_on_failure == "buffer"
                else None,
            ),
            self.access.break_glass,
            RetrieveStage(self.retriever, settings.retrieval_top_k),
        )
        self._record_log_event("log_start")
        self._closed = False

    @classmethod
    def open(
        cls,
        home: str | Path | None = None,
        *,
        show_progress: bool = True,
        origin: str = "python",
        defer_model: bool = False,
        **settings: Any,
    ) -> Tutela:
        """Load settings (arguments > TUTELA_* > YAML file), prepare the home and the model.
        With `defer_model`, the model loads on the first generation only (for sessions that
        ingest or search)."""
        loaded = Settings.load(home, **settings)
        prepare_home(loaded.home)
        backend = (
            DeferredBackend(loaded, show_progress=show_progress)
            if defer_model
            else load_backend(loaded, show_progress=show_progress)
        )
        try:
            return cls(loaded, backend, origin=origin)
        except BaseException:
            backend.close()
            raise

    def ask(self, question: str, **options: Any) -> Answer:
        """Answer a question through the governed pipeline. Options are those of `stream`."""
        stream = self.stream(question, **options)
        for _ in stream:
            pass
        return stream.answer

    def stream(
        self,
        question: str,
        *,
        domain: str = "general",
        principal: Principal | None = None,
        purpose: str | None = None,
        grant: str | None = None,
        subject: str | None = None,
        conversation: str | None = None,
        history: Sequence[Turn] = (),
        max_tokens: int | None = None,
        temperature: float | None = None,
        seed: int | None = None,
        stop: Sequence[str] = (),
    ) -> AnswerStream:
        """Start a governed call and return its text stream.

        The call is made by `principal` (see `principal()`) for `purpose`, a purpose-of-use
        code; without a principal it is made by the local administrator of the default tenant,
        with the configured `default_purpose`. A named principal must always state a purpose.
        `grant` is a break-glass grant (purpose ETREAT). `subject` names the data subject whose
        values the answer would reveal (by default the caller, who supplied them).

        `history` holds earlier turns as (role, content) pairs with roles "user" and
        "assistant". Calls with the same `conversation` id share pseudonyms (the same value
        gets the same token); without one, each call has its own. Unset generation options
        come from the settings.
        """
        self._check_open()
        chosen = load_domain(domain)
        principal, purpose = self._caller(principal, purpose)
        call = Call(
            principal=principal,
            domain=chosen,
            purpose=purpose,
            grant=grant,
            subject=subject,
            messages=_messages(chosen.system_prompt, history, question),
            max_tokens=max_tokens if max_tokens is not None else self.settings.max_tokens,
            temperature=temperature if temperature is not None else self.settings.temperature,
            seed=seed if seed is not None else self.settings.seed,
            stop=tuple(stop),
            conversation=_conversation(conversation),
        )
        return AnswerStream(call, self.pipeline.run(call))

    def search(
        self,
        query: str,
        *,
        domain: str,
        principal: Principal | None = None,
        purpose: str | None = None,
        grant: str | None = None,
        k: int = 5,
    ) -> SearchResult:
        """What `principal` would retrieve in `domain` for `query`, without generation:
        the query is protected, the search is permission-filtered and every chunk re-checked
        and screened, and the search is audited like any call. Hits hold protected text."""
        self._check_open()
        if not isinstance(k, int) or not 1 <= k <= 50:
            raise InputError("k must be a whole number from 1 to 50")
        chosen = load_domain(domain)
        principal, purpose = self._caller(principal, purpose)
        call = Call(
            principal=principal,
            domain=chosen,
            purpose=purpose,
            grant=grant,
            action="search",
            top_k=k,
            messages=_messages(chosen.system_prompt, (), query),
            max_tokens=0,
            temperature=0.0,
            seed=None,
            stop=(),
        )
        self.pipeline.search(call)
        return SearchResult.from_call(call)

    def ingest(
        self,
        paths: Sequence[str | Path],
        *,
        domain: str,
        tenant: str = "default",
        acl: Sequence[str] = ("everyone",),
        classification: str | None = None,
        subject: str | None = None,
        principal: Principal | None = None,
        progress: Any = None,
    ) -> IngestReport:
        """Add files and folders to `domain`'s knowledge for `tenant`: documents readable by
        the `acl` groups, of data class `classification` (the domain's own by default),
        about data subject `subject` if they concern one person. Unchanged files are
        skipped; changed ones replace their old chunks. `progress(path)` is called per file.
        The run's data-quality report is saved under `<home>/retrieval/reports/`.
        The principal (the local administrator by default) needs the `ingest` permission;
        the run is audited with its counts."""
        self._check_open()
        chosen = load_domain(domain)
        data_class = classification or chosen.data_class
        vocabulary = self._access().pdp.vocabulary
        if data_class not in vocabulary.data_classes:
            raise InputError(
                f"unknown classification {data_class!r}: one of "
                f"{', '.join(sorted(vocabulary.data_classes))}"
            )
        groups = [acl] if isinstance(acl, str) else list(acl)
        if not groups or not all(isinstance(g, str) and g.strip() for g in groups):
            raise InputError("acl needs at least one group name")
        principal = principal or Principal.local_admin(tenant)
        if principal.tenant != tenant:
            raise AccessDenied(
                "access denied (tutela.other-tenant): a principal ingests into its own tenant",
                ("tutela.other-tenant",),
            )
        decision = self._access().pdp.decide(
            principal,
            "ingest",
            DomainResource(tenant=tenant, name=chosen.name, data_class=data_class),
            RequestContext(purpose=self.settings.default_purpose),
        )
        if not decision.allowed:
            self._record_event(
                "access_denied",
                principal,
                f"domain:{chosen.name}",
                "denied",
                policy_ids=decision.reasons,
            )
            raise AccessDenied(
                f"access denied ({', '.join(decision.reasons)}): {decision.explanation}",
                decision.reasons,
            )
        assert self.index is not None
        report = self.index.ingest(
            paths,
            domain=chosen.name,
            tenant=tenant,
            acl=groups,
            data_class=data_class,
            subject=subject,
            progress=progress,
        )
        self._record_event(
            "ingest",
            principal,
            f"domain:{chosen.name}",
            "success",
            policy_ids=decision.reasons,
            entity_counts={f"entities.{k}": v for k, v in report.entities.items()},
            details={
                "files": len(report.files),
                **{f"files.{k}": v for k, v in report.quality()["by_status"].items()},
                "chunks": report.chunks,
            },
        )
        try:
            report.save(self.settings.retrieval_dir / "reports")
        except OSError as exc:
            log.warning("the ingestion's quality report could not be saved (%s)", exc.strerror)
        return report

    def delete_document(self, doc_id: str, *, domain: str, tenant: str = "default") -> int:
        """Remove a document's chunks from every index; returns how many were removed. The
        deletion is audited."""
        self._check_open()
        chosen = load_domain(domain)
        assert self.index is not None
        removed = self.index.delete_document(tenant, chosen.name, doc_id)
        if not removed:
            raise InputError(f"no document {doc_id!r} in {chosen.name} for tenant {tenant!r}")
        self._record_event(
            "document_deletion",
            Principal.local_admin(tenant),
            f"document:{doc_id}",
            "success",
            details={"chunks": removed},
        )
        return removed

    def erase_subject(self, subject: str, *, tenant: str = "default") -> tuple[int, int]:
        """Erase a data subject: remove every document about them from every index, then
        destroy their data keys (crypto-shredding what remains, such as pseudonym mappings).
        A subject under legal hold is refused with `LegalHoldError` before anything changes.
        Returns (chunks removed, data keys destroyed); the erasure is audited."""
        self._check_open()
        if self.keyring.under_legal_hold(tenant, subject) or self.keyring.under_legal_hold(tenant):
            self._record_event(
                "subject_erasure",
                Principal.local_admin(tenant),
                "subject",
                "denied",
                subject_ref=self._commitment(tenant, subject),
                details={"reason": "legal_hold"},
            )
            raise LegalHoldError(
                "this subject (or their whole tenant) is under legal hold: release the hold "
                "before erasing"
            )
        assert self.index is not None
        chunks = self.index.erase_subject(tenant, subject)
        keys = self.keyring.erase_subject(tenant, subject)
        self._record_event(
            "subject_erasure",
            Principal.local_admin(tenant),
            "subject",
            "success",
            subject_ref=self._commitment(tenant, subject),
            details={"keys_destroyed": keys, "chunks_removed": chunks},
        )
        return chunks, keys

    def principal(self, user: str, tenant: str = "default") -> Principal:
        """A user of the directory (`tutela users add`) as a principal; an unknown user is
        `AccessDenied`."""
        return self._access().directory.get(user, tenant)

    def _caller(self, principal: Principal | None, purpose: str | None):
        """Calls without a principal run as the local administrator with the default
        purpose; a named principal must state its purpose."""
        if principal is None:
            return Principal.local_admin(), purpose or self.settings.default_purpose
        return principal, purpose

    def _check_open(self) -> None:
        if self._closed:
            raise ModelError("this Tutela is closed: open a new one with Tutela.open()")

    def _access(self) -> AccessControl:
        if self._closed or self.access is None:
            raise ModelError("this Tutela is closed: open a new one with Tutela.open()")
        return self.access

    @property
    def embedder(self) -> Embedder:
        """Sentence embeddings with the configured model (`embedding_model`), loaded on use."""
        if self._embedder is None:
            self._embedder = Embedder(self.settings.embedding_model)
        return self._embedder

    def close(self) -> None:
        """Release the model. Calls after this raise `ModelError`."""
        if not self._closed:
            self._closed = True
            self.backend.close()
            try:
                self._record_log_event("log_stop")
            finally:
                self._close_stores()

    def _commitment(self, tenant: str, value: str) -> str:
        """A keyed commitment (HMAC) to a value an audit record must reference."""
        return self.keyring.blind_index(tenant, "audit-reference", value)

    def _record_log_event(self, event_type: str) -> None:
        self._record_event(event_type, Principal.local_admin(), "audit-log", "success")

    def _record_event(
        self, event_type: str, principal: Principal, resource: str, outcome: str, **fields: Any
    ) -> None:
        assert self.audit is not None
        self.audit.log.append(
            AuditEvent(
                event_type=event_type,
                actor=principal.id,
                tenant=principal.tenant,
                outcome=outcome,
                origin=self.origin,
                resource=resource,
                **fields,
            )
        )

    def _close_stores(self) -> None:
        if self.index is not None:
            self.index.close()
        for store in (self.audit, self.vault, self.access, self.keyring):
            if store is not None:
                store.close()

    def __enter__(self) -> Tutela:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _LazyEmbedder:
    """The Tutela's embedder, loaded when the index first needs it."""

    def __init__(self, owner: Tutela) -> None:
        self._owner = owner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._owner.embedder, name)


def prepare_home(home: Path) -> None:
    """Create the data directory, readable by its owner only."""
    try:
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ConfigError(
            f"cannot create the data directory {home} ({exc.strerror}): set TUTELA_HOME to a "
            "folder you can write"
        ) from None
    if not os.access(home, os.W_OK):
        raise ConfigError(f"the data directory {home} is not writable: set TUTELA_HOME elsewhere")


def _conversation(conversation: str | None) -> str:
    if conversation is None:
        return ""
    if not isinstance(conversation, str) or not conversation.strip() or len(conversation) > 256:
        raise InputError("a conversation id must be a non-empty string of at most 256 characters")
    return f"conversation:{conversation}"


def _messages(system_prompt: str, history: Sequence[Turn], question: str) -> list[ChatMessage]:
    _check_text(question, "the question")
    messages = [ChatMessage("system", system_prompt)]
    for turn in history:
        if isinstance(turn, ChatMessage):
            message = turn
        elif isinstance(turn, tuple | list) and len(turn) == 2:
            message = ChatMessage(*turn)
        else:
            raise InputError("each history turn must be a (role, content) pair")
        if message.role not in ("user", "assistant"):
            raise InputError(f"history turns must be 'user' or 'assistant', not {message.role!r}")
        _check_text(message.content, "a history turn")
        messages.append(message)
    messages.append(ChatMessage("user", question))
    return messages


def _check_text(text: str, what: str) -> None:
    if not isinstance(text, str):
        raise InputError(f"{what} must be a string, not {type(text).__name__}")
    if not text.strip():
        raise InputError(f"{what} is empty: write some text")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{what} is not valid Unicode text (it holds lone surrogates)") from None
