"""Linking commands: sources and analyst edits, propositions, timelines, the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from corroborate.api import load_propositions
from corroborate.cli import render
from corroborate.cli.common import fail, ledger_from
from corroborate.curate import default_author
from corroborate.errors import CorroborateError
from corroborate.link.resolve import SourceEdit

_STANCE = {"affirm": "green", "deny": "red", "uncertain": "yellow"}
_GROUPS_SHOWN = 10  # contradiction lines in the terminal; one per source, largest first


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--method", type=click.Choice(["rules", "semantic", "learned"]), default=None,
              help="how statements are matched to propositions (default: env "
                   "CORROBORATE_LINKER, else learned when the MiniLM weights are installed "
                   "and no story pack gives concept words, else rules)")
@click.option("--pack", "pack", type=click.Path(dir_okay=False),
              help="story pack (JSON: known entities, sides, concept words), kept in the "
                   "ledger for later commands; optional")
@click.option("--full", is_flag=True,
              help="compute every statement's concepts and stances again instead of reusing "
                   "those the last run kept for unchanged inputs (the links are the same)")
@click.pass_context
def link(ctx: click.Context, as_json: bool, method: str | None, pack: str | None,
         full: bool) -> None:
    """Resolve sources, assign statements to propositions and draw relays now."""
    with ledger_from(ctx) as ledger:
        summary = ledger.link(force=True, method=method, pack=pack, full=full)
    assert summary is not None
    if summary.note:
        click.echo(f"note: {summary.note}", err=True)
    if as_json:
        render.emit_json(summary.__dict__)
    else:
        render.line(f"{summary.statements} statement(s): {summary.sources} source(s), "
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
        table.add_row(render.text(s["id"]), render.text(s["name"]), render.text(s["type"]),
                      render.text(s["alignment"]), str(s["statements"]),
                      render.text(", ".join(s["aliases"][:6])))
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
        ledger.edit_source(SourceEdit(action, key, **values),
                           author=default_author())
        ledger.link(force=True)
    render.line(f"{action}: done")


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
    if statement is not None and path:
        raise click.UsageError("give a proposition text or --file, not both")
    if statement is None and not path:
        raise click.UsageError('give a proposition text (corroborate propose "North Korea has '
                               'sent troops") or --file props.json')
    if statement is not None and not statement.strip():
        raise click.UsageError("the proposition text is empty: say what to track, e.g. "
                               '"North Korea has sent troops to Russia"')
    try:
        props = load_propositions(path) if path else []
    except CorroborateError as exc:
        fail(exc)
    with ledger_from(ctx, create=True) as ledger:
        if path:
            added = ledger.propose(props)
        else:
            assert statement is not None
            added = [ledger.propose_text(statement)]
    render.line(f"proposition(s) {', '.join(added)} added")


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
        table.add_row(render.text(r["id"]), render.text(r["origin"]),
                      *(str(r["links"].get(s, 0)) for s in ("affirm", "deny", "uncertain")),
                      render.text(r["statement"]))
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
    table = Table(title=render.text(f"{prop.id}: {prop.statement}"), title_justify="left")
    for column in ("date", "source", "grade", "stance", "statement"):
        table.add_column(column, overflow="fold", no_wrap=column in ("date", "grade"))
    for e in model["timeline"]:
        date_text = e["date_label"] if e["date"] else "—"
        source_text = render.text(e["source_name"])
        if e["via"]:
            source_text.append(render.text(f" via {e['via']}", style="cyan"))
        grade = render.text(e.get("admiralty", ""))
        if e.get("credibility_overridden"):
            grade.append("*", style="dim")
        table.add_row(render.text(date_text), source_text, grade,
                      render.text(e["stance"], style=_STANCE.get(e["stance"], "")),
                      render.text(e["quote"][:240]))
    render.out.print(table)
    render.hint("grade: Admiralty code, source reliability A-F (? ungraded) and credibility "
                "1-6 suggested from corroboration (* set by the analyst)")
    _first_claimant(model["first_claimant"])
    for s in model["sources"]:
        for r in s["reversals"]:
            render.line(Text("Changed position:", style="magenta"), f" {s['name']}: "
                        f"{r['from']['stance']} ({r['from']['date_label']}) → "
                        f"{r['to']['stance']} ({r['to']['date_label']})")
    groups = model["contradiction_groups"]
    for g in groups[:_GROUPS_SHOWN]:
        render.line(Text(f"Contradicted ({g['opponents']}):", style="red"), f" {g['note']}")
    if len(groups) > _GROUPS_SHOWN:
        render.line(f"… and {len(groups) - _GROUPS_SHOWN} more contradicted source(s) "
                    "(--json lists them all)")
    for side, c in model["corroboration"].items():
        by = ", ".join(f"{k}: {v}" for k, v in sorted(c["by_alignment"].items()))
        render.line(f"{side}: {c['independent_origins']} independent origin(s)"
                    + (f" ({by})" if by else ""))


def _first_claimant(first: dict[str, Any] | None, shown: int = 3) -> None:
    """`First claimed by X on 2024-10-18`, or `in Oct 2024 (day unknown)`, and the sources
    whose imprecise dates mean they may have claimed it earlier."""
    if not first:
        return
    rivals = first["rivals"]
    names = ", ".join(f"{r['name']} ({r['date_label']}"
                      + ("" if r["precision"] == "day" else ", day unknown") + ")"
                      for r in rivals[:shown])
    more = f" and {len(rivals) - shown} more" if len(rivals) > shown else ""
    render.line("First claimed by ", Text(render.clean(first["name"]), style="bold"),
                f" {first['date_phrase']}",
                f"; possibly earlier (dates imprecise): {names}{more}" if rivals else "")


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
    folder = Path(output).parent
    if not as_json and not folder.is_dir():
        fail(f"{output}: cannot write the report (folder {folder} does not exist)")
    with ledger_from(ctx) as ledger:
        known = {p.id for p in ledger.links.propositions()}
        unknown = [p for p in chosen if p not in known]
        if unknown:
            fail(f"no proposition {', '.join(map(repr, unknown))} "
                 "(see `corroborate propositions`)")
        model = ledger.report_model(title, list(chosen) or None)
    if as_json:
        render.emit_json(model)
        return
    try:
        from corroborate.report import render_report
    except ImportError as exc:  # pragma: no cover - the renderer ships with the package
        raise CorroborateError(f"report renderer missing ({exc})") from exc
    try:
        Path(output).write_text(render_report(model), encoding="utf-8")
    except OSError as exc:
        fail(f"{output}: cannot write the report ({exc.strerror or exc})")
    analyst = sum(p["origin"] == "analyst" for p in model["propositions"])
    render.line(f"report of {len(model['propositions'])} proposition(s) ({analyst} analyst) "
                f"and {model['ledger']['statements']} statement(s) written to {output}")
    if not analyst:
        render.hint('no analyst propositions yet: add some with corroborate propose "..." '
                    "to track them in the report")
