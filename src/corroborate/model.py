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


STANCES = ("affirm", "deny", "uncertain")
STATEMENT_KINDS = ("direct", "indirect", "mixed", "according_to", "label", "author")
EVIDENCE_TYPES = ("satellite_imagery", "video", "photo", "intercepted_communications",
                  "documents_ids", "captured_or_killed_personnel", "eyewitness",
                  "intelligence_assessment", "official_statement", "other")


@dataclass(frozen=True)
class SourceMention:
    """Who is speaking, as mentioned in the text, with what the mention tells about them.

    For a pronoun (`he`), `name` and the other fields come from the antecedent it was resolved
    to, and `antecedent` holds that mention's text; the span stays on the pronoun itself.
    """

    start: int
    end: int
    text: str
    name: str | None = None
    type: str = "unnamed"
    role: str | None = None
    affiliation: str | None = None
    antecedent: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TimeRef:
    """A time expression with its normalised TIMEX3 value (None when unresolved)."""

    start: int
    end: int
    text: str
    value: str | None
    granularity: str | None
    how: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class EvidenceMention:
    type: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def said_on_granularity_from(said_on: str | None, how: str | None) -> str | None:
    """The granularity of a said_on stored before the field existed: the extractor wrote it
    into `said_on_how` (`relative_to_anchor (month, first day): October`); else a day."""
    if not said_on:
        return None
    for granularity in ("weekend", "week", "month"):
        if how and f"({granularity}, first day)" in how:
            return granularity
    return "day"


@dataclass(frozen=True)
class Statement:
    """One attributed statement: who (source) said what (content), how (cue), how firmly.

    `stance` is the source's commitment to the content. `content` covers the whole claim;
    `content_parts` are its pieces when it is discontinuous (a split quote). Offsets are into
    the document text exactly as read.
    """

    doc_id: str
    kind: str
    content: Span
    stance: str
    content_parts: tuple[Span, ...] = ()
    source: SourceMention | None = None
    cue: Span | None = None
    cue_class: str | None = None
    hedges: tuple[str, ...] = ()
    said_on: str | None = None
    said_on_how: str | None = None
    # day, weekend, week or month: said_on is the first day of that period (period.py).
    said_on_granularity: str | None = None
    event_dates: tuple[TimeRef, ...] = ()
    evidence: tuple[EvidenceMention, ...] = ()
    via: SourceMention | None = None
    source_id: str | None = None
    producer: str = ""

    @property
    def id(self) -> str:
        import hashlib

        key = f"{self.doc_id}:{self.content.start}:{self.content.end}:" \
              f"{self.cue.start if self.cue else -1}"
        return hashlib.sha256(key.encode()).hexdigest()[:20]

    def to_dict(self) -> dict[str, Any]:
        def span(value: Span | None) -> dict[str, Any] | None:
            return None if value is None else {"text": value.text, "start": value.start,
                                               "end": value.end}

        return {
            "id": self.id,
            "kind": self.kind,
            "source": self.source.to_dict() if self.source else None,
            "cue": span(self.cue),
            "content": span(self.content),
            "content_parts": [span(p) for p in self.content_parts],
            "stance": self.stance,
            "cue_class": self.cue_class,
            "hedges": list(self.hedges),
            "said_on": self.said_on,
            "said_on_how": self.said_on_how,
            "said_on_granularity": self.said_on_granularity,
            "event_dates": [t.to_dict() for t in self.event_dates],
            "evidence": [e.to_dict() for e in self.evidence],
            "via": self.via.to_dict() if self.via else None,
            "source_id": self.source_id,
            "producer": self.producer,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], doc_id: str) -> Statement:
        def span(value: dict[str, Any] | None) -> Span | None:
            return None if value is None else Span(doc_id, value["start"], value["end"],
                                                   value["text"])

        content = span(data["content"])
        assert content is not None
        return cls(
            doc_id=doc_id, kind=data["kind"], content=content, stance=data["stance"],
            content_parts=tuple(s for s in (span(p) for p in data.get("content_parts") or [])
                                if s is not None),
            source=SourceMention(**data["source"]) if data.get("source") else None,
            cue=span(data.get("cue")), cue_class=data.get("cue_class"),
            hedges=tuple(data.get("hedges") or ()), said_on=data.get("said_on"),
            said_on_how=data.get("said_on_how"),
            said_on_granularity=data.get("said_on_granularity")
            or said_on_granularity_from(data.get("said_on"), data.get("said_on_how")),
            event_dates=tuple(TimeRef(**t) for t in data.get("event_dates") or ()),
            evidence=tuple(EvidenceMention(**e) for e in data.get("evidence") or ()),
            via=SourceMention(**data["via"]) if data.get("via") else None,
            source_id=data.get("source_id"), producer=data.get("producer", ""),
        )
