"""The write side: corrections from the pages (forms) and the JSON API, through
`Ledger.curate` (the corrections library, `corroborate.curate`), plus "link now".

Every route here is state-changing, so the wall (`security.py`) has already checked its CSRF
token; each names its author (the analyst's account with `--tokens`, else the `author` field,
else the server's `--author`), and the
library records who, when, before and after, and can undo it. Form routes redirect back to
the page they came from (`next`, only ever a local path), JSON routes answer the correction.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from corroborate.api import Ledger
from corroborate.curate import learning
from corroborate.errors import InputError
from corroborate.web import params
from corroborate.web.accounts import author_of
from corroborate.web.bodies import form_body, json_body
from corroborate.web.context import LedgerPool

STANCE_VALUES = ("affirm", "deny", "uncertain")


def _ledger(request: Request) -> Ledger:
    pool: LedgerPool = request.app.state.pool
    return pool.get()


_author = author_of  # the account, else the `author` field, else `--author`


def _span(values: Mapping[str, Any], part: str, required: bool = False
          ) -> tuple[int, int] | None:
    """A span from `PART_start`/`PART_end` fields (forms) or a `[start, end]` list (JSON)."""
    if part in values:
        raw = values[part]
        if raw is None and not required:
            return None
        if not isinstance(raw, list) or len(raw) != 2 or \
                not all(isinstance(x, int) and not isinstance(x, bool) for x in raw):
            raise InputError(part, "must be [start, end], two character offsets")
        return int(raw[0]), int(raw[1])
    if values.get(f"{part}_start") in (None, "") and not required:
        return None
    return (params.integer(values, f"{part}_start", required=True),
            params.integer(values, f"{part}_end", required=True))


def _ids(values: Mapping[str, Any], name: str) -> list[str]:
    raw = values.get(name)
    if isinstance(raw, list):
        found = [str(x).strip() for x in raw if str(x).strip()]
    else:
        found = [x.strip() for x in str(raw or "").split(",") if x.strip()]
    if not found:
        raise InputError(name, "needs at least one id")
    return found


def _stance(values: Mapping[str, Any], name: str = "stance", allow_none: bool = False
            ) -> str | None:
    value = values.get(name)
    if value in (None, "") and allow_none:
        return None
    if value not in STANCE_VALUES:
        raise InputError(name, f"must be one of {', '.join(STANCE_VALUES)}"
                               + (" (or null to reject)" if allow_none else ""))
    return str(value)


# -- operations, shared by forms and JSON -------------------------------------------------
def link_op(request: Request, v: Mapping[str, Any]) -> Any:
    return _ledger(request).curate.set_link(
        params.text(v, "statement_id", required=True) or "",
        params.text(v, "proposition_id", required=True) or "",
        _stance(v, allow_none=True), _author(request, v))


def statement_set_op(request: Request, v: Mapping[str, Any], sid: str) -> Any:
    """Only the fields that differ from the statement's current values are changed, so a
    form that shows every field records just what the analyst altered."""
    ledger = _ledger(request)
    now = ledger.browse.statement(sid)
    changes: dict[str, Any] = {}
    stance = params.text(v, "stance")
    if stance and stance != now["data"].get("stance"):
        changes["stance"] = _stance(v)
    said_on = params.text(v, "said_on")
    if said_on and said_on != now["data"].get("said_on"):
        changes["said_on"] = said_on
    source_id = params.text(v, "source_id")
    if source_id and source_id != now.get("source_id"):
        changes["source_id"] = source_id
    if not changes:
        raise InputError("stance", "nothing to change: the values are the statement's own")
    return ledger.curate.set_statement(now["id"], _author(request, v), **changes)


def statement_add_op(request: Request, v: Mapping[str, Any], doc_id: str) -> Any:
    content = _span(v, "content", required=True)
    assert content is not None
    return _ledger(request).curate.add_statement(
        doc_id, content, _author(request, v), cue=_span(v, "cue"), source=_span(v, "source"),
        stance=_stance(v) if v.get("stance") not in (None, "") else "affirm")


def source_op(request: Request, v: Mapping[str, Any], sid: str, op: str) -> Any:
    curate = _ledger(request).curate
    author = _author(request, v)
    if op == "edit":
        return curate.edit_source(sid, params.text(v, "field", required=True) or "",
                                  str(v.get("value") or ""), author)
    if op == "merge":
        return curate.merge_sources(sid, _ids(v, "other"), author)
    if op == "split":
        return curate.split_source(sid, _ids(v, "statements"), author,
                                   name=params.text(v, "name"))
    raise InputError("op", "must be edit, merge or split")


def proposition_op(request: Request, v: Mapping[str, Any], pid: str, op: str) -> Any:
    curate = _ledger(request).curate
    author = _author(request, v)
    if op == "edit":
        return curate.edit_proposition(pid, params.text(v, "text", required=True) or "", author)
    if op == "retire":
        return curate.retire_proposition(pid, author)
    if op == "merge":
        return curate.merge_propositions(pid, params.text(v, "other", required=True) or "",
                                         author)
    if op == "implies":
        return curate.imply(pid, params.text(v, "other", required=True) or "", author)
    raise InputError("op", "must be edit, retire, merge or implies")


def undo_op(request: Request, v: Mapping[str, Any], correction_id: int) -> Any:
    """Undo a correction; a `learn` record's effect is applied by linking, so undoing one
    relinks at once (as `learn` itself does) and says which links came back."""
    ledger = _ledger(request)
    curate = ledger.curate
    if learning.relinks(curate.get(correction_id)):
        done = learning.undo(curate, lambda: ledger.link(force=True), correction_id,
                             _author(request, v))
        _remember(done)
        return done
    return curate.undo(correction_id, _author(request, v))


# What each `learn` (or its undo) run by this server moved, by correction id, for the page
# the form redirects to (the record itself is in the ledger; the links it moved are only known
# at the moment of the relink).
_relinked: OrderedDict[int, learning.Relinked] = OrderedDict()
_relinked_lock = threading.Lock()


def _remember(done: learning.Relinked) -> None:
    with _relinked_lock:
        _relinked[done.correction.id] = done
        while len(_relinked) > 32:
            _relinked.popitem(last=False)


def learn_op(request: Request, v: Mapping[str, Any]) -> learning.Relinked:
    """`corroborate learn` from the workbench: the same `Curator.learn`, then a relink."""
    ledger = _ledger(request)
    done = learning.learn(ledger.curate, lambda: ledger.link(force=True), _author(request, v))
    _remember(done)
    return done


# -- forms ----------------------------------------------------------------------------------
def _form(run: Callable[[Request, Mapping[str, Any]], Any], fallback: str
          ) -> Callable[[Request], Response]:
    def handler(request: Request) -> Response:
        values = request.state.form
        run(request, values)
        return RedirectResponse(params.local_path(values, fallback), status_code=303)
    return handler


def _statement_form(request: Request, v: Mapping[str, Any]) -> Any:
    op = v.get("op")
    if op == "add":
        return statement_add_op(request, v, params.text(v, "doc_id", required=True) or "")
    sid = params.text(v, "statement_id", required=True) or ""
    if op == "delete":
        return _ledger(request).curate.delete_statement(sid, _author(request, v))
    if op == "set":
        return statement_set_op(request, v, sid)
    raise InputError("op", "must be add, set or delete")


def _source_form(request: Request, v: Mapping[str, Any]) -> Any:
    return source_op(request, v, params.text(v, "source_id", required=True) or "",
                     str(v.get("op") or ""))


def _proposition_form(request: Request, v: Mapping[str, Any]) -> Any:
    return proposition_op(request, v, params.text(v, "pid", required=True) or "",
                          str(v.get("op") or ""))


def _undo_form(request: Request, v: Mapping[str, Any]) -> Any:
    return undo_op(request, v, params.integer(v, "correction_id", required=True))


def learn_form(request: Request) -> Response:
    done = learn_op(request, request.state.form)
    return RedirectResponse(f"/learn/{done.correction.id}", status_code=303)


def undo_form(request: Request) -> Response:
    """Undo from a page; the undo of a `learn` record shows what the relink moved back."""
    values = request.state.form
    done = _undo_form(request, values)
    if isinstance(done, learning.Relinked):
        return RedirectResponse(f"/learn/{done.correction.id}", status_code=303)
    return RedirectResponse(params.local_path(values, "/history"), status_code=303)


def learn_page(request: Request) -> Response:
    """A `learn` record (or the undo of one): its settings and corrections, and, when this
    server ran it, the links the relink moved, with their statements' words."""
    from corroborate.web.routes_pages import page

    ledger = _ledger(request)
    correction = ledger.curate.get(params.integer(request.path_params, "cid", required=True))
    if not learning.relinks(correction):
        raise InputError("cid", f"correction #{correction.id} is a {correction.op}, not a "
                                "learn record or its undo")
    with _relinked_lock:
        done = _relinked.get(correction.id)
    changes = done.to_dict()["changes"] if done else []
    texts = ledger.browse.pages.contents([c["statement_id"] for c in changes])
    for c in changes:
        c["content"] = texts.get(c["statement_id"], "")
    return page(request, "learn.html", c=correction.to_dict(),
                done=done.to_dict() if done else None, changes=changes)


