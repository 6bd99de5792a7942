"""Typed errors raised by Tutela.

Every error message says what happened and what to do next. Messages never carry user text
(questions, answers, documents): only names, paths, sizes and codes chosen by Tutela.
"""

from __future__ import annotations


class TutelaError(Exception):
    """Base class of every error Tutela raises on purpose."""


class ConfigError(TutelaError):
    """The settings are invalid or point at something that does not exist."""


class ModelError(TutelaError):
    """A model or runtime backend cannot be found, loaded or reached."""


class InputError(TutelaError):
    """A request is malformed: empty question, unknown domain, bad parameters."""


class PromptTooLongError(InputError):
    """The prompt does not fit in the model's context window."""

    def __init__(
        self,
        context_window: int | None,
        prompt_tokens: int | None = None,
        max_tokens: int | None = None,
    ) -> None:
        self.context_window = context_window
        self.prompt_tokens = prompt_tokens
        self.max_tokens = max_tokens
        window = f"{context_window} tokens" if context_window else "its limit"
        if prompt_tokens is None:
            need = "the prompt and the tokens reserved for the answer exceed"
        else:
            need = (
                f"the prompt has {prompt_tokens} tokens and {max_tokens} more are reserved for "
                "the answer, which exceeds"
            )
        super().__init__(
            f"{need} the model's context window ({window}): shorten the question or the "
            "conversation, or lower max_tokens"
        )


class StageError(TutelaError):
    """A pipeline stage failed unexpectedly; the call was refused rather than run unprotected."""

    def __init__(self, stage: str, cause: BaseException) -> None:
        self.stage = stage
        super().__init__(
            f"the {stage} stage failed ({type(cause).__name__}) and the call was refused: "
            "see the log for details"
        )


class AccessDenied(TutelaError):
    """The policy decision point refused the call. `reasons` holds the ids of the policies
    (or `tutela.*` checks) that decided it."""

    def __init__(self, message: str, reasons: tuple[str, ...] = ()) -> None:
        self.reasons = tuple(reasons)
        super().__init__(message)


class PolicyError(TutelaError):
    """Policies cannot be loaded or evaluated; calls are refused until fixed."""


class VaultError(TutelaError):
    """The pseudonym vault cannot be read or written; calls are refused until fixed."""


class AuditError(TutelaError):
    """The audit record cannot be written; the call is refused."""


class KeystoreError(TutelaError):
    """The keystore is missing, corrupted or cannot be written; nothing was overwritten."""


class MasterSecretError(KeystoreError):
    """The master secret is missing or does not open the keystore."""


class CiphertextError(TutelaError):
    """A ciphertext is truncated, tampered with, of an unknown format or bound to another record.

    One error for all of these on purpose: telling them apart would help an attacker.
    """


class SubjectErasedError(TutelaError):
    """The data subject's keys were destroyed: their records can no longer be read."""


class LegalHoldError(TutelaError):
    """The data subject is under legal hold: their records cannot be erased until it is released."""


class IngestError(InputError):
    """A source file cannot be ingested (unsupported, unreadable, empty, binary, too large,
    malformed). Ingestion reports it for that file and goes on with the others."""


class RetrievalError(TutelaError):
    """The vector store or the lexical index failed or is unreachable."""
