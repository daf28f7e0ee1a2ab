"""The extraction pipeline: text in, attributed statements out.

Stages, each a plain function over the same token list: segmentation → quotes → cues →
source/content spans → relays (`according to Yonhap, the NIS said`) → source descriptions and
pronouns → stance and hedges → time (said_on vs. event dates) → evidence. Nothing here touches
the store; `corroborate add` and `corroborate extract` both call `extract_statements`.

Linear in the text's length whatever its shape: sentences are bounded in length, every
question asked across statements (relays, coverage, turns, dates) goes through an offset index
(`intervals`, `bisect`), and a long document is extracted in pieces with the little state that
crosses them carried along (`iter_statements`).

Span conventions follow PolNeAR, the public attribution corpus we measure against: content
keeps a leading `that` and the quote marks of a direct quote, and drops the sentence's final
full stop; the cue keeps auxiliaries, negation and adverbs (`has also said`, `did not deny`).
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date

from corroborate.extract.attribution import resolve
from corroborate.extract.clauses import cut_at_main_clause
from corroborate.extract.cues import find_cues, may_cue
from corroborate.extract.evidence import TRIGGER_WORDS
from corroborate.extract.evolve import evolve
from corroborate.extract.finish import TimeIndex, finish, inherit_said_on
from corroborate.extract.intervals import Coverage, FirstContaining, first_holder
from corroborate.extract.lexicon import lexicon
from corroborate.extract.quotes import Quote, find_quotes, quote_index
from corroborate.extract.sentence_view import Attribution, _Sentence
from corroborate.extract.sources import PronounResolver, describe
from corroborate.extract.timex import find_time_expressions
from corroborate.extract.timex_normalise import Context
from corroborate.extract.transcript import (
    asked,
    forget_token_words,
    framing,
    own_words_dropped,
    speaks_for_self,
)
from corroborate.extract.turns import (
    PRODUCER,
    Turn,
    author_claims,
    covered,
    first_person_in_turns,
    label_statements,
    speaker_turns,
    turn_index,
)
from corroborate.model import Segment, SourceMention, Span, Statement
from corroborate.text.segment import (
    QUOTES,
    Sentence,
    Token,
    forget_last_gaps,
    indices_in,
    lower_texts,
    sentences,
    soft_line_breaks,
    tokenize,
)

_AUTHOR_KINDS = frozenset({"comment", "analysis", "statement"})


#: Documents are extracted in pieces of about this many characters, cut at a paragraph break
#: where there is one (see `pieces`). Token lists, quote and sentence indexes exist for one
#: piece at a time, so memory stays bounded however long the document; the state that
#: crosses pieces is small (the last speaker named, dates per source, the narrative date).
#: Real articles and transcripts are shorter than one piece, so they are extracted whole.
PIECE_CHARS = 200_000
_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*\s+")

Progress = Callable[[int, int], None]


def extract_statements(text: str, published: date | str | None = None, doc_id: str = "",
                       kind: str | None = None, segments: Sequence[Segment] = (),
                       on_progress: Progress | None = None) -> list[Statement]:
    """Every attributed statement in `text`, with offsets into `text` as given.

    `on_progress(characters_done, characters_total)` is called after each piece, so a long
    document shows progress while it is extracted.
    """
    return list(iter_statements(text, published, doc_id, kind, segments, on_progress))


def iter_statements(text: str, published: date | str | None = None, doc_id: str = "",
                    kind: str | None = None, segments: Sequence[Segment] = (),
                    on_progress: Progress | None = None,
                    piece_chars: int | None = None) -> Iterator[Statement]:
    """The statements of `text` in document order, yielded piece by piece (of
    `piece_chars`, default PIECE_CHARS)."""
    anchor = date.fromisoformat(published) if isinstance(published, str) else published
    turns = speaker_turns(text, kind, segments)
    turn_starts = [t.label_start for t in turns]
    holder = turn_index(turns)
    timeline = Context(text=text, anchor=anchor)
    pronouns = PronounResolver()
    said_on: dict[str, tuple[str, str | None]] = {}
    previous: Statement | None = None
    for lo, hi in pieces(text, piece_chars):
        with _collector_paused():
            # The turns that reach into this piece: those whose label starts before its end.
            near = turns[max(0, bisect_left(turn_starts, lo) - 1):bisect_left(turn_starts, hi)]
            statements, triggers, previous = _piece(text, lo, hi, doc_id, kind, near, previous)
            statements.sort(key=lambda st: (st.content.start, st.cue.start if st.cue else -1))
            statements = _describe_sources(statements, pronouns)
            statements = first_person_in_turns(statements, turns, holder)
            index = TimeIndex(find_time_expressions(text, anchor, lo, hi, timeline))
            done = inherit_said_on([finish(text, st, index, anchor, kind, triggers)
                                    for st in statements], said_on)
        yield from done
        if on_progress is not None:
            on_progress(hi, len(text))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause CPython's cycle collector while one piece is extracted.

    A piece allocates hundreds of thousands of short-lived, acyclic objects (tokens, spans,
    statements); they set off full collections, and each full collection walks every live
    object, including all the statements the caller has gathered from earlier pieces, so
    one 5 MB document ran 40% slower than the same text as many small documents. Nothing
    here builds reference cycles, and the collector is restored (and runs as usual) before
    any statement is handed out, so pausing it for one piece loses nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def pieces(text: str, size: int | None = None) -> Iterator[tuple[int, int]]:
    """Cut `text` into `[lo, hi)` pieces of at most `size` characters: after the last
    paragraph break of a piece's second half, else after its last sentence end, else after
    its last space, else (one endless word) at `size`. Each cut looks at half a piece once."""
    size = size or PIECE_CHARS
    lo, n = 0, len(text)
    while n - lo > size:
        mid, hi = lo + size // 2, lo + size
        cut = text.rfind("\n\n", mid, hi - 1)
        if cut != -1:
            cut += 2
        else:
            cut = text.rfind("\n", mid, hi)
            cut = cut + 1 if cut != -1 else -1
        if cut == -1:
            ends = [m.end() for m in _SENTENCE_END.finditer(text, mid, hi)]
            cut = ends[-1] if ends else text.rfind(" ", mid, hi) + 1 or hi
        yield lo, cut
        lo = cut
    if lo < n or n == 0:
        yield lo, n


def _piece(text: str, lo: int, hi: int, doc_id: str, kind: str | None, turns: list[Turn],
           previous: Statement | None) -> tuple[list[Statement], list[int], Statement | None]:
    """Attributions, relays, turn and author statements of `text[lo:hi]` (offsets into
    `text`); also the trigger offsets for evidence, and the last attribution made (a
    `..., adding` continuation at the top of the next piece takes its source)."""
    tokens = tokenize(text, lo, hi)
    soft = soft_line_breaks(text, lo, hi)
    sents = sentences(text, tokens, soft)
    quotes = find_quotes(text, tokens, soft)
    inside = quote_index(quotes, len(tokens))
    lex = lexicon()
    lows = lower_texts(tokens)
    found: list[tuple[Attribution, Sentence]] = []
    # In a transcript the speaker's own framing ("I believe you said X") is dropped before
    # nested cues give way to it (`_univocal`), so the report inside ("you said X") stays.
    in_turn = FirstContaining([(t.start, t.end) for t in turns]) \
        if kind == "transcript" and turns else None
    trigger_at = indices_in(lows, lex.triggers)
    for sentence in sents:
        if not may_cue(tokens, sentence.first, sentence.last, trigger_at):
            continue  # no cue to find: every step below would do nothing
        s = _Sentence(tokens, sentence, inside, lows)
        cues = find_cues(s, lex)
        for att in cues:
            if att.kind == "according_to":
                for x in range(*att.cue):
                    s.blocked[x] = True
        resolved = []
        for att in sorted(cues, key=lambda a: a.kind != "according_to"):
            resolve(s, att, quotes, lex)
            if att.content:
                resolved.append(att)
        if in_turn is not None:
            resolved = [att for att in resolved if not _framing(text, tokens, att, in_turn)]
        _split_coordinated(resolved, tokens)
        cut_at_main_clause(s, resolved)
        found.extend((att, sentence) for att in _univocal(resolved))
    _continue_quotes(text, tokens, found, quotes, inside)
    found.sort(key=lambda pair: pair[0].cue[0])
    statements = _to_statements(text, tokens, found, doc_id, previous)
    last = statements[-1] if statements else previous
    statements = _relays(statements)
    if kind == "transcript" and turns:
        statements = own_words_dropped(statements, [(t.label_start, t.start, t.end)
                                                    for t in turns], asked(tokens, sents))
    # In a transcript the coverage only decides whether a reporter's sentence relays someone
    # else, and the reporter's own "I said" does not.
    relayed = [st for st in statements if not speaks_for_self(st)] \
        if kind == "transcript" else statements
    statements += label_statements(text, tokens, sents, covered(relayed), doc_id, turns, kind)
    if kind in _AUTHOR_KINDS:
        statements += author_claims(text, tokens, sents, covered(statements), doc_id)
    triggers = [tokens[i].start for i in indices_in(lows, TRIGGER_WORDS)]
    # The piece's tokens die with this call, not in a cache, before the cycle collector
    # is back on (`_collector_paused`).
    forget_last_gaps()
    forget_token_words()
    return statements, triggers, last


def _framing(text: str, tokens: list[Token], att: Attribution, in_turn: FirstContaining
             ) -> bool:
    if att.source is None or att.kind == "according_to":
        return False
    if in_turn.find(tokens[att.cue[0]].start) is None:
        return False
    source = text[tokens[att.source[0]].start:tokens[att.source[1] - 1].end]
    cue = text[tokens[att.cue[0]].start:tokens[att.cue[1] - 1].end]
    return framing(source, cue)


def _continue_quotes(text: str, tokens: list[Token], found: list[tuple[Attribution, Sentence]],
                     quotes: list[Quote], inside: list[int]) -> None:
    """`“...,” Kirby said. “More words.”`: a quotation that opens right after a quoted
    attribution, in the same paragraph and with no cue of its own, continues that speaker.

    "No cue of its own" is asked of every cue in the document, so the cues are indexed by
    token offset once (a coverage index and sorted starts) rather than scanned per quote.
    """
    claimed = {n for att, _ in found for a, b in att.content for n in {inside[a], inside[b - 1]}}
    cues = Coverage([att.cue for att, _ in found])
    cue_starts = sorted(att.cue[0] for att, _ in found)
    for att, sentence in found:
        if not att.quoted:
            continue
        nxt = sentence.last
        if nxt >= len(tokens) or inside[nxt] == -1 or inside[nxt] in claimed:
            continue
        quote = quotes[inside[nxt]]
        if quote.open_index != nxt or "\n" in text[tokens[nxt - 1].end:tokens[nxt].start]:
            continue
        if cues.overlaps(quote.open_index, quote.open_index + 1):
            continue
        last = quote.last_index if quote.closed else quote.last_index + 1
        after = bisect_right(cue_starts, quote.open_index)
        if after < len(cue_starts) and cue_starts[after] < last + 3 and "\n" not in \
                text[tokens[last - 1].end:tokens[cue_starts[after]].start]:
            continue  # `“More words,” she added`: the quotation has a cue of its own
        att.content.append((quote.open_index + 1, last))
        claimed.add(inside[nxt])


_JOINERS = frozenset({",", "and", "but", "—", "–", "--", ";", "while", "whereas"})


_COORDINATORS = frozenset({"and", "but", ";", "while", "whereas"})


def _split_coordinated(attributions: list[Attribution], tokens: list[Token]) -> None:
    """`Fowler said X — and he noted that Y`: X ends where the second attribution's source
    begins, so the second is not swallowed as part of the first one's content.

    The split point is the start of the run of joiners before the second source, and the run
    must hold a coordinator (`and`, `but`, `;`...). Each run is read once per attribution,
    and the attributions that can split a content are found by bisection on cue offsets, so
    a sentence of many cues is not squared.
    """
    inners = []
    for n, att in enumerate(attributions):
        if att.source is None or att.kind == "according_to":
            continue
        run, coordinator = att.source[0], -1
        while run > 0 and tokens[run - 1].text.lower() in _JOINERS:
            run -= 1
            if coordinator == -1 and tokens[run].text.lower() in _COORDINATORS:
                coordinator = run
        # A bare `and` ends a list as often as it joins clauses (`images, a video and forged
        # ID cards showed ...`): after a comma-separated list it does not split.
        bare_and = run == coordinator and tokens[run].text.lower() == "and" \
            and run + 1 == att.source[0]
        if coordinator != -1:
            inners.append((att.cue[0], n, run, coordinator, bare_and))
    inners.sort()
    cue_starts = [c for c, _, _, _, _ in inners]
    for outer in attributions:
        if not outer.content or outer.kind == "according_to":
            continue
        a, b = outer.content[-1]
        candidates = sorted(inners[bisect_left(cue_starts, a):bisect_left(cue_starts, b)],
                            key=lambda inner: inner[1])
        for cue_start, n, run, coordinator, bare in candidates:
            inner = attributions[n]
            assert inner.source is not None
            if inner is outer or not (a < inner.source[0] < b and cue_start < b
                                      and inner.source[0] > a + 2):
                continue
            if bare and any(tokens[x].text == "," for x in range(a, run)):
                continue  # a list `A, B and C` is one noun phrase
            end = max(run, a)  # the joiners before the source, never reaching before a
            if end - a >= 2 and coordinator >= end:
                outer.content[-1] = (a, end)
                b = end


def _sourceless(att: Attribution) -> bool:
    """No source, and none to come: a `..., adding` continuation takes the previous one's."""
    return att.source is None and att.kind != "continuation"


