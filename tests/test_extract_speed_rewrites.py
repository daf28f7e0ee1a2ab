"""Patterns and shortcuts rewritten for speed (branch extract-speed3) give what the plain
forms they replace give, on random, pathological and generated text.

Each rewrite is compared with the plain form, kept here as the reference: a regex that now
opens with a character class, a possessive run, label patterns tried at line starts only,
words lowered in one call, and the piece caches that must not outlive their piece.
"""

from __future__ import annotations

import random
import re

from corroborate.extract import finish, timex, transcript, turns
from corroborate.extract.statements import extract_statements
from corroborate.text import segment
from synthetic_text import PATHOLOGICAL, adversarial, mutated, news
from synthetic_text import transcript as transcript_text

_OLD_NUMBER = re.compile(r"(?:fy)?\d\w*")
_OLD_PREV_WORD = re.compile(r"([A-Za-z][\w'’-]*)\W{0,3}$")
_OLD_CLAUSE_END = re.compile(r"[.!?;](?=\s)|,\s+(?:but|and|although|though)\s|\s+but\s")


def _random_texts(alphabet: str, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
            for _ in range(count)]


def _texts() -> list[str]:
    rng = random.Random(11)
    base = [news(30_000), transcript_text(30_000), adversarial(30_000)]
    return base + [piece * 20 for piece in PATHOLOGICAL.values()] + \
        [mutated(text[:3000], rng, 100) for text in base for _ in range(3)]


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], str]]:
    return [(m.span(), m.group()) for m in pattern.finditer(text)]


def test_number_tokens_are_those_of_the_plain_pattern() -> None:
    samples = _random_texts("fyFY0123456789_ab \n.,\u0663x", 20_000, 1) + \
        [t.lower() for t in _texts()]
    for text in samples:
        assert _spans(timex._NUMBER_TOKEN, text) == _spans(_OLD_NUMBER, text), text


def test_the_previous_word_is_that_of_the_plain_pattern() -> None:
    samples = _random_texts("ab'’-_1 .,;!\n\tXé", 5_000, 2) + _texts()
    for text in samples:
        for end in range(0, len(text) + 1, max(1, len(text) // 200)):
            start = max(0, end - 40)
            new = timex._PREV_WORD.search(text, start, end)
            old = _OLD_PREV_WORD.search(text, start, end)
            assert (new and (new.span(), new.group(1))) == (old and (old.span(), old.group(1)))


def test_clause_ends_are_those_of_the_plain_pattern() -> None:
    samples = _random_texts(" \t\n.,!?;:'-abtu\u00a0" + "but " * 3 + "and though although ",
                            20_000, 3) + _texts()
    for text in samples:
        assert _spans(transcript._CLAUSE_END, text) == _spans(_OLD_CLAUSE_END, text), text


def test_labels_tried_at_line_starts_are_the_finditer_matches() -> None:
    samples = _random_texts("MR.KIRBY: \t\n\u00a0Q#1ab-'A:", 5_000, 4) + _texts()
    for text in samples:
        starts = turns._line_starts(text)
        for pattern in (turns._LABEL, turns._BARE_Q, turns._FORUM_HEADER, turns._TITLE_LABEL):
            found = [(m.span(), m.group()) for m in turns._at_line_starts(pattern, text, starts)]
            assert found == _spans(pattern, text), (pattern.pattern, text[:200])


def test_words_lowered_in_one_call_are_the_words_lowered_one_by_one() -> None:
    samples = _random_texts("aΣσςΑİIi’'-ǅẞß \u0345\u00adOΣ.ǈ1", 50_000, 5) + _texts()
    for text in samples:
        expected = [w.lower() for w in finish._WORD.findall(text)]
        assert finish._words(text, 0, len(text)) == expected, text


def test_scare_quote_prefilter_only_skips_contents_without_a_match() -> None:
    for text in _random_texts("“”\"ab' -x", 20_000, 6):
        if not finish._may_scare(text, 0, len(text)):
            assert not finish._SCARE.search(text), text


def test_a_piece_s_tokens_are_not_kept_after_extraction() -> None:
    extract_statements(transcript_text(20_000), "2024-03-01", "d", "transcript")
    assert not segment._LAST_GAPS
    assert not transcript._LAST_WORDS
