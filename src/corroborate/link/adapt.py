"""Per-ledger adaptation of the learned linker to the analyst's link corrections
(`corroborate learn`).

Why: a correction fixes the pair it names (the overlay, store/corrections.py), but the
mistake it fixes usually recurs: the same wire copy reprinted in five outlets, the same
spokesman's line quoted in every briefing. Re-fitting the global linker on a story's
corrections did not carry to the pairs nobody corrected (bench/RESULTS.md, "Analyst
corrections"): a few dozen pairs, all near the threshold or all mistakes, distort two
heads fitted on thousands. So adaptation changes as little as it can:

- **neighbours**: an uncorrected statement whose content is close (MiniLM cosine at least
  `cutoff`) to a statement the analyst corrected *for the same proposition* takes the
  analyst's label for it (linked with that stance, or not linked): the nearest corrected
  statement decides. The cut-off is one constant for every ledger, chosen by leave one
  story out on the development stories (`bench/curate_learn.py`), never per story;
- **offsets** (Platt-style): a per-proposition shift of the link head's logit, fitted to the
  accepted vs rejected links of that proposition with a Gaussian prior that keeps it near
  zero when there are few corrections; `bench/curate_learn.py` measures it too.

Everything here is numpy over the arrays the learned linker already computes; `apply_learned`
is the one call `link/run.py` makes, and does nothing unless a `learn` record is in force.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from corroborate.link.propositions import Assignment, Claim, Proposition
    from corroborate.store.ledger import Store

    F64 = NDArray[np.float64]

LABELS = ("none", "affirm", "deny", "uncertain")
# Chosen by leave one story out on the development stories (bench/curate_learn.py,
# bench/RESULTS.md "`corroborate learn`" and "learn-cap"), by the mean gain in link F1 on the
# pairs nobody corrected, both modes, k = 12 / 24 / 48: the neighbour cut-off, the offsets'
# prior and their bound together (learn-cap, five development stories: cut-off 0.75 or
# 0.7, prior 2.0 or 1.0 and a cap of 0.5 in four folds, with flips 4.0 in two; the
# prigozhin fold "rejections only"; on all five 0.75 / 2.0 / cap 0.5, which ship), the
# stance cut-off by the gain in stance accuracy (0.75 in every fold: so a neighbour close
# enough to link gives its stance too; the mechanism stays for a ledger that sets it higher).
CUTOFF = 0.75
OFFSET_L2 = 2.0
STANCE_CUTOFF = 0.75
# The offsets' bound (`bound_offsets`; None: unbounded). Why a bound at all: on a held-out
# story the analyst's added links (missed, so scored low) fitted offsets that linked the
# rest of the proposition too (bench/RESULTS.md, "`corroborate learn`"). A cap of 0.5 logit
# (a link's odds multiplied or divided by e^0.5 = 1.65 at most) beat no bound, "rejections
# only" and "at most f flips per correction" on the development stories' mean gain; the
# flips bound had the best worst row (see RESULTS), the cap the best mean.
OFFSET_CAP: float | None = 0.5
OFFSET_UP: float | None = None
OFFSET_FLIPS: float | None = None
TARGET_KIND = "learned"  # the correction record `learn` writes (curate/curator.py)
TARGET = "link"


@dataclass(frozen=True)
class Example:
    """One corrected pair as adaptation sees it: indexes into the claims and propositions."""

    claim: int
    proposition: int
    label: str  # one of LABELS


def neighbours(content: F64, examples: Sequence[Example], cutoff: float = CUTOFF
               ) -> dict[tuple[int, int], tuple[str, float]]:
    """(claim, proposition) -> (label, cosine) for every claim that is not itself corrected
    for that proposition and whose nearest corrected statement for it is at least `cutoff`
    close. `content` holds unit rows, one per claim."""
    import numpy as np

    by_prop: dict[int, list[Example]] = defaultdict(list)
    for e in examples:
        by_prop[e.proposition].append(e)
    out: dict[tuple[int, int], tuple[str, float]] = {}
    for m, group in by_prop.items():
        rows = [e.claim for e in group]
        sims = content @ content[rows].T
        best = sims.argmax(axis=1)
        top = sims[np.arange(len(sims)), best]
        corrected = set(rows)
        for n in np.nonzero(top >= cutoff)[0].tolist():
            if n not in corrected:
                out[(n, m)] = (group[int(best[n])].label, float(top[n]))
    return out


def offsets(logits: F64, linked: Sequence[bool], propositions: Sequence[int],
            l2: float = OFFSET_L2) -> dict[int, float]:
    """Per proposition, the shift b of the link head's logit that maximises the likelihood of
    the analyst's accepted (linked) and rejected pairs under sigmoid(logit + b), with the
    penalty l2 * b**2 / 2 (a Gaussian prior at zero): one Newton solve per proposition."""
    groups: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for z, y, m in zip(logits.tolist(), linked, propositions, strict=True):
        groups[int(m)].append((float(z), 1.0 if y else 0.0))
    out: dict[int, float] = {}
    for m, rows in groups.items():
        b = 0.0
        for _ in range(30):
            grad, hess = l2 * b, l2
            for z, y in rows:
                p = 1.0 / (1.0 + math.exp(-(z + b)))
                grad += p - y
                hess += p * (1.0 - p)
            step = grad / hess
            b -= step
            if abs(step) < 1e-9:
                break
        out[m] = b
    return out


def bound_offsets(shift: dict[int, float], z: F64, propositions: Sequence[int],
                  corrected: Sequence[bool], threshold: float, cap: float | None = OFFSET_CAP,
                  up: float | None = OFFSET_UP, flips: float | None = OFFSET_FLIPS
                  ) -> dict[int, float]:
    """The offsets held in three ways (each may be None: no bound). `cap`: |b| at most cap
    (in logits). `up`: b at most up (0: an offset only raises a threshold, from rejections;
    added links never lower it). `flips`: b may change the decision of at most `flips`
    uncorrected pairs of its proposition per corrected pair of it: the offset is shrunk
    (towards zero, keeping its sign) to the largest shift that flips no more. Why the last:
    a dozen corrections are evidence about a dozen pairs and their like, not about every
    pair of the proposition; a shift that would flip hundreds of pairs on a dozen
    corrections is the collapse it stops. `z` is the link head's logit of every scored pair,
    `propositions` its proposition, `corrected` whether the analyst corrected it; a pair
    links when sigmoid(z + b) is at least `threshold`. The frame's veto is ignored here, so
    flips are over-counted, never under-counted."""
    import numpy as np

    t = float(logit(np.array([threshold]))[0])
    props = np.asarray(propositions, dtype=int)
    fixed = np.asarray(corrected, dtype=bool)
    out: dict[int, float] = {}
    for m, b in shift.items():
        if cap is not None:
            b = max(-cap, min(cap, b))
        if up is not None:
            b = min(up, b)
        if flips is not None and b != 0.0:
            mine = props == m
            allowed = int(flips * int((mine & fixed).sum()))
            free = z[mine & ~fixed]
            # the gap each pair's logit must cross to flip, in the direction b moves
            gaps = np.sort(t - free[free < t]) if b > 0 else np.sort(free[free >= t] - t)
            if allowed < len(gaps) and abs(b) >= gaps[allowed]:
                b = math.copysign(max(0.0, float(gaps[allowed]) - 1e-9), b)
        out[m] = b
    return out


def logit(p: F64) -> F64:
    import numpy as np

    q = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(q / (1 - q))


def relabel(assignments: Sequence[Assignment], decided: dict[tuple[str, str], tuple[str, float]],
            stance_cutoff: float = STANCE_CUTOFF,
            stance_of: Callable[[list[tuple[str, str]]], dict[tuple[str, str], str]] | None = None,
            ) -> list[Assignment]:
    """The linker's assignments with the propagated labels laid over. A label `none` removes
    the link; a stance links the pair, with the neighbour's stance when the two contents are
    at least `stance_cutoff` close. Below it a pair the linker links keeps its stance, and a
    new one takes `stance_of`'s (the stance head's), else the neighbour's. Why a second
    cut-off: MiniLM puts "X was not blown up" and "X may have been blown up" close together,
    so a neighbour can say *that* a statement bears on a proposition and still be wrong about
    how; measured, the gain in stance accuracy is best with the two cut-offs equal
    (STANCE_CUTOFF), and tests/test_learn.py shows what that choice costs."""
    from corroborate.link.propositions import Assignment

    have = {(a.statement_id, a.proposition_id): a for a in assignments}
    fresh = [pair for pair, (label, score) in decided.items()
             if label != "none" and score < stance_cutoff and pair not in have]
    head = stance_of(fresh) if stance_of and fresh else {}
    out = {pair: a for pair, a in have.items() if pair not in decided}
    for pair, (label, score) in sorted(decided.items()):
        if label == "none":
            continue
        if score < stance_cutoff:
            label = have[pair].stance if pair in have else head.get(pair, label)
        out[pair] = Assignment(*pair, round(score, 3), label)
    return list(out.values())


# ------------------------------------------------------------------------- in the ledger


def learned_state(store: Store) -> dict[str, Any] | None:
    """The newest `learn` record in force (its `after`), or None."""
    from corroborate.store.corrections import CorrectionStore

    rows = CorrectionStore(store.backend).active(TARGET_KIND)
    rows = [r for r in rows if r.target == TARGET and r.after]
    return rows[-1].after if rows else None


def ledger_examples(store: Store, state: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(statement id, proposition id, label) of the link corrections the record names that
    are still in force, each resolved to the statement its span key points at now (so a
    re-extraction keeps them); the latest correction of a pair wins."""
    from corroborate.store.corrections import CorrectionStore

    log = CorrectionStore(store.backend)
    wanted = {int(i) for i in state.get("corrections", [])}
    cache: dict[str, Any] = {}
    latest: dict[tuple[str, str], str] = {}
    for row in log.active("link"):
        if row.id not in wanted:
            continue
        key, _, pid = row.target.rpartition("|")
        sid = log.resolve(key, cache)
        if sid is not None:
            latest[(sid, pid)] = str((row.after or {}).get("stance") or "none")
    return [(s, p, label) for (s, p), label in latest.items()]


