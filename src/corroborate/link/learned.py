"""A learned statement–proposition linker: does a statement bear on a proposition, and how?

The rules (`propositions.assign`) decide "bears on" by concept coverage over a lexicon written
for one story, so on a story the lexicon does not know they link almost nothing. This module
makes that decision, and re-weighs the stance, with two small logistic models over
story-agnostic features of a (statement, proposition) pair:

- head one, **bears on** (binary): the cosine of the proposition with the statement's content,
  the larger of that and the cosine with its sentence, and how much more of the
  proposition's rare word pieces the sentence repeats than of its best sibling proposition's
  (`link/lexical.py`). Everything else tried (the question a briefing answer replies to, the
  paragraph, the document's centroid, token alignment BERTScore-style, per-proposition
  z-scores and ranks, neighbouring statements, stem relatedness, frames, stance cues) fitted
  one story and made a story left out worse (`bench/link_study.py`, `bench/RESULTS.md`,
  "Linking with no story pack").
- head two, **stance toward the proposition** (affirm / deny / uncertain, trained on linked
  pairs only): the statement's own commitment (from extraction), the frame rules' reading
  `stance_on` (negation polarity, rivals, actors, dismissive propositions: `link/frames.py`),
  the lexical stance model's probabilities, and a few frame flags; which of them the
  shipped head uses was chosen by leave-one-story-out (unused ones have zero weight).

As in the rules, a pair whose frame says it does not bear (`stance_on` is None: someone other
than the actor of "X has acknowledged Y", not reporting X's act) is not linked.

Both heads are fitted by Newton's method on an L2-regularised convex loss (`fit_softmax`), so
training is deterministic and needs numpy only; `bench/train_link.py` fits them on the gold of
our own stories and writes `data/link_weights.json` (feature names, standardisation, weights:
no text). Inference is numpy plus the MiniLM encoder of `link/embed.py`: each statement is
embedded once, head one is a matrix product over all pairs, and the per-pair Python features
of head two run only on the pairs head one links.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corroborate.link.frames import (
    Frame,
    actor_matches,
    content_stems,
    frames,
    polarity,
    reports_act,
    rival_side,
)
from corroborate.link.stance import stance_scores

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from corroborate.link.propositions import Assignment, Claim, Proposition

    F64 = NDArray[np.float64]

WEIGHTS = Path(__file__).parent / "data" / "link_weights.json"
STANCES = ("affirm", "deny", "uncertain")
# Pairs below this cosine (content and sentence) are not scored at all. On the gold, where
# every document is about the story, it drops only 6-20% of the pairs (and 3-15% of the
# links: `bench/train_link.py` prints it); on a ledger of mixed news it drops most of them.
RETRIEVE = 0.12
_QUOTES = re.compile(r"^(?:that\s+)|[“”\"]", re.IGNORECASE)

# Head one: forward selection by the mean link F1 of the story left out (kursk, balloon,
# covid-origins, each left out in turn; `bench/link_study.py`) kept these three.
LINK_FEATURES: tuple[str, ...] = ("cos_content", "cos_max", "overlap_margin")
STANCE_FEATURES: tuple[str, ...] = (
    "own_affirm", "own_deny", "own_uncertain",
    "rule_affirm", "rule_deny", "rule_uncertain", "rule_none",
    "pol_opposite", "pol_withheld", "dismissal", "rival", "dismissive",
    "actor", "actor_is_source", "actor_reported",
    "model_affirm", "model_deny", "model_uncertain", "question", "own_deny_x_opposite",
)
FEATURES = LINK_FEATURES + STANCE_FEATURES


def plain(content: str) -> str:
    return _QUOTES.sub("", content.strip())


@dataclass(frozen=True)
class Vectors:
    """Unit embeddings: statement contents and sentences (rows follow the claims), and the
    propositions and their inner (acknowledged) content (rows follow the propositions); and
    the word-piece overlap margin of each sentence with each proposition (`link/lexical.py`).
    """

    content: F64
    context: F64
    propositions: F64
    inner: F64
    overlap: F64


def embed(propositions: Sequence[Proposition], claims: Sequence[Claim],
          encode: Any = None, pieces: Any = None) -> Vectors:
    """Vectors for linking; `encode` (list of texts -> unit rows) defaults to the ledger's
    cache when `link` opened one (`link/vectors.py`), else MiniLM; `pieces` (list of texts ->
    their content word pieces) to MiniLM's tokenizer."""
    import numpy as np

    from corroborate.link import lexical
    from corroborate.link.vectors import active_encoder

    encode = encode or active_encoder()
    if encode is None:
        from corroborate.link.embed import Embedder

        encode = Embedder.load().encode
    read = frames([(p.id, p.statement) for p in propositions])
    texts = [plain(c.content) for c in claims]
    contexts = [c.context or c.content for c in claims]
    props = [p.statement for p in propositions]
    inners = [read[p.id].inner for p in propositions]
    everything = list(dict.fromkeys(texts + contexts + props + inners))
    rows = np.asarray(encode(everything), dtype=np.float64) if everything else \
        np.zeros((0, 384))
    where = {t: i for i, t in enumerate(everything)}

    def take(items: list[str]) -> F64:
        return rows[[where[t] for t in items]] if items else np.zeros((0, rows.shape[1]))

    split = pieces or lexical.pieces
    overlap = lexical.margin(lexical.coverage(split(props), split(contexts)))
    return Vectors(take(texts), take(contexts), take(props), take(inners), overlap)


