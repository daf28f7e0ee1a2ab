"""One error shape for the whole workbench: `{"error": {"code", "message", "field"?}}` for the
JSON API (anything under `/api/`), and a plain HTML page saying the same for the pages.

Library exceptions map to statuses here, in one table, so a route never builds an error
response of its own: bad input 400 (naming the field), unknown object 404, a correction the
ledger refuses 409, anything unexpected 500 with no traceback shown.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from corroborate.errors import (
    CorroborateError,
    InputError,
    JudgementError,
    NotFound,
    QueryError,
    StoreError,
)

log = logging.getLogger("corroborate.web")

TITLES = {400: "Bad request", 401: "Token needed", 403: "Forbidden", 404: "Not found",
          405: "Method not allowed", 409: "Conflict", 413: "Too large",
          421: "Wrong host", 500: "Server error", 503: "Ledger unavailable"}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, code: str, message: str,
                   field: str | None = None) -> Response:
    body: dict[str, str] = {"code": code, "message": message}
    if field is not None:
        body["field"] = field
    if wants_json(request):
        return JSONResponse({"error": body}, status_code=status)
    from corroborate.web.templating import render

    return HTMLResponse(render("error.html", status=status, title=TITLES.get(status, "Error"),
                               error=body, csrf=request.scope.get("state", {}).get("csrf", "")),
                        status_code=status)


def classify(exc: Exception) -> tuple[int, str, str | None]:
    """Status, code and field for a library exception."""
    from corroborate.web.corrections import CorrectionError

    if isinstance(exc, InputError):
        return 400, "invalid", exc.where
    if isinstance(exc, JudgementError):  # a grade, set, cell or value the analyst gave
        return 400, "invalid_judgement", None
    if isinstance(exc, QueryError):
        return 400, "invalid_query", "q"
    if isinstance(exc, NotFound):
        return 404, "not_found", None
    if CorrectionError is not None and isinstance(exc, CorrectionError):
        return 409, "correction_refused", None
    if isinstance(exc, StoreError):
        return 503, "store", None
    return 500, "internal", None


async def library_error(request: Request, exc: Exception) -> Response:
    status, code, field = classify(exc)
    message = exc.problem if isinstance(exc, InputError) else str(exc)
    if status == 500:
        log.exception("unexpected error on %s", request.url.path, exc_info=exc)
        message = "unexpected server error (see the server log)"
    return error_response(request, status, code, message, field)


async def http_error(request: Request, exc: Exception) -> Response:
    status = int(getattr(exc, "status_code", 500))
    detail = str(getattr(exc, "detail", "") or TITLES.get(status, "error"))
    code = {404: "not_found", 405: "method_not_allowed"}.get(status, "http_error")
    return error_response(request, status, code, detail)


HANDLERS = {CorroborateError: library_error, Exception: library_error}
__all__ = ["HANDLERS", "error_response", "http_error"]
