"""Per-statement finishing: stance and hedges, said_on vs. event dates, evidence mentions.

Dates are looked up by offset (`bisect` into the document's sorted time expressions), never
by filtering every time expression of the line: a 30 MB text on one line has one line, and
that filter made extraction quadratic. The line a statement sits on is searched for at most
`LINE_REACH` characters either side of its content; real paragraphs are far shorter (the
longest line in our corpora is ≈ 2,600 characters), so only text without line breaks sees
the bound.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from datetime import date

from corroborate.extract.evidence import find_evidence
from corroborate.extract.evolve import evolve
from corroborate.extract.stance import judge
from corroborate.extract.timex import TimeExpression
from corroborate.extract.transcript import label_stance, label_stance_words
from corroborate.model import Statement, TimeRef, said_on_granularity_from

LINE_REACH = 5000
_DATED = ("DATE", "TIME")
_WORD = re.compile(r"[\w'’-]+")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_WEEK = re.compile(r"^\d{4}-W\d{2}$")
_WEEKEND = re.compile(r"^\d{4}-W\d{2}-WE$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_SCARE = re.compile(r"[“\"]\w[\w' -]{0,30}[”\"]")


class TimeIndex:
    """The document's time expressions (disjoint, in text order), indexed by start."""

    def __init__(self, times: list[TimeExpression]) -> None:
        self.times = times
        self.starts = [t.start for t in times]
        self.dated = [i for i, t in enumerate(times) if t.type in _DATED]
        self.dated_starts = [times[i].start for i in self.dated]
        self.longest = max((t.end - t.start for t in times), default=0)


def _words(text: str, start: int, end: int) -> list[str]:
    """The lower-cased words of `text[start:end]`. ASCII text is lowered before the words
    are found, in one call (lowering ASCII maps letters to letters one for one, so the words
    are the same; other text can change length or word characters when lowered)."""
    part = text[start:end]
    if part.isascii():
        return _WORD.findall(part.lower())
    words = _WORD.findall(part)
    # Each word lowered by itself, in C: the words hold no space and lowering makes none,
    # and a space is neither cased nor case-ignorable, so it bounds the context that
    # lowering reads (final sigma) exactly as the word's own ends do.
    return " ".join(words).lower().split(" ") if words else words