def candidates(vectors: Vectors, retrieve: float = RETRIEVE) -> tuple[F64, F64, Any]:
    """Cosines (claims x propositions) of content and sentence, and the candidate mask."""
    cos = vectors.content @ vectors.propositions.T
    cos_ctx = vectors.context @ vectors.propositions.T
    return cos, cos_ctx, (cos >= retrieve) | (cos_ctx >= retrieve)


def link_features(vectors: Vectors, retrieve: float = RETRIEVE
                  ) -> tuple[list[tuple[int, int]], F64]:
    """Candidate pairs (claim index, proposition index) and their LINK_FEATURES rows, all in
    numpy: the cosine matrices are the whole cost."""
    import numpy as np

    cos, cos_ctx, mask = candidates(vectors, retrieve)
    if not cos.size:
        return [], np.zeros((0, len(LINK_FEATURES)))
    rows, cols = np.nonzero(mask)
    c = cos[rows, cols]
    x = np.stack([c, np.maximum(c, cos_ctx[rows, cols]), vectors.overlap[rows, cols]], axis=1)
    return list(zip(rows.tolist(), cols.tolist(), strict=True)), x


def stance_features(propositions: Sequence[Proposition], claims: Sequence[Claim],
                    pairs: Sequence[tuple[int, int]]) -> F64:
    """STANCE_FEATURES rows of these pairs (pure Python per pair: run on linked pairs)."""
    import numpy as np

    from corroborate.link.propositions import stance_on

    read = frames([(p.id, p.statement) for p in propositions])
    out = np.zeros((len(pairs), len(STANCE_FEATURES)))
    for row, (n, m) in enumerate(pairs):
        out[row] = _row(claims[n], propositions[m], read[propositions[m].id], stance_on)
    return out


def featurize(propositions: Sequence[Proposition], claims: Sequence[Claim], vectors: Vectors,
              retrieve: float = RETRIEVE) -> tuple[list[tuple[int, int]], F64]:
    """Candidate pairs and their full FEATURES rows (for training)."""
    import numpy as np

    pairs, x = link_features(vectors, retrieve)
    return pairs, np.hstack([x, stance_features(propositions, claims, pairs)])


