"""Helpers for the workbench tests: a real Kursk ledger, an in-process client, a live server.

The ledger is built from the bundled example corpus the way a user would (add, propose, link
with the example story pack); the live server is uvicorn in a thread on a free loopback port,
so the browser tests talk to the same ASGI app `corroborate serve` runs.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from corroborate import open_ledger
from corroborate.api import load_propositions
from corroborate.web import create_app

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


def build_kursk(location: str, archive: Path) -> str:
    with open_ledger(location, archive) as ledger:
        summary = ledger.add([str(EXAMPLES / "kursk")])
        assert summary.ok, summary.failed
        ledger.propose(load_propositions(EXAMPLES / "kursk-propositions.json"))
        ledger.link(pack=EXAMPLES / "kursk-pack.json")
    return location


def client(location: str, archive: Path | None = None, **options: Any) -> TestClient:
    """An in-process client whose Host is a loopback name the app accepts."""
    app = create_app(location, archive, **options)
    return TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)


@contextmanager
def fresh_client(folder: Path, **options: Any) -> Iterator[TestClient]:
    """A client on a Kursk ledger of its own in `folder` (for tests that write to it)."""
    c = client(build_kursk(str(folder / "k.db"), folder / "archive"), folder / "archive",
               **options)
    try:
        yield c
    finally:
        c.app.app.state.pool.close()  # type: ignore[attr-defined]


def csrf(c: TestClient) -> str:
    """The CSRF cookie the app sets on the first response (made if not yet there)."""
    if "corroborate_csrf" not in c.cookies:
        c.get("/api/summary")
    return str(c.cookies["corroborate_csrf"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(location: str, archive: Path | None = None, **options: Any) -> Iterator[str]:
    import uvicorn

    port = free_port()
    app = create_app(location, archive, **options)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the workbench did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        app.app.state.pool.close()  # type: ignore[attr-defined]
