"""`corroborate` command line. Each command wraps one library call; errors become one line."""

from __future__ import annotations

import sys
import time
from typing import Any

import click
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)

from corroborate.api import Progress as AddProgress
from corroborate.api import flag_metadata
from corroborate.cli import render
from corroborate.cli.common import filter_options, ledger_from
from corroborate.cli.curate import COMMANDS as CURATE_COMMANDS
from corroborate.cli.export import document_record, export
from corroborate.cli.judge import ach, credibility
from corroborate.cli.links import link, propose, propositions, report, source, sources, timeline
from corroborate.cli.serve import serve
from corroborate.cli.spark import spark
from corroborate.cli.statements import (
    extract,
    query_notes,
    reextract,
    show_statement,
    statements_command,
)
from corroborate.errors import CorroborateError, NotFound
from corroborate.ingest.pipeline import DEFAULT_MAX_BYTES, AddOptions
from corroborate.ingest.readers.tabular import column_mapping
from corroborate.ingest.streams import DEFAULT_MAX_EXPANDED
from corroborate.model import DOCUMENT_KINDS
from corroborate.store import DocumentFilter


def _size(value: str) -> int:
    units = {"k": 1_000, "m": 1_000_000, "g": 1_000_000_000}
    text = value.strip().lower().removesuffix("b")
    try:
        if text and text[-1] in units:
            return int(float(text[:-1]) * units[text[-1]])
        return int(text)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a size like 50M or 2000000") from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="CORROBORATE_DB", default="corroborate.db", show_default=True,
              help="SQLite path or postgresql:// URL (env CORROBORATE_DB).")
@click.option("--archive", envvar="CORROBORATE_ARCHIVE", default=None,
              help="Folder for archived raw bytes (default: beside the SQLite file).")
@click.version_option(package_name="corroborate")
@click.pass_context
def cli(ctx: click.Context, db: str, archive: str | None) -> None:
    """corroborate: a ledger of attributed claims for contested stories."""
    ctx.obj = {"db": db, "archive": archive}


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--published", help="Publication date YYYY-MM-DD for every added document.")
@click.option("--estimated", "published_estimated", is_flag=True,
              help="Mark --published as an estimate.")
@click.option("--publisher")
@click.option("--kind", type=click.Choice(DOCUMENT_KINDS))
@click.option("--title")
@click.option("--url")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False),
              help="CSV/JSON/JSONL manifest with a 'path' column and metadata columns.")
@click.option("--column", "columns", multiple=True, metavar="FIELD=COLUMN",
              help="JSONL/CSV column mapping, e.g. --column text=body.")
@click.option("--max-size", default=str(DEFAULT_MAX_BYTES), show_default=True,
              help="Skip files larger than this (e.g. 50M); also the most one record of "
                   "an archive may inflate to.")
@click.option("--max-expanded", default=str(DEFAULT_MAX_EXPANDED), show_default=True,
              help="Stop reading a compressed file (.gz, WARC, PDF streams) once it has "
                   "inflated to this much (e.g. 500M).")
@click.option("--no-extract", is_flag=True,
              help="Only ingest and archive; extract statements later with `reextract`.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for extraction; one writer commits in input order "
                   "(default: this machine's cores, for inputs over 2 MB).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def add(ctx: click.Context, paths: tuple[str, ...], manifest: str | None,
        columns: tuple[str, ...], max_size: str, max_expanded: str, no_extract: bool,
        jobs: int | None, as_json: bool,
        **flags: Any) -> None:
    """Add files, folders (recursively) and globs to the ledger."""
    try:
        flag_values = flag_metadata(flags)
        mapping = column_mapping(dict(c.split("=", 1) for c in columns if "=" in c))
    except (CorroborateError, ValueError) as exc:
        raise click.UsageError(str(exc)) from exc
    if any("=" not in c for c in columns):
        raise click.UsageError("--column takes FIELD=COLUMN, e.g. --column text=body")
    options = AddOptions(flags=flag_values, max_bytes=_size(max_size), columns=mapping,
                         max_expanded=_size(max_expanded), extract=not no_extract)
    with ledger_from(ctx, create=True) as ledger:
        progress = Progress(
            TextColumn("[bold]adding"), BarColumn(), TextColumn("{task.fields[files]} files"),
            DownloadColumn(), TransferSpeedColumn(), TextColumn("{task.fields[rate]} files/s"),
            TimeElapsedColumn(),
            console=render.err, disable=not render.err.is_terminal or as_json, transient=True)
        task = progress.add_task("add", total=None, files="0/?", rate="0")
        started = time.monotonic()

        def step(p: AddProgress) -> None:
            elapsed = max(time.monotonic() - started, 1e-6)
            progress.update(task, total=p.bytes_total, completed=p.bytes_done,
                            files=f"{p.files_done}/{p.files_total}",
                            rate=f"{p.files_done / elapsed:.0f}")

        with progress:
            summary = ledger.add(paths, options, manifest=manifest, on_progress=step,
                                 jobs=jobs)
    if as_json:
        render.emit_json(summary.to_dict())
    else:
        render.add_summary(summary)
    sys.exit(0 if summary.ok else 1)


