"""Normalisation half of the rule-based timex tagger: TIMEX3 values from pattern hits.

Kept apart from :mod:`corroborate.extract.timex` (which finds and filters
spans) so that the calendar maths, the tense heuristic and the per-rule
resolvers can be read and tested without the pattern machinery.  Resolvers run
in document order and share a :class:`Context`, which is how anaphoric
expressions see the last date the story itself established.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

_LEXICON_PATH = Path(__file__).with_name("data") / "timex_lexicon.json"


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """Load the word lists once; the file is the single place to extend coverage."""
    with _LEXICON_PATH.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


# --------------------------------------------------------------------------- numbers

_DIGITS = re.compile(r"^(\d+(?:\.\d+)?)(?:\s+(\d)/(\d))?$")


def parse_number(phrase: str) -> float | None:
    """Turn a quantity phrase into a number; ``None`` means vague ("several").

    Vague quantities map to ``X`` in TIMEX3 values, so the caller needs to
    distinguish "unknown" from "not a number" -- both come back as ``None`` and
    the pattern layer only calls this on strings it already matched as counts.
    """
    lex = lexicon()
    p = " ".join(phrase.lower().replace("-", " ").split())
    p = p.removesuffix(" more").removesuffix(" additional").removesuffix(" consecutive")
    p = p.removesuffix(" full").removesuffix(" straight")
    m = _DIGITS.match(p.replace(",", ""))
    if m:
        value = float(m.group(1))
        if m.group(2):
            value += int(m.group(2)) / int(m.group(3))
        return value
    half = p.endswith(" and a half")
    if half:
        p = p[: -len(" and a half")]
    nums: dict[str, float] = lex["numbers"]
    if p in nums:
        return nums[p] + (0.5 if half else 0)
    total = 0.0
    for word in p.split():
        if word not in nums:
            return None
        val = nums[word]
        total = total * val if val == 100 and total else total + val
    return total + (0.5 if half else 0) if total else None


def fmt_number(n: float | None) -> str:
    """Render a count for a TIMEX3 duration: integers bare, vague as ``X``."""
    if n is None:
        return "X"
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


# --------------------------------------------------------------------------- durations

_TIME_UNITS = {"H": "H", "MIN": "M", "S": "S"}
_SCALE = {"DE": (10, "Y"), "CE": (100, "Y"), "ML": (1000, "Y"), "2W": (2, "W"), "WE": (1, "WE")}


def duration_value(n: float | None, unit: str) -> str:
    """ISO-8601 style TIMEX3 duration, following TimeBank's conventions (decades as years)."""
    if unit in _TIME_UNITS:
        if n is not None and not float(n).is_integer() and unit == "H":
            whole = int(n)
            return f"PT{whole}H{round((n - whole) * 60)}M" if whole else f"PT{round(n * 60)}M"
        return f"PT{fmt_number(n)}{_TIME_UNITS[unit]}"
    if unit == "SEASON":
        return f"P{fmt_number(n)}SE" if n is not None else "PXSE"
    if unit in _SCALE:
        scale, code = _SCALE[unit]
        return f"P{fmt_number(None if n is None else n * scale)}{code}"
    if n is not None and not float(n).is_integer():
        whole, frac = int(n), n - int(n)
        if unit == "Y":
            return f"P{whole}Y{round(frac * 12)}M" if whole else f"P{round(frac * 12)}M"
        if unit == "D":
            return f"P{whole}DT{round(frac * 24)}H" if whole else f"PT{round(frac * 24)}H"
    return f"P{fmt_number(n)}{unit}"


# --------------------------------------------------------------------------- calendar


def add_months(d: dt.date, months: int) -> dt.date:
    """Month arithmetic clamped to the month's length (Mar 31 - 1 month = Feb 28)."""
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    day = min(d.day, calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day)


def shift(d: dt.date, unit: str, n: int) -> dt.date:
    """Move a date by n units; quarters, decades etc. reduce to month/year maths."""
    if unit == "D":
        return d + dt.timedelta(days=n)
    if unit in ("W", "WE"):
        return d + dt.timedelta(weeks=n)
    if unit == "2W":
        return d + dt.timedelta(weeks=2 * n)
    if unit == "M":
        return add_months(d, n)
    if unit == "Q":
        return add_months(d, 3 * n)
    if unit == "SEASON":
        return add_months(d, 3 * n)
    if unit == "Y":
        return add_months(d, 12 * n)
    if unit == "DE":
        return add_months(d, 120 * n)
    if unit == "CE":
        return add_months(d, 1200 * n)
    return d


def quarter_of(d: dt.date) -> int:
    return (d.month - 1) // 3 + 1


