"""Where `add --jobs N` spends its CPU: the one writer against the workers, and the Amdahl bound
that implies.

Wall-clock scaling on a shared machine says more about the neighbours than about the pool, so
this bench measures what does not depend on load: CPU seconds per process and, inside the
writer, per thread (the main thread reads, parses and commits; the executor's threads pickle
documents out and unpickle results back). Each run is `Ledger.add` in this process on a fresh
SQLite ledger; a sampler thread reads /proc every 50 ms for the fork server and the workers
(a worker's last reading before it exits is kept, so a run under-counts a worker by at most
one interval) and the writer's own threads are read at the end.

    .venv/bin/python bench/pool_serial.py --limit 400           # first 400 wh-briefings rows
    .venv/bin/python bench/pool_serial.py --limit 400 --files   # the same, one file per row
    .venv/bin/python bench/pool_serial.py --limit 400 --profile # + cProfile of the main thread

The serial fraction s is the writer's CPU over the whole run's CPU with `--jobs N` (the writer
is one process however many workers there are). Two bounds for N idle cores follow:
Amdahl's, 1 / (s + (1 - s) / N), holds when the writer's work runs alone (while it stores a
chunk and the workers' window is full, they wait); the pipelined bound, CPU(--jobs 1) /
max(writer, total / N), holds when the writer overlaps the workers completely. A real run lies
between. Reads ../shared/corpora/wh-briefings (public domain).
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import hashlib
import io
import json
import os
import pstats
import resource
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from corroborate import open_ledger

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engines import CORPUS, PAGE, TICKS, _children


def _stat(pid: int) -> tuple[int, float, int] | None:
    """(parent pid, CPU seconds, resident bytes) of a live process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS, int(fields[21]) * PAGE


def _descendants(root: int) -> list[int]:
    children = _children()  # engines.py's map of parent pid to child pids

    def below(pid: int) -> list[int]:
        return [pid for child in children.get(pid, []) for pid in (child, *below(child))]
    return below(root)


@dataclass
class Sampler:
    """CPU seconds of every process below this one, read every `interval` seconds."""

    interval: float = 0.05
    cpu: dict[int, float] = field(default_factory=dict)
    parent: dict[int, int] = field(default_factory=dict)
    own: float = 0.0  # this thread's CPU seconds: the bench's, not the writer's
    peak: int = 0  # the largest resident bytes of this process and its descendants together
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            self.own = time.thread_time()
            resident = 0
            for pid in [me, *_descendants(me)]:
                stat = _stat(pid)
                if stat is not None:
                    resident += stat[2]
                    if pid != me:
                        self.parent[pid], self.cpu[pid] = stat[:2]
            self.peak = max(self.peak, resident)
            self._stop.wait(self.interval)
        self.own = time.thread_time()

    def stop(self) -> None:
        self._stop.set()


