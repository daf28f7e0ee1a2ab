"""Several real `corroborate` processes on one ledger at once: none fails, nothing is lost or
stored twice, and readers see one snapshot while a writer commits batch after batch."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PostgresCluster
from corroborate import NotFound, open_ledger
from corroborate.link.propositions import Proposition

pytestmark = pytest.mark.slow

# Small batches make the writers take turns at the lock hundreds of times.
ENV = {**os.environ, "CORROBORATE_BATCH_FILES": "3", "CORROBORATE_BATCH_SECONDS": "0.05"}


def corpus(folder: Path, n: int) -> list[Path]:
    folder.mkdir(exist_ok=True)
    files = []
    for i in range(n):
        path = folder / f"report{i:04d}.txt"
        path.write_text(
            f"Report {i}. The defence ministry said on October {1 + i % 28}, 2024 that {100 + i} "
            f"North Korean soldiers had arrived in the Kursk region. \"We have seen unit {i} "
            f"at the border,\" an official told reporters. The Kremlin denied the report "
            f"about unit {i}.", encoding="utf-8")
        files.append(path)
    return files


def cli(db: str, archive: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "corroborate", "--db", db, "--archive", str(archive), *args]


def start(command: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=ENV)


def finish(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err[-2000:]
    assert "locked" not in err and "Traceback" not in err, err[-2000:]
    return out


def reference(files: list[Path], tmp_path: Path) -> tuple[set[str], set[tuple[str, str]]]:
    """What one sequential `add` of every file stores: document ids, (statement, doc) ids."""
    with open_ledger(str(tmp_path / "reference.db"), tmp_path / "reference.archive") as ledger:
        assert ledger.add([str(f) for f in files]).ok
        docs = {d.id for d in ledger.documents()}
        statements = {(s.id, s.doc_id) for s in ledger.statements()}
    return docs, statements


def stored(location: str, archive: Path) -> tuple[set[str], set[tuple[str, str]], int, int]:
    with open_ledger(location, archive) as ledger:
        docs = [d.id for d in ledger.documents()]
        statements = [(s.id, s.doc_id) for s in ledger.statements()]
        assert ledger.store.integrity() == []
        assert [p for _, p in ledger.verify() if p] == []
        blobs = ledger.summary()["sources_archived"]
    return set(docs), set(statements), len(docs) - len(set(docs)) + \
        len(statements) - len(set(statements)), blobs


def run_overlapping_adds(location: str, archive: Path, files: list[Path], links: int
                         ) -> list[dict[str, object]]:
    """Three adds over overlapping thirds of `files`, all at once on a ledger that none of them
    has created yet (so their migrations race too), and `links` link runs as soon as the
    ledger exists (`link` does not create one)."""
    n = len(files)
    shares = [files[: 2 * n // 3], files[n // 3:], files[n // 6: 5 * n // 6]]
    processes = [start(cli(location, archive, "add", "--json", *map(str, share)))
                 for share in shares]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            open_ledger(location, archive, create=False).close()
            break
        except NotFound:
            time.sleep(0.01)
    linkers = [start(cli(location, archive, "link")) for _ in range(links)]
    summaries = [json.loads(finish(p)) for p in processes]
    for p in linkers:
        finish(p)
    return summaries


def check_nothing_lost(location: str, archive: Path, files: list[Path], tmp_path: Path,
                       summaries: list[dict[str, object]]) -> None:
    want_docs, want_statements = reference(files, tmp_path)
    docs, statements, duplicated, blobs = stored(location, archive)
    assert docs == want_docs
    assert statements == want_statements
    assert duplicated == 0
    assert blobs == len(files)
    # Each document was added by exactly one process; the others saw it as unchanged.
    assert sum(int(s["added"]) for s in summaries) == len(files)  # type: ignore[call-overload]
    assert all(s["failed"] == 0 for s in summaries)


def test_three_adds_and_two_links_at_once_on_sqlite_lose_nothing(tmp_path: Path) -> None:
    files = corpus(tmp_path / "corpus", 150)
    db = tmp_path / "shared.db"
    summaries = run_overlapping_adds(str(db), tmp_path / "archive", files, links=2)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check_nothing_lost(str(db), tmp_path / "archive", files, tmp_path, summaries)
    # And linking after them all, twice, still works on the ledger they left.
    for _ in range(2):
        finish(start(cli(str(db), tmp_path / "archive", "link")))


@pytest.mark.postgres
def test_three_adds_at_once_on_postgres_lose_nothing(pg_cluster: PostgresCluster,
                                                     tmp_path: Path) -> None:
    files = corpus(tmp_path / "corpus", 90)
    url = pg_cluster.new_database()
    summaries = run_overlapping_adds(url, tmp_path / "archive", files, links=1)
    check_nothing_lost(url, tmp_path / "archive", files, tmp_path, summaries)


def test_report_and_timeline_during_an_add_read_one_snapshot(db_location: str,
                                                             tmp_path: Path) -> None:
    files = corpus(tmp_path / "corpus", 400)
    db, archive = db_location, tmp_path / "archive"
    with open_ledger(db, archive) as ledger:
        ledger.add([str(f) for f in files[:10]])
        ledger.propose([Proposition("P1", "North Korean soldiers arrived in the Kursk region")])
    writer = start(cli(db, archive, "add", *map(str, files[10:])))
    reads = 0
    try:
        with open_ledger(db, archive) as ledger:
            while writer.poll() is None or reads < 3:
                model = ledger.report_model()
                (p1,) = model["propositions"]
                assert p1["statements_total"] <= model["ledger"]["statements"]
                assessment = ledger.assessment("P1")
                assert all(e.document["id"] for e in assessment.timeline)
                resolved = ledger.resolved_statements()
                assert {r.statement.doc_id for r in resolved} <= \
                    {d.id for d in ledger.documents()}
                reads += 1
                time.sleep(0.01)
    finally:
        finish(writer)
    assert reads >= 3
    with open_ledger(db, archive) as ledger:
        assert ledger.summary()["documents"] == len(files)
        ledger.link()
        assert not ledger.links.is_stale()
        assert ledger.link() is None
        assert ledger.link(force=True) is not None


def test_a_writer_waits_out_a_lock_held_longer_than_the_busy_timeout(tmp_path: Path) -> None:
    """Another process holds the write lock for 3 s (longer than SQLite's busy timeout of 2 s):
    `add` and `link` wait for it and succeed instead of failing with 'database is locked'."""
    files = corpus(tmp_path / "corpus", 5)
    db, archive = str(tmp_path / "held.db"), tmp_path / "archive"
    with open_ledger(db, archive):
        pass
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys, time\n"
         "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
         "c.execute('BEGIN IMMEDIATE'); print('held', flush=True); time.sleep(3)\n"
         "c.execute('COMMIT')", db], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    started = time.monotonic()
    with open_ledger(db, archive) as ledger:
        summary = ledger.add([str(f) for f in files])
        waited = time.monotonic() - started
        assert ledger.link(force=True) is not None
    holder.communicate(timeout=30)
    assert holder.returncode == 0
    assert summary.ok and summary.added == len(files)
    assert waited > 2.0
