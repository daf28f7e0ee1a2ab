"""Paged, filtered reads for browsing a large ledger (the web workbench and its JSON API).

Why a module apart from `reads.py`: those reads return whole result sets for export and
reports; these return one page (`LIMIT`/`OFFSET`) and the total, and every query is shaped to
use an index (`assignments_timeline`, `statements_doc`, `statement_sources_source`) so a page
costs the same on a 100,000-statement ledger as on a small one. Text filters are
case-insensitive substring matches on the stored summary columns (`content_text`,
`source_text`), never on the JSON `data`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from corroborate.store.backends import Backend

STANCES = ("affirm", "deny", "uncertain")
MAX_LIMIT = 200
# A text filter is a scan (no statement text index); past this many matches the count stops
# and says "more than", so a common word costs a page, not a pass over every statement.
COUNT_CAP = 1000


@dataclass(frozen=True)
class StatementFilter:
    """What a statement list may be narrowed by; every field is optional.

    `source_id` is the resolved source; `since`/`until` compare ISO dates (`YYYY-MM-DD`)
    against when it was said, else when its document was published; `text` is a substring of
    the content or of the text naming the source."""

    proposition_id: str | None = None
    source_id: str | None = None
    stance: str | None = None
    since: str | None = None
    until: str | None = None
    kind: str | None = None
    text: str | None = None
    doc_id: str | None = None
    # Each must be contained (a search's words and phrases, `browse.search`), besides `text`.
    terms: tuple[str, ...] = ()


def _like(value: str) -> str:
    """A LIKE pattern matching `value` literally (its own % and _ escaped)."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(column: str, dialect: str) -> str:
    """`column` holds the pattern's text, ignoring case. SQLite's LIKE already ignores ASCII
    case (and its LOWER folds nothing more), so no LOWER() copy of every row is made there;
    PostgreSQL's ILIKE folds case the Unicode way."""
    return f"{column} {'LIKE' if dialect == 'sqlite' else 'ILIKE'} ? ESCAPE '\\'"


# The date a statement is placed at: when said, else when its document was published.
_DATE = "COALESCE(s.said_on, d.published)"


def _statement_where(f: StatementFilter, dialect: str
                     ) -> tuple[list[str], list[Any], set[str]]:
    """WHERE clauses, their parameters, and the tables they need beyond the driving one
    (`s` statements, `d` documents, `ss` statement_sources): a count or a page of ids joins
    only those, so a filter on the proposition and stance alone stays on the index."""
    clauses: list[str] = []
    params: list[Any] = []
    tables: set[str] = set()
    linked = f.proposition_id is not None
    if linked:
        clauses.append("a.proposition_id = ?")
        params.append(f.proposition_id)
        if f.stance:
            clauses.append("a.stance = ?")
            params.append(f.stance)
    elif f.stance:
        clauses.append("s.stance = ?")
        params.append(f.stance)
    if f.source_id:
        clauses.append("ss.source_id = ?")
        params.append(f.source_id)
        tables.add("ss")
    # `assignments.day` is the statement's placed date (said, else published): indexed.
    placed = "a.day" if linked else _DATE
    if f.since:
        clauses.append(f"substr({placed}, 1, 10) >= ?")
        params.append(f.since)
    if f.until:
        clauses.append(f"substr({placed}, 1, 10) <= ?")
        params.append(f.until)
    if (f.since or f.until) and not linked:
        tables.add("d")
    if f.kind:
        clauses.append("d.kind = ?")
        params.append(f.kind)
        tables.add("d")
    if f.doc_id:
        clauses.append("s.doc_id = ?")
        params.append(f.doc_id)
    for term in ((f.text,) if f.text else ()) + f.terms:
        clauses.append("(" + " OR ".join(_contains(c, dialect) for c in (
            "s.content_text", "COALESCE(s.source_text, '')")) + ")")
        params.extend([_like(term)] * 2)
    if linked and (f.text or f.terms or f.doc_id or "d" in tables):
        tables.add("s")
    return clauses, params, tables


STATEMENT_KEYS = ("id", "doc_id", "kind", "stance", "source_text", "cue_text", "content",
                  "said_on", "said_on_granularity", "content_start", "content_end",
                  "source_id", "source_name", "alignment", "document_title", "publisher",
                  "published", "document_kind", "uri", "link_stance", "score")


