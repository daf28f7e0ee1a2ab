"""Source grading in the Admiralty (NATO) code: reliability of the source, credibility of the
information, shown together as `B2`.

Reliability (A–F) is the analyst's judgement of a source and is never guessed here: it is the
grade set with `corroborate source set REF grade=B` (kept in `source_edits`), and `None` until
then. Credibility (1–6) is a property of one piece of information, and corroboration is what the
ledger can count, so it is *suggested* per statement and per proposition from the other
independent origins on that proposition (`suggest_all`), and the analyst may override it.

The suggestion rule, for a statement whose stance toward the proposition is `affirm` or `deny`:

- *agreeing* (A): the other independent origins with the same stance toward the proposition;
  *opposing* (D): the independent origins with the opposite stance. An origin is one canonical
  source (a relayed statement counts for its origin, never for the outlet that relayed it, and
  a source never corroborates or contradicts itself).
- *across sides*: corroboration is independent when an agreeing origin's alignment is known and
  differs from this source's (or, for a source of unknown alignment, when the agreeing origins
  span two known alignments); a contradiction is broad when the opposing origins span two known
  alignments or include this source's own side.

| value | name (NATO) | rule |
|---|---|---|
| 1 | confirmed by other sources | A ≥ 2, A ≥ 2·D, and agreement across sides |
| 2 | probably true | otherwise, A > D |
| 3 | possibly true | A = D ≥ 1 |
| 4 | doubtful | D > A, not 5 |
| 5 | improbable | D ≥ 2, D ≥ 2·A, and a broad contradiction |
| 6 | truth cannot be judged | an `uncertain` stance (nothing asserted), or A = D = 0 |

Counts, not weights: a suggestion must be explainable in one line, and it is only a starting
point for the analyst. Dates are not used (a later confirmation confirms). Known limit: a
spokesperson and the body they speak for count as two origins.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from corroborate.assess.entry import Entry

RELIABILITY = {"A": "completely reliable", "B": "usually reliable", "C": "fairly reliable",
               "D": "not usually reliable", "E": "unreliable",
               "F": "reliability cannot be judged"}
CREDIBILITY = {1: "confirmed by other sources", 2: "probably true", 3: "possibly true",
               4: "doubtful", 5: "improbable", 6: "truth cannot be judged"}
_OPPOSITE = {"affirm": "deny", "deny": "affirm"}
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Credibility:
    """A suggested credibility and the counts it came from (what the report explains)."""

    value: int
    reason: str
    agreeing: int = 0
    opposing: int = 0
    agreeing_alignments: tuple[str, ...] = ()
    opposing_alignments: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"value": self.value, "name": CREDIBILITY[self.value], "reason": self.reason,
                "agreeing": self.agreeing, "opposing": self.opposing,
                "agreeing_alignments": list(self.agreeing_alignments),
                "opposing_alignments": list(self.opposing_alignments)}


def admiralty_code(reliability: str | None, credibility: int | None) -> str:
    """`B2`; an ungraded source shows `?` (not `F`: F is a judgement the analyst makes)."""
    return f"{reliability or '?'}{credibility if credibility is not None else '?'}"


def valid_reliability(value: str) -> str:
    grade = value.strip().upper()
    if grade not in RELIABILITY:
        raise ValueError(f"reliability {value!r}: expected one Admiralty letter A-F")
    return grade


def valid_credibility(value: int | str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number not in CREDIBILITY:
        raise ValueError(f"credibility {value!r}: expected a number 1-6 (Admiralty code)")
    return number


def _known(alignments: Sequence[str]) -> set[str]:
    return {a for a in alignments if a and a != UNKNOWN}


def _across(own: str, agreeing: Sequence[str]) -> bool:
    known = _known(agreeing)
    if own and own != UNKNOWN:
        return bool(known - {own})
    return len(known) >= 2


def _broad(own: str, opposing: Sequence[str]) -> bool:
    known = _known(opposing)
    return len(known) >= 2 or (own in known)


def rule(stance: str, own_alignment: str, agreeing: Sequence[str],
         opposing: Sequence[str]) -> Credibility:
    """The table in the module docstring: the alignments of the agreeing and opposing
    independent origins (one item per origin) in, a credibility out."""
    a, d = len(agreeing), len(opposing)

    def graded(value: int, reason: str) -> Credibility:
        return Credibility(value, reason, a, d, tuple(sorted(agreeing)),
                           tuple(sorted(opposing)))

    if stance not in _OPPOSITE:
        return graded(6, "asserts nothing (uncertain stance)")
    if a == d == 0:
        return graded(6, "no other source says anything about it")
    said = f"{a} other independent origin(s) agree, {d} disagree"
    if a >= 2 and a >= 2 * d and _across(own_alignment, agreeing):
        return graded(1, said + "; agreement across sides")
    if d >= 2 and d >= 2 * a and _broad(own_alignment, opposing):
        return graded(5, said + "; contradicted across sides")
    return graded(2 if a > d else 3 if a == d else 4, said)


def suggest_all(timeline: Sequence[Entry]) -> dict[str, Credibility]:
    """The suggested credibility of every statement linked to one proposition, keyed by
    statement id: one pass to collect origins by stance, one to apply `rule`."""
    origins: dict[str, dict[str, str]] = defaultdict(dict)
    for entry in timeline:
        origins[entry.stance].setdefault(entry.source_key, entry.alignment or UNKNOWN)
    # The suggestion depends on the statement only through (stance, source, alignment), and a
    # proposition's thousands of statements come from far fewer sources: one rule per
    # combination (Credibility is frozen, so statements share it), not one origin scan each.
    by_origin: dict[tuple[str, str, str], Credibility] = {}
    suggested = {}
    for entry in timeline:
        own, alignment = entry.source_key, entry.alignment or UNKNOWN
        key = (entry.stance, own, alignment)
        found = by_origin.get(key)
        if found is None:
            same = [al for k, al in origins.get(entry.stance, {}).items() if k != own]
            other = _OPPOSITE.get(entry.stance)
            against = [al for k, al in origins.get(other, {}).items() if k != own] \
                if other else []
            found = by_origin[key] = rule(entry.stance, alignment, same, against)
        suggested[entry.statement_id] = found
    return suggested


@dataclass(frozen=True)
class Grade:
    """What every rendering of a statement shows: the source's reliability, the
    credibility in force (the analyst's override, else the suggestion) and the suggestion."""

    reliability: str | None
    credibility: int
    credibility_suggested: int
    overridden: bool
    reason: str
    agreeing: int = 0  # other independent origins saying the same (0: it rests on one source)

    @property
    def code(self) -> str:
        return admiralty_code(self.reliability, self.credibility)

    def fields(self) -> dict[str, object]:
        return {"reliability": self.reliability, "credibility": self.credibility,
                "credibility_suggested": self.credibility_suggested,
                "credibility_overridden": self.overridden,
                "credibility_reason": self.reason, "admiralty": self.code}


def grades(timeline: Sequence[Entry], overrides: Mapping[str, int] | None = None
           ) -> dict[str, Grade]:
    """Every statement's grade on one proposition; `overrides` maps statement ids to the
    analyst's credibility for this proposition."""
    overrides = overrides or {}
    suggested = suggest_all(timeline)
    # Grades are frozen: statements with the same reliability and suggestion and no override
    # share one (most of a large proposition), so grading is a lookup per statement.
    shared: dict[tuple[str | None, int], Grade] = {}
    found = {}
    for entry in timeline:
        suggestion = suggested[entry.statement_id]
        chosen = overrides.get(entry.statement_id)
        if chosen is None:
            key = (entry.reliability, id(suggestion))
            grade = shared.get(key)
            if grade is None:
                grade = shared[key] = Grade(entry.reliability, suggestion.value,
                                            suggestion.value, False, suggestion.reason,
                                            suggestion.agreeing)
            found[entry.statement_id] = grade
        else:
            found[entry.statement_id] = Grade(entry.reliability, chosen, suggestion.value, True,
                                              "set by the analyst", suggestion.agreeing)
    return found
