"""Pure scoring functions for the PolNeAR attribution benchmark (``bench/polnear.py``).

Why a separate module: the metric definitions are the contract the extractor is tuned
against, so they must be unit-testable on made-up strings without touching the
(copyrighted, not redistributable) benchmark texts. Nothing here does I/O.

Definitions (all offsets are Python ``str`` character offsets into the article text):

* Every span, gold and predicted, is first **trimmed of surrounding whitespace**; spans that
  are empty after trimming are dropped. A handful of gold spans carry a stray leading or
  trailing newline, and a predictor should not lose an exact match over it.
* Spans are **per piece**. A discontinuous gold content (a quote split by its cue) is several
  gold spans, and a predicted statement contributes each of its ``content_parts`` as a span.
* **Exact span** P/R/F1 per role: a predicted span is correct if its trimmed ``(start, end)``
  equals a gold span of that role. Matching is multiset matching, so each gold span is
  credited at most once and a duplicated prediction counts as one hit plus one false positive.
* **Token overlap** P/R/F1 per role: tokens are ``\\w+|[^\\w\\s]`` matches over the text. Per
  document, P is the set of token positions touched (any character overlap) by the role's
  predicted spans and G the same for gold; hits = |P ∩ G|, precision = hits / |P|,
  recall = hits / |G|, summed over the corpus (micro average).
* **Statement level**: a predicted statement matches a gold attribution when (1) its cue
  overlaps the gold cue by at least one character, (2) its source overlaps one of the gold
  sources, or both are absent (no predicted source and a gold attribution flagged
  ``no_source`` or without source spans), and (3) content overlap >= 0.5, where content
  overlap = |pred ∩ gold content tokens| / |gold content tokens|, over all content parts
  (recall-oriented: it asks "did we recover at least half of what was attributed"). Pairs
  are matched one-to-one, greedily, best content overlap first. A gold attribution with no
  cue, no source and no content (an empty relation left by an annotator) is not counted.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

TOKEN_RE = re.compile(r"\w+|[^\w\s]")
ROLES: tuple[str, ...] = ("source", "cue", "content")
STATEMENT_THRESHOLD = 0.5

Offsets = tuple[int, int]


@dataclass(frozen=True)
class Attribution:
    """One attribution, gold or predicted, reduced to offsets.

    Gold can have several sources (rare) and several content pieces; a prediction has at most
    one source. ``no_source`` records the gold "no overt source" flag; for predictions it is
    simply "source is None".
    """

    cue: Offsets | None
    sources: tuple[Offsets, ...] = ()
    contents: tuple[Offsets, ...] = ()
    no_source: bool = False

    def spans(self, role: str) -> tuple[Offsets, ...]:
        """The spans this attribution contributes to ``role`` (one entry per piece)."""
        if role == "cue":
            return (self.cue,) if self.cue is not None else ()
        if role == "source":
            return self.sources
        if role == "content":
            return self.contents
        raise ValueError(f"unknown role {role!r}")

    def is_empty(self) -> bool:
        """True for relations with no span at all; they cannot be matched by anything."""
        return self.cue is None and not self.sources and not self.contents


def trim(text: str, start: int, end: int) -> Offsets | None:
    """Offsets of ``text[start:end]`` without surrounding whitespace; None if nothing is left."""
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def trim_attribution(text: str, attr: Attribution) -> Attribution:
    """Trim every span of ``attr`` (see :func:`trim`), dropping spans that become empty."""

    def many(spans: Iterable[Offsets]) -> tuple[Offsets, ...]:
        out = (trim(text, s, e) for s, e in spans)
        return tuple(o for o in out if o is not None)

    cue = trim(text, *attr.cue) if attr.cue is not None else None
    return Attribution(cue, many(attr.sources), many(attr.contents), attr.no_source)


def overlaps(a: Offsets, b: Offsets) -> bool:
    """Any shared character between two half-open spans."""
    return a[0] < b[1] and b[0] < a[1]


class Tokens:
    """Token offsets of one text, with fast lookup of the tokens a span touches."""

    def __init__(self, text: str) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in TOKEN_RE.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())

    def __len__(self) -> int:
        return len(self.starts)

    def covered(self, spans: Iterable[Offsets]) -> set[int]:
        """Indices of tokens sharing at least one character with any of ``spans``."""
        out: set[int] = set()
        for s, e in spans:
            i = bisect.bisect_right(self.ends, s)  # first token ending after s
            while i < len(self.starts) and self.starts[i] < e:
                out.add(i)
                i += 1
        return out


@dataclass
class Tally:
    """hit / pred / gold counts; the same shape serves exact, token and statement scores."""

    hit: int = 0
    pred: int = 0
    gold: int = 0

    def add(self, other: Tally) -> None:
        self.hit += other.hit
        self.pred += other.pred
        self.gold += other.gold

    @property
    def precision(self) -> float:
        return self.hit / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.hit / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def figures(self) -> dict[str, float | int]:
        return {"hit": self.hit, "pred": self.pred, "gold": self.gold,
                "p": self.precision, "r": self.recall, "f1": self.f1}


def exact_match(pred: Sequence[Offsets], gold: Sequence[Offsets]
                ) -> tuple[Tally, list[Offsets], list[Offsets]]:
    """Multiset exact matching; returns the tally, unmatched predictions and unmatched gold."""
    left = Counter(gold)
    spurious: list[Offsets] = []
    hit = 0
    for p in pred:
        if left[p] > 0:
            left[p] -= 1
            hit += 1
        else:
            spurious.append(p)
    missed: list[Offsets] = []
    for g in gold:  # keep document order for error listings
        if left[g] > 0:
            left[g] -= 1
            missed.append(g)
    return Tally(hit, len(pred), len(gold)), spurious, missed


def token_overlap(tokens: Tokens, pred: Iterable[Offsets], gold: Iterable[Offsets]) -> Tally:
    """Token-position overlap between the union of predicted and of gold spans (one role)."""
    p, g = tokens.covered(pred), tokens.covered(gold)
    return Tally(len(p & g), len(p), len(g))


def content_overlap(tokens: Tokens, pred: Iterable[Offsets], gold: Iterable[Offsets]) -> float:
    """|pred ∩ gold| / |gold| content tokens; an empty gold content matches only emptiness."""
    g = tokens.covered(gold)
    p = tokens.covered(pred)
    if not g:
        return 0.0 if p else 1.0
    return len(p & g) / len(g)


def statement_score(tokens: Tokens, pred: Attribution, gold: Attribution,
                    threshold: float = STATEMENT_THRESHOLD) -> float | None:
    """Content overlap if ``pred`` matches ``gold`` at statement level, else None."""
    if pred.cue is None or gold.cue is None or not overlaps(pred.cue, gold.cue):
        return None
    if pred.sources:
        if not any(overlaps(ps, gs) for ps in pred.sources for gs in gold.sources):
            return None
    elif gold.sources and not gold.no_source:
        return None
    score = content_overlap(tokens, pred.contents, gold.contents)
    return score if score >= threshold else None


def match_statements(tokens: Tokens, preds: Sequence[Attribution], golds: Sequence[Attribution],
                     threshold: float = STATEMENT_THRESHOLD) -> list[tuple[int, int]]:
    """One-to-one greedy matching, best content overlap first; returns (pred, gold) indices."""
    candidates: list[tuple[float, int, int]] = []
    for pi, p in enumerate(preds):
        for gi, g in enumerate(golds):
            if p.cue is not None and g.cue is not None and not overlaps(p.cue, g.cue):
                continue  # cheap reject before touching tokens
            score = statement_score(tokens, p, g, threshold)
            if score is not None:
                candidates.append((score, pi, gi))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, pi, gi in candidates:
        if pi not in used_p and gi not in used_g:
            used_p.add(pi)
            used_g.add(gi)
            pairs.append((pi, gi))
    return sorted(pairs)


@dataclass
class DocScore:
    """Everything one (document, annotation) pair contributes, plus what went wrong."""

    exact: dict[str, Tally]
    overlap: dict[str, Tally]
    statement: Tally
    spurious: dict[str, list[Offsets]]
    missed: dict[str, list[Offsets]]
    unmatched_preds: list[Attribution] = field(default_factory=list)
    unmatched_golds: list[Attribution] = field(default_factory=list)


def score_document(text: str, preds: Sequence[Attribution], golds: Sequence[Attribution],
                   tokens: Tokens | None = None) -> DocScore:
    """Score one document's predictions against one annotator's gold attributions."""
    tokens = tokens if tokens is not None else Tokens(text)
    preds = [trim_attribution(text, a) for a in preds]
    golds = [g for g in (trim_attribution(text, a) for a in golds) if not g.is_empty()]
    exact: dict[str, Tally] = {}
    overlap: dict[str, Tally] = {}
    spurious: dict[str, list[Offsets]] = {}
    missed: dict[str, list[Offsets]] = {}
    for role in ROLES:
        p = [s for a in preds for s in a.spans(role)]
        g = [s for a in golds for s in a.spans(role)]
        exact[role], spurious[role], missed[role] = exact_match(p, g)
        overlap[role] = token_overlap(tokens, p, g)
    pairs = match_statements(tokens, preds, golds)
    matched_p = {pi for pi, _ in pairs}
    matched_g = {gi for _, gi in pairs}
    return DocScore(
        exact, overlap, Tally(len(pairs), len(preds), len(golds)), spurious, missed,
        [a for i, a in enumerate(preds) if i not in matched_p],
        [a for i, a in enumerate(golds) if i not in matched_g],
    )


@dataclass
class Scores:
    """Corpus-level micro sums of :class:`DocScore` tallies."""

    exact: dict[str, Tally] = field(default_factory=lambda: {r: Tally() for r in ROLES})
    overlap: dict[str, Tally] = field(default_factory=lambda: {r: Tally() for r in ROLES})
    statement: Tally = field(default_factory=Tally)
    documents: int = 0

    def add(self, doc: DocScore) -> None:
        for role in ROLES:
            self.exact[role].add(doc.exact[role])
            self.overlap[role].add(doc.overlap[role])
        self.statement.add(doc.statement)
        self.documents += 1

    def figures(self) -> dict[str, object]:
        return {
            "documents": self.documents,
            "exact": {r: t.figures() for r, t in self.exact.items()},
            "overlap": {r: t.figures() for r, t in self.overlap.items()},
            "statement": self.statement.figures(),
        }
