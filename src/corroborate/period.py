"""The stretch of time a date stands for, so "in October" never reads as October 1st.

A `said_on` of `2024-10-01` with granularity `month` means "some day in October 2024": the
interval 2024-10-01..2024-10-31, shown as "Oct 2024". Ordering, first claims, reversals and
contradictions compare these intervals (see `assess/proposition.py`), and every rendering
labels them with `label()`. This module sits at the bottom of the layers (beside `model`), so
the extractor, the store and the renderers share one reading of a date.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

# Coarsest last. `weekend` is the Saturday and Sunday of an ISO week (said_on: the Saturday).
GRANULARITIES = ("day", "weekend", "week", "month", "year")


@dataclass(frozen=True, order=True)
class Period:
    """Some day in `start..end` (both inclusive), known to `granularity`."""

    start: date
    end: date
    granularity: str

    @property
    def exact(self) -> bool:
        return self.granularity == "day"

    def certainly_before(self, other: Period) -> bool:
        """True only when every day of this period precedes every day of `other`."""
        return self.end < other.start

    def gap_days(self, other: Period) -> int:
        """Days between the two periods; 0 when they overlap (they may be the same day)."""
        return max(0, (other.start - self.end).days, (self.start - other.end).days)


def granularity_of(value: str | None, granularity: str | None = None) -> str | None:
    """The granularity a date string stands for: the stated one, else what its length says
    (`YYYY-MM-DD...` day, `YYYY-MM` month, `YYYY` year) — how publication dates come."""
    if not value:
        return None
    if granularity in GRANULARITIES:
        return granularity
    return "day" if len(value) >= 10 else "month" if len(value) >= 7 else "year"


def period(value: str | None, granularity: str | None = None) -> Period | None:
    """The period of a date string (its first day for week, month and year values), or None
    when it is missing or not an ISO date."""
    gran = granularity_of(value, granularity)
    if value is None or gran is None:
        return None
    try:
        if len(value) >= 10:
            start = date.fromisoformat(value[:10])
        elif len(value) >= 7:
            start = date.fromisoformat(value[:7] + "-01")
        else:
            start = date(int(value[:4]), 1, 1)
    except ValueError:
        return None
    if gran == "weekend":
        end = start + timedelta(days=1)
    elif gran == "week":
        end = start + timedelta(days=6)
    elif gran == "month":
        start = start.replace(day=1)
        end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    elif gran == "year":
        start, end = date(start.year, 1, 1), date(start.year, 12, 31)
    else:
        end = start
    return Period(start, end, gran)


def until(value: str | None, granularity: str | None = None) -> str | None:
    """The last day (ISO) of the period a date string stands for."""
    p = period(value, granularity)
    return p.end.isoformat() if p else None


def label(value: str | None, granularity: str | None = None) -> str:
    """How a date is shown: `2024-10-18`, `week of 2024-11-11`, `weekend of 2024-12-14`,
    `Oct 2024`, `2024`; the empty string when there is none."""
    p = period(value, granularity)
    if p is None:
        return value or ""
    if p.granularity == "weekend":
        return f"weekend of {p.start.isoformat()}"
    if p.granularity == "week":
        return f"week of {p.start.isoformat()}"
    if p.granularity == "month":
        return f"{p.start:%b %Y}"
    if p.granularity == "year":
        return str(p.start.year)
    return p.start.isoformat()


def phrase(value: str | None, granularity: str | None = None) -> str:
    """A date as it reads after a verb: `on 2024-10-18`, `in Oct 2024 (day unknown)`,
    `in the week of 2024-11-11 (day unknown)`."""
    p = period(value, granularity)
    if p is None:
        return "on an unknown date"
    if p.exact:
        return f"on {label(value, granularity)}"
    if p.granularity in ("week", "weekend"):
        return f"in the {label(value, granularity)} (day unknown)"
    return f"in {label(value, granularity)} (day unknown)"
