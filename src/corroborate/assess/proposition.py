"""What the ledger says about one proposition, computed from its linked statements.

Pure functions over `Entry` records (one per statement linked to the proposition), so the same
assessment serves the terminal timeline, the HTML report and the JSON API.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

_SIDE = {"affirm": 1, "uncertain": 0, "deny": -1}
CONTRADICTION_DAYS = 21
MAX_CONTRADICTIONS = 50


@dataclass(frozen=True)
class Entry:
    statement_id: str
    date: str | None
    date_basis: str  # said_on | published
    source_id: str | None
    source_name: str
    alignment: str
    stance: str  # toward the proposition
    score: float
    quote: str
    cue: str | None
    hedges: tuple[str, ...]
    evidence: tuple[str, ...]
    via_id: str | None
    via_name: str | None
    document: Mapping[str, Any]
    context: Mapping[str, str]


@dataclass
class Assessment:
    timeline: list[Entry]
    positions: dict[str, list[Entry]]
    reversals: dict[str, list[tuple[Entry, Entry]]]
    first_claimant: Entry | None
    contradictions: list[tuple[Entry, Entry, str]]
    evidence: dict[tuple[str, str], list[Entry]]
    corroboration: dict[str, dict[str, Any]]
    relays: list[tuple[str, str, str, str, str]] = field(default_factory=list)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _order(entry: Entry) -> tuple[str, str]:
    return (entry.date or "9999", entry.statement_id)


def assess(entries: Sequence[Entry]) -> Assessment:
    timeline = sorted(entries, key=_order)
    positions: dict[str, list[Entry]] = defaultdict(list)
    for entry in timeline:
        positions[entry.source_id or f"unattributed:{entry.source_name}"].append(entry)
    reversals = {sid: changes for sid, seq in positions.items()
                 if (changes := _changes(seq))}
    affirming = [e for e in timeline if e.stance == "affirm" and e.date]
    first = affirming[0] if affirming else None
    return Assessment(timeline, dict(positions), reversals, first, _contradictions(timeline),
                      _evidence(timeline), _corroboration(timeline),
                      sorted({(e.via_id, e.source_id or "", e.via_name or "", e.source_name,
                               e.statement_id) for e in timeline if e.via_id}))


def _changes(seq: list[Entry]) -> list[tuple[Entry, Entry]]:
    """Changes of a source's position from one day to a later one.

    A source's position on a day is what it committed to that day: any affirmation (and no
    denial) affirms, any denial (and no affirmation) denies, otherwise uncertain. Hedging one
    sentence after asserting another on the same day is not a reversal; asserting "already on
    the battlefield" and a week later "could be there in days" is.
    """
    days: dict[str, list[Entry]] = defaultdict(list)
    for e in seq:
        if e.date:
            days[e.date[:10]].append(e)
    positions = []
    for day in sorted(days):
        stances = {e.stance for e in days[day]}
        if "affirm" in stances and "deny" not in stances:
            side = "affirm"
        elif "deny" in stances and "affirm" not in stances:
            side = "deny"
        else:
            side = "uncertain"
        positions.append(next(e for e in days[day] if e.stance == side)
                         if any(e.stance == side for e in days[day]) else days[day][0])
    return [(a, b) for a, b in itertools.pairwise(positions) if a.stance != b.stance]


def _contradictions(timeline: list[Entry]) -> list[tuple[Entry, Entry, str]]:
    """Pairs of sources taking opposite sides within a few weeks of each other: per pair of
    sources, the closest affirmation/denial pair (linear in statements, not quadratic)."""
    affirm: dict[str, list[tuple[date, Entry]]] = defaultdict(list)
    deny: dict[str, list[tuple[date, Entry]]] = defaultdict(list)
    for e in timeline:
        day = _day(e.date)
        if day is not None and e.stance in ("affirm", "deny"):
            side = affirm if e.stance == "affirm" else deny
            side[e.source_id or e.source_name].append((day, e))
    found: list[tuple[Entry, Entry, str]] = []
    for d_source, denials in deny.items():
        for a_source, affirmations in affirm.items():
            if a_source == d_source:
                continue
            pair = _closest(affirmations, denials)
            if pair is None:
                continue
            a, d = pair
            found.append((a, d, f"{a.source_name} affirms ({a.date}) while "
                                f"{d.source_name} denies ({d.date})"))
            if len(found) >= MAX_CONTRADICTIONS:
                return found
    return found


def _closest(xs: list[tuple[date, Entry]], ys: list[tuple[date, Entry]]
             ) -> tuple[Entry, Entry] | None:
    """The two entries (one of each list, both sorted by date) closest in time, if within
    CONTRADICTION_DAYS."""
    i = j = 0
    best: tuple[int, Entry, Entry] | None = None
    while i < len(xs) and j < len(ys):
        gap = (xs[i][0] - ys[j][0]).days
        if best is None or abs(gap) < best[0]:
            best = (abs(gap), xs[i][1], ys[j][1])
        if gap < 0:
            i += 1
        else:
            j += 1
    if best is None or best[0] > CONTRADICTION_DAYS:
        return None
    return best[1], best[2]


def _evidence(timeline: list[Entry]) -> dict[tuple[str, str], list[Entry]]:
    table: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in timeline:
        for kind in dict.fromkeys(entry.evidence):
            table[(kind, entry.stance)].append(entry)
    return dict(table)


def _corroboration(timeline: list[Entry]) -> dict[str, dict[str, Any]]:
    """Independent origins per side: one per canonical source, relays collapsed (a relayed
    statement's source is already its origin), counted by alignment."""
    summary: dict[str, dict[str, Any]] = {}
    for side in _SIDE:
        origins: dict[str, str] = {}
        for entry in timeline:
            if entry.stance == side:
                origins.setdefault(entry.source_id or entry.source_name, entry.alignment)
        summary[side] = {"independent_origins": len(origins),
                         "by_alignment": dict(Counter(origins.values()))}
    return summary
