"""Kill `corroborate add` with SIGKILL again and again at random moments of a long batch, then
check the ledger: SQLite integrity, `corroborate verify`, a rerun to completion, and no lost or
duplicated document or statement (compared with one uninterrupted `add` of the same files).

    .venv/bin/python bench/crash_kill.py --kills 30 --files 5000 --seed 7

Each kill waits until the running `add` has committed a random number of new documents
(1-150), so it lands while batches are being written, not during start-up. Prints one JSON
object: kills, corrupt ledgers (after any kill), lost and duplicated rows, seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def make_corpus(folder: Path, files: int) -> None:
    folder.mkdir(parents=True)
    for n in range(files):
        if n % 10 == 0:
            paragraphs = "".join(f"<p>Officials said on day {n} that unit {n}-{k} moved toward "
                                 "Kursk, according to the ministry.</p>" for k in range(6))
            (folder / f"page{n:05d}.html").write_text(
                f"<html><head><title>Report {n}</title></head><body><article><h1>Report {n}"
                f"</h1>{paragraphs}</article></body></html>", encoding="utf-8")
        else:
            (folder / f"note{n:05d}.txt").write_text(
                f"Note {n}: the ministry said it could neither confirm nor deny item {n}. "
                f"\"We saw convoy {n} near the border,\" a spokesman told reporters.",
                encoding="utf-8")


def count(db: Path, table: str = "documents") -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
            return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    except sqlite3.Error:
        return 0


def integrity(db: Path) -> str:
    with sqlite3.connect(db, timeout=30) as conn:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if conn.execute("PRAGMA foreign_key_check").fetchall():
            return "foreign key violations"
        try:
            conn.execute("INSERT INTO documents_fts(documents_fts, rank) "
                         "VALUES ('integrity-check', 1)")
        except sqlite3.Error as exc:
            return f"fts: {exc}"
        return str(result)


def rows(db: Path) -> tuple[list[str], list[tuple[str, str]], int]:
    with sqlite3.connect(db) as conn:
        docs = [r[0] for r in conn.execute("SELECT id FROM documents")]
        statements = [(r[0], r[1]) for r in conn.execute("SELECT id, doc_id FROM statements")]
        blobs = int(conn.execute("SELECT COUNT(*) FROM blobs").fetchone()[0])
    return docs, statements, blobs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="crash-kill-"))
    corpus, db = root / "corpus", root / "ledger.db"
    make_corpus(corpus, args.files)
    env = {**os.environ, "CORROBORATE_BATCH_FILES": "50"}
    command = [sys.executable, "-m", "corroborate", "--db", str(db), "add", "--json",
               str(corpus)]

    kills = corrupt = finished_early = 0
    for _ in range(3 * args.kills):  # until --kills kills landed (a run may finish first)
        if kills >= args.kills:
            break
        before = count(db)
        target = before + rng.randint(1, 150)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + 120
        while count(db) < target and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.2))  # anywhere inside the next batch
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            kills += 1
        else:
            finished_early += 1
        if integrity(db) != "ok":
            corrupt += 1
    stored_at_last_kill = count(db)

    verify_killed = subprocess.run([sys.executable, "-m", "corroborate", "--db", str(db),
                                    "verify"], capture_output=True, text=True)
    rerun = subprocess.run(command, capture_output=True, text=True, env=env)
    verify = subprocess.run([sys.executable, "-m", "corroborate", "--db", str(db), "verify"],
                            capture_output=True, text=True)

    reference = root / "reference.db"
    subprocess.run([sys.executable, "-m", "corroborate", "--db", str(reference), "add",
                    str(corpus)], capture_output=True, check=True)
    want_docs, want_statements, _ = rows(reference)
    docs, statements, blobs = rows(db)
    report = {
        "files": args.files, "kills": kills, "runs_that_finished_before_the_kill": finished_early,
        "documents_at_last_kill": stored_at_last_kill,
        "corrupt_ledgers": corrupt + (integrity(db) != "ok"),
        "verify_after_kills_rc": verify_killed.returncode,
        "rerun_rc": rerun.returncode, "verify_rc": verify.returncode,
        "documents": len(docs), "statements": len(statements), "blobs": blobs,
        "lost_documents": len(set(want_docs) - set(docs)),
        "lost_statements": len(set(want_statements) - set(statements)),
        "duplicated_documents": len(docs) - len(set(docs)),
        "duplicated_statements": len(statements) - len(set(statements)),
        "extra_statements": len(set(statements) - set(want_statements)),
        "seconds": round(time.monotonic() - started, 1),
    }
    print(json.dumps(report, indent=2))
    if not args.keep:
        subprocess.run(["rm", "-rf", str(root)], check=False)
    bad = (report["corrupt_ledgers"] or report["lost_documents"] or report["lost_statements"]
           or report["duplicated_documents"] or report["duplicated_statements"]
           or report["extra_statements"] or rerun.returncode or verify.returncode)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