def history_page(request: Request) -> Response:
    from corroborate.web.routes_pages import page

    q = request.query_params
    offset = params.integer(q, "offset", 0)
    found = _ledger(request).curate.history(params.text(q, "target_kind"),
                                            params.text(q, "target"), limit=51, offset=offset)
    args = {k: v for k in ("target_kind", "target") if (v := q.get(k))}
    return page(request, "history.html", corrections=[c.to_dict() for c in found[:50]],
                more=len(found) > 50, args={**args, "offset": str(offset)})


# -- JSON -----------------------------------------------------------------------------------
def _answer(correction: Any, status: int = 200) -> JSONResponse:
    return JSONResponse({"correction": correction.to_dict()}, status_code=status)


def api_link(request: Request) -> Response:
    return _answer(link_op(request, request.state.json))


def api_statement_set(request: Request) -> Response:
    return _answer(statement_set_op(request, request.state.json, request.path_params["sid"]))


def api_statement_delete(request: Request) -> Response:
    return _answer(_ledger(request).curate.delete_statement(
        request.path_params["sid"], _author(request, request.query_params)))


def api_statement_add(request: Request) -> Response:
    return _answer(statement_add_op(request, request.state.json,
                                    request.path_params["doc_id"]), 201)


def api_source(request: Request) -> Response:
    return _answer(source_op(request, request.state.json, request.path_params["sid"],
                             request.path_params["op"]))


