"""The ledger store behaves the same on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest

from builders import article_html
from corroborate import Ledger, NotFound, open_ledger
from corroborate.errors import QueryError
from corroborate.store import DocumentFilter
from corroborate.store.migrations import MIGRATIONS


def write(path: Path, text: str, **meta: object) -> Path:
    path.write_text(text, encoding="utf-8")
    if meta:
        path.with_name(path.name + ".meta.json").write_text(json.dumps(meta))
    return path


def test_migrations_are_recorded_and_reopening_applies_nothing(
        ledger: Ledger, db_location: str, tmp_path: Path) -> None:
    assert ledger.store.migrations() == [m.name for m in MIGRATIONS]
    with open_ledger(db_location, tmp_path / "archive") as again:
        assert again.store.migrate() == []


def test_adding_the_same_bytes_twice_is_a_no_op(ledger: Ledger, tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt", "South Korea's spy agency said troops had left.")
    first = ledger.add([str(source)])
    second = ledger.add([str(source)])
    assert (first.added, first.unchanged) == (1, 0)
    assert (second.added, second.unchanged, second.new_versions) == (0, 1, 0)
    assert second.ok
    assert ledger.summary()["documents"] == 1
    assert ledger.summary()["sources_archived"] == 1


def test_changed_content_under_the_same_url_keeps_both_versions_linked(
        ledger: Ledger, tmp_path: Path) -> None:
    url = "https://wire.example.test/umerov"
    old = write(tmp_path / "v1.txt", "Umerov said a first clash took place.", url=url,
                published="2024-11-05")
    new = write(tmp_path / "v2.txt", "Umerov said a first clash took place. Update: casualties.",
                url=url, published="2024-11-06")
    ledger.add([str(old)])
    summary = ledger.add([str(new)])
    assert summary.new_versions == 1
    latest = ledger.get(url)
    assert latest.text.endswith("casualties.")
    assert latest.version_of is not None
    assert ledger.get(latest.version_of).text == "Umerov said a first clash took place."
    assert [v for v, _ in ledger.store.versions(url)] == [latest.version_of, latest.id]


def test_document_id_is_the_sha256_of_the_raw_bytes_and_raw_bytes_come_back(
        ledger: Ledger, tmp_path: Path) -> None:
    import hashlib

    raw = b"Kremlin spokesman Dmitry Peskov called the report a fake."
    source = tmp_path / "peskov.txt"
    source.write_bytes(raw)
    ledger.add([str(source)])
    (doc,) = ledger.documents(with_text=True)
    assert doc.id == hashlib.sha256(raw).hexdigest()
    assert ledger.store.raw_bytes(doc) == raw
    assert [problem for _, problem in ledger.verify()] == [None]


def test_metadata_precedence_flags_over_sidecar_over_manifest_over_format(
        ledger: Ledger, tmp_path: Path) -> None:
    from corroborate.api import flag_metadata
    from corroborate.ingest.pipeline import AddOptions

    page = tmp_path / "page.html"
    page.write_bytes(article_html("Format title", ["Body text about Kursk. " * 20],
                                  publisher="Format Wire", published="2024-10-01"))
    write(tmp_path / "page.html.meta.json", "{}".strip())
    (tmp_path / "page.html.meta.json").write_text(
        json.dumps({"publisher": "Sidecar Wire", "kind": "news"}))
    (tmp_path / "corroborate-manifest.csv").write_text(
        "path,publisher,title,published\npage.html,Manifest Wire,Manifest title,2024-10-02\n")
    options = AddOptions(flags=flag_metadata({"published": "2024-10-03",
                                              "published_estimated": True}))
    summary = ledger.add([str(tmp_path)], options)
    assert summary.ok, summary.failed
    (doc,) = ledger.documents()
    assert doc.publisher == "Sidecar Wire"
    assert doc.title == "Manifest title"
    assert doc.kind == "news"
    assert doc.author == "Ana Test"
    assert (doc.published, doc.published_estimated, doc.published_from) == \
        ("2024-10-03", True, "flag")


def test_documents_filter_by_publisher_kind_and_date(ledger: Ledger, tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Text A about troops.", publisher="Seoul Wire", kind="news",
          published="2024-10-18")
    write(tmp_path / "b.txt", "Text B about troops.", publisher="Kremlin", kind="statement",
          published="2024-10-25")
    write(tmp_path / "c.txt", "Text C about troops.", publisher="Seoul Wire", kind="news",
          published="2024-11-05")
    assert ledger.add([str(tmp_path)]).added == 3

    def titles(**where: str) -> list[str]:
        return [d.text for d in ledger.documents(DocumentFilter(**where), with_text=True)]

    assert titles(publisher="seoul") == ["Text A about troops.", "Text C about troops."]
    assert titles(kind="statement") == ["Text B about troops."]
    assert titles(since="2024-10-20", until="2024-10-31") == ["Text B about troops."]


def test_search_finds_words_and_phrases_with_highlighted_snippets(
        ledger: Ledger, tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Satellite images showed Russian navy ships near Vladivostok.")
    write(tmp_path / "b.txt", "The minister denied that any soldiers were in Kursk.")
    ledger.add([str(tmp_path)])
    hits = ledger.search("satellite images")
    assert len(hits) == 1
    assert [t for t, hit in hits[0].highlights() if hit] == ["Satellite", "images"] or \
        [t for t, hit in hits[0].highlights() if hit] == ["Satellite images"]
    assert [h.document.text[:3] for h in ledger.search('"denied that" -Vladivostok')] == ["The"]
    assert ledger.search("north-korean OR kursk")[0].document.text.startswith("The minister")
    with pytest.raises(QueryError, match="no words to search for"):
        ledger.search('"')


def test_get_accepts_id_prefix_and_uri_and_says_what_is_missing(
        ledger: Ledger, tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Some text.", url="https://x.test/a")
    ledger.add([str(tmp_path)])
    (doc,) = ledger.documents()
    assert ledger.get(doc.id[:8]).id == doc.id
    assert ledger.get("https://x.test/a").id == doc.id
    with pytest.raises(NotFound, match="no document"):
        ledger.get("ffffffffffff")


def test_link_runs_again_and_again_forced_or_not(ledger: Ledger, tmp_path: Path) -> None:
    from corroborate.link.propositions import Proposition

    write(tmp_path / "a.txt", "The defence ministry said 100 North Korean soldiers were in "
          "Kursk. The Kremlin denied that North Korean soldiers were in Kursk.",
          published="2024-10-20")
    ledger.add([str(tmp_path / "a.txt")])
    ledger.propose([Proposition("P1", "North Korean soldiers are in Kursk")])
    first = ledger.link()
    assert first is not None and first.assignments > 0
    assert ledger.link() is None  # nothing changed
    again = ledger.link(force=True)
    assert again is not None and again.assignments == first.assignments
    assert ledger.link(force=True) is not None
    ledger.report_model()  # what `report` does: links only when stale
    assert ledger.assessment("P1").timeline
    assert not ledger.links.is_stale()
    ledger.propose([Proposition("P1", "North Korean soldiers are in the Kursk region")])
    assert ledger.links.is_stale()  # re-proposing (an upsert) keeps its links valid
    assert ledger.link() is not None
    assert ledger.store.integrity() == []


def test_cli_link_twice_and_after_timeline_report_and_sources(run, tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "The defence ministry said 100 North Korean soldiers were in "
          "Kursk.", published="2024-10-20")
    props = tmp_path / "props.json"
    props.write_text(json.dumps({"propositions": [{"id": "P1", "statement":
                                                   "North Korean soldiers are in Kursk"}]}))
    assert run("add", str(tmp_path / "a.txt")).exit_code == 0
    assert run("propose", "--file", str(props)).exit_code == 0
    for command in (["link"], ["link"], ["timeline", "P1"], ["link"], ["sources"], ["link"],
                    ["report", "-o", str(tmp_path / "r.html")], ["link"]):
        result = run(*command)
        assert result.exit_code == 0, (command, result.output)


def test_resolved_statements_give_the_resolved_source_and_propositions(
        ledger: Ledger, tmp_path: Path) -> None:
    from corroborate.link.propositions import Proposition

    write(tmp_path / "a.txt", "NATO Secretary-General Mark Rutte said North Korean troops "
          "had been sent to Russia.", published="2024-10-28")
    ledger.add([str(tmp_path / "a.txt")])
    ledger.propose([Proposition("P1", "North Korean troops have been sent to Russia")])
    (unlinked,) = ledger.resolved_statements(link=False)
    assert unlinked.source_id is None and unlinked.propositions == ()
    (row,) = ledger.resolved_statements()
    assert row.source_id and row.source_name == "Mark Rutte"
    assert row.document.id == row.statement.doc_id
    assert [p["id"] for p in row.propositions] == ["P1"]
    assert set(row.propositions[0]) == {"id", "stance", "score"}


def test_ledgers_from_before_0006_keep_their_data_and_gain_the_keys(
        db_location: str, tmp_path: Path) -> None:
    """Build a ledger with the shipped migrations 0001-0005 only, as an older corroborate
    left it, then open it: documents, statements and search survive, references are real."""
    from corroborate.store.backends import connect

    db = connect(db_location)
    db.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    for migration in MIGRATIONS[:5]:
        for sql in migration.sqlite if db.dialect == "sqlite" else migration.postgres:
            db.execute(sql)
        db.execute("INSERT INTO schema_migrations VALUES (?, 'then')", (migration.name,))
    db.execute("INSERT INTO blobs VALUES ('b1', 5, 'seg', 0, 'a.txt', 'txt', 'then')")
    for n, doc in enumerate(("d1", "d2"), start=1):
        db.execute("INSERT INTO documents (id, uri, kind, format, text, raw_ref, blob, "
                   "producer, added_at, title) VALUES (?, ?, 'news', 'txt', ?, 'sha256:b1', "
                   "'b1', 'test', 'then', 'Title')",
                   (doc, f"file:{doc}", f"Satellite images number {n} of Kursk."))
        if db.dialect == "sqlite":
            db.execute("INSERT INTO documents_fts(rowid, title, text) VALUES (?, 'Title', ?)",
                       (n, f"Satellite images number {n} of Kursk."))
    db.execute("INSERT INTO statements (id, doc_id, position, kind, content_text, "
               "content_start, content_end, stance, data, producer) VALUES "
               "('s1', 'd2', 0, 'author', 'images', 10, 16, 'affirm', ?, 'test')",
               (json.dumps({"kind": "author", "content": {"text": "images", "start": 10,
                                                          "end": 16}, "stance": "affirm"}),))
    db.execute("INSERT INTO propositions VALUES ('P1', 'x', 'analyst', 'then')")
    db.execute("INSERT INTO assignments VALUES ('s1', 'P1', 0.5, 'affirm', '2024-10-01')")
    db.execute("INSERT INTO assignments VALUES ('s1', 'GONE', 0.5, 'affirm', '2024-10-01')")
    db.execute("INSERT INTO meta VALUES ('linked', 'then')")
    db.close()

    with open_ledger(db_location, tmp_path / "archive") as ledger:
        assert ledger.store.migrations() == [m.name for m in MIGRATIONS]
        assert [d.id for d in ledger.documents()] == ["d1", "d2"]
        assert [h.document.id for h in ledger.search("number 2")] == ["d2"]
        assert [s.doc_id for s in ledger.statements()] == ["d2"]
        assert ledger.links.links_by_statement() == {
            "s1": [{"id": "P1", "stance": "affirm", "score": 0.5}]}  # the orphan is gone
        assert ledger.links.is_stale()
        db = ledger.store.backend
        if db.dialect == "sqlite":
            assert ledger.store.integrity() == []
            assert [r[1] for r in db.query("PRAGMA table_info(documents)") if r[5]] == ["id"]


def test_every_reference_is_a_foreign_key_to_a_primary_key(ledger: Ledger) -> None:
    """What Datasette needs to draw a link from a row to the row it refers to."""
    db = ledger.store.backend
    if db.dialect != "sqlite":
        rows = db.query(
            "SELECT cl.relname, a.attname, cf.relname, af.attname, "
            "(SELECT contype FROM pg_constraint p WHERE p.conrelid = c.confrelid "
            " AND p.conkey = c.confkey AND p.contype = 'p') "
            "FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid "
            "JOIN pg_class cf ON cf.oid = c.confrelid "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
            "JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1] "
            "WHERE c.contype = 'f'")
        found = {(r[0], r[1]): (r[2], r[3]) for r in rows}
        assert all(r[4] == "p" for r in rows), rows
    else:
        tables = [r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type='table'")]
        found = {}
        for table in tables:
            for fk in db.query(f"PRAGMA foreign_key_list({table})"):
                found[(table, fk[3])] = (fk[2], fk[4])
                pk = [r[1] for r in db.query(f"PRAGMA table_info({fk[2]})") if r[5]]
                assert pk == [fk[4]], (table, fk)
    assert {k: found.get(k) for k in [
        ("statements", "doc_id"), ("documents", "blob"), ("documents", "version_of"),
        ("statement_sources", "statement_id"), ("statement_sources", "source_id"),
        ("statement_sources", "via_source_id"), ("assignments", "statement_id"),
        ("assignments", "proposition_id"), ("relays", "statement_id"),
        ("relays", "relayer_id"), ("relays", "origin_id")]} == {
        ("statements", "doc_id"): ("documents", "id"),
        ("documents", "blob"): ("blobs", "sha256"),
        ("documents", "version_of"): ("documents", "id"),
        ("statement_sources", "statement_id"): ("statements", "id"),
        ("statement_sources", "source_id"): ("sources", "id"),
        ("statement_sources", "via_source_id"): ("sources", "id"),
        ("assignments", "statement_id"): ("statements", "id"),
        ("assignments", "proposition_id"): ("propositions", "id"),
        ("relays", "statement_id"): ("statements", "id"),
        ("relays", "relayer_id"): ("sources", "id"),
        ("relays", "origin_id"): ("sources", "id")}


def test_timeline_view_matches_the_timeline(ledger: Ledger, tmp_path: Path) -> None:
    from corroborate.link.propositions import Proposition

    write(tmp_path / "a.txt", "The defence ministry said on October 20, 2024 that North Korean "
          "soldiers were in Kursk.", published="2024-10-21")
    ledger.add([str(tmp_path / "a.txt")])
    ledger.propose([Proposition("P1", "North Korean soldiers are in Kursk")])
    timeline = ledger.assessment("P1").timeline
    rows = ledger.store.backend.query(
        "SELECT statement_id, date, precision, date_basis, stance, source, document_id "
        "FROM timeline WHERE proposition_id = 'P1' ORDER BY date, statement_id")
    assert [(r[0], r[1], r[4]) for r in rows] == \
        [(e.statement_id, e.date, e.stance) for e in timeline]
    assert all(r[2] == "day" and r[3] in ("said_on", "published") for r in rows)
    resolved = ledger.store.backend.query(
        "SELECT source_name, source_name_guess FROM statements_resolved")
    assert resolved and all(r[0] for r in resolved)


@pytest.mark.parametrize(("typed", "runs", "adjusted"), [
    ("satellite images", "satellite images", False),
    ('"denied that" -Vladivostok', '"denied that" -Vladivostok', False),
    ("a OR OR b", "a OR b", True),
    ("OR a OR", "a", True),
    ('"unbalanced phrase here', '"unbalanced phrase here"', True),
    ("north-korean OR kursk", '"north korean" OR kursk', False),
    ("x -- y", "x y", True),
])
def test_web_queries_parse_totally_and_say_what_they_adjusted(
        typed: str, runs: str, adjusted: bool) -> None:
    from corroborate.store import parse_query

    parsed = parse_query(typed)
    assert parsed.normalised() == runs
    assert parsed.adjusted is adjusted, parsed.notes


@pytest.mark.parametrize(("typed", "message"), [
    ("", "no words"), ('"', "no words"), ("!!! ??", "no words"), ("OR OR", "no words"),
    ("-kremlin", "only excluded words")])
def test_queries_with_nothing_to_search_for_say_so(typed: str, message: str) -> None:
    from corroborate.store import parse_query

    with pytest.raises(QueryError, match=message):
        parse_query(typed)


def test_an_unclosed_quote_is_a_phrase_to_the_end(ledger: Ledger, tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Satellite images showed Russian navy ships near Vladivostok.")
    write(tmp_path / "b.txt", "Images from a satellite were not published.")
    ledger.add([str(tmp_path)])
    assert len(ledger.search('"satellite images')) == 1
    assert len(ledger.search("satellite images")) == 2
    assert len(ledger.search("kursk OR OR navy satellite")) == 1  # (kursk OR navy) satellite


def test_search_never_fails_on_any_string(ledger: Ledger, tmp_path: Path) -> None:
    """Whatever is typed, search returns hits or raises QueryError, on FTS5 and PostgreSQL."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    write(tmp_path / "a.txt", 'Kursk "troops" OR NOT -near the border; NEAR(x y) a* ^b.')
    ledger.add([str(tmp_path)])
    alphabet = st.sampled_from(list('ab OR NOT AND NEAR " - * ^ ( ) : + . , \\ \' é 北 _ 1'))
    queries = st.one_of(st.text(), st.text(alphabet=alphabet).map(str),
                        st.lists(st.sampled_from(["a", "OR", '"', "-", "kursk", "NOT", "(",
                                                  "border", "-near", '"a b']),
                                 max_size=8).map(" ".join))

    @settings(max_examples=150, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(queries)
    def search(query: str) -> None:
        with contextlib.suppress(QueryError):
            ledger.search(query)

    search()


def test_a_write_inside_a_read_snapshot_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    from corroborate.errors import StoreError
    from corroborate.link.propositions import Proposition

    with ledger.store.snapshot(), pytest.raises(StoreError, match="inside a read snapshot"):
        ledger.propose([Proposition("P1", "x")])
    assert ledger.propose([Proposition("P1", "x")]) == ["P1"]  # the snapshot was released
