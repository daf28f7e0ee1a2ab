"""Web-style search queries ("a b", "exact phrase", -excluded, OR), parsed once and rendered
for SQLite FTS5 and for PostgreSQL.

Users type what they would type into a search box; FTS5's own syntax rejects ordinary text
(hyphenated words, stray quotes, `a OR OR b`), so the parser is total: every string parses,
the result renders to an expression that is always valid, and anything it had to adjust is
said in `notes` so a front end can tell the user. A query with nothing left to search for
raises `QueryError` (the CLI prints its message) instead of returning "0 hits" silently.

Meaning, the same on both backends: words and phrases are ANDed; `OR` joins the terms either
side of it and binds tighter than AND (as in web search engines: `a b OR c` is a AND (b OR c));
`-term` excludes documents holding the term; a quote left open runs to the end of the query.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from corroborate.errors import QueryError

# A quoted phrase (closing quote optional: an open quote runs to the end), or a bare token.
_TOKEN = re.compile(r'(-?)"([^"]*)("?)|(-?)([^\s"]+)')
# Words are runs of letters and digits: the same pieces the FTS5 unicode61 tokenizer keeps.
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query: `groups` are ANDed, the phrases inside one group are ORed; each
    phrase is its words joined by single spaces."""

    text: str
    groups: tuple[tuple[str, ...], ...]
    excluded: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def adjusted(self) -> bool:
        """Whether the query was read differently from how it was typed."""
        return bool(self.notes)

    def normalised(self) -> str:
        """The query as it is run, in the same web syntax (for "searching for: ...")."""
        def phrase(p: str) -> str:
            return f'"{p}"' if " " in p else p

        parts = [" OR ".join(phrase(p) for p in group) for group in self.groups]
        parts += [f"-{phrase(p)}" for p in self.excluded]
        return " ".join(parts)

    def fts5(self) -> str:
        """An FTS5 MATCH expression; every phrase is quoted, so no input is an error."""
        def quoted(p: str) -> str:
            return '"' + p + '"'

        expression = " AND ".join("(" + " OR ".join(quoted(p) for p in group) + ")"
                                  for group in self.groups)
        for phrase in self.excluded:
            expression = f"({expression}) NOT {quoted(phrase)}"
        return expression

    def tsquery(self, config: str = "english") -> tuple[str, list[str]]:
        """A PostgreSQL tsquery expression with placeholders, and its parameters; built from
        phraseto_tsquery pieces so precedence is explicit and no input is a syntax error."""
        piece = f"phraseto_tsquery('{config}', ?)"
        params: list[str] = []
        ands = []
        for group in self.groups:
            ands.append("(" + " || ".join(piece for _ in group) + ")")
            params.extend(group)
        expression = "(" + " && ".join(ands) + ")"
        for phrase in self.excluded:
            expression += f" && !!{piece}"
            params.append(phrase)
        return expression, params


def parse_query(text: str) -> SearchQuery:
    """Parse any string; raises `QueryError` only when nothing is left to search for."""
    items: list[str | None] = []  # phrases, with None standing for an OR
    excluded: list[str] = []
    notes: list[str] = []
    for match in _TOKEN.finditer(text):
        if match.group(2) is not None:
            negated, body = bool(match.group(1)), match.group(2)
            if not match.group(3):
                notes.append("an unclosed quote runs to the end of the query")
        else:
            negated, body = bool(match.group(4)), match.group(5)
            if body == "OR" and not negated:
                items.append(None)
                continue
        words = _WORD.findall(body)
        if not words:
            notes.append(f"ignored {body or '“”'!r}: no letters or digits")
            continue
        if negated:
            excluded.append(" ".join(words))
        else:
            items.append(" ".join(words))
    groups = _group(items, notes)
    if not groups:
        if excluded:
            raise QueryError(f"search {text!r}: only excluded words; add a word to search for")
        raise QueryError(f"search {text!r}: no words to search for")
    return SearchQuery(text, groups, tuple(dict.fromkeys(excluded)), tuple(dict.fromkeys(notes)))


def _group(items: Sequence[str | None], notes: list[str]) -> tuple[tuple[str, ...], ...]:
    """Join phrases around each OR; an OR with nothing on one side is dropped (and said)."""
    groups: list[list[str]] = []
    pending_or = False
    for item in items:
        if item is None:
            if not groups or pending_or:
                notes.append("ignored an OR with nothing before it")
            pending_or = bool(groups)
            continue
        if pending_or:
            groups[-1].append(item)
        else:
            groups.append([item])
        pending_or = False
    if pending_or:
        notes.append("ignored an OR with nothing after it")
    return tuple(tuple(dict.fromkeys(g)) for g in groups)
