"""Judgement on the bundled Kursk corpus: how suggested credibility spreads over each
proposition's statements, what the ACH matrix of two competing propositions says and how long
it takes, and whether every Web Annotation selector slices the archived text exactly.

    .venv/bin/python bench/judge_kursk.py

No gold exists for credibility or ACH cells (they are the analyst's to confirm), so these are
descriptive figures, not accuracy; the selector check is exact.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from pathlib import Path

from corroborate import open_ledger
from corroborate.api import load_propositions
from corroborate.interchange import annotations_of, check_annotation, claim_review_of

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, \
            open_ledger(str(Path(tmp) / "k.db"), Path(tmp) / "archive") as ledger:
        assert ledger.add([str(REPO / "examples" / "kursk")]).ok
        ledger.propose(load_propositions(REPO / "examples" / "kursk-propositions.json"))
        ledger.link(force=True, pack=REPO / "examples" / "kursk-pack.json")
        print("credibility suggested per proposition (value: statements)")
        for p in ledger.links.propositions("analyst"):
            a = ledger.assessment(p.id)
            spread = Counter(g.credibility for g in a.grades.values())
            print(f"  {p.id} ({len(a.timeline)} statements): "
                  + ", ".join(f"{v}: {n}" for v, n in sorted(spread.items())))
        ledger.judge.create_ach("bench", ["P1", "P6"], exclusive=True)
        started = time.perf_counter()
        matrix = ledger.judge.ach("bench")
        seconds = time.perf_counter() - started
        diagnostic = sum(i.diagnosticity > 0 for i in matrix.items)
        print(f"ACH P1 vs P6 (exclusive): {len(matrix.items)} items, {diagnostic} diagnostic, "
              f"built in {seconds:.2f}s; ranking "
              + ", ".join(f"#{r.rank} {r.hypothesis.id} ({r.inconsistency:g})"
                          for r in matrix.ranking)
              + f"; {sum(s.order_changed for s in matrix.sensitivity)} of "
                f"{len(matrix.sensitivity)} sensitivity checks change the order")
        texts = {d.id: d.text for d in ledger.documents(with_text=True)}
        started = time.perf_counter()
        found = list(annotations_of(ledger))
        seconds = time.perf_counter() - started
        bad = [a["id"] for a in found
               if check_annotation(a, texts[a["target"]["source"].rsplit(":", 1)[1]])]
        print(f"Web Annotations: {len(found)} in {seconds:.2f}s, {len(bad)} with a selector "
              "that does not slice the archived text exactly")
        review = claim_review_of(ledger, "P2", "bench")
        print(f"ClaimReview P2: {len(review['itemReviewed']['appearance'])} appearances; "
              f"{review['reviewRating']['alternateName']}")


if __name__ == "__main__":
    main()
