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
from collections.abc import Callable
from pathlib import Path
from statistics import median
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corroborate import Ledger, open_ledger
from gen_corpus import generate
from link_scale import PROPOSITIONS

T = TypeVar("T")


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def timed(work: Callable[[], T]) -> tuple[T, float]:
    """What `work` returned, and how long it took in milliseconds."""
    started = time.perf_counter()
    result = work()
    return result, (time.perf_counter() - started) * 1000


def relink_and_reextract(ledger: Ledger, figures: dict[str, float], label: str) -> None:
    figures[f"link_s_{label}"] = timed(lambda: ledger.link(force=True))[1] / 1000
    figures[f"reextract_s_{label}"] = timed(ledger.reextract)[1] / 1000


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
            relink_and_reextract(ledger, figures, "no_corrections")
            ledger.link(force=True)
            rng = random.Random(5)
            rows = ledger.resolved_statements()
            chosen = rng.sample(rows, min(args.corrections, len(rows)))
            stances = ("affirm", "deny", "uncertain", None)
            link_ms, statement_ms, undo_ms, made = [], [], [], []
            for r in chosen:
                c, ms = timed(lambda r=r: ledger.curate.set_link(
                    r.statement.id, rng.choice(PROPOSITIONS).id, rng.choice(stances), "bench"))
                made.append(c)
                link_ms.append(ms)
            for r in chosen[: len(chosen) // 2]:
                statement_ms.append(timed(lambda r=r: ledger.curate.set_statement(
                    r.statement.id, "bench", stance="uncertain"))[1])
            for c in made[:20]:
                undo_ms.append(timed(lambda c=c: ledger.curate.undo(c.id, "bench"))[1])
            relink_and_reextract(ledger, figures, "with_corrections")
            history, figures["history_page_ms"] = timed(lambda: ledger.curate.history(limit=50))
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
