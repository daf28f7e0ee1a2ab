"""Correction commands: `correct ...`, `history`, `undo` (a thin layer over `ledger.curate`).

Every command names its author (`--author`, else CORROBORATE_AUTHOR, else the OS user) and
prints the correction it recorded, with its id for `undo`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import click

from corroborate.cli import render
from corroborate.cli.common import fail, ledger_from
from corroborate.curate import Correction, default_author
from corroborate.errors import CorrectionError, CorroborateError
from corroborate.model import STANCES

F = TypeVar("F", bound=Callable[..., Any])


def _options(func: F) -> F:
    func = click.option("--json", "as_json", is_flag=True,
                        help="Print the correction as JSON.")(func)
    return click.option("--author", envvar="CORROBORATE_AUTHOR", default=None,
                        help="Who makes the correction (env CORROBORATE_AUTHOR; default: "
                             "the OS user).")(func)


def _author(value: str | None) -> str:
    try:
        return default_author(value)
    except CorroborateError as exc:
        fail(exc)


def _show(c: Correction, as_json: bool) -> None:
    if as_json:
        render.emit_json(c.to_dict())
    else:
        render.line(describe(c))


def describe(c: Correction) -> str:
    """`#12 link.set by ann at 2026-12-01T23:40: key|P2: affirm → (none)`, for history."""
    state = "" if c.in_force else (" [undone]" if c.undone_by else "")
    return (f"#{c.id} {c.op} by {c.author} at {c.created[:19]}: {c.target}: "
            f"{_brief(c.before)} → {_brief(c.after)}"
            + (f" (undoes #{c.undoes})" if c.undoes else "") + state)


def _brief(value: dict[str, Any] | None) -> str:
    if value is None:
        return "(none)"
    shown = {k: v for k, v in value.items() if k not in ("edits", "statement", "corrections")}
    if "statement" in value:
        shown["content"] = str((value["statement"].get("content") or {}).get("text", ""))[:60]
    return ", ".join(f"{k}={v}" for k, v in sorted(shown.items())) or "{}"


def _run(ctx: click.Context, author: str | None, as_json: bool,
         act: Callable[[Any, str], Correction]) -> None:
    name = _author(author)
    with ledger_from(ctx) as ledger:
        c = act(ledger.curate, name)
    _show(c, as_json)


@click.group()
def correct() -> None:
    """Analyst corrections (recorded with author and time, undoable with `undo`)."""


@correct.command("link")
@click.argument("statement")
@click.argument("proposition")
@click.option("--stance", type=click.Choice(STANCES),
              help="The link's stance (accept, flip or add a link).")
@click.option("--reject", is_flag=True, help="The statement does not bear on it.")
@_options
@click.pass_context
def correct_link(ctx: click.Context, statement: str, proposition: str, stance: str | None,
                 reject: bool, author: str | None, as_json: bool) -> None:
    """Accept, flip, add (--stance) or reject (--reject) a statement's link."""
    if reject == (stance is not None):
        raise click.UsageError("give --stance affirm|deny|uncertain or --reject")
    _run(ctx, author, as_json, lambda cur, a: cur.set_link(statement, proposition, stance, a))


@correct.command("stance")
@click.argument("statement")
@click.argument("stance", type=click.Choice(STANCES))
@_options
@click.pass_context
def correct_stance(ctx: click.Context, statement: str, stance: str, author: str | None,
                   as_json: bool) -> None:
    """Set a statement's stance (the source's commitment to what it says)."""
    _run(ctx, author, as_json, lambda cur, a: cur.set_statement(statement, a, stance=stance))


@correct.command("source")
@click.argument("statement")
@click.argument("source")
@_options
@click.pass_context
def correct_source(ctx: click.Context, statement: str, source: str, author: str | None,
                   as_json: bool) -> None:
    """Say who made a statement: SOURCE is a source id, key or name (`corroborate sources`)."""
    _run(ctx, author, as_json, lambda cur, a: cur.set_statement(statement, a, source_id=source))


