"""A real ledger opens cleanly in Datasette: foreign-key links lead to rows that exist, full-text
search works through `_search`, and the documented views answer."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, REPO
from corroborate import open_ledger
from corroborate.link.propositions import Proposition

datasette_app = pytest.importorskip("datasette.app")


@pytest.fixture(scope="module")
def ledger_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import json

    folder = tmp_path_factory.mktemp("datasette")
    db = folder / "ledger.db"
    with open_ledger(str(db), folder / "archive") as ledger:
        assert ledger.add([str(EXAMPLES)]).ok
        props = json.loads((REPO / "examples" / "kursk-propositions.json").read_text())
        ledger.propose([Proposition(p["id"], p["statement"]) for p in props["propositions"]])
        ledger.link()
    return db


def browse(db: Path, *paths: str) -> list[Any]:
    """GET each path from an in-process Datasette; paths may be callables of earlier replies."""
    async def go() -> list[Any]:
        ds = datasette_app.Datasette([str(db)])
        await ds.invoke_startup()
        replies = []
        for path in paths:
            replies.append(await ds.client.get(path))
        return replies
    return asyncio.run(go())


def links(html: str, table: str) -> list[str]:
    return sorted(set(re.findall(rf'href="(/ledger/{table}/[^"?#]+)"', html)))


def test_statement_links_lead_to_its_document_and_its_source(ledger_db: Path) -> None:
    (page,) = browse(ledger_db, "/ledger/statements?_size=1&kind=direct")
    assert page.status_code == 200
    (statement,) = links(page.text, "statements")
    (document,) = links(page.text, "documents")  # statements.doc_id -> documents.id
    (row,) = browse(ledger_db, statement)
    assert row.status_code == 200
    sid = statement.rsplit("/", 1)[1]
    incoming = f"/ledger/statement_sources?statement_id={sid}"
    assert f'href="{incoming}"' in row.text  # "links from other tables"
    doc_page, resolved = browse(ledger_db, document, incoming)
    assert doc_page.status_code == 200 and resolved.status_code == 200
    assert "Kursk" in doc_page.text or "North Korea" in doc_page.text
    (source,) = links(resolved.text, "sources")  # statement_sources.source_id -> sources.id
    (source_page,) = browse(ledger_db, source)
    assert source_page.status_code == 200


def test_every_foreign_key_link_on_a_table_page_resolves(ledger_db: Path) -> None:
    tables = ["statements", "statement_sources", "assignments", "relays", "documents"]
    pages = browse(ledger_db, *(f"/ledger/{t}?_size=10" for t in tables))
    assert [p.status_code for p in pages] == [200] * len(pages)
    targets = sorted({link for p in pages for t in
                      ("documents", "statements", "sources", "propositions", "blobs")
                      for link in links(p.text, t)})
    assert {t.split("/")[2] for t in targets} >= {"documents", "statements", "sources",
                                                  "propositions", "blobs"}
    replies = browse(ledger_db, *targets)
    assert [(t, r.status_code) for t, r in zip(targets, replies, strict=True)
            if r.status_code != 200] == []


def test_full_text_search_works_through_underscore_search(ledger_db: Path) -> None:
    html, found, odd = browse(ledger_db, "/ledger/documents?_search=satellite+images",
                              "/ledger/documents.json?_search=satellite&_shape=array",
                              "/ledger/documents.json?_search=%22unbalanced+OR+OR&_shape=array")
    assert html.status_code == 200
    assert "search matches" in html.text
    assert found.status_code == 200
    rows = found.json()
    assert rows and all("satellite" in r["text"].lower() for r in rows)
    assert odd.status_code == 200


def test_views_answer_with_resolved_sources_and_timeline(ledger_db: Path) -> None:
    timeline, resolved = browse(
        ledger_db, "/ledger/timeline.json?proposition_id=P2&_shape=array&_size=max",
        "/ledger/statements_resolved.json?_shape=array&_size=5&source_id__notblank=1")
    assert timeline.status_code == 200 and resolved.status_code == 200
    rows = timeline.json()
    assert rows and {"proposition", "date", "precision", "source", "stance", "statement",
                     "document_id"} <= set(rows[0])
    assert all(r["proposition_id"] == "P2" for r in rows)
    assert all(r["source_name"] for r in resolved.json())
