"""The records that flow through corroborate (see DESIGN.md, "Data model").

Records are frozen so a pipeline stage can never change what an earlier stage produced; every
derived record says which component made it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

DOCUMENT_KINDS = ("news", "statement", "transcript", "comment", "analysis", "other")


@dataclass(frozen=True)
class Segment:
    """A stretch of `Document.text` with the structure the source format carried.

    Subtitle cues keep their timestamps and speaker so later stages can cite "at 00:01:12" and
    attribute a turn to its speaker even after cues were joined into paragraphs.
    """

    start: int
    end: int
    speaker: str | None = None
    t_start: str | None = None
    t_end: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Segment:
        return cls(**{f.name: data.get(f.name) for f in fields(cls)})


@dataclass(frozen=True)
class Document:
    """One archived source text, addressed by the SHA-256 of its raw bytes.

    `raw_ref` says where the exact bytes lie in the archive (`sha256:<blob>` plus a locator such
    as `#line=12` or `#offset=4096` when the document is one record of a container), so any
    document can be re-derived and shown unchanged.
    """

    id: str
    uri: str
    text: str
    format: str
    raw_ref: str
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None
    published_estimated: bool = False
    published_from: str | None = None
    captured: str | None = None
    kind: str = "other"
    language: str | None = None
    encoding: str | None = None
    version_of: str | None = None
    source_path: str | None = None
    notes: tuple[str, ...] = ()
    segments: tuple[Segment, ...] = field(default_factory=tuple)
    producer: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["notes"] = list(self.notes)
        data["segments"] = [s.to_dict() for s in self.segments]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["notes"] = tuple(values.get("notes") or ())
        values["segments"] = tuple(Segment.from_dict(s) for s in values.get("segments") or ())
        values["published_estimated"] = bool(values.get("published_estimated"))
        return cls(**values)


@dataclass(frozen=True)
class Span:
    """Characters `start:end` of a document's text, with the text itself for checking."""

    doc_id: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
