"""What the ledger says about one proposition, computed from its linked statements.

Pure functions over `Entry` records (one per statement linked to the proposition), so the same
assessment serves the terminal timeline, the HTML report and the JSON API.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from corroborate.assess.contradictions import CONTRADICTION_DAYS, ContradictionGroup
from corroborate.assess.contradictions import contradictions as group_contradictions
from corroborate.assess.entry import Entry
from corroborate.assess.grading import Grade, grades
from corroborate.period import Period

__all__ = ["CONTRADICTION_DAYS", "Assessment", "ContradictionGroup", "Entry", "assess"]

_SIDE = {"affirm": 1, "uncertain": 0, "deny": -1}
MAX_CONTRADICTIONS = 50
# A "source" that is a pronoun or a clause fragment ("which", "people for") is a misreading
# of the sentence, not a speaker; it must never be named as the first to claim something.
_NOT_SPEAKER = re.compile(
    r"^(?:which|that|who|whom|whose|what|it|its|he|she|they|them|we|us|i|you|this|these|those|"
    r"there|here)$|^(?:to|for|in|of|by|with|at|on|from|as)\b|\b(?:for|in|of|by|with|at|on|to|"
    r"from|that|which)$", re.IGNORECASE)


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
    # Other sources' affirmations that may have come before the first claimant's: their
    # period starts before its last possible day ("Oct 2024" vs 2024-10-18).
    first_claim_rivals: list[Entry] = field(default_factory=list)
    contradiction_groups: list[ContradictionGroup] = field(default_factory=list)
    # Admiralty grade of every statement on this proposition, by statement id (grading.py).
    grades: dict[str, Grade] = field(default_factory=dict)


def _order(entry: Entry) -> tuple[str, str, str]:
    return entry.sort_key


@lru_cache(maxsize=4096)
def is_speaker(name: str) -> bool:
    """Whether a source name can be a speaker (cached: a proposition repeats a few names
    thousands of times)."""
    return bool(name.strip()) and not _NOT_SPEAKER.search(name.strip())


def first_claim(timeline: Sequence[Entry]) -> tuple[Entry | None, list[Entry]]:
    """The affirmation known to be earliest, and the other sources' affirmations that may
    have been earlier.

    Known earliest is the one whose period *ends* first, not the one whose period starts
    first: "in October" (some day in 2024-10-01..31) does not beat 2024-10-18, because it may
    have been said on the 25th. It wins only when its whole period is earlier ("in September"
    vs 2024-10-18). Any other source whose period starts before the winner's last day is a
    rival: it may have come first, the order is unknown, and renderings say so. (Two exact
    claims on the same day are a tie the statement ids break; neither is a rival.)
    """
    dated = [(p, e) for e in timeline if e.stance == "affirm" and is_speaker(e.source_name)
             and (p := e.period) is not None]
    if not dated:
        return None, []
    p, first = min(dated, key=lambda pe: (pe[0].end, pe[0].start, pe[1].date_basis != "said_on",
                                          pe[1].statement_id))
    rivals: dict[str, Entry] = {}
    for q, e in sorted(dated, key=lambda qe: qe[1].sort_key):
        if e.source_key != first.source_key and q.start < p.end:
            rivals.setdefault(e.source_key, e)
    return first, list(rivals.values())


def assess(entries: Sequence[Entry], credibility: Mapping[str, int] | None = None
           ) -> Assessment:
    """`credibility`: the analyst's credibility overrides on this proposition, by statement
    id (the rest are suggested from corroboration, grading.py)."""
    timeline = sorted(entries, key=_order)
    positions: dict[str, list[Entry]] = defaultdict(list)
    for entry in timeline:
        positions[entry.source_key].append(entry)
    reversals = {sid: changes for sid, seq in positions.items()
                 if (changes := _changes(seq))}
    first, rivals = first_claim(timeline)
    groups = group_contradictions(timeline)
    pairs = [(a, d, f"{a.source_name} affirms ({a.date_label}) while {d.source_name} "
                    f"denies ({d.date_label})")
             for g in groups for a, d in (sorted(pair, key=lambda e: e.stance != "affirm")
                                          for pair in g.pairs)][:MAX_CONTRADICTIONS]
    return Assessment(timeline, dict(positions), reversals, first, pairs,
                      _evidence(timeline), _corroboration(timeline),
                      sorted({(e.via_id, e.source_id or "", e.via_name or "", e.source_name,
                               e.statement_id) for e in timeline if e.via_id}),
                      rivals, groups, grades(timeline, credibility))


def _changes(seq: list[Entry]) -> list[tuple[Entry, Entry]]:
    """Changes of a source's position from one period to a certainly later one.

    A source's position in a period (a day, or "in October") is what it committed to then:
    any affirmation (and no denial) affirms, any denial (and no affirmation) denies, otherwise
    uncertain. Hedging one sentence after asserting another on the same day is not a
    reversal; asserting "already on the battlefield" and a week later "could be there in
    days" is. Two positions whose periods overlap ("in October" and 2024-10-18) have no known
    order, so no change between them is reported.
    """
    periods: dict[Period, list[Entry]] = defaultdict(list)
    for e in seq:
        if (p := e.period) is not None:
            periods[p].append(e)
    positions: list[tuple[Period, Entry]] = []
    for p in sorted(periods, key=lambda q: (q.start, q.end)):
        stances = {e.stance for e in periods[p]}
        if "affirm" in stances and "deny" not in stances:
            side = "affirm"
        elif "deny" in stances and "affirm" not in stances:
            side = "deny"
        else:
            side = "uncertain"
        positions.append((p, next((e for e in periods[p] if e.stance == side),
                                  periods[p][0])))
    return [(a, b) for (pa, a), (pb, b) in itertools.pairwise(positions)
            if a.stance != b.stance and pa.certainly_before(pb)]


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
