"""Writing one statement row: shared by extraction (`Store.write_statements`) and the
corrections overlay (an analyst's own statement, a deleted one put back), so both write the
same columns the same way."""

from __future__ import annotations

import json

from corroborate.model import Statement
from corroborate.store.backends import Backend

LINK_TABLES = ("relays", "assignments", "statement_sources")


def insert_statement(db: Backend, doc_id: str, position: int, st: Statement) -> None:
    data = st.to_dict()
    db.execute(
        "INSERT INTO statements (id, doc_id, position, kind, source_text, source_name, "
        "source_type, cue_text, content_text, content_start, content_end, stance, "
        "said_on, data, producer, evidence_types, hedge_list, via_text, "
        "said_on_granularity) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (st.id, doc_id, position, st.kind, st.source.text if st.source else None,
         st.source.name if st.source else None, st.source.type if st.source else None,
         st.cue.text if st.cue else None, st.content.text, st.content.start,
         st.content.end, st.stance, st.said_on, json.dumps(data, ensure_ascii=False),
         st.producer, "\t".join(dict.fromkeys(e.type for e in st.evidence)),
         "\t".join(st.hedges), st.via.text if st.via else None,
         st.said_on_granularity))


def delete_statement(db: Backend, statement_id: str) -> None:
    """A statement and every link to it (children first)."""
    for table in LINK_TABLES:
        db.execute(f"DELETE FROM {table} WHERE statement_id = ?", (statement_id,))
    db.execute("DELETE FROM assignments_machine WHERE statement_id = ?", (statement_id,))
    db.execute("DELETE FROM statements WHERE id = ?", (statement_id,))
