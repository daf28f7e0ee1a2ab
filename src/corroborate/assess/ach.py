"""Analysis of competing hypotheses (Heuer, *Psychology of Intelligence Analysis*, ch. 8).

The hypotheses are propositions the analyst says compete ("an air strike caused it" vs "a
misfired rocket caused it"); the evidence items are the statements linked to any of them — an
`evidence` item when the statement cites typed evidence (imagery, documents, intercepts:
extract/evidence.py), a `statement` item when it asserts alone. Each
cell says how consistent an item is with a hypothesis — CC, C, N, I, II — suggested from the
item's stance toward that hypothesis and overridable by the analyst:

- linked with stance `affirm` → C, or CC when the information is strong; `deny` → I, or II when
  strong; `uncertain` or not linked → N (it says nothing either way about that hypothesis).
- strong: credibility 1 (confirmed across sides), or credibility 2 from a source graded A or B.
- when the analyst declares the hypotheses mutually exclusive (Heuer's own setting: at most one
  is true), a cell the item is not linked to follows from its stance toward the rivals: an item
  affirming a rival is I (II when strong) for this one, and with exactly two hypotheses an item
  denying the rival is C (CC when strong). Without the declaration such cells stay N: linked
  propositions often overlap ("troops were sent" and "troops are in Kursk").

Heuer's point is that evidence is weighed against hypotheses, not for them: the hypothesis
with the *least* inconsistency is the most likely, since one solid inconsistency can refute but
no amount of consistent evidence proves. So hypotheses are ranked by weighted inconsistency,
each I counting 1 and each II 2, times the item's weight (reliability × credibility, tables
below; an ungraded source and credibility 6 weigh as "cannot be judged", half). Consistency is
reported beside it, never used to rank.

An item that reads the same for every hypothesis is not diagnostic (it cannot help choose);
its diagnosticity is the spread of its cells (CC=2 … II=−2) over 4. Sensitivity re-ranks
without the least reliable evidence: the items from the lowest reliability grade present, the
items of low credibility (4, 5), the items that rest on one source (no other independent
origin says the same), and each source in turn, and says whether the most likely hypothesis
changes.

Pure functions: the caller gathers the entries and grades (one `Assessment` per hypothesis)
and the analyst's cell overrides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from corroborate.assess.entry import Entry
from corroborate.assess.grading import Grade, admiralty_code

VALUES = ("CC", "C", "N", "I", "II")
SCORE = {"CC": 2, "C": 1, "N": 0, "I": -1, "II": -2}
INCONSISTENCY = {"I": 1, "II": 2}
RELIABILITY_WEIGHT = {"A": 1.0, "B": 0.8, "C": 0.6, "D": 0.4, "E": 0.2, "F": 0.5}
CREDIBILITY_WEIGHT = {1: 1.0, 2: 0.8, 3: 0.6, 4: 0.4, 5: 0.2, 6: 0.5}
UNGRADED_WEIGHT = 0.5
SOURCES_TRIED = 25  # leave-one-source-out for the sources with the most items


@dataclass(frozen=True)
class Hypothesis:
    id: str
    statement: str


@dataclass(frozen=True)
class Cell:
    value: str
    suggested: str
    overridden: bool
    stance: str | None  # toward this hypothesis; None: not linked
    credibility: int | None
    weight: float


@dataclass(frozen=True)
class Item:
    """One evidence item: a statement linked to at least one hypothesis."""

    statement_id: str
    source_key: str
    source_name: str
    alignment: str
    reliability: str | None
    credibility: int  # the best credibility it has on the hypotheses it is linked to
    rests_on_one_source: bool
    date_label: str
    quote: str
    document: Mapping[str, Any]
    evidence: tuple[str, ...]
    cells: dict[str, Cell] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """`evidence` when the statement cites something (imagery, documents, intercepts),
        `statement` when it is an assertion alone."""
        return "evidence" if self.evidence else "statement"

    @property
    def diagnosticity(self) -> float:
        scores = [SCORE[c.value] for c in self.cells.values()]
        return (max(scores) - min(scores)) / 4 if scores else 0.0


@dataclass(frozen=True)
class Ranked:
    hypothesis: Hypothesis
    rank: int
    inconsistency: float  # weighted
    inconsistent_items: int
    consistency: float  # weighted, reported only


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    dropped: int
    ranking: list[Ranked]
    top_changed: bool
    order_changed: bool


@dataclass(frozen=True)
class Matrix:
    name: str
    hypotheses: list[Hypothesis]
    items: list[Item]
    ranking: list[Ranked]
    sensitivity: list[Scenario]
    exclusive: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name,
                "hypotheses": [{"id": h.id, "statement": h.statement} for h in self.hypotheses],
                "exclusive": self.exclusive,
                "items": [_item_dict(i) for i in self.items],
                "ranking": [_ranked_dict(r) for r in self.ranking],
                "most_likely": [r.hypothesis.id for r in self.ranking if r.rank == 1],
                "sensitivity": [{"name": s.name, "description": s.description,
                                 "dropped_items": s.dropped, "top_changed": s.top_changed,
                                 "order_changed": s.order_changed,
                                 "ranking": [_ranked_dict(r) for r in s.ranking]}
                                for s in self.sensitivity],
                "method": "Heuer ACH: ranked by weighted inconsistency (I=1, II=2, times "
                          "reliability x credibility weight); least inconsistent first"}


def suggest(stance: str | None, grade: Grade | None) -> str:
    """The consistency a cell starts with (the rule in the module docstring)."""
    if stance not in ("affirm", "deny") or grade is None:
        return "N"
    strong = grade.credibility == 1 or (grade.credibility == 2
                                        and grade.reliability in ("A", "B"))
    if stance == "affirm":
        return "CC" if strong else "C"
    return "II" if strong else "I"


def suggest_unlinked(rivals: Sequence[tuple[str, Grade]], hypotheses: int) -> str:
    """A cell of a mutually exclusive set the item is not linked to, from the item's
    (stance, grade) on the rival hypotheses it is linked to (module docstring)."""
    against = [suggest("affirm", g) for stance, g in rivals if stance == "affirm"]
    if against:
        return "II" if "CC" in against else "I"
    if hypotheses == 2:
        support = [suggest("affirm", g) for stance, g in rivals if stance == "deny"]
        if support:
            return "CC" if "CC" in support else "C"
    return "N"


def weight(reliability: str | None, credibility: int | None) -> float:
    r = RELIABILITY_WEIGHT.get(reliability or "", UNGRADED_WEIGHT)
    return r * CREDIBILITY_WEIGHT.get(credibility or 6, CREDIBILITY_WEIGHT[6])


def valid_value(value: str) -> str:
    code = value.strip().upper()
    if code not in VALUES:
        raise ValueError(f"consistency {value!r}: expected one of {', '.join(VALUES)}")
    return code


def matrix(name: str, hypotheses: Sequence[Hypothesis],
           timelines: Mapping[str, Sequence[Entry]], grades: Mapping[str, Mapping[str, Grade]],
           overrides: Mapping[tuple[str, str], str] | None = None,
           exclusive: bool = False) -> Matrix:
    """The ACH matrix. `timelines[h]`: the entries linked to hypothesis h (stance toward
    it); `grades[h][statement id]`: their grades on h; `overrides[(statement id, h)]`: the
    analyst's cell values; `exclusive`: the hypotheses are mutually exclusive."""
    overrides = overrides or {}
    first: dict[str, Entry] = {}
    by_statement: dict[str, dict[str, Entry]] = {h.id: {} for h in hypotheses}
    for h in hypotheses:
        for entry in timelines.get(h.id, ()):
            first.setdefault(entry.statement_id, entry)
            by_statement[h.id][entry.statement_id] = entry
    items = []
    for sid, entry in sorted(first.items(), key=lambda kv: kv[1].sort_key):
        linked: dict[str, tuple[str, Grade]] = {}
        for h in hypotheses:
            on_h = by_statement[h.id].get(sid)
            grade = grades.get(h.id, {}).get(sid)
            if on_h is not None and grade is not None:
                linked[h.id] = (on_h.stance, grade)
        best = min((g.credibility for _, g in linked.values()), default=6)
        cells = {}
        for h in hypotheses:
            stance, grade = linked.get(h.id, (None, None))
            if grade is not None:
                suggested = suggest(stance, grade)
            elif exclusive:
                suggested = suggest_unlinked(list(linked.values()), len(hypotheses))
            else:
                suggested = "N"
            chosen = overrides.get((sid, h.id))
            cells[h.id] = Cell(chosen or suggested, suggested, chosen is not None, stance,
                               grade.credibility if grade else None,
                               weight(entry.reliability, grade.credibility if grade else best))
        items.append(Item(
            sid, entry.source_key, entry.source_name, entry.alignment, entry.reliability, best,
            all(g.agreeing == 0 for _, g in linked.values()), entry.date_label, entry.quote,
            entry.document, entry.evidence, cells))
    ranking = rank(hypotheses, items)
    return Matrix(name, list(hypotheses), items, ranking,
                  sensitivity(hypotheses, items, ranking), exclusive)


