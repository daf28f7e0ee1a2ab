"""The records of source resolution: a canonical source, a mention as the linking stage sees
it, and an analyst's edit (re-applied by key after every automatic resolution)."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from corroborate.link.pack import StoryPack
from corroborate.model import SourceMention


@dataclass
class Source:
    """A canonical source and the mentions that refer to it."""

    key: str
    name: str
    type: str
    role: str | None = None
    affiliation: str | None = None
    country: str | None = None
    alignment: str = "unknown"
    grade: str | None = None
    aliases: Counter[str] = field(default_factory=Counter)
    count: int = 0
    speaks_for: str | None = None  # the id of the body a spokesperson or official speaks for

    @property
    def id(self) -> str:
        return "S" + hashlib.sha1(self.key.encode()).hexdigest()[:10]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "key": self.key, "name": self.name, "type": self.type,
                "role": self.role, "affiliation": self.affiliation, "country": self.country,
                "alignment": self.alignment, "grade": self.grade,
                "aliases": [a for a, _ in self.aliases.most_common()],
                "statements": self.count, "speaks_for": self.speaks_for}


@dataclass(frozen=True)
class Mention:
    """A statement's source mention, with where it stands (for document-level reference)."""

    statement_id: str
    doc_id: str
    position: int
    mention: SourceMention


@dataclass(frozen=True)
class SourceEdit:
    """An analyst's correction, re-applied after every automatic resolution."""

    action: str  # merge | split | set | move (one statement out, by id)
    key: str
    target: str | None = None  # merge: the key merged into; split: the mention text
    field: str | None = None
    value: str | None = None


def alignment_of(country: str | None, pack: StoryPack | None = None) -> str:
    """The story pack's side for the country; without one, the country itself is the side."""
    if pack is not None and country in pack.alignment:
        return pack.alignment[country]
    return country or "unknown"


def apply_edit(edit: SourceEdit, sources: dict[str, Source], assignment: dict[str, str],
           mentions: dict[str, SourceMention], pack: StoryPack | None) -> None:
    if edit.action == "merge" and edit.key in sources and edit.target in sources:
        into = sources[edit.target]
        into.aliases.update(sources.pop(edit.key).aliases)
        for sid, key in assignment.items():
            if key == edit.key:
                assignment[sid] = edit.target
    elif edit.action == "split" and edit.key in sources and edit.target:
        new_key = f"{edit.key}|{edit.target.lower()}"
        for sid, key in list(assignment.items()):
            if key == edit.key and mentions[sid].text.lower() == edit.target.lower():
                assignment[sid] = new_key
                if new_key not in sources:
                    sources[new_key] = replace(sources[edit.key], key=new_key, name=edit.target,
                                               aliases=Counter())
                sources[new_key].aliases[mentions[sid].text] += 1
                sources[edit.key].aliases[mentions[sid].text] -= 1
        sources[edit.key].aliases += Counter()  # drop zero counts
    elif edit.action == "move" and edit.key in sources and edit.target is not None \
            and assignment.get(edit.target) == edit.key:
        # One statement out of a source (an analyst's split by statement; `target` is the
        # statement id, `value` the new source's name).
        new_key = f"{edit.key}|{(edit.value or 'split').lower()}"
        if new_key not in sources:
            sources[new_key] = replace(sources[edit.key], key=new_key,
                                       name=edit.value or sources[edit.key].name,
                                       aliases=Counter())
        assignment[edit.target] = new_key
        text = mentions[edit.target].text
        sources[new_key].aliases[text] += 1
        sources[edit.key].aliases[text] -= 1
        sources[edit.key].aliases += Counter()
    elif edit.action == "set" and edit.key in sources and edit.field:
        setattr(sources[edit.key], edit.field, edit.value)
        if edit.field == "country":
            sources[edit.key].alignment = alignment_of(edit.value, pack)
