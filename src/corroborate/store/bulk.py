"""Bulk loading a PostgreSQL ledger with COPY: how a Spark run's Parquet reaches the team ledger.

Row by row (`Store.write_sources`) costs a round trip per row; COPY streams a chunk of rows into
a temporary staging table in one go, and one `INSERT ... SELECT ... ON CONFLICT DO NOTHING`
moves them into the ledger. Each chunk is its own transaction, so analysts see a run arrive
while it loads, and a load that dies half way is completed by loading the same rows again
(keys are content hashes; what is already there is left alone). The rows come already encoded
by `document_row` / `statement_row`, the functions the row-by-row writer uses, so both paths
store the same values.

Order matters for the foreign keys: blobs, then documents, then statements.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from corroborate.errors import StoreError
from corroborate.store.ledger import Store
from corroborate.store.reads import COLUMNS
from corroborate.store.rows import STATEMENT_COLUMNS

BLOB_COLUMNS = ("sha256", "size", "segment", '"offset"', "path", "format", "added_at")
DOCUMENT_COLUMNS = (*COLUMNS, "blob", "added_at")
CHUNK = 5000


@dataclass
class BulkSummary:
    """Rows offered and rows new to the ledger (the rest were already there)."""

    blobs: int = 0
    documents: int = 0
    statements: int = 0
    offered_documents: int = 0
    offered_statements: int = 0


def bulk_load(store: Store, blobs: Iterable[Sequence[Any]], documents: Iterable[Sequence[Any]],
              statements: Iterable[Sequence[Any]], chunk: int = CHUNK) -> BulkSummary:
    """Load blob, document and statement rows (BLOB_COLUMNS, DOCUMENT_COLUMNS,
    STATEMENT_COLUMNS order) into a PostgreSQL ledger, `chunk` rows a transaction.

    A document's `version_of` is filled here, from the newest stored document at the same URI
    (rows of one chunk do not see each other)."""
    db = store.backend
    if db.dialect != "postgres":
        raise StoreError(f"{db.location}: a bulk load (COPY) needs a PostgreSQL ledger; "
                         "for SQLite use `corroborate add`")
    summary = BulkSummary()
    for rows in _chunks(blobs, chunk):
        summary.blobs += _load(store, "blobs", BLOB_COLUMNS, rows, "sha256", BLOB_COLUMNS)
    version = ("COALESCE(s.version_of, (SELECT e.id FROM documents e WHERE e.uri = s.uri "
               "ORDER BY e.seq DESC LIMIT 1))")
    picked = tuple(version if c == "version_of" else f"s.{c}" for c in DOCUMENT_COLUMNS)
    for rows in _chunks(documents, chunk):
        summary.offered_documents += len(rows)
        summary.documents += _load(store, "documents", DOCUMENT_COLUMNS, rows, "id", picked)
    for rows in _chunks(statements, chunk):
        summary.offered_statements += len(rows)
        summary.statements += _load(store, "statements", STATEMENT_COLUMNS, rows, "id",
                                    STATEMENT_COLUMNS)
    return summary


def _chunks(rows: Iterable[Sequence[Any]], size: int) -> Iterable[list[Sequence[Any]]]:
    it = iter(rows)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _load(store: Store, table: str, columns: Sequence[str], rows: list[Sequence[Any]],
          key: str, picked: Sequence[str]) -> int:
    """One chunk: COPY into a staging copy of `table`, then insert what is new, in input
    order (a document's `seq` follows the order the rows came in)."""
    db = store.backend
    stage = f"stage_{table}"
    names = ", ".join(columns)
    selected = ", ".join(c if c.startswith(("s.", "COALESCE")) else f"s.{c}" for c in picked)

    def work() -> int:
        # The loaded columns only, without constraints or defaults (a default would draw
        # from the ledger's own sequences).
        db.execute(f"CREATE TEMP TABLE {stage} ON COMMIT DROP AS SELECT {names} FROM {table} "
                   "WITH NO DATA")
        db.execute(f"ALTER TABLE {stage} ADD COLUMN load_order BIGSERIAL")
        db.copy_rows(stage, columns, rows)  # type: ignore[attr-defined]
        inserted = db.query(f"WITH moved AS (INSERT INTO {table} ({names}) SELECT {selected} "
                            f"FROM {stage} s ORDER BY s.load_order ON CONFLICT ({key}) "
                            "DO NOTHING RETURNING 1) SELECT COUNT(*) FROM moved")
        if table == "statements":
            store.mark_changed()  # links are stale from this commit on
        return int(inserted[0][0])

    return store.write(work)
