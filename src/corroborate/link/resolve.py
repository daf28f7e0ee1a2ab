"""One canonical source per real speaker or body, across documents.

Mentions are keyed by what they say about the speaker: a known entity from the alias file
(`data/aliases.json`: "NIS", "Seoul's spy agency" and "South Korea's National Intelligence
Service" are one body), a person's full name (a bare surname joins the one full name in the
ledger that ends with it), a transcript label with its honorific stripped, a definite
description resolved to the last fitting source of the same document ("the agency"), or, for
unnamed sources, the description itself. Keys are stable text, so analyst edits (merge, split,
set), stored by key, can be re-applied after every re-ingestion.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from corroborate.model import SourceMention

DATA = Path(__file__).parent / "data"
_DETERMINERS = ("the ", "a ", "an ", "this ", "that ")
_HONORIFICS = re.compile(r"^(?:mr|mrs|ms|dr|gen|maj|lt|col|adm|sen|rep|gov|amb|capt)\.?\s+")
_GENERIC_HEADS = frozenset("agency ministry official spokesman spokeswoman spokesperson "
                           "minister president service department office military army "
                           "government embassy envoy diplomat source paper newspaper outlet "
                           "broadcaster channel officer general commander statement".split())
_BODY_HEADS = frozenset("agency ministry service department office government military army "
                        "embassy".split())
_PRONOUNS = frozenset({"he", "she", "they", "it", "him", "her", "them"})
_QUESTION_LABELS = frozenset({"q", "question", "reporter", "reporters"})


@dataclass(frozen=True)
class Entity:
    name: str
    type: str
    country: str | None
    role: str | None
    affiliation: str | None


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

    @property
    def id(self) -> str:
        return "S" + hashlib.sha1(self.key.encode()).hexdigest()[:10]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "key": self.key, "name": self.name, "type": self.type,
                "role": self.role, "affiliation": self.affiliation, "country": self.country,
                "alignment": self.alignment, "grade": self.grade,
                "aliases": [a for a, _ in self.aliases.most_common()],
                "statements": self.count}


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

    action: str  # merge | split | set
    key: str
    target: str | None = None  # merge: the key merged into; split: the mention text
    field: str | None = None
    value: str | None = None


@cache
def _alias_data() -> tuple[dict[str, Entity], dict[str, str]]:
    data = json.loads((DATA / "aliases.json").read_text(encoding="utf-8"))
    entities: dict[str, Entity] = {}
    for name, entry in data["entities"].items():
        entity = Entity(name, entry["type"], entry.get("country"), entry.get("role"),
                        entry.get("affiliation"))
        for alias in entry["aliases"]:
            entities[normalise(alias)] = entity
        entities[normalise(name)] = entity
    return entities, dict(data["alignment"])


def normalise(text: str) -> str:
    """Lower case, no articles, possessives or punctuation other than inner dots and hyphens."""
    low = text.lower().replace("’", "'").strip()
    low = re.sub(r"'s\b", "", low)
    low = re.sub(r"[^\w.\- ]+", " ", low)
    low = re.sub(r"\s+", " ", low).strip(" .")
    for det in _DETERMINERS:
        if low.startswith(det):
            low = low[len(det):]
    return low


def alignment_of(country: str | None) -> str:
    return _alias_data()[1].get(country or "", "unknown")


def _entity_for(text: str) -> Entity | None:
    entities = _alias_data()[0]
    norm = normalise(text)
    if norm in entities:
        return entities[norm]
    stripped = _HONORIFICS.sub("", norm)
    return entities.get(stripped)


@cache
def _entity_type(key: str) -> str | None:
    """The type a resolution key stands for (`entity:Lloyd Austin` is a person)."""
    kind, _, rest = key.partition(":")
    if kind == "entity":
        for entity in _alias_data()[0].values():
            if entity.name == rest:
                return entity.type
        return None
    return kind if kind in ("person", "government_body", "organization", "media") else None


def _key_of(mention: SourceMention) -> tuple[str, Entity | None]:
    """The resolution key of one mention, before document context and surnames."""
    for text in filter(None, (mention.name, mention.antecedent, mention.text)):
        entity = _entity_for(text)
        if entity is not None:
            return f"entity:{entity.name}", entity
    norm = _HONORIFICS.sub("", normalise(mention.name or mention.text))
    if norm in _QUESTION_LABELS:
        return "unnamed:reporters' questions", None
    if mention.type == "person" and mention.name:
        return f"person:{_HONORIFICS.sub('', normalise(mention.name))}", None
    if mention.type in ("government_body", "organization", "media"):
        return f"{mention.type}:{norm}", None
    if mention.text.isupper() and len(norm) > 1:
        return f"person:{norm}", None
    return f"unnamed:{norm}", None


def resolve_sources(mentions: Sequence[Mention],
                    edits: Iterable[SourceEdit] = ()) -> tuple[dict[str, str], list[Source]]:
    """Map each statement id to a canonical source id; return the sources."""
    keyed: list[tuple[Mention, str, Entity | None]] = []
    last_in_doc: dict[str, list[tuple[str, SourceMention]]] = defaultdict(list)
    for item in sorted(mentions, key=lambda m: (m.doc_id, m.position)):
        key, entity = _key_of(item.mention)
        norm = normalise(item.mention.text)
        head = norm.split()[-1] if norm else ""
        if entity is None and head in _GENERIC_HEADS and len(norm.split()) <= 3 \
                and (item.mention.name is None or normalise(item.mention.name) == norm):
            # `the agency`, `the official`: the last source of this document it can describe.
            for earlier_key, earlier in reversed(last_in_doc[item.doc_id]):
                if head in normalise(earlier.text).split() or head in earlier_key or (
                        head in _BODY_HEADS and earlier_key.startswith(
                            ("entity:", "government_body:", "organization:"))
                        and earlier.type in ("government_body", "organization")):
                    key = earlier_key
                    break
        elif entity is None and norm in _PRONOUNS and item.mention.name is None:
            # An unresolved pronoun: the last person (he/she) or body (they/it) of the document.
            wanted = ("person",) if norm in ("he", "she") else \
                ("government_body", "organization", "media", "unnamed")
            for earlier_key, earlier in reversed(last_in_doc[item.doc_id]):
                kind = _entity_type(earlier_key) or earlier.type
                if kind in wanted and normalise(earlier.text) not in _PRONOUNS:
                    key = earlier_key
                    break
        keyed.append((item, key, entity))
        last_in_doc[item.doc_id].append((key, item.mention))
    keyed = _join_surnames(keyed)
    sources: dict[str, Source] = {}
    assignment: dict[str, str] = {}
    for item, key, entity in keyed:
        source = sources.get(key)
        if source is None:
            source = sources[key] = _new_source(key, item.mention, entity)
        source.aliases[item.mention.text] += 1
        assignment[item.statement_id] = key
    for edit in edits:
        _apply(edit, sources, assignment, {i.statement_id: i.mention for i, _, _ in keyed})
    by_key = {s.key: s for s in sources.values()}
    return ({sid: by_key[key].id for sid, key in assignment.items() if key in by_key},
            sorted(sources.values(), key=lambda s: -sum(s.aliases.values())))


def _join_surnames(keyed: list[tuple[Mention, str, Entity | None]]
                   ) -> list[tuple[Mention, str, Entity | None]]:
    """`Budanov` joins `person:kyrylo budanov` when that is the only full name ending so."""
    full: dict[str, set[str]] = defaultdict(set)
    for _, key, _ in keyed:
        if key.startswith("person:") and " " in key:
            full[key.rsplit(" ", 1)[-1]].add(key)
    joined = []
    for item, key, entity in keyed:
        if key.startswith(("person:", "organization:", "unnamed:")) and " " not in \
                key.split(":", 1)[1]:
            candidates = full.get(key.split(":", 1)[1], set())
            if len(candidates) == 1:
                key = next(iter(candidates))
        joined.append((item, key, entity))
    return joined


def _new_source(key: str, mention: SourceMention, entity: Entity | None) -> Source:
    if entity is not None:
        return Source(key, entity.name, entity.type, entity.role, entity.affiliation,
                      entity.country, alignment_of(entity.country))
    kind, _, rest = key.partition(":")
    name = mention.name or mention.text
    if kind == "person" and mention.text.isupper():
        name = rest.title()
    if kind == "unnamed":
        name = rest
    country = mention.affiliation if mention.affiliation else None
    return Source(key, name, kind if kind != "unnamed" or mention.type == "unnamed"
                  else mention.type, mention.role, mention.affiliation, country,
                  alignment_of(country))


def _apply(edit: SourceEdit, sources: dict[str, Source], assignment: dict[str, str],
           mentions: dict[str, SourceMention]) -> None:
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
    elif edit.action == "set" and edit.key in sources and edit.field:
        setattr(sources[edit.key], edit.field, edit.value)
        if edit.field == "country":
            sources[edit.key].alignment = alignment_of(edit.value)
