"""Terminal rendering: rich tables for people, JSON for programs."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from corroborate.api import AddSummary
from corroborate.model import Document
from corroborate.store.ledger import SearchHit

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=None) + "\n")


def date_cell(doc: Document) -> str:
    if not doc.published:
        return "—"
    return doc.published + (" ~" if doc.published_estimated else "")


def documents_table(docs: list[Document]) -> Table:
    table = Table(title=f"{len(docs)} document(s)", title_justify="left")
    for name in ("id", "published", "kind", "publisher", "title"):
        table.add_column(name, overflow="fold" if name == "title" else "ellipsis",
                         no_wrap=name != "title")
    for doc in docs:
        title = Text(doc.title or doc.uri.rsplit("/", 1)[-1])
        if doc.version_of:
            title.append(" (update)", style="dim")
        table.add_row(doc.id[:10], date_cell(doc), doc.kind, Text(doc.publisher or "—"), title)
    table.caption = "~ = date estimated"
    return table


def document_panel(doc: Document, versions: list[tuple[str, str | None]]) -> None:
    meta = Table.grid(padding=(0, 2))
    meta.add_column(style="bold")
    meta.add_column()
    rows = [("id", doc.id), ("uri", doc.uri), ("title", doc.title), ("publisher", doc.publisher),
            ("author", doc.author),
            ("published", f"{date_cell(doc)} (from {doc.published_from})"
             if doc.published else None),
            ("captured", doc.captured), ("kind", doc.kind), ("format", doc.format),
            ("encoding", doc.encoding), ("language", doc.language), ("raw", doc.raw_ref),
            ("version of", doc.version_of), ("source file", doc.source_path)]
    for key, value in rows:
        if value:
            meta.add_row(key, Text(str(value)))
    if len(versions) > 1:
        meta.add_row("versions", Text(", ".join(f"{v[:10]} ({d or '?'})" for v, d in versions)))
    for note in doc.notes:
        meta.add_row("note", Text(note, style="yellow"))
    out.print(meta)
    out.rule()
    out.print(Text(doc.text))


def hits_table(query: str, hits: list[SearchHit]) -> Table:
    table = Table(title=f"{len(hits)} match(es) for {query!r}", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("published", no_wrap=True)
    table.add_column("publisher", no_wrap=True)
    table.add_column("snippet", overflow="fold")
    for hit in hits:
        snippet = Text()
        for piece, is_hit in hit.highlights():
            snippet.append(piece.replace("\n", " "), style="bold black on yellow" if is_hit else "")
        table.add_row(hit.document.id[:10], date_cell(hit.document),
                      hit.document.publisher or "—", snippet)
    return table


def add_summary(summary: AddSummary) -> None:
    rate = summary.files / summary.seconds if summary.seconds else 0.0
    out.print(
        f"[bold]{summary.files}[/bold] file(s), {summary.bytes / 1e6:.2f} MB in "
        f"{summary.seconds:.1f}s ({rate:.0f} files/s): "
        f"[green]{summary.added} added[/green], {summary.unchanged} unchanged, "
        f"[cyan]{summary.new_versions} new version(s)[/cyan], "
        f"[{'red' if summary.failed else 'green'}]{len(summary.failed)} failed[/]"
        + (f", {len(summary.skipped)} skipped" if summary.skipped else "")
    )
    for line in summary.failed:
        err.print(Text(f"error: {line}", style="red"))
    for line in summary.skipped:
        err.print(Text(f"skipped: {line}", style="dim"))


def ledger_summary(counts: dict[str, Any], location: str) -> None:
    out.print(f"[bold]Ledger[/bold] {location}: {counts['documents']} document(s) from "
              f"{counts['sources_archived']} archived source(s) "
              f"({counts['archived_bytes'] / 1e6:.2f} MB)")
    if counts.get("statements") is not None:
        stances = ", ".join(f"{n} {s}" for s, n in sorted(counts["statements_by_stance"].items()))
        out.print(f"[bold]{counts['statements']}[/bold] attributed statement(s)"
                  + (f": {stances}" if stances else ""))
    if counts["documents"]:
        out.print(f"Published {counts['first_published'] or '?'} to "
                  f"{counts['last_published'] or '?'}; {counts['dates_estimated']} date(s) "
                  f"estimated, {counts['undated']} undated, {counts['updated_versions']} "
                  f"updated version(s)")
    grid = Table(show_header=True, title_justify="left")
    grid.add_column("kind")
    grid.add_column("n", justify="right")
    for kind, n in counts["by_kind"].items():
        grid.add_row(kind, str(n))
    pubs = Table(show_header=True)
    pubs.add_column("publisher")
    pubs.add_column("n", justify="right")
    for publisher, n in counts["publishers"].items():
        pubs.add_row(publisher, str(n))
    outer = Table.grid(padding=(0, 4))
    outer.add_row(grid, pubs)
    out.print(outer)
