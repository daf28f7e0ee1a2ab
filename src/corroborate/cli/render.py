"""Terminal rendering: rich tables for people, JSON for programs.

Everything shown here may come from a hostile web page (a publisher called `[/x]`, a title with
ANSI escapes), so no string is ever read as rich markup (`markup=False`; styles come from `Text`
objects) and every string is `clean`ed of control characters and bidi overrides before it
reaches the terminal: `SafeConsole.render_str` covers plain strings, `text()` covers `Text`.
Messages for people are one line each (`soft_wrap`), so a log or `2>err.txt` keeps one error per
line whatever the width.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from corroborate.api import AddSummary
from corroborate.model import Document
from corroborate.store.ledger import SearchHit

# C0 controls but tab and newline, DEL, C1 controls; bidi embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(value: Any, newlines: bool = True) -> str:
    """`value` as text safe to print: unsafe characters become visible escapes (`\\x1b`)."""
    text = "" if value is None else str(value)
    if not newlines:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return _UNSAFE.sub(lambda m: repr(m.group())[1:-1] if ord(m.group()) < 0x100
                       else f"\\u{ord(m.group()):04x}", text)


def text(value: Any, style: str = "") -> Text:
    """A `Text` of untrusted `value`: cleaned, never parsed as markup."""
    return Text(clean(value), style=style)


class SafeConsole(Console):
    """A console that never interprets markup and cleans every plain string it renders."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, highlight=False, emoji=False, **kwargs)

    def render_str(self, text: str, **kwargs: Any) -> Text:  # type: ignore[override]
        kwargs["markup"] = False
        return super().render_str(clean(text), **kwargs)


out = SafeConsole(soft_wrap=False)
err = SafeConsole(stderr=True, soft_wrap=True)


def line(*parts: Text | str, console: Console | None = None) -> None:
    """Print one message line (never wrapped) built from styled parts; `str` parts are data."""
    message = Text()
    for part in parts:
        message.append(part if isinstance(part, Text) else text(part))
    (console or out).print(message, soft_wrap=True)


def error(message: Any, label: str = "error") -> None:
    """One error on one line of stderr: `error: <what, where, why>`."""
    err.print(Text.assemble((f"{label}: ", "bold red"), clean(message, newlines=False)),
              soft_wrap=True)


def hint(message: Any) -> None:
    err.print(Text(clean(message, newlines=False), style="dim"), soft_wrap=True)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def emit_json(data: Any) -> None:
    """One JSON document on stdout. JSON escapes C0 controls itself; C1 controls (an 8-bit
    CSI) and bidi overrides are written as `\\uXXXX` too: the same data once parsed, and
    harmless when the JSON is read on a terminal."""
    text = json.dumps(data, ensure_ascii=False, indent=None)
    sys.stdout.write(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


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
        title = text(doc.title or doc.uri.rsplit("/", 1)[-1])
        if doc.version_of:
            title.append(" (update)", style="dim")
        table.add_row(doc.id[:10], date_cell(doc), text(doc.kind), text(doc.publisher or "—"),
                      title)
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
            meta.add_row(key, text(value))
    if len(versions) > 1:
        meta.add_row("versions", text(", ".join(f"{v[:10]} ({d or '?'})" for v, d in versions)))
    for note in doc.notes:
        meta.add_row("note", text(note, style="yellow"))
    out.print(meta)
    out.rule()
    out.print(text(doc.text))


def hits_table(query: str, hits: list[SearchHit]) -> Table:
    table = Table(title=f"{len(hits)} match(es) for {query!r}", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("published", no_wrap=True)
    table.add_column("publisher", no_wrap=True)
    table.add_column("snippet", overflow="fold")
    for hit in hits:
        snippet = Text()
        for piece, is_hit in hit.highlights():
            snippet.append(clean(piece, newlines=False),
                           style="bold black on yellow" if is_hit else "")
        table.add_row(hit.document.id[:10], date_cell(hit.document),
                      text(hit.document.publisher or "—"), snippet)
    return table


def add_summary(summary: AddSummary) -> None:
    rate = summary.files / summary.seconds if summary.seconds else 0.0
    line(Text(str(summary.files), style="bold"),
         f" file(s), {summary.bytes / 1e6:.2f} MB in {summary.seconds:.1f}s "
         f"({rate:.0f} files/s): ",
         Text(f"{summary.added} added", style="green"), f", {summary.unchanged} unchanged, ",
         Text(f"{summary.new_versions} new version(s)", style="cyan"), ", ",
         Text(f"{len(summary.failed)} failed", style="red" if summary.failed else "green"),
         f", {len(summary.skipped)} skipped" if summary.skipped else "")
    for problem in summary.failed:
        error(problem)
    for skipped in summary.skipped:
        error(skipped, label="skipped")


def ledger_summary(counts: dict[str, Any], location: str) -> None:
    line(Text("Ledger", style="bold"), f" {location}: {counts['documents']} document(s) from "
         f"{counts['sources_archived']} archived source(s) "
         f"({counts['archived_bytes'] / 1e6:.2f} MB)")
    if counts.get("statements") is not None:
        stances = ", ".join(f"{n} {s}" for s, n in sorted(counts["statements_by_stance"].items()))
        line(Text(str(counts["statements"]), style="bold"), " attributed statement(s)"
             + (f": {stances}" if stances else ""))
    if counts["documents"]:
        line(f"Published {counts['first_published'] or '?'} to "
             f"{counts['last_published'] or '?'}; {counts['dates_estimated']} date(s) "
             f"estimated, {counts['undated']} undated, {counts['updated_versions']} "
             f"updated version(s)")
    grid = Table(show_header=True, title_justify="left")
    grid.add_column("kind")
    grid.add_column("n", justify="right")
    for kind, n in counts["by_kind"].items():
        grid.add_row(text(kind), str(n))
    pubs = Table(show_header=True)
    pubs.add_column("publisher")
    pubs.add_column("n", justify="right")
    for publisher, n in counts["publishers"].items():
        pubs.add_row(text(publisher), str(n))
    outer = Table.grid(padding=(0, 4))
    outer.add_row(grid, pubs)
    out.print(outer)
