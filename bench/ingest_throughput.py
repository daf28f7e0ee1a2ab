"""Ingest throughput and peak memory of `corroborate add` on generated corpora.

Runs the real CLI in a child process pinned to one core (where `taskset` exists) and reads
the child's peak RSS, for: 10,000 mixed documents (text, HTML, WARC), HTML alone, and a corpus
a fifth the size to show whether memory grows with corpus size.

    .venv/bin/python bench/ingest_throughput.py [--json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_corpus import generate

_PEAK = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:]); "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)")


def run_add(corpus: Path, work: Path, extract: bool) -> dict[str, float]:
    db = work / f"{corpus.name}-{extract}.db"
    command = [sys.executable, "-m", "corroborate", "--db", str(db), "add", "--json", str(corpus)]
    if not extract:
        command.append("--no-extract")
    if shutil.which("taskset"):
        command = ["taskset", "-c", "0", *command]
    # A fresh wrapper per run, so each peak RSS is that run's own, not a running maximum.
    wrapper = [sys.executable, "-c", _PEAK, *command]
    started = time.perf_counter()
    done = subprocess.run(wrapper, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    summary = json.loads(done.stdout)
    if summary["failed"]:
        raise SystemExit(f"ingest failed: {summary['failures'][:3]}")
    docs = summary["added"] + summary["new_versions"]
    return {"documents": docs, "mb": summary["bytes"] / 1e6, "seconds": round(seconds, 2),
            "docs_per_s": round(docs / seconds, 1), "mb_per_s": round(summary["bytes"] / 1e6
                                                                       / seconds, 2),
            "peak_rss_mb": round(peak_kb / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="corroborate-bench-") as tmp:
        work = Path(tmp)
        plans = {"mixed_10k": (4000, 4000, 2000), "mixed_2k": (800, 800, 400),
                 "html_2k": (0, 2000, 0)}
        for name, (text, html, warc) in plans.items():
            generate(work / name, text, html, warc)
        for name in ("mixed_2k", "mixed_10k", "html_2k"):
            results[f"{name} ingest only"] = run_add(work / name, work, extract=False)
            results[f"{name} + extraction"] = run_add(work / name, work, extract=True)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print("| corpus | documents | MB | seconds | docs/s | MB/s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['documents']:.0f} | {r['mb']:.1f} | {r['seconds']} | "
              f"{r['docs_per_s']} | {r['mb_per_s']} | {r['peak_rss_mb']} |")


if __name__ == "__main__":
    main()