def _process_cpu() -> float:
    """CPU seconds of this process, every thread, exited ones included."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Measured:
    jobs: int
    wall: float
    writer: float  # every thread of this process during the add, less the sampler
    writer_main: float
    workers: list[float]
    forkserver: float
    documents: int
    statements: int
    peak_mb: float
    digest: str  # of every stored statement (id, document, position, data)

    @property
    def total(self) -> float:
        return self.writer + sum(self.workers) + self.forkserver


def measure(paths: list[str], work: Path, jobs: int, profile: bool) -> Measured:
    db = work / f"jobs{jobs}.db"
    for old in work.glob(f"jobs{jobs}.*"):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    sampler = Sampler()
    watcher = threading.Thread(target=sampler.run, name="sampler", daemon=True)
    watcher.start()
    before = _process_cpu()
    main_before = time.thread_time()
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    with open_ledger(str(db), work / f"jobs{jobs}.archive") as ledger:
        if profiler:
            profiler.enable()
        summary = ledger.add(paths, jobs=jobs)
        if profiler:
            profiler.disable()
    wall = time.perf_counter() - started
    main = time.thread_time() - main_before
    sampler.stop()
    watcher.join()
    writer = _process_cpu() - before - sampler.own
    me = os.getpid()
    forkserver = [pid for pid, parent in sampler.parent.items() if parent == me]
    workers = [sampler.cpu[pid] for pid, parent in sampler.parent.items()
               if parent in forkserver]
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        print(out.getvalue())
    if summary.failed:
        print(f"  ({len(summary.failed)} failure line(s), first: {summary.failed[0][:160]})")
    digest = hashlib.sha256()
    with sqlite3.connect(db) as conn:
        for row in conn.execute("SELECT id, doc_id, position, data FROM statements ORDER BY id"):
            digest.update(json.dumps(row).encode())
    return Measured(jobs, wall, writer, main, workers,
                    sum(sampler.cpu[pid] for pid in forkserver),
                    summary.added + summary.new_versions, summary.statements,
                    sampler.peak / 1e6, digest.hexdigest())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=400, help="first N rows (0: all)")
    parser.add_argument("--jobs", default="1,2", help="pool sizes, e.g. 1,2")
    parser.add_argument("--files", action="store_true",
                        help="one .jsonl file per row (the batched path) instead of one file")
    parser.add_argument("--profile", action="store_true", help="cProfile the main thread")
    args = parser.parse_args()
    if not CORPUS.is_file():
        raise SystemExit(f"{CORPUS}: missing; nothing measured")
    work = Path(tempfile.mkdtemp(prefix="bench-pool-serial-"))
    try:
        folder = work / "in"
        folder.mkdir()
        rows = []
        with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
            for n, line in enumerate(lines):
                if args.limit and n >= args.limit:
                    break
                rows.append(line)
        if args.files:
            for n, row in enumerate(rows):
                (folder / f"row{n:05d}.jsonl").write_text(row, encoding="utf-8")
        else:
            (folder / "briefings.jsonl").write_text("".join(rows), encoding="utf-8")
        megabytes = sum(len(r.encode()) for r in rows) / 1e6
        print(f"input: {len(rows)} rows, {megabytes:.1f} MB, "
              f"{'one file per row' if args.files else 'one JSONL file'}; "
              f"load average {os.getloadavg()[0]:.2f}")
        runs = []
        for jobs in (int(j) for j in args.jobs.split(",")):
            run = measure([str(folder)], work, jobs, args.profile)
            runs.append(run)
            print(f"  jobs {jobs}: wall {run.wall:.1f} s, CPU {run.total:.1f} s "
                  f"(writer {run.writer:.1f}, of it main thread {run.writer_main:.1f}; "
                  f"workers {' + '.join(f'{w:.1f}' for w in run.workers) or '-'}; "
                  f"fork server {run.forkserver:.1f}); {run.documents} documents, "
                  f"{run.statements} statements; load {os.getloadavg()[0]:.2f}")
        base = runs[0]
        print("\n| jobs | CPU s | writer CPU s | workers CPU s | serial fraction | "
              "Amdahl bound | pipelined bound | per-core MB/s | wall s | docs/s | MB/s | "
              "peak MB (tree) | statements |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for run in runs:
            serial = run.writer / run.total
            floor = max(run.writer, run.total / run.jobs) if run.jobs > 1 else run.total
            amdahl = 1 / (serial + (1 - serial) / run.jobs)
            same = "" if run is base else \
                (" (identical)" if run.digest == base.digest else " (DIFFERENT)")
            print(f"| {run.jobs} | {run.total:.1f} | {run.writer:.1f} | "
                  f"{sum(run.workers):.1f} | {serial:.3f} | {amdahl:.2f}x | "
                  f"{base.total / floor:.2f}x | "
                  f"{megabytes / run.total:.2f} | {run.wall:.1f} | "
                  f"{run.documents / run.wall:.1f} | {megabytes / run.wall:.2f} | "
                  f"{run.peak_mb:.0f} | {run.statements:,}{same} |")
        for run in runs[1:]:
            print(f"jobs {run.jobs} vs jobs {base.jobs}: wall speed-up "
                  f"{base.wall / run.wall:.2f}x; CPU {run.total / base.total:.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