def fmt_date(d: dt.date, gran: str) -> str:
    """TIMEX3 value of a point at a granularity: the coarser, the shorter the string."""
    if gran == "day":
        return d.isoformat()
    if gran == "week":
        iso = d.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}"
    if gran == "weekend":
        iso = d.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}-WE"
    if gran == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if gran == "quarter":
        return f"{d.year:04d}-Q{quarter_of(d)}"
    if gran == "half":
        return f"{d.year:04d}-H{1 if d.month <= 6 else 2}"
    if gran == "decade":
        return f"{d.year // 10:03d}"
    if gran == "century":
        return f"{d.year // 100:02d}"
    return f"{d.year:04d}"


UNIT_GRANULARITY = {
    "D": "day",
    "W": "week",
    "2W": "week",
    "WE": "weekend",
    "M": "month",
    "Q": "quarter",
    "Y": "year",
    "DE": "decade",
    "CE": "century",
    "SEASON": "month",
    "H": "day",
    "MIN": "day",
    "S": "day",
}


def weekday_date(anchor: dt.date, weekday: int, direction: int) -> dt.date:
    """Resolve a bare weekday name against the anchor.

    direction < 0: most recent such day on or before the anchor (news past);
    direction > 0: next such day on or after the anchor; the strict variants
    (-2/+2) are for "last Friday"/"next Friday" which never mean the anchor day.
    """
    diff = weekday - anchor.weekday()
    if direction in (-1, -2):
        back = (-diff) % 7
        if back == 0 and direction == -2:
            back = 7
        return anchor - dt.timedelta(days=back)
    fwd = diff % 7
    if fwd == 0 and direction == 2:
        fwd = 7
    return anchor + dt.timedelta(days=fwd)


def nearest_year(anchor: dt.date, month: int, day: int | None, direction: int) -> int:
    """Pick the year for a yearless "Oct. 18"/"October".

    With a tense cue take the next (future) or latest (past) occurrence
    relative to the anchor; without one, the occurrence nearest the anchor.
    """
    ref = (anchor.month, anchor.day if day is not None else 0)
    cand = (month, day or 0)
    if direction > 0:
        return anchor.year if cand >= ref else anchor.year + 1
    if direction < 0:
        return anchor.year if cand <= ref else anchor.year - 1
    best_year, best_gap = anchor.year, None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            when = dt.date(year, month, day or 15)
        except ValueError:
            when = dt.date(year, month, 28)
        gap = abs((when - anchor).days)
        if best_gap is None or gap < best_gap:
            best_year, best_gap = year, gap
    return best_year


def easter(year: int) -> dt.date:
    """Anonymous Gregorian algorithm; Easter-relative holidays need it."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ll = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ll) // 451
    month, day = divmod(h + ll - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def holiday_date(code: str, year: int) -> dt.date | None:
    """Decode the lexicon's holiday codes: "MM-DD", "nth:weekday:month", "easter±n", "election"."""
    if code == "election":  # US: Tuesday after the first Monday of November
        first_monday = weekday_date(dt.date(year, 11, 1), 0, 1)
        return first_monday + dt.timedelta(days=1)
    if code.startswith("easter"):
        return easter(year) + dt.timedelta(days=int(code[6:] or 0))
    if ":" in code:
        nth, weekday, month = (int(x) for x in code.split(":"))
        if nth > 0:
            first = weekday_date(dt.date(year, month, 1), weekday, 1)
            return first + dt.timedelta(weeks=nth - 1)
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        return weekday_date(last, weekday, -1)
    month, day = (int(x) for x in code.split("-"))
    return dt.date(year, month, day)


# --------------------------------------------------------------------------- resolution


@dataclass
class Candidate:
    """A pattern hit before span selection."""

    start: int
    end: int
    prio: int
    rule: str
    match: re.Match[str]


@dataclass
class Context:
    """Per-document state: the anchor (publication date) and the narrative reference.

    The narrative reference is the most recent date the text itself established;
    anaphoric expressions ("the next day", "a year earlier") resolve against it,
    never against the publication date.
    """

    text: str
    anchor: dt.date | None
    ref: dt.date | None = None
    ref_gran: str | None = None


@dataclass(frozen=True)
class Resolution:
    type: str
    value: str | None
    granularity: str | None
    anchored: bool
    how: str


