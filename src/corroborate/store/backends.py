"""SQLite and PostgreSQL behind one small interface: SQL is written once with `?`
placeholders, and only full-text search and locking differ.

Concurrency contract, the same on both:

- a write transaction (`transaction()`) is exclusive of other writers from its first
  statement: SQLite `BEGIN IMMEDIATE` (a deferred transaction that reads and then writes can
  fail with SQLITE_BUSY at once, without waiting, so no write transaction is deferred), and
  waiting for the lock is retried until `BUSY_SECONDS`; PostgreSQL writers use READ COMMITTED
  with `ON CONFLICT` inserts and advisory locks where whole tables are replaced;
- a read that spans several queries runs inside `snapshot()`: one SQLite read transaction
  (deferred `BEGIN`, held across the queries) or one PostgreSQL REPEATABLE READ transaction, so
  a concurrent writer's batch is seen either whole or not at all;
- `retryable(exc)` says whether a failed write transaction may simply be run again.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Protocol

from corroborate.errors import QueryError, StoreError
from corroborate.store.query import SearchQuery

HIT_OPEN = "\x02"
HIT_CLOSE = "\x03"
# How long a writer waits for another writer before giving up (a long `add` holds the lock for
# one short batch at a time, so minutes of waiting means something is stuck).
BUSY_SECONDS = float(os.environ.get("CORROBORATE_BUSY_SECONDS", "600"))
_BUSY_TIMEOUT_MS = 2000


class Backend(Protocol):
    dialect: str
    location: str

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...
    def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...
    def transaction(self) -> Any: ...
    def snapshot(self) -> Any: ...
    @property
    def in_transaction(self) -> bool: ...
    @property
    def in_snapshot(self) -> bool: ...
    def retryable(self, exc: BaseException, attempt: int = 1) -> bool: ...
    def lock(self, name: str) -> None: ...
    def session_lock(self, name: str) -> Any: ...
    def foreign_keys_off(self) -> Any: ...
    def index_text(self, seq: int, title: str | None, text: str) -> None: ...
    def search(self, query: SearchQuery, limit: int) -> list[tuple[Any, ...]]: ...
    def close(self) -> None: ...


def backoff(attempt: int) -> float:
    """Seconds to sleep before retry `attempt` (1, 2, ...): exponential with full jitter, so
    two waiting writers do not wake in step."""
    return random.uniform(0, min(0.5, 0.01 * 2 ** attempt))


def _lock_key(name: str) -> int:
    return zlib.crc32(name.encode()) - (1 << 31)


class SQLiteBackend:
    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        self.location = path
        self._snapshot = False
        try:
            self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                                         timeout=_BUSY_TIMEOUT_MS / 1000)
            # The busy timeout first: switching to WAL needs a lock another process may hold.
            self._conn.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
            self._retry(lambda: self._conn.execute("PRAGMA journal_mode=WAL"))
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open SQLite ledger ({exc})") from exc

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._conn.execute(sql, params)

    def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """One statement over many rows: the loop runs in the driver, not in Python."""
        self._conn.executemany(sql, rows)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._conn.execute(sql, params).fetchall()

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction

    @property
    def in_snapshot(self) -> bool:
        return self._snapshot

    def retryable(self, exc: BaseException, attempt: int = 1) -> bool:
        return isinstance(exc, sqlite3.OperationalError) and \
            ("locked" in str(exc) or "busy" in str(exc))

    def _retry(self, step: Any) -> Any:
        """Run `step` (which takes a lock) until it gets the lock or BUSY_SECONDS pass."""
        deadline = time.monotonic() + BUSY_SECONDS
        attempt = 0
        while True:
            try:
                return step()
            except sqlite3.OperationalError as exc:
                attempt += 1
                if not self.retryable(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(backoff(attempt))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._snapshot:
            raise StoreError(f"{self.location}: a write inside a read snapshot")
        if self._conn.in_transaction:  # nested: part of the enclosing write
            yield
            return
        self._retry(lambda: self._conn.execute("BEGIN IMMEDIATE"))
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        if self._conn.in_transaction:  # already inside one transaction: one snapshot already
            yield
            return
        self._conn.execute("BEGIN")
        self._snapshot = True
        try:
            # A deferred transaction takes its snapshot at the first read; take it now.
            self._retry(lambda: self._conn.execute("SELECT COUNT(*) FROM sqlite_master"))
            yield
        finally:
            self._snapshot = False
            self._conn.execute("COMMIT")

    def lock(self, name: str) -> None:
        """BEGIN IMMEDIATE already excludes every other writer."""

    @contextmanager
    def session_lock(self, name: str) -> Iterator[None]:
        yield

    @contextmanager
    def foreign_keys_off(self) -> Iterator[None]:
        """For table rebuilds (SQLite cannot add a constraint to a table): the pragma is a no-op
        inside a transaction, so it is set around one, and checked before the commit."""
        self._conn.execute("PRAGMA foreign_keys=OFF")
        try:
            yield
        finally:
            self._conn.execute("PRAGMA foreign_keys=ON")

    def index_text(self, seq: int, title: str | None, text: str) -> None:
        self._conn.execute("INSERT INTO documents_fts(rowid, title, text) VALUES (?, ?, ?)",
                           (seq, title or "", text))

    def search(self, query: SearchQuery, limit: int) -> list[tuple[Any, ...]]:
        return self.query(
            "SELECT d.id, snippet(documents_fts, 1, ?, ?, '…', 16), bm25(documents_fts) "
            "FROM documents_fts JOIN documents d ON d.seq = documents_fts.rowid "
            "WHERE documents_fts MATCH ? ORDER BY bm25(documents_fts) LIMIT ?",
            (HIT_OPEN, HIT_CLOSE, query.fts5(), limit),
        )

    def close(self) -> None:
        self._conn.close()


# SQLSTATEs after which the whole write transaction can be run again: serialization failure,
# deadlock, lock not available; and a unique violation (two writers inserting the same key at
# once), but only a few times, since a key that clashes again and again is a real conflict.
_PG_RETRYABLE = {"40001", "40P01", "55P03"}
_PG_UNIQUE_VIOLATION, _UNIQUE_RETRIES = "23505", 5


class PostgresBackend:
    dialect = "postgres"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError as exc:
            raise StoreError(
                "PostgreSQL support needs psycopg: pip install 'corroborate[postgres]'"
            ) from exc
        self.location = re.sub(r"//[^@/]*@", "//***@", url)
        self._snapshot = False
        try:
            self._conn = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(f"{self.location}: cannot connect to PostgreSQL ({exc})") from exc

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._conn.execute(self._sql(sql), params)  # type: ignore[call-overload]

    def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """psycopg pipelines an `executemany`: one round trip for the lot, not one a row."""
        with self._conn.cursor() as cursor:
            cursor.executemany(self._sql(sql), rows)  # type: ignore[call-overload]

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._conn.execute(self._sql(sql), params).fetchall()  # type: ignore[call-overload]

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self._conn.info.transaction_status != TransactionStatus.IDLE

    @property
    def in_snapshot(self) -> bool:
        return self._snapshot

    def retryable(self, exc: BaseException, attempt: int = 1) -> bool:
        state = getattr(exc, "sqlstate", None)
        return state in _PG_RETRYABLE or \
            (state == _PG_UNIQUE_VIOLATION and attempt <= _UNIQUE_RETRIES)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._snapshot:
            raise StoreError(f"{self.location}: a write inside a read snapshot")
        with self._conn.transaction():
            yield

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        if self.in_transaction:
            yield
            return
        self._conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        self._snapshot = True
        try:
            yield
        finally:
            self._snapshot = False
            self._conn.execute("COMMIT")

    def lock(self, name: str) -> None:
        """Serialise writers that replace a whole table (until this transaction ends)."""
        self.execute("SELECT pg_advisory_xact_lock(?)", (_lock_key(name),))

    @contextmanager
    def session_lock(self, name: str) -> Iterator[None]:
        """Serialise work that spans transactions (migrations), for this connection."""
        self.execute("SELECT pg_advisory_lock(?)", (_lock_key(name),))
        try:
            yield
        finally:
            self.execute("SELECT pg_advisory_unlock(?)", (_lock_key(name),))

    @contextmanager
    def foreign_keys_off(self) -> Iterator[None]:
        """PostgreSQL adds constraints in place; nothing to switch off."""
        yield

    def copy_rows(self, table: str, columns: Sequence[str],
                  rows: Iterable[Sequence[Any]]) -> int:
        """COPY rows into `table` (a bulk load's staging table): one round trip for the lot,
        instead of one INSERT each."""
        count = 0
        with self._conn.cursor().copy(  # type: ignore[call-overload]
                f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count

    def index_text(self, seq: int, title: str | None, text: str) -> None:
        """The tsvector column is generated; nothing to do."""

    def search(self, query: SearchQuery, limit: int) -> list[tuple[Any, ...]]:
        query = self._without_stop_words(query)
        expression, params = query.tsquery()
        options = f"StartSel={HIT_OPEN}, StopSel={HIT_CLOSE}, MaxWords=30, MinWords=12, " \
                  "MaxFragments=1, FragmentDelimiter=…"
        return self.query(
            "SELECT id, ts_headline('english', text, q, ?), ts_rank(tsv, q) AS rank "
            f"FROM documents, (SELECT {expression} AS q) AS query "
            "WHERE tsv @@ q ORDER BY rank DESC LIMIT ?",
            (options, *params, limit),
        )

    def _without_stop_words(self, query: SearchQuery) -> SearchQuery:
        """Drop phrases the english configuration reduces to nothing ("a", "the"): an empty
        operand would otherwise turn the whole tsquery empty. FTS5 indexes every word, so
        this is the one place the backends differ."""
        phrases = list(dict.fromkeys([p for g in query.groups for p in g] + [*query.excluded]))
        counts = self.query("SELECT " + ", ".join("numnode(phraseto_tsquery('english', ?))"
                                                  for _ in phrases), phrases)[0]
        kept = {p for p, n in zip(phrases, counts, strict=True) if n}
        groups = tuple(g for g in (tuple(p for p in g if p in kept) for g in query.groups) if g)
        if not groups:
            raise QueryError(f"search {query.text!r}: only common words (stop words), "
                             "which the index leaves out")
        return replace(query, groups=groups,
                       excluded=tuple(p for p in query.excluded if p in kept))

    def close(self) -> None:
        self._conn.close()


def connect(location: str) -> Backend:
    if location.startswith(("postgresql://", "postgres://")):
        return PostgresBackend(location)
    return SQLiteBackend(location)
