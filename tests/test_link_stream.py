"""Linking that streams the ledger (issue 10): chunked reads, per-document source keying, the
same links whatever the chunk size, and link, report and workbench on a PostgreSQL ledger."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from corroborate import open_ledger
from corroborate.link import run
from corroborate.link.names import CorpusNames, derive
from webkit import EXAMPLES, build_kursk, client


def _links(location: str, archive: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every derived record linking wrote, as sorted rows (floats rounded: PostgreSQL and
    SQLite print REAL differently)."""
    with open_ledger(location, archive) as ledger:
        db = ledger.store.backend
        out = {}
        for table, columns in (("sources", "id, key, name, type, statements, speaks_for"),
                               ("statement_sources", "statement_id, source_id, via_source_id"),
                               ("assignments", "statement_id, proposition_id, score, stance"),
                               ("relays", "statement_id, relayer_id, origin_id")):
            out[table] = sorted(tuple(round(v, 6) if isinstance(v, float) else v for v in row)
                                for row in db.query(f"SELECT {columns} FROM {table}"))
        return out


@pytest.fixture(scope="module")
def kursk_sqlite(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp("kursk-stream")
    return build_kursk(str(folder / "k.db"), folder / "archive"), folder / "archive"


def test_document_chunks_hold_every_statement_once_in_ledger_order(
        kursk_sqlite: tuple[str, Path]) -> None:
    with open_ledger(*kursk_sqlite) as ledger:
        store = ledger.store
        whole = [(st.doc_id, st.id) for st in store.statements()]
        chunks = list(store.document_chunks(size=3))
        streamed = [(doc.id, st.id) for chunk in chunks for doc, sts in chunk for st in sts]
        assert streamed == whole
        assert all(len(chunk) <= 3 for chunk in chunks)
        assert sum(len(chunk) for chunk in chunks) == len(store.document_ids())
        doc, _ = chunks[0][0]
        assert doc.text == store.get(doc.id).text


def test_chunk_size_does_not_change_the_links(kursk_sqlite: tuple[str, Path],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading two documents at a time (so a document's pronouns, the corpus's names and
    every source's first mention cross chunk boundaries) gives the links of one chunk."""
    location, archive = kursk_sqlite
    with open_ledger(location, archive) as ledger:
        ledger.link(force=True)
    one = _links(location, archive)
    monkeypatch.setattr(run, "CHUNK_DOCUMENTS", 2)
    with open_ledger(location, archive) as ledger:
        ledger.link(force=True)
    two = _links(location, archive)
    assert two == one
    assert len(one["statement_sources"]) > 100 and one["relays"]


def test_names_added_a_document_at_a_time_answer_as_derived_at_once() -> None:
    """`CorpusNames` remembers corpus-wide answers; a document added after a question must
    change the next answer (the memo is dropped), as if all had been derived together."""
    docs = {"a": ("Remarks by President Jane Doe", "The President said it was over."),
            "b": ("", "Press Secretary Sam Roe said so. Roe added more."),
            "c": ("", "Defense Secretary Ann Roe said it too.")}
    names = CorpusNames()
    for doc_id in ("a", "b"):
        names.add_document(doc_id, *docs[doc_id])
    assert names.full_name_for("Roe") == "Sam Roe"
    assert names.holder_of("the president", "b", 0) == "Jane Doe"
    names.add_document("c", *docs["c"])
    assert names.full_name_for("Roe") is None  # two Roes now: nobody is guessed
    together = derive(docs)
    assert names.full_names == together.full_names
    for role, doc_id in (("the president", "c"), ("the secretary", "c"),
                         ("the press secretary", "a")):
        assert names.holder_of(role, doc_id, 10) == together.holder_of(role, doc_id, 10)
    text = "Sam Roe spoke. Then he left."
    assert names.person_before(text, text.index("he"), None) == \
        together.person_before(text, text.index("he"), None)


@pytest.mark.postgres
def test_link_report_and_workbench_on_postgresql(pg_cluster: Any, tmp_path: Path,
                                                 kursk_sqlite: tuple[str, Path]) -> None:
    """The Kursk ledger built on PostgreSQL links to the same records as on SQLite, and the
    report model and the workbench's main pages work on it."""
    location = build_kursk(pg_cluster.new_database(), tmp_path / "archive")
    sqlite_location, sqlite_archive = kursk_sqlite
    with open_ledger(sqlite_location, sqlite_archive) as ledger:
        ledger.link(force=True, pack=EXAMPLES / "kursk-pack.json")
    assert _links(location, tmp_path / "archive") == _links(sqlite_location, sqlite_archive)
    with open_ledger(location, tmp_path / "archive") as ledger:
        model = ledger.report_model(propositions=["P1", "P2"])
        assert [p["id"] for p in model["propositions"]] == ["P1", "P2"]
        assert model["propositions"][0]["timeline"]
        assert model["ledger"]["statements"] == ledger.summary()["statements"]
    c = client(location, tmp_path / "archive")
    try:
        for url in ("/", "/propositions", "/propositions/P1", "/sources", "/documents",
                    "/search?q=troops", "/api/summary", "/api/propositions",
                    "/api/propositions/P1", "/api/statements", "/api/sources"):
            response = c.get(url)
            assert response.status_code == 200, (url, response.text[:300])
        sources = c.get("/api/sources").json()
        first = (sources.get("items") if isinstance(sources, dict) else sources)[0]
        assert c.get(f"/sources/{first['id']}").status_code == 200
        docs = c.get("/api/documents").json()
        doc = (docs.get("items") if isinstance(docs, dict) else docs)[0]
        assert c.get(f"/documents/{doc['id']}").status_code == 200
    finally:
        c.app.app.state.pool.close()  # type: ignore[attr-defined]


_NEW = ("---\ntitle: Seoul briefing\npublisher: Test Wire\npublished: 2024-11-20\n---\n"
        "South Korea's National Intelligence Service said on Wednesday that North Korean "
        "troops had entered combat in the Kursk region. A Pentagon spokeswoman said the "
        "United States could not confirm the report.\n")


def _copy(ledger: tuple[str, Path], to: Path) -> tuple[str, Path]:
    shutil.copy(ledger[0], to / "k.db")
    shutil.copytree(ledger[1], to / "archive")
    return str(to / "k.db"), to / "archive"


_KEYED = {"sources": ("id", "key, name, type, role, affiliation, country, alignment, grade, "
                           "aliases, statements, speaks_for"),
          "statement_sources": ("statement_id", "source_id, via_source_id"),
          "assignments": ("statement_id, proposition_id", "score, stance, day"),
          "relays": ("statement_id, relayer_id, origin_id", "")}


def _by_key(location: str, archive: Path) -> dict[str, dict[tuple[Any, ...], tuple[Any, ...]]]:
    """Each link table's rows by primary key (a relay's whole row is its key)."""
    with open_ledger(location, archive) as ledger:
        out = {}
        for table, (keys, values) in _KEYED.items():
            n = len(keys.split(","))
            out[table] = {tuple(row[:n]): tuple(row[n:]) for row in ledger.store.backend.query(
                f"SELECT {keys}{', ' + values if values else ''} FROM {table}")}
        return out


def test_relink_after_an_add_writes_only_what_changed(kursk_sqlite: tuple[str, Path],
                                                      tmp_path: Path) -> None:
    """After adding one document, `link` writes exactly the link rows that differ (the new
    statements' sources and links, the sources whose counts moved, the links whose score
    the corpus's concept weights moved), not the ledger's; and ends with the links that a
    ledger linked once from nothing has."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "new.md").write_text(_NEW, encoding="utf-8")
    incremental = _copy(kursk_sqlite, tmp_path / "a")
    scratch = _copy(kursk_sqlite, tmp_path / "b")
    with open_ledger(*incremental) as ledger:
        again = ledger.link(force=True)
        assert again is not None and again.written == 0  # nothing changed: nothing written
        before = _by_key(*incremental)
        added = ledger.add([str(tmp_path / "new.md")])
        assert added.statements >= 2
        linked = ledger.link()
        assert linked is not None
    after = _by_key(*incremental)
    changed = sum(len({k for k in set(before[t]) | set(after[t])
                       if before[t].get(k) != after[t].get(k)}) for t in _KEYED)
    total = sum(len(rows) for rows in after.values())
    assert linked.written == changed
    assert added.statements <= changed < total / 2, (changed, total)
    assert len({k for k in after["statement_sources"] if k not in before["statement_sources"]}
               ) == added.statements
    with open_ledger(*scratch) as ledger:
        ledger.add([str(tmp_path / "new.md")])

        def wipe() -> None:
            for table in ("relays", "assignments", "statement_sources", "sources"):
                ledger.store.backend.execute(f"DELETE FROM {table}")

        ledger.store.write(wipe)
        full = ledger.link()
        assert full is not None
    assert _links(*incremental) == _links(*scratch)
    assert full.written >= total


def test_page_sizes_change_neither_links_nor_rows_written(kursk_sqlite: tuple[str, Path],
                                                          tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """Linking pages its scratch table (claims, mentions) and the writer compares ranges of
    statement ids: with pages of 3 claims and ranges of 5 statements (so every pass and
    every range crosses documents, sources and propositions) the links, and the rows a
    relink after an `add` writes, are those of the default sizes."""
    from corroborate.store import links as link_rows

    (tmp_path / "new.md").write_text(_NEW, encoding="utf-8")
    results = []
    for name, claims, batch in (("big", run.CHUNK_CLAIMS, link_rows.BATCH_STATEMENTS),
                                ("small", 3, 5)):
        monkeypatch.setattr(run, "CHUNK_CLAIMS", claims)
        monkeypatch.setattr(link_rows, "BATCH_STATEMENTS", batch)
        (tmp_path / name).mkdir()
        copy = _copy(kursk_sqlite, tmp_path / name)
        with open_ledger(*copy) as ledger:
            first = ledger.link(force=True)
            ledger.add([str(tmp_path / "new.md")])
            second = ledger.link()
        assert first is not None and second is not None
        results.append((_by_key(*copy), first.assignments, second.written,
                        second.assignments, second.relays))
    assert results[0] == results[1]
    assert results[0][2] > 0 and results[0][4] > 0


def _mentions(location: str, archive: Path) -> tuple[CorpusNames, list[Any]]:
    """The Kursk ledger's source mentions as linking collects them, document by document."""
    from corroborate.link.resolve import Mention

    names, docs = CorpusNames(), []
    with open_ledger(location, archive) as ledger:
        for chunk in ledger.store.document_chunks():
            for doc, statements in chunk:
                names.add_document(doc.id, doc.title or "", doc.text)
                found = []
                for st in statements:
                    if st.source is not None:
                        found.append(Mention(st.id, doc.id, len(found), st.source))
                    if st.via is not None:
                        found.append(Mention("via:" + st.id, doc.id, len(found), st.via))
                docs.append((doc.id, doc.text, found))
    return names, docs


def test_scratch_key_table_resolves_as_memory_with_analyst_edits(
        kursk_sqlite: tuple[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Source resolution over the scratch table (paged 4 mentions at a time) gives every
    statement the source, and every source the name, aliases and counts, that resolution
    in memory gives, with a merge, a split, a move and a set among the analyst's edits."""
    import sqlite3

    from corroborate.link.resolve import Resolver, SourceEdit

    monkeypatch.setattr(run, "CHUNK_CLAIMS", 4)
    names, docs = _mentions(*kursk_sqlite)
    memory = Resolver(names)
    for doc_id, text, found in docs:
        memory.key(doc_id, text, found)
    assignment, sources = memory.finish()
    by_count = sorted(sources, key=lambda s: -sum(s.aliases.values()))
    big, other = by_count[0], by_count[1]
    moved = next(sid for sid, source in assignment.items() if source == big.id)
    split = next(iter(big.aliases))
    edits = [SourceEdit("merge", other.key, big.key),
             SourceEdit("split", big.key, split),
             SourceEdit("move", big.key, moved, value="Someone else"),
             SourceEdit("set", big.key, field="country", value="Elsewhere")]
    memory = Resolver(names)
    for doc_id, text, found in docs:
        memory.key(doc_id, text, found)
    expected, expected_sources = memory.finish(edits)
    db = sqlite3.connect(":memory:", isolation_level=None)
    table = run.ScratchKeys(db)
    scratch = Resolver(names, table=table)
    for doc_id, text, found in docs:
        scratch.key(doc_id, text, found)
    source_of, got_sources = scratch.resolve(edits)
    got = {sid: source_of[key] for sid, key in db.execute(
        "SELECT statement_id, joined FROM mentions") if key in source_of}
    assert got == expected
    assert [s.to_dict() for s in got_sources] == [s.to_dict() for s in expected_sources]
    assert expected[moved] not in (big.id, other.id)  # the edits did change something
    assert other.id not in set(expected.values())


def test_ranges_leave_out_statements_gone_since_the_snapshot(kursk_sqlite: tuple[str, Path],
                                                             tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """Links computed from a snapshot that writers have moved past keep only statements
    still in the ledger, range by range: a statement gone since (here, one that never was)
    gets no source row and no link, and every other row is written as given."""
    from corroborate.link.propositions import Assignment
    from corroborate.link.resolve import Source
    from corroborate.store import links as link_rows
    from corroborate.store.links import LinkStore

    monkeypatch.setattr(link_rows, "BATCH_STATEMENTS", 7)
    (tmp_path / "c").mkdir()
    copy = _copy(kursk_sqlite, tmp_path / "c")
    before = _by_key(*copy)
    gone = "f" * 20  # 20 hex digits: sorted after every real statement id, in the last range
    statement_sources = {k[0]: v[0] for k, v in before["statement_sources"].items()}
    via = {k[0]: v[1] for k, v in before["statement_sources"].items() if v[1] is not None}
    assignments = [Assignment(k[0], k[1], v[0], v[1])
                   for k, v in before["assignments"].items()]
    days = {k[0]: v[2] for k, v in before["assignments"].items()}
    with open_ledger(*copy) as ledger:
        store = LinkStore(ledger.store.backend)
        sources = []
        for key, name, kind, sid, aliases, count, speaks_for in ledger.store.backend.query(
                "SELECT key, name, type, id, aliases, statements, speaks_for FROM sources"):
            source = Source(key, name, kind, count=count, speaks_for=speaks_for)
            source.aliases.update(dict.fromkeys(json.loads(aliases), 1))
            assert source.id == sid
            sources.append(source)
        stale = "stale:" + store.generation()
        ledger.store.write(lambda: store.replace_links(
            sources, statement_sources | {gone: sources[0].id}, via, [],
            [*assignments, Assignment(gone, "P1", 0.9, "affirm")], [], days, stale))
    after = _by_key(*copy)
    assert after["statement_sources"] == before["statement_sources"]
    assert {k: v for k, v in after["assignments"].items() if not k[1].startswith("D")} == {
        k: v for k, v in before["assignments"].items() if not k[1].startswith("D")}
    assert not any(k[0] == gone for k in after["assignments"])
