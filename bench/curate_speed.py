"""What corrections cost: latency of one correction and one undo, and what the overlay adds to
`link` and `reextract`, on a generated ledger (our own template sentences, bench/gen_corpus.py).

    .venv/bin/python bench/curate_speed.py [--documents 1000] [--corrections 200] [--json]

A correction writes one row and re-applies its overlay in the same transaction: a link
correction re-derives every link correction (so its cost grows with their number), a statement
correction re-derives one document's statements. Timed: `set_link` and `set_statement` (p50,
p99, ms), `undo`, then `link` and `reextract` with no corrections and with all of them.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corroborate import open_ledger
from gen_corpus import generate
from link_scale import PROPOSITIONS


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--corrections", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    n = args.documents
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="corroborate-curate-") as tmp:
        work = Path(tmp)
        generate(work / "corpus", n * 4 // 10, n * 4 // 10, n - 2 * (n * 4 // 10))
        with open_ledger(str(work / "l.db"), work / "archive") as ledger:
            summary = ledger.add([str(work / "corpus")])
            figures["documents"], figures["statements"] = summary.added, summary.statements
            ledger.propose(PROPOSITIONS)
            t = time.perf_counter()
            ledger.link(force=True)
            figures["link_s_no_corrections"] = time.perf_counter() - t
            t = time.perf_counter()
            ledger.reextract()
            figures["reextract_s_no_corrections"] = time.perf_counter() - t
            ledger.link(force=True)
            rng = random.Random(5)
            rows = ledger.resolved_statements()
            chosen = rng.sample(rows, min(args.corrections, len(rows)))
            stances = ("affirm", "deny", "uncertain", None)
            link_ms, statement_ms, made = [], [], []
            for r in chosen:
                t = time.perf_counter()
                made.append(ledger.curate.set_link(r.statement.id, rng.choice(PROPOSITIONS).id,
                                                   rng.choice(stances), "bench"))
                link_ms.append((time.perf_counter() - t) * 1000)
            for r in chosen[: len(chosen) // 2]:
                t = time.perf_counter()
                ledger.curate.set_statement(r.statement.id, "bench", stance="uncertain")
                statement_ms.append((time.perf_counter() - t) * 1000)
            undo_ms = []
            for c in made[:20]:
                t = time.perf_counter()
                ledger.curate.undo(c.id, "bench")
                undo_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            ledger.link(force=True)
            figures["link_s_with_corrections"] = time.perf_counter() - t
            t = time.perf_counter()
            ledger.reextract()
            figures["reextract_s_with_corrections"] = time.perf_counter() - t
            t = time.perf_counter()
            history = ledger.curate.history(limit=50)
            figures["history_page_ms"] = (time.perf_counter() - t) * 1000
            figures["corrections"] = len(made) + len(statement_ms) + len(undo_ms)
            assert len(history) == 50
            figures.update({
                "set_link_ms_p50": median(link_ms), "set_link_ms_p99": _p99(link_ms),
                "set_statement_ms_p50": median(statement_ms),
                "set_statement_ms_p99": _p99(statement_ms),
                "undo_ms_p50": median(undo_ms), "undo_ms_p99": _p99(undo_ms)})
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"  {key:30s} {value:,.2f}")


if __name__ == "__main__":
    main()
