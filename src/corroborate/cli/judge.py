"""Judgement commands: statement credibility and competing hypotheses (`corroborate ach`).

Thin over `ledger.judge` (judgement.py); a source's reliability is set, as before, with
`corroborate source set REF grade=B`.
"""

from __future__ import annotations

import sys
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from corroborate.cli import render
from corroborate.cli.common import ledger_from
from corroborate.cli.export import write_csv

_CELL_STYLE = {"CC": "bold green", "C": "green", "N": "dim", "I": "red", "II": "bold red"}
_AUTHOR = click.option("--author", envvar="CORROBORATE_AUTHOR", default=None,
                       help="Who makes this judgement (default: env CORROBORATE_AUTHOR, else "
                            "the OS user); recorded as an analyst correction.")
_CLEAR = ("clear", "auto", "-")


@click.command()
@click.argument("statement")
@click.argument("proposition")
@click.argument("value", metavar="1-6|clear")
@_AUTHOR
@click.pass_context
def credibility(ctx: click.Context, statement: str, proposition: str, value: str,
                author: str | None) -> None:
    """Set a statement's credibility (Admiralty 1-6) on a proposition, overriding the
    suggestion from corroboration; `clear` goes back to the suggestion."""
    with ledger_from(ctx) as ledger:
        ledger.judge.set_credibility(statement, proposition,
                                     None if value.lower() in _CLEAR else value, author)
        grade = ledger.judge.grades_of(statement).get(proposition)
    if grade is None:
        render.line(f"credibility recorded (statement not linked to {proposition} now)")
    else:
        render.line(f"{proposition}: {grade.code} (suggested {grade.credibility_suggested})")


@click.group()
def ach() -> None:
    """Analysis of competing hypotheses (Heuer): propositions x evidence, ranked by
    inconsistency."""


@ach.command("create")
@click.argument("name")
@click.argument("hypotheses", nargs=-1, required=True)
@click.option("--exclusive", is_flag=True,
              help="At most one hypothesis is true: an item affirming one is suggested as "
                   "inconsistent with the others.")
@_AUTHOR
@click.pass_context
def create(ctx: click.Context, name: str, hypotheses: tuple[str, ...], exclusive: bool,
           author: str | None) -> None:
    """Name a set of competing propositions: corroborate ach create origin P1 P6."""
    with ledger_from(ctx) as ledger:
        made = ledger.judge.create_ach(name, hypotheses, author, exclusive)
    render.line(f"ACH set {made.name}: {', '.join(made.hypotheses)}"
                + (" (mutually exclusive)" if made.exclusive else ""))


@ach.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_sets(ctx: click.Context, as_json: bool) -> None:
    """The ACH sets of this ledger."""
    with ledger_from(ctx) as ledger:
        found = ledger.judge.ach_sets()
    if as_json:
        render.emit_json([s.to_dict() for s in found])
        return
    for s in found:
        render.line(Text(s.name, style="bold"), f": {' '.join(s.hypotheses)}"
                    + (" (exclusive)" if s.exclusive else "") + f" — {s.author}, {s.created}")
    if not found:
        render.hint("no ACH sets yet: corroborate ach create NAME P1 P2")


@ach.command("delete")
@click.argument("name")
@click.pass_context
def delete(ctx: click.Context, name: str) -> None:
    """Delete an ACH set (its cell judgements stay in the history)."""
    with ledger_from(ctx) as ledger:
        ledger.judge.delete_ach(name)
    render.line(f"ACH set {name} deleted")


@ach.command("set")
@click.argument("name")
@click.argument("item")
@click.argument("hypothesis")
@click.argument("value", metavar="CC|C|N|I|II|clear")
@_AUTHOR
@click.pass_context
def set_cell(ctx: click.Context, name: str, item: str, hypothesis: str, value: str,
             author: str | None) -> None:
    """Override one cell: ITEM is a statement id (or 6+ character prefix)."""
    with ledger_from(ctx) as ledger:
        ledger.judge.set_cell(name, item, hypothesis,
                              None if value.lower() in _CLEAR else value, author)
        matrix = ledger.judge.ach(name)
    render.line(f"{name}: {item} x {hypothesis} = {value.upper()}; most likely now: "
                + ", ".join(r.hypothesis.id for r in matrix.ranking if r.rank == 1))


@ach.command("show")
@click.argument("name")
@click.option("--csv", "as_csv", is_flag=True, help="The matrix as CSV.")
@click.option("--json", "as_json", is_flag=True, help="Matrix, ranking and sensitivity.")
@click.option("--limit", default=40, show_default=True, type=click.IntRange(min=1),
              help="Items shown in the terminal (most diagnostic first).")
@click.pass_context
def show(ctx: click.Context, name: str, as_csv: bool, as_json: bool, limit: int) -> None:
    """The matrix of evidence items x hypotheses, the ranking and its sensitivity."""
    from corroborate.assess.ach import csv_rows

    if as_csv and as_json:
        raise click.UsageError("give --csv or --json, not both")
    with ledger_from(ctx) as ledger:
        matrix = ledger.judge.ach(name)
    if as_json:
        render.emit_json(matrix.to_dict())
        return
    if as_csv:
        fields, rows = csv_rows(matrix)
        write_csv(sys.stdout, fields, rows)
        return
    model = matrix.to_dict()
    _matrix_table(model, limit)
    for r in model["ranking"]:
        render.line(f"#{r['rank']} {r['id']}: weighted inconsistency {r['inconsistency']:g} "
                    f"({r['inconsistent_items']} inconsistent item(s)), consistency "
                    f"{r['consistency']:g}")
    for s in model["sensitivity"]:
        if s["order_changed"]:
            order = " < ".join(r["id"] for r in s["ranking"])
            render.line(Text("Sensitive:", style="magenta"), f" {s['name']} "
                        f"({s['dropped_items']} dropped): {order}"
                        + (" — the most likely changes" if s["top_changed"] else ""))
    steady = sum(not s["order_changed"] for s in model["sensitivity"])
    render.line(f"{steady} of {len(model['sensitivity'])} sensitivity check(s) leave the "
                "ranking as it is (--json lists them)")


def _matrix_table(model: dict[str, Any], limit: int) -> None:
    hyps = [h["id"] for h in model["hypotheses"]]
    items = sorted(model["items"], key=lambda i: -i["diagnosticity"])[:limit]
    table = Table(title=render.text(f"ACH {model['name']}: {len(model['items'])} item(s), "
                                    f"{sum(i['diagnostic'] for i in model['items'])} "
                                    "diagnostic"), title_justify="left")
    for column in ("item", "date", "source", "grade", *hyps, "diag", "statement"):
        table.add_column(column, overflow="fold", no_wrap=column in ("item", "date"))
    for i in items:
        cells = []
        for h in hyps:
            cell = i["cells"][h]
            shown = render.text(cell["value"] + ("*" if cell["overridden"] else ""),
                                style=_CELL_STYLE.get(cell["value"], ""))
            cells.append(shown)
        table.add_row(render.text(i["id"][:10]), render.text(i["date"]),
                      render.text(i["source"]), render.text(i["admiralty"]), *cells,
                      f"{i['diagnosticity']:.2f}", render.text(i["quote"][:160]))
    render.out.print(table)
    for h in model["hypotheses"]:
        render.line(Text(h["id"], style="bold"), f": {h['statement']}")
    if len(model["items"]) > limit:
        render.hint(f"{len(model['items']) - limit} more item(s): --limit, --csv or --json")
