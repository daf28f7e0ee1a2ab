"""Reading and writing the analyst's judgements: competing-hypotheses (ACH) sets (migration
0012), and reading the overrides made on them (ACH cells, statement credibility).

Overrides are analyst corrections (`curate/`, the `corrections` table of migration 0011): one
row per change, audited and undoable, the latest in force per target winning, an `after` of
None meaning "back to the suggestion". Their targets are statement span keys
(store/anchors.py), never row ids, so they find their statement again after relinking,
re-extraction and re-ingestion: `spankey|P2` for a credibility, `SET|spankey|P2` for a cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from corroborate.store.anchors import Candidate
from corroborate.store.backends import Backend
from corroborate.store.corrections import CorrectionStore

_Cache = dict[str, tuple[str, list[Candidate]]]  # document id → (text, its statements)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


CREDIBILITY = "credibility"  # target kinds in `corrections`
ACH = "ach"


def credibility_target(span_key: str, proposition_id: str) -> str:
    return f"{span_key}|{proposition_id}"


def cell_target(set_name: str, span_key: str, proposition_id: str) -> str:
    return f"{set_name}|{span_key}|{proposition_id}"


@dataclass(frozen=True)
class AchSet:
    name: str
    hypotheses: tuple[str, ...]  # proposition ids, in the analyst's order
    author: str
    created: str
    exclusive: bool = False  # at most one hypothesis is true (assess/ach.py)

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "hypotheses": list(self.hypotheses), "author": self.author,
                "created": self.created, "exclusive": self.exclusive}


class JudgementStore:
    def __init__(self, backend: Backend) -> None:
        self.db = backend

    # -- ACH sets -------------------------------------------------------------------------
    def add_set(self, name: str, hypotheses: Sequence[str], author: str,
                exclusive: bool = False) -> AchSet:
        """Create or redefine a set; call inside one write."""
        created = _now()
        self.db.execute("DELETE FROM ach_hypotheses WHERE set_name = ?", (name,))
        self.db.execute("INSERT INTO ach_sets (name, author, created, exclusive) "
                        "VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                        "author = excluded.author, created = excluded.created, "
                        "exclusive = excluded.exclusive",
                        (name, author, created, int(exclusive)))
        for position, pid in enumerate(hypotheses):
            self.db.execute("INSERT INTO ach_hypotheses (set_name, position, proposition_id) "
                            "VALUES (?, ?, ?)", (name, position, pid))
        return AchSet(name, tuple(hypotheses), author, created, exclusive)

    def delete_set(self, name: str) -> bool:
        found = bool(self.db.query("SELECT 1 FROM ach_sets WHERE name = ?", (name,)))
        self.db.execute("DELETE FROM ach_hypotheses WHERE set_name = ?", (name,))
        self.db.execute("DELETE FROM ach_sets WHERE name = ?", (name,))
        return found

    def sets(self) -> list[AchSet]:
        hypotheses: dict[str, list[str]] = {}
        for set_name, pid in self.db.query(
                "SELECT set_name, proposition_id FROM ach_hypotheses "
                "ORDER BY set_name, position"):
            hypotheses.setdefault(set_name, []).append(pid)
        return [AchSet(name, tuple(hypotheses.get(name, ())), author, created, bool(exclusive))
                for name, author, created, exclusive in self.db.query(
                    "SELECT name, author, created, exclusive FROM ach_sets ORDER BY name")]

    def get_set(self, name: str) -> AchSet | None:
        return next((s for s in self.sets() if s.name == name), None)

    # -- overrides (read from the corrections log) ----------------------------------------
    def _in_force(self, kind: str) -> dict[str, Any]:
        """The value in force per target of `kind` (the latest correction in force wins; a
        cleared one, `after` None, leaves no value)."""
        found: dict[str, Any] = {}
        for row in CorrectionStore(self.db).active(kind):
            found[row.target] = (row.after or {}).get("value")
        return {t: v for t, v in found.items() if v is not None}

    def _statement_now(self, span_key: str, cache: _Cache) -> str | None:
        return CorrectionStore(self.db).resolve(span_key, cache)

    def credibility(self, proposition_id: str) -> dict[str, int]:
        """The analyst's credibility per statement id (as stored now) on one proposition:
        what `assess` takes beside the entries."""
        found: dict[str, int] = {}
        cache: _Cache = {}
        suffix = f"|{proposition_id}"
        for target, value in self._in_force(CREDIBILITY).items():
            if target.endswith(suffix):
                sid = self._statement_now(target.removesuffix(suffix), cache)
                if sid is not None:
                    found[sid] = int(value)
        return found

    def cells(self, set_name: str) -> dict[tuple[str, str], str]:
        """The analyst's cells of one ACH set: (statement id now, proposition id) → value."""
        found: dict[tuple[str, str], str] = {}
        cache: _Cache = {}
        for target, value in self._in_force(ACH).items():
            name, _, rest = target.partition("|")
            span_key, _, pid = rest.rpartition("|")
            if name == set_name and (sid := self._statement_now(span_key, cache)):
                found[(sid, pid)] = str(value)
        return found
