"""Stable span identities for statements: what an analyst correction is keyed to.

A statement row id is a hash of its offsets, and offsets move: a new extractor draws a
content span a word longer, a reader fix changes the text before it. A correction must still
find "its" statement, so it is keyed to the span (document id, content span, cue span) *and*
remembers the text of both spans; finding it again goes from the exact offsets, to the same
text found nearest the old place, to the statement whose content overlaps it most. Pure
functions: the caller reads rows and document text and writes the results.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# A fuzzy match must cover at least this share of the union of the two content spans:
# below it, "the statement next door" would inherit a correction meant for another.
MIN_OVERLAP = 0.5
_KEY = re.compile(r"^(?P<doc>[^:|\s]+):(?P<cs>\d+)-(?P<ce>\d+):(?:(?P<qs>\d+)-(?P<qe>\d+)|-)$")


@dataclass(frozen=True)
class SpanKey:
    """`doc:start-end:cue_start-cue_end` (`:-` without a cue): readable in a history line and
    free of `|`, which separates a statement key from a proposition in a link target."""

    doc_id: str
    content: tuple[int, int]
    cue: tuple[int, int] | None = None

    def __str__(self) -> str:
        cue = f"{self.cue[0]}-{self.cue[1]}" if self.cue else "-"
        return f"{self.doc_id}:{self.content[0]}-{self.content[1]}:{cue}"

    @classmethod
    def parse(cls, text: str) -> SpanKey | None:
        found = _KEY.match(text)
        if found is None:
            return None
        cue = (int(found["qs"]), int(found["qe"])) if found["qs"] is not None else None
        return cls(found["doc"], (int(found["cs"]), int(found["ce"])), cue)


@dataclass(frozen=True)
class Anchor:
    """A span key with the text it covered when the correction was made."""

    key: SpanKey
    content_text: str
    cue_text: str | None = None


@dataclass(frozen=True)
class Candidate:
    """A statement of the same document as it is stored now."""

    statement_id: str
    content: tuple[int, int]
    cue: tuple[int, int] | None
    cue_text: str | None = None


def relocate(text: str, span: tuple[int, int], expected: str) -> tuple[int, int] | None:
    """Where `expected` is in `text` now: at the old offsets if it is still there, else the
    occurrence nearest the old start; None when the text no longer holds it."""
    start, end = span
    if text[start:end] == expected:
        return span
    if not expected:
        return None
    best: tuple[int, int] | None = None
    at = text.find(expected)
    while at != -1:
        if best is None or abs(at - start) < abs(best[0] - start):
            best = (at, at + len(expected))
        at = text.find(expected, at + 1)
    return best


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if inter > 0 and union > 0 else 0.0


def find(anchor: Anchor, text: str, candidates: Sequence[Candidate]) -> str | None:
    """The statement id the anchor points at now, or None when no statement fits."""
    for c in candidates:
        if c.content == anchor.key.content and c.cue == anchor.key.cue:
            return c.statement_id
    content = relocate(text, anchor.key.content, anchor.content_text)
    cue = None
    if anchor.key.cue is not None and anchor.cue_text is not None:
        cue = relocate(text, anchor.key.cue, anchor.cue_text)
    if content is None:
        return None
    for c in candidates:
        if c.content == content and (anchor.key.cue is None or c.cue == cue):
            return c.statement_id
    best, best_score = None, MIN_OVERLAP
    for c in candidates:
        score = _overlap(c.content, content)
        if anchor.cue_text and c.cue_text is not None \
                and c.cue_text.lower() != anchor.cue_text.lower():
            score -= 0.25  # another verb of saying: more likely another statement
        if score >= best_score:
            best, best_score = c.statement_id, score
    return best


def moved(anchor: Anchor, text: str) -> tuple[tuple[int, int], tuple[int, int] | None] | None:
    """The content and cue spans of an analyst's own statement in the document's text now
    (None when its content is gone): analyst statements are re-placed, never fuzzily matched."""
    content = relocate(text, anchor.key.content, anchor.content_text)
    if content is None:
        return None
    cue = None
    if anchor.key.cue is not None:
        cue = relocate(text, anchor.key.cue, anchor.cue_text or "")
        if cue is None:
            return None
    return content, cue
