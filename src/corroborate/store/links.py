"""Reading and writing the linking layer: sources, propositions, assignments, relays.

Linking is recomputed from statements as a whole (it is cheap and keeps every derived record
consistent with the current extractor); analyst input — propositions and source edits — is
stored apart and survives every recomputation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from corroborate.link.propositions import Assignment, Proposition
from corroborate.link.relays import Relay
from corroborate.link.resolve import Source, SourceEdit
from corroborate.store.backends import Backend
from corroborate.store.corrections import CorrectionStore


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# Staleness is a counter, not a flag: every write that changes what linking reads bumps
# `generation`, and `link` records the generation it read (`linked`). A link computed from a
# snapshot that a concurrent `add` has since moved past leaves the ledger stale, as it should.
_BUMP = ("INSERT INTO meta (key, value) VALUES ('generation', '1') ON CONFLICT (key) "
         "DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT)")
_UPSERT = ("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
           "DO UPDATE SET value = excluded.value")


def bump_generation(db: Backend) -> None:
    db.execute(_BUMP)


def generation(db: Backend) -> str:
    rows = db.query("SELECT value FROM meta WHERE key = 'generation'")
    return str(rows[0][0]) if rows else "0"


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """Row values equal as stored: PostgreSQL's REAL is single precision, so a score read
    back is compared at the precision the linker rounds to."""
    return len(a) == len(b) and all(
        round(x, 4) == round(y, 4) if isinstance(x, float) and isinstance(y, float)
        else x == y for x, y in zip(a, b, strict=True))


class _Sync:
    """Make one table (or the rows of it `where` selects) hold exactly the rows `put` into
    it, writing only the rows that differ: after an `add`, relinking rewrites the links of
    the new statements and of what they changed, not every link in the ledger. What it
    holds is the table's current rows and the keys put, not a second copy of the rows."""

    def __init__(self, db: Backend, table: str, keys: tuple[str, ...], values: tuple[str, ...],
                 where: str = "", fixed: dict[str, Any] | None = None,
                 params: Sequence[Any] = ()) -> None:
        self.db, self.table, self.keys, self.values = db, table, keys, values
        self.fixed = fixed or {}  # columns set on insert only
        columns = ", ".join((*keys, *values))
        self.have = {tuple(row[:len(keys)]): tuple(row[len(keys):]) for row in db.query(
            f"SELECT {columns} FROM {table}" + (f" WHERE {where}" if where else ""), params)}
        self.seen: set[tuple[Any, ...]] = set()
        self.written = 0
        inserted = (*keys, *values, *self.fixed)
        self._insert = (f"INSERT INTO {table} ({', '.join(inserted)}) VALUES "
                        f"({', '.join('?' * len(inserted))})")
        self._match = " AND ".join(f"{k} = ?" for k in keys)
        self._update = (f"UPDATE {table} SET {', '.join(f'{v} = ?' for v in values)} "
                        f"WHERE {self._match}")

    def put(self, key: tuple[Any, ...], values: tuple[Any, ...]) -> None:
        """Insert the row, or update it if it is there with other values."""
        if key in self.seen:
            return
        self.seen.add(key)
        old = self.have.get(key)
        if old is None:
            self.db.execute(self._insert, (*key, *values, *self.fixed.values()))
        elif not _same(old, values):
            self.db.execute(self._update, (*values, *key))
        else:
            return
        self.written += 1

    def delete_gone(self) -> int:
        """Delete the rows nobody put; the number of rows this table had written."""
        for key in self.have:
            if key not in self.seen:
                self.db.execute(f"DELETE FROM {self.table} WHERE {self._match}", key)
                self.written += 1
        return self.written


BATCH_STATEMENTS = 2000  # statements whose link rows a streamed sync compares at once


