"""Corrections through the workbench's JSON API and forms (the real `corroborate.curate`
library on a real ledger): each is recorded with its author, shows in the history, changes
what the pages read, and can be undone; a refused correction is a 409 in the envelope."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from webkit import build_kursk, client, csrf


@pytest.fixture
def api(tmp_path: Path) -> Iterator[TestClient]:
    location = build_kursk(str(tmp_path / "k.db"), tmp_path / "archive")
    c = client(location, tmp_path / "archive", author="web-analyst")
    yield c
    c.app.app.state.pool.close()  # type: ignore[attr-defined]


def _post(api: TestClient, url: str, body: dict[str, Any]) -> Any:
    return api.post(url, json=body, headers={"X-CSRF-Token": csrf(api)})


def test_flip_then_undo_a_link_changes_the_assessment_and_back(api: TestClient) -> None:
    before = api.get("/api/propositions/P2").json()["counts"]
    row = api.get("/api/statements?proposition=P2&stance=affirm&limit=1").json()["items"][0]
    done = _post(api, "/api/links", {"statement_id": row["id"], "proposition_id": "P2",
                                     "stance": "deny"})
    assert done.status_code == 200, done.text
    correction = done.json()["correction"]
    assert correction["author"] == "web-analyst" and correction["op"] == "link.set"
    after = api.get("/api/propositions/P2").json()["counts"]
    assert after["affirm"] == before["affirm"] - 1 and after["deny"] == before["deny"] + 1
    shown = api.get(f"/api/statements?proposition=P2&stance=deny&text={row['content'][:30]}")
    assert row["id"] in [s["id"] for s in shown.json()["items"]]
    history = api.get("/api/history").json()["items"]
    assert history[0]["id"] == correction["id"]
    undo = _post(api, f"/api/corrections/{correction['id']}/undo", {"author": "reviewer"})
    assert undo.status_code == 200 and undo.json()["correction"]["author"] == "reviewer"
    assert api.get("/api/propositions/P2").json()["counts"] == before
    again = _post(api, f"/api/corrections/{correction['id']}/undo", {})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "correction_refused"


def test_reject_removes_the_link_and_a_bad_stance_names_the_field(api: TestClient) -> None:
    row = api.get("/api/statements?proposition=P2&limit=1").json()["items"][0]
    total = api.get("/api/statements?proposition=P2").json()["total"]
    assert _post(api, "/api/links", {"statement_id": row["id"], "proposition_id": "P2",
                                     "stance": None}).status_code == 200
    assert api.get("/api/statements?proposition=P2").json()["total"] == total - 1
    bad = _post(api, "/api/links", {"statement_id": row["id"], "proposition_id": "P2",
                                    "stance": "maybe"})
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "stance"
    unknown = _post(api, "/api/links", {"statement_id": "nope", "proposition_id": "P2",
                                        "stance": "affirm"})
    assert unknown.status_code in (404, 409)


def test_add_a_missed_statement_from_spans_of_the_archived_text(api: TestClient) -> None:
    doc_id = api.get("/api/documents?kind=statement&limit=1").json()["items"][0]["id"]
    doc = api.get(f"/api/documents/{doc_id}").json()
    covered = {i for st in doc["statements"] for part in ("source", "cue", "content")
               if st[part] for i in range(st[part]["start"], st[part]["end"])}
    start = next(i for i in range(len(doc["text"]) - 40)
                 if not covered & set(range(i, i + 40)) and doc["text"][i].isalpha())
    made = _post(api, f"/api/documents/{doc_id}/statements",
                 {"content": [start, start + 40], "stance": "uncertain"})
    assert made.status_code == 201, made.text
    again = api.get(f"/api/documents/{doc_id}").json()
    added = [st for st in again["statements"] if st["content"]["start"] == start]
    assert len(added) == 1 and added[0]["content"]["text"] == doc["text"][start:start + 40]
    assert added[0]["stance"] == "uncertain"
    outside = _post(api, f"/api/documents/{doc_id}/statements",
                    {"content": [0, len(doc["text"]) + 10]})
    assert outside.status_code == 409 and "content" in outside.json()["error"]["message"]
    shape = _post(api, f"/api/documents/{doc_id}/statements", {"content": "0-10"})
    assert shape.status_code == 400 and shape.json()["error"]["field"] == "content"


def test_change_and_delete_a_statement_by_form(api: TestClient) -> None:
    doc_id = api.get("/api/documents?kind=statement&limit=1").json()["items"][0]["id"]
    st = api.get(f"/api/documents/{doc_id}").json()["statements"][0]
    new = "deny" if st["stance"] != "deny" else "affirm"
    token = csrf(api)
    back = f"/documents/{doc_id}"
    changed = api.post("/corrections/statement", data={
        "op": "set", "statement_id": st["id"], "stance": new, "said_on": st["said_on"] or "",
        "next": back, "csrf": token}, follow_redirects=False)
    assert changed.status_code == 303 and changed.headers["location"] == back
    assert api.get(f"/api/statements/{st['id']}").json()["stance"] == new
    off_site = api.post("/corrections/statement", data={
        "op": "delete", "statement_id": st["id"], "next": "//evil.example/x", "csrf": token},
        follow_redirects=False)
    assert off_site.status_code == 303 and off_site.headers["location"] == "/documents"
    assert api.get(f"/api/statements/{st['id']}").status_code == 404
    kinds = [c["op"] for c in api.get("/api/history?target_kind=statement").json()["items"]]
    assert kinds[:2] == ["statement.delete", "statement.set"]


def test_edit_a_source_and_propositions(api: TestClient) -> None:
    source = api.get("/api/sources?limit=1").json()["items"][0]
    edited = _post(api, f"/api/sources/{source['id']}/edit",
                   {"field": "affiliation", "value": "Test Ministry"})
    assert edited.status_code == 200, edited.text
    grade = _post(api, f"/api/sources/{source['id']}/edit", {"field": "grade", "value": "Z"})
    assert grade.status_code == 409 and "grade" in grade.json()["error"]["message"]
    made = _post(api, "/api/propositions", {"statement": "Troops withdrew in December"})
    assert made.status_code == 201
    pid = made.json()["id"]
    assert _post(api, f"/api/propositions/{pid}",
                 {"op": "edit", "text": "Troops withdrew in January"}).status_code == 200
    assert api.get(f"/api/propositions/{pid}").json()["statement"] == \
        "Troops withdrew in January"
    assert _post(api, f"/api/propositions/{pid}", {"op": "implies", "other": "P1"}
                 ).status_code == 200
    assert _post(api, f"/api/propositions/{pid}", {"op": "retire"}).status_code == 200
    assert _post(api, f"/api/propositions/{pid}", {"op": "explode"}).status_code == 400
    ops = [c["op"] for c in api.get("/api/history").json()["items"]]
    assert {"proposition.add", "proposition.edit", "proposition.retire"} <= set(ops)


def test_corrections_need_the_csrf_token(api: TestClient) -> None:
    row = api.get("/api/statements?proposition=P2&limit=1").json()["items"][0]
    forged = api.post("/api/links", json={"statement_id": row["id"], "proposition_id": "P2",
                                          "stance": None})
    assert forged.status_code == 403
    form = api.post("/corrections/link", data={"statement_id": row["id"],
                                               "proposition_id": "P2", "stance": ""})
    assert form.status_code == 403
    assert api.get("/api/history").json()["items"] == []


def test_history_page_lists_and_undoes(api: TestClient) -> None:
    row = api.get("/api/statements?proposition=P2&limit=1").json()["items"][0]
    _post(api, "/api/links", {"statement_id": row["id"], "proposition_id": "P2",
                              "stance": "uncertain"})
    page = api.get("/history")
    assert page.status_code == 200 and "link.set" in page.text and "web-analyst" in page.text
    cid = api.get("/api/history").json()["items"][0]["id"]
    undone = api.post("/corrections/undo", data={"correction_id": str(cid),
                                                 "csrf": csrf(api)}, follow_redirects=False)
    assert undone.status_code == 303
    assert api.get("/api/history").json()["items"][0]["undoes"] == cid
