"""FNC-1 (headline-body stance) benchmark for `corroborate.link.stance`, as a transfer test.

The stance weights are fitted on Emergent *headlines*; FNC-1 asks for the stance of an article
*body* toward a headline. Here:

* `unrelated` is decided by `relatedness(headline, body)` against a threshold;
* for related pairs the text is the body's k sentences most related to the headline (in body
  order), and `stance_toward` maps affirm->agree, deny->disagree, uncertain->discuss.

The threshold, k and (for the second row only) three per-class log-odds offsets that re-balance
the Emergent model for bodies are tuned on the training part of the fnc-1-baseline split of
`train_*`; the hold-out part gives the dev figure and `competition_test_*` the reported one.
The FNC score is re-implemented from the README (+0.25 related/unrelated right, +0.75 more for
the exact agree/disagree/discuss label), printed as a percentage of the maximum.

    .venv/bin/python bench/fnc1.py [--json]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import math
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from corroborate.link.stance import CLASSES, relatedness, stance_scores  # noqa: E402
from corroborate.text.segment import sentences, tokenize  # noqa: E402

LABELS = ("agree", "disagree", "discuss", "unrelated")
TO_FNC = {"affirm": "agree", "deny": "disagree", "uncertain": "discuss"}
K_GRID = (1, 2, 3, 5, 8)
OFFSET_GRID = [x / 4 for x in range(-16, 5)]  # log-odds added to affirm / deny (discuss = 0)
ANCHORS = {"official baseline (gradient boosting)": 75.20, "best system (SOLAT in the SWEN)": 82.02,
           "all unrelated": 39.37}


@dataclass
class Pair:
    headline: str
    body_id: str
    gold: str


def benchmark_root() -> Path:
    env = os.environ.get("CORROBORATE_BENCHMARKS")
    return Path(env) if env else REPO.parent / "shared" / "benchmarks"


def load(folder: Path, prefix: str) -> tuple[list[Pair], dict[str, str]]:
    with (folder / f"{prefix}_bodies.csv").open(encoding="utf-8", newline="") as fh:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(fh)}
    with (folder / f"{prefix}_stances.csv").open(encoding="utf-8", newline="") as fh:
        pairs = [Pair(r["Headline"], r["Body ID"], r["Stance"]) for r in csv.DictReader(fh)]
    return pairs, bodies


class Bodies:
    """Body sentences, split once per body and ranked per headline by relatedness."""

    def __init__(self, bodies: dict[str, str]) -> None:
        self.bodies = bodies
        self._sents: dict[str, list[str]] = {}

    def sentences(self, body_id: str) -> list[str]:
        if body_id not in self._sents:
            text = self.bodies[body_id]
            self._sents[body_id] = [text[s.start:s.end] for s in sentences(text, tokenize(text))]
        return self._sents[body_id]

    def top(self, headline: str, body_id: str, k: int) -> str:
        sents = self.sentences(body_id)
        order = sorted(range(len(sents)), key=lambda i: -relatedness(headline, sents[i]))
        return " ".join(sents[i] for i in sorted(order[:k]))


def log_probs(pairs: list[Pair], bodies: Bodies, k: int) -> list[list[float]]:
    out = []
    for p in pairs:
        probs = stance_scores(p.headline, bodies.top(p.headline, p.body_id, k))
        out.append([math.log(max(probs[c], 1e-12)) for c in CLASSES])
    return out


def decide(lp: list[float], offsets: tuple[float, float]) -> str:
    scores = [lp[0] + offsets[0], lp[1] + offsets[1], lp[2]]
    return TO_FNC[CLASSES[max(range(3), key=scores.__getitem__)]]


def fnc_score(gold: list[str], pred: list[str]) -> tuple[float, float]:
    score = best = 0.0
    for g, p in zip(gold, pred, strict=True):
        related_g, related_p = g != "unrelated", p != "unrelated"
        best += 1.0 if related_g else 0.25
        if related_g == related_p:
            score += 0.25
            if related_g and g == p:
                score += 0.75
    return score, best


def report(gold: list[str], pred: list[str]) -> dict[str, object]:
    score, best = fnc_score(gold, pred)
    f1 = {}
    for c in LABELS:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p == c)
        n_pred, n_gold = pred.count(c), gold.count(c)
        prec, rec = tp / max(1, n_pred), tp / max(1, n_gold)
        f1[c] = 0.0 if prec + rec == 0 else 2 * prec * rec / (prec + rec)
    confusion = {g: {p: sum(1 for a, b in zip(gold, pred, strict=True) if a == g and b == p)
                     for p in LABELS} for g in LABELS}
    return {"fnc_score_pct": 100 * score / best, "score": score, "max": best,
            "f1": f1, "f1m": sum(f1.values()) / len(f1), "n": len(gold),
            "related_acc": sum((g == "unrelated") == (p == "unrelated")
                               for g, p in zip(gold, pred, strict=True)) / len(gold),
            "confusion": confusion}


@dataclass
class Config:
    threshold: float  # relatedness below this -> unrelated
    k_plain: int  # top-k body sentences for the plain Emergent weights
    k: int  # top-k body sentences with the offsets
    offsets: tuple[float, float]  # log-odds added to affirm / deny


def tune(pairs: list[Pair], bodies: Bodies) -> Config:
    """Threshold by related/unrelated accuracy; k and offsets by FNC points on related gold."""
    rel = [relatedness(p.headline, bodies.bodies[p.body_id]) for p in pairs]
    is_rel = [p.gold != "unrelated" for p in pairs]
    candidates = sorted({round(r, 3) for r in rel})
    best_t, best_acc = 0.0, -1.0
    for t in candidates[:: max(1, len(candidates) // 400)]:
        acc = sum((r >= t) == g for r, g in zip(rel, is_rel, strict=True))
        if acc > best_acc:
            best_t, best_acc = t, acc
    related = [p for p in pairs if p.gold != "unrelated"]
    best: tuple[float, int, tuple[float, float]] | None = None
    plain: dict[int, int] = {}
    gold = np.array([LABELS.index(p.gold) for p in related])  # agree/disagree/discuss = 0/1/2
    for k in K_GRID:
        lps = np.array(log_probs(related, bodies, k))
        plain[k] = int(np.sum(lps.argmax(axis=1) == gold))
        for off in itertools.product(OFFSET_GRID, OFFSET_GRID):
            hits = int(np.sum((lps + np.array([off[0], off[1], 0.0])).argmax(axis=1) == gold))
            if best is None or hits > best[0]:
                best = (hits, k, off)
    assert best is not None
    k_plain = max(K_GRID, key=lambda k: plain[k])
    return Config(best_t, k_plain, best[1], best[2])


def predict(pairs: list[Pair], bodies: Bodies, threshold: float, k: int,
            offsets: tuple[float, float]) -> list[str]:
    out = []
    for p in pairs:
        if relatedness(p.headline, bodies.bodies[p.body_id]) < threshold:
            out.append("unrelated")
            continue
        probs = stance_scores(p.headline, bodies.top(p.headline, p.body_id, k))
        out.append(decide([math.log(max(probs[c], 1e-12)) for c in CLASSES], offsets))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print machine-readable figures")
    args = ap.parse_args(argv)
    folder = benchmark_root() / "fnc1"
    needed = ["train_bodies.csv", "train_stances.csv", "competition_test_bodies.csv",
              "competition_test_stances.csv", "baseline_split_hold_out_body_ids.txt"]
    missing = [n for n in needed if not (folder / n).exists()]
    if missing:
        print(f"FNC-1 data not found: {folder} lacks {', '.join(missing)}. Set "
              "CORROBORATE_BENCHMARKS to the shared benchmarks folder "
              "(default <repo>/../shared/benchmarks).", file=sys.stderr)
        return 2
    train, train_bodies = load(folder, "train")
    test, test_bodies = load(folder, "competition_test")
    hold_ids = set((folder / "baseline_split_hold_out_body_ids.txt").read_text().split())
    tr = [p for p in train if p.body_id not in hold_ids]
    ho = [p for p in train if p.body_id in hold_ids]
    tb, sb = Bodies(train_bodies), Bodies(test_bodies)
    t0 = time.perf_counter()
    cfg = tune(tr, tb)
    tune_s = time.perf_counter() - t0
    th, k, kp, off = cfg.threshold, cfg.k, cfg.k_plain, cfg.offsets
    results: dict[str, object] = {"tuned_on": f"fnc-1-baseline training split ({len(tr)} pairs)",
                                  "config": asdict(cfg), "tune_seconds": round(tune_s, 1)}
    for name, pairs, bodies in (("hold_out", ho, tb), ("competition_test", test, sb)):
        gold = [p.gold for p in pairs]
        t0 = time.perf_counter()
        zero = predict(pairs, bodies, th, kp, (0.0, 0.0))
        secs = time.perf_counter() - t0
        # Reference: the same relatedness decision with every related pair called 'discuss'
        # shows how much of the FNC score the related/unrelated split alone earns.
        discuss = ["unrelated" if p == "unrelated" else "discuss" for p in zero]
        results[name] = {"shipped_weights": report(gold, zero),
                         "with_offsets": report(gold, predict(pairs, bodies, th, k, off)),
                         "relatedness_then_discuss": report(gold, discuss),
                         "pairs_per_s": len(pairs) / secs}
    results["anchors_pct"] = ANCHORS
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"tuned on the baseline training split: relatedness threshold {th}, top-k sentences "
          f"{kp} (plain) / {k} (with offsets), affirm/deny log-odds offsets {off}")
    for name in ("hold_out", "competition_test"):
        block = results[name]
        assert isinstance(block, dict)
        print(f"\n{name} ({block['shipped_weights']['n']} pairs, "
              f"{block['pairs_per_s']:.0f} pairs/s end to end)")
        for row in ("shipped_weights", "with_offsets", "relatedness_then_discuss"):
            r = block[row]
            f1 = " ".join(f"{c} {r['f1'][c]:.3f}" for c in LABELS)
            print(f"  {row:24} FNC {r['fnc_score_pct']:.2f}%  ({r['score']:.2f}/{r['max']:.2f})"
                  f"  F1m {r['f1m']:.3f}  [{f1}]  related/unrelated acc {r['related_acc']:.3f}")
    print("\nanchors (competition test, % of max): "
          + "; ".join(f"{n} {v:.2f}" for n, v in ANCHORS.items()) + "; target >= 75.20")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
