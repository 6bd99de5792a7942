"""`tutela ingest`, `tutela search`, `tutela documents` and `tutela subjects erase`, run through
the command's entry point in this process on a real data directory (TUTELA_HOME from
conftest), with the real embedder, PII protector, policies and embedded Chroma."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import CliResult

NAME, EMAIL = "Rosalind Pemberton", "r.pemberton@example.net"


@pytest.fixture
def tutela(cli_in_process):
    return cli_in_process


def ok(result: CliResult) -> CliResult:
    assert result.code == 0, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def failed(result: CliResult, *fragments: str, code: int = 1) -> CliResult:
    assert result.code == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.err, result.err
    return result


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "fees.md").write_text(
        "# Advisory fees\n\nThe annual advisory fee is 0.8% of assets, billed every quarter.\n"
    )
    (folder / "hours.txt").write_text(
        "Branch hours\n\nThe wealth desk opens at nine and closes at five.\n"
    )
    (folder / "hours-copy.txt").write_text(
        "Branch hours\n\nThe wealth desk opens at nine and closes at five.\n"
    )
    return folder


def summary(result: CliResult) -> str:
    (line,) = [line for line in result.stdout.splitlines() if " files: " in line]
    return line


def documents(tutela, *args: str) -> list[dict]:
    return json.loads(ok(tutela("documents", "list", "--json", *args)).stdout)


def test_ingest_prints_a_summary_and_skips_unchanged_files(tutela, kb: Path) -> None:
    first = ok(tutela("ingest", str(kb), "--domain", "finance"))
    assert re.fullmatch(
        r"3 files: 2 added, 0 replaced, 0 unchanged, 1 duplicates dropped, 0 failed · "
        r"[1-9]\d* chunks · 0 personal values protected · 0 encodings repaired",
        summary(first),
    ), first.stdout
    assert "duplicate" in first.err and "hours.txt: same text as another document" in first.err

    again = ok(tutela("ingest", str(kb), "--domain", "finance"))
    assert summary(again).startswith(
        "3 files: 0 added, 0 replaced, 2 unchanged, 1 duplicates dropped, 0 failed · 0 chunks"
    )
    (kb / "fees.md").write_text(f"# Advisory fees\n\nAsk {NAME} at {EMAIL} about fees of 0.9%.\n")
    changed = ok(tutela("ingest", str(kb), "--domain", "finance"))
    assert summary(changed).startswith("3 files: 0 added, 1 replaced, 1 unchanged")
    assert "2 personal values protected" in summary(changed)
    assert len(documents(tutela)) == 2


def test_ingest_json_report_and_exit_code_2_when_a_file_failed(tutela, kb: Path) -> None:
    (kb / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf")
    (kb / "empty.txt").write_bytes(b"")
    result = tutela("ingest", str(kb), "--domain", "finance", "--json")
    assert result.code == 2, result.stderr
    report = json.loads(result.stdout)
    files = {Path(f["path"]).name: f for f in report["files"]}
    assert {name: f["status"] for name, f in files.items()} == {
        "broken.pdf": "failed",
        "empty.txt": "failed",
        "fees.md": "added",
        "hours-copy.txt": "added",
        "hours.txt": "duplicate",
    }
    for entry in report["files"]:
        assert set(entry) == {"path", "status", "doc_id", "chunks", "reason"}
    assert files["broken.pdf"]["reason"].startswith("malformed PDF")
    assert files["empty.txt"]["reason"] == "the file is empty"
    assert files["fees.md"]["chunks"] == 1 and len(files["fees.md"]["doc_id"]) == 24
    quality = report["quality"]
    assert quality["by_status"] == {"failed": 2, "added": 2, "duplicate": 1}
    assert quality["failures"] == {"malformed PDF": 1, "the file is empty": 1}
    assert quality["chunks"] == 2 and quality["domain"] == "finance"

    # The human report names the failures on stderr and still exits 2.
    (kb / "fees.md").write_text("# Advisory fees\n\nThe fee is now 0.7% of assets.\n")
    result = tutela("ingest", str(kb), "--domain", "finance")
    failed(result, "broken.pdf: malformed PDF", "empty.txt: the file is empty", code=2)
    assert summary(result).startswith(
        "5 files: 0 added, 1 replaced, 1 unchanged, 1 duplicates dropped, 2 failed"
    )


def test_ingest_acl_classification_and_bad_options(tutela, kb: Path) -> None:
    ok(
        tutela(
            "ingest",
            str(kb / "fees.md"),
            "--domain",
            "finance",
            "--acl",
            "wealth",
            "--acl",
            "research",
            "--classification",
            "product_sheet",
        )
    )
    (listed,) = documents(tutela)
    assert listed["acl"] == ["research", "wealth"]
    assert (listed["data_class"], listed["domain"], listed["format"]) == (
        "product_sheet",
        "finance",
        "markdown",
    )
    assert (listed["subject"], listed["chunks"]) == (False, 1)

    failed(
        tutela("ingest", str(kb), "--domain", "finance", "--classification", "secretish"),
        "InputError: unknown classification 'secretish': one of",
        "client_record",
    )
    failed(tutela("ingest", str(kb / "missing.txt"), "--domain", "finance"), "does not exist")
    failed(tutela("ingest", str(kb), "--domain", "astrology"), "astrology")
    assert len(documents(tutela)) == 1  # nothing was added by the refused runs


def test_search_as_a_user(tutela, kb: Path, tmp_path: Path) -> None:
    records = tmp_path / "records"
    records.mkdir()
    (records / "kyc.txt").write_text(
        f"Client profile\n\n{NAME} keeps a sailing yacht and wants a low-risk bond ladder. "
        f"Write to {EMAIL}.\n"
    )
    sheets_for_wealth = ("--classification", "product_sheet", "--acl", "wealth")
    ok(tutela("ingest", str(kb), "--domain", "finance", *sheets_for_wealth))
    ok(
        tutela(
            "ingest",
            str(records),
            "--domain",
            "finance",
            "--classification",
            "client_record",
            "--acl",
            "wealth",
            "--subject",
            "client-7",
        )
    )
    listed = documents(tutela)
    sheets = {d["doc_id"] for d in listed if d["data_class"] == "product_sheet"}
    ids = {d["data_class"]: d["doc_id"] for d in listed}
    assert len(sheets) == 2 and len(listed) == 3
    ok(tutela("users", "add", "ava", "--role", "advisor", "--group", "wealth"))
    ok(tutela("users", "add", "cal", "--role", "analyst", "--group", "wealth"))

    result = ok(
        tutela(
            "search",
            "sailing yacht bond ladder",
            "--domain",
            "finance",
            "--as",
            "ava",
            "--purpose",
            "ADVICE",
            "-k",
            "1",
            "--json",
        )
    )
    found = json.loads(result.stdout)
    assert found["domain"] == "finance" and found["call_id"]
    (hit,) = found["hits"]
    assert set(hit) == {"doc_id", "chunk_id", "title", "score", "text"}
    assert hit["doc_id"] == ids["client_record"] and hit["chunk_id"].startswith(hit["doc_id"])
    assert hit["title"] == "Client profile" and hit["score"] > 0
    assert "sailing yacht" in hit["text"] and "<PERSON_" in hit["text"]
    assert NAME not in result.stdout and EMAIL not in result.stdout
    assert [s["stage"] for s in found["stages"]][:3] == ["authorize", "protect_input", "retrieve"]

    # The analyst may not read client records: the same query finds only product sheets.
    result = ok(
        tutela(
            "search",
            "sailing yacht bond ladder",
            "--domain",
            "finance",
            "--as",
            "cal",
            "--purpose",
            "RESEARCH",
            "--json",
        )
    )
    hits = json.loads(result.stdout)["hits"]
    assert {h["doc_id"] for h in hits} == sheets

    # The plain listing shows title, ids, score and protected text.
    text = ok(
        tutela(
            "search", "sailing yacht", "--domain", "finance", "--as", "ava", "--purpose", "ADVICE"
        )
    ).out
    assert f"[1] Client profile doc {ids['client_record']} · chunk {ids['client_record']}-" in text
    assert re.search(r"score \d\.\d{4} ", text) and "<PERSON_1> keeps a sailing yacht" in text

    failed(
        tutela("search", "fees", "--domain", "finance", "--as", "nobody", "--purpose", "ADVICE"),
        "AccessDenied",
        "unknown user",
    )
    failed(
        tutela("search", "fees", "--domain", "finance", "--as", "ava"), "AccessDenied", "purpose"
    )
    failed(tutela("search", "fees", "--domain", "finance"), "AccessDenied")  # the admin reads none
    assert tutela("search", "fees", "--domain", "finance", "-k", "51").code == 2
    # A client outside the wealth group may search but reads none of these documents.
    ok(tutela("users", "add", "cleo", "--role", "client"))
    result = ok(
        tutela("search", "sailing", "--domain", "finance", "--as", "cleo", "--purpose", "ADVICE")
    )
    assert result.stdout == "" and "No readable document matches." in result.err


def test_documents_list_and_delete(tutela, kb: Path) -> None:
    ok(tutela("ingest", str(kb), "--domain", "finance"))
    ok(tutela("ingest", str(kb / "fees.md"), "--domain", "healthcare", "--tenant", "clinic"))
    listed = documents(tutela)
    assert len(listed) == 2 and {d["domain"] for d in listed} == {"finance"}
    for entry in listed:
        assert set(entry) == {
            "doc_id",
            "domain",
            "data_class",
            "acl",
            "subject",
            "format",
            "chunks",
        }
        assert (entry["data_class"], entry["acl"], entry["chunks"]) == (
            "financial",
            ["everyone"],
            1,
        )
    assert documents(tutela, "--domain", "healthcare") == []
    (clinic,) = documents(tutela, "--tenant", "clinic")
    assert (clinic["domain"], clinic["data_class"]) == ("healthcare", "phi")

    table = ok(tutela("documents", "list")).out
    assert "2 documents of tenant default" in table
    assert all(d["doc_id"] in table for d in listed)

    doc_id = next(d["doc_id"] for d in listed if d["format"] == "markdown")
    removed = ok(tutela("documents", "delete", doc_id, "--domain", "finance"))
    assert f"Removed document {doc_id}: 1 chunks." in removed.out
    assert doc_id not in {d["doc_id"] for d in documents(tutela)}
    failed(tutela("documents", "delete", doc_id, "--domain", "finance"), "no document")
    # The other tenant's copy of the same file is a different document, still there.
    failed(tutela("documents", "delete", clinic["doc_id"], "--domain", "healthcare"), "no document")
    assert documents(tutela, "--tenant", "clinic") == [clinic]


def test_subjects_erase_removes_the_subjects_chunks(tutela, tmp_path: Path) -> None:
    folder = tmp_path / "subject"
    folder.mkdir()
    (folder / "visit.txt").write_text(
        "Visit note\n\nThe patient reported knee pain after running.\n"
    )
    other = tmp_path / "other"
    other.mkdir()
    (other / "guide.txt").write_text(
        "Physiotherapy guide\n\nRest, ice and gentle exercise for knee pain.\n"
    )
    ok(tutela("ingest", str(folder), "--domain", "healthcare", "--subject", "patient-41"))
    ok(
        tutela(
            "ingest",
            str(folder),
            "--domain",
            "finance",
            "--subject",
            "patient-41",
            "--classification",
            "client_record",
        )
    )
    ok(tutela("ingest", str(other), "--domain", "healthcare"))
    listed = documents(tutela)
    assert sorted(d["subject"] for d in listed) == [False, True, True]
    ok(tutela("users", "add", "drew", "--role", "clinician"))

    def knee_hits() -> set[str]:
        result = tutela(
            "search",
            "knee pain",
            "--domain",
            "healthcare",
            "--as",
            "drew",
            "--purpose",
            "TREAT",
            "--json",
        )
        return {h["title"] for h in json.loads(ok(result).stdout)["hits"]}

    assert knee_hits() == {"Visit note", "Physiotherapy guide"}

    ok(tutela("subjects", "hold", "--subject", "patient-41", "--reason", "case 88"))
    failed(tutela("subjects", "erase", "--subject", "patient-41"), "LegalHoldError")
    assert len(documents(tutela)) == 3 and knee_hits() == {"Visit note", "Physiotherapy guide"}
    ok(tutela("subjects", "release", "--subject", "patient-41"))

    erased = ok(tutela("subjects", "erase", "--subject", "patient-41")).out
    match = re.search(
        r"Erased: (\d+) document chunks removed from the indexes, (\d+) data keys", erased
    )
    assert match and int(match.group(1)) == 2 and int(match.group(2)) >= 1, erased
    remaining = documents(tutela)
    assert [d["subject"] for d in remaining] == [False]
    assert knee_hits() == {"Physiotherapy guide"}
    again = ok(tutela("subjects", "erase", "--subject", "patient-41")).out
    assert "Nothing to erase" in again
