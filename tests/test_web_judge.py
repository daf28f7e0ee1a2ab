"""Judgement through the workbench (the real `ledger.judge` on a real Kursk ledger): grading a
source, overriding a statement's credibility, creating an ACH set and editing its cells, from
the JSON API and the forms; each shows on the pages, is recorded as a correction, and bad
values are a 400 naming the problem."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from webkit import csrf, fresh_client


@pytest.fixture
def api(tmp_path: Path) -> Iterator[TestClient]:
    with fresh_client(tmp_path, author="web-analyst") as c:
        yield c


def _post(api: TestClient, url: str, body: dict[str, Any]) -> Any:
    return api.post(url, json=body, headers={"X-CSRF-Token": csrf(api)})


def _form(api: TestClient, url: str, data: dict[str, Any]) -> Any:
    return api.post(url, data={**data, "csrf": csrf(api)}, follow_redirects=False)


def _p2_source(api: TestClient) -> tuple[str, str]:
    """A source with statements on P2, and the first of them."""
    row = next(s for s in api.get("/api/statements?proposition=P2&limit=100").json()["items"]
               if s["source_id"])
    return row["source_id"], row["id"]


def test_grade_a_source_shows_on_its_page_its_history_and_the_proposition(
        api: TestClient) -> None:
    sid, statement = _p2_source(api)
    page = api.get("/propositions/P2").text
    row = page[page.index(f'id="stmt-{statement}"'):]
    assert 'data-reliability="?"' in row[:row.index("</tr>")]
    done = _form(api, "/judge/grade", {"source_id": sid, "grade": "B",
                                       "next": f"/sources/{sid}"})
    assert done.status_code == 303 and done.headers["location"] == f"/sources/{sid}"
    assert api.get(f"/api/sources/{sid}").json()["grade"] == "B"
    source_page = api.get(f"/sources/{sid}").text
    assert 'data-grade="B"' in source_page and '<option value="B" selected>' in source_page
    page = api.get("/propositions/P2").text
    row = page[page.index(f'id="stmt-{statement}"'):]
    assert 'data-reliability="B"' in row[:row.index("</tr>")]
    doc_id = api.get(f"/api/statements/{statement}").json()["doc_id"]
    doc_page = api.get(f"/documents/{doc_id}").text
    row = doc_page[doc_page.index(f'id="s-{statement}"'):]
    assert re.search(r'data-proposition="P2"[^>]*>.*?</a> B[1-6]</span>',
                     row[:row.index("</tr>")])
    history = api.get("/api/history?target_kind=source").json()["items"]
    assert history[0]["author"] == "web-analyst"
    assert history[0]["after"]["field"] == "grade" and history[0]["after"]["value"] == "B"


def test_a_bad_grade_is_a_400_and_changes_nothing(api: TestClient) -> None:
    sid, _ = _p2_source(api)
    bad = _post(api, f"/api/grades/{sid}", {"grade": "Z"})
    assert bad.status_code == 400 and "A-F" in bad.json()["error"]["message"]
    assert _post(api, "/api/grades/no-such-source", {"grade": "A"}).status_code == 404
    assert _post(api, f"/api/grades/{sid}", {}).json()["error"]["field"] == "grade"
    assert api.get("/api/history").json()["items"] == []
    assert _post(api, f"/api/grades/{sid}", {"grade": "c"}).json()["reliability"] == "C"


def test_override_a_credibility_then_go_back_to_the_suggestion(api: TestClient) -> None:
    _, statement = _p2_source(api)

    def grade_cell() -> str:
        page = api.get("/propositions/P2").text
        row = page[page.index(f'id="stmt-{statement}"'):]
        return row[:row.index("</tr>")]

    suggested = grade_cell()
    assert "overridden" not in suggested
    done = _form(api, "/judge/credibility", {"statement_id": statement,
                                             "proposition_id": "P2", "value": "5",
                                             "next": "/propositions/P2"})
    assert done.status_code == 303
    shown = grade_cell()
    assert 'data-credibility="5"' in shown and "overridden" in shown
    assert '<option value="5" selected>' in shown
    back = _post(api, "/api/credibility", {"statement_id": statement, "proposition_id": "P2",
                                           "value": None})
    assert back.status_code == 200 and back.json()["correction"]["after"] is None
    assert "overridden" not in grade_cell()
    bad = _post(api, "/api/credibility", {"statement_id": statement, "proposition_id": "P2",
                                          "value": 9})
    assert bad.status_code == 400 and "1-6" in bad.json()["error"]["message"]


def test_ach_set_matrix_cells_ranking_and_exports(api: TestClient) -> None:
    made = _post(api, "/api/ach", {"name": "deployment", "hypotheses": ["P2", "P6"],
                                   "exclusive": True})
    assert made.status_code == 201 and made.json()["exclusive"] is True
    assert [s["name"] for s in api.get("/api/ach").json()["items"]] == ["deployment"]
    m = api.get("/api/ach/deployment").json()
    assert {h["id"] for h in m["hypotheses"]} == {"P2", "P6"} and m["items"]
    before = {r["id"]: r["inconsistency"] for r in m["ranking"]}
    # An item that is not inconsistent with P2 yet: make it strongly inconsistent.
    item = next(i for i in m["items"] if i["cells"]["P2"]["value"] in ("CC", "C", "N"))
    done = _post(api, "/api/ach/deployment/cells",
                 {"item": item["id"], "hypothesis": "P2", "value": "II"})
    assert done.status_code == 200, done.text
    after = api.get("/api/ach/deployment").json()
    cell = next(i for i in after["items"] if i["id"] == item["id"])["cells"]["P2"]
    assert cell["value"] == "II" and cell["overridden"] and cell["suggested"] != "II"
    changed = {r["id"]: r["inconsistency"] for r in after["ranking"]}
    assert changed["P2"] == pytest.approx(before["P2"] + 2 * cell["weight"])
    assert changed["P6"] == before["P6"]
    rows = list(csv.reader(io.StringIO(api.get("/api/ach/deployment/csv").text)))
    header = rows[0]
    line = next(r for r in rows if r[0] == item["id"])
    assert line[header.index("P2")] == "II" and line[header.index("overridden")] == "P2"
    page = api.get("/ach/deployment").text
    assert f'data-item="{item["id"]}"' in page and 'data-overridden="yes"' in page
    assert "/api/ach/deployment/csv" in page and "Sensitivity" in page
    history = api.get("/api/history?target_kind=ach").json()["items"]
    assert history[0]["op"] == "ach.set" and history[0]["author"] == "web-analyst"


def test_ach_forms_create_and_fill_a_cell(api: TestClient) -> None:
    listing = api.get("/ach").text
    assert 'name="hypotheses" value="P2"' in listing
    made = _form(api, "/ach", {"name": "kursk combat", "hypotheses": ["P3", "P6"]})
    assert made.status_code == 303 and made.headers["location"] == "/ach/kursk%20combat"
    m = api.get("/api/ach/kursk%20combat").json()
    assert m["exclusive"] is False
    item = m["items"][0]
    filled = _form(api, "/ach/kursk%20combat/cell",
                   {"item": item["id"], "hypothesis": "P6", "value": "CC",
                    "next": "/ach/kursk%20combat"})
    assert filled.status_code == 303
    again = api.get("/api/ach/kursk%20combat").json()
    assert next(i for i in again["items"] if i["id"] == item["id"])["cells"]["P6"] == {
        **item["cells"]["P6"], "value": "CC", "overridden": True}
    reset = _form(api, "/ach/kursk%20combat/cell",
                  {"item": item["id"], "hypothesis": "P6", "value": ""})
    assert reset.status_code == 303
    assert api.get("/api/ach/kursk%20combat").json()["items"][0]["cells"]["P6"] == \
        item["cells"]["P6"]


def test_ach_bad_input_names_the_problem(api: TestClient) -> None:
    one = _post(api, "/api/ach", {"name": "x", "hypotheses": ["P2"]})
    assert one.status_code == 400 and one.json()["error"]["field"] == "hypotheses"
    missing = _post(api, "/api/ach", {"name": "x", "hypotheses": ["P2", "P99"]})
    assert missing.status_code == 404 and "P99" in missing.json()["error"]["message"]
    assert _post(api, "/api/ach", {"name": "x", "hypotheses": ["P2", "P6"]}).status_code == 201
    bad = _post(api, "/api/ach/x/cells", {"item": "nothing-like-it", "hypothesis": "P2",
                                           "value": "C"})
    assert bad.status_code == 404
    item = api.get("/api/ach/x").json()["items"][0]["id"]
    wrong = _post(api, "/api/ach/x/cells", {"item": item, "hypothesis": "P1", "value": "C"})
    assert wrong.status_code == 400 and "P1" in wrong.json()["error"]["message"]
    code = _post(api, "/api/ach/x/cells", {"item": item, "hypothesis": "P2", "value": "Q"})
    assert code.status_code == 400 and "CC" in code.json()["error"]["message"]
    assert api.get("/api/ach/nope").status_code == 404
    assert api.get("/ach/nope").status_code == 404
    assert api.request("DELETE", "/api/ach/x", headers={"X-CSRF-Token": csrf(api)}
                       ).status_code == 200
    assert api.get("/api/ach").json()["items"] == []


def test_judgement_routes_are_in_the_openapi_description(api: TestClient) -> None:
    paths = api.get("/api/openapi.json").json()["paths"]
    assert {"/api/ach", "/api/ach/{name}", "/api/ach/{name}/csv", "/api/ach/{name}/cells",
            "/api/grades/{sid}", "/api/credibility"} <= set(paths)
    assert "post" in paths["/api/ach"] and "delete" in paths["/api/ach/{name}"]
