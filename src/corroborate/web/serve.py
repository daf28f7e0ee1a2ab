"""Starting the workbench: refuse an unsafe binding, print the URL, run uvicorn.

Binding to anything but loopback exposes the ledger (and, with corrections, the power to
change it) to the network, so it needs `--token`; a loopback binding accepts only loopback
Host names, which is what keeps a web page elsewhere from reaching it by DNS rebinding.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from pathlib import Path

from corroborate.errors import CorroborateError
from corroborate.web.accounts import MIN_TOKEN, load_tokens
from corroborate.web.app import LOOPBACK_HOSTS, create_app


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


def serve(location: str, archive: str | Path | None, host: str, port: int,
          token: str | None, announce: Callable[[str], None], author: str | None = None,
          tokens: str | Path | None = None) -> None:
    """`tokens`: a tokens file (accounts.py): one token per analyst, naming their edits."""
    import uvicorn

    accounts = load_tokens(tokens) if tokens is not None else None
    hosts = check_binding(host, token, accounts is not None)
    app = create_app(location, archive, token=token, allowed_hosts=hosts, author=author,
                     accounts=accounts)
    app.app.state.pool.check()  # type: ignore[attr-defined]
    announce(url_of(host, port))
    try:
        uvicorn.run(app, host=host.strip("[]"), port=port, log_level="warning",
                    server_header=False, date_header=False)
    finally:
        app.app.state.pool.close()  # type: ignore[attr-defined]
