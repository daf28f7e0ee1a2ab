"""Analyst corrections: the audit log, and the overlay that re-applies it to derived rows.

Corrections are stored once, append-only (only `undone_by` changes), keyed to stable span
keys (store/anchors.py), never to row ids. What they change is *re-derived* from the log:

- statements: after every (re-)extraction of a document, and after every statement
  correction, the document's rows are put back to what the extractor said (`machine` keeps
  the values an analyst overrode, analyst rows are removed, deleted rows restored) and the
  active corrections are replayed in order — so an undo is just "replay without it";
- links: after every `link` (which recomputes assignments from scratch) and after every link
  correction, assignments an earlier overlay made are removed, the linker's rows it displaced
  (`assignments_machine`) put back, and the active link corrections, implications and
  statement source overrides applied again;
- sources: `source_edits` rows that belong to a correction are rebuilt from the active
  source corrections; `link` applies them as it always has.

A correction is active unless it is an undo or has been undone; undoing an undo makes the
original active again. Everything here runs inside the caller's write transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from corroborate.model import Span, Statement
from corroborate.store.anchors import Anchor, Candidate, SpanKey, find, moved
from corroborate.store.backends import Backend
from corroborate.store.rows import LINK_TABLES, delete_statement, insert_statement

_FIELDS = 'id, author, created, op, target_kind, target, "before", "after", undoes, undone_by'
_ACTIVE = "op <> 'undo' AND undone_by IS NULL"
LOCK = "corroborate.links"  # the lock `link` takes to replace links: one writer of links


@dataclass(frozen=True)
class Row:
    """One stored correction, JSON decoded."""

    id: int
    author: str
    created: str
    op: str
    target_kind: str
    target: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    undoes: int | None
    undone_by: int | None


def _row(raw: Sequence[Any]) -> Row:
    cid, author, created, op, kind, target, before, after, undoes, undone_by = raw
    return Row(int(cid), author, created, op, kind, target,
               json.loads(before) if before is not None else None,
               json.loads(after) if after is not None else None,
               int(undoes) if undoes is not None else None,
               int(undone_by) if undone_by is not None else None)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _dumps(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _doc_range(doc_id: str) -> tuple[str, str]:
    """Targets of one document's statements and links sort between these (':' < ';'),
    which an index answers where LIKE 'doc:%' would scan."""
    return f"{doc_id}:", f"{doc_id};"


class CorrectionStore:
    def __init__(self, backend: Backend) -> None:
        self.db = backend

    # -- the log ----------------------------------------------------------------------------
    def insert(self, op: str, target_kind: str, target: str, before: dict[str, Any] | None,
               after: dict[str, Any] | None, author: str, undoes: int | None = None) -> Row:
        rows = self.db.query(
            f'INSERT INTO corrections (author, created, op, target_kind, target, "before", '
            f'"after", undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING {_FIELDS}',
            (author, _now(), op, target_kind, target, _dumps(before), _dumps(after), undoes))
        return _row(rows[0])

    def get(self, cid: int) -> Row | None:
        rows = self.db.query(f"SELECT {_FIELDS} FROM corrections WHERE id = ?", (cid,))
        return _row(rows[0]) if rows else None

    def mark_undone(self, cid: int, by: int) -> bool:
        """Mark `cid` undone by `by`, unless someone undid it first (False)."""
        return bool(self.db.query("UPDATE corrections SET undone_by = ? WHERE id = ? AND "
                                  "undone_by IS NULL RETURNING id", (by, cid)))

    def reactivate(self, cid: int) -> None:
        self.db.execute("UPDATE corrections SET undone_by = NULL WHERE id = ?", (cid,))

    def history(self, target_kind: str | None = None, target: str | None = None,
                limit: int = 50, offset: int = 0) -> list[Row]:
        """Newest first. A statement's history includes its links (`key|P2`)."""
        clauses: list[str] = []
        params: list[Any] = []
        if target_kind == "proposition" and target:
            # a proposition's history includes every link correction to it (`key|P2`)
            escaped = target.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append("((target_kind = 'proposition' AND target = ?) OR "
                           "(target_kind = 'link' AND target LIKE ? ESCAPE '\\'))")
            params.extend([target, f"%|{escaped}"])
            target = None
        elif target_kind:
            if target_kind == "statement" and target:
                clauses.append("target_kind IN ('statement', 'link')")
            else:
                clauses.append("target_kind = ?")
                params.append(target_kind)
        if target:
            clauses.append("(target = ? OR (target >= ? AND target < ?))")
            params.extend([target, f"{target}|", f"{target}}}"])
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        return [_row(r) for r in self.db.query(
            f"SELECT {_FIELDS} FROM corrections{where} ORDER BY id DESC LIMIT ? OFFSET ?",
            (*params, int(limit), int(offset)))]

    def active(self, target_kind: str, doc_id: str | None = None) -> list[Row]:
        """The corrections in force for a kind (of one document's statements), oldest first."""
        sql = f"SELECT {_FIELDS} FROM corrections WHERE target_kind = ? AND {_ACTIVE}"
        params: list[Any] = [target_kind]
        if doc_id is not None:
            sql += " AND target >= ? AND target < ?"
            params.extend(_doc_range(doc_id))
        return [_row(r) for r in self.db.query(sql + " ORDER BY id", params)]

    def every(self) -> Iterable[Row]:
        for raw in self.db.query(f"SELECT {_FIELDS} FROM corrections ORDER BY id"):
            yield _row(raw)

    # -- span anchors -----------------------------------------------------------------------
    def remember(self, anchor: Anchor) -> None:
        k = anchor.key
        self.db.execute(
            "INSERT INTO statement_spans (key, doc_id, content_start, content_end, "
            "content_text, cue_start, cue_end, cue_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (key) DO NOTHING",
            (str(k), k.doc_id, k.content[0], k.content[1], anchor.content_text,
             k.cue[0] if k.cue else None, k.cue[1] if k.cue else None, anchor.cue_text))

    def anchor(self, key: str) -> Anchor | None:
        rows = self.db.query("SELECT doc_id, content_start, content_end, content_text, "
                             "cue_start, cue_end, cue_text FROM statement_spans WHERE key = ?",
                             (key,))
        if not rows:
            return None
        doc, cs, ce, text, qs, qe, cue_text = rows[0]
        cue = (int(qs), int(qe)) if qs is not None else None
        return Anchor(SpanKey(doc, (int(cs), int(ce)), cue), text, cue_text)

    def candidates(self, doc_id: str) -> list[Candidate]:
        found = []
        for sid, cs, ce, data in self.db.query(
                "SELECT id, content_start, content_end, data FROM statements WHERE doc_id = ?",
                (doc_id,)):
            cue = json.loads(data).get("cue")
            found.append(Candidate(sid, (int(cs), int(ce)),
                                   (cue["start"], cue["end"]) if cue else None,
                                   cue["text"] if cue else None))
        return found

    def _text(self, doc_id: str) -> str:
        rows = self.db.query("SELECT text FROM documents WHERE id = ?", (doc_id,))
        return str(rows[0][0]) if rows else ""

    def resolve(self, key: str, cache: dict[str, tuple[str, list[Candidate]]] | None = None
                ) -> str | None:
        """The statement a key points at now (None: gone, or never anchored)."""
        anchor = self.anchor(key)
        if anchor is None:
            return None
        doc = anchor.key.doc_id
        cache = {} if cache is None else cache
        if doc not in cache:
            cache[doc] = (self._text(doc), self.candidates(doc))
        text, candidates = cache[doc]
        return find(anchor, text, candidates)

    # -- statements overlay -----------------------------------------------------------------
    def apply_statements(self, doc_id: str) -> None:
        """Re-derive one document's statements from the extractor's rows and the corrections
        in force (see the module docstring). Cheap when the document has no corrections."""
        db = self.db
        low, high = _doc_range(doc_id)
        touched = db.query("SELECT 1 FROM corrections WHERE target_kind = 'statement' AND "
                           "target >= ? AND target < ? LIMIT 1", (low, high))
        if not touched:
            return
        for sid, machine in db.query("SELECT id, machine FROM statements WHERE doc_id = ? "
                                     "AND machine IS NOT NULL", (doc_id,)):
            values = json.loads(machine)
            db.execute("UPDATE statements SET stance = ?, said_on = ?, said_on_granularity = ?, "
                       "data = ?, machine = NULL WHERE id = ?",
                       (values["stance"], values["said_on"], values["said_on_granularity"],
                        values["data"], sid))
        for (sid,) in db.query("SELECT id FROM statements WHERE doc_id = ? AND "
                               "producer = 'analyst'", (doc_id,)):
            delete_statement(db, sid)
        text = self._text(doc_id)
        every = [_row(r) for r in db.query(
            f"SELECT {_FIELDS} FROM corrections WHERE target_kind = 'statement' AND "
            "target >= ? AND target < ? ORDER BY id", (low, high))]
        for c in every:  # a deleted statement whose delete is no longer in force comes back
            if c.op == "statement.delete" and not _in_force(c) and c.before \
                    and self._find(c.target, text) is None:
                self._put_back(doc_id, c.before)
        for c in (c for c in every if _in_force(c)):
            if c.op == "statement.add" and c.after:
                self._add(doc_id, c, text)
            elif c.op == "statement.delete":
                sid = self._find(c.target, text)
                if sid is not None:
                    delete_statement(db, sid)
            elif c.op == "statement.set" and c.after:
                sid = self._find(c.target, text)
                if sid is not None:
                    self._set(sid, c.after)

    def _find(self, key: str, text: str) -> str | None:
        anchor = self.anchor(key)
        if anchor is None:
            return None
        return find(anchor, text, self.candidates(anchor.key.doc_id))

    def _put_back(self, doc_id: str, before: dict[str, Any]) -> None:
        st = Statement.from_dict(before["statement"], doc_id)
        if not self.db.query("SELECT 1 FROM statements WHERE id = ?", (st.id,)):
            insert_statement(self.db, doc_id, int(before.get("position", 0)), st)

    def _add(self, doc_id: str, c: Row, text: str) -> None:
        assert c.after is not None
        st = Statement.from_dict(c.after["statement"], doc_id)
        anchor = self.anchor(c.target)
        place = moved(anchor, text) if anchor else None
        if place is None:
            return  # its text is gone from the document: nothing to show, still in history
        content, cue = place
        if content != (st.content.start, st.content.end) or \
                (cue and st.cue and cue != (st.cue.start, st.cue.end)):
            st = _shifted(st, content[0] - st.content.start)
        if self.db.query("SELECT 1 FROM statements WHERE id = ?", (st.id,)):
            self._set(st.id, {"stance": st.stance})  # the extractor found it too
            return
        position = self.db.query("SELECT COUNT(*) FROM statements WHERE doc_id = ? AND "
                                 "content_start < ?", (doc_id, st.content.start))[0][0]
        insert_statement(self.db, doc_id, int(position), st)

    def _set(self, sid: str, after: dict[str, Any]) -> None:
        db = self.db
        stance, said_on, granularity, data, machine = db.query(
            "SELECT stance, said_on, said_on_granularity, data, machine FROM statements "
            "WHERE id = ?", (sid,))[0]
        if machine is None:
            machine = json.dumps({"stance": stance, "said_on": said_on,
                                  "said_on_granularity": granularity, "data": data})
        values = json.loads(data)
        if "stance" in after:
            stance = values["stance"] = after["stance"]
        if "said_on" in after:
            said_on = values["said_on"] = after["said_on"]
            granularity = values["said_on_granularity"] = after.get("said_on_granularity")
            values["said_on_how"] = "analyst"
        db.execute("UPDATE statements SET stance = ?, said_on = ?, said_on_granularity = ?, "
                   "data = ?, machine = ? WHERE id = ?",
                   (stance, said_on, granularity, json.dumps(values, ensure_ascii=False),
                    machine, sid))

    # -- links overlay ----------------------------------------------------------------------
    def restore_machine_links(self) -> None:
        """Take the overlay off: the linker's own assignments, as it last wrote them."""
        db = self.db
        db.execute("DELETE FROM assignments WHERE correction IS NOT NULL")
        db.execute("INSERT INTO assignments (statement_id, proposition_id, score, stance, day) "
                   "SELECT m.statement_id, m.proposition_id, m.score, m.stance, m.day "
                   "FROM assignments_machine m "
                   "WHERE m.statement_id IN (SELECT id FROM statements) "
                   "AND m.proposition_id IN (SELECT id FROM propositions) "
                   "ON CONFLICT (statement_id, proposition_id) DO NOTHING")
        db.execute("DELETE FROM assignments_machine")

    def apply_links(self) -> None:
        """Put the linker's assignments back, then apply the link corrections, statement
        source overrides and implications in force (see the module docstring)."""
        db = self.db
        self.restore_machine_links()
        links = self.active("link")
        props = self.active("proposition")
        sources = [c for c in self.active("statement") if c.after and "source" in c.after]
        if not (links or props or sources):
            return
        cache: dict[str, tuple[str, list[Candidate]]] = {}
        merged = {c.target: str((c.after or {}).get("into")) for c in props
                  if c.op == "proposition.merge"}
        known = {r[0] for r in db.query("SELECT id FROM propositions")}
        rejected: set[tuple[str, str]] = set()
        latest: dict[tuple[str, str], Row] = {}
        for c in links:
            key, _, pid = c.target.rpartition("|")
            sid = self.resolve(key, cache)
            pid = merged.get(pid, pid)
            if sid is not None and pid in known:
                latest[(sid, pid)] = c
        for (sid, pid), c in latest.items():
            stance = (c.after or {}).get("stance")
            if stance is None:
                rejected.add((sid, pid))
            self._override(sid, pid, stance, c.id)
        for c in sources:
            sid = self.resolve(c.target, cache)
            if sid is not None:
                self._source(sid, str((c.after or {})["source"]))
        edges = [(c.target, str((c.after or {}).get("weaker")), c.id) for c in props
                 if c.op == "proposition.imply"]
        if edges:
            self._imply(edges, rejected, known)

    def apply_link(self, target: str) -> None:
        """Re-derive one link (`key|P2`) after a correction of it or its undo: the linker's
        link put back, then the latest correction of it in force applied. With implications
        or proposition merges in force, one link can change others: everything is re-derived
        (`apply_links`)."""
        db = self.db
        if db.query("SELECT 1 FROM corrections WHERE target_kind = 'proposition' AND op IN "
                    f"('proposition.imply', 'proposition.merge') AND {_ACTIVE} LIMIT 1"):
            self.apply_links()
            return
        key, _, pid = target.rpartition("|")
        sid = self.resolve(key)
        if sid is None:
            return
        by = db.query("SELECT correction FROM assignments WHERE statement_id = ? AND "
                      "proposition_id = ?", (sid, pid))
        if by and by[0][0] is not None:
            db.execute("DELETE FROM assignments WHERE statement_id = ? AND proposition_id = ?",
                       (sid, pid))
            db.execute("INSERT INTO assignments (statement_id, proposition_id, score, stance, "
                       "day) SELECT statement_id, proposition_id, score, stance, day FROM "
                       "assignments_machine WHERE statement_id = ? AND proposition_id = ?",
                       (sid, pid))
            db.execute("DELETE FROM assignments_machine WHERE statement_id = ? AND "
                       "proposition_id = ?", (sid, pid))
        latest = db.query(f"SELECT {_FIELDS} FROM corrections WHERE target_kind = 'link' AND "
                          f"target = ? AND {_ACTIVE} ORDER BY id DESC LIMIT 1", (target,))
        if latest and pid in {r[0] for r in db.query("SELECT id FROM propositions WHERE id = ?",
                                                      (pid,))}:
            c = _row(latest[0])
            self._override(sid, pid, (c.after or {}).get("stance"), c.id)

    def apply_sources(self, doc_id: str) -> None:
        """The statement source overrides in force on one document's statements."""
        for c in self.active("statement", doc_id):
            if c.after and "source" in c.after:
                sid = self.resolve(c.target)
                if sid is not None:
                    self._source(sid, str(c.after["source"]))

    def _override(self, sid: str, pid: str, stance: str | None, cid: int) -> None:
        db = self.db
        old = db.query("SELECT score, stance, day, correction FROM assignments WHERE "
                       "statement_id = ? AND proposition_id = ?", (sid, pid))
        score, day = 1.0, None
        if old:
            score, _, day, by = old[0]
            if by is None:
                db.execute("INSERT INTO assignments_machine (statement_id, proposition_id, "
                           "score, stance, day) SELECT statement_id, proposition_id, score, "
                           "stance, day FROM assignments WHERE statement_id = ? AND "
                           "proposition_id = ? ON CONFLICT (statement_id, proposition_id) "
                           "DO NOTHING", (sid, pid))
            db.execute("DELETE FROM assignments WHERE statement_id = ? AND proposition_id = ?",
                       (sid, pid))
        else:
            day = _day(db, sid)
        if stance is not None:
            db.execute("INSERT INTO assignments (statement_id, proposition_id, score, stance, "
                       "day, correction) VALUES (?, ?, ?, ?, ?, ?)",
                       (sid, pid, float(score), stance, day, cid))

    def _source(self, sid: str, source_key: str) -> None:
        found = self.db.query("SELECT id FROM sources WHERE key = ?", (source_key,))
        if not found:
            return  # that source is gone after relinking: the extractor's source stands
        self.db.execute("INSERT INTO statement_sources (statement_id, source_id) VALUES (?, ?) "
                        "ON CONFLICT (statement_id) DO UPDATE SET source_id = excluded.source_id",
                        (sid, found[0][0]))

    def _imply(self, edges: list[tuple[str, str, int]], rejected: set[tuple[str, str]],
               known: set[str]) -> None:
        """Stronger ⇒ weaker: affirming the stronger affirms the weaker; denying the weaker
        denies the stronger. Repeated until nothing changes, so P3 ⇒ P2 ⇒ P1 chains."""
        db = self.db
        for _ in range(len(edges) + 1):
            changed = False
            for stronger, weaker, cid in edges:
                if stronger not in known or weaker not in known:
                    continue
                for src, dst, stance in ((stronger, weaker, "affirm"),
                                         (weaker, stronger, "deny")):
                    for sid, score, day in db.query(
                            "SELECT a.statement_id, a.score, a.day FROM assignments a "
                            "WHERE a.proposition_id = ? AND a.stance = ? AND NOT EXISTS "
                            "(SELECT 1 FROM assignments b WHERE b.statement_id = "
                            "a.statement_id AND b.proposition_id = ?)", (src, stance, dst)):
                        if (sid, dst) in rejected:
                            continue
                        db.execute("INSERT INTO assignments (statement_id, proposition_id, "
                                   "score, stance, day, correction) VALUES (?, ?, ?, ?, ?, ?)",
                                   (sid, dst, score, stance, day, cid))
                        changed = True
            if not changed:
                return

    # -- sources ----------------------------------------------------------------------------
    def sync_source_edits(self) -> None:
        """`source_edits` rows of corrections, rebuilt from the source corrections in force
        (rows from before corrections existed keep `correction` NULL and stay)."""
        db = self.db
        db.execute("DELETE FROM source_edits WHERE correction IS NOT NULL")
        for c in self.active("source"):
            for edit in (c.after or {}).get("edits", []):
                db.execute("INSERT INTO source_edits (action, key, target, field, value, "
                           "created, correction) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (edit["action"], edit["key"], edit.get("target"), edit.get("field"),
                            edit.get("value"), c.created, c.id))

    def corrected_statements(self) -> dict[str, list[int]]:
        """Statement id → the corrections in force on it (or on its links): what a report
        marks as corrected."""
        marks: dict[str, list[int]] = {}
        for (sid,) in self.db.query("SELECT id FROM statements WHERE machine IS NOT NULL "
                                    "OR producer = 'analyst'"):
            marks.setdefault(sid, [])
        for sid, cid in self.db.query("SELECT statement_id, correction FROM assignments "
                                      "WHERE correction IS NOT NULL"):
            marks.setdefault(sid, []).append(int(cid))
        return marks


def _in_force(c: Row) -> bool:
    return c.op != "undo" and c.undone_by is None


def _day(db: Backend, sid: str) -> str | None:
    rows = db.query("SELECT COALESCE(s.said_on, d.published) FROM statements s JOIN documents d "
                    "ON d.id = s.doc_id WHERE s.id = ?", (sid,))
    return rows[0][0] if rows else None


def _shifted(st: Statement, delta: int) -> Statement:
    """An analyst statement moved with its text (every span by the same offset)."""
    def move(span: Span | None) -> Span | None:
        return None if span is None else replace(span, start=span.start + delta,
                                                 end=span.end + delta)
    source = st.source
    if source is not None:
        source = replace(source, start=source.start + delta, end=source.end + delta)
    content = move(st.content)
    assert content is not None
    return replace(st, content=content, cue=move(st.cue), source=source)


__all__ = ["LINK_TABLES", "LOCK", "CorrectionStore", "Row"]
