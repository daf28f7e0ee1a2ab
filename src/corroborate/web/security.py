"""The workbench's outer wall, as one ASGI middleware: every request passes it in this order.

1. **Host**: only the names the server was bound for (a page on another site cannot reach a
   loopback server through DNS rebinding, since its requests carry the attacker's host name).
2. **Token**: when the server is reachable off loopback it was started with `--token` or
   `--tokens FILE` (one per analyst, accounts.py); every request then carries one
   (`Authorization: Bearer T`, or the cookie `/login` sets), and an analyst's token names the
   request's account (`scope["state"]["account"]`), which every edit is then by.
3. **Body size**: a body over the limit is refused with 413 before it is read whole.
4. **CSRF** (double-submit): every POST/PUT/PATCH/DELETE carries the value of the
   `corroborate_csrf` cookie in an `X-CSRF-Token` header or a `csrf` form field; another
   site can make the browser send the cookie, never read it. A cross-site `Origin` is refused.
5. **Headers** on every response: a Content-Security-Policy that allows only the app's own
   script and style files (no inline script at all), no framing, no sniffing, no referrer.

Why one middleware and not a decorator per route: a state-changing route added later cannot
forget its CSRF check, and the error pages of the wall itself carry the same headers.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

from corroborate.web.errors import error_response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSRF_COOKIE = "corroborate_csrf"
CSRF_HEADER = "x-csrf-token"
TOKEN_COOKIE = "corroborate_token"
DEFAULT_MAX_BODY = 1024 * 1024
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cache-control", b"no-store"),
]
# Reachable without the token: the login form and what it needs to look like itself.
OPEN_PATHS = ("/login", "/static/")


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def _cookies(headers: dict[str, str]) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # a malformed cookie header is no cookie, not a server error
        return {}
    return {k: m.value for k, m in jar.items()}


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


class Guard:
    """See the module docstring. `allowed_hosts` are host names without ports (None: any)."""

    def __init__(self, app: ASGIApp, *, token: str | None = None,
                 allowed_hosts: set[str] | None = None,
                 max_body: int = DEFAULT_MAX_BODY,
                 accounts: Mapping[str, str] | None = None) -> None:
        self.app = app
        self.token = token
        self.allowed_hosts = allowed_hosts
        self.max_body = max_body
        # Every token accepted, with the account it names (None: the shared `--token`).
        self.tokens: dict[str, str | None] = dict(accounts or {})
        if token is not None:
            self.tokens[token] = None

    def holder(self, given: str | None) -> tuple[bool, str | None]:
        """Whether `given` is one of the tokens, and whose. Every token is compared (in
        constant time each), so how long a refusal takes says nothing about which came
        close."""
        found, name = False, None
        for token, owner in self.tokens.items():
            if _same(given, token):
                found, name = True, owner
        return found, name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        cookies = _cookies(headers)
        fresh = cookies.get(CSRF_COOKIE) is None
        csrf = cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf"] = csrf
        guarded = self._send(send, csrf if fresh else None)
        refusal = self._refuse(scope, headers, cookies)
        if refusal is not None:
            await self._error(scope, guarded, *refusal)
            return
        body, problem = await self._body(headers, receive)
        if problem is not None:
            await self._error(scope, guarded, *problem)
            return
        if scope["method"] in UNSAFE and not self._csrf_ok(headers, cookies, body):
            await self._error(scope, guarded, 403, "csrf",
                              "missing or wrong CSRF token: send the value of the "
                              f"{CSRF_COOKIE} cookie in an X-CSRF-Token header or a csrf "
                              "form field", "csrf")
            return
        await self.app(scope, self._replay(body, receive), guarded)

    def _refuse(self, scope: Scope, headers: dict[str, str], cookies: dict[str, str]
                ) -> tuple[int, str, str, str | None] | None:
        host = headers.get("host", "")
        name = urlsplit(f"//{host}").hostname or ""
        if self.allowed_hosts is not None and name not in self.allowed_hosts:
            return 421, "host", f"host {host!r} is not served here", "Host"
        origin = headers.get("origin")
        if scope["method"] in UNSAFE and origin and origin != "null" \
                and urlsplit(origin).netloc != host:
            return 403, "origin", f"cross-origin request from {origin!r} refused", "Origin"
        if self.tokens:
            bearer = headers.get("authorization", "")
            given = bearer[7:] if bearer.lower().startswith("bearer ") else None
            found, name = self.holder(given)
            if not found:
                found, name = self.holder(cookies.get(TOKEN_COOKIE))
            if found:
                scope["state"]["account"] = name
            elif not scope["path"].startswith(OPEN_PATHS):
                return 401, "unauthorized", ("this server needs its token: log in at /login "
                                             "or send Authorization: Bearer TOKEN"), None
        return None

    async def _body(self, headers: dict[str, str], receive: Receive
                    ) -> tuple[bytes, tuple[int, str, str, str | None] | None]:
        too_large = (413, "too_large", f"request body over {self.max_body} bytes", None)
        try:
            if int(headers.get("content-length") or 0) > self.max_body:
                return b"", too_large
        except ValueError:
            return b"", (400, "bad_request", "Content-Length is not a number",
                         "Content-Length")
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return b"", too_large
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        return b"".join(chunks), None

    def _csrf_ok(self, headers: dict[str, str], cookies: dict[str, str], body: bytes) -> bool:
        cookie = cookies.get(CSRF_COOKIE)
        if _same(headers.get(CSRF_HEADER), cookie):
            return True
        if headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            return _same((form.get("csrf") or [None])[0], cookie)
        return False

    @staticmethod
    def _replay(body: bytes, then: Receive | None = None) -> Receive:
        """The body already read, then the client's own messages (a streaming response
        listens for the disconnect; inventing one would cut it short)."""
        sent = False

        async def receive() -> Message:
            nonlocal sent
            if sent:
                return await then() if then else {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return receive

    @staticmethod
    def _send(send: Send, new_csrf: str | None) -> Send:
        async def guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [h for h in HEADERS if h[0] not in names]
                if new_csrf is not None:
                    extra.append((b"set-cookie", f"{CSRF_COOKIE}={new_csrf}; Path=/; "
                                                 "SameSite=Strict".encode()))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)
        return guarded

    @staticmethod
    async def _error(scope: Scope, send: Send, status: int, code: str, message: str,
                     field: str | None) -> None:
        from starlette.requests import Request

        response = error_response(Request(scope), status, code, message, field)
        await response(scope, Guard._replay(b""), send)
