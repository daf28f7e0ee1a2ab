"""`corroborate` command line. Each command wraps one library call; errors become one line."""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

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
from corroborate.cli.common import ledger_from
from corroborate.cli.links import link, propose, propositions, report, source, sources, timeline
from corroborate.cli.statements import (
    STATEMENT_CSV_FIELDS,
    extract,
    flatten,
    proposition_links,
    reextract,
    statement_rows,
    statements_command,
)
from corroborate.errors import CorroborateError
from corroborate.ingest.pipeline import DEFAULT_MAX_BYTES, AddOptions
from corroborate.ingest.readers.tabular import column_mapping
from corroborate.model import DOCUMENT_KINDS
from corroborate.store import DocumentFilter

F = TypeVar("F", bound=Callable[..., Any])
EXPORT_FIELDS = ("id", "uri", "title", "publisher", "author", "published", "published_estimated",
                 "published_from", "captured", "kind", "language", "format", "version_of",
                 "raw_ref", "text")


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
              help="Skip files larger than this (e.g. 50M).")
@click.option("--no-extract", is_flag=True,
              help="Only ingest and archive; extract statements later with `reextract`.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def add(ctx: click.Context, paths: tuple[str, ...], manifest: str | None,
        columns: tuple[str, ...], max_size: str, no_extract: bool, as_json: bool,
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
                         extract=not no_extract)
    with ledger_from(ctx) as ledger:
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
            summary = ledger.add(paths, options, manifest=manifest, on_progress=step)
    if as_json:
        render.emit_json(summary.to_dict())
    else:
        render.add_summary(summary)
    sys.exit(0 if summary.ok else 1)


def _filter_options(func: F) -> F:
    for option in reversed((
        click.option("--publisher", help="Publisher contains this text."),
        click.option("--kind", type=click.Choice(DOCUMENT_KINDS)),
        click.option("--since", help="Published on or after YYYY-MM-DD."),
        click.option("--until", help="Published on or before YYYY-MM-DD."),
    )):
        func = option(func)
    return func


@cli.command()
@_filter_options
@click.option("--limit", type=int)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def docs(ctx: click.Context, as_json: bool, **where: Any) -> None:
    """List documents, filtered by publisher, kind and publication date."""
    with ledger_from(ctx) as ledger:
        found = list(ledger.documents(DocumentFilter(**where)))
    if as_json:
        render.emit_json([_doc_json(d, text=False) for d in found])
    else:
        render.out.print(render.documents_table(found))


@cli.command()
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def show(ctx: click.Context, ref: str, as_json: bool) -> None:
    """Show one document (id, id prefix or URI): metadata and text."""
    with ledger_from(ctx) as ledger:
        doc = ledger.get(ref)
        versions = ledger.store.versions(doc.uri)
    if as_json:
        render.emit_json({**doc.to_dict(), "versions": [v for v, _ in versions]})
    else:
        render.document_panel(doc, versions)


@cli.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def search(ctx: click.Context, query: str, limit: int, as_json: bool) -> None:
    """Full-text search: words, "exact phrases", -excluded, OR."""
    with ledger_from(ctx) as ledger:
        hits = ledger.search(query, limit)
    if as_json:
        render.emit_json([{"id": h.document.id, "uri": h.document.uri,
                           "title": h.document.title, "published": h.document.published,
                           "publisher": h.document.publisher, "score": h.score,
                           "snippet": [{"text": t, "hit": hit} for t, hit in h.highlights()]}
                          for h in hits])
    else:
        render.out.print(render.hits_table(query, hits))


def _doc_json(doc: Any, text: bool = True) -> dict[str, Any]:
    data = {k: getattr(doc, k) for k in EXPORT_FIELDS if text or k != "text"}
    return data


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.option("--what", type=click.Choice(["statements", "documents"]), default="statements",
              show_default=True)
@_filter_options
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-")
@click.pass_context
def export(ctx: click.Context, fmt: str, what: str, output: Any, **where: Any) -> None:
    """Export statements (the ledger) or documents as JSON Lines or CSV."""
    with ledger_from(ctx) as ledger:
        docs_iter = ledger.documents(DocumentFilter(**where), with_text=what == "documents")
        if what == "statements":
            links = proposition_links(ledger)
            rows: Iterator[dict[str, Any]] = (
                row for doc in docs_iter for row in statement_rows(ledger, doc, links))
            fields = STATEMENT_CSV_FIELDS
        else:
            rows = (_doc_json(doc) for doc in docs_iter)
            fields = EXPORT_FIELDS
        if fmt == "jsonl":
            for row in rows:
                output.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            writer = csv.DictWriter(output, fieldnames=fields, extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                writer.writerow(flatten(row) if what == "statements" else row)


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
        for doc, problem in ledger.verify():
            checked += 1
            if problem:
                problems.append(f"{doc.id[:10]} {doc.uri}: {problem}")
    if as_json:
        render.emit_json({"checked": checked, "problems": problems})
    else:
        for line in problems:
            render.err.print(f"[red]changed:[/red] {line}")
        render.out.print(f"{checked} document(s) re-derived from the archive, "
                         f"{len(problems)} problem(s)")
    sys.exit(1 if problems else 0)


for _command in (extract, statements_command, reextract, link, sources, source, propose,
                 propositions, timeline, report):
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="corroborate")