def api_proposition(request: Request) -> Response:
    body = request.state.json
    return _answer(proposition_op(request, body, request.path_params["pid"],
                                  str(body.get("op") or "")))


def api_history(request: Request) -> Response:
    q = request.query_params
    limit, offset = params.page(q)
    found = _ledger(request).curate.history(params.text(q, "target_kind"),
                                            params.text(q, "target"), limit=limit,
                                            offset=offset)
    return JSONResponse({"items": [c.to_dict() for c in found], "limit": limit,
                         "offset": offset})


def api_undo(request: Request) -> Response:
    done = undo_op(request, request.state.json,
                   params.integer(request.path_params, "cid", required=True))
    if isinstance(done, learning.Relinked):
        return JSONResponse(done.to_dict())
    return _answer(done)


def api_learn(request: Request) -> Response:
    return JSONResponse(learn_op(request, request.state.json).to_dict(), status_code=201)


ROUTES = [
    Route("/corrections/link", form_body(_form(link_op, "/propositions")), methods=["POST"]),
    Route("/corrections/statement", form_body(_form(_statement_form, "/documents")),
          methods=["POST"]),
    Route("/corrections/source", form_body(_form(_source_form, "/sources")), methods=["POST"]),
    Route("/corrections/proposition", form_body(_form(_proposition_form, "/propositions")),
          methods=["POST"]),
    Route("/corrections/undo", form_body(undo_form), methods=["POST"]),
    Route("/corrections/learn", form_body(learn_form), methods=["POST"]),
    Route("/learn/{cid:int}", learn_page),
    Route("/history", history_page),
    Route("/api/learn", json_body(api_learn), methods=["POST"]),
    Route("/api/links", json_body(api_link), methods=["POST"]),
    Route("/api/statements/{sid}", json_body(api_statement_set), methods=["POST"]),
    Route("/api/statements/{sid}", api_statement_delete, methods=["DELETE"]),
    Route("/api/documents/{doc_id}/statements", json_body(api_statement_add),
          methods=["POST"]),
    Route("/api/sources/{sid}/{op}", json_body(api_source), methods=["POST"]),
    Route("/api/propositions/{pid:path}", json_body(api_proposition), methods=["POST"]),
    Route("/api/history", api_history),
    Route("/api/corrections/{cid:int}/undo", json_body(api_undo), methods=["POST"]),
]


