"""Plain text and Markdown: the decoded file is the text, so offsets match the file as read."""

from __future__ import annotations

import re

from corroborate.errors import EmptyInput
from corroborate.ingest.decode import decode_text
from corroborate.ingest.record import ReadResult, Record

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)
_FRONT_KEYS = {"title", "publisher", "author", "published", "date", "kind", "url"}
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def read_text(raw: bytes, where: str) -> ReadResult:
    decoded = decode_text(raw, where)
    if not decoded.text.strip():
        raise EmptyInput(where, "empty file (no text)")
    notes = (decoded.note,) if decoded.note else ()
    yield Record(text=decoded.text, content=raw, encoding=decoded.encoding, notes=notes)


def read_markdown(raw: bytes, where: str) -> ReadResult:
    """Markdown keeps its markup (offsets stay true); simple front matter becomes metadata."""
    decoded = decode_text(raw, where)
    text = decoded.text
    meta: dict[str, str] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        for line in match.group(1).splitlines():
            key, sep, value = line.partition(":")
            key = key.strip().lower()
            if sep and key in _FRONT_KEYS:
                meta["published" if key == "date" else key] = value.strip().strip("\"'")
        text = text[match.end():]
    if not text.strip():
        raise EmptyInput(where, "empty file (no text)")
    if "title" not in meta:
        heading = _HEADING.search(text)
        if heading:
            meta["title"] = heading.group(1)
    notes = (decoded.note,) if decoded.note else ()
    yield Record(text=text, content=raw, meta=meta, encoding=decoded.encoding, notes=notes)