def rank(hypotheses: Sequence[Hypothesis], items: Iterable[Item]) -> list[Ranked]:
    """Least weighted inconsistency first; equal scores share a rank (1, 1, 3)."""
    items = list(items)
    scored = []
    for h in hypotheses:
        cells = [i.cells[h.id] for i in items if h.id in i.cells]
        scored.append((round(sum(INCONSISTENCY.get(c.value, 0) * c.weight for c in cells), 6),
                       sum(c.value in INCONSISTENCY for c in cells),
                       round(sum(max(SCORE[c.value], 0) * c.weight for c in cells), 6), h))
    scored.sort(key=lambda s: s[0])
    ranked: list[Ranked] = []
    for n, (inconsistency, count, consistency, h) in enumerate(scored):
        tied = ranked[-1].rank if ranked and ranked[-1].inconsistency == inconsistency \
            else n + 1
        ranked.append(Ranked(h, tied, inconsistency, count, consistency))
    return ranked


def _top(ranking: Sequence[Ranked]) -> set[str]:
    return {r.hypothesis.id for r in ranking if r.rank == 1}


def _order(ranking: Sequence[Ranked]) -> list[tuple[int, str]]:
    return sorted((r.rank, r.hypothesis.id) for r in ranking)


def sensitivity(hypotheses: Sequence[Hypothesis], items: Sequence[Item],
                ranking: Sequence[Ranked]) -> list[Scenario]:
    """The ranking again without the least reliable evidence (module docstring)."""
    tries: list[tuple[str, str, list[Item]]] = []
    graded = sorted({i.reliability for i in items if i.reliability})
    if graded:
        worst = graded[-1]
        tries.append((f"without reliability {worst}",
                      f"items from sources graded {worst}, the lowest grade present, dropped",
                      [i for i in items if i.reliability != worst]))
    tries.append(("without low credibility", "items of credibility 4 (doubtful) or 5 "
                  "(improbable) dropped", [i for i in items if i.credibility not in (4, 5)]))
    tries.append(("without single-source items", "items that no other independent origin "
                  "corroborates dropped", [i for i in items if not i.rests_on_one_source]))
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for i in items:
        counts[i.source_key] = counts.get(i.source_key, 0) + 1
        names.setdefault(i.source_key, i.source_name)
    for key in sorted(counts, key=lambda k: (-counts[k], k))[:SOURCES_TRIED]:
        tries.append((f"without {names[key]}", f"the {counts[key]} item(s) of {names[key]} "
                      "dropped", [i for i in items if i.source_key != key]))
    scenarios = []
    for name, description, kept in tries:
        again = rank(hypotheses, kept)
        scenarios.append(Scenario(name, description, len(items) - len(kept), again,
                                  _top(again) != _top(ranking), _order(again) != _order(ranking)))
    return scenarios