_FINE = {
    "time": 0,
    "day": 1,
    "week": 2,
    "weekend": 2,
    "month": 3,
    "season": 3,
    "quarter": 4,
    "half": 5,
    "year": 6,
    "decade": 7,
    "century": 8,
}
_FUTURE = re.compile(
    r"\b(?:will|shall|may|might|going\s+to|is\s+to|are\s+to|scheduled|expected|expects|plans?|planned|"
    r"planning|would|due|set\s+to|upcoming|slated|intends?|aims?|hopes?|next|tomorrow|"
    r"begins?|starts?|takes\s+effect|coming|as\s+(?:soon|early)\s+as|no\s+later\s+than)\b|"
    r"['’]ll\b",
    re.I,
)
_PAST = re.compile(
    r"\b(?:said|says|was|were|had|has|have|did|ago|last|yesterday|told|earlier|"
    r"(?!(?:scheduled|expected|planned|slated|postponed|delayed)\b)\w+ed)\b",
    re.I,
)
_FUTURE_PREFIX = re.compile(
    r"\b(?:payable|by|through|until|till|effective|expires?|expiring|extended\s+to|"
    r"deadline\s+of|record|now\s+and|scheduled\s+for|set\s+for|slated\s+for|due|"
    r"starting|beginning|postponed\s+(?:to|until)|delayed\s+(?:to|until)|"
    r"as\s+(?:soon|early)\s+as|no\s+later\s+than|next|this\s+coming)\s+(?:on\s+)?$",
    re.I,
)
_PAST_PREFIX = re.compile(r"\b(?:last|this\s+past|since|ended|ending|ago)\s+(?:on\s+)?$", re.I)
_SENT_END = re.compile(r"[.!?]\s+(?=[A-Z\"“])|\n")
_SET_CONTEXT = re.compile(
    r"(?:\d|%|percent|million|billion|trillion|cents?|dollars|euros|pounds|times|once|"
    r"twice|tons|barrels|units|people)\s*$",
    re.I,
)


def tense(ctx: Context, start: int, end: int) -> int:
    """HeidelTime-style tense guess from the nearest future or past cue in the sentence.

    Returns +1 (future), -1 (past) or 0 (no cue); callers decide the default,
    because a bare weekday in news is usually past but "Dec. 15" is often a
    forthcoming payment or meeting date.
    """
    text = ctx.text
    if text.startswith(("'s", "’s"), end):
        return -1  # "Wednesday's ruling" names something that already happened
    if _FUTURE_PREFIX.search(text, max(0, start - 30), start):
        return 1
    if _PAST_PREFIX.search(text, max(0, start - 20), start):
        return -1
    left = text[max(0, start - 90) : start]
    cut = [m.end() for m in _SENT_END.finditer(left)]
    if cut:
        left = left[cut[-1] :]
    right = text[end : end + 70]
    m = _SENT_END.search(right)
    if m:
        right = right[: m.start()]
    best_f = best_p = 1000
    for rx, is_f in ((_FUTURE, True), (_PAST, False)):
        for hit in rx.finditer(left):
            dist = len(left) - hit.end()
            if is_f:
                best_f = min(best_f, dist)
            else:
                best_p = min(best_p, dist)
        hit2 = rx.search(right)
        if hit2:
            if is_f:
                best_f = min(best_f, hit2.start())
            else:
                best_p = min(best_p, hit2.start())
    if best_f == best_p == 1000:
        return 0
    return 1 if best_f <= best_p else -1


def is_future(ctx: Context, start: int, end: int) -> bool:
    return tense(ctx, start, end) > 0


def _point(
    ctx: Context, d: dt.date, gran: str, how: str, type_: str = "DATE", suffix: str = ""
) -> Resolution:
    if type_ in ("DATE", "TIME") and how != "unresolved":
        ctx.ref, ctx.ref_gran = d, gran
    value = fmt_date(d, gran) + suffix
    return Resolution(type_, value, "time" if suffix else gran, how == "relative_to_anchor", how)


def _unresolved(type_: str = "DATE", gran: str | None = None) -> Resolution:
    return Resolution(type_, None, gran, False, "unresolved")


def _plain(type_: str, value: str, gran: str | None = None) -> Resolution:
    return Resolution(type_, value, gran, False, "absolute")


def _month_num(word: str) -> int:
    return int(lexicon()["months"][word.lower().rstrip(".")])


def _day_num(word: str) -> int:
    w = word.lower()
    ords: dict[str, int] = lexicon()["ordinals"]
    if w in ords:
        return ords[w]
    return int(re.match(r"\d+", w).group(0))  # type: ignore[union-attr]


