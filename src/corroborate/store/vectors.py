"""Reading and writing the embedding cache (migration 0013): one float32 vector per (encoder,
exact text), so a relink pays MiniLM only for text it has not seen.

The cache is derived data. Nothing else refers to it, and a missing row only means the text is
encoded again. Rows are read and written as raw little-endian float32 bytes. This module does
not judge them: the caller (link/vectors.py) checks each vector and re-encodes a bad one, and
`save` overwrites that row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from corroborate.store.backends import Backend

# Keys per `IN (...)` query: under SQLite's default limit of 999 bound parameters with room
# for the model, and small enough that PostgreSQL plans it as an index lookup.
_CHUNK = 500


class VectorStore:
    def __init__(self, backend: Backend) -> None:
        self.db = backend

    def lookup(self, model: str, digests: Sequence[str]) -> dict[str, tuple[int, bytes]]:
        """(dim, raw bytes) per digest found for `model`; digests not cached are absent."""
        found: dict[str, tuple[int, bytes]] = {}
        unique = list(dict.fromkeys(digests))
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start:start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            for digest, dim, raw in self.db.query(
                    "SELECT text_sha256, dim, vector FROM embedding_cache "
                    f"WHERE model = ? AND text_sha256 IN ({marks})", (model, *chunk)):
                found[str(digest)] = (int(dim), bytes(raw))
        return found

    def save(self, model: str, rows: Iterable[tuple[str, int, bytes]]) -> int:
        """Store (digest, dim, raw float32 bytes) rows for `model`; a row already there is
        replaced (it was found corrupt, or a concurrent link computed the same vector).
        Run it inside `Store.write`."""
        created = datetime.now(UTC).isoformat(timespec="seconds")
        count = 0
        for digest, dim, raw in rows:
            self.db.execute(
                "INSERT INTO embedding_cache (model, text_sha256, dim, vector, created) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (model, text_sha256) DO UPDATE SET "
                "dim = excluded.dim, vector = excluded.vector, created = excluded.created",
                (model, digest, dim, raw, created))
            count += 1
        return count

    def count(self, model: str | None = None) -> int:
        rows = self.db.query("SELECT COUNT(*) FROM embedding_cache WHERE model = ?", (model,)) \
            if model else self.db.query("SELECT COUNT(*) FROM embedding_cache")
        return int(rows[0][0])

    def clear(self) -> None:
        """Forget every cached vector (safe at any time: they are re-encoded on demand)."""
        self.db.execute("DELETE FROM embedding_cache")
