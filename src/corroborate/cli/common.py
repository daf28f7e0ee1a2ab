"""What every command shares: opening the ledger named by --db/--archive, one-line errors."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from corroborate.api import Ledger, open_ledger
from corroborate.cli import render
from corroborate.errors import CorroborateError


@contextmanager
def ledger_from(ctx: click.Context) -> Iterator[Ledger]:
    try:
        ledger = open_ledger(ctx.obj["db"], ctx.obj["archive"])
    except CorroborateError as exc:
        render.err.print(f"[red]error:[/red] {exc}")
        sys.exit(1)
    try:
        yield ledger
    except CorroborateError as exc:
        render.err.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(1)
    finally:
        ledger.close()
