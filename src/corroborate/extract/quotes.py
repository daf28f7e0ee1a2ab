"""Quotations: paired quote marks, including quotes that run on into the next paragraph.

News style opens each paragraph of a long quotation with a quote mark and closes only the
last one; such a run is one quotation by one speaker. Straight double quotes carry no direction,
so they are paired in order within a paragraph, with the same run-on rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

from corroborate.text.segment import Token, indices_in, newline_gaps

_OPEN = ("“", "„", "‟", "«", "``")
_CLOSE = ("”", "»")
_STRAIGHT = ('"', "''")
_MARKS = frozenset(_OPEN + _CLOSE + _STRAIGHT)


@dataclass(frozen=True)
class Quote:
    """A quotation from token `open_index` (its opening mark) to `last_index` (its closing
    mark, or its last word when the quote is never closed); `start:end` is the quoted text."""

    open_index: int
    last_index: int
    closed: bool
    start: int
    end: int


def _paragraph_of(text: str, tokens: list[Token], soft: frozenset[int]) -> list[int]:
    """Each token's paragraph number: one more after every gap that holds a newline, unless
    that newline is the gap's only one and a soft wrap. Counted per line break found
    (`newline_gaps`), then summed along the tokens, not tested token by token."""
    steps = [0] * len(tokens)
    for k, (at, count) in newline_gaps(text, tokens).items():
        if not soft or count > 1 or at not in soft:
            steps[k] = 1
    return list(accumulate(steps))


def find_quotes(text: str, tokens: list[Token],
                soft: frozenset[int] = frozenset()) -> list[Quote]:
    """Quotations, never crossing a paragraph; `soft` line wraps do not end one."""
    paragraph = _paragraph_of(text, tokens, soft)
    quotes: list[Quote] = []
    open_at: int | None = None
    current = -1  # the paragraph the open quote has reached (it may run on across several)
    # Only quote marks do anything below: visit those alone (speed only).
    for i in indices_in([t.text for t in tokens], _MARKS):
        token = tokens[i]
        mark = token.text
        if open_at is not None and current != paragraph[i]:
            # A new paragraph: the open quote either runs on (this mark re-opens it) or was
            # left unclosed (a quote cut off by a degraded source): end it at its paragraph.
            # Only the very next paragraph can continue it: a paragraph without any quote
            # mark in between means the quotation was left unclosed (a typo), not run on.
            runs_on = (mark in _OPEN or mark in _STRAIGHT) and _starts_paragraph(paragraph, i) \
                and paragraph[i] == current + 1
            if not runs_on:
                last = max(j for j in range(open_at, i) if paragraph[j] == current)
                quotes.append(Quote(open_at, last, False, tokens[open_at].end, tokens[last].end))
                open_at = None
            else:
                current = paragraph[i]
                continue
        if open_at is None:
            if mark in _CLOSE:
                continue
            open_at = i
            current = paragraph[i]
        elif mark in _CLOSE or (mark in _OPEN and _closing_position(text, token)) or (
                mark in _STRAIGHT and (tokens[open_at].text in _STRAIGHT
                                       or _closing_position(text, token))):
            # A curly quote closed by a straight or an opening mark (`“... don’t."`,
            # `“Apparently not,“ he said`) is a common typo; the mark closes when it hugs
            # the word before it and not the word after.
            quotes.append(Quote(open_at, i, True, tokens[open_at].end, token.start))
            open_at = None
        # A second opening curly quote inside an open quote is a typo; keep the first.
    if open_at is not None:
        last = max(j for j in range(open_at, len(tokens)) if paragraph[j] == current)
        quotes.append(Quote(open_at, last, False, tokens[open_at].end, tokens[last].end))
    return [q for q in quotes if q.end > q.start]


def _closing_position(text: str, token: Token) -> bool:
    before = text[token.start - 1] if token.start > 0 else " "
    after = text[token.end] if token.end < len(text) else " "
    return not before.isspace() and not after.isalnum()


def _starts_paragraph(paragraph: list[int], index: int) -> bool:
    return index == 0 or paragraph[index - 1] != paragraph[index]


def quote_index(quotes: list[Quote], n_tokens: int) -> list[int]:
    """For each token, the number of the quote it lies inside (marks included), or -1."""
    inside = [-1] * n_tokens
    for number, quote in enumerate(quotes):
        for j in range(quote.open_index, quote.last_index + 1):
            inside[j] = number
    return inside
