"""Reading and writing the analyst's judgements: competing-hypotheses (ACH) sets, and the
overrides made on them (ACH cells, statement credibility).

An ACH set is a named, ordered list of propositions (migration 0012). Overrides are kept as
history, one row per change, the latest per target in force (a `None` value clears it), so a
change can be seen and reverted; targets are stable keys (statement ids are hashes of the
document and spans, `model.Statement.id`), never row ids, so they survive relinking and
re-extraction of the same text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from corroborate.store.backends import Backend


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def credibility_target(statement_id: str, proposition_id: str) -> str:
    return f"{statement_id}|{proposition_id}"


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


@dataclass(frozen=True)
class Judgement:
    kind: str  # "ach" (target: "SET|statement id|P2") or "credibility" ("statement id|P2")
    target: str
    value: str | None
    author: str
    created: str

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "target": self.target, "value": self.value,
                "author": self.author, "created": self.created}


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

    # -- overrides ------------------------------------------------------------------------
    def record(self, kind: str, target: str, value: str | None, author: str) -> Judgement:
        created = _now()
        self.db.execute("INSERT INTO judgements (kind, target, value, author, created) "
                        "VALUES (?, ?, ?, ?, ?)", (kind, target, value, author, created))
        return Judgement(kind, target, value, author, created)

    def current(self, kind: str, prefix: str = "") -> dict[str, Judgement]:
        """The judgement in force per target of `kind` (targets starting with `prefix`)."""
        found: dict[str, Judgement] = {}
        for target, value, author, created in self.db.query(
                "SELECT target, value, author, created FROM judgements WHERE kind = ? "
                "AND substr(target, 1, ?) = ? ORDER BY seq", (kind, len(prefix), prefix)):
            found[target] = Judgement(kind, target, value, author, created)
        return {t: j for t, j in found.items() if j.value is not None}

    def credibility(self, proposition_id: str) -> dict[str, int]:
        """The analyst's credibility per statement id on one proposition (what `assess`
        takes beside the entries)."""
        suffix = f"|{proposition_id}"
        return {target.removesuffix(suffix): int(str(j.value))
                for target, j in self.current("credibility").items() if target.endswith(suffix)}

    def history(self, kind: str, target: str) -> list[Judgement]:
        return [Judgement(kind, target, value, author, created)
                for value, author, created in self.db.query(
                    "SELECT value, author, created FROM judgements WHERE kind = ? AND "
                    "target = ? ORDER BY seq", (kind, target))]
