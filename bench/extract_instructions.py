"""Extraction cost in machine instructions per byte, this checkout beside a git ref.

    .venv/bin/python bench/extract_instructions.py [--against main] [--docs 12]

On a shared box CPU seconds move by ±30% with the other jobs (cache and core contention),
so a speed change of 10–20% cannot be told apart from the load by timing it. Valgrind's
instruction count does not depend on the load: this runs the same workload under
`valgrind --tool=callgrind` twice per side — once extracting nothing (imports, pattern
compilation, one warm-up document) and once extracting `--docs` White House briefings — and
reports the difference per byte of UTF-8 text, for this checkout's `src/` and for REF's
(extracted with `git archive` into a temporary folder and put first on `PYTHONPATH`).

The workload: every (n // 40)-th record of ../shared/corpora/wh-briefings (n records), the
first one as warm-up, the next `--docs` extracted each as its own document with its own
date and kind. Under valgrind Python runs about 50× slower: with the default 12 documents
(0.5 MB) each side takes a few CPU minutes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BRIEFINGS = REPO.parent / "shared" / "corpora" / "wh-briefings" / \
    "wh-briefings-2021-2024h1.jsonl.gz"

_WORKLOAD = """
import json, sys
from corroborate.extract import extract_statements
docs = json.load(open(sys.argv[1]))
count = int(sys.argv[2])
for d in docs[:1 + count]:
    extract_statements(d["text"], d["published"], "x", d["kind"])
"""


def workload_docs(path: Path) -> list[dict[str, str | None]]:
    with gzip.open(BRIEFINGS, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    docs = rows[::max(1, len(rows) // 40)][:40]
    chosen = [{"text": d["text"], "published": d.get("published"), "kind": d.get("kind")}
              for d in docs]
    path.write_text(json.dumps(chosen), encoding="utf-8")
    return chosen


def instructions(src: Path, docs: Path, count: int, out: Path) -> int:
    """Instructions callgrind counts for the workload with `count` documents after the
    warm-up one (count 0: the warm-up alone)."""
    script = out / "workload.py"
    script.write_text(_WORKLOAD, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(src)}
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out / 'callgrind.out'}",
         sys.executable, str(script), str(docs), str(count)],
        env=env, capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", run.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{run.stderr[-2000:]}")
    return int(found.group(1))


def per_byte(src: Path, docs: Path, count: int, nbytes: int, out: Path) -> float:
    base = instructions(src, docs, 0, out)
    full = instructions(src, docs, count, out)
    return (full - base) / nbytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--against", default="main", help="git ref to compare with")
    parser.add_argument("--docs", type=int, default=12)
    args = parser.parse_args()
    if not BRIEFINGS.exists():
        raise SystemExit(f"{BRIEFINGS} is missing")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        docs = workload_docs(out / "docs.json")
        nbytes = sum(len(str(d["text"]).encode("utf-8")) for d in docs[1:1 + args.docs])
        archive = subprocess.run(["git", "-C", str(REPO), "archive", args.against, "src"],
                                 capture_output=True, check=True).stdout
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(out / "ref", filter="data")
        mine = per_byte(REPO / "src", out / "docs.json", args.docs, nbytes, out)
        theirs = per_byte(out / "ref" / "src", out / "docs.json", args.docs, nbytes, out)
    print(f"{args.docs} briefings, {nbytes:,} bytes: {args.against} {theirs:,.0f} "
          f"instructions/byte, this checkout {mine:,.0f} ({mine / theirs:.3f} of "
          f"{args.against}'s)")


if __name__ == "__main__":
    main()
