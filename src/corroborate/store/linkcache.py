"""What linking keeps between runs so that a relink after an `add` does the costly work only
for what is new: per statement, its concept bags (`link_claims`), and per statement and
proposition, the stance the rules read (`link_stances`).

Both tables are derived data, like the embedding cache: each row carries `inputs`, a digest of
everything its value was computed from (the statement's text and sentence, the proposition's
frame, the source's names, the code and settings of linking: `link/run.py` `LinkFingerprint`).
A row is used only when the digest a run computes for the same statement (and proposition)
equals the stored one, so a stale row can cost a recomputation but never change a link; a
relink with rows gives what a run without them gives (`tests/test_link_incr.py`). Deleting any
or all rows only costs recomputing them (`corroborate link --full` ignores and rewrites them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from corroborate.store.backends import Backend

CHUNK_IDS = 500  # statement ids one lookup names (SQLite's limit on parameters is far above)

_PUT_CLAIM = ("INSERT INTO link_claims (statement_id, inputs, content_concepts, "
              "context_concepts) VALUES (?, ?, ?, ?) ON CONFLICT (statement_id) DO UPDATE SET "
              "inputs = excluded.inputs, content_concepts = excluded.content_concepts, "
              "context_concepts = excluded.context_concepts")
_PUT_STANCE = ("INSERT INTO link_stances (statement_id, proposition_id, inputs, stance) "
               "VALUES (?, ?, ?, ?) ON CONFLICT (statement_id, proposition_id) DO UPDATE SET "
               "inputs = excluded.inputs, stance = excluded.stance")

ClaimRow = tuple[str, str, str, str]  # statement id, inputs, content concepts, context concepts
StanceRow = tuple[str, str, str, str | None]  # statement id, proposition id, inputs, stance


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(ids), CHUNK_IDS):
        yield ids[i:i + CHUNK_IDS]


class LinkCache:
    """Reads and writes of the two tables; reads take a bounded list of statement ids (one
    chunk of documents, one page of claims), so a run holds one chunk's rows at a time."""

    def __init__(self, db: Backend) -> None:
        self.db = db

    def claims(self, ids: Sequence[str]) -> dict[str, tuple[str, str, str]]:
        """Stored concept bags of these statements: id -> (inputs, content, context)."""
        found: dict[str, tuple[str, str, str]] = {}
        for part in _chunks(ids):
            marks = ", ".join("?" * len(part))
            for sid, inputs, content, context in self.db.query(
                    "SELECT statement_id, inputs, content_concepts, context_concepts FROM "
                    f"link_claims WHERE statement_id IN ({marks})", part):
                found[sid] = (inputs, content, context)
        return found

    def stances(self, ids: Sequence[str]) -> dict[tuple[str, str], tuple[str, str | None]]:
        """Stored stances of these statements: (statement, proposition) -> (inputs, stance)."""
        found: dict[tuple[str, str], tuple[str, str | None]] = {}
        for part in _chunks(ids):
            marks = ", ".join("?" * len(part))
            for sid, pid, inputs, stance in self.db.query(
                    "SELECT statement_id, proposition_id, inputs, stance FROM link_stances "
                    f"WHERE statement_id IN ({marks})", part):
                found[(sid, pid)] = (inputs, stance)
        return found

    def put(self, claims: Iterable[ClaimRow], stances: Iterable[StanceRow],
            clear: bool = False) -> None:
        """Store new or changed rows (inside the caller's write transaction); `clear` first
        drops every row (a full run rewrites them all). Rows of statements gone since (a
        re-extraction deletes statements) and of propositions gone are dropped too, so the
        tables stay the size of the ledger."""
        if clear:
            self.db.execute("DELETE FROM link_claims")
            self.db.execute("DELETE FROM link_stances")
        self.db.execute_many(_PUT_CLAIM, claims)
        self.db.execute_many(_PUT_STANCE, stances)
        self.db.execute("DELETE FROM link_claims WHERE NOT EXISTS (SELECT 1 FROM statements s "
                        "WHERE s.id = link_claims.statement_id)")
        self.db.execute("DELETE FROM link_stances WHERE NOT EXISTS (SELECT 1 FROM statements "
                        "s WHERE s.id = link_stances.statement_id) OR NOT EXISTS (SELECT 1 "
                        "FROM propositions p WHERE p.id = link_stances.proposition_id)")

    def counts(self) -> tuple[int, int]:
        """Rows in each table (for tests and the bench)."""
        return (int(self.db.query("SELECT COUNT(*) FROM link_claims")[0][0]),
                int(self.db.query("SELECT COUNT(*) FROM link_stances")[0][0]))