class _RangeSync:
    """`_Sync` for a table keyed by statement id first, given its rows in statement-id order:
    compared a range of statement ids at a time (the rows given for about
    `BATCH_STATEMENTS` statements against the stored rows in the same range), so what is
    held is one range of each side, never the table. Statement ids are 20 hex digits
    (`model.py`), which SQLite and every PostgreSQL collation order as Python does."""

    def __init__(self, db: Backend, table: str, keys: tuple[str, ...],
                 values: tuple[str, ...], alive: bool = False) -> None:
        self.db, self.table, self.keys, self.values = db, table, keys, values
        self.alive = alive  # keep only rows of statements still in the ledger
        self.written = 0
        inserted = (*keys, *values)
        self._insert = (f"INSERT INTO {table} ({', '.join(inserted)}) VALUES "
                        f"({', '.join('?' * len(inserted))})")
        self._match = " AND ".join(f"{k} = ?" for k in keys)
        self._update = (f"UPDATE {table} SET {', '.join(f'{v} = ?' for v in values)} "
                        f"WHERE {self._match}") if values else ""

    def run(self, rows: Iterable[tuple[tuple[Any, ...], tuple[Any, ...]]]) -> int:
        """Sync from (key, values) rows sorted by statement id; the rows written."""
        batch: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = []
        low: str | None = None
        for key, values in rows:
            if len(batch) >= BATCH_STATEMENTS and key[0] != batch[-1][0][0]:
                high = batch[-1][0][0]
                self._range(low, high, batch)
                low, batch = high, []
            batch.append((key, values))
        self._range(low, None, batch)  # and every stored row after the last given
        return self.written

    def _range(self, low: str | None, high: str | None,
               batch: list[tuple[tuple[Any, ...], tuple[Any, ...]]]) -> None:
        """Statement ids in (low, high]: make the stored rows those of `batch`."""
        clauses, params = [], []
        if low is not None:
            clauses.append("statement_id > ?")
            params.append(low)
        if high is not None:
            clauses.append("statement_id <= ?")
            params.append(high)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        n = len(self.keys)
        have = {tuple(row[:n]): tuple(row[n:]) for row in self.db.query(
            f"SELECT {', '.join((*self.keys, *self.values))} FROM {self.table}{where}",
            params)}
        if self.alive:
            alive = {r[0] for r in self.db.query(
                "SELECT id FROM statements" + where.replace("statement_id", "id"), params)}
            batch = [row for row in batch if row[0][0] in alive]
        seen: set[tuple[Any, ...]] = set()
        for key, values in batch:
            if key in seen:
                continue
            seen.add(key)
            old = have.get(key)
            if old is None:
                self.db.execute(self._insert, (*key, *values))
            elif not _same(old, values):
                self.db.execute(self._update, (*values, *key))
            else:
                continue
            self.written += 1
        for key in have:
            if key not in seen:
                self.db.execute(f"DELETE FROM {self.table} WHERE {self._match}", key)
                self.written += 1


StatementRow = tuple[str, str, str | None]  # statement id, source id, intermediary's
AssignmentRow = tuple[str, str, float, str, str | None]  # statement, proposition, score,
# stance, day


