"""Accuracy of statement extraction on our own hand-annotated gold (examples/kursk).

    .venv/bin/python bench/kursk_gold.py [--json] [--errors]

Statement precision/recall/F1, and on matched statements source, stance and said_on accuracy
(matching rules in tests/gold/score.py). The same figures have floors in
tests/test_gold_accuracy.py, so CI fails when they drop.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from gold.check_gold import load_gold
from gold.score import documents, predict, score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--errors", action="store_true", help="list missed and spurious")
    args = parser.parse_args()
    gold = load_gold()
    docs = documents()
    predicted = predict(docs)
    result = score(gold, predicted).as_dict()
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"Kursk gold: {result['gold']} statements in {len(docs)} documents; "
              f"{result['predicted']} predicted, {result['matched']} matched")
        for key in ("statement_precision", "statement_recall", "statement_f1",
                    "source_accuracy", "stance_accuracy", "said_on_accuracy"):
            print(f"  {key:20s} {result[key]:.3f}")
    if args.errors:
        for key, preds in predicted.items():
            print(f"== {key}")
            for st in preds:
                print(f"  PRED {st.kind:12s} {st.source.text if st.source else None!s:30.30s} "
                      f"| {st.cue.text if st.cue else None!s:20.20s} | {st.stance:9s} "
                      f"| {st.said_on} | {st.content.text[:70]}")
            for g in gold:
                if g["document"] == key:
                    print(f"  GOLD {g['kind']:12s} {g['source']!s:30.30s} | {g['cue']!s:20.20s} "
                          f"| {g['stance']:9s} | {g['said_on']} | {g['content'][:70]}")


if __name__ == "__main__":
    main()
