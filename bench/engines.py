"""Engines on the real corpus: `add` in one process and with a pool, and the Spark job.

    .venv/bin/python bench/engines.py      # full wh-briefings corpus: jobs 1 and 2, Spark
    .venv/bin/python bench/engines.py --limit 400 --no-spark

Each engine runs as its own process (the real CLI) on a fresh ledger; the bench follows the
whole process tree (workers, Spark's JVM and Python workers) through /proc and reports wall
seconds, CPU seconds of the tree, documents/s, MB/s (MB of the uncompressed JSON Lines), peak
memory (the largest sum of RSS over the tree) and the load average over the run: this machine
is shared, so wall-clock scaling is only as good as the cores other work left free; CPU
seconds say what the engines themselves cost. Outputs are compared: the statements (id,
document, position, data) of every engine must be the same.

Reads ../shared/corpora/wh-briefings (public domain); says so and stops when it is missing.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpora" / "wh-briefings" / "wh-briefings-2021-2024h1.jsonl.gz"
CLI = [sys.executable, "-m", "corroborate"]
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Run:
    name: str
    seconds: float
    cpu: float
    peak_mb: float
    load: float
    output: dict[str, object]


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def _sample(root: int, cpu: dict[int, float]) -> float:
    """RSS of the tree under `root` now (MB); CPU seconds per pid kept in `cpu` (a process
    that has exited keeps its last reading). Orphans (a fork server's workers after their
    parent exits) are not followed, which is why runs are measured while the root lives."""
    tree, todo, rss = _children(), [root], 0
    while todo:
        pid = todo.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        cpu[pid] = (int(fields[11]) + int(fields[12])) / TICKS
        rss += int(fields[21]) * PAGE
        todo.extend(tree.get(pid, []))
    return rss / 1e6


def measure(name: str, command: list[str], env: dict[str, str] | None = None) -> Run:
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, **(env or {})})
    cpu: dict[int, float] = {}
    peak = 0.0
    loads = [load_before]
    while process.poll() is None:
        peak = max(peak, _sample(process.pid, cpu))
        loads.append(os.getloadavg()[0])
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    out, err = process.communicate()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{name}: exit {process.returncode}\n{err.decode()[-3000:]}")
    text = out.decode()
    output = json.loads(text[text.index("{"):]) if "{" in text else {}
    return Run(name, seconds, sum(cpu.values()), peak, sum(loads) / len(loads), output)


def statements_digest_sqlite(db: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    n = 0
    with sqlite3.connect(db) as conn:
        for row in conn.execute("SELECT id, doc_id, position, data FROM statements ORDER BY id"):
            digest.update(json.dumps(row).encode())
            n += 1
    return n, digest.hexdigest()


def statements_digest_parquet(out: Path) -> tuple[int, str]:
    from corroborate.engines.spark_job import session

    spark = session("local[1]", app="bench-compare")
    try:
        rows = spark.read.parquet(str(out / "statements")).select(
            "id", "doc_id", "position", "data").collect()
    finally:
        spark.stop()
    digest = hashlib.sha256()
    for row in sorted((r.id, r.doc_id, r.position, r.data) for r in rows):
        digest.update(json.dumps(list(row)).encode())
    return len(rows), digest.hexdigest()


def time_load(out: Path) -> None:
    """COPY the Spark run at `out` into a fresh PostgreSQL ledger (a throwaway cluster, as the
    tests start one) and say how fast rows went in."""
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import PostgresCluster, _pg_bin
    from corroborate.api import open_ledger
    from corroborate.engines.spark_job import session
    from corroborate.store.bulk import BLOB_COLUMNS, DOCUMENT_COLUMNS, bulk_load
    from corroborate.store.rows import STATEMENT_COLUMNS

    bindir = _pg_bin()
    if bindir is None:
        print("PostgreSQL server binaries not installed: load not timed")
        return
    cluster = PostgresCluster(bindir)
    spark = session("local[2]", app="bench-load")
    try:
        # Held in memory first, so the figure is PostgreSQL's (use it on a --limit run).
        started = time.perf_counter()
        tables = [[tuple(r) for r in spark.read.parquet(str(out / name)).select(
            *[c.strip('"') for c in columns]).toLocalIterator(prefetchPartitions=True)]
            for name, columns in (("blobs", BLOB_COLUMNS), ("documents", DOCUMENT_COLUMNS),
                                  ("statements", STATEMENT_COLUMNS))]
        read = time.perf_counter() - started
        with open_ledger(cluster.new_database(), out / "archive") as ledger:
            started = time.perf_counter()
            loaded = bulk_load(ledger.store, *tables)
            seconds = time.perf_counter() - started
    finally:
        spark.stop()
        cluster.stop()
    rows = loaded.documents + loaded.statements
    print(f"Parquet read back on the driver: {read:.1f} s")
    print(f"COPY load into PostgreSQL (fsync off, one local server): {loaded.documents} "
          f"documents + {loaded.statements} statements in {seconds:.1f} s = "
          f"{rows / seconds:.0f} rows/s, "
          f"{sum(len(r[13] or '') for r in tables[2]) / 1e6 / seconds:.1f} MB/s of statement "
          "data")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("--jobs", default="1,2", help="pool sizes to run, e.g. 1,2")
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument("--spark-master", default="local[2]")
    parser.add_argument("--keep", help="folder to keep the ledgers in (default: a temp one)")
    parser.add_argument("--load-only", metavar="OUT",
                        help="only time the COPY load of an earlier Spark run's output")
    args = parser.parse_args()
    if args.load_only:
        time_load(Path(args.load_only))
        return
    if not CORPUS.is_file():
        raise SystemExit(f"{CORPUS}: missing (the wh-briefings corpus lives in ../shared); "
                         "nothing measured")
    work = Path(args.keep or tempfile.mkdtemp(prefix="bench-engines-"))
    work.mkdir(parents=True, exist_ok=True)
    source = work / "wh-briefings.jsonl"
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines, \
            open(source, "w", encoding="utf-8") as copy:
        for n, line in enumerate(lines):
            if args.limit is not None and n >= args.limit:
                break
            copy.write(line)
    with open(source, encoding="utf-8") as lines:
        documents = sum(1 for _ in lines)
    megabytes = source.stat().st_size / 1e6
    print(f"input: {documents} documents, {megabytes:.1f} MB of JSON Lines; "
          f"{os.cpu_count()} cores; load average now {os.getloadavg()[0]:.2f}")

    runs: list[Run] = []
    digests: dict[str, tuple[int, str]] = {}
    for jobs in (int(j) for j in args.jobs.split(",")):
        db = work / f"jobs{jobs}.db"
        for leftover in work.glob(f"jobs{jobs}.*"):
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        run = measure(f"add --jobs {jobs}", [*CLI, "--db", str(db), "add", "--json", "--jobs",
                                             str(jobs), str(source)])
        runs.append(run)
        digests[run.name] = statements_digest_sqlite(db)
    if not args.no_spark:
        out = work / "spark-out"
        shutil.rmtree(out, ignore_errors=True)
        run = measure(f"spark {args.spark_master}", [*CLI, "spark", "--master",
                                                     args.spark_master, "--out", str(out),
                                                     "--json", str(source)])
        runs.append(run)
        digests[run.name] = statements_digest_parquet(out)

    print("\n| engine | wall s | docs/s | MB/s | CPU s (tree) | peak MB (tree) | "
          "load avg | statements |")
    print("|---|---|---|---|---|---|---|---|")
    for run in runs:
        print(f"| {run.name} | {run.seconds:.1f} | {documents / run.seconds:.1f} | "
              f"{megabytes / run.seconds:.2f} | {run.cpu:.1f} | {run.peak_mb:.0f} | "
              f"{run.load:.2f} | {digests[run.name][0]} |")
    base = runs[0]
    for run in runs[1:]:
        same = digests[run.name] == digests[base.name]
        print(f"{run.name} vs {base.name}: wall speed-up {base.seconds / run.seconds:.2f}x, "
              f"CPU {run.cpu / base.cpu:.2f}x of it; statements identical: {same}")
    if len(runs) > 2:
        spark_run, pool = runs[-1], runs[-2]
        print(f"{spark_run.name} / {pool.name} throughput: "
              f"{pool.seconds / spark_run.seconds:.2f}")
    per_core = documents / base.cpu
    print(f"\nper-core rate ({base.name}, CPU seconds): {per_core:.1f} documents/s, "
          f"{megabytes / base.cpu:.2f} MB/s")
    day = 10_000_000 / 86_400
    print(f"10 million documents a day = {day:.0f} documents/s = {day / per_core:.0f} cores "
          "busy around the clock at that rate (same document mix)")
    print(f"ledgers kept in {work}" if args.keep else "")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
