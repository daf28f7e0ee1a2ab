"""Linking and the report model at scale: time and peak memory of each step on its own.

    .venv/bin/python bench/link_scale.py [--documents 10000] [--ledger DIR] [--method rules]
                                         [--stages] [--tracemalloc] [--json] [--grow PCT]

Generates `--documents` documents (text, HTML, WARC; ~14 statements each) and adds them, then
runs `link` (sources, propositions, relays) and the report model (plus HTML rendering and the
per-proposition timeline query), each in a process of its own, so the peak memory reported
for a step is that step's and not the `add` before it. `--ledger DIR` keeps the ledger there
and reuses it when it exists (the same ledger measured before and after a change).
`--method` picks the linker for the analyst propositions (`rules` with the story's concept
words, or `learned`, which embeds every statement; default: rules). `--stages` reports, for
each stage of `link` (read and key the ledger, build the sources, assign to the analyst
propositions, discover and assign the rest, write), the process's resident memory and peak
when the stage ended, and with `--tracemalloc` the Python heap traced then and the stage's own
peak (several times slower).

`--grow PCT` measures incremental linking: the ledger is linked in full (which keeps its
concept bags and stances, store/linkcache.py), `PCT` percent more documents are generated
(another seed) and added, the ledger is copied, and the original is relinked incrementally
while the copy is linked with `--full`, each in a process of its own; the two ledgers' link
tables are then compared row for row (`grow_same_links`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    """CPU seconds of this process: on a shared, loaded machine wall time says little."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def phase_add(work: Path, n: int) -> dict[str, Any]:
    generate(work / "corpus", n * 4 // 10, n * 4 // 10, n - 2 * (n * 4 // 10))
    with open_ledger(str(work / "l.db"), work / "archive") as ledger:
        t = time.perf_counter()
        summary = ledger.add([str(work / "corpus")])
        seconds = time.perf_counter() - t
        cpu = _cpu()
        ledger.propose(PROPOSITIONS)
    return {"add_seconds": seconds, "add_cpu_seconds": cpu, "documents": summary.added,
            "statements": summary.statements, "add_peak_rss_mb": _peak_mb()}


def _rss_mb() -> float:
    """Resident memory now (Linux), beside the peak."""
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def phase_link(work: Path, method: str, stages: bool = False, traced: bool = False,
               full: bool = True, db: str = "l.db") -> dict[str, Any]:
    import tracemalloc

    from corroborate.link.run import link_ledger

    seen: dict[str, dict[str, float]] = {}
    if traced:
        tracemalloc.start()

    def probe(stage: str) -> None:
        seen[stage] = {"rss_mb": round(_rss_mb(), 1), "peak_rss_mb": round(_peak_mb(), 1),
                       "cpu_seconds": round(_cpu() - cpu, 2)}
        if traced:
            now, peak = tracemalloc.get_traced_memory()
            seen[stage].update(traced_mb=round(now / 2**20, 1),
                               traced_peak_mb=round(peak / 2**20, 1))
            tracemalloc.reset_peak()
        # As it happens too, for a long run that may be cut short.
        print(json.dumps({stage: seen[stage]}), file=sys.stderr, flush=True)

    with open_ledger(str(work / db), work / "archive") as ledger:
        t, cpu = time.perf_counter(), _cpu()
        if stages:
            linked = link_ledger(ledger.store, method=method, probe=probe, full=full)
        else:
            linked = ledger.link(force=True, method=method, full=full)
        seconds, cpu = time.perf_counter() - t, _cpu() - cpu
        assert linked is not None
        return {"link_seconds": seconds, "link_cpu_seconds": cpu, "method": linked.method,
                "linked_statements": linked.statements, "sources": linked.sources,
                "assignments": linked.assignments,
                "discovered_propositions": linked.discovered, "link_peak_rss_mb": _peak_mb(),
                "link_rows_written": linked.written, "link_incremental": linked.incremental,
                "link_bagged": linked.bagged, "link_stances_read": linked.scored,
                "link_stances_reused": linked.reused,
                **({"link_stages": seen} if stages else {})}


def phase_grow(work: Path, percent: float) -> dict[str, Any]:
    """Add `percent` percent more generated documents (plain text, another seed)."""
    with open_ledger(str(work / "l.db"), work / "archive") as ledger:
        documents = int(ledger.summary()["documents"])
        n = max(1, round(documents * percent / 100))
        generate(work / f"grow-{documents}", n, 0, 0, seed=8 + documents)
        t = time.perf_counter()
        summary = ledger.add([str(work / f"grow-{documents}")])
        return {"grow_documents": summary.added, "grow_statements": summary.statements,
                "grow_add_seconds": time.perf_counter() - t}


_LINK_TABLES = {"sources": "id, key, name, type, statements, speaks_for",
                "statement_sources": "statement_id, source_id, via_source_id",
                "assignments": "statement_id, proposition_id, score, stance, day",
                "relays": "statement_id, relayer_id, origin_id",
                "propositions": "id, statement, origin"}


def _link_digest(path: Path) -> dict[str, str]:
    """Each link table's rows in key order, digested (streamed: a 1M ledger's tables)."""
    db = sqlite3.connect(path)
    out = {}
    for table, columns in _LINK_TABLES.items():
        h = hashlib.sha256()
        for row in db.execute(f"SELECT {columns} FROM {table} ORDER BY {columns}"):
            h.update(repr(row).encode())
        out[table] = h.hexdigest()
    db.close()
    return out


def phase_report(work: Path) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    with open_ledger(str(work / "l.db"), work / "archive") as ledger:
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
        t, cpu = time.perf_counter(), _cpu()
        model = ledger.report_model(propositions=[p.id for p in PROPOSITIONS])
        figures["report_model_seconds"] = time.perf_counter() - t
        figures["report_model_cpu_seconds"] = _cpu() - cpu
        figures["report_model_peak_rss_mb"] = _peak_mb()
        try:
            from corroborate.report import render_report

            t = time.perf_counter()
            html = render_report(model)
            figures["render_seconds"] = time.perf_counter() - t
            figures["report_mb"] = len(html.encode()) / 1e6
        except ImportError:
            pass
    figures["report_peak_rss_mb"] = _peak_mb()
    return figures


def _child(work: Path, *args: str) -> dict[str, Any]:
    """Run one phase in a fresh interpreter: its peak RSS is its own."""
    out = subprocess.run([sys.executable, __file__, "--phase", *args, "--ledger", str(work)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _grow(work: Path, method: str, percent: float, staged: list[str], check: bool = True
          ) -> dict[str, Any]:
    """After the full link above: add more, copy, relink both ways, compare (`check`)."""
    figures = _child(work, "grow", str(percent))
    if check:
        source, copy = sqlite3.connect(work / "l.db"), sqlite3.connect(work / "full.db")
        source.backup(copy)
        source.close()
        copy.close()
    incremental = _child(work, "link", method, "incremental", *staged)
    figures.update({f"incremental_{k}": v for k, v in incremental.items()})
    if check:
        full = _child(work, "link", method, "db=full.db", *staged)
        figures.update({f"full_{k}": v for k, v in full.items()})
        figures["grow_same_links"] = (_link_digest(work / "l.db")
                                      == _link_digest(work / "full.db"))
        (work / "full.db").unlink()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--ledger", type=Path, help="keep (and reuse) the ledger here")
    parser.add_argument("--method", default="rules", choices=("rules", "learned"))
    parser.add_argument("--skip-report", action="store_true")
    parser.add_argument("--stages", action="store_true", help="memory after each link stage")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="with --stages: the traced Python heap too (slow)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--grow", type=float, metavar="PCT",
                        help="incremental relink after adding PCT%% more documents, against "
                             "a full link of a copy")
    parser.add_argument("--grow-no-full", action="store_true",
                        help="with --grow: skip the copy's full link and the comparison (a "
                             "long run on a large ledger)")
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        name, *rest = args.phase
        result = {"add": lambda: phase_add(args.ledger, int(rest[0])),
                  "link": lambda: phase_link(args.ledger, rest[0], "stages" in rest,
                                             "traced" in rest, "incremental" not in rest,
                                             next((r[3:] for r in rest
                                                   if r.startswith("db=")), "l.db")),
                  "grow": lambda: phase_grow(args.ledger, float(rest[0])),
                  "report": lambda: phase_report(args.ledger)}[name]()
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory(prefix="corroborate-scale-") as tmp:
        work = args.ledger or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        figures: dict[str, Any] = {}
        if not (work / "l.db").exists():
            figures.update(_child(work, "add", str(args.documents)))
        staged = [*(["stages"] if args.stages or args.tracemalloc else []),
                  *(["traced"] if args.tracemalloc else [])]
        figures.update(_child(work, "link", args.method, *staged))
        if args.grow:
            figures.update(_grow(work, args.method, args.grow, staged, not args.grow_no_full))
        if not args.skip_report:
            figures.update(_child(work, "report"))
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            shown = f"{value:,.2f}" if isinstance(value, float) else str(value)
            print(f"  {key:28s} {shown}")


if __name__ == "__main__":
    main()
