"""The shortcuts the extractor takes for speed never change what it finds.

`may_cue` lets the pipeline skip sentences before building a sentence view; it must say yes
to every sentence in which `find_cues` finds a cue. The event-driven sentence splitter and
the per-line-break paragraph numbers must match the token-by-token definitions they replace.
"""

from __future__ import annotations

import itertools
import random
import re
import time

from corroborate.extract.cues import find_cues, may_cue
from corroborate.extract.lexicon import lexicon, phrases_in
from corroborate.extract.quotes import _paragraph_of, find_quotes, quote_index
from corroborate.extract.sentence_view import _Sentence
from corroborate.text import segment
from corroborate.text.segment import (
    Token,
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


def _reference_tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokenizer's definition, one match at a time, with the abbreviations tried one by
    one (without `_TOKEN`'s look-ahead guard in front of them)."""
    pattern = re.compile(segment._TOKEN.pattern.replace(r"(?=[A-Za-z]{1,6}\.)(?:", "(?:"),
                         re.VERBOSE)
    assert pattern.pattern != segment._TOKEN.pattern
    end = len(text) if end is None else end
    return [Token(m.start(), m.end(), m.group()) for m in pattern.finditer(text, start, end)]


def test_tokenize_gives_the_matches_of_the_token_pattern_over_any_range() -> None:
    rng = random.Random(11)
    alphabet = " \n\t\xa0\u2028\u3000.,'\"“”-—…_1aMr.U.S.e.g.Gen."
    fuzz = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
            for _ in range(2000)]
    for text in [*_texts(), *fuzz, "Mr. ", "Mr.", "  Gen.  ", "x" + " " * 5000, " " * 10]:
        assert tokenize(text) == _reference_tokens(text)
        if len(text) > 2:
            a, b = sorted(rng.sample(range(len(text) + 1), 2))
            # A range that ends inside white space or right after an abbreviation keeps
            # the look-aheads' view of the range's end.
            assert tokenize(text, a, b) == _reference_tokens(text, a, b)
            assert tokenize(text, a) == _reference_tokens(text, a)


def test_tokenize_is_linear_in_a_long_run_of_white_space() -> None:
    text = "word" + " " * 2_000_000
    begin = time.process_time()
    assert [t.text for t in tokenize(text)] == ["word"]
    assert tokenize(text, 4, 1_000_000) == []
    assert time.process_time() - begin < 1.0  # quadratic re-scanning takes minutes


def test_phrases_in_is_the_plain_substring_filter() -> None:
    rng = random.Random(5)
    vocabulary = ["not", "aware", "seen", "have", "can't", "comment", "no", "i", "a", "an"]
    phrases = ("not aware", "have not seen", "not seen", "no", "can't comment", "a", "an a",
               "not", "seen not", "not aware")
    for _ in range(3000):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(0, 12))]
        padded = " " + " ".join(words) + " "
        chosen = tuple(rng.sample(phrases, rng.randint(0, len(phrases))))
        assert phrases_in(chosen, words, padded) == \
            [p for p in chosen if f" {p} " in padded]