def openapi_paths(body: Callable[..., dict[str, Any]], responses: Callable[..., dict[str, Any]],
                  path_param: Callable[[str, str], dict[str, Any]], obj: dict[str, Any]
                  ) -> dict[str, Any]:
    """The corrections routes for `/api/openapi.json`."""
    stance = {"type": "string", "enum": list(STANCE_VALUES)}
    span = {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}
    author = {"type": "string"}
    done = responses(obj, "200", "403", "404", "409")

    def post(summary: str, props: dict[str, Any], required: list[str],
             params_: list[dict[str, Any]] | None = None, ok: dict[str, Any] = done
             ) -> dict[str, Any]:
        return {"summary": summary, "parameters": params_ or [],
                "requestBody": body({**props, "author": author}, required), "responses": ok}

    return {
        "/api/links": {"post": post("Accept, flip, add (stance) or reject (null) a link",
                                    {"statement_id": {"type": "string"},
                                     "proposition_id": {"type": "string"},
                                     "stance": {**stance, "nullable": True}},
                                    ["statement_id", "proposition_id", "stance"])},
        "/api/statements/{sid}": {
            "post": post("Change a statement's stance, source or date",
                         {"stance": stance, "source_id": {"type": "string"},
                          "said_on": {"type": "string"}}, [],
                         [path_param("sid", "statement id")]),
            "delete": {"summary": "Delete a junk statement",
                       "parameters": [path_param("sid", "statement id"),
                                      {"name": "author", "in": "query", "required": False,
                                       "schema": author}],
                       "responses": done}},
        "/api/documents/{doc_id}/statements": {"post": post(
            "Add a missed statement as spans of the archived text",
            {"content": span, "cue": {**span, "nullable": True},
             "source": {**span, "nullable": True}, "stance": stance}, ["content"],
            [path_param("doc_id", "document id")],
            responses(obj, "201", "403", "404", "409"))},
        "/api/sources/{sid}/{op}": {"post": post(
            "Edit (field, value), merge (other: ids) or split (statements: ids, name) a source",
            {"field": {"type": "string"}, "value": {"type": "string"},
             "other": {"type": "array", "items": {"type": "string"}},
             "statements": {"type": "array", "items": {"type": "string"}},
             "name": {"type": "string"}}, [],
            [path_param("sid", "source id"),
             {"name": "op", "in": "path", "required": True,
              "schema": {"type": "string", "enum": ["edit", "merge", "split"]}}])},
        "/api/history": {"get": {"summary": "Corrections, newest first",
                                 "parameters": [
                                     {"name": n, "in": "query", "required": False,
                                      "schema": {"type": "string"}}
                                     for n in ("target_kind", "target")] + [
                                     {"name": "limit", "in": "query", "required": False,
                                      "schema": {"type": "integer", "minimum": 1,
                                                 "maximum": 200}},
                                     {"name": "offset", "in": "query", "required": False,
                                      "schema": {"type": "integer", "minimum": 0}}],
                                 "responses": responses(obj, "200", "409")}},
        "/api/corrections/{cid}/undo": {"post": post(
            "Undo a correction (the undo is recorded too); undoing a learn record relinks "
            "and answers like /api/learn", {}, [],
            [{"name": "cid", "in": "path", "required": True, "schema": {"type": "integer"}}])},
        "/api/learn": {"post": post(
            "Adapt linking to the link corrections in force (corroborate learn), relink, and "
            "list the links that moved beyond the corrected pairs", {}, [],
            ok=responses(obj, "201", "403", "409"))},
        "/api/propositions/{pid}": {"post": post(
            "Edit (text), retire, merge (other into this) or imply (this implies other)",
            {"op": {"type": "string", "enum": ["edit", "retire", "merge", "implies"]},
             "text": {"type": "string"}, "other": {"type": "string"}}, ["op"],
            [path_param("pid", "proposition id")])},
    }

