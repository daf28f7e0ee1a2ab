"""What a reader yields: a document's text and what its format says about it.

Readers are pure functions `bytes -> Iterator[Record | RecordError]`. A container (WARC, JSONL,
CSV) yields one item per record and keeps going past bad ones; a whole-file failure raises.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from corroborate.errors import RecordError
from corroborate.model import Segment


@dataclass(frozen=True)
class Record:
    """One document's worth of content before metadata layering and archiving.

    `content` is the exact bytes the document id is the hash of: the whole file for
    single-document formats, the row or payload for a container record.
    """

    text: str
    content: bytes
    meta: dict[str, Any] = field(default_factory=dict)
    locator: str | None = None
    encoding: str | None = None
    notes: tuple[str, ...] = ()
    segments: tuple[Segment, ...] = ()


ReadResult = Iterator[Record | RecordError]
Reader = Callable[[bytes, str], ReadResult]
