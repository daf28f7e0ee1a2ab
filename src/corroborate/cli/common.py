"""What every command shares: opening the ledger named by --db/--archive, one-line errors.

The library raises precise `CorroborateError`s; here they become one line on stderr and exit
status 1 (click's own usage errors exit 2). Read commands open the ledger with `create=False`,
so a mistyped `--db` says there is no ledger instead of quietly creating an empty one.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, NoReturn, TypeVar

import click

from corroborate.api import Ledger, open_ledger
from corroborate.cli import render
from corroborate.errors import CorroborateError
from corroborate.model import DOCUMENT_KINDS

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: object, code: int = 1) -> NoReturn:
    """Print one error line and exit (1: the command failed)."""
    render.error(message)
    sys.exit(code)


@contextmanager
def ledger_from(ctx: click.Context, create: bool = False) -> Iterator[Ledger]:
    """The ledger of --db; only commands that add to it (`add`, `propose`) may create it."""
    try:
        ledger = open_ledger(ctx.obj["db"], ctx.obj["archive"], create=create)
    except CorroborateError as exc:
        fail(exc)
    try:
        yield ledger
    except CorroborateError as exc:
        fail(exc)
    except BrokenPipeError:
        raise  # `corroborate export | head`: click exits quietly
    except OSError as exc:
        # A folder without write permission, a full disk: the user's to fix, so one line.
        fail(f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else exc)
    except sqlite3.Error as exc:
        # The store should raise StoreError; if a database error slips through, it is still
        # one line naming the ledger, not a traceback.
        fail(f"{ledger.store.backend.location}: database error ({exc})")
    finally:
        ledger.close()


def _date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD: other text would silently compare as a string."""
    if value is None:
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}(-\d{2}){0,2}", text):
        try:
            date.fromisoformat((text + "-01-01")[:10])
            return text
        except ValueError:
            pass
    raise click.BadParameter(f"{value!r} is not a date like 2024-10-18, 2024-10 or 2024")


def filter_options(func: F) -> F:
    """--publisher/--kind/--since/--until, shared by `docs` and `export`."""
    for option in reversed((
        click.option("--publisher", help="Publisher contains this text."),
        click.option("--kind", type=click.Choice(DOCUMENT_KINDS), help="Document kind."),
        click.option("--since", callback=_date_option, help="Published on or after YYYY-MM-DD."),
        click.option("--until", callback=_date_option, help="Published on or before YYYY-MM-DD."),
    )):
        func = option(func)
    return func
