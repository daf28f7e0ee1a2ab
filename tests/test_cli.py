"""The CLI through its runner: exit codes, human output and the JSON shapes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import EXAMPLES, CliRun


def test_add_examples_then_docs_show_search_export_summary(run: CliRun) -> None:
    added = run("add", "--json", str(EXAMPLES))
    assert added.exit_code == 0, added.output
    summary = json.loads(added.stdout)
    assert summary["failed"] == 0
    assert summary["added"] + summary["new_versions"] >= 12

    docs = json.loads(run("docs", "--json").stdout)
    assert len(docs) == summary["added"] + summary["new_versions"]
    assert "text" not in docs[0]
    published = [d["published"] for d in docs]
    assert published == sorted(published)

    statements = json.loads(run("docs", "--json", "--kind", "statement").stdout)
    assert statements and all(d["kind"] == "statement" for d in statements)

    first = docs[0]
    shown = json.loads(run("show", "--json", first["id"][:10]).stdout)
    assert shown["id"] == first["id"] and shown["text"]

    hits = json.loads(run("search", "--json", "satellite").stdout)
    assert hits
    assert all(any(p["hit"] and p["text"].lower().startswith("satellite")
                   for p in h["snippet"]) for h in hits)

    exported = run("export", "--what", "documents", "--format", "jsonl").stdout.splitlines()
    assert len(exported) == len(docs)
    assert {"id", "uri", "published", "publisher", "text"} <= set(json.loads(exported[0]))
    rows = list(csv.DictReader(io.StringIO(
        run("export", "--what", "documents", "--format", "csv").stdout)))
    assert len(rows) == len(docs) and rows[0]["text"]

    statements = [json.loads(line) for line in run("export").stdout.splitlines()]
    assert len(statements) == summary["statements"] > 0
    first = statements[0]
    assert {"document", "kind", "source", "cue", "content", "stance", "hedges", "said_on",
            "event_dates", "evidence", "via", "propositions"} <= set(first)
    assert set(first["document"]) == {"id", "uri", "published", "publisher", "title", "kind"}
    shown_text = json.loads(run("show", "--json", first["document"]["id"]).stdout)["text"]
    content = first["content"]
    assert shown_text[content["start"]:content["end"]] == content["text"]

    counts = json.loads(run("summary", "--json").stdout)
    assert counts["documents"] == len(docs)
    human = run("summary")
    assert human.exit_code == 0 and "document(s)" in human.stdout


def test_readding_prints_unchanged_and_exit_zero(run: CliRun, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Rutte confirmed units were in the Kursk region.")
    run("add", str(source))
    again = run("add", str(source))
    assert again.exit_code == 0
    assert "0 added, 1 unchanged" in again.stdout


def test_show_unknown_document_is_one_line_and_exit_one(run: CliRun, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Rutte confirmed units were in the Kursk region.")
    run("add", str(source))
    result = run("show", "deadbeefdeadbeef")
    assert result.exit_code == 1
    assert "no document with that id" in result.output


def test_flags_override_sidecar_metadata(run: CliRun, tmp_path: Path) -> None:
    source = tmp_path / "s.txt"
    source.write_text("The ministry dismissed the reports.")
    (tmp_path / "s.txt.meta.json").write_text(json.dumps({"publisher": "Sidecar",
                                                          "published": "2024-10-01"}))
    result = run("add", "--publisher", "Flag Wire", "--published", "2024-10-05", "--estimated",
                 "--kind", "statement", str(source))
    assert result.exit_code == 0, result.output
    (doc,) = json.loads(run("docs", "--json").stdout)
    assert (doc["publisher"], doc["published"], doc["published_estimated"], doc["kind"]) == \
        ("Flag Wire", "2024-10-05", True, "statement")


def test_verify_reports_a_tampered_archive(run: CliRun, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Original words about the troops.")
    run("add", str(source))
    assert run("verify").exit_code == 0
    (segment,) = (tmp_path / "cli.archive").glob("*.warc.gz")
    segment.write_bytes(b"")
    result = run("verify")
    assert result.exit_code == 1
    assert "1 problem(s)" in result.stdout


def test_add_without_extraction_then_reextract(run: CliRun, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Rutte said on Monday that units were in the Kursk region.")
    added = json.loads(run("add", "--no-extract", "--json", str(source)).stdout)
    assert (added["added"], added["statements"]) == (1, 0)
    assert json.loads(run("summary", "--json").stdout)["statements"] == 0
    assert "1 statement(s) extracted" in run("reextract").stdout
    assert json.loads(run("summary", "--json").stdout)["statements"] == 1
