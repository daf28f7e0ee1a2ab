"""Plain text and Markdown: the decoded file is the text, so offsets match the file as read.

No regex here may backtrack over the whole input: the first heading is found by walking line
starts (a regex `^#[ \t]+(.+?)[ \t#]*$` took 20 s on 60 KB of `#`), and front matter is only
looked for in the head of the file.
"""

from __future__ import annotations

import re

from corroborate.errors import EmptyInput
from corroborate.ingest.decode import decode_text
from corroborate.ingest.record import ReadResult, Record

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)
_FRONT_KEYS = {"title", "publisher", "author", "published", "date", "kind", "url"}
_FRONT_MATTER_HEAD = 64 * 1024


def first_heading(text: str) -> str | None:
    """The text of the first `# Heading` line (ATX level 1), closing `#`s dropped; linear."""
    start = 0
    while 0 <= start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if text.startswith("#", start) and text[start + 1:start + 2] in (" ", "\t"):
            title = text[start + 1:end].strip(" \t\r").rstrip(" \t#")
            if title:
                return title
        start = end + 1
    return None


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
    match = _FRONT_MATTER.match(text[:_FRONT_MATTER_HEAD])
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
        heading = first_heading(text)
        if heading:
            meta["title"] = heading
    notes = (decoded.note,) if decoded.note else ()
    yield Record(text=text, content=raw, meta=meta, encoding=decoded.encoding, notes=notes)