def _may_scare(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` holds a mark that opens a `_SCARE` match (`“` or `"`):
    two `str.find` calls, where running the pattern over every content was a few per cent
    of extraction (speed only; without such a mark the pattern finds nothing)."""
    return text.find("“", start, end) != -1 or text.find('"', start, end) != -1


def _has_trigger(triggers: list[int], start: int, end: int) -> bool:
    at = bisect_left(triggers, start)
    return at < len(triggers) and triggers[at] < end


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The line around `[start, end)`, reaching at most LINE_REACH characters out."""
    lo = max(0, start - LINE_REACH)
    nl = text.rfind("\n", lo, start)
    line_start = nl + 1 if nl != -1 else lo
    hi = min(len(text), end + LINE_REACH)
    nl = text.find("\n", end, hi)
    return line_start, nl if nl != -1 else hi


def _in_content(index: TimeIndex, st: Statement, line: tuple[int, int]) -> list[int]:
    """Indices of the time expressions on the statement's line inside a content part."""
    found: set[int] = set()
    for p in st.content_parts or (st.content,):
        lo = bisect_left(index.starts, max(p.start, line[0]))
        hi = bisect_right(index.starts, min(p.end, line[1]))
        found.update(i for i in range(lo, hi) if index.times[i].end <= p.end)
    return sorted(found)


def _said_on_candidate(index: TimeIndex, st: Statement, line: tuple[int, int],
                       inside: set[int]) -> TimeExpression | None:
    """The dated expression nearest the cue among those in the clause of the cue.

    In that clause means within 40 characters of the cue or source (`said on Oct. 18`,
    `Rutte on Tuesday told`), or anywhere on the line before both the content and the
    cue (`On Monday, Rutte said`). Of the second kind only the last one can be nearest the
    cue, so it is found by bisection; the first kind sits in a short stretch around the
    anchors. Ties go to the earlier expression.
    """
    assert st.cue is not None
    anchors = [st.cue.start, st.cue.end] + ([st.source.start, st.source.end] if st.source
                                            else [])
    first_anchor = min(anchors)
    times, dated, starts = index.times, index.dated, index.dated_starts
    line_start, line_end = line
    candidates: list[int] = []
    lo = bisect_left(starts, max(line_start, first_anchor - 40 - index.longest))
    hi = bisect_right(starts, min(line_end, max(anchors) + 40))
    for k in range(lo, hi):
        t = times[dated[k]]
        if t.end <= line_end and dated[k] not in inside and _clause_of_cue(st, t, anchors):
            candidates.append(dated[k])
    k = bisect_left(starts, min(first_anchor, st.content.start)) - 1
    while k >= 0 and starts[k] >= line_start:
        t = times[dated[k]]
        if t.end <= st.content.start:
            candidates.append(dated[k])
            break
        k -= 1
    if not candidates:
        return None
    cue_start = st.cue.start
    best = min(candidates, key=lambda i: (abs(times[i].start - cue_start), i))
    return times[best]


def finish(text: str, st: Statement, index: TimeIndex, anchor: date | None,
           kind: str | None, triggers: list[int]) -> Statement:
    """Stance, hedges, said_on, event dates and evidence of one statement."""
    parts = st.content_parts or (st.content,)
    if st.kind == "label":  # a turn's first clause decides its stance (transcript.py)
        content_words = label_stance_words(st.content.text)
    else:
        content_words = [w for p in parts for w in _words(text, p.start, p.end)]
    cue_words = _words(text, st.cue.start, st.cue.end) if st.cue else []
    line = _line_bounds(text, st.content.start, st.content.end)
    tail = text[st.content.end:st.content.end + 3]
    question = "?" in tail or st.content.text.rstrip("”\"' ").endswith("?")
    scare = [m.group() for p in parts if st.kind != "direct" and _may_scare(text, p.start, p.end)
             for m in _SCARE.finditer(text, p.start, p.end)]
    stance, hedges = judge(st.cue_class, cue_words, content_words, question, scare)
    turn_stance = label_stance(st.content.text) \
        if st.kind == "label" and st.cue_class != "ask" else None
    if turn_stance is not None and stance != turn_stance and (turn_stance == "deny"
                                                              or stance == "affirm"):
        stance, hedges = turn_stance, (*hedges, f"turn's first clause: {turn_stance}")
    in_content = _in_content(index, st, line)
    # A transcript turn is said on the transcript's date, whatever dates it mentions.
    own_turn = st.kind == "label" and kind == "transcript"
    best = _said_on_candidate(index, st, line, set(in_content)) \
        if st.cue is not None and not own_turn else None
    said_on = said_how = granularity = None
    if best is not None:
        day = _first_day(best.value, best.granularity)
        if day is not None:
            said_on, granularity = day, best.granularity
            said_how = f"{best.how}: {best.text}" if best.granularity == "day" else \
                f"{best.how} ({best.granularity}, first day): {best.text}"
        else:
            said_how = f"unresolved: {best.text}"
    elif st.kind == "label" and kind == "transcript" and anchor is not None:
        said_on, said_how, granularity = anchor.isoformat(), "transcript date", "day"
    event_dates = tuple(TimeRef(t.start, t.end, t.text, t.value, t.granularity, t.how)
                        for t in (index.times[i] for i in in_content) if t.type in _DATED)
    evidence = tuple(e for p in parts if _has_trigger(triggers, p.start, p.end)
                     for e in find_evidence(text, p.start, p.end))
    return evolve(st, stance=stance, hedges=hedges, said_on=said_on, said_on_how=said_how,
                   said_on_granularity=granularity, event_dates=event_dates, evidence=evidence)


def inherit_said_on(statements: list[Statement],
                    last_by_source: dict[str, tuple[str, str | None]] | None = None
                    ) -> list[Statement]:
    """A source quoted again later in the story without a date of its own (`he added`) is
    still speaking on the occasion the story dated: inherit that date, and say so.

    One dictionary entry per source name, updated as the story goes: a constant-time look-up
    per statement, not a scan back over earlier ones. Pass the same dictionary for each
    piece of a long document.
    """
    last_by_source = {} if last_by_source is None else last_by_source
    out = []
    for st in statements:
        key = (st.source.name or st.source.text).lower() if st.source else None
        if key and st.said_on is None and st.said_on_how is None and key in last_by_source \
                and st.kind != "label":
            day, how = last_by_source[key]
            st = evolve(st, said_on=day, said_on_how=f"inherited ({how})",
                         said_on_granularity=said_on_granularity_from(day, how))
        if key and st.said_on:
            last_by_source[key] = (st.said_on, st.said_on_how)
        out.append(st)
    return out


def _first_day(value: str | None, granularity: str | None) -> str | None:
    """A said_on date for a TIMEX3 value: the day itself, or the first day of a week, month or
    weekend (its Saturday); the granularity travels beside it, so the first day is never read
    as the day it was said."""
    if not value:
        return None
    try:
        if granularity == "day" and _DAY.match(value):
            return value[:10]
        if granularity == "week" and _WEEK.match(value):
            return date.fromisocalendar(int(value[:4]), int(value[6:8]), 1).isoformat()
        if granularity == "weekend" and _WEEKEND.match(value):
            return date.fromisocalendar(int(value[:4]), int(value[6:8]), 6).isoformat()
        if granularity == "month" and _MONTH.match(value):
            return f"{value}-01"
    except ValueError:
        return None
    return None


def _clause_of_cue(st: Statement, t: TimeExpression, anchors: list[int]) -> bool:
    """A date belongs to the act of saying when it sits by the cue or the source, outside the
    content: `said on Oct. 18`, `On Monday, Rutte said`, `Rutte on Tuesday told`."""
    distance = min(min(abs(t.start - a), abs(t.end - a)) for a in anchors)
    before_content = t.end <= st.content.start
    return distance <= 40 or (before_content and t.start < min(anchors))