def _univocal(attributions: list[Attribution]) -> list[Attribution]:
    """Each token plays one role in one attribution (PolNeAR's rule): a cue that lies inside
    another attribution's content is that content's wording, not a second attribution.
    `According to` relays are kept both ways and merged later."""
    def inside(inner: Attribution, outer: Attribution) -> bool:
        return any(a <= inner.cue[0] and inner.cue[1] <= b for a, b in outer.content)

    kept = []
    for att in attributions:
        # Two cues each inside the other's content (`X did not complain when Y, an official
        # said`): the trailing attribution is the sentence's frame, the other its wording.
        nested = any(other is not att and other.kind != "according_to" and inside(att, other)
                     and not (_sourceless(other) and att.source is not None)
                     and not (att.trailing and not other.trailing and inside(other, att))
                     for other in attributions)
        # A sourceless passive (`are expected to`) gives way to a sourced cue inside it.
        swallowing = _sourceless(att) and any(
            other is not att and other.source is not None and inside(other, att)
            for other in attributions)
        if not nested and not swallowing:
            kept.append(att)
    return kept


def _span(text: str, tokens: list[Token], rng: tuple[int, int], doc_id: str) -> Span:
    start, end = tokens[rng[0]].start, tokens[rng[1] - 1].end
    return Span(doc_id, start, end, text[start:end])