class LinkStore:
    def __init__(self, backend: Backend) -> None:
        self.db = backend

    # -- analyst input --------------------------------------------------------------------
    def add_propositions(self, propositions: Iterable[Proposition]) -> list[str]:
        added = []
        for p in propositions:
            # An upsert, not delete + insert: assignments refer to the proposition.
            self.db.execute("INSERT INTO propositions (id, statement, origin, created) "
                            "VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                            "statement = excluded.statement, origin = excluded.origin",
                            (p.id, p.statement, p.origin, _now()))
            added.append(p.id)
        self.mark_stale()
        return added

    def propositions(self, origin: str | None = None,
                     include_retired: bool = False) -> list[Proposition]:
        """Propositions by origin; those an analyst retired or merged into another
        (origin `retired`/`merged`) only when asked for by origin or `include_retired`."""
        sql = "SELECT id, statement, origin FROM propositions"
        rows = self.db.query(sql + " WHERE origin = ? ORDER BY id", (origin,)) if origin \
            else self.db.query(sql + " ORDER BY origin, id") if include_retired \
            else self.db.query(sql + " WHERE origin NOT IN ('retired', 'merged') "
                               "ORDER BY origin, id")
        return [Proposition(*row) for row in rows]

    def add_edit(self, edit: SourceEdit) -> None:
        self.db.execute("INSERT INTO source_edits (action, key, target, field, value, created) "
                        "VALUES (?, ?, ?, ?, ?, ?)", (edit.action, edit.key, edit.target,
                                                      edit.field, edit.value, _now()))
        self.mark_stale()

    def edits(self) -> list[SourceEdit]:
        """Source edits in order; a `move` (one statement out of a source) is stored against
        the statement's span key and handed to linking with the statement's id now."""
        found, corrections, cache = [], CorrectionStore(self.db), {}  # type: ignore[var-annotated]
        for action, key, target, field, value in self.db.query(
                "SELECT action, key, target, field, value FROM source_edits ORDER BY seq"):
            if action == "move":
                target = corrections.resolve(target, cache)
                if target is None:
                    continue  # the statement is gone: nothing to move
            found.append(SourceEdit(action, key, target, field, value))
        return found

    # -- staleness ------------------------------------------------------------------------
    def mark_stale(self) -> None:
        bump_generation(self.db)

    def generation(self) -> str:
        """The ledger's change counter; read it in the snapshot that linking reads."""
        return generation(self.db)

    def is_stale(self) -> bool:
        meta = dict(self.db.query("SELECT key, value FROM meta "
                                  "WHERE key IN ('generation', 'linked')"))
        return meta.get("linked") != meta.get("generation", "0")

    # -- derived records ------------------------------------------------------------------
    def replace_links(self, sources: Sequence[Source], statement_sources: dict[str, str],
                      via_sources: dict[str, str], discovered: Sequence[Proposition],
                      assignments: Sequence[Assignment], relays: Sequence[Relay],
                      days: dict[str, str | None] | None = None,
                      linked_generation: str | None = None) -> int:
        """`sync_links` from records in memory (sorted here by statement id)."""
        days = days or {}
        return self.sync_links(
            sources, sorted(((sid, source, via_sources.get(sid))
                             for sid, source in statement_sources.items()),
                            key=lambda r: r[0]),
            discovered,
            sorted(((a.statement_id, a.proposition_id, a.score, a.stance,
                     days.get(a.statement_id)) for a in assignments),
                   key=lambda r: (r[0], r[1])),
            sorted(relays, key=lambda r: r.statement_id), linked_generation)

    def sync_links(self, sources: Sequence[Source], statements: Iterable[StatementRow],
                   discovered: Sequence[Proposition], assignments: Iterable[AssignmentRow],
                   relays: Iterable[Relay], linked_generation: str | None = None) -> int:
        """Replace every derived record, writing only the rows that changed (returned: how
        many were inserted, updated or deleted); call inside one write. `statements`,
        `assignments` and `relays` come sorted by statement id (then proposition id) and
        are compared a range at a time, so a large ledger is never held whole, on either
        side. `linked_generation` is the generation the links were computed from (read in
        the same snapshot as the statements): if writers have moved on since, links to
        statements that are gone are left out and the ledger stays stale."""
        db = self.db
        db.lock("corroborate.links")  # PostgreSQL: one replacement at a time
        moved = linked_generation is not None and linked_generation != self.generation()
        # Compare with the linker's own rows, not the analyst's overlay on them.
        corrections = CorrectionStore(db)
        corrections.restore_machine_links()
        # Parents are written before the rows that refer to them, and deleted after them.
        sources_sync = _Sync(db, "sources", ("id",), (
            "key", "name", "type", "role", "affiliation", "country", "alignment", "grade",
            "aliases", "statements", "speaks_for"))
        for src in sources:
            d = src.to_dict()
            sources_sync.put((d["id"],), (d["key"], d["name"], d["type"], d["role"],
                                          d["affiliation"], d["country"], d["alignment"],
                                          d["grade"], json.dumps(d["aliases"]),
                                          d["statements"], d.get("speaks_for")))
        found = _Sync(db, "propositions", ("id",), ("statement", "origin"),
                      "origin = 'discovered'", {"created": _now()})
        for p in discovered:
            found.put((p.id,), (p.statement, p.origin))
        written = _RangeSync(db, "statement_sources", ("statement_id",),
                             ("source_id", "via_source_id"), moved).run(
            ((sid,), (source, via)) for sid, source, via in statements)
        written += _RangeSync(db, "assignments", ("statement_id", "proposition_id"),
                              ("score", "stance", "day"), moved).run(
            ((sid, pid), (score, stance, day)) for sid, pid, score, stance, day in assignments)
        written += _RangeSync(db, "relays", ("statement_id", "relayer_id", "origin_id"), (),
                              moved).run(
            ((r.statement_id, r.relayer_id, r.origin_id), ()) for r in relays)
        written += found.delete_gone() + sources_sync.delete_gone()
        corrections.apply_links()
        db.execute(_UPSERT, ("linked", linked_generation or self.generation()))
        db.execute(_UPSERT, ("linked_at", _now()))
        return written

    def sources(self) -> list[dict[str, Any]]:
        rows = self.db.query("SELECT id, key, name, type, role, affiliation, country, "
                             "alignment, grade, aliases, statements, speaks_for FROM sources "
                             "ORDER BY statements DESC, name")
        keys = ("id", "key", "name", "type", "role", "affiliation", "country", "alignment",
                "grade", "aliases", "statements", "speaks_for")
        return [{**dict(zip(keys, row, strict=True)), "aliases": json.loads(row[9])}
                for row in rows]

    def source_key(self, ref: str) -> str | None:
        rows = self.db.query("SELECT key FROM sources WHERE id = ? OR key = ? OR "
                             "LOWER(name) = LOWER(?) ORDER BY statements DESC", (ref, ref, ref))
        return rows[0][0] if rows else None

    def links_by_statement(self) -> dict[str, list[dict[str, Any]]]:
        """Every statement's proposition links, best first, in one query."""
        links: dict[str, list[dict[str, Any]]] = {}
        for sid, pid, stance, score in self.db.query(
                "SELECT statement_id, proposition_id, stance, score FROM assignments "
                "ORDER BY score DESC"):
            links.setdefault(sid, []).append({"id": pid, "stance": stance, "score": score})
        return links

    def stance_counts(self) -> dict[str, dict[str, int]]:
        """Links per proposition and stance, in one query."""
        counts: dict[str, dict[str, int]] = {}
        for pid, stance, n in self.db.query(
                "SELECT proposition_id, stance, COUNT(*) FROM assignments "
                "GROUP BY proposition_id, stance"):
            counts.setdefault(pid, {})[stance] = int(n)
        return counts

    def timeline_rows(self, proposition_id: str, statement_ids: Sequence[str] | None = None
                      ) -> list[tuple[Any, ...]]:
        """Everything a timeline needs in one indexed query; with `statement_ids`, only
        those statements' rows (what a correction of a few links needs re-read)."""
        select = (
            "SELECT a.statement_id, a.score, a.stance, s.content_text, s.cue_text, "
            "s.hedge_list, s.evidence_types, s.source_text, s.said_on, d.id, d.title, "
            "d.publisher, d.uri, d.published, ss.source_id, src.name, src.alignment, "
            "ss.via_source_id, via.name, s.content_start, s.content_end, "
            "s.said_on_granularity, src.grade "
            "FROM assignments a JOIN statements s ON s.id = a.statement_id "
            "JOIN documents d ON d.id = s.doc_id "
            "LEFT JOIN statement_sources ss ON ss.statement_id = a.statement_id "
            "LEFT JOIN sources src ON src.id = ss.source_id "
            "LEFT JOIN sources via ON via.id = ss.via_source_id "
            "WHERE a.proposition_id = ?")
        if statement_ids is None:
            return self.db.query(select, (proposition_id,))
        ids = list(statement_ids)
        rows: list[tuple[Any, ...]] = []
        for at in range(0, len(ids), 500):  # under every backend's limit on parameters
            chunk = ids[at:at + 500]
            rows.extend(self.db.query(
                select + f" AND a.statement_id IN ({', '.join('?' for _ in chunk)})",
                (proposition_id, *chunk)))
        return rows

    def link_states(self, proposition_id: str) -> dict[str, tuple[str, float]]:
        """Each linked statement's (stance, score) on one proposition: a narrow indexed read
        that tells which links changed since a timeline was read, so only those are re-read."""
        return {str(sid): (str(stance), float(score)) for sid, stance, score in self.db.query(
            "SELECT statement_id, stance, score FROM assignments WHERE proposition_id = ?",
            (proposition_id,))}

    def timeline_page(self, proposition_id: str, limit: int = 200, offset: int = 0
                      ) -> list[tuple[Any, ...]]:
        """One page of a proposition's timeline in date order: what `corroborate timeline`
        and the web view page through; independent of how large the ledger is."""
        return self.db.query(
            "SELECT p.statement_id, p.day, p.stance, COALESCE(src.name, s.source_text), "
            "s.content_text FROM (SELECT statement_id, day, stance FROM assignments "
            "WHERE proposition_id = ? ORDER BY day, statement_id LIMIT ? OFFSET ?) p "
            "JOIN statements s ON s.id = p.statement_id "
            "LEFT JOIN statement_sources ss ON ss.statement_id = p.statement_id "
            "LEFT JOIN sources src ON src.id = ss.source_id ORDER BY p.day, p.statement_id",
            (proposition_id, limit, offset))

    def resolved_sources(self) -> dict[str, dict[str, Any]]:
        """Each linked statement's resolved source and relaying source, in one query: what an
        export needs to join statements with `sources` (read after `link`, like the rest)."""
        found: dict[str, dict[str, Any]] = {}
        for sid, source_id, name, type_, via_id, via_name in self.db.query(
                "SELECT ss.statement_id, ss.source_id, src.name, src.type, ss.via_source_id, "
                "via.name FROM statement_sources ss "
                "LEFT JOIN sources src ON src.id = ss.source_id "
                "LEFT JOIN sources via ON via.id = ss.via_source_id"):
            found[sid] = {"id": source_id, "name": name, "type": type_,
                          "via_id": via_id, "via_name": via_name}
        return found

    def find_statements(self, ref: str, limit: int = 2) -> list[tuple[str, str]]:
        """(statement id, document id) of the statements whose id is or starts with `ref`."""
        return [(r[0], r[1]) for r in self.db.query(
            "SELECT id, doc_id FROM statements WHERE id = ? OR id LIKE ? ORDER BY id LIMIT ?",
            (ref, ref.replace("%", "").replace("_", "") + "%", limit))]
