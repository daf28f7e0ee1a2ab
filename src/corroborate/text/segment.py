"""Tokens and sentences as offsets into the text, fast enough for megabytes a second.

A regex tokenizer rather than a statistical one: attribution rules need reliable offsets and
abbreviation-aware sentence ends far more than they need linguistic subtlety, and a single
compiled pattern runs at several MB/s in CPython. Every token keeps `start`/`end` into the
original text, so spans built from tokens are exact characters of the archived source.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate, chain, compress, repeat
from operator import itemgetter
from typing import NamedTuple

# Abbreviations whose period does not end a sentence (case-sensitive, with the period).
ABBREVIATIONS = frozenset(
    "Mr. Mrs. Ms. Dr. Prof. Gen. Lt. Col. Maj. Capt. Cmdr. Adm. Sgt. Cpl. Pvt. Gov. Sen. Rep. "
    "Rev. Sr. Jr. St. Mt. Ft. Pres. Amb. Supt. Insp. Gov't No. Nos. vs. etc. approx. est. "
    "Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec. Mon. Tue. Tues. Wed. Thu. "
    "Thur. Thurs. Fri. Sat. Sun. Corp. Inc. Co. Ltd. Bros. Dept. Univ. Ave. Blvd. Rd. "
    "a.m. p.m. U.S. U.N. U.K. E.U. D.C. N.Y. L.A. S. N. E. W. i.e. e.g. cf. al.".split()
)
# After these abbreviations a capitalised sentence starter does begin a new sentence.
_SENTENCE_FINAL_ABBREVIATIONS = frozenset("U.S. U.N. U.K. E.U. D.C. a.m. p.m. etc. Inc. "
                                          "Corp. Co. Ltd.".split())
_STARTERS = frozenset("The A An He She It They We I But And In On At This That These Those "
                      "There His Her Their Its Our Mr. Mrs. Ms. Dr. According".split())

_ABBREVIATION = "|".join(re.escape(a) for a in sorted(
    (a for a in ABBREVIATIONS if a.count(".") == 1), key=len, reverse=True))
# The look-ahead in front of the first three branches is implied by each of them (all open
# with one to six letters and a period: the abbreviations are such words), and saves trying
# them, the abbreviations one by one, at every other word: speed only. Without it the
# branches are tried in the same order, so the tokens are the same.
_TOKEN = re.compile(
    r"""
    (?=[A-Za-z]{1,6}\.)(?:
    (?:[A-Za-z]\.){2,}                  # U.S. / a.m. / N.Y.
  | (?<![\w.])(?:""" + _ABBREVIATION + r""")(?=\s)   # Mr. / Gen. / Oct.
  | [A-Z]\.(?=\s+[A-Z])                 # an initial: John F. Kennedy
    )
  | \d+(?:[.,:]\d+)*(?:st|nd|rd|th|s)?  # 1,500 / 10.5 / 12:30 / 18th / 1990s
  | \w+(?:[’'\-]\w+)*                   # words, don't, North-Korean
  | ''|``                               # typewriter double quotes ('' and ``)
  | [“”‘’"'«»„‟]                        # quote marks, each one token
  | \.{3}|…                             # ellipsis
  | --|[—–]                             # dashes
  | \S                                  # any other single character
    """,
    re.VERBOSE,
)
_SPACE_NEWLINE = re.compile(r"\n")
OPEN_QUOTES = frozenset("“‘«„‟")
CLOSE_QUOTES = frozenset("”’»")
QUOTES = OPEN_QUOTES | CLOSE_QUOTES | {'"', "'", "''", "``"}
_FINAL = frozenset(".!?…")
# The tokens that may end a sentence before a line break does (`sentences`).
_ENDERS = _FINAL | {a for a in ABBREVIATIONS if a.endswith(".")}
_TEXT = itemgetter(2)
_GAP_TOKEN = itemgetter(1)
_START = itemgetter(0)


class Token(NamedTuple):
    """A named tuple rather than a dataclass: tokens are made by the hundred thousand."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """Tokens `first:last` (exclusive) of the document's token list, and their char span."""

    start: int
    end: int
    first: int
    last: int
    paragraph: int


# `_TOKEN` with the white space before each token captured too: `findall` then gives every
# token's text and its gap as strings, at C speed, and the offsets are running sums of their
# lengths. The white space is possessive (`*+`), so a run of it is never re-scanned.
_SPACED_TOKEN = re.compile(r"(\s*+)(" + _TOKEN.pattern + r"|\Z)", re.VERBOSE)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    r"""Tokens of `text[start:end]`, offsets into `text`: exactly `_TOKEN.finditer`'s matches.

    Built without a Python step per token (speed only): `findall` returns (gap, token)
    pairs, the offsets are the running sum of their lengths, and the tuples are made by
    `map`. Every character that `_TOKEN` skips is white space (its last branch takes any
    other), so the gaps hold exactly the skipped characters; a gap is followed by a token
    or by the end of the range (`\Z`; the empty tokens it gives at the end are dropped),
    so no match fails after a long run of white space (which would make the scan
    quadratic). Token texts are shared through a small vocabulary (news repeats its
    words), which roughly halves the memory a token list takes.
    """
    end = len(text) if end is None else end
    pairs = _SPACED_TOKEN.findall(text, start, end)
    while pairs and not pairs[-1][1]:
        pairs.pop()  # the end of the range (`\Z`), after the white space that ends it
    offsets = list(accumulate(map(len, chain.from_iterable(pairs)), initial=start))
    vocabulary: dict[str, str] = {}
    texts = list(map(_GAP_TOKEN, pairs))
    texts = list(map(vocabulary.setdefault, texts, texts))
    return list(map(tuple.__new__, repeat(Token), zip(offsets[1::2], offsets[2::2], texts,
                                                      strict=True)))


def lower_texts(tokens: list[Token]) -> list[str]:
    """The lower-cased token texts, shared the same way: each distinct text is lowered once
    and the list is filled by C-level `map` (a loop per token was a few per cent of
    extraction)."""
    texts = list(map(_TEXT, tokens))
    lowered = {w: w.lower() for w in set(texts)}
    return list(map(lowered.__getitem__, texts))


def indices_in(words: list[str], wanted: frozenset[str] | set[str]) -> list[int]:
    """Offsets of the entries of `words` that are in `wanted`, in order; the membership test
    runs once per distinct word and the selection in C (speed only)."""
    hits = wanted.intersection(words)
    return list(compress(range(len(words)), map(hits.__contains__, words)))


def newline_gaps(text: str, tokens: list[Token]) -> dict[int, tuple[int, int]]:
    """For each token `k` with a line break in the gap before it (after token `k - 1`):
    the offset of the gap's first newline and how many newlines the gap holds.

    Tokens hold no white space and the gaps between them hold nothing else, so every
    newline of the span the tokens cover lies in exactly one gap; the newlines are found by
    `str.find` and placed by bisection, so the cost goes with the lines, not the tokens.
    """
    last = _LAST_GAPS.get("key")
    if last is not None and last[0] is text and last[1] is tokens and last[2] == len(tokens):
        return last[3]
    gaps: dict[int, tuple[int, int]] = {}
    if len(tokens) < 2:
        return gaps
    starts = list(map(_START, tokens))
    lo, hi = tokens[0].end, tokens[-1].start
    at = text.find("\n", lo, hi)
    while at != -1:
        k = bisect_right(starts, at)
        first, count = gaps.get(k, (at, 0))
        gaps[k] = (first, count + 1)
        at = text.find("\n", at + 1, hi)
    _LAST_GAPS["key"] = (text, tokens, len(tokens), gaps)
    return gaps


#: The last answer of `newline_gaps`: the sentence splitter and the quote finder both ask it
#: of the same piece's token list in turn (speed only). It holds the list itself, so the
#: identity test cannot be fooled by a new list at a freed one's address; token lists are
#: never changed once made, and callers only read the dictionary.
_LAST_GAPS: dict[str, tuple[str, list[Token], int, dict[int, tuple[int, int]]]] = {}


def forget_last_gaps() -> None:
    """Let go of the token list (and text) `newline_gaps` keeps, once its piece is done.

    Kept, the piece's tokens outlive it: the cycle collector's first pass after the piece
    then walks every one of them (tokens are tuples it tracks), which was a tenth of
    extraction time on briefings. Speed and memory only: the cache is an optimisation."""
    _LAST_GAPS.clear()


def _newline_between(text: str, a: int, b: int, soft: frozenset[int] = frozenset()) -> bool:
    """A line break between offsets a and b that is not merely a wrap inside a paragraph."""
    at = text.find("\n", a, b)
    while at != -1:
        if at not in soft:
            return True
        at = text.find("\n", at + 1, b)
    return False


#: Hard-wrapped text (transcripts and e-mail archived at a fixed width, ~72 columns) breaks
#: its lines inside sentences; a wrap is only recognised where no line runs longer than this.
_WRAP_MAX = 120
_LINE_START_BREAK = re.compile(r"[ \t]*(?:[-*#>•|]|\d+[.)][ \t]|Q[^\S\n]{2}|Q\xa0|"
                               r"[A-Z][A-Z.'\- ]{1,40}:)")


def soft_line_breaks(text: str, start: int = 0, end: int | None = None) -> frozenset[int]:
    """Offsets of the newlines in `text[start:end]` that only wrap a line inside a paragraph.

    Text is taken as hard-wrapped when no line is longer than _WRAP_MAX characters and at
    least three lines reach near the longest one and run on into a further non-blank line.
    A newline is then a wrap when its line reaches within 30 characters of that width and
    the next line is not blank and does not open a turn or list item (`MR. KIRBY:`, `Q`,
    `- `). News with one paragraph per line, captions and headlines keep every break.
    """
    end = len(text) if end is None else end
    lines: list[tuple[int, int]] = []  # (newline offset, stripped length of its line)
    at = start
    while True:
        nl = text.find("\n", at, end)
        if nl == -1:
            break
        lines.append((nl, len(text[at:nl].rstrip())))
        at = nl + 1
    if not lines:
        return frozenset()
    width = max(n for _, n in lines)
    if width > _WRAP_MAX or width < 40:
        return frozenset()
    soft = []
    for nl, n in lines:
        if n < width - 30:
            continue
        nxt_end = text.find("\n", nl + 1, end)
        nxt = text[nl + 1:nxt_end if nxt_end != -1 else end]
        if nxt.strip() and not _LINE_START_BREAK.match(nxt):
            soft.append(nl)
    return frozenset(soft) if len(soft) >= 3 else frozenset()


#: No sentence runs longer than this many tokens. Every later stage scans within a sentence
#: (subjects, contents, cue neighbourhoods), so an unbounded sentence (text without full
#: stops, a transcript without punctuation) makes the work quadratic and the memory grow with
#: it. The longest sentence in our corpora (Kursk, PolNeAR, White House briefings) has 220
#: tokens, so real prose never meets the bound.
MAX_SENTENCE_TOKENS = 250
# Where a sentence that hits the bound is cut by preference, when one lies in its second half.
_SOFT_BREAKS = frozenset({";", ":", ",", "—", "–", "--"})


# Straight quote marks, the doubled apostrophe (`''`, some wires' double quote) included.
_STRAIGHT_MARKS = frozenset({'"', "'", "''"})
_CLOSERS = _STRAIGHT_MARKS | {")", "]"}
_OPENERS = _STRAIGHT_MARKS | {"(", "["}


def _opening_straight_quote(text: str, tokens: list[Token], j: int) -> bool:
    """A straight quote with space before it and a word glued after it opens a quotation
    (`He said no. "We will ...`), so it does not close the sentence before it."""
    token = tokens[j]
    return token.text in _STRAIGHT_MARKS and token.start > tokens[j - 1].end \
        and j + 1 < len(tokens) and tokens[j + 1].start == token.end \
        and not text[token.start - 1:token.start].isalnum()


def sentences(text: str, tokens: list[Token],
              soft: frozenset[int] = frozenset()) -> list[Sentence]:
    """Split into sentences: at . ! ? (plus closing quotes), at newlines, not after abbreviations,
    and before an opening quote; no sentence is longer than MAX_SENTENCE_TOKENS.

    Newlines end a sentence: in news files and transcripts a line is at least a paragraph,
    and a missing full stop (headlines, captions) must not glue lines together. The
    exception is `soft`, the wraps of hard-wrapped text (`soft_line_breaks`).
    """
    result: list[Sentence] = []
    paragraph = 0
    first = 0
    n = len(tokens)
    # Only two kinds of token can end a sentence: a final mark or abbreviation, and the last
    # token before a line break; the loop visits those (`events`, in order) and jumps over
    # the rest, which would only step on to the next token (speed only).
    gaps = newline_gaps(text, tokens)

    def hard(k: int) -> bool:  # `_newline_between` for the gap before token k
        at, count = gaps[k]
        return at not in soft if count == 1 else \
            _newline_between(text, tokens[k - 1].end, tokens[k].start, soft)

    breaks = [k - 1 for k in gaps if hard(k)]
    events = sorted(set(indices_in(list(map(_TEXT, tokens)), _ENDERS)).union(breaks))
    e = 0
    i = 0
    while i < n:
        while e < len(events) and events[e] < i:
            e += 1
        if e == len(events):
            break
        i = events[e]
        token = tokens[i]
        end_here = False
        j = i + 1
        if token.text in _FINAL or (token.text in ABBREVIATIONS and token.text.endswith(".")):
            # Swallow closing quotes and brackets that belong to this sentence.
            while j < n and (tokens[j].text in CLOSE_QUOTES or tokens[j].text in _CLOSERS) \
                    and j not in gaps and not _opening_straight_quote(text, tokens, j):
                j += 1
            if j >= n:
                end_here = True
            else:
                nxt = tokens[j]
                gap_ok = nxt.start > tokens[j - 1].end
                starts_upper = nxt.text[:1].isupper() or nxt.text[:1].isdigit() or \
                    nxt.text in OPEN_QUOTES or nxt.text in _OPENERS
                if token.text in _FINAL:
                    end_here = gap_ok and starts_upper
                elif token.text in _SENTENCE_FINAL_ABBREVIATIONS:
                    end_here = gap_ok and nxt.text in _STARTERS
        broken = j < n and j in gaps and hard(j)
        if end_here or j >= n or broken:
            _bounded(result, tokens, first, j, paragraph)
            if broken:
                paragraph += 1
            first = j
        i = j
    if first < n:
        _bounded(result, tokens, first, n, paragraph)
    return result


def _bounded(result: list[Sentence], tokens: list[Token], first: int, last: int,
             paragraph: int) -> None:
    """Append tokens `first:last` as one sentence, or as several of at most
    MAX_SENTENCE_TOKENS, each cut after the last soft break (`;`, `,`, a dash) of its second
    half, or hard at the bound when there is none. Linear: each cut looks back over at most
    half a bound."""
    while last - first > MAX_SENTENCE_TOKENS:
        cut = first + MAX_SENTENCE_TOKENS
        for k in range(cut - 1, first + MAX_SENTENCE_TOKENS // 2, -1):
            if tokens[k].text in _SOFT_BREAKS:
                cut = k + 1
                break
        result.append(Sentence(tokens[first].start, tokens[cut - 1].end, first, cut, paragraph))
        first = cut
    result.append(Sentence(tokens[first].start, tokens[last - 1].end, first, last, paragraph))
