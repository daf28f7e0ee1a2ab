"""Emergent (Ferreira & Vlachos 2016) headline-stance benchmark for `corroborate.link.stance`.

Test figure: the shipped weights (`src/corroborate/link/data/stance_weights.json`, fitted by
`bench/train_stance.py` on our own development gold, never on Emergent) on the official
524-headline test split, with for->affirm, against->deny, observing->uncertain. Study figure
(not shipped): the paper's 10-fold claim-disjoint CV on the train split, refitting the same
model on Emergent's train folds with the shipped hyper-parameters, i.e. what in-domain training
would give.
Also measures `stance_toward` throughput (pairs/s, one core, pure Python).

    .venv/bin/python bench/emergent.py [--json] [--no-cv]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corroborate.link.stance import stance_toward
from train_stance import (  # bench/ is not a package
    CLASSES,
    DATA,
    benchmark_root,
    cross_validate,
    featurize,
    load_emergent,
    load_folds,
)

ANCHORS = {"majority (for)": {"accuracy": 0.469, "macro_f1": 0.213},
           "Ferreira & Vlachos 2016 LR": {"accuracy": 0.733, "macro_f1": 0.723}}
TARGET, GOAL = 0.72, 0.76


def scores(gold: list[str], pred: list[str]) -> dict[str, object]:
    f1 = {}
    for c in CLASSES:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p == c)
        prec, rec = tp / max(1, pred.count(c)), tp / max(1, gold.count(c))
        f1[c] = 0.0 if prec + rec == 0 else 2 * prec * rec / (prec + rec)
    confusion = {g: {p: sum(1 for a, b in zip(gold, pred, strict=True) if a == g and b == p)
                     for p in CLASSES} for g in CLASSES}
    return {"n": len(gold),
            "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold),
            "macro_f1": sum(f1.values()) / len(f1), "f1": f1, "confusion": confusion}


def throughput(pairs: list[tuple[str, str]], seconds: float = 2.0) -> float:
    """Pairs per second of `stance_toward` over repeated passes (warm caches excluded only for
    the stemmer, which a long-running ingest would also have warm)."""
    done, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        for prop, text in pairs:
            stance_toward(prop, text)
        done += len(pairs)
    return done / (time.perf_counter() - t0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print machine-readable figures")
    ap.add_argument("--no-cv", action="store_true", help="skip the 10-fold CV dev figure")
    args = ap.parse_args(argv)
    root = benchmark_root()
    if not (root / "emergent").is_dir():
        print(f"Emergent data not found: {root / 'emergent'} is missing. Set "
              "CORROBORATE_BENCHMARKS to the shared benchmarks folder "
              "(default <repo>/../shared/benchmarks).", file=sys.stderr)
        return 2
    meta = json.loads((DATA / "stance_weights.json").read_text(encoding="utf-8"))
    test = load_emergent(root, "test")
    gold = [r["label"] for r in test]
    t0 = time.perf_counter()
    pred = [stance_toward(r["claim"], r["text"])[0] for r in test]
    first_pass = len(test) / (time.perf_counter() - t0)
    results: dict[str, object] = {"test": scores(gold, pred), "anchors": ANCHORS,
                                  "weights_version": meta["version"]}
    if not args.no_cv:
        import numpy as np  # bench-only dependency (the library itself is pure Python)

        train = load_emergent(root, "train")
        fold = load_folds(root)
        y = np.array([CLASSES.index(r["label"]) for r in train])
        cv_pred = cross_validate(featurize(train), y, [fold[r["claim_id"]] for r in train],
                                 float(meta["l2"]), bool(meta["balanced"]),
                                 dict(meta["lean"]))
        results["cv_train_10fold"] = scores([r["label"] for r in train],
                                            [CLASSES[i] for i in cv_pred])
    results["pairs_per_s"] = {"first_pass": first_pass,
                              "steady": throughput([(r["claim"], r["text"]) for r in test])}
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for name in ("test", "cv_train_10fold"):
        if name not in results:
            continue
        r = results[name]
        assert isinstance(r, dict)
        f1 = " ".join(f"{c} {r['f1'][c]:.3f}" for c in CLASSES)
        print(f"{name:16} n={r['n']:<5} acc {r['accuracy']:.3f}  macro-F1 {r['macro_f1']:.3f}"
              f"  [{f1}]")
    print("anchors (test): " + "; ".join(
        f"{n} acc {a['accuracy']:.3f} macro-F1 {a['macro_f1']:.3f}" for n, a in ANCHORS.items())
        + f"; target macro-F1 >= {TARGET}, goal >= {GOAL}")
    speed = results["pairs_per_s"]
    assert isinstance(speed, dict)
    print(f"stance_toward: {speed['first_pass']:.0f} pairs/s first pass, "
          f"{speed['steady']:.0f} pairs/s steady (one core, pure Python)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