@correct.command("date")
@click.argument("statement")
@click.argument("said_on", metavar="DATE")
@_options
@click.pass_context
def correct_date(ctx: click.Context, statement: str, said_on: str, author: str | None,
                 as_json: bool) -> None:
    """Set when a statement was made: YYYY-MM-DD, or YYYY-MM for some day that month."""
    _run(ctx, author, as_json, lambda cur, a: cur.set_statement(statement, a, said_on=said_on))


@correct.command("delete")
@click.argument("statement")
@_options
@click.pass_context
def correct_delete(ctx: click.Context, statement: str, author: str | None,
                   as_json: bool) -> None:
    """Remove a junk statement (kept in the history; `undo` brings it back)."""
    _run(ctx, author, as_json, lambda cur, a: cur.delete_statement(statement, a))


@correct.command("add")
@click.argument("document")
@click.option("--content", required=True,
              help="START:END offsets in the archived text, or the exact text (unique in it).")
@click.option("--cue", help="The verb of saying: START:END or exact text.")
@click.option("--source", "source_span", help="Who says it: START:END or exact text.")
@click.option("--stance", type=click.Choice(STANCES), default="affirm", show_default=True)
@_options
@click.pass_context
def correct_add(ctx: click.Context, document: str, content: str, cue: str | None,
                source_span: str | None, stance: str, author: str | None,
                as_json: bool) -> None:
    """Add a statement the extractor missed, as spans of DOCUMENT's archived text."""
    name = _author(author)
    with ledger_from(ctx) as ledger:
        doc = ledger.get(document)
        spans = {field: _span(value, doc.text, field) if value else None
                 for field, value in (("content", content), ("cue", cue),
                                      ("source", source_span))}
        assert spans["content"] is not None
        c = ledger.curate.add_statement(doc.id, spans["content"], name, cue=spans["cue"],
                                        source=spans["source"], stance=stance)
    _show(c, as_json)


def _span(value: str, text: str, field: str) -> tuple[int, int]:
    found = re.fullmatch(r"\s*(\d+)\s*:\s*(\d+)\s*", value)
    if found:
        return int(found[1]), int(found[2])
    at = text.find(value)
    if at == -1:
        raise CorrectionError(f"--{field} {value[:60]!r}: not in the document's text (give "
                              "the exact text, or START:END offsets)")
    if text.find(value, at + 1) != -1:
        raise CorrectionError(f"--{field} {value[:60]!r}: occurs more than once in the text; "
                              "give START:END offsets")
    return at, at + len(value)


@correct.command("merge-sources")
@click.argument("keep")
@click.argument("others", nargs=-1, required=True)
@_options
@click.pass_context
def correct_merge_sources(ctx: click.Context, keep: str, others: tuple[str, ...],
                          author: str | None, as_json: bool) -> None:
    """Merge sources OTHERS into KEEP (ids, keys or names)."""
    _run(ctx, author, as_json, lambda cur, a: cur.merge_sources(keep, list(others), a))


@correct.command("split-source")
@click.argument("source")
@click.argument("statements", nargs=-1, required=True)
@click.option("--name", help="The new source's name (default: the first mention's text).")
@_options
@click.pass_context
def correct_split_source(ctx: click.Context, source: str, statements: tuple[str, ...],
                         name: str | None, author: str | None, as_json: bool) -> None:
    """Move STATEMENTS out of SOURCE into a source of their own."""
    _run(ctx, author, as_json,
         lambda cur, a: cur.split_source(source, list(statements), a, name=name))


@correct.command("edit-source")
@click.argument("source")
@click.argument("assignment", metavar="FIELD=VALUE")
@_options
@click.pass_context
def correct_edit_source(ctx: click.Context, source: str, assignment: str, author: str | None,
                        as_json: bool) -> None:
    """Set a source's name, type, role, affiliation, country, alignment or grade (A-F)."""
    field, sep, value = assignment.partition("=")
    if not sep:
        raise click.UsageError("FIELD=VALUE, e.g. alignment=russia")
    _run(ctx, author, as_json, lambda cur, a: cur.edit_source(source, field, value, a))


@correct.group("proposition")
def correct_proposition() -> None:
    """Create, edit, merge, retire propositions; say one implies another."""


