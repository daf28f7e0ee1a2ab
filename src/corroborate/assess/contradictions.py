"""Sources taking opposite sides of a proposition within a few weeks, grouped.

Dates are periods (`period.py`): "in October" and 2024-10-25 are 0 days apart, because the
October statement may have been made that very day. Each pair of sources yields its closest
affirmation/denial pair; the pairs are then grouped around the side with fewer sources, so one
denier facing forty affirmers is one group of forty, not forty lines naming the denier.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass

from corroborate.assess.entry import Entry
from corroborate.period import Period

CONTRADICTION_DAYS = 21


@dataclass(frozen=True)
class ContradictionGroup:
    """One source on one side, and the sources that took the other side near it in time.

    `pairs` holds (this source's statement, the opposing statement), the closest such pair per
    opposing source, by date of the opposing statement.
    """

    source_id: str | None
    source_name: str
    stance: str
    pairs: tuple[tuple[Entry, Entry], ...]

    @property
    def opponents(self) -> int:
        return len(self.pairs)

    def note(self, shown: int = 3) -> str:
        other = "affirming" if self.stance == "deny" else "denying"
        names = ", ".join(f"{b.source_name} ({b.date_label})" for _, b in self.pairs[:shown])
        more = f" and {len(self.pairs) - shown} more" if len(self.pairs) > shown else ""
        own = sorted({a.date_label for a, _ in self.pairs})
        n = len(self.pairs)
        return (f"{self.source_name} {'denies' if self.stance == 'deny' else 'affirms'} "
                f"({', '.join(own[:3])}{', …' if len(own) > 3 else ''}) while "
                f"{n} source{'' if n == 1 else 's'} {other} within {CONTRADICTION_DAYS} days: "
                f"{names}{more}")


class _Side:
    """One source's dated statements on one side, indexed to find the closest other period
    in O(log n): by start, by end, and the latest end among the first k by start."""

    def __init__(self, items: list[tuple[Period, Entry]]) -> None:
        self.by_start = sorted(items, key=lambda pe: (pe[0].start, pe[0].end))
        self.starts = [p.start for p, _ in self.by_start]
        self.by_end = sorted(items, key=lambda pe: pe[0].end)
        self.ends = [p.end for p, _ in self.by_end]
        self.reach: list[int] = []  # reach[k]: index of the latest end in by_start[:k + 1]
        for i, (q, _) in enumerate(self.by_start):
            latest = self.reach[-1] if self.reach else 0
            self.reach.append(i if q.end > self.by_start[latest][0].end else latest)

    def closest(self, p: Period) -> tuple[int, Entry]:
        """The statement whose period is nearest `p`, and the gap in days (0: overlapping)."""
        best: tuple[int, Entry] | None = None
        k = bisect_right(self.starts, p.end)  # by_start[:k] start on or before p ends
        if k:
            i = self.reach[k - 1]
            q, e = self.by_start[i]
            if q.end >= p.start:
                return 0, e
        if k < len(self.by_start):
            q, e = self.by_start[k]
            best = ((q.start - p.end).days, e)
        j = bisect_left(self.ends, p.start)  # by_end[:j] end before p starts
        if j:
            q, e = self.by_end[j - 1]
            gap = (p.start - q.end).days
            if best is None or gap < best[0]:
                best = (gap, e)
        assert best is not None
        return best


def contradictions(timeline: list[Entry]) -> list[ContradictionGroup]:
    """Groups of contradicting sources (see the module docstring), largest first."""
    sides: dict[str, dict[str, list[tuple[Period, Entry]]]] = {"affirm": defaultdict(list),
                                                                "deny": defaultdict(list)}
    for e in timeline:
        p = e.period
        if p is not None and e.stance in sides:
            sides[e.stance][e.source_key].append((p, e))
    denials = {s: _Side(items) for s, items in sides["deny"].items()}
    pairs: list[tuple[Entry, Entry]] = []  # (affirmation, denial)
    for a_source, affirmations in sides["affirm"].items():
        # The closest denial depends only on the affirmation's period, and among affirmations
        # of one period the pair chosen is the one with the least statement id: one lookup per
        # distinct period (a source of thousands of statements speaks on far fewer days).
        earliest: dict[Period, Entry] = {}
        for p, e in affirmations:
            if p not in earliest or e.statement_id < earliest[p].statement_id:
                earliest[p] = e
        for d_source, side in denials.items():
            if a_source == d_source:
                continue
            gap, d, a = min(((*side.closest(p), e) for p, e in earliest.items()),
                            key=lambda g: (g[0], g[2].statement_id, g[1].statement_id))
            if gap <= CONTRADICTION_DAYS:
                pairs.append((a, d))
    affirmers = {a.source_key for a, _ in pairs}
    deniers = {d.source_key for _, d in pairs}
    by_denier = len(deniers) <= len(affirmers)
    groups: dict[str, list[tuple[Entry, Entry]]] = defaultdict(list)
    for a, d in pairs:
        own, other = (d, a) if by_denier else (a, d)
        groups[own.source_key].append((own, other))
    found = []
    for members in groups.values():
        members.sort(key=lambda pair: (pair[1].sort_key, pair[1].source_name))
        head = members[0][0]
        found.append(ContradictionGroup(head.source_id, head.source_name, head.stance,
                                        tuple(members)))
    found.sort(key=lambda g: (-g.opponents, g.source_name))
    return found
