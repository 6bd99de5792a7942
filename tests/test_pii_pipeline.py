"""The PII stages in the pipeline, with the real protector and vault and a scripted backend
standing in for the model."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tutela.domain import GENERAL, policy_packs
from tutela.governance.access.cedar_engine import CedarDecisionPoint
from tutela.governance.keyring import KeyRing
from tutela.governance.pii.profiles import load_profile
from tutela.governance.pii.protector import PiiProtector
from tutela.governance.pii.vault import PseudonymVault
from tutela.pipeline import Call, Pipeline
from tutela.pipeline.audit import AuditStage
from tutela.principal import Principal
from tutela.runtime.protocol import ChatCompletion, ChatDelta, ChatMessage, ChatRequest, Usage

NAME, EMAIL, CARD = "Jane Roe", "jane.roe@example.com", "4111 1111 1111 1111"
USER_TEXT = f"Hi, I am {NAME}. Write to {EMAIL} and charge my card {CARD}, please."
PII_STAGES = ("protect_input", "protect_output", "restore")


class ScriptedBackend:
    """Streams what `reply` makes of the request, in chunks of 1, 2, 3, 1, 2, 3... characters."""

    name = "scripted"
    model_id = "scripted-1"

    def __init__(self, reply: Callable[[ChatRequest], str]) -> None:
        self.reply = reply
        self.requests: list[ChatRequest] = []

    def complete(self, request: ChatRequest) -> ChatCompletion:
        raise AssertionError("the pipeline streams")

    def stream(self, request: ChatRequest) -> Iterator[ChatDelta]:
        self.requests.append(request)
        text, position = self.reply(request), 0
        for size in itertools.cycle((1, 2, 3)):
            if position >= len(text):
                break
            yield ChatDelta(text[position : position + size])
            position += size
        yield ChatDelta("", "stop", Usage(10, len(text)))

    def close(self) -> None:
        pass


def echo(request: ChatRequest) -> str:
    """The model repeats the last user message it received."""
    return [m for m in request.messages if m.role == "user"][-1].content


def says(text: str) -> Callable[[ChatRequest], str]:
    return lambda request: text


@pytest.fixture
def protector(pii_detector, audit_stage, tmp_path: Path):
    """The PII protector, with the audit stage the pipeline writes to."""
    from tutela.settings import Settings

    settings = Settings(home=tmp_path / "home", master_secret="test-secret-pipeline")
    keyring = KeyRing.open(settings, create=True)
    vault = PseudonymVault(settings.vault_file, keyring, ttl_seconds=3600)
    yield Governed(PiiProtector(pii_detector, load_profile("default"), vault), audit_stage)
    vault.close()
    keyring.close()


@dataclass
class Governed:
    protector: PiiProtector
    audit: AuditStage


PDP = CedarDecisionPoint(policy_packs())  # the built-in policies


def new_call(text: str, conversation: str = "") -> Call:
    return Call(
        principal=Principal.local_admin(),
        domain=GENERAL,
        purpose="GENERAL",
        messages=[ChatMessage("system", "You are helpful."), ChatMessage("user", text)],
        max_tokens=64,
        temperature=0.0,
        seed=None,
        stop=(),
        conversation=conversation,
    )


def run(governed: Governed, reply, call: Call) -> tuple[list[str], ScriptedBackend]:
    backend = ScriptedBackend(reply)
    pipeline = Pipeline.default(backend, governed.protector, PDP, governed.audit)
    chunks = list(pipeline.run(call))
    return chunks, backend


def report(call: Call, stage: str):
    (found,) = [r for r in call.reports if r.stage == stage]
    return found


def sent_to_model(backend: ScriptedBackend) -> str:
    (request,) = backend.requests
    return "\n".join(m.content for m in request.messages)


def test_model_sees_tokens_and_caller_sees_values(protector: Governed) -> None:
    call = new_call(USER_TEXT)
    chunks, backend = run(protector, echo, call)

    prompt = sent_to_model(backend)
    for value in (NAME, "Jane", "Roe", EMAIL, CARD, "4111"):
        assert value not in prompt
    for token in ("<PERSON_1>", "<EMAIL_ADDRESS_1>", "<CREDIT_CARD_1>"):
        assert token in prompt
    assert "You are helpful." in prompt  # system turns are not scanned

    assert "".join(chunks) == USER_TEXT
    assert not any("<" in chunk for chunk in chunks)  # no token shown, not even in part

    for stage in PII_STAGES:
        stage_report = report(call, stage)
        assert stage_report.outcome in ("allow", "transform")
        assert all(isinstance(v, int) for v in stage_report.detail.values()), stage_report
        shown = repr(stage_report.model_dump())
        assert not any(value in shown for value in (NAME, "Jane", EMAIL, CARD, "4111"))
    assert report(call, "protect_input").outcome == "transform"
    assert report(call, "protect_input").detail == {
        "entities.CREDIT_CARD": 1,
        "entities.EMAIL_ADDRESS": 1,
        "entities.PERSON": 1,
    }
    assert report(call, "restore").outcome == "transform"
    assert report(call, "restore").detail == {
        "restored": 3,
        "unknown_tokens": 0,
        "dropped_partial": 0,
    }
    assert report(call, "protect_output").detail == {}  # echoed tokens are not redacted


def test_values_the_model_invents_are_redacted(protector: Governed) -> None:
    call = new_call("Who should I call about my results?")
    chunks, _ = run(protector, says("Call Dr. Jonathan Pierce at 415-555-0199."), call)
    shown = "".join(chunks)
    assert "[PERSON]" in shown and "[PHONE_NUMBER]" in shown
    for value in ("Jonathan", "Pierce", "415-555-0199", "0199"):
        assert value not in shown
    output = report(call, "protect_output")
    assert output.outcome == "transform"
    assert output.detail == {"redacted.PERSON": 1, "redacted.PHONE_NUMBER": 1}


def test_forged_tokens_from_the_model_are_not_restored(protector: Governed) -> None:
    # <EMAIL_ADDRESS_1> is issued in another conversation, never in this one.
    run(protector, echo, new_call(f"Mail {EMAIL}", conversation="other"))
    call = new_call(f"I am {NAME}.", conversation="mine")
    reply = "Hello <PERSON_1>, meet <PERSON_9> at <EMAIL_ADDRESS_1>."
    chunks, _ = run(protector, says(reply), call)
    assert "".join(chunks) == f"Hello {NAME}, meet <PERSON_9> at <EMAIL_ADDRESS_1>."
    assert EMAIL not in "".join(chunks)
    restore = report(call, "restore").detail
    assert restore["restored"] == 1
    assert restore["unknown_tokens"] == 2


def test_a_stream_ending_inside_a_token_drops_it(protector: Governed) -> None:
    call = new_call(f"I am {NAME}.")
    chunks, _ = run(protector, says("Hello <PERSON_1>, goodbye <PERSON_"), call)
    shown = "".join(chunks)
    assert shown == f"Hello {NAME}, goodbye "
    assert report(call, "restore").detail["dropped_partial"] == 1


def test_a_conversation_shares_tokens_and_others_do_not(protector: Governed) -> None:
    first = new_call(f"I am {NAME}.", conversation="conversation-a")
    _, backend = run(protector, echo, first)
    assert re.search(r"I am <PERSON_1>\.", sent_to_model(backend))

    text = f"My colleague John Smith knows {NAME}."
    chunks, backend = run(protector, echo, new_call(text, conversation="conversation-a"))
    assert "My colleague <PERSON_2> knows <PERSON_1>." in sent_to_model(backend)
    assert "".join(chunks) == text

    other = new_call("My colleague John Smith.", conversation="conversation-b")
    chunks, backend = run(protector, echo, other)
    assert "My colleague <PERSON_1>." in sent_to_model(backend)
    assert "".join(chunks) == "My colleague John Smith."  # its <PERSON_1>, not the first's

    # Without a conversation, each call is its own scope.
    lone = new_call(f"I am {NAME} and John Smith.")
    _, backend = run(protector, echo, lone)
    assert "I am <PERSON_1> and <PERSON_2>" in sent_to_model(backend)
