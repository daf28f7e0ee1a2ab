"""The one place that writes to the ledger.

Writes happen in batches: the archive is fsync'd, then one transaction commits the blobs,
documents and statements of the batch. A process killed mid-batch loses that batch only, and
because keys are content hashes, running the same `add` again completes it without duplicates.

Several processes may write at once (two `add`s, an `add` and a `link`). Each batch is one
exclusive write transaction (`BEGIN IMMEDIATE` on SQLite); `write()` runs it again from the
start when the database says another writer got in the way (SQLite busy, PostgreSQL deadlock
or a unique-key race), so nobody fails with "database is locked". Running a batch again is
safe: a blob or document already there is "unchanged" (`ON CONFLICT DO NOTHING`), and the
bytes archived by a failed attempt are reused, not archived twice.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import TypeVar

from corroborate.archive import Archive, BlobLocation
from corroborate.errors import StoreError
from corroborate.model import Document, Statement
from corroborate.store.backends import BUSY_SECONDS, Backend, backoff, connect
from corroborate.store.corrections import CorrectionStore
from corroborate.store.links import bump_generation
from corroborate.store.migrations import MIGRATIONS, Migration
from corroborate.store.reads import COLUMNS, DocumentFilter, SearchHit, StoreReader
from corroborate.store.rows import (
    LINK_TABLES,
    StatementRow,
    insert_statement_rows,
    statement_row,
)

__all__ = ["DocumentFilter", "SearchHit", "SourceWrite", "Store", "WriteOutcome"]

T = TypeVar("T")


class WriteOutcome(Enum):
    ADDED = "added"
    UNCHANGED = "unchanged"
    NEW_VERSION = "new_version"


@dataclass(frozen=True)
class SourceWrite:
    """One source file ready to store, read and extracted *before* the write lock is taken
    (so a batch holds the lock for its inserts only). `statements` maps a document id to its
    statements, already encoded as `statement_row` tuples (by a pool worker or by
    `encode_document` here); None means do not extract."""

    raw: bytes
    digest: str
    path: str | None
    format: str
    uri: str
    media_type: str
    documents: Sequence[Document]
    statements: Mapping[str, Sequence[StatementRow]] | None = None
    # `raw` already packed as its WARC record (`archive.warc_record`, in a pool worker), so
    # the writer only appends it; None: the writer packs it if the blob is new.
    record: bytes | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store(StoreReader):
    def __init__(self, backend: Backend, archive: Archive) -> None:
        self.backend = backend
        self.archive = archive
        self._changed = False
        # Blobs archived by this process whose rows are not committed yet: a retried batch
        # points at these bytes instead of archiving them again.
        self._archived: dict[str, BlobLocation] = {}

    @classmethod
    def open(cls, location: str, archive_dir: Path) -> Store:
        store = cls(connect(location), Archive(archive_dir))
        store.migrate()
        return store

    def close(self) -> None:
        self.archive.close()
        self.backend.close()

    # -- schema ---------------------------------------------------------------------------
    def migrations(self) -> list[str]:
        return [r[0] for r in self.backend.query(
            "SELECT name FROM schema_migrations ORDER BY name")]

    def _applied(self) -> set[str]:
        try:
            return {r[0] for r in self.backend.query("SELECT name FROM schema_migrations")}
        except Exception:  # a new ledger: no table yet (PostgreSQL needs the rollback)
            if self.backend.in_transaction:
                self.backend.execute("ROLLBACK")
            return set()

    def migrate(self) -> list[str]:
        """Apply the migrations not yet applied. Safe when several processes open a new
        ledger at once: each migration re-checks, inside its exclusive transaction, that
        nobody applied it in the meantime."""
        db = self.backend
        if {m.name for m in MIGRATIONS} <= self._applied():
            return []  # the common case takes no write lock at all
        applied = []
        with db.session_lock("corroborate.migrate"):
            self.write(lambda: db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"))
            for migration in MIGRATIONS:
                if migration.name in self._applied():
                    continue
                try:
                    with db.foreign_keys_off() if migration.rebuild else _nothing():
                        if self.write(lambda m=migration: self._apply(m)):  # type: ignore[misc]
                            applied.append(migration.name)
                except StoreError:
                    raise
                except Exception as exc:
                    raise StoreError(f"{db.location}: migration {migration.name} failed "
                                     f"({exc})") from exc
        return applied

    def _apply(self, migration: Migration) -> bool:
        db = self.backend
        if db.query("SELECT 1 FROM schema_migrations WHERE name = ?", (migration.name,)):
            return False
        for sql in migration.sqlite if db.dialect == "sqlite" else migration.postgres:
            db.execute(sql)
        if migration.rebuild and db.dialect == "sqlite":
            broken = db.query("PRAGMA foreign_key_check")
            if broken:
                raise StoreError(f"{db.location}: migration {migration.name} would break "
                                 f"{len(broken)} reference(s), first {broken[0]}")
        db.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                   (migration.name, _now()))
        return True

    # -- writing --------------------------------------------------------------------------
    def write(self, work: Callable[[], T]) -> T:
        """Run `work` as one write transaction; run all of it again while another writer is
        in the way (up to BUSY_SECONDS), so `work` must only read and write the database."""
        db = self.backend
        if db.in_snapshot:  # SQLite would upgrade the read to a write and could fail at once
            raise StoreError(f"{db.location}: a write inside a read snapshot")
        if db.in_transaction:  # part of an enclosing write
            return work()
        deadline = time.monotonic() + BUSY_SECONDS
        attempt = 0
        while True:
            self._changed = False
            try:
                with db.transaction():
                    result = work()
                    self._finish()
                self._archived.clear()
                return result
            except Exception as exc:
                attempt += 1
                if not db.retryable(exc, attempt):
                    raise
                if time.monotonic() > deadline:
                    raise StoreError(f"{db.location}: another writer held the ledger for "
                                     f"over {BUSY_SECONDS:.0f} s ({exc})") from exc
                time.sleep(backoff(attempt))

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One write transaction around a block (waiting for the lock as `write` does, but
        the block itself is not run again); archived bytes are made durable before it commits.
        Prefer `write` where the work can be repeated."""
        self._changed = False
        with self.backend.transaction():
            yield
            self._finish()
        self._archived.clear()

    def mark_changed(self) -> None:
        """Statements changed in this transaction: links are stale once it commits."""
        self._changed = True

    def _finish(self) -> None:
        if self._changed:
            bump_generation(self.backend)  # links are stale from this commit on
            self._changed = False
        self.archive.sync()

    def write_sources(self, items: Sequence[SourceWrite]
                      ) -> list[list[tuple[WriteOutcome, int]]]:
        """Store prepared sources in one transaction: per source, per document, the outcome
        and the number of statements written."""
        def work() -> list[list[tuple[WriteOutcome, int]]]:
            done = []
            for item in items:
                outcomes = self.write_source(item.raw, item.digest, item.path, item.format,
                                             item.uri, item.media_type, item.documents,
                                             item.record)
                row = []
                for doc, outcome in zip(item.documents, outcomes, strict=True):
                    n = 0
                    if outcome is not WriteOutcome.UNCHANGED and item.statements is not None:
                        n = self.write_statement_rows(doc.id, item.statements.get(doc.id, ()),
                                                      fresh=True)
                    row.append((outcome, n))
                done.append(row)
            return done
        return self.write(work)

    def has_blob(self, digest: str) -> bool:
        return bool(self.backend.query("SELECT 1 FROM blobs WHERE sha256 = ?", (digest,)))

    def has_document(self, doc_id: str) -> bool:
        return bool(self.backend.query("SELECT 1 FROM documents WHERE id = ?", (doc_id,)))

    def documents_of_blob(self, digest: str) -> int:
        """How many documents came from these bytes; 0 when they were never stored."""
        return int(self.backend.query("SELECT COUNT(*) FROM documents WHERE blob = ?",
                                      (digest,))[0][0])

    def write_source(self, raw: bytes, digest: str, path: str | None, fmt: str, uri: str,
                     media_type: str, documents: Sequence[Document],
                     record: bytes | None = None) -> list[WriteOutcome]:
        """Archive `raw` (`record`: already packed by `archive.warc_record`) and store its
        documents; call inside `write()` or `batch()`."""
        db = self.backend
        if not self.has_blob(digest):
            where = self._archived.get(digest)
            if where is None:
                where = self._archived[digest] = self.archive.put(raw, digest, uri, media_type,
                                                                  record)
            db.execute('INSERT INTO blobs (sha256, size, segment, "offset", path, format, '
                       "added_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
                       (digest, len(raw), where.segment, where.offset, path, fmt, _now()))
        return [self._write_document(doc, digest) for doc in documents]

    def write_statements(self, doc_id: str, statements: Sequence[Statement]) -> int:
        """Replace a document's statements (extraction is re-runnable); call inside `write()`
        or `batch()`. Links to the old statements go with them, and the ledger is stale."""
        return self.write_statement_rows(
            doc_id, [statement_row(doc_id, n, st) for n, st in enumerate(statements)])

    def write_statement_rows(self, doc_id: str, rows: Sequence[StatementRow],
                             fresh: bool = False) -> int:
        """`write_statements` for rows already encoded by `statement_row`. `fresh`: the
        document row was inserted in this transaction, so no statement or link can point at
        it yet (the foreign keys say so) and the four deletes are skipped; they were a fifth
        of the writer's queries."""
        db = self.backend
        self._changed = True
        if not fresh:
            for table in (*LINK_TABLES, "assignments_machine"):
                db.execute(f"DELETE FROM {table} WHERE statement_id IN "
                           "(SELECT id FROM statements WHERE doc_id = ?)", (doc_id,))
            db.execute("DELETE FROM statements WHERE doc_id = ?", (doc_id,))
        insert_statement_rows(db, rows)
        # Analyst corrections to this document's statements are re-applied to the new rows.
        CorrectionStore(db).apply_statements(doc_id)
        return len(rows)

    def _write_document(self, doc: Document, blob: str) -> WriteOutcome:
        db = self.backend
        if db.query("SELECT 1 FROM documents WHERE id = ?", (doc.id,)):
            return WriteOutcome.UNCHANGED
        earlier = db.query("SELECT id FROM documents WHERE uri = ? ORDER BY seq DESC LIMIT 1",
                           (doc.uri,))
        version_of = earlier[0][0] if earlier else None
        columns = [*COLUMNS, "blob", "added_at"]
        row = [*document_row(doc, version_of), blob, _now()]
        if db.dialect == "sqlite":
            # seq numbers the full-text index; the row's rowid is kept equal to it (see
            # migration 0006). The write lock is held, so MAX + 1 cannot race.
            seq = db.query("SELECT COALESCE(MAX(seq), 0) + 1 FROM documents")[0][0]
            columns, row = ["rowid", "seq", *columns], [seq, seq, *row]
        inserted = db.query(
            f"INSERT INTO documents ({', '.join(columns)}) VALUES "
            f"({', '.join('?' for _ in columns)}) ON CONFLICT (id) DO NOTHING RETURNING seq",
            row)
        if not inserted:  # another writer stored it first (PostgreSQL, READ COMMITTED)
            return WriteOutcome.UNCHANGED
        db.index_text(int(inserted[0][0]), doc.title, doc.text)
        return WriteOutcome.NEW_VERSION if version_of else WriteOutcome.ADDED


def document_row(doc: Document, version_of: str | None) -> tuple[object, ...]:
    """A document as the values of its `documents` row, in COLUMNS order (see
    `statement_row`: one encoding for every write path)."""
    values = doc.to_dict()
    values["version_of"] = version_of
    values["published_estimated"] = int(doc.published_estimated)
    values["notes"] = json.dumps(list(doc.notes))
    values["segments"] = json.dumps([s.to_dict() for s in doc.segments])
    return tuple(values[c] for c in COLUMNS)


@contextmanager
def _nothing() -> Iterator[None]:
    yield
