"""`learn` from the workbench (issue 9): the JSON API and the form run the same
`Curator.learn` as the CLI, relink, and say which links moved beyond the corrected pairs; the
record is in the history and undoing it relinks and moves them back.

The ledger is test_learn's small dam story: one police line reprinted by three outlets, which
the linker reads as denying "saboteurs blew up the dam"; the analyst flips one copy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from corroborate import open_ledger
from test_learn import _copies, _links, _story, needs_minilm
from webkit import client, csrf

pytestmark = needs_minilm


@pytest.fixture
def dam(tmp_path: Path) -> Iterator[tuple[TestClient, list[str], str, str]]:
    location = str(tmp_path / "dam.db")
    with open_ledger(location, tmp_path / "archive") as ledger:
        copies, p2 = _story(ledger, tmp_path)
    c = client(location, tmp_path / "archive", author="web-analyst")
    yield c, copies, p2, location
    c.app.app.state.pool.close()  # type: ignore[attr-defined]


def _post(api: TestClient, url: str, body: dict[str, Any]) -> Any:
    return api.post(url, json=body, headers={"X-CSRF-Token": csrf(api)})


def _stances(location: str, pid: str, ids: list[str]) -> list[str | None]:
    with open_ledger(location, create=False) as ledger:
        found = _links(ledger, pid)
    return [found.get(i) for i in ids]


def test_learn_through_the_api_moves_the_copies_and_undo_moves_them_back(
        dam: tuple[TestClient, list[str], str, str]) -> None:
    api, copies, p2, location = dam
    refused = _post(api, "/api/learn", {})
    assert refused.status_code == 409 and "no link corrections" in refused.json()[
        "error"]["message"]
    flip = _post(api, "/api/links", {"statement_id": copies[0], "proposition_id": p2,
                                     "stance": "affirm"})
    assert flip.status_code == 200, flip.text
    assert _stances(location, p2, copies) == ["affirm", "deny", "deny"]

    done = _post(api, "/api/learn", {"author": "bob"})
    assert done.status_code == 201, done.text
    body = done.json()
    assert body["correction"]["op"] == "learn.fit" and body["correction"]["author"] == "bob"
    assert body["method"] == "learned"
    # The same three moves the CLI reports (test_learn): the two other copies, and the
    # mayor's line MiniLM puts within the cut-off; never the pair the analyst corrected.
    assert body["links_changed"] == {"added": 0, "removed": 0, "stance_changed": 3}
    moved = {c["statement_id"]: c for c in body["changes"]}
    assert copies[0] not in moved
    assert {moved[i]["before"] for i in copies[1:]} == {"deny"}
    assert {moved[i]["after"] for i in copies[1:]} == {"affirm"}
    row = next(r for r in body["by_proposition"] if r["proposition_id"] == p2)
    assert (row["linked"], row["rejected"], row["stance_changed"]) == (1, 0, 3)
    assert _stances(location, p2, copies) == ["affirm"] * 3

    cid = body["correction"]["id"]
    history = api.get("/api/history").json()["items"]
    assert [h["op"] for h in history[:2]] == ["learn.fit", "link.set"]
    undo = _post(api, f"/api/corrections/{cid}/undo", {"author": "carol"})
    assert undo.status_code == 200, undo.text
    back = undo.json()
    assert back["correction"]["op"] == "undo" and back["correction"]["undoes"] == cid
    assert back["links_changed"] == {"added": 0, "removed": 0, "stance_changed": 3}
    assert {c["after"] for c in back["changes"] if c["statement_id"] in copies} == {"deny"}
    assert _stances(location, p2, copies) == ["affirm", "deny", "deny"]  # the flip stays


def test_learn_form_redirects_to_what_it_fitted_and_the_page_undoes_it(
        dam: tuple[TestClient, list[str], str, str]) -> None:
    api, copies, p2, location = dam
    token = csrf(api)
    assert _post(api, "/api/links", {"statement_id": copies[0], "proposition_id": p2,
                                     "stance": "affirm"}).status_code == 200
    history = api.get("/history")
    assert 'action="/corrections/learn"' in history.text
    assert api.post("/corrections/learn", data={}).status_code == 403  # no CSRF token
    done = api.post("/corrections/learn", data={"csrf": token}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/learn/")
    page = api.get(done.headers["location"])
    assert page.status_code == 200
    assert 'data-count="stance_changed">3<' in page.text
    assert "<bdi>the dam was not blown up by saboteurs</bdi>" in page.text  # content shown
    assert 'data-count="corrections">1<' in page.text
    cid = int(done.headers["location"].rsplit("/", 1)[1])
    assert api.get("/history").text.count(f'href="/learn/{cid}"') == 1
    with open_ledger(location, create=False) as ledger:
        assert _copies(ledger) == copies
    undone = api.post("/corrections/undo", data={"csrf": token, "correction_id": str(cid)},
                      follow_redirects=False)
    assert undone.status_code == 303
    after = api.get(undone.headers["location"])
    assert f"Undo of learn #{cid}" in after.text and 'data-count="stance_changed">3<' in after.text
    assert _stances(location, p2, copies) == ["affirm", "deny", "deny"]
    # An ordinary correction's undo still goes back to where the form came from.
    flip_id = api.get("/api/history").json()["items"][-1]["id"]
    plain = api.post("/corrections/undo", data={"csrf": token, "correction_id": str(flip_id),
                                                "next": "/history"}, follow_redirects=False)
    assert plain.status_code == 303 and plain.headers["location"] == "/history"
    assert api.get(f"/learn/{flip_id}").status_code == 400
