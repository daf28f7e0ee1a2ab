"""Killing `add` mid-run (a real SIGKILL) leaves a consistent ledger; rerunning completes it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builders import article_html
from corroborate import open_ledger

pytestmark = pytest.mark.slow

FILES = 3000


def make_corpus(folder: Path) -> None:
    folder.mkdir()
    for n in range(FILES):
        if n % 10 == 0:
            (folder / f"page{n:05d}.html").write_bytes(article_html(
                f"Report {n}", [f"Officials said on day {n} that units moved toward Kursk. " * 8]))
        else:
            (folder / f"note{n:05d}.txt").write_text(
                f"Note {n}: the ministry said it could neither confirm nor deny item {n}.")


def descendants(root: int) -> list[int]:
    """Every live process under `root`, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


@pytest.mark.parametrize("jobs", [1, 2])
def test_killed_add_leaves_a_consistent_ledger_and_rerun_completes(tmp_path: Path,
                                                                   jobs: int) -> None:
    """In one process and with a pool of workers (`--jobs 2`): the writer is the one
    process either way, and its batches are what a kill can cut."""
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    db = tmp_path / "big.db"
    command = [sys.executable, "-m", "corroborate", "--db", str(db), "add", "--json",
               "--jobs", str(jobs), str(corpus)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while count(db) < 300 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    helpers = descendants(process.pid)  # the pool's fork server and workers
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL, "add finished before it could be killed"
    assert len(helpers) >= (jobs + 1 if jobs > 1 else 0)
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{pid}").exists() for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in helpers if Path(f"/proc/{pid}").exists()], \
        "pool processes outlived the killed add"

    stored = count(db)
    assert 0 < stored < FILES
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        orphans = conn.execute("SELECT COUNT(*) FROM documents d LEFT JOIN blobs b "
                               "ON b.sha256 = d.blob WHERE b.sha256 IS NULL").fetchone()[0]
        assert orphans == 0
        assert conn.execute("INSERT INTO documents_fts(documents_fts) VALUES "
                            "('integrity-check')").fetchall() == []
    with open_ledger(str(db)) as ledger:
        assert all(problem is None for _, problem in ledger.verify())

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert count(db) == FILES
    with open_ledger(str(db)) as ledger:
        assert ledger.summary()["sources_archived"] == FILES
        assert len(ledger.search("ministry neither confirm", limit=5000)) == FILES - FILES // 10
        problems = [p for _, p in ledger.verify() if p]
        assert problems == []


def test_killing_one_of_two_concurrent_adds_loses_nothing(tmp_path: Path) -> None:
    """A writer killed while another is running (and perhaps waiting for its lock): the other
    finishes, the ledger is sound, and a rerun of the killed one completes it exactly once."""
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    files = sorted(str(p) for p in corpus.iterdir())
    db = tmp_path / "two.db"
    env = {**os.environ, "CORROBORATE_BATCH_FILES": "10"}

    def add(share: list[str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", "corroborate", "--db", str(db), "add",
                                 "--json", *share], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env=env)

    first, second = files[: 2 * FILES // 3], files[FILES // 3:]
    victim, survivor = add(first), add(second)
    deadline = time.monotonic() + 120
    while count(db) < 400 and time.monotonic() < deadline and victim.poll() is None:
        time.sleep(0.02)
    os.kill(victim.pid, signal.SIGKILL)
    victim.communicate()
    _, err = survivor.communicate(timeout=600)
    assert survivor.returncode == 0, err.decode()[-2000:]
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rerun = add(first)
    _, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err.decode()[-2000:]
    with open_ledger(str(db)) as ledger:
        assert ledger.store.integrity() == []
        assert ledger.summary()["documents"] == FILES
        assert ledger.summary()["sources_archived"] == FILES
        ids = [s.id for s in ledger.statements()]
        assert len(ids) == len(set(ids))
        assert [p for _, p in ledger.verify() if p] == []
