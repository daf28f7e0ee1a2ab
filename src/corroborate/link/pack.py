"""A story pack: the case knowledge an analyst may write for one story, never a requirement.

Source resolution and proposition matching work from the documents alone (general knowledge
plus what the corpus says about its speakers, see `link/names.py`). A pack adds what only the
analyst knows about this story: bodies and people with the names news uses for them, which side
each country stands on, and story words that mean the same thing. Format (JSON)::

    {
      "story": "one line saying which story this is (optional)",
      "entities": {
        "National Mining Safety Board": {
          "type": "government_body",          # person | government_body | organization | media
          "country": "Veloria",               # optional
          "role": null, "affiliation": null,  # optional
          "aliases": ["nmsb", "the safety board", "the mine regulator"]
        }
      },
      "alignment": {"Veloria": "government side"},   # country -> side (optional)
      "concepts": {"COLLAPSE": ["collapse", "cave-in", "caved in"]}   # optional
    }

Aliases are matched on the normalised mention (lower case, no articles or possessives). The pack
is given to `corroborate link --pack FILE` and stored in the ledger, so later `link`,
`timeline` and `report` runs use it too. Errors are one line naming the file and the field.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corroborate.errors import MetadataError

if TYPE_CHECKING:
    from corroborate.store.backends import Backend

SOURCE_TYPES = ("person", "government_body", "organization", "media")
_TOP = {"story", "entities", "alignment", "concepts", "_comment"}
_ENTITY = {"type", "country", "role", "affiliation", "aliases"}


class PackError(MetadataError):
    """A story pack that cannot be read or does not follow the format."""


@dataclass(frozen=True)
class Entity:
    """One known body or person of the story, with the names news uses for it."""

    name: str
    type: str
    country: str | None = None
    role: str | None = None
    affiliation: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoryPack:
    story: str | None = None
    entities: tuple[Entity, ...] = ()
    alignment: dict[str, str] = field(default_factory=dict)
    concepts: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @cached_property
    def digest(self) -> str:
        """Stable identity of the pack's content (caches key on it)."""
        return hashlib.sha1(self.to_json().encode()).hexdigest()[:12]

    def to_json(self) -> str:
        return json.dumps({
            "story": self.story,
            "entities": {e.name: {"type": e.type, "country": e.country, "role": e.role,
                                  "affiliation": e.affiliation, "aliases": list(e.aliases)}
                         for e in self.entities},
            "alignment": self.alignment,
            "concepts": {k: list(v) for k, v in self.concepts.items()}}, sort_keys=True)


def load_pack(path: str | Path) -> StoryPack:
    """Read and validate a pack file."""
    where = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise PackError(where, f"cannot read story pack: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackError(where, f"not JSON (line {exc.lineno}: {exc.msg})") from None
    return parse_pack(data, where)


def parse_pack(data: Any, where: str = "story pack") -> StoryPack:
    """Validate a decoded pack; every problem names the field at fault."""
    if not isinstance(data, dict):
        raise PackError(where, "a story pack is a JSON object")
    unknown = sorted(set(data) - _TOP)
    if unknown:
        raise PackError(where, f"{unknown[0]}: unknown field (expected one of "
                               f"{', '.join(sorted(_TOP - {'_comment'}))})")
    story = data.get("story")
    if story is not None and not isinstance(story, str):
        raise PackError(where, "story: expected a string")
    return StoryPack(story, _entities(data.get("entities", {}), where),
                     _string_map(data.get("alignment", {}), where, "alignment"),
                     _concepts(data.get("concepts", {}), where))


def _entities(raw: Any, where: str) -> tuple[Entity, ...]:
    if not isinstance(raw, dict):
        raise PackError(where, "entities: expected an object of name -> entity")
    entities = []
    for name, entry in raw.items():
        at = f"entities.{name}"
        if not isinstance(entry, dict):
            raise PackError(where, f"{at}: expected an object")
        unknown = sorted(set(entry) - _ENTITY)
        if unknown:
            raise PackError(where, f"{at}.{unknown[0]}: unknown field")
        kind = entry.get("type")
        if kind not in SOURCE_TYPES:
            raise PackError(where, f"{at}.type: expected one of {', '.join(SOURCE_TYPES)}, "
                                   f"got {kind!r}")
        for key in ("country", "role", "affiliation"):
            if entry.get(key) is not None and not isinstance(entry[key], str):
                raise PackError(where, f"{at}.{key}: expected a string or null")
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip()
                                                    for a in aliases):
            raise PackError(where, f"{at}.aliases: expected a list of non-empty strings")
        entities.append(Entity(name, kind, entry.get("country"), entry.get("role"),
                               entry.get("affiliation"), tuple(aliases)))
    return tuple(entities)


def _string_map(raw: Any, where: str, name: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise PackError(where, f"{name}: expected an object of string -> string")
    return dict(raw)


def _concepts(raw: Any, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise PackError(where, "concepts: expected an object of concept -> list of words")
    for concept, words in raw.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip()
                                                  for w in words):
            raise PackError(where, f"concepts.{concept}: expected a list of non-empty strings")
    return {concept: tuple(w.lower() for w in words) for concept, words in raw.items()}


# -- kept in the ledger, so later commands resolve the same way ----------------------------
def store_pack(backend: Backend, pack: StoryPack | None) -> None:
    """Remember the pack (None forgets it); the next `link` without `--pack` uses it."""
    backend.execute("DELETE FROM meta WHERE key = 'story_pack'")
    if pack is not None:
        backend.execute("INSERT INTO meta (key, value) VALUES ('story_pack', ?)",
                        (pack.to_json(),))


def stored_pack(backend: Backend) -> StoryPack | None:
    rows = backend.query("SELECT value FROM meta WHERE key = 'story_pack'")
    return parse_pack(json.loads(rows[0][0]), "ledger story pack") if rows else None
