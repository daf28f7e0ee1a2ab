"""Fit the stance weights of `corroborate.link.stance` on our own development gold.

The shipped weights must come only from data we may use, so the training pairs are the gold
statement-proposition links of every development story (`tests/gold/stories.py`: annotations of
the public-domain White House corpus and our own Kursk example corpus), never a benchmark, and
never the held-out stories (kabul, gaza-hospital). A pair is (proposition, the statement's
content) labelled with the gold stance toward the proposition. `stance_toward` reads the content
alone, not the source's commitment, so only statements whose source asserts their content (gold
stance `affirm`) are used: for them the stance toward the proposition is what the content says.

Reproducible: the features are deterministic and the model is fitted by Newton's method from
zero on a strictly convex objective (L2-regularised multinomial logistic regression), so the
same data gives the same weights bit for bit up to floating-point summation order; no random
state is involved, so there is no seed to fix. The L2 strength and the class weighting are
chosen by leave-one-story-out CV over the development stories. The L2 penalty pulls toward a
prior that leans each lexicon cue toward its class (`prior`, strength `LEAN`, fixed by hand
rather than tuned).

Emergent (Ferreira & Vlachos 2016) is a measurement only: `bench/emergent.py` scores the shipped
weights on its test split, and reuses this module's loaders and CV to print a study figure (the
same model refitted on Emergent's train split inside each of its folds), which is never written.

Writes `src/corroborate/link/data/stance_weights.json`: feature names (all from our own lexicon
or fixed feature names), weights, biases and a version.

    .venv/bin/python bench/train_stance.py            # CV grid + fit + write weights
    .venv/bin/python bench/train_stance.py --dry-run  # CV grid only
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections import Counter
from pathlib import Path

# Small dense problems: BLAS threads only add contention (5x slower on a 2-core box).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))

from corroborate.link.stance import CLASSES, DATA, features, lexicon, stem  # noqa: E402

LABELS = {"for": "affirm", "against": "deny", "observing": "uncertain"}
WEIGHTS_VERSION = 2
# Our own hand-written pairs (`bench/data/stance_seed.jsonl`, invented topics, none from the
# gold or a benchmark): headline-like denials, hedges and questions over the proposition's own
# words, which the story gold has few of. Always in the training part, never scored.
SEED = Path(__file__).resolve().parent / "data" / "stance_seed.jsonl"
SEED_FOLD = -1
MIN_COUNT = 2  # a feature must fire on this many training pairs to get a weight
L2_GRID = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0)
# Fixed, not tuned: how far lexicon cues lean toward their class before the data speaks (see
# `prior`). Every class leans alike. (Fitted on Emergent, hedges leaned twice as hard, because
# Emergent labels some hedged headlines `for`; on our gold that made the several positions of
# a reporting noun outvote the refutation governing it: "the claim that X is false".)
LEAN = {"uncertain": 1.0, "deny": 1.0, "affirm": 1.0}


def benchmark_root() -> Path:
    env = os.environ.get("CORROBORATE_BENCHMARKS")
    return Path(env) if env else REPO.parent / "shared" / "benchmarks"


def require(path: Path) -> None:
    """Exit 2 with a clear message when the benchmark data is not where we look for it."""
    if not path.exists():
        print(f"benchmark data not found: {path} is missing. Set CORROBORATE_BENCHMARKS to the "
              "shared benchmarks folder (default <repo>/../shared/benchmarks).", file=sys.stderr)
        raise SystemExit(2)


def load_emergent(root: Path, split: str) -> list[dict[str, str]]:
    """Rows of the official split with `claim`, `text`, `label` (our scheme) and `claim_id`."""
    path = root / "emergent" / f"url-versions-2015-06-14-clean-{split}.csv"
    require(path)
    with path.open(encoding="utf-8", newline="") as fh:
        return [{"claim": r["claimHeadline"], "text": r["articleHeadline"],
                 "label": LABELS[r["articleHeadlineStance"]], "claim_id": r["claimId"]}
                for r in csv.DictReader(fh)]


def load_folds(root: Path) -> dict[str, int]:
    path = root / "emergent" / "train-claim-folds.csv"
    require(path)
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["claimId"]: int(r["fold"]) for r in csv.DictReader(fh)}


def featurize(rows: list[dict[str, str]]) -> list[dict[str, float]]:
    return [features(r["claim"], r["text"]) for r in rows]


def design(feats: list[dict[str, float]], names: list[str] | None = None
           ) -> tuple[np.ndarray, list[str]]:
    """Dense design matrix; with `names=None` the vocabulary is every lexicon cue plus the other
    features that fire on at least MIN_COUNT training pairs."""
    if names is None:
        df = Counter(k for f in feats for k in f)
        names = sorted({k for k, c in df.items() if c >= MIN_COUNT} | set(lexicon_features()))
    index = {n: j for j, n in enumerate(names)}
    X = np.zeros((len(feats), len(names)))
    for i, f in enumerate(feats):
        for k, v in f.items():
            j = index.get(k)
            if j is not None:
                X[i, j] = v
    return X, names


def lexicon_features() -> list[str]:
    """One indicator name per cue-word stem and per phrase, whether or not the data has it."""
    lex = lexicon()
    words = {"w:" + stem(w) for w in lex.cue_words}
    phrases = {f"phr:{c}:{p}" for c, ps in lex.phrases.items() for p in ps}
    return sorted(words | phrases)


def prior(names: list[str], lean: dict[str, float]) -> np.ndarray:
    """Prior mean of the weights: each lexicon cue leans toward the class it was written for.

    Shrinking toward the lexicon's intent instead of toward zero lets the data overrule a cue
    only where it has evidence to, and gives cue words that the training pairs never use the
    weight their category implies instead of none. `lean` says how hard each
    class pulls."""
    lex = lexicon()
    vocab = {"deny": {stem(w) for w in lex.refute | lex.deny_verbs},
             "uncertain": {stem(w) for w in lex.hedges},
             "affirm": {stem(w) for w in lex.confirm}}
    pooled = {"hedge": "uncertain", "hedge_only": "uncertain", "hedge_near_align": "uncertain",
              "q_end": "uncertain", "hedge_before_align": "uncertain", "modal_main": "uncertain",
              "hedge_head": "uncertain", "neg_unconfirmed": "uncertain", "refute": "deny",
              "deny_v": "deny", "neg_near_align": "deny", "confirm": "affirm",
              # Where a refutation or confirmation sits leans as its cue does, as the hedges'
              # positions do; otherwise a reporting noun's several hedge positions outvote
              # the one refutation that governs it ("the claim that X is false").
              "refute_head": "deny", "refute_tail": "deny", "refute_near_align": "deny",
              "deny_v_head": "deny", "deny_v_tail": "deny", "q_then_refute": "deny",
              "confirm_head": "affirm", "confirm_tail": "affirm"}
    by_phrase = {"hedge": "uncertain", "deny": "deny", "affirm": "affirm"}
    W0 = np.zeros((len(names), len(CLASSES)))
    for j, name in enumerate(names):
        cls = None
        if name.startswith("w:"):
            cls = next((c for c in ("deny", "uncertain", "affirm") if name[2:] in vocab[c]), None)
        elif name.startswith("phr:"):
            cls = by_phrase.get(name.split(":")[1])
        else:
            cls = pooled.get(name)
        if cls is not None and lean.get(cls, 0.0):
            row = np.full(len(CLASSES), -1.0 / 3.0)
            row[CLASSES.index(cls)] = 2.0 / 3.0
            W0[j] = lean[cls] * row
    return W0


def fit(X: np.ndarray, y: np.ndarray, l2: float, balanced: bool, W0: np.ndarray | None = None,
        iters: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial LR by Newton's method; returns (W [d x K], b [K]). The L2 penalty pulls W
    toward the prior `W0` (zero if None). Bias is not penalised (a 1e-6 ridge keeps the Hessian
    invertible along the softmax's redundant direction)."""
    n, d = X.shape
    K = len(CLASSES)
    counts = np.bincount(y, minlength=K).astype(float)
    sw = (n / (K * np.maximum(counts, 1.0)))[y] if balanced else np.ones(n)
    Xb = np.hstack([X, np.ones((n, 1))])
    D = d + 1
    theta = np.zeros((D, K))
    theta0 = np.zeros((D, K))
    if W0 is not None:
        theta0[:-1] = W0
    reg = np.full(D, l2)
    reg[-1] = 1e-6
    Y = np.eye(K)[y]
    for _ in range(iters):
        z = Xb @ theta
        z -= z.max(axis=1, keepdims=True)
        P = np.exp(z)
        P /= P.sum(axis=1, keepdims=True)
        grad = Xb.T @ ((P - Y) * sw[:, None]) + reg[:, None] * (theta - theta0)
        H = np.zeros((D * K, D * K))
        for a in range(K):
            for c in range(a, K):
                s = sw * P[:, a] * ((1.0 if a == c else 0.0) - P[:, c])
                block = (Xb * s[:, None]).T @ Xb
                H[a * D:(a + 1) * D, c * D:(c + 1) * D] = block
                H[c * D:(c + 1) * D, a * D:(a + 1) * D] = block
        H += np.diag(np.tile(reg, K))
        step = np.linalg.solve(H, grad.T.reshape(-1)).reshape(K, D).T
        theta -= step
        if np.abs(step).max() < 1e-8:
            break
    return theta[:-1], theta[-1]


