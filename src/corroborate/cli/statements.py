"""Statement commands: `extract` (no ledger), `statements`, `reextract`; export rows."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from corroborate.api import Ledger, flag_metadata
from corroborate.cli import render
from corroborate.cli.common import ledger_from
from corroborate.errors import CorroborateError, InputError
from corroborate.extract import extract_statements
from corroborate.ingest.discover import read_regular
from corroborate.ingest.pipeline import AddOptions, read_source
from corroborate.model import Statement
from corroborate.period import label
from corroborate.store import parse_query


def contract(statement: Statement, document: Any) -> dict[str, Any]:
    """A statement in the DESIGN.md JSON contract (plus our extra fields)."""
    return {"document": document, **statement.to_dict()}


def show_statement(ledger: Ledger, ref: str, as_json: bool) -> bool:
    """`show` given a statement id (or a 6+ character prefix): the statement and where it is
    from. False when `ref` names no statement, so `show` reports the missing document."""
    if len(ref) < 6 or any(c not in "0123456789abcdef" for c in ref.lower()):
        return False
    found = ledger.links.find_statements(ref)
    if len(found) > 1 and found[0][0] != ref:
        raise CorroborateError(f"statement {ref!r}: prefix matches more than one statement")
    if not found:
        return False
    statement_id, doc_id = found[0]
    statement = next(s for s in ledger.statements(doc_id=doc_id) if s.id == statement_id)
    doc = ledger.get(doc_id)
    ledger.link()
    resolved = ledger.links.resolved_sources().get(statement_id) or {}
    grades = ledger.judge.grades_of(statement_id)
    links = [{**p, **(grades[p["id"]].fields() if p["id"] in grades else {})}
             for p in ledger.links.links_by_statement().get(statement_id, [])]
    if as_json:
        render.emit_json({**contract(statement, {"id": doc.id, "uri": doc.uri,
                                                 "published": doc.published,
                                                 "publisher": doc.publisher}),
                          "source_id": resolved.get("id"), "propositions": links})
        return True
    render.out.print(statements_table(f"statement {statement_id}", [statement]))
    render.line("source: ", resolved.get("name") or "(author)",
                f" ({resolved['id']})" if resolved.get("id") else "")
    render.line("document: ", doc.id[:10], " ", doc.title or doc.uri,
                f" ({doc.publisher})" if doc.publisher else "")
    for p in links:
        render.line("proposition: ", p["id"], f" {p['stance']} {p['score']:.2f}",
                    f" grade {p['admiralty']}" if "admiralty" in p else "",
                    f" ({p['credibility_reason']})" if "admiralty" in p else "")
    render.hint(f"the whole document: corroborate show {doc.id[:12]}")
    return True


def query_notes(query: str) -> list[str]:
    """How the store read a query that found nothing, in words the user can act on: the
    parser's own notes (an unclosed quote runs to the end, ignored pieces), then the syntax."""
    parsed = parse_query(query)
    notes = [f"note: {note}" for note in parsed.notes]
    if parsed.adjusted:
        notes.append(f"searched for: {parsed.normalised()}")
    notes.append('search syntax: words (all must match), "exact phrase", -excluded, a OR b')
    return notes


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
            options = AddOptions(flags=flags)
            # Like `add`: non-blocking and fstat-checked, so a FIFO or device is one line.
            result = read_source(path, read_regular(path, options.max_bytes), options)
        except InputError as exc:
            render.error(exc)
            failed += 1
            continue
        except OSError as exc:
            render.error(f"{name}: cannot read ({exc.strerror or exc})")
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
            ledger.link()  # so `source_id` is the resolved source, as in `export`
            resolved = ledger.links.resolved_sources()
    if as_json:
        render.emit_json([{"doc_id": s.doc_id, **s.to_dict(),
                           "source_id": (resolved.get(s.id) or {}).get("id")} for s in found])
    else:
        render.out.print(statements_table("ledger", found))


@click.command()
@click.pass_context
def reextract(ctx: click.Context) -> None:
    """Re-run extraction over every stored document (after upgrading corroborate)."""
    with ledger_from(ctx) as ledger:
        total = ledger.reextract()
    render.line(f"{total} statement(s) extracted")


_STANCE_STYLE = {"affirm": "green", "deny": "red", "uncertain": "yellow"}


def statements_table(title: str, found: list[Statement]) -> Table:
    table = Table(title=render.text(f"{title}: {len(found)} statement(s)"),
                  title_justify="left")
    table.add_column("said on", no_wrap=True)
    table.add_column("source")
    table.add_column("cue")
    table.add_column("stance", no_wrap=True)
    table.add_column("content", overflow="fold")
    for st in found:
        source = render.text(st.source.text if st.source else "(author)")
        if st.source and st.source.name and st.source.name != st.source.text:
            source.append(render.text(f" = {st.source.name}", style="dim"))
        if st.via:
            source.append(render.text(f" via {st.via.text}", style="cyan"))
        stance = render.text(st.stance, style=_STANCE_STYLE.get(st.stance, ""))
        if st.hedges:
            stance.append("*", style="dim")
        evidence = {e.type for e in st.evidence}
        content = render.text(st.content.text[:300])
        if evidence:
            content.append(f"  [{', '.join(sorted(evidence))}]", style="magenta")
        table.add_row(render.text(label(st.said_on, st.said_on_granularity) or "—"), source,
                      render.text(st.cue.text if st.cue else "—"), stance, content)
    return table
