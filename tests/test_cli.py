"""The CLI through its runner: exit codes, human output and the JSON shapes."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
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


def test_verify_reports_a_broken_database(run: CliRun, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Original words about the troops.")
    run("add", str(source))
    assert json.loads(run("verify", "--json").stdout)["database"] == []
    # A blob row lost behind the store's back (foreign keys off, as a careless tool would).
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("DELETE FROM blobs")
    result = run("verify", "--json")
    assert result.exit_code == 1
    database = json.loads(result.stdout)["database"]
    assert "1 document(s) without their archived blob row" in database
    assert any(problem.startswith("foreign key: documents") for problem in database)


def test_add_without_extraction_then_reextract(run: CliRun, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Rutte said on Monday that units were in the Kursk region.")
    added = json.loads(run("add", "--no-extract", "--json", str(source)).stdout)
    assert (added["added"], added["statements"]) == (1, 0)
    assert json.loads(run("summary", "--json").stdout)["statements"] == 0
    assert "1 statement(s) extracted" in run("reextract").stdout
    assert json.loads(run("summary", "--json").stdout)["statements"] == 1


def _cells(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def test_exports_join_statements_documents_sources_and_propositions(run: CliRun) -> None:
    assert run("add", str(EXAMPLES)).exit_code == 0
    assert run("propose", "--file", str(EXAMPLES.parent / "kursk-propositions.json")
               ).exit_code == 0
    # No explicit `link`: export links a stale ledger first, as `report` does.
    statements = [json.loads(line) for line in run("export").stdout.splitlines()]
    sources = {s["id"]: s for s in json.loads(run("sources", "--json").stdout)}
    docs = {d["id"]: d for d in json.loads(run("docs", "--json").stdout)}
    resolved = [s for s in statements if s["source_id"]]
    assert len(resolved) > len(statements) / 2
    for s in resolved:
        assert s["resolved_source"]["name"] == sources[s["source_id"]]["name"]
    assert all(s["id"] and s["document"]["id"] in docs for s in statements)
    listed = {s["id"]: s["source_id"] for s in json.loads(run("statements", "--json").stdout)}
    assert listed == {s["id"]: s["source_id"] for s in statements}
    linked = [s for s in statements if s["propositions"]]
    assert linked and all({"id", "stance", "score"} <= set(p) for s in linked
                          for p in s["propositions"])

    header, rows = _cells(run("export", "--format", "csv").stdout)
    assert {"statement_id", "document_id", "statement_kind", "document_kind", "source_id",
            "resolved_source_name", "propositions", "proposition_ids"} <= set(header)
    assert "kind" not in header
    by_id = {r["statement_id"]: r for r in rows}
    assert set(by_id) == {s["id"] for s in statements}
    for s in statements:
        row = by_id[s["id"]]
        assert row["document_id"] == s["document"]["id"]
        assert row["document_kind"] == docs[s["document"]["id"]]["kind"]  # what docs --kind means
        assert row["statement_kind"] == s["kind"]
        assert row["source_id"] == (s["source_id"] or "")
        assert row["proposition_ids"] == "; ".join(p["id"] for p in s["propositions"])

    header, links = _cells(run("export", "--what", "links", "--format", "csv").stdout)
    assert header[:3] == ["statement_id", "document_id", "proposition_id"]
    assert len(links) == sum(len(s["propositions"]) for s in statements)
    assert {r["proposition_origin"] for r in links} <= {"analyst", "discovered"}

    header, doc_rows = _cells(run("export", "--what", "documents", "--format", "csv").stdout)
    assert header[0] == "document_id" and "document_kind" in header
    assert {r["document_id"] for r in doc_rows} == set(docs)


def test_csv_exports_neutralise_formulas(run: CliRun, tmp_path: Path) -> None:
    from hostile import FORMULA_START, ROWS, write_corpus

    assert run("add", str(write_corpus(tmp_path))).exit_code == 0
    for what, expected in (("statements", "document_title"), ("documents", "title")):
        _, rows = _cells(run("export", "--what", what, "--format", "csv").stdout)
        cells = [c for r in rows for c in r.values() if c]
        live = [c for c in cells if c.startswith(FORMULA_START)]
        assert not live, (what, live)
        defused = [c for c in cells if c.startswith("'") and c[1:].startswith(FORMULA_START)]
        assert len(defused) >= 3, (what, defused)
        assert any(r[expected].startswith("'") for r in rows)
    _, docs = _cells(run("export", "--what", "documents", "--format", "csv").stdout)
    titles = {r["title"] for r in docs}
    assert "'" + ROWS[1]["title"] in titles and "'" + ROWS[2]["title"] in titles
    publishers = {r["publisher"] for r in docs}
    assert "'" + ROWS[1]["publisher"] in publishers and ROWS[0]["publisher"] in publishers
    # JSON Lines keep the text exactly: only spreadsheets evaluate cells.
    exported = [json.loads(line)
                for line in run("export", "--what", "documents").stdout.splitlines()]
    assert {d["title"] for d in exported} == {r["title"] for r in ROWS}
