"""Writing one statement row: shared by extraction (`Store.write_statements`) and the
corrections overlay (an analyst's own statement, a deleted one put back), so both write the
same columns the same way; and the row a bulk load (store/bulk.py, from a Spark job's
Parquet) copies, encoded by the same `statement_row`."""

from __future__ import annotations

import json
from collections.abc import Sequence

from corroborate.model import Statement
from corroborate.store.backends import Backend

LINK_TABLES = ("relays", "assignments", "statement_sources")


STATEMENT_COLUMNS = (
    "id", "doc_id", "position", "kind", "source_text", "source_name", "source_type", "cue_text",
    "content_text", "content_start", "content_end", "stance", "said_on", "data", "producer",
    "evidence_types", "hedge_list", "via_text", "said_on_granularity")


# One `statements` row, STATEMENT_COLUMNS order.
StatementRow = tuple[object, ...]


def statement_row(doc_id: str, position: int, st: Statement) -> StatementRow:
    """A statement as its `statements` row (STATEMENT_COLUMNS), so a row-by-row write and a
    bulk load (store/bulk.py, by way of a Spark job's Parquet) store the same values."""
    return (st.id, doc_id, position, st.kind, st.source.text if st.source else None,
            st.source.name if st.source else None, st.source.type if st.source else None,
            st.cue.text if st.cue else None, st.content.text, st.content.start,
            st.content.end, st.stance, st.said_on, json.dumps(st.to_dict(), ensure_ascii=False),
            st.producer, "\t".join(dict.fromkeys(e.type for e in st.evidence)),
            "\t".join(st.hedges), st.via.text if st.via else None, st.said_on_granularity)


_INSERT = (f"INSERT INTO statements ({', '.join(STATEMENT_COLUMNS)}) VALUES "
           f"({', '.join('?' for _ in STATEMENT_COLUMNS)})")


def insert_statement(db: Backend, doc_id: str, position: int, st: Statement) -> None:
    db.execute(_INSERT, statement_row(doc_id, position, st))


def insert_statement_rows(db: Backend, rows: Sequence[StatementRow]) -> None:
    """Rows already encoded (by a pool worker, say), in one `executemany`: one call into the
    driver for a document's statements instead of one each."""
    if rows:
        db.execute_many(_INSERT, rows)


def delete_statement(db: Backend, statement_id: str) -> None:
    """A statement and every link to it (children first)."""
    for table in LINK_TABLES:
        db.execute(f"DELETE FROM {table} WHERE statement_id = ?", (statement_id,))
    db.execute("DELETE FROM assignments_machine WHERE statement_id = ?", (statement_id,))
    db.execute("DELETE FROM statements WHERE id = ?", (statement_id,))
