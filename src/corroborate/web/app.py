"""The workbench application: routes, the security wall, errors, static files.

`create_app` is what `corroborate serve` runs and what tests drive in-process; it opens no
connection until the first request (each worker thread then opens its own, `context.py`).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from corroborate.report.assets import CSS as REPORT_CSS
from corroborate.web import routes_api, routes_pages
from corroborate.web.context import LedgerPool
from corroborate.web.corrections import available
from corroborate.web.errors import HANDLERS, http_error
from corroborate.web.openapi import spec
from corroborate.web.security import DEFAULT_MAX_BODY, Guard
from corroborate.web.templating import compile_all

STATIC = Path(__file__).parent / "static"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def openapi(request: Request) -> JSONResponse:
    return JSONResponse(spec(available()))


def report_css(request: Request) -> Response:
    """The report's own stylesheet (timeline chart, badges), served as a file so the page's
    CSP needs no inline style."""
    return Response(REPORT_CSS, media_type="text/css")


def favicon(request: Request) -> Response:
    return Response(status_code=204)


def create_app(location: str, archive: str | Path | None = None, *, token: str | None = None,
               allowed_hosts: set[str] | None = LOOPBACK_HOSTS,
               max_body: int = DEFAULT_MAX_BODY, author: str | None = None,
               accounts: Mapping[str, str] | None = None) -> Guard:
    """The ASGI app on the ledger at `location`. `allowed_hosts`: the Host names accepted
    (None: any, for a server behind `--token` off loopback); `author`: who a correction is
    by when the request does not say (else CORROBORATE_AUTHOR, else the OS user);
    `accounts`: token -> analyst name (`--tokens FILE`, accounts.py): each such token is
    accepted and names the author of the edits made with it."""
    routes = [Route("/api/openapi.json", openapi), Route("/static/report.css", report_css),
              Route("/favicon.ico", favicon),
              *routes_api.ROUTES, *routes_pages.ROUTES]
    if available():
        from corroborate.web import routes_judge, routes_write

        routes += routes_judge.ROUTES + routes_write.ROUTES
    routes.append(Mount("/static", StaticFiles(directory=STATIC), name="static"))
    app = Starlette(routes=routes,
                    exception_handlers={HTTPException: http_error, **HANDLERS})
    compile_all()
    app.state.pool = LedgerPool(location, archive)
    app.state.token = token
    app.state.author = _author(author)
    guard = Guard(app, token=token, allowed_hosts=allowed_hosts, max_body=max_body,
                  accounts=accounts)
    app.state.guard = guard  # /login asks it whose a token is
    return guard


def _author(explicit: str | None) -> str:
    for candidate in (explicit, os.environ.get("CORROBORATE_AUTHOR")):
        if candidate and candidate.strip():
            return candidate.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "workbench"
