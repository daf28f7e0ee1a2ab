"""Analysts' accounts: a tokens file (`corroborate serve --tokens FILE`) maps each analyst's
token to their name, so an edit names its author from the token that made it.

Why not the `author` form field: off loopback anyone holding a token could type anyone's name
into it, and the history is an audit trail. With accounts the field is ignored; without them
(one shared `--token`, or a loopback workbench) it still names the author, else `--author`.

The file holds one `name:token` per line (the name is up to the first colon); blank lines and
lines starting with `#` are skipped. Every token is at least `MIN_TOKEN` characters and
appears once; names may repeat (one analyst, two devices).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from starlette.requests import Request

from corroborate.errors import CorroborateError
from corroborate.web import params

MIN_TOKEN = 16
MAX_NAME = 200


class AccountsError(CorroborateError):
    """The tokens file cannot be used (the message names the line and the problem)."""


def load_tokens(path: str | Path) -> dict[str, str]:
    """token -> analyst name, from a tokens file (see the module docstring)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AccountsError(f"--tokens {path}: cannot read it ({exc})") from exc
    found: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, colon, token = line.partition(":")
        name, token = name.strip(), token.strip()
        where = f"--tokens {path}, line {number}"
        if not colon or not name:
            raise AccountsError(f"{where}: expected name:token")
        if len(name) > MAX_NAME:
            raise AccountsError(f"{where}: the name is longer than {MAX_NAME} characters")
        if len(token) < MIN_TOKEN:
            raise AccountsError(f"{where}: the token of {name!r} is shorter than {MIN_TOKEN} "
                                "characters (it is all that stands between the network and "
                                "the ledger)")
        if token in found:
            raise AccountsError(f"{where}: this token is also the token of {found[token]!r}; every "
                                "analyst needs a token of their own")
        found[token] = name
    if not found:
        raise AccountsError(f"--tokens {path}: no name:token line")
    return found


def account(request: Request) -> str | None:
    """The analyst whose token this request carried (None without accounts)."""
    name: str | None = request.scope.get("state", {}).get("account")
    return name


def author_of(request: Request, values: Mapping[str, Any]) -> str:
    """Who a correction is by: the request's account, else the `author` field, else the
    server's `--author`."""
    return account(request) or params.text(values, "author", limit=MAX_NAME) \
        or request.app.state.author
