"""The OpenAPI 3.0 description of `/api/`, served at `/api/openapi.json`.

Written as data next to the routes rather than generated from type hints: Starlette has no
schema generator of its own, and a hand-kept description is what the fuzz test
(schemathesis) holds the server to — every parameter it lists is sent in every odd shape, and
no answer may be a server error.
"""

from __future__ import annotations

from typing import Any

from corroborate.model import DOCUMENT_KINDS
from corroborate.store.pages import MAX_LIMIT, STANCES

_ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                   "field": {"type": "string"}}}}}
_PAGE = {"type": "object", "required": ["items", "total", "limit", "offset"],
         "properties": {"items": {"type": "array", "items": {"type": "object"}},
                        "total": {"type": "integer"}, "total_exact": {"type": "boolean"},
                        "limit": {"type": "integer"},
                        "offset": {"type": "integer"},
                        "next_offset": {"type": "integer", "nullable": True}}}
_OBJECT = {"type": "object"}


def _q(name: str, schema: dict[str, Any], description: str = "",
       required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema,
            "description": description}


def _p(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"},
            "description": description}


_PAGING = [_q("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 50}),
           _q("offset", {"type": "integer", "minimum": 0, "default": 0})]
_DAY = {"type": "string", "format": "date"}
_STATEMENT_FILTERS = [
    _q("proposition", {"type": "string"}, "only statements linked to this proposition "
                                          "(stance is then toward it)"),
    _q("source", {"type": "string"}, "resolved source id"),
    _q("stance", {"type": "string", "enum": list(STANCES)}),
    _q("since", _DAY), _q("until", _DAY),
    _q("kind", {"type": "string", "enum": list(DOCUMENT_KINDS)}, "document kind"),
    _q("text", {"type": "string"}, "substring of the content or of the source's words"),
    _q("document", {"type": "string"}, "document id"),
]


def _responses(ok: dict[str, Any], status: str = "200", *errors: str) -> dict[str, Any]:
    out: dict[str, Any] = {status: {"description": "OK", "content": {
        "application/json": {"schema": ok}}}}
    for code in ("400", *errors):
        out[code] = {"description": "error", "content": {"application/json": {
            "schema": _ERROR}}}
    return out


def _get(summary: str, ok: dict[str, Any], parameters: list[dict[str, Any]],
         *errors: str) -> dict[str, Any]:
    return {"get": {"summary": summary, "parameters": parameters,
                    "responses": _responses(ok, "200", *errors)}}


def _body(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "properties": properties, "required": required}}}}


def spec(writes: bool) -> dict[str, Any]:
    """The description; `writes` adds the corrections routes when that library is present."""
    paths: dict[str, Any] = {
        "/api/summary": _get("Counts of documents, statements and stances", _OBJECT, []),
        "/api/propositions": {
            **_get("Propositions with counts by stance", _PAGE,
                   [*_PAGING, _q("origin", {"type": "string", "enum": ["analyst",
                                                                       "discovered"]})]),
            "post": {"summary": "Add an analyst proposition",
                     "requestBody": _body({"statement": {"type": "string", "minLength": 1}},
                                          ["statement"]),
                     "responses": _responses(_OBJECT, "201", "403")}},
        "/api/propositions/{pid}": _get(
            "One proposition assessed: timeline, sources, reversals, contradictions, "
            "evidence, corroboration", _OBJECT, [_p("pid", "proposition id")], "404"),
        "/api/statements": _get("Statements, filtered and paged", _PAGE,
                                [*_STATEMENT_FILTERS, *_PAGING]),
        "/api/statements/{sid}": _get("One statement with its spans and links", _OBJECT,
                                      [_p("sid", "statement id")], "404"),
        "/api/sources": _get("Sources with type, affiliation, alignment, grade, counts",
                             _PAGE, [_q("text", {"type": "string"}),
                                     _q("type", {"type": "string"}), *_PAGING]),
        "/api/sources/{sid}": _get("One source: positions (paged), mentions, relays",
                                   _OBJECT, [_p("sid", "source id"), *_PAGING], "404"),
        "/api/documents": _get("Documents with statement counts", _PAGE,
                               [_q("kind", {"type": "string", "enum": list(DOCUMENT_KINDS)}),
                                _q("text", {"type": "string"}), *_PAGING]),
        "/api/documents/{doc_id}": _get("A document's archived text, statements as spans, "
                                        "versions", _OBJECT,
                                        [_p("doc_id", "document id, id prefix or URI")], "404"),
        "/api/link": {"post": {"summary": "Link now, if the links are older than the ledger",
                               "responses": _responses(_OBJECT, "200", "403")}},
        "/api/search": _get("Full-text search of documents, and statements holding the words",
                            _OBJECT, [_q("q", {"type": "string", "minLength": 1},
                                         required=True), *_PAGING]),
    }
    if writes:
        from corroborate.web import routes_judge, routes_write

        for module in (routes_write, routes_judge):
            for path, ops in module.openapi_paths(_body, _responses, _p, _OBJECT).items():
                paths.setdefault(path, {}).update(ops)
    return {"openapi": "3.0.3",
            "info": {"title": "corroborate workbench API", "version": "1",
                     "description": "Every state-changing request carries the value of the "
                                    "corroborate_csrf cookie in an X-CSRF-Token header. Errors: "
                                    '{"error": {"code", "message", "field"?}}.'},
            "paths": paths}
