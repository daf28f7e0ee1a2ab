"""Shared fixtures: real SQLite files, a real throwaway PostgreSQL cluster, the CLI runner."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from corroborate import Ledger, open_ledger
from corroborate.cli.main import cli

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "kursk"


def _pg_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return candidates[0].parent if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresCluster:
    """A throwaway cluster on a Unix socket in a temp folder; one database per test."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="corroborate-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "--no-sync", "-E", "UTF8")
        self._run("pg_ctl", "-D", str(self.data), "-w", "-l", str(self.root / "log"),
                  "-o", f"-p {self.port} -k {self.root} -c listen_addresses='' -c fsync=off",
                  "start")

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.root}&port={self.port}"

    def new_database(self) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    bindir = _pg_bin()
    if bindir is None:
        if os.environ.get("CORROBORATE_REQUIRE_PG"):
            pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) not found")
        pytest.skip("PostgreSQL server binaries not installed")
    cluster = PostgresCluster(bindir)
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh ledger location: a SQLite file, or a new database on the real cluster."""
    if request.param == "sqlite":
        return str(tmp_path / "ledger.db")
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database()


@pytest.fixture
def ledger(db_location: str, tmp_path: Path) -> Iterator[Ledger]:
    with open_ledger(db_location, tmp_path / "archive") as opened:
        yield opened


@pytest.fixture
def run(tmp_path: Path) -> CliRun:
    return CliRun(tmp_path / "cli.db")


class CliRun:
    """Invoke the real CLI in-process against one SQLite ledger."""

    def __init__(self, db: Path) -> None:
        self.db = db

    def __call__(self, *args: str) -> Result:
        return CliRunner().invoke(cli, ["--db", str(self.db), *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def web_kursk(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A SQLite ledger of the bundled Kursk corpus, added, proposed and linked (web tests)."""
    from webkit import build_kursk

    folder = tmp_path_factory.mktemp("kursk")
    return build_kursk(str(folder / "k.db"), folder / "archive"), folder / "archive"


@pytest.fixture
def web_api(web_kursk: tuple[str, Path]) -> Iterator[object]:
    """An in-process client of the workbench on `web_kursk`."""
    from webkit import client

    c = client(*web_kursk)
    yield c
    c.app.app.state.pool.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian chromium, one per test module, with test_report_browser.py's flags."""
    from test_report_browser import ARGS, CHROMIUM, _require_browser

    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()