def _row(claim: Claim, proposition: Proposition, frame: Frame, stance_on: Any) -> list[float]:
    text = plain(claim.content)
    own = claim.stance if claim.stance in STANCES else "affirm"
    model = stance_scores(proposition.statement, text)
    rule = stance_on(frame, claim)
    sense = polarity(frame.inner, text)
    is_actor = bool(frame.actor) and actor_matches(frame, claim.source_names)
    return [
        float(own == "affirm"), float(own == "deny"), float(own == "uncertain"),
        float(rule == "affirm"), float(rule == "deny"), float(rule == "uncertain"),
        float(rule is None),
        float(sense == "opposite"), float(sense == "withheld"), float(claim.dismissal),
        float(bool(frame.rivals) and rival_side(frame, content_stems(text))),
        float(frame.dismissive),
        float(bool(frame.actor)), float(is_actor),
        float(bool(frame.actor) and not is_actor and reports_act(frame, text)),
        model["affirm"], model["deny"], model["uncertain"],
        float("?" in text), float(own == "deny" and sense == "opposite"),
    ]


# ---------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class LinkModel:
    """Standardisation and the two heads' weights, as `bench/train_link.py` wrote them."""

    features: tuple[str, ...]
    mean: F64  # per FEATURES
    scale: F64
    link: F64  # (LINK_FEATURES + bias, 2): none / linked
    stance: F64  # (STANCE_FEATURES + bias, 3): affirm / deny / uncertain
    threshold: float  # P(linked) at which a pair is linked

    def _design(self, x: F64, part: slice) -> F64:
        import numpy as np

        z = (x - self.mean[part]) / self.scale[part]
        return np.hstack([z, np.ones((len(z), 1))])

    def link_probability(self, x: F64) -> F64:
        """P(linked) for LINK_FEATURES rows."""
        return softmax(self._design(x, slice(0, len(LINK_FEATURES))) @ self.link)[:, 1]

    def stance_probabilities(self, x: F64) -> F64:
        """affirm / deny / uncertain probabilities for STANCE_FEATURES rows."""
        return softmax(self._design(x, slice(len(LINK_FEATURES), None)) @ self.stance)

    def predict(self, x: F64) -> tuple[F64, F64]:
        """Both heads on full FEATURES rows."""
        n = len(LINK_FEATURES)
        return self.link_probability(x[:, :n]), self.stance_probabilities(x[:, n:])

    def to_json(self) -> dict[str, Any]:
        return {"version": 1, "features": list(self.features),
                "link_features": list(LINK_FEATURES), "stance_features": list(STANCE_FEATURES),
                "classes": {"link": ["none", "linked"], "stance": list(STANCES)},
                "mean": _rounded(self.mean), "scale": _rounded(self.scale),
                "link": _rounded(self.link), "stance": _rounded(self.stance),
                "threshold": round(self.threshold, 4)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinkModel:
        import numpy as np

        names = tuple(data["features"])
        if names != FEATURES:
            raise ValueError(f"{WEIGHTS.name}: features {names} do not match this code; "
                             "retrain with bench/train_link.py")
        return cls(names, np.asarray(data["mean"]), np.asarray(data["scale"]),
                   np.asarray(data["link"]), np.asarray(data["stance"]),
                   float(data["threshold"]))


def _rounded(a: F64) -> Any:
    import numpy as np

    return np.round(a, 6).tolist()


@cache
def load_model(path: Path = WEIGHTS) -> LinkModel:
    return LinkModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def softmax(scores: F64) -> F64:
    import numpy as np

    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def fit_softmax(x: F64, y: Any, classes: int, l2: float = 1.0, weight: Any = None,
                iterations: int = 50) -> F64:
    """Multinomial logistic regression by Newton's method: x already has its bias column, the
    bias is not penalised. Convex, no random state: the same data gives the same weights."""
    import numpy as np

    n, d = x.shape
    w = np.zeros((d, classes))
    sw = np.ones(n) if weight is None else np.asarray(weight, dtype=np.float64)
    target = np.eye(classes)[np.asarray(y)]
    penalty = np.full(d, float(l2))
    penalty[-1] = 1e-2  # small: the K biases are redundant up to a constant
    for _ in range(iterations):
        p = softmax(x @ w)
        grad = x.T @ ((p - target) * sw[:, None]) + penalty[:, None] * w
        hess = np.zeros((d * classes, d * classes))
        for a in range(classes):
            for b in range(classes):
                coef = p[:, a] * ((a == b) - p[:, b]) * sw
                hess[a * d:(a + 1) * d, b * d:(b + 1) * d] = (x * coef[:, None]).T @ x
        hess += np.diag(np.tile(penalty, classes))
        step = np.linalg.solve(hess, grad.T.reshape(-1)).reshape(classes, d).T
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return w


def top_pairs(pairs: Sequence[tuple[int, int]], probability: Any, top: int
              ) -> list[tuple[int, int]]:
    """Each statement's `top` pairs by head one's probability (ties: proposition order)."""
    best: dict[int, list[tuple[float, int]]] = {}
    for (n, m), p in zip(pairs, probability, strict=True):
        best.setdefault(n, []).append((-float(p), m))
    return sorted((n, m) for n, ms in best.items() for _, m in sorted(ms)[:top])


def link_pairs(propositions: Sequence[Proposition], claims: Sequence[Claim],
               vectors: Vectors | None = None, model: LinkModel | None = None,
               cross: Any = None) -> list[Assignment]:
    """The learned linker behind `assign(..., method="learned")`: head one on every candidate
    pair (numpy), head two only on the pairs it links. With `cross` (a cross-encoder,
    `link/xenc.py`: `.top`, `.threshold`, `.score(propositions, claims, pairs)`), head one
    only picks each statement's `top` propositions and the cross-encoder decides the link;
    none ships (bench/RESULTS.md, "Cross-encoder"), so `link` runs head one alone."""
    import numpy as np

    from corroborate.link.propositions import Assignment

    if not propositions or not claims:
        return []
    model = model or load_model()
    vectors = vectors or embed(propositions, claims)
    pairs, x = link_features(vectors)
    if not pairs:
        return []
    linked = model.link_probability(x)
    if cross is not None:
        chosen = top_pairs(pairs, linked, cross.top)
        scored = cross.score(propositions, claims, chosen)
        kept = [(pair, float(p)) for pair, p in zip(chosen, scored, strict=True)
                if p >= cross.threshold]
    else:
        kept = [(pair, float(p)) for pair, p in zip(pairs, linked, strict=True)
                if p >= model.threshold]
    if not kept:
        return []
    kept += _rivals(propositions, claims, kept)
    xs = stance_features(propositions, claims, [pair for pair, _ in kept])
    stance = model.stance_probabilities(xs)
    # The frame's veto, as in the rules: a statement by someone other than the actor of "X has
    # acknowledged Y", that does not report X's act, does not bear on it.
    veto = xs[:, STANCE_FEATURES.index("rule_none")] > 0
    return [Assignment(claims[n].statement_id, propositions[m].id, round(p, 3),
                       STANCES[int(np.argmax(s))])
            for ((n, m), p), s, v in zip(kept, stance, veto, strict=True) if not v]


def _rivals(propositions: Sequence[Proposition], claims: Sequence[Claim],
            kept: list[tuple[tuple[int, int], float]]) -> list[tuple[tuple[int, int], float]]:
    """Pairs a linked statement also bears on through a rival: "a truck bomb destroyed the
    depot", linked to that proposition, bears on its rival "an air strike destroyed the
    depot" too (and `stance_on` reads it as deny). Head one cannot see this: the two
    propositions share all but one slot, so the overlap margin points away from the rival.
    Mutually exclusive propositions come from the frames (`link/frames.py`), not from data."""
    read = frames([(p.id, p.statement) for p in propositions])
    have = {pair for pair, _ in kept}
    best = {n: p for (n, _), p in sorted(kept, key=lambda item: item[1])}
    out = []
    for n, p in best.items():
        stems = content_stems(plain(claims[n].content))
        for m, proposition in enumerate(propositions):
            frame = read[proposition.id]
            if (n, m) not in have and frame.rivals and rival_side(frame, stems):
                out.append(((n, m), p))
    return out