def _widen_content(text: str, tokens: list[Token], rng: tuple[int, int]) -> tuple[int, int]:
    """PolNeAR spans: include a leading `that` and the quote marks around a direct quote,
    never reaching across a line break."""
    a, b = rng
    if a > 0 and "\n" in text[tokens[a - 1].end:tokens[a].start]:
        return _widen_right(text, tokens, a, b)
    if a > 0 and tokens[a - 1].text in QUOTES and b < len(tokens) and tokens[b].text in QUOTES:
        a, b = a - 1, b + 1
        # `said that “...”`: PolNeAR keeps the complementizer with the quote.
        if a > 0 and tokens[a - 1].text.lower() == "that" and \
                "\n" not in text[tokens[a - 1].end:tokens[a].start]:
            a -= 1
        elif a > 1 and tokens[a - 1].text == "," and tokens[a - 2].text.lower() == "that":
            a -= 2
        return a, b
    if a > 0 and tokens[a - 1].text.lower() == "that":
        return a - 1, b
    if a > 0 and tokens[a - 1].text in QUOTES:
        a -= 1
        if a > 0 and tokens[a - 1].text.lower() == "that" and \
                "\n" not in text[tokens[a - 1].end:tokens[a].start]:
            a -= 1  # `said that “we will win.”`: as above, the complementizer stays
    return _widen_right(text, tokens, a, b)