def predict(X: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.argmax(X @ W + b, axis=1)


def macro_f1(gold: np.ndarray, pred: np.ndarray, k: int = len(CLASSES)) -> tuple[float, list]:
    f1s = []
    for c in range(k):
        tp = float(np.sum((gold == c) & (pred == c)))
        p = tp / max(1.0, float(np.sum(pred == c)))
        r = tp / max(1.0, float(np.sum(gold == c)))
        f1s.append(0.0 if p + r == 0 else 2 * p * r / (p + r))
    return float(np.mean(f1s)), f1s


def cross_validate(feats: list[dict[str, float]], y: np.ndarray, fold_of: list[int],
                   l2: float, balanced: bool, lean: dict[str, float] | None = None
                   ) -> np.ndarray:
    """Out-of-fold predictions; the vocabulary is rebuilt on each training part."""
    pred = np.zeros_like(y)
    folds = np.array(fold_of)
    for k in sorted(set(fold_of) - {SEED_FOLD}):
        tr, te = np.where(folds != k)[0], np.where(folds == k)[0]
        Xtr, names = design([feats[i] for i in tr])
        Xte, _ = design([feats[i] for i in te], names)
        W, b = fit(Xtr, y[tr], l2, balanced, prior(names, lean or {}))
        pred[te] = predict(Xte, W, b)
    return pred


def select(feats: list[dict[str, float]], y: np.ndarray, fold_of: list[int],
           lean: dict[str, float] | None = None, verbose: bool = True
           ) -> tuple[float, bool, float]:
    """Grid search by group-disjoint CV macro-F1 (claims on Emergent, stories on our gold);
    returns (l2, balanced, best CV macro-F1)."""
    best: tuple[float, float, bool] | None = None
    for balanced in (False, True):
        for l2 in L2_GRID:
            pred = cross_validate(feats, y, fold_of, l2, balanced, lean)
            scored = np.array(fold_of) != SEED_FOLD
            mf1, per = macro_f1(y[scored], pred[scored])
            acc = float(np.mean(pred[scored] == y[scored]))
            if verbose:
                per_class = " ".join(f"{c} {v:.3f}" for c, v in zip(CLASSES, per, strict=True))
                print(f"  l2={l2:<5} balanced={balanced!s:5}  CV acc {acc:.3f}  macro-F1 "
                      f"{mf1:.3f}  ({per_class})")
            if best is None or mf1 > best[0] + 1e-9:
                best = (mf1, l2, balanced)
    assert best is not None
    return best[1], best[2], best[0]


def load_gold() -> tuple[list[dict[str, str]], list[str]]:
    """(rows, story names): one row per gold link whose source asserts the content, with
    `claim` (the proposition), `text` (the content as `link/` reads it), `label`, `claim_id`
    (the story: folds are whole stories)."""
    from corroborate.link.propositions import _plain
    from gold.link_pairs import gold_pairs
    from gold.stories import development_names

    rows: list[dict[str, str]] = []
    names = development_names()
    for name in names:
        pairs = gold_pairs(name)
        text = {c.statement_id: c for c in pairs.claims}
        statement = {p.id: p.statement for p in pairs.propositions}
        for (sid, pid), label in sorted(pairs.labels.items()):
            claim = text[sid]
            if label not in CLASSES:
                continue
            if claim.stance == "affirm":
                rows.append({"claim": statement[pid], "text": _plain(claim.content),
                             "label": label, "claim_id": name})
    return rows, names


def load_seed() -> list[dict[str, str]]:
    with SEED.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    for n, row in enumerate(rows, 1):
        if row.get("label") not in CLASSES or not row.get("claim") or not row.get("text"):
            raise SystemExit(f"{SEED}: line {n}: needs claim, text and a label in {CLASSES}")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dry-run", action="store_true", help="run the CV grid, write nothing")
    args = ap.parse_args(argv)
    rows, stories = load_gold()
    counts = Counter(r["label"] for r in rows)
    print(f"development gold: {len(rows)} links over {len(stories)} stories "
          f"({', '.join(stories)}); {dict(counts)}")
    seed = load_seed()
    print(f"seed pairs ({SEED.name}, always trained on, never scored): {len(seed)}")
    rows += seed
    feats = featurize(rows)
    y = np.array([CLASSES.index(r["label"]) for r in rows])
    fold_of = [stories.index(r["claim_id"]) if "claim_id" in r else SEED_FOLD for r in rows]
    l2, balanced, cv = select(feats, y, fold_of, LEAN)
    print(f"chosen: l2={l2} balanced={balanced} (leave-one-story-out macro-F1 {cv:.3f}, "
          f"lexicon lean {LEAN})")
    scored = np.array(fold_of) != SEED_FOLD
    plain = macro_f1(y[scored], cross_validate(feats, y, fold_of, l2, balanced, {})[scored])[0]
    print(f"same l2 with a zero-mean prior instead: macro-F1 {plain:.3f}")
    X, names = design(feats)
    W, b = fit(X, y, l2, balanced, prior(names, LEAN))
    print(f"fitted {len(names)} features x {len(CLASSES)} classes; "
          f"train acc {float(np.mean(predict(X, W, b) == y)):.3f}")
    if args.dry_run:
        return 0
    head = {
        "version": WEIGHTS_VERSION,
        "trained_on": "gold links of the development stories (" + ", ".join(stories)
                      + "), bench/train_stance.py",
        "classes": list(CLASSES),
        "l2": l2,
        "balanced": balanced,
        "lean": LEAN,
        "loso_macro_f1": round(cv, 4),
        "bias": [round(float(v), 6) for v in b],
    }
    # One feature per line (name: affirm, deny, uncertain) so that a diff of a refit reads.
    rows = [f"  {json.dumps(n)}: {json.dumps([round(float(v), 6) for v in row])}"
            for n, row in zip(names, W, strict=True)]
    text = json.dumps(head, indent=1)[:-2] + ',\n "weights": {\n' + ",\n".join(rows) + "\n }\n}\n"
    json.loads(text)  # the hand-assembled layout must still be valid JSON
    path = DATA / "stance_weights.json"
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
