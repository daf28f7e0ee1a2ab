"""The one place that writes to the ledger.

Writes happen in batches: the archive is fsync'd, then one transaction commits the blobs and
documents of the batch. A process killed mid-batch loses that batch only, and because keys are
content hashes, running the same `add` again completes it without duplicates.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from corroborate.archive import Archive, BlobLocation
from corroborate.errors import NotFound, StoreError
from corroborate.model import Document, Segment, Statement
from corroborate.store.backends import HIT_CLOSE, HIT_OPEN, Backend, connect
from corroborate.store.migrations import MIGRATIONS

_COLUMNS = ("id", "uri", "title", "publisher", "author", "published", "published_estimated",
            "published_from", "captured", "kind", "language", "format", "encoding", "text",
            "raw_ref", "version_of", "source_path", "notes", "segments", "producer")
_LIST_COLUMNS = tuple(c for c in _COLUMNS if c != "text")


class WriteOutcome(Enum):
    ADDED = "added"
    UNCHANGED = "unchanged"
    NEW_VERSION = "new_version"


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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _row_to_document(columns: Sequence[str], row: Sequence[Any]) -> Document:
    data = dict(zip(columns, row, strict=True))
    data["notes"] = json.loads(data.get("notes") or "[]")
    data["segments"] = [Segment.from_dict(s) for s in json.loads(data.get("segments") or "[]")]
    data.setdefault("text", "")
    return Document.from_dict(
        {**data, "segments": [s.to_dict() for s in data["segments"]]}
    )


class Store:
    def __init__(self, backend: Backend, archive: Archive) -> None:
        self.backend = backend
        self.archive = archive

    @classmethod
    def open(cls, location: str, archive_dir: Path) -> Store:
        store = cls(connect(location), Archive(archive_dir))
        store.migrate()
        return store

    def close(self) -> None:
        self.archive.close()
        self.backend.close()

    # -- schema ---------------------------------------------------------------------------
    def migrate(self) -> list[str]:
        db = self.backend
        db.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                   "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        done = {row[0] for row in db.query("SELECT name FROM schema_migrations")}
        applied = []
        for migration in MIGRATIONS:
            if migration.name in done:
                continue
            statements = migration.sqlite if db.dialect == "sqlite" else migration.postgres
            try:
                with db.transaction():
                    for sql in statements:
                        db.execute(sql)
                    db.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                               (migration.name, _now()))
            except Exception as exc:
                raise StoreError(f"{db.location}: migration {migration.name} failed ({exc})") \
                    from exc
            applied.append(migration.name)
        return applied

    def migrations(self) -> list[str]:
        return [r[0] for r in self.backend.query(
            "SELECT name FROM schema_migrations ORDER BY name")]

    # -- writing --------------------------------------------------------------------------
    @contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction; archived bytes are made durable before it commits."""
        with self.backend.transaction():
            yield
            self.archive.sync()

    def has_blob(self, digest: str) -> bool:
        return bool(self.backend.query("SELECT 1 FROM blobs WHERE sha256 = ?", (digest,)))

    def documents_of_blob(self, digest: str) -> int:
        """How many documents came from these bytes; 0 when they were never stored."""
        return int(self.backend.query("SELECT COUNT(*) FROM documents WHERE blob = ?",
                                      (digest,))[0][0])

    def write_source(self, raw: bytes, digest: str, path: str | None, fmt: str, uri: str,
                     media_type: str, documents: Sequence[Document]) -> list[WriteOutcome]:
        """Archive `raw` and store its documents; call inside `batch()`."""
        db = self.backend
        if not self.has_blob(digest):
            where = self.archive.put(raw, digest, uri, media_type)
            db.execute('INSERT INTO blobs (sha256, size, segment, "offset", path, format, '
                       "added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (digest, len(raw), where.segment, where.offset, path, fmt, _now()))
        return [self._write_document(doc, digest) for doc in documents]

    def write_statements(self, doc_id: str, statements: Sequence[Statement]) -> int:
        """Replace a document's statements (extraction is re-runnable); call inside `batch()`."""
        db = self.backend
        db.execute("DELETE FROM meta WHERE key = 'linked'")
        db.execute("DELETE FROM assignments WHERE statement_id IN "
                   "(SELECT id FROM statements WHERE doc_id = ?)", (doc_id,))
        db.execute("DELETE FROM statement_sources WHERE statement_id IN "
                   "(SELECT id FROM statements WHERE doc_id = ?)", (doc_id,))
        db.execute("DELETE FROM statements WHERE doc_id = ?", (doc_id,))
        for position, st in enumerate(statements):
            data = st.to_dict()
            db.execute(
                "INSERT INTO statements (id, doc_id, position, kind, source_text, source_name, "
                "source_type, cue_text, content_text, content_start, content_end, stance, "
                "said_on, data, producer, evidence_types, hedge_list, via_text) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (st.id, doc_id, position, st.kind, st.source.text if st.source else None,
                 st.source.name if st.source else None, st.source.type if st.source else None,
                 st.cue.text if st.cue else None, st.content.text, st.content.start,
                 st.content.end, st.stance, st.said_on, json.dumps(data, ensure_ascii=False),
                 st.producer, "\t".join(dict.fromkeys(e.type for e in st.evidence)),
                 "\t".join(st.hedges), st.via.text if st.via else None))
        return len(statements)

    def statements(self, doc_id: str | None = None, source: str | None = None,
                   stance: str | None = None) -> Iterator[Statement]:
        clauses, params = [], []
        if doc_id:
            clauses.append("doc_id = ?")
            params.append(doc_id)
        if source:
            clauses.append("(LOWER(source_name) LIKE ? OR LOWER(source_text) LIKE ?)")
            params.extend([f"%{source.lower()}%"] * 2)
        if stance:
            clauses.append("stance = ?")
            params.append(stance)
        sql = "SELECT s.doc_id, s.data FROM statements s JOIN documents d ON d.id = s.doc_id"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY d.published IS NULL, d.published, d.seq, s.position"
        for doc_id_, data in self.backend.query(sql, params):
            yield Statement.from_dict(json.loads(data), doc_id_)

    def _write_document(self, doc: Document, blob: str) -> WriteOutcome:
        db = self.backend
        if db.query("SELECT 1 FROM documents WHERE id = ?", (doc.id,)):
            return WriteOutcome.UNCHANGED
        earlier = db.query("SELECT id FROM documents WHERE uri = ? ORDER BY seq DESC LIMIT 1",
                           (doc.uri,))
        version_of = earlier[0][0] if earlier else None
        values = doc.to_dict()
        values["version_of"] = version_of
        values["published_estimated"] = int(doc.published_estimated)
        values["notes"] = json.dumps(list(doc.notes))
        values["segments"] = json.dumps([s.to_dict() for s in doc.segments])
        row = [values[c] for c in _COLUMNS]
        placeholders = ", ".join("?" for _ in range(len(_COLUMNS) + 2))
        db.execute(f"INSERT INTO documents ({', '.join(_COLUMNS)}, blob, added_at) "
                   f"VALUES ({placeholders})", (*row, blob, _now()))
        seq = db.query("SELECT seq FROM documents WHERE id = ?", (doc.id,))[0][0]
        db.index_text(seq, doc.title, doc.text)
        return WriteOutcome.NEW_VERSION if version_of else WriteOutcome.ADDED

    # -- reading --------------------------------------------------------------------------
    def documents(self, where: DocumentFilter | None = None,
                  with_text: bool = False) -> Iterator[Document]:
        where = where or DocumentFilter()
        columns = _COLUMNS if with_text else _LIST_COLUMNS
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
            yield _row_to_document(columns, row)

    def get(self, ref: str) -> Document:
        """Find a document by id, unique id prefix (6+ hex digits) or exact URI."""
        sql = f"SELECT {', '.join(_COLUMNS)} FROM documents WHERE "
        rows = self.backend.query(sql + "id = ?", (ref,))
        if not rows and len(ref) >= 6 and all(c in "0123456789abcdef" for c in ref.lower()):
            rows = self.backend.query(sql + "id LIKE ? LIMIT 2", (ref.lower() + "%",))
            if len(rows) > 1:
                raise NotFound(f"document {ref!r}: prefix matches more than one document")
        if not rows:
            rows = self.backend.query(sql + "uri = ? ORDER BY seq DESC LIMIT 1", (ref,))
        if not rows:
            raise NotFound(f"document {ref!r}: no document with that id, id prefix or URI")
        return _row_to_document(_COLUMNS, rows[0])

    def versions(self, uri: str) -> list[tuple[str, str | None]]:
        return [(r[0], r[1]) for r in self.backend.query(
            "SELECT id, published FROM documents WHERE uri = ? ORDER BY seq", (uri,))]

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        hits = []
        for doc_id, snippet, score in self.backend.search(query, limit):
            hits.append(SearchHit(self.get(doc_id), snippet or "", float(score)))
        return hits

    def raw_bytes(self, doc: Document) -> bytes:
        digest = doc.raw_ref.removeprefix("sha256:").split("#")[0]
        rows = self.backend.query('SELECT segment, "offset" FROM blobs WHERE sha256 = ?',
                                  (digest,))
        if not rows:
            raise NotFound(f"document {doc.id}: archived blob sha256:{digest} is not recorded")
        return self.archive.get(BlobLocation(rows[0][0], int(rows[0][1])), digest)

    def counts(self) -> dict[str, Any]:
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