class PageReader:
    """One page at a time of propositions, statements, sources and documents."""

    def __init__(self, backend: Backend) -> None:
        self.db = backend

    # -- statements -----------------------------------------------------------------------
    def statements(self, f: StatementFilter, limit: int, offset: int,
                   known: tuple[int, bool] | None = None
                   ) -> tuple[list[dict[str, Any]], int, bool]:
        """A page of statements, how many match, and whether that count is exact (a text
        filter counts up to `COUNT_CAP` past the page). With a proposition, in its timeline
        order (the `assignments_timeline` index) and with the stance toward it; otherwise in
        the order documents were added. The page's ids are found first, joining only what
        the filter needs, then those few rows are read in full. `known`: the (total, exact)
        a caller counted before for this filter and state of the ledger, so the count (a pass
        over every match) is not made again for the next page."""
        clauses, params, tables = _statement_where(f, self.db.dialect)
        linked = f.proposition_id is not None
        if linked:
            base = "FROM assignments a"
            if "s" in tables:
                base += " JOIN statements s ON s.id = a.statement_id"
            if "d" in tables:
                base += " JOIN documents d ON d.id = s.doc_id"
            if "ss" in tables:
                base += " JOIN statement_sources ss ON ss.statement_id = a.statement_id"
            key, order = "a.statement_id", " ORDER BY a.day, a.statement_id"
        else:
            base = "FROM statements s"
            if "d" in tables:
                base += " JOIN documents d ON d.id = s.doc_id"
            if "ss" in tables:
                base += " JOIN statement_sources ss ON ss.statement_id = s.id"
            # SQLite: the order rows were written (a document's statements together), which
            # is a plain scan when a filter rejects most rows; an index walk would not be.
            key, order = "s.id", (" ORDER BY s.rowid" if self.db.dialect == "sqlite"
                                  else " ORDER BY s.doc_id, s.position")
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        if known is not None:
            total, exact = known
        elif f.text or f.terms:
            cap = offset + limit + COUNT_CAP
            total = int(self.db.query(f"SELECT COUNT(*) FROM (SELECT 1 {base}{where} "
                                      "LIMIT ?) capped", [*params, cap + 1])[0][0])
            exact = total <= cap
            total = min(total, cap)
        else:
            total = int(self.db.query("SELECT COUNT(*) " + base + where, params)[0][0])
            exact = True
        ids = [r[0] for r in self.db.query(f"SELECT {key} " + base + where + order
                                           + " LIMIT ? OFFSET ?", [*params, limit, offset])]
        if not ids:
            return [], total, exact
        marks = ", ".join("?" for _ in ids)
        link = ("LEFT JOIN assignments a ON a.statement_id = s.id AND a.proposition_id = ? "
                if linked else "")
        rows = self.db.query(
            "SELECT s.id, s.doc_id, s.kind, s.stance, s.source_text, s.cue_text, "
            "s.content_text, s.said_on, s.said_on_granularity, s.content_start, s.content_end, "
            "ss.source_id, src.name, src.alignment, d.title, d.publisher, d.published, d.kind, "
            "d.uri, " + ("a.stance, a.score " if linked else "NULL, NULL ")
            + "FROM statements s JOIN documents d ON d.id = s.doc_id " + link
            + "LEFT JOIN statement_sources ss ON ss.statement_id = s.id "
            f"LEFT JOIN sources src ON src.id = ss.source_id WHERE s.id IN ({marks})",
            [*([f.proposition_id] if linked else []), *ids])
        by_id = {row[0]: dict(zip(STATEMENT_KEYS, row, strict=True)) for row in rows}
        return [by_id[i] for i in ids if i in by_id], total, exact

    def statement(self, statement_id: str) -> dict[str, Any] | None:
        """One statement with its full record (spans, hedges, dates) and its links."""
        rows = self.db.query(
            "SELECT s.doc_id, s.data, ss.source_id, src.name FROM statements s "
            "LEFT JOIN statement_sources ss ON ss.statement_id = s.id "
            "LEFT JOIN sources src ON src.id = ss.source_id WHERE s.id = ?", (statement_id,))
        if not rows:
            return None
        doc_id, data, source_id, name = rows[0]
        links = [{"id": pid, "stance": stance, "score": float(score)}
                 for pid, stance, score in self.db.query(
                     "SELECT proposition_id, stance, score FROM assignments "
                     "WHERE statement_id = ? ORDER BY score DESC, proposition_id",
                     (statement_id,))]
        return {"id": statement_id, "doc_id": doc_id, "data": json.loads(data),
                "source_id": source_id, "source_name": name, "propositions": links}

    def document_statements(self, doc_id: str) -> list[dict[str, Any]]:
        """Every statement of one document with its spans (a document's statements are
        bounded by its length, so this is one page by nature)."""
        rows = self.db.query(
            "SELECT s.id, s.data, ss.source_id, src.name FROM statements s "
            "LEFT JOIN statement_sources ss ON ss.statement_id = s.id "
            "LEFT JOIN sources src ON src.id = ss.source_id "
            "WHERE s.doc_id = ? ORDER BY s.position", (doc_id,))
        return [{"id": sid, "data": json.loads(data), "source_id": source_id,
                 "source_name": name} for sid, data, source_id, name in rows]

    # -- propositions ---------------------------------------------------------------------
    def propositions(self, limit: int, offset: int, origin: str | None = None
                     ) -> tuple[list[dict[str, Any]], int]:
        """A page of propositions with counts by stance, the earliest affirming statement
        (by its placed date) and the latest date anything was said about it."""
        where, params = (" WHERE origin = ?", [origin]) if origin else ("", [])
        total = int(self.db.query("SELECT COUNT(*) FROM propositions" + where, params)[0][0])
        rows = self.db.query("SELECT id, statement, origin, created FROM propositions" + where
                             + " ORDER BY origin, id LIMIT ? OFFSET ?",
                             [*params, limit, offset])
        found = [{"id": pid, "statement": text, "origin": kind, "created": created,
                  "counts": {s: 0 for s in STANCES}, "first_claimant": None, "last_date": None}
                 for pid, text, kind, created in rows]
        for item in found:
            for stance, n, last in self.db.query(
                    "SELECT stance, COUNT(*), MAX(day) FROM assignments "
                    "WHERE proposition_id = ? GROUP BY stance", (item["id"],)):
                item["counts"][stance] = int(n)
                if last and (item["last_date"] is None or last > item["last_date"]):
                    item["last_date"] = last
            first = self.db.query(
                "SELECT a.statement_id, a.day, COALESCE(src.name, s.source_text), ss.source_id "
                "FROM assignments a JOIN statements s ON s.id = a.statement_id "
                "LEFT JOIN statement_sources ss ON ss.statement_id = a.statement_id "
                "LEFT JOIN sources src ON src.id = ss.source_id "
                "WHERE a.proposition_id = ? AND a.stance = 'affirm' AND a.day IS NOT NULL "
                "ORDER BY a.day, a.statement_id LIMIT 1", (item["id"],))
            if first:
                sid, when, name, source_id = first[0]
                item["first_claimant"] = {"statement_id": sid, "date": when, "name": name,
                                          "source_id": source_id}
        return found, total

    def proposition(self, proposition_id: str) -> dict[str, Any] | None:
        rows = self.db.query("SELECT id, statement, origin, created FROM propositions "
                             "WHERE id = ?", (proposition_id,))
        if not rows:
            return None
        pid, text, origin, created = rows[0]
        return {"id": pid, "statement": text, "origin": origin, "created": created}

    def proposition_sources(self, proposition_id: str, limit: int = MAX_LIMIT
                            ) -> list[dict[str, Any]]:
        """The sources with statements linked to a proposition, most statements first: the
        choices of a source filter."""
        return [{"id": sid, "name": name, "statements": int(n)} for sid, name, n in
                self.db.query(
                    "SELECT ss.source_id, src.name, COUNT(*) FROM assignments a "
                    "JOIN statement_sources ss ON ss.statement_id = a.statement_id "
                    "JOIN sources src ON src.id = ss.source_id WHERE a.proposition_id = ? "
                    "GROUP BY ss.source_id, src.name ORDER BY 3 DESC, 2 LIMIT ?",
                    (proposition_id, limit))]

    # -- sources --------------------------------------------------------------------------
    _SOURCE_COLUMNS = ("id", "key", "name", "type", "role", "affiliation", "country",
                       "alignment", "grade", "aliases", "statements", "speaks_for")

    def _source_rows(self, rows: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
        return [{**dict(zip(self._SOURCE_COLUMNS, row, strict=True)),
                 "aliases": json.loads(row[9] or "[]"), "statements": int(row[10])}
                for row in rows]

    def sources(self, limit: int, offset: int, text: str | None = None,
                type_: str | None = None) -> tuple[list[dict[str, Any]], int]:
        clauses, params = [], []
        if text:
            clauses.append(f"({_contains('name', self.db.dialect)} OR "
                           f"{_contains('aliases', self.db.dialect)})")
            params.extend([_like(text)] * 2)
        if type_:
            clauses.append("type = ?")
            params.append(type_)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        total = int(self.db.query("SELECT COUNT(*) FROM sources" + where, params)[0][0])
        rows = self.db.query(f"SELECT {', '.join(self._SOURCE_COLUMNS)} FROM sources" + where
                             + " ORDER BY statements DESC, name, id LIMIT ? OFFSET ?",
                             [*params, limit, offset])
        return self._source_rows(rows), total

    def source(self, source_id: str) -> dict[str, Any] | None:
        rows = self.db.query(f"SELECT {', '.join(self._SOURCE_COLUMNS)} FROM sources "
                             "WHERE id = ?", (source_id,))
        return self._source_rows(rows)[0] if rows else None

    def source_positions(self, source_id: str) -> list[dict[str, Any]]:
        """Every proposition link of a source's statements, by proposition then date, without
        their text (see `contents`): a source's positions over time, read once and paged by
        the caller, since no index orders them (a busy source has tens of thousands)."""
        rows = self.db.query(
            "SELECT a.proposition_id, a.day, a.stance, a.statement_id, s.said_on_granularity, "
            "s.said_on FROM statement_sources ss JOIN assignments a ON a.statement_id = "
            "ss.statement_id JOIN statements s ON s.id = ss.statement_id "
            "WHERE ss.source_id = ?", (source_id,))
        rows.sort(key=lambda r: (r[0], r[1] is None, r[1] or "", r[3]))
        keys = ("proposition_id", "date", "stance", "statement_id", "granularity", "said_on")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def contents(self, statement_ids: Sequence[str]) -> dict[str, str]:
        """The content text of a few statements, by id."""
        if not statement_ids:
            return {}
        marks = ", ".join("?" for _ in statement_ids)
        return dict(self.db.query(f"SELECT id, content_text FROM statements WHERE id IN "
                                  f"({marks})", list(statement_ids)))

    def source_mentions(self, source_id: str, limit: int = 50) -> list[dict[str, Any]]:
        """The texts that name this source in its statements, most frequent first."""
        return [{"text": text, "count": int(n)} for text, n in self.db.query(
            "SELECT s.source_text, COUNT(*) FROM statement_sources ss "
            "JOIN statements s ON s.id = ss.statement_id WHERE ss.source_id = ? "
            "AND s.source_text IS NOT NULL GROUP BY s.source_text ORDER BY 2 DESC, 1 LIMIT ?",
            (source_id, limit))]

    def relayers(self, source_id: str, limit: int = 50) -> list[dict[str, Any]]:
        """Who relays this source (statements citing it), with how many relayed statements."""
        return [{"id": rid, "name": name, "count": int(n)} for rid, name, n in self.db.query(
            "SELECT r.relayer_id, src.name, COUNT(*) FROM relays r "
            "JOIN sources src ON src.id = r.relayer_id WHERE r.origin_id = ? "
            "GROUP BY r.relayer_id, src.name ORDER BY 3 DESC, 2 LIMIT ?", (source_id, limit))]

    def relayed(self, source_id: str, limit: int = 50) -> list[dict[str, Any]]:
        """Whom this source relays."""
        return [{"id": oid, "name": name, "count": int(n)} for oid, name, n in self.db.query(
            "SELECT r.origin_id, src.name, COUNT(*) FROM relays r "
            "JOIN sources src ON src.id = r.origin_id WHERE r.relayer_id = ? "
            "GROUP BY r.origin_id, src.name ORDER BY 3 DESC, 2 LIMIT ?", (source_id, limit))]

    # -- documents ------------------------------------------------------------------------
    _DOCUMENT_COLUMNS = ("id", "uri", "title", "publisher", "published", "published_estimated",
                         "kind", "format", "version_of")

    def documents(self, limit: int, offset: int, kind: str | None = None,
                  text: str | None = None) -> tuple[list[dict[str, Any]], int]:
        """A page of documents (newest added last) with their statement counts; `text` is a
        substring of the title, publisher or URI."""
        clauses, params = [], []
        if kind:
            clauses.append("kind = ?")
            params.append(kind)
        if text:
            clauses.append("(" + " OR ".join(_contains(c, self.db.dialect) for c in (
                "COALESCE(title, '')", "COALESCE(publisher, '')", "uri")) + ")")
            params.extend([_like(text)] * 3)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        total = int(self.db.query("SELECT COUNT(*) FROM documents" + where, params)[0][0])
        rows = self.db.query(
            f"SELECT {', '.join(self._DOCUMENT_COLUMNS)}, (SELECT COUNT(*) FROM statements s "
            "WHERE s.doc_id = documents.id) FROM documents" + where
            + " ORDER BY seq LIMIT ? OFFSET ?", [*params, limit, offset])
        return [{**dict(zip(self._DOCUMENT_COLUMNS, row[:-1], strict=True)),
                 "published_estimated": bool(row[5]), "statements": int(row[-1])}
                for row in rows], total

    def versions(self, uri: str) -> list[dict[str, Any]]:
        return [{"id": doc_id, "published": published, "captured": captured}
                for doc_id, published, captured in self.db.query(
                    "SELECT id, published, captured FROM documents WHERE uri = ? ORDER BY seq",
                    (uri,))]