@correct_proposition.command("add")
@click.argument("text")
@click.option("--author", envvar="CORROBORATE_AUTHOR", default=None)
@click.pass_context
def proposition_add(ctx: click.Context, text: str, author: str | None) -> None:
    """Add a proposition to track (recorded; `undo` removes it)."""
    name = _author(author)
    with ledger_from(ctx, create=True) as ledger:
        pid = ledger.curate.add_proposition(text, name)
    render.line(f"proposition {pid} added")


@correct_proposition.command("edit")
@click.argument("proposition")
@click.argument("text")
@_options
@click.pass_context
def proposition_edit(ctx: click.Context, proposition: str, text: str, author: str | None,
                     as_json: bool) -> None:
    """Reword a proposition."""
    _run(ctx, author, as_json, lambda cur, a: cur.edit_proposition(proposition, text, a))


@correct_proposition.command("merge")
@click.argument("keep")
@click.argument("other")
@_options
@click.pass_context
def proposition_merge(ctx: click.Context, keep: str, other: str, author: str | None,
                      as_json: bool) -> None:
    """OTHER says the same as KEEP: fold it in."""
    _run(ctx, author, as_json, lambda cur, a: cur.merge_propositions(keep, other, a))


@correct_proposition.command("retire")
@click.argument("proposition")
@_options
@click.pass_context
def proposition_retire(ctx: click.Context, proposition: str, author: str | None,
                       as_json: bool) -> None:
    """Stop tracking a proposition (kept in the history)."""
    _run(ctx, author, as_json, lambda cur, a: cur.retire_proposition(proposition, a))


@correct_proposition.command("imply")
@click.argument("stronger")
@click.argument("weaker")
@_options
@click.pass_context
def proposition_imply(ctx: click.Context, stronger: str, weaker: str, author: str | None,
                      as_json: bool) -> None:
    """STRONGER implies WEAKER: a statement affirming it also supports WEAKER."""
    _run(ctx, author, as_json, lambda cur, a: cur.imply(stronger, weaker, a))


@click.command()
@click.argument("target", required=False)
@click.option("--kind", "target_kind", help="link, statement, source, proposition, ach, ...")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=1))
@click.option("--offset", default=0, type=click.IntRange(min=0))
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def history(ctx: click.Context, target: str | None, target_kind: str | None, limit: int,
            offset: int, as_json: bool) -> None:
    """Corrections, newest first; of one TARGET (statement id or span key, source key,
    proposition id) when given."""
    with ledger_from(ctx) as ledger:
        found = ledger.curate.history(target_kind, target, limit=limit, offset=offset)
    if as_json:
        render.emit_json([c.to_dict() for c in found])
        return
    for c in found:
        render.line(describe(c))
    if not found:
        render.line("no corrections" + (f" of {target}" if target else ""))


@click.command()
@click.argument("correction_id", type=int)
@_options
@click.pass_context
def undo(ctx: click.Context, correction_id: int, author: str | None, as_json: bool) -> None:
    """Undo correction ID (recorded as a correction; undoing an undo redoes)."""
    _run(ctx, author, as_json, lambda cur, a: cur.undo(correction_id, a))


@click.command()
@_options
@click.pass_context
def learn(ctx: click.Context, author: str | None, as_json: bool) -> None:
    """Adapt linking to the link corrections in force (link/adapt.py): statements close to a
    corrected one take its label, each corrected proposition's threshold moves; then relink.
    Recorded in `history`; `undo ID` takes it back."""
    from corroborate.curate import learning

    name = _author(author)
    with ledger_from(ctx) as ledger:
        done = learning.learn(ledger.curate, lambda: ledger.link(force=True), name)
    if done.method not in (None, "learned"):
        click.echo(f"note: this ledger links by the {done.method} linker; what `learn` "
                   "adapts applies to the learned one (`link --method learned`)", err=True)
    changed = done.counts
    if as_json:
        render.emit_json({**done.correction.to_dict(), "links_changed": changed})
        return
    render.line(describe(done.correction))
    render.line(f"relinked: {changed['added']} link(s) added, {changed['removed']} removed, "
                f"{changed['stance_changed']} with another stance")


COMMANDS = (correct, history, undo, learn)