@cli.command()
@filter_options
@click.option("--limit", type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def docs(ctx: click.Context, as_json: bool, **where: Any) -> None:
    """List documents, filtered by publisher, kind and publication date."""
    with ledger_from(ctx) as ledger:
        found = list(ledger.documents(DocumentFilter(**where)))
    if as_json:
        render.emit_json([document_record(d, with_text=False) for d in found])
    else:
        render.out.print(render.documents_table(found))


@cli.command()
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def show(ctx: click.Context, ref: str, as_json: bool) -> None:
    """Show one document (id, id prefix or URI) or one statement (id or id prefix)."""
    with ledger_from(ctx) as ledger:
        try:
            doc = ledger.get(ref)
        except NotFound:
            if show_statement(ledger, ref, as_json):
                return
            raise
        versions = ledger.store.versions(doc.uri)
    if as_json:
        render.emit_json({**doc.to_dict(), "versions": [v for v, _ in versions]})
    else:
        render.document_panel(doc, versions)


# `-term` is a query word, not an option: unknown options pass through as words and only
# --help is a help flag here (`-h` would swallow a query like `-hamas`).
@cli.command(context_settings={"ignore_unknown_options": True, "help_option_names": ["--help"]})
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Full-text search: words, "exact phrases", -excluded, OR.

    Words may be given as one quoted argument or several; a leading -word excludes it
    (`corroborate search troops -exercise`, or `corroborate search -- -word` for safety).
    """
    if query == ("-h",):  # alone, it can only mean help
        click.echo(ctx.get_help())
        ctx.exit(0)
    text = " ".join(query)
    if not text.strip():
        raise click.UsageError("give something to search for, e.g. corroborate search troops")
    with ledger_from(ctx) as ledger:
        hits = ledger.search(text, limit)
    if as_json:
        render.emit_json([{"id": h.document.id, "uri": h.document.uri,
                           "title": h.document.title, "published": h.document.published,
                           "publisher": h.document.publisher, "score": h.score,
                           "snippet": [{"text": t, "hit": hit} for t, hit in h.highlights()]}
                          for h in hits])
        return
    render.out.print(render.hits_table(text, hits))
    if not hits:
        for note in query_notes(text):
            render.hint(note)


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def summary(ctx: click.Context, as_json: bool) -> None:
    """Summarise the ledger: documents by kind and publisher, date range, archive."""
    with ledger_from(ctx) as ledger:
        counts = ledger.summary()
        location = ledger.store.backend.location
    if as_json:
        render.emit_json(counts)
    else:
        render.ledger_summary(counts, location)


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def verify(ctx: click.Context, as_json: bool) -> None:
    """Re-derive every document from its archived bytes and check nothing changed."""
    problems = []
    checked = 0
    with ledger_from(ctx) as ledger:
        # The database first: a re-derived text that matches proves nothing if the index
        # that search and the workbench read, or a foreign key, is broken.
        database = ledger.store.integrity()
        for doc, problem in ledger.verify():
            checked += 1
            if problem:
                problems.append(f"{doc.id[:10]} {doc.uri}: {problem}")
    if as_json:
        render.emit_json({"checked": checked, "problems": problems, "database": database})
    else:
        for problem in database:
            render.error(problem, label="database")
        for problem in problems:
            render.error(problem, label="changed")
        render.line(f"{checked} document(s) re-derived from the archive, "
                    f"{len(problems) + len(database)} problem(s)")
    sys.exit(1 if problems or database else 0)


for _command in (extract, statements_command, reextract, link, sources, source, propose,
                 propositions, timeline, report, export, ach, credibility, serve, spark,
                 *CURATE_COMMANDS):
    cli.add_command(_command)


def main() -> None:
    """The console script. Click already turns usage errors, ^C and a closed pipe
    (`corroborate export | head`) into a line and an exit status; a library error that
    escapes a command's own handling still ends as one line, not a traceback."""
    try:
        cli(prog_name="corroborate")
    except CorroborateError as exc:
        render.error(exc)
        sys.exit(1)
