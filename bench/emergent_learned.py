"""Emergent test split through the learned linker's stance head (`link/learned.py`), for
measurement only: the head is trained on our gold, never on Emergent.

    .venv/bin/python bench/emergent_learned.py [--json]

Each (claim headline, article headline) pair is read as a statement (the article headline, its
source's commitment taken as a plain assertion: Emergent gives none) bearing on a proposition
(the claim), so only the stance head is measured, not linking. Beside it, the frame rules'
`stance_on` on the same input, the same with the opt-in learned head over the rules'
readings (`link/stance_model.py`, `CORROBORATE_STANCE=learned`) and the Emergent-tuned
`stance_toward` (`bench/emergent.py`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corroborate.link.learned import STANCES, load_model, stance_features
from corroborate.link.propositions import Claim, Proposition, stance_on
from corroborate.link.stance import stance_toward
from emergent import scores
from train_stance import benchmark_root, load_emergent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = load_emergent(benchmark_root(), "test")
    props = {r["claim"]: Proposition(f"C{n}", r["claim"]) for n, r in enumerate(rows)}
    order = list(props.values())
    index = {p.statement: m for m, p in enumerate(order)}
    claims = [Claim(str(n), r["text"], r["text"], "affirm", None) for n, r in enumerate(rows)]
    pairs = [(n, index[r["claim"]]) for n, r in enumerate(rows)]
    probabilities = load_model().stance_probabilities(stance_features(order, claims, pairs))
    gold = [r["label"] for r in rows]
    learned = [STANCES[int(p.argmax())] for p in probabilities]
    rules = [stance_on(order[m].statement, claims[n]) or "uncertain" for n, m in pairs]
    os.environ["CORROBORATE_STANCE"] = "learned"  # the opt-in head over the rules' readings
    head = [stance_on(order[m].statement, claims[n]) or "uncertain" for n, m in pairs]
    os.environ.pop("CORROBORATE_STANCE")
    tuned = [stance_toward(r["claim"], r["text"])[0] for r in rows]
    result = {name: {k: v for k, v in scores(gold, pred).items() if k != "confusion"}
              for name, pred in (("learned stance head", learned), ("stance_on (rules)", rules),
                                 ("stance_on (learned head)", head),
                                 ("stance_toward (Emergent-tuned)", tuned))}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for name, r in result.items():
        print(f"{name:32s} accuracy {r['accuracy']:.3f}  macro-F1 {r['macro_f1']:.3f}  n {r['n']}")


if __name__ == "__main__":
    main()
