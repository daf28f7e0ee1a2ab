"""Linking commands: sources and analyst edits, propositions, timelines, the report."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from corroborate.cli import render
from corroborate.cli.common import ledger_from
from corroborate.errors import CorroborateError
from corroborate.link.propositions import Proposition
from corroborate.link.resolve import SourceEdit

_STANCE = {"affirm": "green", "deny": "red", "uncertain": "yellow"}


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def link(ctx: click.Context, as_json: bool) -> None:
    """Resolve sources, assign statements to propositions and draw relays now."""
    with ledger_from(ctx) as ledger:
        summary = ledger.link(force=True)
    assert summary is not None
    if as_json:
        render.emit_json(summary.__dict__)
    else:
        render.out.print(f"{summary.statements} statement(s): {summary.sources} source(s), "
                         f"{summary.propositions} analyst and {summary.discovered} discovered "
                         f"proposition(s), {summary.assignments} link(s), {summary.relays} "
                         f"relay(s) in {summary.seconds:.2f}s")


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def sources(ctx: click.Context, as_json: bool) -> None:
    """List canonical sources with type, alignment and the mentions merged into each."""
    with ledger_from(ctx) as ledger:
        ledger.link()
        found = ledger.links.sources()
    if as_json:
        render.emit_json(found)
        return
    table = Table(title=f"{len(found)} source(s)", title_justify="left")
    for column in ("id", "name", "type", "alignment", "n", "mentions"):
        table.add_column(column, overflow="fold")
    for s in found:
        table.add_row(s["id"], Text(s["name"]), s["type"], s["alignment"], str(s["statements"]),
                      Text(", ".join(s["aliases"][:6])))
    render.out.print(table)


@click.group()
def source() -> None:
    """Analyst corrections to source resolution (kept across re-ingestion)."""


def _edit(ctx: click.Context, action: str, ref: str, **values: Any) -> None:
    with ledger_from(ctx) as ledger:
        ledger.link()
        key = ledger.links.source_key(ref)
        if key is None:
            raise click.UsageError(f"no source {ref!r} (see `corroborate sources`)")
        if action == "merge":
            target = ledger.links.source_key(values["target"])
            if target is None:
                raise click.UsageError(f"no source {values['target']!r}")
            values["target"] = target
        ledger.edit_source(SourceEdit(action, key, **values))
        ledger.link(force=True)
    render.out.print(f"{action}: done")


@source.command()
@click.argument("ref")
@click.argument("into")
@click.pass_context
def merge(ctx: click.Context, ref: str, into: str) -> None:
    """Merge source REF into source INTO (ids, keys or names)."""
    _edit(ctx, "merge", ref, target=into)


@source.command()
@click.argument("ref")
@click.option("--mention", required=True, help="Mentions with this exact text move out.")
@click.pass_context
def split(ctx: click.Context, ref: str, mention: str) -> None:
    """Move the mentions with a given text out of REF into a source of their own."""
    _edit(ctx, "split", ref, target=mention)


@source.command("set")
@click.argument("ref")
@click.argument("assignment", metavar="FIELD=VALUE")
@click.pass_context
def set_field(ctx: click.Context, ref: str, assignment: str) -> None:
    """Set name, type, role, affiliation, country, alignment or grade (Admiralty A-F)."""
    name, sep, value = assignment.partition("=")
    allowed = {"name", "type", "role", "affiliation", "country", "alignment", "grade"}
    if not sep or name not in allowed:
        raise click.UsageError(f"FIELD=VALUE with FIELD one of {', '.join(sorted(allowed))}")
    if name == "grade" and value not in set("ABCDEF"):
        raise click.UsageError("grade is the Admiralty reliability letter A-F")
    _edit(ctx, "set", ref, field=name, value=value)


@click.command()
@click.argument("statement", required=False)
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False),
              help='JSON: {"propositions": [{"id": "P1", "statement": "..."}]}')
@click.pass_context
def propose(ctx: click.Context, statement: str | None, path: str | None) -> None:
    """Add analyst propositions to track, as text or from a JSON file."""
    if bool(statement) == bool(path):
        raise click.UsageError("give a proposition text or --file, not both")
    with ledger_from(ctx) as ledger:
        if path:
            try:
                items = json.loads(Path(path).read_text(encoding="utf-8"))["propositions"]
                props = [Proposition(str(i["id"]), str(i["statement"])) for i in items]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise click.UsageError(f"{path}: not a propositions file ({exc})") from exc
            added = ledger.propose(props)
        else:
            assert statement is not None
            added = [ledger.propose_text(statement)]
    render.out.print(f"proposition(s) {', '.join(added)} added")


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def propositions(ctx: click.Context, as_json: bool) -> None:
    """List analyst and discovered propositions with their links by stance."""
    with ledger_from(ctx) as ledger:
        ledger.link()
        counts = ledger.links.stance_counts()
        rows = [{**p.to_dict(), "links": counts.get(p.id, {})}
                for p in ledger.links.propositions()]
    if as_json:
        render.emit_json(rows)
        return
    table = Table(title=f"{len(rows)} proposition(s)", title_justify="left")
    for column in ("id", "origin", "affirm", "deny", "uncertain", "statement"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(r["id"], r["origin"], *(str(r["links"].get(s, 0))
                                             for s in ("affirm", "deny", "uncertain")),
                      Text(r["statement"]))
    render.out.print(table)


@click.command()
@click.argument("proposition")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def timeline(ctx: click.Context, proposition: str, as_json: bool) -> None:
    """Who said what about a proposition, in order, with reversals and corroboration."""
    from corroborate.assess.model import proposition_model

    with ledger_from(ctx) as ledger:
        assessment = ledger.assessment(proposition)
        prop = next(p for p in ledger.links.propositions() if p.id == proposition)
    model = proposition_model(prop, assessment)
    if as_json:
        render.emit_json(model)
        return
    table = Table(title=f"{prop.id}: {prop.statement}", title_justify="left")
    for column in ("date", "source", "stance", "statement"):
        table.add_column(column, overflow="fold", no_wrap=column == "date")
    for e in model["timeline"]:
        date_text = (e["date"] or "—") + ("" if e["date_basis"] == "said_on" else " (pub)")
        source_text = Text(e["source_name"])
        if e["via"]:
            source_text.append(f" via {e['via']}", style="cyan")
        table.add_row(date_text, source_text, Text(e["stance"], style=_STANCE[e["stance"]]),
                      Text(e["quote"][:240]))
    render.out.print(table)
    first = model["first_claimant"]
    if first:
        render.out.print(f"First claimed by [bold]{first['name']}[/bold] on {first['date']}")
    for s in model["sources"]:
        for r in s["reversals"]:
            render.out.print(f"[magenta]Changed position:[/magenta] {s['name']}: "
                             f"{r['from']['stance']} ({r['from']['date']}) → "
                             f"{r['to']['stance']} ({r['to']['date']})")
    for side, c in model["corroboration"].items():
        render.out.print(f"{side}: {c['independent_origins']} independent origin(s) "
                         f"{c['by_alignment']}")


@click.command()
@click.option("-o", "--output", default="report.html", show_default=True,
              type=click.Path(dir_okay=False))
@click.option("--title", default="corroborate report")
@click.option("--proposition", "chosen", multiple=True, help="Only these propositions.")
@click.option("--json", "as_json", is_flag=True, help="Print the report model instead.")
@click.pass_context
def report(ctx: click.Context, output: str, title: str, chosen: tuple[str, ...],
           as_json: bool) -> None:
    """Write one self-contained HTML report (works offline) of every proposition."""
    with ledger_from(ctx) as ledger:
        model = ledger.report_model(title, list(chosen) or None)
    if as_json:
        render.emit_json(model)
        return
    try:
        from corroborate.report import render_report
    except ImportError as exc:  # pragma: no cover - the renderer ships with the package
        raise CorroborateError(f"report renderer missing ({exc})") from exc
    Path(output).write_text(render_report(model), encoding="utf-8")
    render.out.print(f"report of {len(model['propositions'])} proposition(s) written to "
                     f"{output}")
    sys.exit(0)
