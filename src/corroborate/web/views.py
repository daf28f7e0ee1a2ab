"""Plain-data views shared by the pages and the JSON API, so both show the same thing."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from corroborate.model import Document
from corroborate.store.ledger import SearchHit


def document_meta(doc: Document) -> dict[str, Any]:
    return {"id": doc.id, "uri": doc.uri, "title": doc.title, "publisher": doc.publisher,
            "author": doc.author, "published": doc.published,
            "published_estimated": doc.published_estimated, "captured": doc.captured,
            "kind": doc.kind, "language": doc.language, "format": doc.format,
            "raw_ref": doc.raw_ref, "version_of": doc.version_of}


def statement_spans(found: dict[str, Any]) -> dict[str, Any]:
    """A document's statement as the API gives it: its parts as spans of the archived text."""
    data = found["data"]

    def span(value: Any) -> dict[str, Any] | None:
        if not value:
            return None
        return {"start": value.get("start"), "end": value.get("end"), "text": value.get("text")}

    return {"id": found["id"], "kind": data.get("kind"), "stance": data.get("stance"),
            "said_on": data.get("said_on"), "source": span(data.get("source")),
            "cue": span(data.get("cue")), "content": span(data.get("content")),
            "source_id": found.get("source_id"), "source_name": found.get("source_name")}


def search_hit(hit: SearchHit) -> dict[str, Any]:
    doc = hit.document
    return {"document": {"id": doc.id, "title": doc.title, "publisher": doc.publisher,
                         "published": doc.published, "uri": doc.uri, "kind": doc.kind},
            "snippet": [{"text": text, "hit": is_hit} for text, is_hit in hit.highlights()],
            "score": hit.score}


def highlight(text: str, terms: Sequence[str]) -> list[tuple[str, bool]]:
    """`text` as (piece, is_hit) around case-insensitive occurrences of any term (the words
    and phrases of a search; whitespace inside a phrase matches any run of it)."""
    wanted = [t for t in terms if t.strip()]
    if not wanted:
        return [(text, False)]
    pattern = re.compile("|".join(r"\s+".join(map(re.escape, t.split()))
                                  for t in sorted(wanted, key=len, reverse=True)), re.I)
    out: list[tuple[str, bool]] = []
    at = 0
    for match in pattern.finditer(text):
        if match.start() > at:
            out.append((text[at:match.start()], False))
        out.append((match.group(), True))
        at = match.end()
    if at < len(text):
        out.append((text[at:], False))
    return out
