"""SQLite and PostgreSQL behind one small interface: SQL is written once with `?`
placeholders, and only full-text search differs (FTS5 versus tsvector)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from corroborate.errors import StoreError

HIT_OPEN = "\x02"
HIT_CLOSE = "\x03"


class Backend(Protocol):
    dialect: str
    location: str

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...
    def transaction(self) -> Any: ...
    def index_text(self, seq: int, title: str | None, text: str) -> None: ...
    def search(self, query: str, limit: int) -> list[tuple[Any, ...]]: ...
    def close(self) -> None: ...


def _fts5_query(query: str) -> str:
    """Translate a web-style query ("a b", "exact phrase", -not, OR) into safe FTS5 syntax.

    FTS5's own syntax rejects ordinary text such as hyphenated words or stray quotes; users
    type web-search queries, so we accept that and quote every term.
    """
    parts: list[str] = []
    negated: list[str] = []
    for match in re.finditer(r'(-?)"([^"]*)"|(-?)(\S+)', query):
        neg = match.group(1) or match.group(3)
        term = match.group(2) if match.group(2) is not None else match.group(4)
        if term == "OR" and not neg:
            parts.append("OR")
            continue
        words = re.findall(r"\w+", term)
        if not words:
            continue
        quoted = '"' + " ".join(words) + '"'
        (negated if neg else parts).append(quoted)
    while parts and parts[0] == "OR":
        parts.pop(0)
    while parts and parts[-1] == "OR":
        parts.pop()
    expression = " ".join(parts)
    for term in negated:
        expression = f"{expression} NOT {term}" if expression else ""
    return expression


class SQLiteBackend:
    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        self.location = path
        try:
            self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.execute("PRAGMA busy_timeout=10000")
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open SQLite ledger ({exc})") from exc

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._conn.execute(sql, params)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._conn.execute(sql, params).fetchall()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def index_text(self, seq: int, title: str | None, text: str) -> None:
        self._conn.execute("INSERT INTO documents_fts(rowid, title, text) VALUES (?, ?, ?)",
                           (seq, title or "", text))

    def search(self, query: str, limit: int) -> list[tuple[Any, ...]]:
        expression = _fts5_query(query)
        if not expression:
            return []
        return self.query(
            "SELECT d.id, snippet(documents_fts, 1, ?, ?, '…', 16), bm25(documents_fts) "
            "FROM documents_fts JOIN documents d ON d.seq = documents_fts.rowid "
            "WHERE documents_fts MATCH ? ORDER BY bm25(documents_fts) LIMIT ?",
            (HIT_OPEN, HIT_CLOSE, expression, limit),
        )

    def close(self) -> None:
        self._conn.close()


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
        try:
            self._conn = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(f"{self.location}: cannot connect to PostgreSQL ({exc})") from exc

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._conn.execute(self._sql(sql), params)  # type: ignore[call-overload]

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._conn.execute(self._sql(sql), params).fetchall()  # type: ignore[call-overload]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._conn.transaction():
            yield

    def index_text(self, seq: int, title: str | None, text: str) -> None:
        """The tsvector column is generated; nothing to do."""

    def search(self, query: str, limit: int) -> list[tuple[Any, ...]]:
        if not query.strip():
            return []
        options = f"StartSel={HIT_OPEN}, StopSel={HIT_CLOSE}, MaxWords=30, MinWords=12, " \
                  "MaxFragments=1, FragmentDelimiter=…"
        return self.query(
            "SELECT id, ts_headline('english', text, q, ?), ts_rank(tsv, q) AS rank "
            "FROM documents, websearch_to_tsquery('english', ?) AS q "
            "WHERE tsv @@ q ORDER BY rank DESC LIMIT ?",
            (options, query, limit),
        )

    def close(self) -> None:
        self._conn.close()


def connect(location: str) -> Backend:
    if location.startswith(("postgresql://", "postgres://")):
        return PostgresBackend(location)
    return SQLiteBackend(location)
