"""Reading the ledger: documents, statements, search, counts and checks.

Reads that span several queries run inside `snapshot()` (one read transaction), so a writer
committing between two of the queries cannot make them disagree.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from corroborate.archive import Archive, BlobLocation
from corroborate.errors import NotFound
from corroborate.model import Document, Segment, Statement
from corroborate.store.backends import HIT_CLOSE, HIT_OPEN, Backend
from corroborate.store.query import SearchQuery, parse_query

COLUMNS = ("id", "uri", "title", "publisher", "author", "published", "published_estimated",
           "published_from", "captured", "kind", "language", "format", "encoding", "text",
           "raw_ref", "version_of", "source_path", "notes", "segments", "producer")
LIST_COLUMNS = tuple(c for c in COLUMNS if c != "text")


@dataclass(frozen=True)
class DocumentFilter:
    publisher: str | None = None
    kind: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int | None = None


@dataclass(frozen=True)
class SearchHit:
    document: Document
    snippet: str
    score: float

    def highlights(self) -> list[tuple[str, bool]]:
        """The snippet as (text, is_hit) pieces, for terminals and JSON alike."""
        pieces: list[tuple[str, bool]] = []
        rest = self.snippet
        while HIT_OPEN in rest:
            before, _, tail = rest.partition(HIT_OPEN)
            hit, _, rest = tail.partition(HIT_CLOSE)
            if before:
                pieces.append((before, False))
            pieces.append((hit, True))
        if rest:
            pieces.append((rest, False))
        return pieces


@dataclass(frozen=True)
class ResolvedStatement:
    """A stored statement with what linking made of it: the resolved source (None before
    `link`, or when the statement names no source) and its propositions, best first, as
    `{"id", "stance", "score"}` (the export contract)."""

    statement: Statement
    document: Document
    source_id: str | None
    source_name: str | None
    via_source_id: str | None
    via_name: str | None
    propositions: tuple[dict[str, Any], ...]


def row_to_document(columns: Sequence[str], row: Sequence[Any]) -> Document:
    data = dict(zip(columns, row, strict=True))
    data["notes"] = json.loads(data.get("notes") or "[]")
    data["segments"] = [Segment.from_dict(s) for s in json.loads(data.get("segments") or "[]")]
    data.setdefault("text", "")
    return Document.from_dict(
        {**data, "segments": [s.to_dict() for s in data["segments"]]}
    )


def _statement_filter(doc_id: str | None, source: str | None, stance: str | None
                      ) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if doc_id:
        clauses.append("s.doc_id = ?")
        params.append(doc_id)
    if source:
        clauses.append("(LOWER(s.source_name) LIKE ? OR LOWER(s.source_text) LIKE ?)")
        params.extend([f"%{source.lower()}%"] * 2)
    if stance:
        clauses.append("s.stance = ?")
        params.append(stance)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


DOCUMENTS_PER_CHUNK = 200  # documents a streamed read holds at once (~3,000 statements)
_STATEMENT_ORDER = " ORDER BY d.published IS NULL, d.published, d.seq, s.position"


class StoreReader:
    backend: Backend
    archive: Archive

    def snapshot(self) -> AbstractContextManager[None]:
        """One consistent view for reads spanning several queries (re-entrant)."""
        return self.backend.snapshot()  # type: ignore[no-any-return]

    def documents(self, where: DocumentFilter | None = None,
                  with_text: bool = False) -> Iterator[Document]:
        where = where or DocumentFilter()
        columns = COLUMNS if with_text else LIST_COLUMNS
        clauses, params = [], []
        if where.publisher:
            clauses.append("LOWER(publisher) LIKE ?")
            params.append(f"%{where.publisher.lower()}%")
        if where.kind:
            clauses.append("kind = ?")
            params.append(where.kind)
        if where.since:
            clauses.append("published >= ?")
            params.append(where.since)
        if where.until:
            clauses.append("published <= ?")
            params.append(where.until)
        sql = f"SELECT {', '.join(columns)} FROM documents"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY published IS NULL, published, seq"
        if where.limit:
            sql += f" LIMIT {int(where.limit)}"
        for row in self.backend.query(sql, params):
            yield row_to_document(columns, row)

    def statements(self, doc_id: str | None = None, source: str | None = None,
                   stance: str | None = None) -> Iterator[Statement]:
        """Stored statements; `source` matches the extractor's guess (`source_name`) or the
        source text, not the resolved source (see `resolved_statements`)."""
        where, params = _statement_filter(doc_id, source, stance)
        sql = "SELECT s.doc_id, s.data FROM statements s JOIN documents d ON d.id = s.doc_id"
        for doc_id_, data in self.backend.query(sql + where + _STATEMENT_ORDER, params):
            yield Statement.from_dict(json.loads(data), doc_id_)

    def document_ids(self) -> list[str]:
        """Every document id in ledger order (publication date, then arrival)."""
        return [row[0] for row in self.backend.query(
            "SELECT id FROM documents ORDER BY published IS NULL, published, seq")]

    def document_chunks(self, size: int = DOCUMENTS_PER_CHUNK, with_text: bool = True,
                        with_statements: bool = True
                        ) -> Iterator[list[tuple[Document, list[Statement]]]]:
        """Every document in ledger order with its statements in order, `size` documents a
        query: what a pass over the whole ledger holds at once is one chunk, not the ledger
        (`statements()` and `documents()` fetch every row before yielding the first). Run
        inside `snapshot()` when the chunks must agree with each other."""
        ids = self.document_ids()
        columns = COLUMNS if with_text else LIST_COLUMNS
        for at in range(0, len(ids), size):
            chunk = ids[at:at + size]
            marks = ", ".join("?" * len(chunk))
            docs = {row[0]: row_to_document(columns, row) for row in self.backend.query(
                f"SELECT {', '.join(columns)} FROM documents WHERE id IN ({marks})", chunk)}
            found: dict[str, list[Statement]] = {d: [] for d in chunk}
            if with_statements:
                for doc_id, data in self.backend.query(
                        f"SELECT doc_id, data FROM statements WHERE doc_id IN ({marks}) "
                        "ORDER BY doc_id, position", chunk):
                    found[doc_id].append(Statement.from_dict(json.loads(data), doc_id))
            yield [(docs[d], found[d]) for d in chunk if d in docs]

    def resolved_statements(self, doc_id: str | None = None, source: str | None = None,
                            stance: str | None = None) -> list[ResolvedStatement]:
        """Every statement (filtered as `statements`) with its document, its resolved source
        id and name, and its propositions; read in one snapshot, so a concurrent `add` or
        `link` never shows a statement without its document or with half its links."""
        where, params = _statement_filter(doc_id, source, stance)
        doc_columns = ", ".join(f"d.{c}" for c in LIST_COLUMNS)
        sql = (f"SELECT s.doc_id, s.data, ss.source_id, src.name, ss.via_source_id, via.name, "
               f"{doc_columns} FROM statements s JOIN documents d ON d.id = s.doc_id "
               "LEFT JOIN statement_sources ss ON ss.statement_id = s.id "
               "LEFT JOIN sources src ON src.id = ss.source_id "
               "LEFT JOIN sources via ON via.id = ss.via_source_id")
        with self.snapshot():
            rows = self.backend.query(sql + where + _STATEMENT_ORDER, params)
            links: dict[str, list[dict[str, Any]]] = {}
            for sid, pid, stance_, score in self.backend.query(
                    "SELECT statement_id, proposition_id, stance, score FROM assignments "
                    "ORDER BY score DESC, proposition_id"):
                links.setdefault(sid, []).append({"id": pid, "stance": stance_,
                                                  "score": score})
        documents: dict[str, Document] = {}
        result = []
        for doc_id_, data, source_id, name, via_id, via_name, *doc_row in rows:
            if doc_id_ not in documents:
                documents[doc_id_] = row_to_document(LIST_COLUMNS, doc_row)
            statement = Statement.from_dict(json.loads(data), doc_id_)
            result.append(ResolvedStatement(statement, documents[doc_id_], source_id, name,
                                            via_id, via_name,
                                            tuple(links.get(statement.id, ()))))
        return result

    def get(self, ref: str) -> Document:
        """Find a document by id, unique id prefix (6+ hex digits) or exact URI."""
        sql = f"SELECT {', '.join(COLUMNS)} FROM documents WHERE "
        rows = self.backend.query(sql + "id = ?", (ref,))
        if not rows and len(ref) >= 6 and all(c in "0123456789abcdef" for c in ref.lower()):
            rows = self.backend.query(sql + "id LIKE ? LIMIT 2", (ref.lower() + "%",))
            if len(rows) > 1:
                raise NotFound(f"document {ref!r}: prefix matches more than one document")
        if not rows:
            rows = self.backend.query(sql + "uri = ? ORDER BY seq DESC LIMIT 1", (ref,))
        if not rows:
            raise NotFound(f"document {ref!r}: no document with that id, id prefix or URI")
        return row_to_document(COLUMNS, rows[0])

    def versions(self, uri: str) -> list[tuple[str, str | None]]:
        return [(r[0], r[1]) for r in self.backend.query(
            "SELECT id, published FROM documents WHERE uri = ? ORDER BY seq", (uri,))]

    def search(self, query: str | SearchQuery, limit: int = 20) -> list[SearchHit]:
        """Web-style search (see `store.query`); raises `QueryError` when the query has
        nothing to search for. `parse_query(text).notes` says what was adjusted."""
        parsed = parse_query(query) if isinstance(query, str) else query
        with self.snapshot():
            return [SearchHit(self.get(doc_id), snippet or "", float(score))
                    for doc_id, snippet, score in self.backend.search(parsed, limit)]

    def raw_bytes(self, doc: Document) -> bytes:
        digest = doc.raw_ref.removeprefix("sha256:").split("#")[0]
        rows = self.backend.query('SELECT segment, "offset" FROM blobs WHERE sha256 = ?',
                                  (digest,))
        if not rows:
            raise NotFound(f"document {doc.id}: archived blob sha256:{digest} is not recorded")
        return self.archive.get(BlobLocation(rows[0][0], int(rows[0][1])), digest)

    def counts(self) -> dict[str, Any]:
        with self.snapshot():
            return self._counts()

    def _counts(self) -> dict[str, Any]:
        db = self.backend
        total, first, last = db.query(
            "SELECT COUNT(*), MIN(published), MAX(published) FROM documents")[0]
        by_kind = dict(db.query(
            "SELECT kind, COUNT(*) FROM documents GROUP BY kind ORDER BY 2 DESC"))
        by_format = dict(db.query(
            "SELECT format, COUNT(*) FROM documents GROUP BY format ORDER BY 2 DESC"))
        publishers = db.query(
            "SELECT COALESCE(publisher, '(unknown)'), COUNT(*) FROM documents "
            "GROUP BY publisher ORDER BY 2 DESC, 1")
        blobs, size = db.query("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM blobs")[0]
        versions = db.query("SELECT COUNT(*) FROM documents WHERE version_of IS NOT NULL")[0][0]
        statements = db.query("SELECT COUNT(*) FROM statements")[0][0]
        by_stance = dict(db.query("SELECT stance, COUNT(*) FROM statements GROUP BY stance"))
        estimated = db.query(
            "SELECT COUNT(*) FROM documents WHERE published_estimated = 1")[0][0]
        undated = db.query("SELECT COUNT(*) FROM documents WHERE published IS NULL")[0][0]
        return {
            "documents": int(total), "first_published": first, "last_published": last,
            "by_kind": {k: int(v) for k, v in by_kind.items()},
            "by_format": {k: int(v) for k, v in by_format.items()},
            "publishers": {p: int(n) for p, n in publishers},
            "sources_archived": int(blobs), "archived_bytes": int(size),
            "updated_versions": int(versions), "dates_estimated": int(estimated),
            "undated": int(undated), "statements": int(statements),
            "statements_by_stance": {k: int(v) for k, v in by_stance.items()},
        }

    def integrity(self) -> list[str]:
        """Problems with the database itself (empty when sound): SQLite's integrity check,
        foreign keys, the full-text index, and FTS rowids still equal to `seq` (which
        Datasette's `_search` relies on); on PostgreSQL, foreign-key orphans."""
        db = self.backend
        problems: list[str] = []
        if db.dialect == "sqlite":
            problems += [f"integrity_check: {r[0]}" for r in db.query("PRAGMA integrity_check")
                         if r[0] != "ok"]
            problems += [f"foreign key: {r[0]} row {r[1]} -> {r[2]}"
                         for r in db.query("PRAGMA foreign_key_check")]
            try:
                db.execute("INSERT INTO documents_fts(documents_fts, rank) "
                           "VALUES ('integrity-check', 1)")
            except Exception as exc:
                problems.append(f"full-text index: {exc}")
            moved = db.query("SELECT COUNT(*) FROM documents WHERE rowid != seq")[0][0]
            if moved:
                problems.append(f"{moved} document(s) with rowid != seq")
        else:
            orphans = db.query("SELECT COUNT(*) FROM statements s LEFT JOIN documents d "
                               "ON d.id = s.doc_id WHERE d.id IS NULL")[0][0]
            if orphans:
                problems.append(f"{orphans} statement(s) without their document")
        missing = db.query("SELECT COUNT(*) FROM documents d LEFT JOIN blobs b "
                           "ON b.sha256 = d.blob WHERE b.sha256 IS NULL")[0][0]
        if missing:
            problems.append(f"{missing} document(s) without their archived blob row")
        return problems
