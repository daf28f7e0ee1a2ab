"""Statement commands: `extract` (no ledger), `statements`, `reextract`; export rows."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from corroborate.api import Ledger, flag_metadata
from corroborate.cli import render
from corroborate.cli.common import ledger_from
from corroborate.errors import CorroborateError, InputError
from corroborate.extract import extract_statements
from corroborate.ingest.pipeline import AddOptions, read_source
from corroborate.model import Document, Statement

STATEMENT_CSV_FIELDS = ("document_id", "document_uri", "published", "publisher", "kind",
                        "source", "source_name", "source_type", "cue", "content", "stance",
                        "hedges", "said_on", "evidence", "via", "content_start", "content_end")


def contract(statement: Statement, document: Any) -> dict[str, Any]:
    """A statement in the DESIGN.md JSON contract (plus our extra fields)."""
    return {"document": document, **statement.to_dict()}


def proposition_links(ledger: Ledger) -> dict[str, list[dict[str, Any]]]:
    """Every statement's proposition links, in one query (after linking if stale)."""
    ledger.link()
    return ledger.links.links_by_statement()


def statement_rows(ledger: Ledger, doc: Document,
                   links: dict[str, list[dict[str, Any]]]) -> Iterator[dict[str, Any]]:
    document = {"id": doc.id, "uri": doc.uri, "published": doc.published,
                "publisher": doc.publisher}
    for statement in ledger.statements(doc_id=doc.id):
        yield {**contract(statement, document), "propositions": links.get(statement.id, [])}


def flatten(row: dict[str, Any]) -> dict[str, Any]:
    source = row.get("source") or {}
    return {"document_id": row["document"]["id"], "document_uri": row["document"]["uri"],
            "published": row["document"]["published"],
            "publisher": row["document"]["publisher"], "kind": row["kind"],
            "source": source.get("text"), "source_name": source.get("name"),
            "source_type": source.get("type"),
            "cue": (row.get("cue") or {}).get("text"), "content": row["content"]["text"],
            "stance": row["stance"], "hedges": "; ".join(row["hedges"]),
            "said_on": row["said_on"],
            "evidence": "; ".join(e["type"] for e in row["evidence"]),
            "via": (row.get("via") or {}).get("text"),
            "content_start": row["content"]["start"], "content_end": row["content"]["end"]}


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--published", help="Publication date YYYY-MM-DD (anchors relative dates).")
@click.option("--kind", help="Document kind (news, statement, transcript, comment, analysis).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="table",
              show_default=True)
def extract(files: tuple[str, ...], published: str | None, kind: str | None, fmt: str) -> None:
    """Extract attributed statements from files without storing them."""
    try:
        flags = flag_metadata({"published": published, "kind": kind})
    except CorroborateError as exc:
        raise click.UsageError(str(exc)) from exc
    failed = 0
    for name in files:
        path = Path(name)
        try:
            result = read_source(path, path.read_bytes(), AddOptions(flags=flags))
        except (InputError, OSError) as exc:
            render.err.print(Text(f"error: {exc}", style="red"))
            failed += 1
            continue
        for doc in result.documents:
            found = extract_statements(doc.text, doc.published, doc.id, doc.kind, doc.segments)
            where = name if len(result.documents) == 1 else doc.uri
            if fmt == "jsonl":
                for statement in found:
                    sys.stdout.write(json.dumps(contract(statement, where),
                                                ensure_ascii=False) + "\n")
            else:
                render.out.print(statements_table(where, found))
    sys.exit(1 if failed else 0)


@click.command("statements")
@click.option("--doc", "doc_ref", help="Only this document (id, prefix or URI).")
@click.option("--source", help="Source name or mention contains this text.")
@click.option("--stance", type=click.Choice(["affirm", "deny", "uncertain"]))
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def statements_command(ctx: click.Context, doc_ref: str | None, source: str | None,
                       stance: str | None, as_json: bool) -> None:
    """List stored statements: who said what, when, how firmly."""
    with ledger_from(ctx) as ledger:
        doc_id = ledger.get(doc_ref).id if doc_ref else None
        found = list(ledger.statements(doc_id, source, stance))
    if as_json:
        render.emit_json([{"doc_id": s.doc_id, **s.to_dict()} for s in found])
    else:
        render.out.print(statements_table("ledger", found))


@click.command()
@click.pass_context
def reextract(ctx: click.Context) -> None:
    """Re-run extraction over every stored document (after upgrading corroborate)."""
    with ledger_from(ctx) as ledger:
        total = ledger.reextract()
    render.out.print(f"{total} statement(s) extracted")


_STANCE_STYLE = {"affirm": "green", "deny": "red", "uncertain": "yellow"}


def statements_table(title: str, found: list[Statement]) -> Table:
    table = Table(title=f"{title}: {len(found)} statement(s)", title_justify="left")
    table.add_column("said on", no_wrap=True)
    table.add_column("source")
    table.add_column("cue")
    table.add_column("stance", no_wrap=True)
    table.add_column("content", overflow="fold")
    for st in found:
        source = Text(st.source.text if st.source else "(author)")
        if st.source and st.source.name and st.source.name != st.source.text:
            source.append(f" = {st.source.name}", style="dim")
        if st.via:
            source.append(f" via {st.via.text}", style="cyan")
        stance = Text(st.stance, style=_STANCE_STYLE.get(st.stance, ""))
        if st.hedges:
            stance.append("*", style="dim")
        evidence = {e.type for e in st.evidence}
        content = Text(st.content.text[:300])
        if evidence:
            content.append(f"  [{', '.join(sorted(evidence))}]", style="magenta")
        table.add_row(st.said_on or "—", source, st.cue.text if st.cue else "—", stance,
                      content)
    return table
