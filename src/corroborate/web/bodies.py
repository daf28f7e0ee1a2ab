"""Request bodies for write routes: JSON objects for the API, urlencoded forms for the pages.

Write routes are async only to read their body; the ledger work then runs in a worker thread
like every read route (`run_in_threadpool`), with that thread's connection.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from corroborate.errors import InputError

Handler = Callable[[Request], Response]


def json_body(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        raw = await request.body()
        try:
            data: Any = json.loads(raw or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError("body", f"not JSON ({exc})") from None
        if not isinstance(data, dict):
            raise InputError("body", f"must be a JSON object (got {type(data).__name__})")
        request.state.json = data
        return await run_in_threadpool(handler, request)
    endpoint.__doc__ = handler.__doc__
    return endpoint


def form_body(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        from urllib.parse import parse_qs

        raw = await request.body()
        form = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
        request.state.form = {k: v[0] for k, v in form.items()}
        request.state.form_lists = form  # every value of a repeated field (checkboxes)
        return await run_in_threadpool(handler, request)
    endpoint.__doc__ = handler.__doc__
    return endpoint
