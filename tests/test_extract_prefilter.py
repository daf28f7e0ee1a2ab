"""The shortcuts the extractor takes for speed never change what it finds.

`may_cue` lets the pipeline skip sentences before building a sentence view; it must say yes
to every sentence in which `find_cues` finds a cue. The event-driven sentence splitter and
the per-line-break paragraph numbers must match the token-by-token definitions they replace.
"""

from __future__ import annotations

import itertools
import random

from corroborate.extract.cues import find_cues, may_cue
from corroborate.extract.lexicon import lexicon
from corroborate.extract.quotes import _paragraph_of, find_quotes, quote_index
from corroborate.extract.sentence_view import _Sentence
from corroborate.text.segment import (
    indices_in,
    lower_texts,
    sentences,
    soft_line_breaks,
    tokenize,
)
from synthetic_text import PATHOLOGICAL, adversarial, mutated, news, transcript


def _texts() -> list[str]:
    rng = random.Random(7)
    base = [news(60_000), transcript(60_000), adversarial(60_000)]
    return base + [piece * 40 for piece in PATHOLOGICAL.values()] + \
        [mutated(text[:4000], rng, 150) for text in base for _ in range(5)]


def test_the_cue_prefilter_keeps_every_sentence_with_a_cue() -> None:
    lex = lexicon()
    with_cues = 0
    for text in _texts():
        tokens = tokenize(text)
        soft = soft_line_breaks(text)
        inside = quote_index(find_quotes(text, tokens, soft), len(tokens))
        lows = lower_texts(tokens)
        trigger_at = indices_in(lows, lex.triggers)
        for sentence in sentences(text, tokens, soft):
            if find_cues(_Sentence(tokens, sentence, inside, lows), lex):
                with_cues += 1
                assert may_cue(tokens, sentence.first, sentence.last, trigger_at), \
                    text[sentence.start:sentence.end]
    assert with_cues > 1000


def _newline_between(text: str, a: int, b: int, soft: frozenset[int]) -> bool:
    return any(text[k] == "\n" and k not in soft for k in range(a, b))


def _reference_sentence_breaks(text: str, tokens: list, soft: frozenset[int]) -> list[int]:
    """Where a line break alone ends a sentence, token by token (the old definition)."""
    return [j for j in range(1, len(tokens))
            if _newline_between(text, tokens[j - 1].end, tokens[j].start, soft)]


def test_sentences_break_at_every_hard_line_break_and_number_paragraphs_in_order() -> None:
    for text in [*_texts()[:12], "", "a", "\n", "One.\n\nTwo\nthree. Four", "x \n \n y."]:
        tokens = tokenize(text)
        for soft in (soft_line_breaks(text), frozenset(),
                     frozenset(k for k, c in enumerate(text) if c == "\n" and k % 2)):
            sents = sentences(text, tokens, soft)
            starts = {s.first for s in sents}
            assert all(j in starts for j in _reference_sentence_breaks(text, tokens, soft))
            assert [s.first for s in sents] == sorted(starts)
            assert all(a.last == b.first for a, b in itertools.pairwise(sents))
            if tokens:
                assert sents[0].first == 0 and sents[-1].last == len(tokens)


def test_paragraph_numbers_match_the_gap_by_gap_definition() -> None:
    for text in _texts()[:12]:
        tokens = tokenize(text)
        soft = soft_line_breaks(text)
        expected, paragraph = [], 0
        for k, token in enumerate(tokens):
            gap = text[tokens[k - 1].end:token.start] if k else ""
            if "\n" in gap and (not soft or gap.count("\n") > 1
                                or tokens[k - 1].end + gap.index("\n") not in soft):
                paragraph += 1
            expected.append(paragraph)
        assert _paragraph_of(text, tokens, soft) == expected


def test_tokens_tile_the_text_with_only_white_space_between() -> None:
    for text in [*_texts()[:12], "Mr.\xa0Smith\u2028said \u3000 “no.”", "  ", ""]:
        tokens = tokenize(text)
        previous = 0
        for token in tokens:
            assert text[token.start:token.end] == token.text
            assert text[previous:token.start].strip() == ""
            previous = token.end
        assert text[previous:].strip() == ""