def _item_dict(i: Item) -> dict[str, Any]:
    return {"id": i.statement_id, "kind": i.kind, "source_id": i.source_key,
            "source": i.source_name, "alignment": i.alignment, "reliability": i.reliability,
            "credibility": i.credibility, "admiralty": admiralty_code(i.reliability,
                                                                       i.credibility),
            "rests_on_one_source": i.rests_on_one_source, "date": i.date_label,
            "quote": i.quote, "document": dict(i.document), "evidence": list(i.evidence),
            "diagnosticity": i.diagnosticity, "diagnostic": i.diagnosticity > 0,
            "cells": {h: {"value": c.value, "suggested": c.suggested, "overridden": c.overridden,
                          "stance": c.stance, "credibility": c.credibility,
                          "weight": round(c.weight, 4)} for h, c in i.cells.items()}}


def _ranked_dict(r: Ranked) -> dict[str, Any]:
    return {"id": r.hypothesis.id, "rank": r.rank, "inconsistency": r.inconsistency,
            "inconsistent_items": r.inconsistent_items, "consistency": r.consistency}


def csv_rows(m: Matrix) -> tuple[list[str], list[dict[str, Any]]]:
    """The matrix as a spreadsheet reads it: one row per item, one column per hypothesis
    (the cell value; `overridden` lists the analyst's cells), then the score rows."""
    hyps = [h.id for h in m.hypotheses]
    fields = ["item", "kind", "date", "source", "alignment", "admiralty", *hyps,
              "overridden", "diagnosticity", "quote", "document_uri"]
    rows: list[dict[str, Any]] = [{
        "item": i.statement_id, "kind": i.kind, "date": i.date_label, "source": i.source_name,
        "alignment": i.alignment, "admiralty": admiralty_code(i.reliability, i.credibility),
        **{h: i.cells[h].value for h in hyps},
        "overridden": " ".join(h for h in hyps if i.cells[h].overridden),
        "diagnosticity": f"{i.diagnosticity:.2f}", "quote": i.quote,
        "document_uri": i.document.get("uri")} for i in m.items]
    by_id = {r.hypothesis.id: r for r in m.ranking}
    rows.append({"item": "weighted inconsistency", "kind": "score",
                 **{h: f"{by_id[h].inconsistency:g}" for h in hyps}})
    rows.append({"item": "rank", "kind": "score", **{h: by_id[h].rank for h in hyps}})
    return fields, rows
