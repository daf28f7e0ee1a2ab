"""Linking, assessment and report at scale: 10,000 generated documents (~100,000 statements).

    .venv/bin/python bench/link_scale.py [--documents 10000] [--json]

Times `add` (ingest + extraction), `link` (sources, propositions, relays), building the report
model, rendering the HTML, and the per-proposition timeline query; reports peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corroborate import open_ledger
from corroborate.assess.model import entries
from corroborate.link.propositions import Proposition
from gen_corpus import generate

PROPOSITIONS = [
    Proposition("P1", "North Korea has sent troops to Russia"),
    Proposition("P2", "North Korean troops are deployed in the Kursk region"),
    Proposition("P3", "North Korean troops have entered combat"),
    Proposition("P4", "Forged identity documents were issued to North Korean soldiers"),
    Proposition("P5", "The reports are groundless rumours spread to justify escalation"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    n = args.documents
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="corroborate-scale-") as tmp:
        work = Path(tmp)
        generate(work / "corpus", n * 4 // 10, n * 4 // 10, n - 2 * (n * 4 // 10))
        with open_ledger(str(work / "l.db"), work / "archive") as ledger:
            t = time.perf_counter()
            summary = ledger.add([str(work / "corpus")])
            figures["add_seconds"] = time.perf_counter() - t
            figures["documents"] = summary.added
            figures["statements"] = summary.statements
            ledger.propose(PROPOSITIONS)
            t = time.perf_counter()
            linked = ledger.link(force=True)
            figures["link_seconds"] = time.perf_counter() - t
            assert linked is not None
            figures["sources"] = linked.sources
            figures["assignments"] = linked.assignments
            figures["discovered_propositions"] = linked.discovered
            pages, full = [], []
            for p in PROPOSITIONS:
                t = time.perf_counter()
                ledger.links.timeline_page(p.id, limit=200)
                pages.append(time.perf_counter() - t)
                t = time.perf_counter()
                entries(ledger.store, p.id)
                full.append(time.perf_counter() - t)
            figures["timeline_page_ms_max"] = max(pages) * 1000
            figures["timeline_all_rows_ms_max"] = max(full) * 1000
            t = time.perf_counter()
            model = ledger.report_model(propositions=[p.id for p in PROPOSITIONS])
            figures["report_model_seconds"] = time.perf_counter() - t
            try:
                from corroborate.report import render_report

                t = time.perf_counter()
                html = render_report(model)
                figures["render_seconds"] = time.perf_counter() - t
                figures["report_mb"] = len(html.encode()) / 1e6
            except ImportError:
                pass
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"  {key:28s} {value:,.2f}")


if __name__ == "__main__":
    main()
