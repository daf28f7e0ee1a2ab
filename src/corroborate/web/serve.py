"""Starting the workbench: refuse an unsafe binding, print the URL, run uvicorn.

Binding to anything but loopback exposes the ledger (and, with corrections, the power to
change it) to the network, so it needs `--token`; a loopback binding accepts only loopback
Host names, which is what keeps a web page elsewhere from reaching it by DNS rebinding.
"""

from __future__ import annotations

import ipaddress
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from corroborate.errors import CorroborateError
from corroborate.web.accounts import MIN_TOKEN, load_tokens
from corroborate.web.app import LOOPBACK_HOSTS, create_app
from corroborate.web.security import Guard


class ServeError(CorroborateError):
    """The server cannot start as asked (the message says why and what to do)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_binding(host: str, token: str | None, accounts: bool = False) -> set[str] | None:
    """The Host names to accept, or raise `ServeError` for a binding that is not safe.
    `accounts`: a tokens file (`--tokens`) is in use, which guards like a token."""
    if token is not None and len(token) < MIN_TOKEN:
        raise ServeError(f"--token: at least {MIN_TOKEN} characters, please (it is the only "
                         "thing between the network and the ledger)")
    if is_loopback(host):
        return LOOPBACK_HOSTS | {host.strip("[]")}
    if token is None and not accounts:
        raise ServeError(f"--host {host}: not a loopback address, so the ledger would be open "
                         "to the network; pass --token or --tokens FILE (every request must "
                         "then carry one)")
    return None  # any Host: the token is the guard off loopback


def url_of(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


# How `serve --workers N` hands its settings to each worker process: uvicorn starts them
# fresh (spawn) and imports `worker_app`, so they travel in the environment, as JSON.
WORKER_SETTINGS = "CORROBORATE_SERVE_WORKER"


def serve(location: str, archive: str | Path | None, host: str, port: int,
          token: str | None, announce: Callable[[str], None], author: str | None = None,
          tokens: str | Path | None = None, workers: int = 1) -> None:
    """`tokens`: a tokens file (accounts.py): one token per analyst, naming their edits.
    `workers`: server processes sharing the port. Why more than one: pages are rendered in
    Python, so one process serves one request at a time on one core however many threads
    wait (the GIL); the ledger's readers do not block each other (SQLite WAL, PostgreSQL), so
    N processes serve N at once. Each keeps its own caches (a big proposition is assessed
    once per process)."""
    import uvicorn

    accounts = load_tokens(tokens) if tokens is not None else None
    hosts = check_binding(host, token, accounts is not None)
    app = create_app(location, archive, token=token, allowed_hosts=hosts, author=author,
                     accounts=accounts)
    app.app.state.pool.check()  # type: ignore[attr-defined]
    options: dict[str, Any] = {"host": host.strip("[]"), "port": port, "log_level": "warning",
                               "server_header": False, "date_header": False}
    if workers > 1:
        app.app.state.pool.close()  # type: ignore[attr-defined]
        os.environ[WORKER_SETTINGS] = json.dumps({
            "location": location, "archive": str(archive) if archive is not None else None,
            "token": token, "hosts": sorted(hosts) if hosts is not None else None,
            "author": app.app.state.author,  # type: ignore[attr-defined]
            "tokens": str(tokens) if tokens is not None else None})
        announce(url_of(host, port))
        uvicorn.run("corroborate.web.serve:worker_app", factory=True, workers=workers,
                    **options)
        return
    announce(url_of(host, port))
    try:
        uvicorn.run(app, **options)
    finally:
        app.app.state.pool.close()  # type: ignore[attr-defined]


def worker_app() -> Guard:
    """The app of one `serve --workers N` process, from the settings `serve` checked."""
    settings = json.loads(os.environ[WORKER_SETTINGS])
    hosts = settings["hosts"]
    return create_app(settings["location"], settings["archive"], token=settings["token"],
                      allowed_hosts=set(hosts) if hosts is not None else None,
                      author=settings["author"],
                      accounts=load_tokens(settings["tokens"]) if settings["tokens"] else None)
