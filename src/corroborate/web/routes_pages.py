"""The server-rendered pages: propositions, sources, documents, search, login.

Each route reads one page through `Ledger.browse` and renders a template; forms that change
something post back and are redirected (post/redirect/get), so a reload never repeats an edit.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from corroborate.assess.grading import CREDIBILITY, RELIABILITY
from corroborate.browse import Browser, Page, search_terms
from corroborate.model import DOCUMENT_KINDS
from corroborate.report.charts import legend, timeline_svg
from corroborate.store.query import parse_query
from corroborate.web import params, routes_judge
from corroborate.web.accounts import account
from corroborate.web.bodies import form_body
from corroborate.web.context import LedgerPool
from corroborate.web.corrections import available
from corroborate.web.highlight import render as highlighted
from corroborate.web.routes_api import add_proposition
from corroborate.web.security import TOKEN_COOKIE, Guard
from corroborate.web.templating import path_segment, render
from corroborate.web.views import highlight, search_hit

SOURCE_TYPES = ("person", "organization", "government_body", "media", "unnamed", "author")


def _pool(request: Request) -> LedgerPool:
    pool: LedgerPool = request.app.state.pool
    return pool


def page(request: Request, template: str, **context: Any) -> HTMLResponse:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return HTMLResponse(render(template, csrf=request.state.csrf, writes=available(),
                               here=here, account=account(request), **context))


def _args(request: Request, *names: str) -> dict[str, str]:
    return {n: v for n in names if (v := request.query_params.get(n))}


def home(request: Request) -> Response:
    return RedirectResponse("/propositions", status_code=303)


def propositions(request: Request) -> Response:
    limit, offset = params.page(request.query_params)
    browse = _pool(request).get().browse
    return page(request, "propositions.html", page=browse.propositions(limit, offset),
                args=_args(request, "limit"), stale=browse.stale())


def _contradiction_pairs(model: dict[str, Any]) -> list[dict[str, Any]]:
    """Contradicting statements grouped by the pair of sources, each pair once."""
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for g in model["contradiction_groups"]:
        for item in g["pairs"]:
            other = item["other"]
            key = tuple(sorted((str(g["source_id"] or g["name"]),
                                str(other["source_id"] or other["name"]))))
            entry = pairs.setdefault(key, {"a": g["name"], "a_stance": item["own"]["stance"],
                                           "b": other["name"], "b_stance": other["stance"],
                                           "pairs": [], "seen": set()})
            ids = frozenset((item["own"]["statement_id"], other["statement_id"]))
            if ids not in entry["seen"]:
                entry["seen"].add(ids)
                entry["pairs"].append(item)
    return sorted(({k: v for k, v in p.items() if k != "seen"} for p in pairs.values()),
                  key=lambda p: (-len(p["pairs"]), str(p["a"]), str(p["b"])))


# Rendered chart and findings of a proposition, by `Browser.state_key`: they change only when
# the links do, and drawing them is most of a proposition page's cost on a large ledger.
_fragments: OrderedDict[tuple[str, str, str], tuple[Markup, Markup]] = OrderedDict()
_fragments_lock = threading.Lock()
_FRAGMENTS = 32


def _proposition_fragments(browse: Browser, pid: str) -> tuple[dict[str, Any], Markup, Markup]:
    model = browse.proposition_model(pid)
    key = browse.state_key(pid)
    with _fragments_lock:
        found = _fragments.get(key)
    if found is None:
        head = Markup(render("proposition_head.html", prop=model, counts=model["counts"],
                             chart=Markup(timeline_svg(model, model["timeline"], "tl")),
                             legend=Markup(legend())))
        findings = Markup(render("proposition_findings.html", prop=model,
                                 contradictions=_contradiction_pairs(model)))
        found = (head, findings)
        with _fragments_lock:
            _fragments[key] = found
            while len(_fragments) > _FRAGMENTS:
                _fragments.popitem(last=False)
    return model, found[0], found[1]


def proposition(request: Request) -> Response:
    pid = request.path_params["pid"]
    q = request.query_params
    limit, offset = params.page(q)
    browse = _pool(request).get().browse
    model, head, findings = _proposition_fragments(browse, pid)
    statements = browse.statements(params.statement_filter(q, pid), limit, offset)
    grades = routes_judge.grades_on(_pool(request).get(), pid) if available() else {}
    return page(request, "proposition.html", prop=model, page=statements, head=head,
                grades=grades, credibility_names=CREDIBILITY,
                findings=findings, sources=browse.proposition_sources(pid),
                kinds=DOCUMENT_KINDS,
                args=_args(request, "source", "stance", "since", "until", "kind", "text",
                           "limit"),
                stale=browse.stale())


def sources(request: Request) -> Response:
    q = request.query_params
    limit, offset = params.page(q)
    browse = _pool(request).get().browse
    found = browse.sources(limit, offset, params.text(q, "text"), params.text(q, "type"))
    return page(request, "sources.html", page=found, types=SOURCE_TYPES,
                args=_args(request, "text", "type", "limit"))


def source(request: Request) -> Response:
    limit, offset = params.page(request.query_params)
    found = _pool(request).get().browse.source(request.path_params["sid"], limit, offset)
    positions = found["positions"]
    grades = routes_judge.grades_of_positions(_pool(request).get(), positions["items"]) \
        if available() else {}
    return page(request, "source.html", source=found, grades=grades, reliability=RELIABILITY,
                positions=Page(positions["items"], positions["total"], limit, offset),
                args=_args(request, "limit"))


def documents(request: Request) -> Response:
    q = request.query_params
    limit, offset = params.page(q)
    found = _pool(request).get().browse.documents(limit, offset, params.text(q, "kind"),
                                                  params.text(q, "text"))
    return page(request, "documents.html", page=found, kinds=DOCUMENT_KINDS,
                args=_args(request, "text", "kind", "limit"))


def document(request: Request) -> Response:
    doc, statements, versions = _pool(request).get().browse.document(
        request.path_params["doc_id"])
    grades = routes_judge.grades_of_statements(_pool(request).get(),
                                               [s["id"] for s in statements]) \
        if available() else {}
    return page(request, "document.html", doc=doc, statements=statements, versions=versions,
                grades=grades,
                text=highlighted(doc.text, statements))


def search(request: Request) -> Response:
    q = request.query_params
    query = params.text(q, "q")
    limit, offset = params.page(q, 20)
    if not query:
        return page(request, "search.html", q="", hits=[], statements=None, notes=[],
                    args={})
    notes = list(parse_query(query).notes)
    hits, found = _pool(request).get().browse.search(query, limit, offset)
    terms = search_terms(query)
    for item in found.items:
        item["highlight"] = highlight(item["content"], terms)
        item["source_highlight"] = highlight(item["source_text"] or "", terms)
    return page(request, "search.html", q=query, hits=[search_hit(h) for h in hits],
                statements=found, notes=notes, args=_args(request, "q", "limit"))


def login_form(request: Request) -> Response:
    return page(request, "login.html", failed=False)


def login(request: Request) -> Response:
    guard: Guard = request.app.state.guard
    given = str(request.state.form.get("token", ""))
    if not guard.tokens:
        return RedirectResponse("/propositions", status_code=303)
    if not guard.holder(given)[0]:
        response = page(request, "login.html", failed=True)
        response.status_code = 401
        return response
    response = RedirectResponse("/propositions", status_code=303)
    response.set_cookie(TOKEN_COOKIE, given, httponly=True, samesite="strict", path="/")
    return response


def create_proposition(request: Request) -> Response:
    pid = add_proposition(request, request.state.form)
    return RedirectResponse(f"/propositions/{path_segment(pid)}", status_code=303)


def link_now(request: Request) -> Response:
    _pool(request).get().link()
    return RedirectResponse(params.local_path(request.state.form, "/propositions"),
                            status_code=303)


ROUTES = [
    Route("/", home),
    Route("/propositions", propositions),
    Route("/propositions", form_body(create_proposition), methods=["POST"]),
    Route("/propositions/{pid:path}", proposition),
    Route("/sources", sources),
    Route("/sources/{sid:path}", source),
    Route("/documents", documents),
    Route("/documents/{doc_id}", document),
    Route("/search", search),
    Route("/login", login_form),
    Route("/login", form_body(login), methods=["POST"]),
    Route("/link", form_body(link_now), methods=["POST"]),
]
