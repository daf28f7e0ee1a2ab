"""A document's archived text cut into pieces, each marked with the statement parts over it.

Statements overlap (one's content holds another's source; a cue sits between two quotes), so
marks cannot nest cleanly: the text is cut at every span boundary and each piece carries the
set of kinds (source, cue, content) and statements covering it. Every piece says where it
starts in the archived text (`data-start`), which is what lets the page's script turn a
selection back into exact character offsets for "add a missed statement".
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from html import escape
from typing import Any

from markupsafe import Markup

KINDS = ("source", "cue", "content")


@dataclass(frozen=True)
class Piece:
    start: int
    text: str
    kinds: tuple[str, ...]
    statements: tuple[str, ...]


def spans_of(statements: list[dict[str, Any]]) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, statement id) for every source, cue and content span (and each
    piece of a split content)."""
    found = []
    for st in statements:
        data = st["data"]
        parts = data.get("content_parts") or [data.get("content")]
        for kind, spans in (("source", [data.get("source")]), ("cue", [data.get("cue")]),
                            ("content", parts)):
            for span in spans:
                if span and isinstance(span.get("start"), int) and isinstance(span.get("end"),
                                                                              int):
                    found.append((span["start"], span["end"], kind, st["id"]))
    return found


def pieces(text: str, spans: list[tuple[int, int, str, str]]) -> list[Piece]:
    """Cut `text` at every boundary inside it; spans out of range are clipped, empty ones
    dropped (a stale statement must not break the page)."""
    size = len(text)
    clipped = [(max(0, s), min(size, e), k, sid) for s, e, k, sid in spans
               if min(size, e) > max(0, s)]
    cuts = sorted({0, size, *(s for s, *_ in clipped), *(e for _, e, *_ in clipped)})
    result = []
    for a, b in itertools.pairwise(cuts):
        over = [(k, sid) for s, e, k, sid in clipped if s <= a and b <= e]
        result.append(Piece(a, text[a:b], tuple(k for k in KINDS if any(o[0] == k for o in over)),
                            tuple(dict.fromkeys(sid for _, sid in over))))
    return result


def render(text: str, statements: list[dict[str, Any]]) -> Markup:
    """The pieces as HTML: `<mark>` for marked pieces, `<span>` otherwise, all escaped; a
    carriage return is written as `&#13;` because HTML parsing would otherwise fold CRLF to
    LF and shift every offset after it."""
    out = []
    for p in pieces(text, spans_of(statements)):
        body = escape(p.text, quote=False).replace("\r", "&#13;")
        if p.kinds:
            classes = " ".join(f"m-{k}" for k in p.kinds)
            ids = escape(" ".join(p.statements))
            out.append(f'<mark class="{classes}" data-start="{p.start}" '
                       f'data-statements="{ids}">{body}</mark>')
        else:
            out.append(f'<span data-start="{p.start}">{body}</span>')
    return Markup("".join(out))
