"""The JSON API under `/api/`: the same reads as the pages, described by `/api/openapi.json`.

Every route is a plain function run in a worker thread with that thread's ledger; errors are
raised as library exceptions and turned into the one error envelope by `errors.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from corroborate.web import params
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


def proposition(request: Request) -> JSONResponse:
    pid = request.path_params["pid"]
    return JSONResponse(_pool(request).get().browse.proposition_model(pid))


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
    items: list[dict[str, Any]] = [
        {**s, "highlight": [{"text": t, "hit": h} for t, h in highlight(s["content"], query)],
         "source_highlight": [{"text": t, "hit": h}
                              for t, h in highlight(s["source_text"] or "", query)]}
        for s in found.items]
    return JSONResponse({"query": query, "documents": [search_hit(h) for h in hits],
                         "statements": {**found.to_dict(), "items": items}})


def add_proposition(request: Request, values: Mapping[str, Any]) -> str:
    """A new analyst proposition (ids P1, P2, ... in order): a recorded correction when the
    corrections library is there, else a plain `propose`."""
    statement = params.text(values, "statement", required=True) or ""
    ledger = _pool(request).get()
    if available():
        author = params.text(values, "author", limit=200) or request.app.state.author
        return str(ledger.curate.add_proposition(statement, author))
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
