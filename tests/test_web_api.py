"""The workbench's JSON API in-process (Starlette's TestClient over the real app and a real
ledger built from the bundled Kursk corpus): pages, filters, paging, spans, search, errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from webkit import build_kursk, client, csrf


def _all(web_api: TestClient, url: str, limit: int = 7) -> list[dict[str, Any]]:
    """Every item of a paged list, page by page."""
    items: list[dict[str, Any]] = []
    offset: int | None = 0
    sep = "&" if "?" in url else "?"
    while offset is not None:
        page = web_api.get(f"{url}{sep}limit={limit}&offset={offset}").json()
        assert len(page["items"]) <= limit
        items += page["items"]
        offset = page["next_offset"]
    return items


def test_propositions_list_counts_match_the_linked_statements(web_api: TestClient) -> None:
    page = web_api.get("/api/propositions").json()
    assert page["total"] == 6 and [p["id"] for p in page["items"]][:2] == ["P1", "P2"]
    p2 = next(p for p in page["items"] if p["id"] == "P2")
    linked = _all(web_api, "/api/statements?proposition=P2", 40)
    assert sum(p2["counts"].values()) == len(linked) > 20
    for stance in ("affirm", "deny", "uncertain"):
        assert p2["counts"][stance] == sum(s["link_stance"] == stance for s in linked)
    first = p2["first_claimant"]
    assert first["date"] == min(s["said_on"] or s["published"] for s in linked
                                if s["link_stance"] == "affirm")


def test_paging_covers_every_statement_once(web_api: TestClient) -> None:
    total = web_api.get("/api/summary").json()["statements"]
    ids = [s["id"] for s in _all(web_api, "/api/statements", 50)]
    assert len(ids) == total == len(set(ids)) > 300


def test_statement_filters_narrow_and_agree_with_each_statement(web_api: TestClient) -> None:
    every = _all(web_api, "/api/statements?proposition=P2", 100)
    source = next(s["source_id"] for s in every if s["source_id"])
    for query, keep in [
        ("stance=deny", lambda s: s["link_stance"] == "deny"),
        (f"source={source}", lambda s: s["source_id"] == source),
        ("kind=statement", lambda s: s["document_kind"] == "statement"),
        ("text=kursk", lambda s: "kursk" in (s["content"] + (s["source_text"] or "")).lower()),
        ("since=2024-11-01", lambda s: (s["said_on"] or s["published"]) >= "2024-11-01"),
        ("until=2024-10-25", lambda s: (s["said_on"] or s["published"])[:10] <= "2024-10-25"),
    ]:
        found = _all(web_api, f"/api/statements?proposition=P2&{query}", 100)
        expected = [s["id"] for s in every if keep(s)]
        assert [s["id"] for s in found] == expected, query
        assert 0 < len(found) < len(every), query


def test_document_statements_are_spans_of_the_archived_text(web_api: TestClient) -> None:
    doc_id = web_api.get("/api/documents?kind=statement&limit=1").json()["items"][0]["id"]
    doc = web_api.get(f"/api/documents/{doc_id}").json()
    assert doc["statements"] and doc["versions"][0]["id"] == doc_id
    for st in doc["statements"]:
        for part in ("source", "cue", "content"):
            span = st[part]
            if span:
                assert doc["text"][span["start"]:span["end"]] == span["text"], (st["id"], part)


def test_source_page_has_positions_mentions_and_paging(web_api: TestClient) -> None:
    top = web_api.get("/api/sources?limit=1").json()["items"][0]
    found = web_api.get(f"/api/sources/{top['id']}?limit=2").json()
    assert found["name"] == top["name"] and found["positions"]["limit"] == 2
    assert found["positions"]["total"] >= len(found["positions"]["items"]) > 0
    assert all(m["count"] >= 1 for m in found["mentions"])
    named = web_api.get("/api/sources?text=" + top["name"][:5].lower()).json()
    assert top["id"] in [s["id"] for s in named["items"]]


def test_search_finds_documents_and_statements_with_highlights(web_api: TestClient) -> None:
    found = web_api.get("/api/search?q=satellite").json()
    assert found["documents"], found
    for hit in found["documents"]:
        assert any(p["hit"] and p["text"].lower().startswith("satellite")
                   for p in hit["snippet"])
    assert found["statements"]["items"]
    for st in found["statements"]["items"]:
        marked = [p["text"].lower() for p in st["highlight"] + st["source_highlight"]
                  if p["hit"]]
        assert marked and set(marked) == {"satellite"}


def test_proposition_assessment_holds_timeline_and_corroboration(web_api: TestClient) -> None:
    model = web_api.get("/api/propositions/P2").json()
    assert model["statements_total"] == sum(
        web_api.get("/api/propositions").json()["items"][1]["counts"].values())
    assert set(model["corroboration"]) == {"affirm", "deny", "uncertain"}
    assert all({"date", "precision", "stance", "statement_id"} <= set(e)
               for e in model["timeline"])


@pytest.mark.parametrize(("url", "status", "field"), [
    ("/api/statements?limit=0", 400, "limit"),
    ("/api/statements?limit=abc", 400, "limit"),
    ("/api/statements?offset=-1", 400, "offset"),
    ("/api/statements?stance=maybe", 400, "stance"),
    ("/api/statements?since=yesterday", 400, "since"),
    ("/api/documents?kind=blog", 400, "kind"),
    ("/api/search?q=", 400, "q"),
    ("/api/search?q=%22%22", 400, "q"),
    ("/api/propositions/P404", 404, None),
    ("/api/sources/nobody", 404, None),
    ("/api/documents/0000000000", 404, None),
    ("/api/statements/xyz", 404, None),
    ("/api/no-such-route", 404, None),
])
def test_errors_come_in_one_envelope(web_api: TestClient, url: str, status: int,
                                     field: str | None) -> None:
    response = web_api.get(url)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert isinstance(error["code"], str) and isinstance(error["message"], str)
    assert error["message"] and set(error) <= {"code", "message", "field"}
    assert error.get("field") == field


def test_pages_show_errors_as_a_page_not_json(web_api: TestClient) -> None:
    response = web_api.get("/propositions/P404")
    assert response.status_code == 404 and response.headers["content-type"].startswith(
        "text/html")
    assert "no such proposition" in response.text and "<script>" not in response.text


def test_every_page_renders(web_api: TestClient) -> None:
    source = web_api.get("/api/sources?limit=1").json()["items"][0]["id"]
    doc = web_api.get("/api/documents?limit=1").json()["items"][0]["id"]
    for url in ["/propositions", "/propositions/P2", "/propositions/P2?stance=deny&kind=news",
                "/sources", "/sources?type=person", f"/sources/{source}", "/documents",
                f"/documents/{doc}", "/search?q=troops", "/search"]:
        response = web_api.get(url)
        assert response.status_code == 200, (url, response.text[:300])
        assert response.headers["content-type"].startswith("text/html")


def test_proposition_page_statement_rows_follow_the_filter(web_api: TestClient) -> None:
    every = web_api.get("/propositions/P2?limit=200").text.count('<tr id="stmt-')
    denials = web_api.get("/propositions/P2?stance=deny&limit=200").text.count('<tr id="stmt-')
    expected = web_api.get("/api/statements?proposition=P2&stance=deny").json()["total"]
    assert denials == expected and 0 < denials < every


def test_the_api_is_described_by_its_openapi_and_every_listed_read_answers(
        web_api: TestClient) -> None:
    spec = web_api.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    source = web_api.get("/api/sources?limit=1").json()["items"][0]["id"]
    doc = web_api.get("/api/documents?limit=1").json()["items"][0]["id"]
    statement = web_api.get("/api/statements?limit=1").json()["items"][0]["id"]
    values = {"pid": "P2", "sid": source, "doc_id": doc, "name": "openapi check"}
    if "/api/ach/{name}" in spec["paths"]:  # an ACH set for the matrix reads to answer
        made = web_api.post("/api/ach", json={"name": values["name"],
                                              "hypotheses": ["P2", "P6"]},
                            headers={"X-CSRF-Token": csrf(web_api)})
        assert made.status_code == 201, made.text
    for path, item in spec["paths"].items():
        if "get" not in item:
            continue
        if path == "/api/statements/{sid}":
            url = f"/api/statements/{statement}"
        else:
            url = path.format(**values)
        if path == "/api/search":
            url += "?q=troops"
        assert web_api.get(url).status_code == 200, path


def test_pages_and_api_on_sqlite_and_postgresql(db_location: str, tmp_path: Path) -> None:
    """The same reads on both backends (PostgreSQL through the real throwaway cluster)."""
    build_kursk(db_location, tmp_path / "archive")
    c = client(db_location, tmp_path / "archive")
    try:
        props = c.get("/api/propositions").json()
        p2 = next(p for p in props["items"] if p["id"] == "P2")
        linked = _all(c, "/api/statements?proposition=P2", 50)
        assert sum(p2["counts"].values()) == len(linked) > 20
        denials = c.get("/api/statements?proposition=P2&stance=deny&since=2024-10-01").json()
        assert all(s["link_stance"] == "deny" for s in denials["items"])
        hits = c.get("/api/search?q=satellite").json()
        assert hits["documents"] and hits["statements"]["total"] > 0
        source = c.get("/api/sources?limit=1").json()["items"][0]["id"]
        doc = c.get("/api/documents?limit=1").json()["items"][0]["id"]
        for url in ["/propositions", "/propositions/P2?stance=deny", f"/sources/{source}",
                    f"/documents/{doc}", "/search?q=troops", "/api/propositions/P2"]:
            assert c.get(url).status_code == 200, url
        token = csrf(c)
        made = c.post("/api/propositions", json={"statement": "A new claim"},
                      headers={"X-CSRF-Token": token})
        assert made.status_code == 201
        assert c.get(f"/api/propositions/{made.json()['id']}").status_code == 200
    finally:
        c.app.app.state.pool.close()  # type: ignore[attr-defined]