def _widen_right(text: str, tokens: list[Token], a: int, b: int) -> tuple[int, int]:
    if b < len(tokens) and tokens[b].text in QUOTES and tokens[b].start == tokens[b - 1].end:
        b += 1
    elif b + 1 < len(tokens) and tokens[b].text in ".,!?" and tokens[b + 1].text in QUOTES \
            and tokens[b + 1].start == tokens[b].end:
        b += 2
    return a, b


def _to_statements(text: str, tokens: list[Token], found: list[tuple[Attribution, Sentence]],
                   doc_id: str, previous: Statement | None) -> list[Statement]:
    result = []
    for att, _sentence in found:
        parts = [_span(text, tokens, _widen_content(text, tokens, rng), doc_id)
                 for rng in att.content]
        content = Span(doc_id, parts[0].start, parts[-1].end,
                       text[parts[0].start:parts[-1].end])
        source = None
        if att.kind == "continuation" and (result or previous):
            source = (result[-1] if result else previous).source  # type: ignore[union-attr]
        if att.source:
            span = _span(text, tokens, att.source, doc_id)
            end = span.end - 2 if span.text.endswith(("'s", "’s")) else span.end
            antecedent = _span(text, tokens, att.antecedent, doc_id).text \
                if att.antecedent else None
            source = SourceMention(span.start, end, text[span.start:end], antecedent=antecedent)
        kind = {"according_to": "according_to"}.get(att.kind) or \
            ("direct" if att.quoted else "indirect")
        result.append(Statement(
            doc_id=doc_id, kind=kind, content=content, stance="affirm",
            content_parts=tuple(parts) if len(parts) > 1 else (), source=source,
            cue=_span(text, tokens, att.cue, doc_id), cue_class=att.cls, producer=PRODUCER))
    return result


