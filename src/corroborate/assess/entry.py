"""One statement linked to a proposition, as the assessment reads it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar

from corroborate.period import Period, label, period, phrase

# A proposition's statements share a few hundred distinct dates, and an assessment reads each
# entry's period a handful of times (ordering, reversals, first claim, contradictions, every
# rendering): parsed once per distinct date, not once per read. Periods are frozen values.
_period = lru_cache(maxsize=8192)(period)
_label = lru_cache(maxsize=8192)(label)
_phrase = lru_cache(maxsize=8192)(phrase)

T = TypeVar("T")


class cached(Generic[T]):
    """A value computed from an entry's fields on first read and kept on the instance.

    Why not `functools.cached_property`: on Python 3.11 it takes a lock on every first read,
    which costs more than the value on 30,000 entries. An entry is frozen and its fields never
    change, so two threads computing the same value at once compute the same thing."""

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> T:
        if instance is None:
            return self  # type: ignore[return-value]
        value = self.compute(instance)
        instance.__dict__[self.name] = value  # later reads find it before this descriptor
        return value


@dataclass(frozen=True)
class Entry:
    """`date` is the first day of the period it stands for; `precision` says which period
    (day, weekend, week, month, year), so "in October" (2024-10-01, month) is never read as
    1 October. `date_basis` is `said_on` or `published` (the publication-date fallback)."""

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
    precision: str | None = None  # None: read from the date's form (period.granularity_of)
    reliability: str | None = None  # the source's Admiralty grade A-F, set by the analyst

    # The derived values below are cached on the instance (fields never change: the class is
    # frozen): an assessment of 30,000 entries reads each of them several times.
    @cached
    def period(self) -> Period | None:
        """The days it may have been said on. Nothing is said after it is published, so "in
        October" in a piece published on 2024-10-10 is 2024-10-01..10 (still "Oct 2024")."""
        said = _period(self.date, self.precision)
        if said is None or said.exact or self.date_basis != "said_on":
            return said
        published = self.document.get("published")
        pub = _period(published) if isinstance(published, str) else None
        if pub is not None and said.start <= pub.start < said.end:
            return Period(said.start, pub.start, said.granularity)
        return said

    @cached
    def source_key(self) -> str:
        return self.source_id or f"unattributed:{self.source_name}"

    @cached
    def date_label(self) -> str:
        """`2024-10-18`, `Oct 2024`, `week of 2024-11-11`; `(pub)` marks a publication date."""
        if not self.date:
            return "undated"
        return _label(self.date, self.precision) + ("" if self.date_basis == "said_on"
                                                   else " (pub)")

    @property
    def date_phrase(self) -> str:
        """`on 2024-10-18`, `in Oct 2024 (day unknown)`, with `(pub)` for publication dates."""
        return _phrase(self.date, self.precision) + ("" if self.date_basis == "said_on" or
                                                    not self.date else " (pub)")

    @cached
    def sort_key(self) -> tuple[str, str, str]:
        """Interval start, then interval end (the more precise first), then id."""
        p = self.period
        if p is None:
            return ("9999", "9999", self.statement_id)
        return (p.start.isoformat(), p.end.isoformat(), self.statement_id)