def _rel_dir(rel: str) -> int:
    """Map a relative determiner to -1/0/+1 (None-like 0 for deictic "this")."""
    r = " ".join(rel.lower().split())
    if r in (
        "last",
        "past",
        "previous",
        "this past",
        "the previous",
        "the last",
        "the past",
        "the prior",
        "the latest",
        "the most recent",
    ):
        return -1
    if r in ("next", "coming", "this coming", "the coming", "the next", "the following"):
        return 1
    return 0


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _day_for(ctx: Context, word: str | None, start: int, end: int) -> tuple[dt.date | None, str]:
    """Date meant by a day word attached to a clock time ("2 p.m. Friday", "noon today")."""
    if word:
        w = word.lower()
        if w in ("today", "tonight", "yesterday", "tomorrow"):
            if ctx.anchor is None:
                return None, "unresolved"
            return ctx.anchor + dt.timedelta(
                days={"yesterday": -1, "tomorrow": 1}.get(w, 0)
            ), "relative_to_anchor"
        wd = lexicon()["weekdays"].get(w)
        if wd is not None:
            if ctx.anchor is None:
                return None, "unresolved"
            return weekday_date(
                ctx.anchor, wd, 1 if is_future(ctx, start, end) else -1
            ), "relative_to_anchor"
    if ctx.ref is not None and ctx.ref_gran == "day":
        return ctx.ref, "anaphoric"
    if ctx.anchor is None:
        return None, "unresolved"
    return ctx.anchor, "relative_to_anchor"


def _clock(
    ctx: Context,
    c: Candidate,
    hour: int,
    minute: int,
    day_word: str | None,
    day: dt.date | None = None,
) -> Resolution:
    how = "absolute"
    if day is None:
        day, how = _day_for(ctx, day_word, c.start, c.end)
    if day is None:
        return _unresolved("TIME", "time")
    return _point(ctx, day, "day", how, "TIME", f"T{hour:02d}:{minute:02d}")


