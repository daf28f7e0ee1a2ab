"""`corroborate serve`: the workbench on this ledger (a thin wrapper over `web.serve`)."""

from __future__ import annotations

import click

from corroborate.cli import render
from corroborate.cli.common import fail
from corroborate.errors import CorroborateError


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback needs --token.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token", envvar="CORROBORATE_TOKEN", default=None,
              help="Required on every request (header or login); needed off loopback.")
@click.option("--author", envvar="CORROBORATE_AUTHOR", default=None,
              help="Who corrections made here are by, unless a request says (default: "
                   "the OS user).")
@click.option("--tokens", "tokens", default=None, type=click.Path(dir_okay=False),
              help="A file of name:token lines, one per analyst: every request needs one of "
                   "the tokens, and an edit is by the analyst whose token made it.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes: one renders one page at a time; more serve several "
                   "analysts at once (each keeps its own caches).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, token: str | None,
          author: str | None, tokens: str | None, workers: int) -> None:
    """Start the workbench (web pages and JSON API under /api/) and print its URL."""
    try:
        from corroborate.web.serve import serve as run
    except ImportError as exc:
        raise click.ClickException(f"the workbench needs its web packages ({exc.name}): "
                                   "pip install 'corroborate[web]'") from exc
    try:
        run(ctx.obj["db"], ctx.obj.get("archive"), host, port, token,
            lambda url: render.line(f"corroborate workbench on {url}  (Ctrl-C stops it)"),
            author, tokens, workers)
    except CorroborateError as exc:
        fail(exc)
