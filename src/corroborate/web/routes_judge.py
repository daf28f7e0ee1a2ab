"""Judgement in the workbench: source grades, statement credibility and ACH matrices, as
pages (forms) and JSON, all through `Ledger.judge` (judgement.py).

Every override here is an analyst correction the library records (who, when, before, after)
and can undo, so these routes only read parameters and call it; the wall (`security.py`) has
checked each POST's CSRF token already. Reading a grade never links: a GET must not change the
ledger, so grades are computed on the links as they are (the stale notice offers "link now").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from corroborate.api import Ledger
from corroborate.assess.ach import VALUES, csv_rows
from corroborate.assess.grading import RELIABILITY, Grade
from corroborate.errors import InputError
from corroborate.web import params
from corroborate.web.accounts import author_of
from corroborate.web.bodies import form_body, json_body
from corroborate.web.context import LedgerPool
from corroborate.web.templating import path_segment


def _ledger(request: Request) -> Ledger:
    pool: LedgerPool = request.app.state.pool
    return pool.get()


_author = author_of  # the account, else the `author` field, else `--author`


def grades_on(ledger: Ledger, proposition_id: str) -> dict[str, Grade]:
    """Every linked statement's grade on one proposition, from the links as they stand.

    The suggestions come from the browser's assessment, computed once per state of the links
    (on a 40,000-link proposition that is seconds, not something to redo per request); the
    analyst's credibility overrides, few and cheap to read, are laid over them here the way
    `assess.grading.grades` does."""
    base = ledger.browse.assessment(proposition_id).grades
    chosen = ledger.judge.judgements.credibility(proposition_id)
    if not chosen:
        return base
    return {**base, **{sid: replace(base[sid], credibility=value, overridden=True,
                                    reason="set by the analyst")
                       for sid, value in chosen.items() if sid in base}}


def grades_of_positions(ledger: Ledger, positions: list[dict[str, Any]]
                        ) -> dict[tuple[str, str], Grade]:
    """Grades of a source page's positions, keyed by (statement id, proposition id): one
    assessment per proposition on the page, not one per row."""
    found: dict[tuple[str, str], Grade] = {}
    for pid in {str(p["proposition_id"]) for p in positions}:
        for sid, grade in grades_on(ledger, pid).items():
            found[(sid, pid)] = grade
    return found


def grades_of_statements(ledger: Ledger, ids: list[str]
                         ) -> dict[str, list[tuple[str, Grade]]]:
    """A document's statements' grades on each proposition they are linked to, by statement:
    one assessment per proposition the document touches."""
    linked: dict[str, list[str]] = {sid: [] for sid in ids}
    if ids:  # one query for the page, not one statement record (and its JSON) per row
        marks = ", ".join("?" for _ in ids)
        for sid, pid in ledger.store.backend.query(
                "SELECT statement_id, proposition_id FROM assignments WHERE statement_id IN "
                f"({marks}) ORDER BY score DESC, proposition_id", list(ids)):
            linked[str(sid)].append(str(pid))
    on: dict[str, dict[str, Grade]] = {}
    for pid in {pid for pids in linked.values() for pid in pids}:
        on[pid] = grades_on(ledger, pid)
    return {sid: [(pid, on[pid][sid]) for pid in pids if sid in on[pid]]
            for sid, pids in linked.items()}


def _value(values: Mapping[str, Any], name: str) -> str | None:
    """A chosen value; empty or null means "back to the suggestion"."""
    raw = values.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise InputError(name, f"must be a string or null (got {type(raw).__name__})")
    return str(raw).strip()


def _flag(values: Mapping[str, Any], name: str) -> bool:
    raw = values.get(name)
    if isinstance(raw, bool):
        return raw
    return str(raw or "").strip().lower() in ("1", "on", "true", "yes")


def _hypotheses(values: Mapping[str, Any]) -> list[str]:
    raw = values.get("hypotheses")
    if isinstance(raw, list):
        found = [str(x).strip() for x in raw if str(x).strip()]
    elif isinstance(raw, str):
        found = [x.strip() for x in raw.split(",") if x.strip()]
    else:
        found = []
    if len(found) < 2:
        raise InputError("hypotheses", "choose two or more propositions")
    return found


# -- operations, shared by forms and JSON -------------------------------------------------
def grade_op(request: Request, v: Mapping[str, Any], sid: str) -> str:
    """Grade, then link: the grade reaches the pages through the links (the resolved
    sources), and an analyst who just graded a source expects to see it at once."""
    grade = params.text(v, "grade", required=True, limit=10) or ""
    ledger = _ledger(request)
    key = ledger.judge.grade_source(sid, grade, _author(request, v))
    ledger.link()
    return key


def credibility_op(request: Request, v: Mapping[str, Any]) -> Any:
    return _ledger(request).judge.set_credibility(
        params.text(v, "statement_id", required=True, limit=200) or "",
        params.text(v, "proposition_id", required=True, limit=200) or "",
        _value(v, "value"), _author(request, v))


def create_op(request: Request, v: Mapping[str, Any]) -> Any:
    return _ledger(request).judge.create_ach(
        params.text(v, "name", required=True, limit=200) or "", _hypotheses(v),
        _author(request, v), exclusive=_flag(v, "exclusive"))


def cell_op(request: Request, v: Mapping[str, Any], name: str) -> Any:
    return _ledger(request).judge.set_cell(
        name, params.text(v, "item", required=True, limit=200) or "",
        params.text(v, "hypothesis", required=True, limit=200) or "",
        _value(v, "value"), _author(request, v))


# -- pages ----------------------------------------------------------------------------------
def _back(values: Mapping[str, Any], fallback: str) -> Response:
    return RedirectResponse(params.local_path(values, fallback), status_code=303)


def _form(run: Callable[[Request, Mapping[str, Any]], Any], fallback: str
          ) -> Callable[[Request], Response]:
    def handler(request: Request) -> Response:
        run(request, request.state.form)
        return _back(request.state.form, fallback)
    return handler


def _grade_form(request: Request, v: Mapping[str, Any]) -> Any:
    return grade_op(request, v, params.text(v, "source_id", required=True) or "")


def ach_list_page(request: Request) -> Response:
    from corroborate.web.routes_pages import page

    ledger = _ledger(request)
    analyst = [p for p in ledger.links.propositions() if p.origin == "analyst"]
    return page(request, "ach_list.html", sets=[s.to_dict() for s in ledger.judge.ach_sets()],
                propositions=analyst)


def ach_create_form(request: Request) -> Response:
    values = {**request.state.form,
              "hypotheses": request.state.form_lists.get("hypotheses", [])}
    created = create_op(request, values)
    return RedirectResponse(f"/ach/{path_segment(created.name)}", status_code=303)


def ach_page(request: Request) -> Response:
    from corroborate.web.routes_pages import page

    name = request.path_params["name"]
    found = _ledger(request).judge.ach(name).to_dict()
    return page(request, "ach.html", m=found, values=VALUES,
                label={h["id"]: h["statement"] for h in found["hypotheses"]})


def ach_cell_form(request: Request) -> Response:
    name = request.path_params["name"]
    cell_op(request, request.state.form, name)
    return _back(request.state.form, f"/ach/{path_segment(name)}")


# -- JSON -----------------------------------------------------------------------------------
def api_grade(request: Request) -> Response:
    key = grade_op(request, request.state.json, request.path_params["sid"])
    return JSONResponse({"source_id": key, "reliability": str(
        request.state.json.get("grade", "")).strip().upper()})


def api_credibility(request: Request) -> Response:
    return JSONResponse({"correction": credibility_op(request, request.state.json).to_dict()})


def api_ach_list(request: Request) -> Response:
    return JSONResponse({"items": [s.to_dict() for s in _ledger(request).judge.ach_sets()]})


def api_ach_create(request: Request) -> Response:
    return JSONResponse(create_op(request, request.state.json).to_dict(), status_code=201)


def api_ach(request: Request) -> Response:
    return JSONResponse(_ledger(request).judge.ach(request.path_params["name"]).to_dict())


def api_ach_csv(request: Request) -> Response:
    name = request.path_params["name"]
    fields, rows = csv_rows(_ledger(request).judge.ach(name))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:60] or "ach"
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{safe}.csv"'})


def api_cell(request: Request) -> Response:
    correction = cell_op(request, request.state.json, request.path_params["name"])
    return JSONResponse({"correction": correction.to_dict()})


def api_ach_delete(request: Request) -> Response:
    _ledger(request).judge.delete_ach(request.path_params["name"])
    return JSONResponse({"deleted": request.path_params["name"]})


# A set's name may hold any character but "|", "/" too: the name is a `path` parameter, and
# the routes with a suffix come before the bare one that would otherwise swallow them.
ROUTES = [
    Route("/judge/grade", form_body(_form(_grade_form, "/sources")), methods=["POST"]),
    Route("/judge/credibility", form_body(_form(credibility_op, "/propositions")),
          methods=["POST"]),
    Route("/ach", ach_list_page),
    Route("/ach", form_body(ach_create_form), methods=["POST"]),
    Route("/ach/{name:path}/cell", form_body(ach_cell_form), methods=["POST"]),
    Route("/ach/{name:path}", ach_page),
    Route("/api/grades/{sid:path}", json_body(api_grade), methods=["POST"]),
    Route("/api/credibility", json_body(api_credibility), methods=["POST"]),
    Route("/api/ach", api_ach_list),
    Route("/api/ach", json_body(api_ach_create), methods=["POST"]),
    Route("/api/ach/{name:path}/csv", api_ach_csv),
    Route("/api/ach/{name:path}/cells", json_body(api_cell), methods=["POST"]),
    Route("/api/ach/{name:path}", api_ach),
    Route("/api/ach/{name:path}", api_ach_delete, methods=["DELETE"]),
]

def openapi_paths(body: Callable[..., dict[str, Any]], responses: Callable[..., dict[str, Any]],
                  path_param: Callable[[str, str], dict[str, Any]], obj: dict[str, Any]
                  ) -> dict[str, Any]:
    """The judgement routes for `/api/openapi.json`."""
    author = {"type": "string"}
    done = responses(obj, "200", "403", "404")
    nullable = {"type": "string", "nullable": True}
    name = path_param("name", "ACH set name")

    def post(summary: str, props: dict[str, Any], required: list[str],
             parameters: list[dict[str, Any]], ok: dict[str, Any] = done) -> dict[str, Any]:
        return {"summary": summary, "parameters": parameters,
                "requestBody": body({**props, "author": author}, required), "responses": ok}

    return {
        "/api/grades/{sid}": {"post": post(
            "Grade a source's reliability (Admiralty A-F), recorded as a correction",
            {"grade": {"type": "string", "enum": list(RELIABILITY)}}, ["grade"],
            [path_param("sid", "source id")])},
        "/api/credibility": {"post": post(
            "Override a statement's credibility (1-6) on a proposition; null: suggestion",
            {"statement_id": {"type": "string"}, "proposition_id": {"type": "string"},
             "value": {"type": "integer", "minimum": 1, "maximum": 6, "nullable": True}},
            ["statement_id", "proposition_id"], [])},
        "/api/ach": {
            "get": {"summary": "ACH sets", "parameters": [], "responses": responses(obj)},
            "post": post("Create an ACH set of competing analyst propositions",
                         {"name": {"type": "string", "minLength": 1},
                          "hypotheses": {"type": "array", "items": {"type": "string"},
                                         "minItems": 2},
                          "exclusive": {"type": "boolean"}}, ["name", "hypotheses"], [],
                         responses(obj, "201", "403", "404"))},
        "/api/ach/{name}": {
            "get": {"summary": "An ACH matrix: items x hypotheses, diagnosticity, ranking, "
                               "sensitivity", "parameters": [name],
                    "responses": responses(obj, "200", "404")},
            "delete": {"summary": "Delete an ACH set", "parameters": [name],
                       "responses": responses(obj, "200", "403", "404")}},
        "/api/ach/{name}/csv": {"get": {
            "summary": "An ACH matrix as CSV", "parameters": [name],
            "responses": {"200": {"description": "CSV", "content": {"text/csv": {
                "schema": {"type": "string"}}}}, **{
                k: v for k, v in responses(obj, "200", "404").items() if k != "200"}}}},
        "/api/ach/{name}/cells": {"post": post(
            "Override one cell (CC/C/N/I/II); null goes back to the suggestion",
            {"item": {"type": "string"}, "hypothesis": {"type": "string"},
             "value": {**nullable, "enum": [*VALUES, None]}}, ["item", "hypothesis"],
            [name])},
    }
