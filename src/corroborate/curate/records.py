"""The correction record as every caller sees it, and who is making it."""

from __future__ import annotations

import getpass
import os
from dataclasses import asdict, dataclass
from typing import Any

from corroborate.errors import CorrectionError
from corroborate.store.corrections import Row

OPS_UNDO = "undo"


@dataclass(frozen=True)
class Correction:
    """One analyst correction: who, when, what (op on a target, keyed stably), the value
    before and after. `before`/`after` None means "nothing" (no link, no statement)."""

    id: int
    author: str
    created: str  # ISO 8601, UTC
    op: str
    target_kind: str
    target: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    undoes: int | None = None
    undone_by: int | None = None

    @property
    def in_force(self) -> bool:
        """Whether the ledger reflects it now: not an undo, and not undone."""
        return self.op != OPS_UNDO and self.undone_by is None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def of(cls, row: Row) -> Correction:
        return cls(row.id, row.author, row.created, row.op, row.target_kind, row.target,
                   row.before, row.after, row.undoes, row.undone_by)


def default_author(explicit: str | None = None) -> str:
    """`--author`, else `CORROBORATE_AUTHOR`, else the OS user: every edit names someone."""
    for candidate in (explicit, os.environ.get("CORROBORATE_AUTHOR")):
        if candidate and candidate.strip():
            return candidate.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError) as exc:  # no passwd entry (some containers)
        raise CorrectionError("author: no --author, no CORROBORATE_AUTHOR and no OS user "
                              "name; say who is making the correction") from exc


def checked_author(author: str) -> str:
    if not isinstance(author, str) or not author.strip():
        raise CorrectionError("author: empty; every correction names its author")
    if len(author) > 200 or any(ch in author for ch in "\n\r\t"):
        raise CorrectionError(f"author {author[:40]!r}: one line of at most 200 characters")
    return author.strip()