def _r_iso(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    d = _safe_date(int(g["y"] or 0), int(g["m"] or 0), int(g["d"] or 0))
    if d is None:
        return None
    if g["H"]:
        return _point(ctx, d, "day", "absolute", "TIME", f"T{g['H']}:{g['M']}")
    return _point(ctx, d, "day", "absolute")


def _r_slash(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    a, b, y = int(g["a"] or 0), int(g["b"] or 0), int(g["y"] or 0)
    if y < 100:
        y += 1900 if y > 50 else 2000
    d = _safe_date(y, a, b) if a <= 12 else _safe_date(y, b, a)
    return None if d is None else _point(ctx, d, "day", "absolute")


def _r_md(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    month, day = _month_num(g["mon"] or ""), _day_num(g["d"] or "")
    if g.get("y"):
        d = _safe_date(int(g["y"] or 0), month, day)
        return None if d is None else _point(ctx, d, "day", "absolute")
    if ctx.anchor is None:
        return _unresolved(gran="day")
    year = nearest_year(ctx.anchor, month, day, tense(ctx, c.start, c.end))
    d = _safe_date(year, month, day)
    return None if d is None else _point(ctx, d, "day", "relative_to_anchor")


def _year_from(
    ctx: Context, g: dict[str, str | None], key: str = "y", rkey: str = "ry"
) -> tuple[int | None, str]:
    if g.get(key):
        return int(g[key] or 0), "absolute"
    rel = g.get(rkey)
    if rel and ctx.anchor is not None:
        return ctx.anchor.year + _rel_dir(
            rel.split()[-2] if len(rel.split()) > 2 else rel.split()[0]
        ), "relative_to_anchor"
    return None, "unresolved"


def _r_quarter(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    q = _day_num(g["q"] or "")
    half = (g.get("unit") or "quarter").lower() == "half"
    gran = "half" if half else "quarter"
    year, how = _year_from(ctx, g)
    if year is None and g.get("py"):
        year, how = int(g["py"] or 0), "absolute"
    det = (g.get("det") or "").lower()
    if year is None and ctx.anchor is not None:
        year, how = ctx.anchor.year, "relative_to_anchor"
        if det.startswith(("last", "next")):
            year += -1 if det.startswith("last") else 1
        else:
            current = (ctx.anchor.month - 1) // (6 if half else 3) + 1
            if q > current and not is_future(ctx, c.start, c.end):
                year -= 1
    if year is None:
        return _unresolved(gran=gran)
    d = dt.date(year, (q - 1) * (6 if half else 3) + 1, 1)
    return _point(ctx, d, gran, how)


def _r_qcode(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    code = g["q"] or "Q1"
    y, y2 = g.get("y"), g.get("y2")
    year = int(y) if y else (2000 + int(y2) if y2 else None)
    g2: dict[str, str | None] = {
        "q": code[1],
        "unit": "half" if code[0] == "H" else "quarter",
        "y": str(year) if year else None,
    }
    return _r_quarter(ctx, c, g2)


def _year_earlier(ctx: Context, unit: str | None) -> Resolution:
    """ "a year ago"/"year-earlier": in earnings copy the comparison is the same quarter."""
    if ctx.anchor is None:
        return _unresolved()
    base, gran = ctx.anchor, "year"
    if ctx.ref is not None and ctx.ref_gran == "quarter" and ctx.ref.year >= ctx.anchor.year - 1:
        base, gran = ctx.ref, "quarter"
    elif unit and unit.lower().startswith("quarter"):
        base, gran = add_months(ctx.anchor, -3), "quarter"
    ref, ref_gran = ctx.ref, ctx.ref_gran
    res = _point(ctx, add_months(base, -12), gran, "relative_to_anchor")
    ctx.ref, ctx.ref_gran = ref, ref_gran  # a comparison point is not where the story is
    return res


def _r_yearago(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    return _year_earlier(ctx, g.get("unit"))


def _r_month(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    month = _month_num(g["mon"] or "")
    year, how = _year_from(ctx, g)
    if year is None and ctx.anchor is not None:
        how = "relative_to_anchor"
        if g.get("ya"):
            year = ctx.anchor.year - 1
        else:
            direction = _rel_dir(g.get("rel") or "")
            if direction < 0:
                year = ctx.anchor.year if month < ctx.anchor.month else ctx.anchor.year - 1
            elif direction > 0:
                year = ctx.anchor.year if month > ctx.anchor.month else ctx.anchor.year + 1
            else:
                year = nearest_year(ctx.anchor, month, None, tense(ctx, c.start, c.end))
    if year is None:
        return _unresolved(gran="month")
    return _point(ctx, dt.date(year, month, 1), "month", how)


_DECADE_WORDS = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}


def _r_decade(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    if g.get("d4"):
        return _plain("DATE", (g["d4"] or "")[:3], "decade")
    if g.get("dw") and not g.get("the") and not g.get("mod2"):
        return None  # "in his nineties" is an age
    digit = int(g["d2"][0]) if g.get("d2") else _DECADE_WORDS.get((g.get("dw") or "").lower(), 0)  # type: ignore[index]
    ref_year = ctx.anchor.year if ctx.anchor else 1999
    century = ref_year // 100 if digit * 10 <= ref_year % 100 else ref_year // 100 - 1
    return Resolution(
        "DATE",
        f"{century}{digit}",
        "decade",
        ctx.anchor is not None,
        "relative_to_anchor" if ctx.anchor else "absolute",
    )


def _r_century(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    c_num = g.get("c")
    n = int(c_num) if c_num else _day_num(g.get("cw") or "first")
    if not 1 <= n <= 30:
        return None
    return _plain("DATE", f"{n - 1:02d}", "century")


def _r_year(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    return _point(ctx, dt.date(int(g["y"] or 0), 1, 1), "year", "absolute")


def _r_holiday(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    code = lexicon()["holidays"][" ".join((g["h"] or "").lower().replace("’", "'").split())]
    if g.get("y"):
        d = holiday_date(code, int(g["y"] or 0))
        return None if d is None else _point(ctx, d, "day", "absolute")
    if ctx.anchor is None:
        return _unresolved(gran="day")
    direction = _rel_dir(g.get("rel") or "")
    if direction == 0:
        direction = 1 if is_future(ctx, c.start, c.end) else -1
    year = ctx.anchor.year
    d = holiday_date(code, year)
    if d is None:
        return None
    if direction < 0 and d >= ctx.anchor + dt.timedelta(days=1 if not g.get("rel") else 0):
        d = holiday_date(code, year - 1)
    elif direction > 0 and d < ctx.anchor:
        d = holiday_date(code, year + 1)
    return None if d is None else _point(ctx, d, "day", "relative_to_anchor")


_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def _r_season(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    code = lexicon()["seasons"][(g["s"] or "").lower()]
    rel = " ".join((g.get("rel") or "").lower().split())
    if g.get("y"):
        return _plain("DATE", f"{g['y']}-{code}", "season")
    if rel in ("the past", "the last") or (rel == "past" and not g.get("mod")):
        return Resolution("DURATION", f"P1{code}", "season", False, "absolute")
    if rel == "that":
        if ctx.ref is None:
            return Resolution("DATE", None, "season", False, "anaphoric")
        return Resolution("DATE", f"{ctx.ref.year}-{code}", "season", False, "anaphoric")
    if ctx.anchor is None:
        return _unresolved(gran="season")
    a, start = ctx.anchor, _SEASON_START[code]
    direction = _rel_dir(rel)
    year = a.year - (1 if code == "WI" and a.month <= 2 else 0)
    if (
        direction < 0
        and (start + 3 > a.month or code == "WI")
        and not (code == "WI" and a.month <= 2)
    ):
        year = a.year - 1
    elif direction > 0 and start <= a.month:
        year = a.year + 1
    elif (
        direction == 0
        and not rel.startswith("this")
        and start > a.month + 1
        and not is_future(ctx, c.start, c.end)
    ):
        year = a.year - 1
    return Resolution("DATE", f"{year}-{code}", "season", True, "relative_to_anchor")


_DAY_OFFSETS = {
    "today": 0,
    "tonight": 0,
    "yesterday": -1,
    "tomorrow": 1,
    "the day before yesterday": -2,
    "the day after tomorrow": 2,
}
_MOD_TIMES = {
    "noon": "T12:00",
    "midday": "T12:00",
    "midnight": "T24:00",
    "mid-afternoon": "TAF",
    "midafternoon": "TAF",
    "mid-morning": "TMO",
    "midmorning": "TMO",
}


def _pod_suffix(pod: str | None, mod: str | None) -> str:
    if pod:
        code = lexicon()["parts_of_day"].get(pod.lower().rstrip("s"))
        if pod.lower() in ("noon", "midnight"):
            return _MOD_TIMES[pod.lower()]
        if code:
            return "T" + code
    return _MOD_TIMES.get((mod or "").lower(), "")


def _r_today(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    w = " ".join((g["w"] or "").lower().split())
    suffix = _pod_suffix(g.get("pod"), g.get("mod")) or ("TNI" if w == "tonight" else "")
    if ctx.anchor is None:
        return _unresolved("TIME" if suffix else "DATE", "day")
    d = ctx.anchor + dt.timedelta(days=_DAY_OFFSETS[w])
    return _point(ctx, d, "day", "relative_to_anchor", "TIME" if suffix else "DATE", suffix)


def _r_weekday(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    wd = int(lexicon()["weekdays"][(g["wd"] or "").lower()])
    rel = " ".join((g.get("rel") or "").lower().split())
    suffix = _pod_suffix(g.get("pod"), g.get("mod"))
    if rel in ("each", "every") or g.get("pl") or (g.get("pod") or "").lower() == "nights":
        return _plain("SET", f"XXXX-WXX-{wd + 1}{suffix}")
    type_ = "TIME" if suffix else "DATE"
    if rel in ("the previous", "the following"):
        if ctx.ref is None or ctx.ref_gran != "day":
            return Resolution(type_, None, "day", False, "anaphoric")
        d = weekday_date(ctx.ref, wd, -2 if rel == "the previous" else 2)
        return _point(ctx, d, "day", "anaphoric", type_, suffix)
    if ctx.anchor is None:
        return _unresolved(type_, "day")
    direction = _rel_dir(rel) * 2
    if direction == 0:
        direction = 1 if is_future(ctx, c.start, c.end) else -1
    return _point(
        ctx, weekday_date(ctx.anchor, wd, direction), "day", "relative_to_anchor", type_, suffix
    )


def _hour24(h: int, ampm: str | None) -> int:
    if ampm and ampm.lower().startswith("p") and h < 12:
        return h + 12
    if ampm and ampm.lower().startswith("a") and h == 12:
        return 0
    return h


def _r_clock(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    hour = _hour24(int(g["h"] or 0), g.get("ampm"))
    day = None
    if g.get("mon") and g.get("d"):
        md = _r_md(ctx, c, {"mon": g["mon"], "d": g["d"]})
        if md is None or md.value is None:
            return md
        day = dt.date.fromisoformat(md.value)
    return _clock(ctx, c, hour, int(g.get("mi") or 0), g.get("day"), day)


def _r_named(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    hour = 24 if (g["w"] or "").lower() == "midnight" else 12
    return _clock(ctx, c, hour, 0, g.get("day"))


def _r_oclock(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    raw = (g["h"] or "").lower()
    hour = int(raw) if raw.isdigit() else int(lexicon()["numbers"][raw])
    if hour > 12:
        return None
    pod = (g.get("pod") or "").lower()
    return _clock(
        ctx,
        c,
        _hour24(hour, "pm" if pod in ("afternoon", "evening") else "am" if pod else None),
        0,
        None,
    )


_UNIT_CODE = {
    "period": "Q",
    "week": "W",
    "weekend": "WE",
    "month": "M",
    "year": "Y",
    "quarter": "Q",
    "decade": "DE",
    "century": "CE",
    "day": "D",
}
_POD_UNITS = {"morning": "TMO", "afternoon": "TAF", "evening": "TEV", "night": "TNI"}


def _shift_point(
    ctx: Context, base: dt.date, unit: str, n: int, how: str, suffix: str = ""
) -> Resolution:
    gran = UNIT_GRANULARITY.get(unit, "day")
    try:
        d = shift(base, unit, n)
    except (ValueError, OverflowError):  # "25 centuries ago": before year 1, no calendar date
        return Resolution("DATE", None, gran, False, "unresolved")
    if gran in ("decade", "century"):
        return Resolution("DATE", fmt_date(d, gran), gran, how == "relative_to_anchor", how)
    return _point(ctx, d, gran, how, "TIME" if suffix else "DATE", suffix)


def _r_this(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    rel = " ".join((g["rel"] or "").lower().split())
    unit_word = (g["unit"] or "").lower()
    suffix = _POD_UNITS.get(unit_word, "")
    unit = "D" if suffix else _UNIT_CODE[unit_word]
    direction = _rel_dir(rel)
    if rel in ("the past", "past") and not suffix:
        return Resolution(
            "DURATION", duration_value(1, unit), UNIT_GRANULARITY[unit], False, "absolute"
        )
    if (
        rel in ("the following", "the previous", "the prior", "that", "the same")
        or (rel == "the next" and unit in ("D", "WE"))
        or (rel == "the" and unit == "D" and ctx.ref_gran == "day")
    ):
        if ctx.ref is None or _FINE.get(ctx.ref_gran or "", 9) > _FINE[UNIT_GRANULARITY[unit]]:
            return Resolution(
                "TIME" if suffix else "DATE", None, UNIT_GRANULARITY[unit], False, "anaphoric"
            )
        n = 0 if rel in ("that", "the same", "the") else direction
        return _shift_point(ctx, ctx.ref, unit, n, "anaphoric", suffix)
    if ctx.anchor is None:
        return _unresolved("TIME" if suffix else "DATE", UNIT_GRANULARITY[unit])
    if suffix:
        n = (
            -1
            if rel == "last" and unit_word == "night"
            else max(direction, 0)
            if rel != "the"
            else 0
        )
        return _shift_point(ctx, ctx.anchor, "D", n, "relative_to_anchor", suffix)
    if unit == "Q" and rel in ("the", "the latest", "the most recent"):
        if ctx.ref is not None and ctx.ref_gran == "quarter":
            return _shift_point(ctx, ctx.ref, "Q", 0, "anaphoric")
        return _shift_point(ctx, ctx.anchor, "Q", -1, "relative_to_anchor")
    if unit == "WE" and direction == 0 and not is_future(ctx, c.start, c.end):
        return _shift_point(
            ctx,
            ctx.anchor - dt.timedelta(days=ctx.anchor.weekday() + 1),
            "WE",
            0,
            "relative_to_anchor",
        )
    return _shift_point(ctx, ctx.anchor, unit, direction, "relative_to_anchor")


def _r_anaph(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    w = " ".join((g["w"] or "").lower().split())
    if ctx.ref is None or ctx.ref_gran not in ("day", "time"):
        return Resolution("DATE", None, "day", False, "anaphoric")
    if w in ("the day before", "the night before"):
        return _point(
            ctx,
            ctx.ref - dt.timedelta(days=1),
            "day",
            "anaphoric",
            "TIME" if "night" in w else "DATE",
            "TNI" if "night" in w else "",
        )
    if w == "the day after":
        return _point(ctx, ctx.ref + dt.timedelta(days=1), "day", "anaphoric")
    return _point(ctx, ctx.ref, "day", "anaphoric")


def _unit_of(word: str) -> str | None:
    code: str | None = lexicon()["units"].get(" ".join(word.lower().split()))
    return code


def _r_set(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    u = g["u"] or ""
    lex = lexicon()
    low = u.lower().rstrip(".")
    if low in lex["weekdays"]:
        return _plain("SET", f"XXXX-WXX-{lex['weekdays'][low] + 1}")
    if low in lex["months"]:
        return _plain("SET", f"XXXX-{lex['months'][low]:02d}")
    if low in lex["seasons"]:
        return _plain("SET", f"XXXX-{lex['seasons'][low]}")
    if low in _POD_UNITS:
        return _plain("SET", f"XXXX-XX-XX{_POD_UNITS[low]}")
    unit = _unit_of(u)
    if unit is None:
        return None
    count = g.get("n")
    n = parse_number(count) if count else 1
    return _plain("SET", duration_value(n, unit), UNIT_GRANULARITY.get(unit))


def _r_setw(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    return _plain("SET", lexicon()["sets"][(g["w"] or "").lower()])


def _r_times(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    unit = _unit_of(g["u"] or "")
    return (
        None if unit is None else _plain("SET", duration_value(1, unit), UNIT_GRANULARITY.get(unit))
    )


def _r_duration(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    unit = _unit_of(g["unit"] or "")
    if unit is None:
        return None
    raw_n = (g["n"] or "").lower()
    n = parse_number(raw_n)
    if n is not None and n > 10000:
        return None
    direction = " ".join((g.get("dir") or "").lower().split())
    gran = UNIT_GRANULARITY.get(unit)
    if (
        raw_n in ("a", "an")
        and not g.get("mods")
        and not direction
        and _SET_CONTEXT.search(ctx.text, max(0, c.start - 20), c.start)
    ):
        return _plain("SET", duration_value(1, unit), gran)
    if direction in ("ago", "or so ago", "or so", "from now", "hence") and direction != "or so":
        sign = 1 if direction in ("from now", "hence") else -1
        if ctx.anchor is None:
            return _unresolved(gran=gran)
        if n is None:
            ref = "FUTURE_REF" if sign > 0 else "PAST_REF"
            return Resolution("DATE", ref, None, False, "absolute")
        if unit == "Y" and n == 1 and sign < 0:
            return _year_earlier(ctx, None)
        if unit in ("H", "MIN", "S"):
            return _point(ctx, ctx.anchor, "day", "relative_to_anchor")
        return _shift_point(ctx, ctx.anchor, unit, sign * int(n), "relative_to_anchor")
    if direction in ("earlier", "later", "before that", "after that", "previously"):
        sign = 1 if direction in ("later", "after that") else -1
        if n is None or unit in ("H", "MIN", "S"):
            return Resolution("DATE", None, gran, False, "anaphoric")
        if (
            unit == "Y"
            and n == 1
            and sign < 0
            and ctx.anchor is not None
            and ctx.ref_gran in (None, "quarter")
        ):
            return _year_earlier(ctx, None)
        ref_gran = ctx.ref_gran or "century"
        if ctx.ref is None or _FINE.get(ref_gran, 9) > _FINE.get(gran or "day", 1):
            return Resolution("DATE", None, gran, False, "anaphoric")
        try:
            d = shift(ctx.ref, unit, sign * int(n))
        except (ValueError, OverflowError):  # beyond the calendar's years 1-9999
            return Resolution("DATE", None, gran, False, "unresolved")
        fine = (
            ref_gran
            if _FINE.get(ref_gran, 9) < _FINE.get(gran or "day", 1)
            and ref_gran in ("day", "month", "quarter")
            else gran or "day"
        )
        return _point(ctx, d, fine, "anaphoric")
    return Resolution("DURATION", duration_value(n, unit), gran, False, "absolute")


def _r_bare(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    unit = _unit_of(g.get("unit") or g.get("unit2") or "")
    return (
        None
        if unit is None
        else Resolution(
            "DURATION", duration_value(None, unit), UNIT_GRANULARITY.get(unit), False, "absolute"
        )
    )


def _r_ref(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    value = lexicon()["refs"][" ".join((g["r"] or "").lower().split())]
    return Resolution("DATE", value, None, False, "absolute")


def _r_wordyear(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    if g.get("c2"):
        return _point(ctx, dt.date(2000, 1, 1), "year", "absolute")
    rest = parse_number(g["r"] or "") or 0
    base = 1900 if (g["c"] or "").lower() == "nineteen" else 2000
    if base == 1900 and rest < 10:
        return None  # "nineteen five" is a count, not a year
    return _point(ctx, dt.date(base + int(rest), 1, 1), "year", "absolute")


def _r_yearend(ctx: Context, c: Candidate, g: dict[str, str | None]) -> Resolution | None:
    if ctx.anchor is None:
        return _unresolved(gran="year")
    return _point(ctx, ctx.anchor, "year", "relative_to_anchor")


_RESOLVERS = {
    "wordyear": _r_wordyear,
    "yearend": _r_yearend,
    "iso": _r_iso,
    "slash": _r_slash,
    "mdy": _r_md,
    "dmy": _r_md,
    "quarter": _r_quarter,
    "qcode": _r_qcode,
    "yearago": _r_yearago,
    "sameper": _r_yearago,
    "month": _r_month,
    "decade": _r_decade,
    "century": _r_century,
    "year": _r_year,
    "holiday": _r_holiday,
    "season": _r_season,
    "today": _r_today,
    "weekday": _r_weekday,
    "clock": _r_clock,
    "clock24": _r_clock,
    "named": _r_named,
    "oclock": _r_oclock,
    "this": _r_this,
    "anaph": _r_anaph,
    "set": _r_set,
    "setw": _r_setw,
    "times": _r_times,
    "duration": _r_duration,
    "bare": _r_bare,
    "ref": _r_ref,
}


def resolve(c: Candidate, ctx: Context) -> Resolution | None:
    """Normalise one selected candidate; ``None`` drops it (e.g. "February 30")."""
    g = c.match.groupdict()
    if c.start < c.match.start():
        g["mod"] = g["mods"] = ctx.text[c.start : c.match.start()].strip()
    return _RESOLVERS[c.rule](ctx, c, g)
