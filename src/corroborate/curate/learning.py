"""`learn` end to end, for every front end alike (CLI, web pages, JSON API): record the
adaptation (`Curator.learn`), relink, and say what the relink changed beyond the pairs the
analyst corrected, i.e. what the adaptation propagated. Undoing a `learn` record relinks too,
and says what came back.

Why here and not in each front end: the CLI printed counts of a before/after diff it made
itself; the workbench needs the same diff with the statements named, and the two must not
disagree. Why the diff and not the fitted numbers alone: the per-proposition offsets and the
neighbour labels are fitted inside `link` (link/adapt.py) over every scored pair, so what an
analyst can check is their effect: which links moved, on which propositions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from corroborate.curate.curator import Curator
from corroborate.curate.records import Correction

# A learn on a big ledger can move thousands of links; what is listed stops here (the counts
# are always whole).
MAX_LISTED = 500


@dataclass(frozen=True)
class LinkChange:
    """One (statement, proposition) pair whose link a relink changed: stance before and
    after (None: no link)."""

    statement_id: str
    proposition_id: str
    before: str | None
    after: str | None

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        return "removed" if self.after is None else "stance_changed"


@dataclass(frozen=True)
class Relinked:
    """A correction that changes how linking runs (`learn.fit`, or its undo), and what the
    relink after it changed among the pairs nobody corrected."""

    correction: Correction
    changes: list[LinkChange]
    method: str | None = None  # the linker that ran (learn adapts the learned one only)
    corrected: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(c.kind for c in self.changes)
        return {k: found.get(k, 0) for k in ("added", "removed", "stance_changed")}

    def by_proposition(self) -> list[dict[str, Any]]:
        """Per proposition the record's corrections (linked / rejected) and the links the
        relink moved, most moved first."""
        moved: dict[str, Counter[str]] = {}
        for c in self.changes:
            moved.setdefault(c.proposition_id, Counter())[c.kind] += 1
        rows = []
        for pid in sorted(set(moved) | set(self.corrected)):
            m, k = moved.get(pid, Counter()), self.corrected.get(pid, Counter())
            rows.append({"proposition_id": pid, "linked": k.get("linked", 0),
                         "rejected": k.get("rejected", 0), "added": m.get("added", 0),
                         "removed": m.get("removed", 0),
                         "stance_changed": m.get("stance_changed", 0)})
        return sorted(rows, key=lambda r: (-(r["added"] + r["removed"] + r["stance_changed"]),
                                           r["proposition_id"]))

    def to_dict(self) -> dict[str, Any]:
        return {"correction": self.correction.to_dict(), "method": self.method,
                "links_changed": self.counts, "by_proposition": self.by_proposition(),
                "changes": [{"statement_id": c.statement_id,
                             "proposition_id": c.proposition_id, "before": c.before,
                             "after": c.after, "change": c.kind}
                            for c in self.changes[:MAX_LISTED]],
                "changes_listed": min(len(self.changes), MAX_LISTED)}


def link_state(curator: Curator) -> dict[tuple[str, str], str]:
    """(statement, proposition) -> stance of every link now."""
    return {(str(s), str(p)): str(st) for s, p, st in curator.store.backend.query(
        "SELECT statement_id, proposition_id, stance FROM assignments")}


def _corrected_pairs(curator: Curator) -> set[tuple[str, str]]:
    """The pairs the analyst's link corrections in force decide (the overlay): not
    something `learn` propagated."""
    return {(str(s), str(p)) for s, p in curator.store.backend.query(
        "SELECT statement_id, proposition_id FROM assignments WHERE correction IS NOT NULL")}


def _diff(before: dict[tuple[str, str], str], after: dict[tuple[str, str], str],
          skip: set[tuple[str, str]]) -> list[LinkChange]:
    changes = [LinkChange(s, p, before.get((s, p)), after.get((s, p)))
               for s, p in before.keys() | after.keys()
               if (s, p) not in skip and before.get((s, p)) != after.get((s, p))]
    return sorted(changes, key=lambda c: (c.proposition_id, c.kind, c.statement_id))


def _relinked(curator: Curator, relink: Callable[[], Any], record: Callable[[], Correction]
              ) -> Relinked:
    before = link_state(curator)
    skip = _corrected_pairs(curator)
    correction = record()
    summary = relink()
    after = link_state(curator)
    skip |= _corrected_pairs(curator)
    corrected: dict[str, Counter[str]] = {}
    state = correction.after if correction.op != "undo" else None
    if state:
        wanted = {int(i) for i in state.get("corrections", [])}
        for c in curator.in_force("link"):
            if c.id in wanted:
                pid = c.target.rpartition("|")[2]
                label = "linked" if (c.after or {}).get("stance") else "rejected"
                corrected.setdefault(pid, Counter())[label] += 1
    return Relinked(correction, _diff(before, after, skip),
                    getattr(summary, "method", None), corrected)


def learn(curator: Curator, relink: Callable[[], Any], author: str) -> Relinked:
    """`Curator.learn`, then `relink()` (the ledger's `link(force=True)`): the record and
    the links it moved. Raises `CorrectionError` (nothing written) when no link correction
    is in force."""
    return _relinked(curator, relink, lambda: curator.learn(author))


def undo(curator: Curator, relink: Callable[[], Any], correction_id: int, author: str
         ) -> Relinked:
    """Undo a correction and relink, with the links that moved back: for a `learn` record,
    whose effect only a relink applies (any other correction is applied by its undo)."""
    return _relinked(curator, relink, lambda: curator.undo(correction_id, author))


def relinks(correction: Correction) -> bool:
    """Whether undoing this correction needs a relink to show (a `learn` record, or the
    undo of one)."""
    from corroborate.link import adapt

    return correction.target_kind == adapt.TARGET_KIND
