"""The pipeline's order and fail-closed behaviour, with a scripted backend (a unit test)."""

import time
from collections.abc import Iterator

import pytest

from tutela.domain import GENERAL
from tutela.errors import AccessDenied, AuditError, StageError
from tutela.pipeline import Call, GenerateStage, Pipeline, StageReport
from tutela.principal import Principal
from tutela.runtime.protocol import ChatCompletion, ChatDelta, ChatMessage, ChatRequest, Usage


class ScriptedBackend:
    name = "scripted"
    model_id = "scripted-1"

    def __init__(self, chunks: list[str]) -> None:
        self.chunks = chunks
        self.requests: list[ChatRequest] = []

    def complete(self, request: ChatRequest) -> ChatCompletion:
        raise AssertionError("the pipeline streams")

    def stream(self, request: ChatRequest) -> Iterator[ChatDelta]:
        self.requests.append(request)
        for chunk in self.chunks:
            yield ChatDelta(chunk)
        yield ChatDelta("", "stop", Usage(7, len(self.chunks)))

    def close(self) -> None:
        pass


def new_call() -> Call:
    return Call(
        principal=Principal.local_admin(),
        domain=GENERAL,
        purpose=None,
        messages=[ChatMessage("user", "hello")],
        max_tokens=8,
        temperature=0.0,
        seed=None,
        stop=(),
    )


class Recorder:
    def __init__(self, name: str, log: list[str], fail: Exception | None = None) -> None:
        self.name, self.log, self.fail = name, log, fail

    def run(self, call: Call) -> StageReport:
        self.log.append(self.name)
        if self.fail:
            raise self.fail
        return StageReport(stage=self.name, implementation="test", outcome="allow", elapsed_ms=0)


class UpperFilter:
    """Holds text back until a space, to check that held text is released at the end."""

    def __init__(self) -> None:
        self.held = ""

    def push(self, text: str) -> str:
        self.held += text
        cut = self.held.rfind(" ") + 1
        out, self.held = self.held[:cut], self.held[cut:]
        return out.upper()

    def close(self) -> str:
        out, self.held = self.held, ""
        return out.upper()

    def report(self) -> StageReport:
        return StageReport(
            stage="protect_output", implementation="upper", outcome="transform", elapsed_ms=0
        )


class UpperStage:
    name = "protect_output"

    def open(self, call: Call) -> UpperFilter:
        return UpperFilter()


class SameFilter:
    def __init__(self, name: str) -> None:
        self.name = name

    def push(self, text: str) -> str:
        return text

    def close(self) -> str:
        return ""

    def report(self) -> StageReport:
        return StageReport(stage=self.name, implementation="same", outcome="allow", elapsed_ms=0)


class SameStage:
    def __init__(self, name: str) -> None:
        self.name = name

    def open(self, call: Call) -> SameFilter:
        return SameFilter(self.name)


def pipeline_with(backend, log, **replace) -> Pipeline:
    stages = {name: Recorder(name, log) for name in ("authorize", "protect_input", "retrieve")}
    stages |= {name: SameStage(name) for name in ("protect_output", "restore")}
    stages["audit"] = Recorder("audit", log)
    stages |= replace
    return Pipeline(generate=GenerateStage(backend), **stages)


def test_stages_run_in_order_and_report() -> None:
    log: list[str] = []
    backend = ScriptedBackend(["Hel", "lo ", "world"])
    call = new_call()
    text = "".join(pipeline_with(backend, log).run(call))
    assert text == "Hello world"
    assert log == ["authorize", "protect_input", "retrieve", "audit"]
    assert [r.stage for r in call.reports] == [
        "authorize",
        "protect_input",
        "retrieve",
        "generate",
        "protect_output",
        "restore",
        "audit",
    ]
    assert call.usage == Usage(7, 3)
    assert call.model == "scripted-1"
    assert call.finish_reason == "stop"


def test_text_stage_sees_the_stream_and_releases_held_text() -> None:
    log: list[str] = []
    backend = ScriptedBackend(["Hel", "lo ", "wor", "ld"])
    pipeline = pipeline_with(backend, log, protect_output=UpperStage())
    chunks = list(pipeline.run(new_call()))
    assert chunks == ["HELLO ", "WORLD"]


def test_denial_stops_the_call_before_the_model_and_is_audited() -> None:
    log: list[str] = []
    backend = ScriptedBackend(["never"])
    pipeline = pipeline_with(
        backend, log, authorize=Recorder("authorize", log, AccessDenied("denied by policy p1"))
    )
    with pytest.raises(AccessDenied):
        list(pipeline.run(new_call()))
    assert backend.requests == []
    assert log == ["authorize", "audit"]


def test_unexpected_failure_fails_closed_without_leaking_text() -> None:
    log: list[str] = []
    secret = "patient Jane Roe, SSN 123-45-6789"
    failing = Recorder("protect_input", log, ValueError(secret))
    pipeline = pipeline_with(ScriptedBackend(["x"]), log, protect_input=failing)
    with pytest.raises(StageError) as caught:
        list(pipeline.run(new_call()))
    assert caught.value.stage == "protect_input"
    assert secret not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert log == ["authorize", "protect_input", "audit"]


def test_abandoned_stream_is_still_audited() -> None:
    log: list[str] = []
    stream = pipeline_with(ScriptedBackend(["a", "b", "c"]), log).run(new_call())
    next(stream)
    stream.close()
    assert log[-1] == "audit"


def test_failed_stage_is_reported_as_error_to_the_audit() -> None:
    log: list[str] = []
    call = new_call()
    failing = Recorder("retrieve", log, RuntimeError("boom"))
    with pytest.raises(StageError):
        list(pipeline_with(ScriptedBackend(["x"]), log, retrieve=failing).run(call))
    assert call.reports[-2].stage == "retrieve"
    assert call.reports[-2].outcome == "error"
    assert call.reports[-2].detail == {"error": "RuntimeError"}
    assert call.reports[-1].stage == "audit"


def test_audit_failure_refuses_the_call() -> None:
    log: list[str] = []
    broken = Recorder("audit", log, OSError("disk full"))
    with pytest.raises(AuditError, match="could not be written"):
        list(pipeline_with(ScriptedBackend(["x"]), log, audit=broken).run(new_call()))


def test_text_stage_reports_the_time_spent_in_it() -> None:
    class SlowFilter(SameFilter):
        def push(self, text: str) -> str:
            time.sleep(0.01)
            return text

    class SlowStage(SameStage):
        def open(self, call: Call) -> SlowFilter:
            return SlowFilter(self.name)

    call = new_call()
    pipeline = pipeline_with(ScriptedBackend(["a", "b"]), [], restore=SlowStage("restore"))
    assert "".join(pipeline.run(call)) == "ab"
    elapsed = {r.stage: r.elapsed_ms for r in call.reports}
    assert elapsed["restore"] >= 20
    assert elapsed["protect_output"] < elapsed["restore"]
