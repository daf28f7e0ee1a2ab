"""The JSON API under `/api/`: the same reads as the pages, described by `/api/openapi.json`.

Every route is a plain function run in a worker thread with that thread's ledger; errors are
raised as library exceptions and turned into the one error envelope by `errors.py`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from corroborate.browse import search_terms
from corroborate.web import params
from corroborate.web.accounts import author_of
from corroborate.web.bodies import json_body
from corroborate.web.context import LedgerPool
from corroborate.web.corrections import available
from corroborate.web.views import document_meta, highlight, search_hit, statement_spans


def _pool(request: Request) -> LedgerPool:
    pool: LedgerPool = request.app.state.pool
    return pool


def summary(request: Request) -> JSONResponse:
    browse = _pool(request).get().browse
    return JSONResponse({**browse.counts(), "links_stale": browse.stale()})


def propositions(request: Request) -> JSONResponse:
    q = request.query_params
    limit, offset = params.page(q)
    found = _pool(request).get().browse.propositions(limit, offset, params.text(q, "origin"))
    return JSONResponse(found.to_dict())


# A proposition's JSON by `Browser.state_key`: serialised once per state of the links.
_models: OrderedDict[tuple[str, ...], bytes] = OrderedDict()
_models_lock = threading.Lock()
POSITIONS_SHOWN = 20


def _bounded(model: dict[str, Any]) -> dict[str, Any]:
    """The model with each source's positions cut to its latest `POSITIONS_SHOWN` (the rest
    are paged at /api/sources/{id}): a source of a busy proposition has thousands."""
    sources = [{**s, "positions": s["positions"][-POSITIONS_SHOWN:],
                "positions_total": len(s["positions"])} for s in model["sources"]]
    return {**model, "sources": sources}


def proposition(request: Request) -> Response:
    pid = request.path_params["pid"]
    browse = _pool(request).get().browse
    model = browse.proposition_model(pid)
    key = browse.state_key(pid)
    with _models_lock:
        body = _models.get(key)
    if body is None:
        body = JSONResponse(_bounded(model)).body
        with _models_lock:
            _models[key] = bytes(body)
            while len(_models) > 32:
                _models.popitem(last=False)
    return Response(body, media_type="application/json")


def statements(request: Request) -> JSONResponse:
    q = request.query_params
    limit, offset = params.page(q)
    found = _pool(request).get().browse.statements(params.statement_filter(q), limit, offset)
    return JSONResponse(found.to_dict())


def statement(request: Request) -> JSONResponse:
    found = _pool(request).get().browse.statement(request.path_params["sid"])
    return JSONResponse({**statement_spans(found), "doc_id": found["doc_id"],
                         "propositions": found["propositions"],
                         "hedges": found["data"].get("hedges", []),
                         "event_dates": found["data"].get("event_dates", []),
                         "evidence": found["data"].get("evidence", [])})


def sources(request: Request) -> JSONResponse:
    q = request.query_params
    limit, offset = params.page(q)
    found = _pool(request).get().browse.sources(limit, offset, params.text(q, "text"),
                                                params.text(q, "type"))
    return JSONResponse(found.to_dict())


def source(request: Request) -> JSONResponse:
    limit, offset = params.page(request.query_params)
    return JSONResponse(_pool(request).get().browse.source(request.path_params["sid"],
                                                           limit, offset))


def documents(request: Request) -> JSONResponse:
    q = request.query_params
    limit, offset = params.page(q)
    found = _pool(request).get().browse.documents(limit, offset, params.text(q, "kind"),
                                                  params.text(q, "text"))
    return JSONResponse(found.to_dict())


def document(request: Request) -> JSONResponse:
    doc, found, versions = _pool(request).get().browse.document(request.path_params["doc_id"])
    return JSONResponse({**document_meta(doc), "text": doc.text,
                         "statements": [statement_spans(s) for s in found],
                         "versions": versions})


def search(request: Request) -> JSONResponse:
    q = request.query_params
    query = params.text(q, "q", required=True) or ""
    limit, offset = params.page(q, 20)
    hits, found = _pool(request).get().browse.search(query, limit, offset)
    terms = search_terms(query)
    items: list[dict[str, Any]] = [
        {**s, "highlight": [{"text": t, "hit": h} for t, h in highlight(s["content"], terms)],
         "source_highlight": [{"text": t, "hit": h}
                              for t, h in highlight(s["source_text"] or "", terms)]}
        for s in found.items]
    return JSONResponse({"query": query, "documents": [search_hit(h) for h in hits],
                         "statements": {**found.to_dict(), "items": items}})


def add_proposition(request: Request, values: Mapping[str, Any]) -> str:
    """A new analyst proposition (ids P1, P2, ... in order): a recorded correction when the
    corrections library is there, else a plain `propose`."""
    statement = params.text(values, "statement", required=True) or ""
    ledger = _pool(request).get()
    if available():
        return str(ledger.curate.add_proposition(statement, author_of(request, values)))
    return ledger.propose_text(statement)


def create_proposition(request: Request) -> JSONResponse:
    body = request.state.json
    pid = add_proposition(request, body)
    return JSONResponse({"id": pid, "statement": body["statement"].strip()}, status_code=201)


def link_now(request: Request) -> JSONResponse:
    """Run `link` when the links are older than the ledger (after an add or a correction
    of statements); a no-op otherwise."""
    return JSONResponse({"linked": _pool(request).get().link() is not None})


ROUTES = [
    Route("/api/summary", summary),
    Route("/api/propositions", propositions),
    Route("/api/propositions", json_body(create_proposition), methods=["POST"]),
    Route("/api/propositions/{pid:path}", proposition),
    Route("/api/statements", statements),
    Route("/api/statements/{sid}", statement),
    Route("/api/sources", sources),
    Route("/api/sources/{sid:path}", source),
    Route("/api/documents", documents),
    Route("/api/documents/{doc_id}", document),
    Route("/api/search", search),
    Route("/api/link", json_body(link_now), methods=["POST"]),
]