def apply_learned(store: Store, propositions: Sequence[Proposition], claims: Sequence[Claim],
                  assignments: list[Assignment], method: str) -> list[Assignment]:
    """The one hook `link/run.py` calls after the learned linker: with a `learn` record in
    force, each corrected proposition's link head is shifted by its offset (links gained or
    lost), then the uncorrected statements near a corrected one take its label. The
    corrected pairs themselves are left to the overlay, which is applied after this."""
    if method != "learned" or not propositions or not claims:
        return assignments
    state = learned_state(store)
    if state is None:
        return assignments
    found = ledger_examples(store, state)
    row_of = {c.statement_id: n for n, c in enumerate(claims)}
    col_of = {p.id: m for m, p in enumerate(propositions)}
    examples = [Example(row_of[s], col_of[p], label) for s, p, label in found
                if s in row_of and p in col_of]
    if not examples:
        return assignments
    from corroborate.link.learned import embed, load_model

    vectors = embed(propositions, claims)
    model = load_model()
    named = {(a.statement_id, a.proposition_id): a for a in assignments}
    if float(state.get("offset_l2", 0.0)) > 0:
        _shift(named, propositions, claims, vectors, model, examples, float(state["offset_l2"]))
    decided = neighbours(vectors.content, examples, float(state.get("cutoff", CUTOFF)))
    index = {(c.statement_id, p.id): (n, m) for n, c in enumerate(claims)
             for m, p in enumerate(propositions) if (n, m) in decided}

    def head(pairs: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
        stances, _ = _stance_head(propositions, claims, model, [index[p] for p in pairs])
        return dict(zip(pairs, stances, strict=True))

    return relabel(list(named.values()),
                   {(claims[n].statement_id, propositions[m].id): v
                    for (n, m), v in decided.items()},
                   float(state.get("stance_cutoff", STANCE_CUTOFF)), head)


def _stance_head(propositions: Sequence[Proposition], claims: Sequence[Claim], model: Any,
                 pairs: list[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """The stance head's stance of each pair, and whether the frame vetoes it."""
    import numpy as np

    from corroborate.link.learned import STANCE_FEATURES, STANCES, stance_features

    if not pairs:
        return [], []
    xs = stance_features(propositions, claims, pairs)
    stance = model.stance_probabilities(xs)
    veto = xs[:, STANCE_FEATURES.index("rule_none")] > 0
    return [STANCES[int(np.argmax(row))] for row in stance], [bool(v) for v in veto]


def _shift(named: dict[tuple[str, str], Assignment], propositions: Sequence[Proposition],
           claims: Sequence[Claim], vectors: Any, model: Any, examples: Sequence[Example],
           l2: float) -> None:
    """Relink the corrected propositions' candidate pairs with their offsets (in place): a
    pair the shifted head no longer links is dropped, a pair it now links is added with the
    stance head's stance, and the frame's veto still holds (as in `learned.link_pairs`)."""
    from corroborate.link.learned import link_features
    from corroborate.link.propositions import Assignment

    pairs, x = link_features(vectors)
    if not pairs:
        return
    z = logit(model.link_probability(x))
    where = {pair: i for i, pair in enumerate(pairs)}
    scored = [(where[(e.claim, e.proposition)], e) for e in examples
              if (e.claim, e.proposition) in where]
    if not scored:
        return
    shift = offsets(z[[i for i, _ in scored]], [e.label != "none" for _, e in scored],
                    [e.proposition for _, e in scored], l2)
    fixed = {i for i, _ in scored}
    shift = bound_offsets(shift, z, [m for _, m in pairs],
                          [i in fixed for i in range(len(pairs))], model.threshold)
    gained: list[tuple[tuple[int, int], float]] = []
    for i, (n, m) in enumerate(pairs):
        if m not in shift:
            continue
        key = (claims[n].statement_id, propositions[m].id)
        p = 1.0 / (1.0 + math.exp(-(float(z[i]) + shift[m])))
        if p < model.threshold:
            named.pop(key, None)
        elif key not in named:
            gained.append(((n, m), p))
    if not gained:
        return
    stances, vetoed = _stance_head(propositions, claims, model, [pair for pair, _ in gained])
    for ((n, m), p), stance, veto in zip(gained, stances, vetoed, strict=True):
        if not veto:
            named[(claims[n].statement_id, propositions[m].id)] = Assignment(
                claims[n].statement_id, propositions[m].id, round(p, 3), stance)
