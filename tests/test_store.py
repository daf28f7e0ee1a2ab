"""The ledger store behaves the same on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

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