def _relays(statements: list[Statement]) -> list[Statement]:
    """`According to Yonhap, the NIS said X`: one statement by the NIS, relayed via Yonhap.

    An `according to` statement gives way when another statement's cue starts inside its
    content and that statement's content ends within it; the kept statements whose cue lies
    inside a dropped relay's content are relayed via its source (the first such relay).
    Both questions are answered by sweeps over offsets, not by comparing every pair.
    """
    dropped = _swallowed_relays(statements)
    keep = [st for n, st in enumerate(statements) if n not in dropped]
    relays = sorted(dropped)
    holders = [(statements[n].content.start, statements[n].content.end) for n in relays]
    points = [st.cue.start if st.cue else -1 for st in keep]
    relayed = []
    for st, holder in zip(keep, first_holder(holders, points), strict=True):
        via = statements[relays[holder]].source if holder is not None else None
        relayed.append(evolve(st, via=via) if via else st)
    return relayed


def _swallowed_relays(statements: list[Statement]) -> set[int]:
    """Indices of the `according to` statements that hold another statement: one whose cue
    starts at or after the relay's content start and whose content ends within it.

    Sweep the relays by content start, from the right, while adding statements by cue start:
    the added ones are those with a cue at or after the relay's start, and among them it is
    enough to know the two smallest content ends (the smallest may be the relay itself).
    """
    with_cue = sorted((st.cue.start, n) for n, st in enumerate(statements) if st.cue)
    relays = sorted(((st.content.start, n) for n, st in enumerate(statements)
                     if st.kind == "according_to"), reverse=True)
    best: list[tuple[int, int]] = []  # the two smallest (content end, index) added so far
    dropped: set[int] = set()
    k = len(with_cue)
    for content_start, n in relays:
        while k > 0 and with_cue[k - 1][0] >= content_start:
            k -= 1
            m = with_cue[k][1]
            best = sorted([*best, (statements[m].content.end, m)])[:2]
        other = next((end for end, m in best if m != n), None)
        if other is not None and other <= statements[n].content.end:
            dropped.add(n)
    return dropped


def _described(mention: SourceMention) -> SourceMention:
    """Describe a mention; a relative pronoun (`which`, `who`) takes its antecedent's
    description but keeps its own span."""
    if mention.antecedent:
        base = describe(mention.antecedent, mention.start)
        return evolve(base, start=mention.start, end=mention.end, text=mention.text,
                       antecedent=mention.antecedent, name=base.name or
                       base.text if base.type != "unnamed" else base.name)
    return describe(mention.text, mention.start)


def _describe_sources(statements: list[Statement],
                      pronouns: PronounResolver) -> list[Statement]:
    mentions = pronouns.resolve([_described(st.source) if st.source else None
                                 for st in statements])
    out = []
    for st, mention in zip(statements, mentions, strict=True):
        via = describe(st.via.text, st.via.start) if st.via else None
        out.append(evolve(st, source=mention, via=via))
    return out


