"""What the embedding cache (link/vectors.py) saves: `link` with no story pack (the learned
linker), cold, warm, and after adding 10% more documents, on the Kursk example and on a sample
of White House briefings.

    .venv/bin/python bench/link_cache.py [--briefings 300] [--json]   (0: Kursk only)

Per corpus: statements/s of a cold link (empty cache: every text encoded), a warm relink
(nothing new: every vector read back) and a relink after adding 10% more documents (only
their text encoded), with how many texts each run encoded and read. It also checks that the
links are the same: warm against cold exactly, and the grown ledger against a cold link of
the same documents in a fresh ledger (which encodes the old texts in other batches, so a
difference would be float32 rounding, reported as the number of differing links).

The briefing sample is every 10th record of ../shared/corpora/wh-briefings (public domain),
the first `--briefings` of them, then 10% more; the propositions are the covid-origins
story's (tests/gold/wh/covid-origins), which the whole sample is linked against. Without the
corpus only Kursk is measured, and the output says so.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from corroborate import open_ledger
from corroborate.api import Ledger, load_propositions
from corroborate.link.vectors import CachedEncoder, cached

REPO = Path(__file__).resolve().parent.parent
BRIEFINGS = REPO.parent / "shared" / "corpora" / "wh-briefings" / \
    "wh-briefings-2021-2024h1.jsonl.gz"
KURSK = REPO / "examples" / "kursk"
KURSK_PROPOSITIONS = REPO / "examples" / "kursk-propositions.json"
WH_PROPOSITIONS = REPO / "tests" / "gold" / "wh" / "covid-origins" / "propositions.json"


@contextmanager
def counted(ledger: Ledger) -> Iterator[CachedEncoder]:
    """The cache the default link would open, held here so its counts can be read."""
    with cached(ledger.store) as cache:
        yield cache


def timed_link(ledger: Ledger) -> dict[str, Any]:
    with counted(ledger) as cache:
        t = time.perf_counter()
        summary = ledger.link(force=True)
        seconds = time.perf_counter() - t
    assert summary is not None
    return {"method": summary.method, "statements": summary.statements,
            "seconds": round(seconds, 2),
            "statements_per_s": round(summary.statements / seconds, 1),
            "encoded": cache.encoded, "cached": cache.hits}


def links(ledger: Ledger) -> set[tuple[Any, ...]]:
    return {tuple(r) for r in ledger.store.backend.query(
        "SELECT statement_id, proposition_id, stance FROM assignments")}


def measure(name: str, first: list[Path], more: list[Path], propositions: Path,
            work: Path) -> dict[str, Any]:
    figures: dict[str, Any] = {"corpus": name, "documents": len(first),
                               "added_documents": len(more)}
    with open_ledger(str(work / f"{name}.db"), work / f"{name}-archive") as ledger:
        ledger.add([str(p) for p in first])
        ledger.propose(load_propositions(propositions))
        figures["cold"] = timed_link(ledger)
        cold = links(ledger)
        figures["warm"] = timed_link(ledger)
        figures["warm_links_identical"] = links(ledger) == cold
        ledger.add([str(p) for p in more])
        figures["grown"] = timed_link(ledger)
        grown = links(ledger)
    with open_ledger(str(work / f"{name}-fresh.db"), work / f"{name}-fresh-archive") as fresh:
        fresh.add([str(p) for p in first + more])
        fresh.propose(load_propositions(propositions))
        figures["grown_cold"] = timed_link(fresh)
        figures["grown_links_differing_from_cold"] = len(links(fresh) ^ grown)
        figures["grown_links"] = len(grown)
    return figures


def kursk_split(folder: Path) -> tuple[list[Path], list[Path]]:
    """The example's documents (a file with its sidecar), the last 10% held back to add."""
    docs = sorted(p for p in KURSK.iterdir() if not p.name.endswith(".meta.json"))
    copies = []
    for path in docs:
        shutil.copy(path, folder / path.name)
        sidecar = path.with_name(path.name + ".meta.json")
        if sidecar.exists():
            shutil.copy(sidecar, folder / sidecar.name)
        copies.append(folder / path.name)
    held = set(copies[1::10])  # 10%, spread over the story's weeks
    return [p for p in copies if p not in held], [p for p in copies if p in held]


def briefing_split(folder: Path, size: int) -> tuple[list[Path], list[Path]]:
    """Every 10th briefing (spread over 2021-2024), `size` of them plus 10% more, as two
    JSON Lines files so the second can be added after the first is linked."""
    records = []
    with gzip.open(BRIEFINGS, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if n % 10 == 0:
                records.append(line)
            if len(records) >= size + max(1, size // 10):
                break
    first, more = folder / "first.jsonl", folder / "more.jsonl"
    first.write_text("".join(records[:size]), encoding="utf-8")
    more.write_text("".join(records[size:]), encoding="utf-8")
    return [first], [more]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--briefings", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="corroborate-link-cache-") as tmp:
        work = Path(tmp)
        (work / "kursk").mkdir()
        first, more = kursk_split(work / "kursk")
        results.append(measure("kursk", first, more, KURSK_PROPOSITIONS, work))
        if args.briefings <= 0:
            print("--briefings 0: measured the Kursk example only", file=sys.stderr)
        elif BRIEFINGS.exists():
            (work / "wh").mkdir()
            first, more = briefing_split(work / "wh", args.briefings)
            row = measure(f"wh-briefings-{args.briefings}", first, more, WH_PROPOSITIONS, work)
            row["documents"], row["added_documents"] = args.briefings, max(1, args.briefings // 10)
            results.append(row)
        else:
            print(f"{BRIEFINGS} is missing: measured the Kursk example only", file=sys.stderr)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for row in results:
        print(f"{row['corpus']}: {row['documents']} documents, +{row['added_documents']}")
        for run in ("cold", "warm", "grown", "grown_cold"):
            r = row[run]
            print(f"  {run:10} {r['statements']:6} statements {r['seconds']:8.2f} s "
                  f"{r['statements_per_s']:8.1f} st/s  encoded {r['encoded']:6} "
                  f"cached {r['cached']:6}  ({r['method']})")
        print(f"  warm links identical to cold: {row['warm_links_identical']}; grown ledger "
              f"vs a fresh cold link: {row['grown_links_differing_from_cold']} of "
              f"{row['grown_links']} links differ")


if __name__ == "__main__":
    main()
