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
    """Consecutive dated statements of one source whose stance differs."""
    dated = [e for e in seq if e.date]
    return [(a, b) for a, b in itertools.pairwise(dated) if a.stance != b.stance]


def _contradictions(timeline: list[Entry]) -> list[tuple[Entry, Entry, str]]:
    """Pairs of sources taking opposite sides within a few weeks of each other."""
    found: list[tuple[Entry, Entry, str]] = []
    affirm = [e for e in timeline if e.stance == "affirm"]
    deny = [e for e in timeline if e.stance == "deny"]
    seen: set[tuple[str, str]] = set()
    for d in deny:
        for a in affirm:
            if a.source_id == d.source_id:
                continue
            pair = tuple(sorted((a.source_id or a.source_name, d.source_id or d.source_name)))
            if pair in seen:
                continue
            da, dd = _day(a.date), _day(d.date)
            if da and dd and abs((da - dd).days) <= CONTRADICTION_DAYS:
                seen.add(pair)  # type: ignore[arg-type]
                found.append((a, d, f"{a.source_name} affirms ({a.date}) while "
                                    f"{d.source_name} denies ({d.date})"))
                if len(found) >= MAX_CONTRADICTIONS:
                    return found
    return found


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
