"""Extraction is linear in the text's length and bounded in memory, whatever the text's shape.

Times are CPU seconds of this process (`time.process_time`), compared as ratios or against
bounds far above what a slow 2-core CI box needs, so the tests catch a quadratic pass (which
is 10x slower at 10x the size, and worse beyond) without flaking on a busy machine.
"""

from __future__ import annotations

import gc
import itertools
import random
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corroborate.api import Progress, open_ledger
from corroborate.extract import extract_statements, iter_statements
from corroborate.extract.intervals import Coverage, FirstContaining, first_holder
from corroborate.extract.statements import pieces
from corroborate.model import Statement
from corroborate.text.segment import MAX_SENTENCE_TOKENS, sentences, tokenize
from synthetic_text import PATHOLOGICAL, adversarial, mutated, news, pathological, transcript

# CPU milliseconds per KB that no input may exceed. News runs at ≈ 2 ms/KB on one core of
# the project's machine and the worst pathological piece at ≈ 20; a quadratic pass on a
# 100 KB input costs seconds per KB.
MS_PER_KB = 150.0


def _cpu(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.process_time()
    result = fn(*args, **kwargs)
    return result, time.process_time() - started


def _check_offsets(text: str, statements: list[Statement]) -> None:
    for st_ in statements:
        assert 0 <= st_.content.start <= st_.content.end <= len(text)
        assert st_.content.text == text[st_.content.start:st_.content.end]
        if st_.cue is not None:
            assert st_.cue.text == text[st_.cue.start:st_.cue.end]


# --------------------------------------------------------------------------- sentences

def _sentence_texts(text: str) -> list[str]:
    return [text[s.start:s.end] for s in sentences(text, tokenize(text))]


def test_a_sentence_ends_before_an_opening_straight_quote() -> None:
    text = 'He said no. "We will not go," she said.'
    assert _sentence_texts(text) == ["He said no.", '"We will not go," she said.']


def test_a_closing_straight_quote_stays_with_its_sentence() -> None:
    text = 'He said "no." Then he left. \'Fine.\' She agreed.'
    assert _sentence_texts(text) == ['He said "no."', "Then he left.", "'Fine.'", "She agreed."]


def test_a_quote_glued_to_the_previous_word_is_not_an_opening_one() -> None:
    # `end."Next` has no space before the quote: it closes the sentence that ends there.
    assert _sentence_texts('It is over."Next') == ['It is over."Next']


def test_the_quote_opening_a_sentence_is_the_content_of_its_trailing_attribution() -> None:
    text = 'Kirby said no. "We will not send troops," Singh told reporters.'
    found = extract_statements(text)
    quoted = [s for s in found if s.kind == "direct"]
    assert [(s.source.text if s.source else None, s.content.text) for s in quoted] == \
        [("Singh", '"We will not send troops,"')]


def test_a_straight_quote_after_a_quoted_attribution_continues_it_like_a_curly_one() -> None:
    # The sentence now ends before `"The`, so the second quotation continues Budanov's, as
    # `“...,” Kirby said. “More words.”` always did with curly quotes.
    curly = "“We see these people,” said General Budanov. “The Kremlin needs manpower.”"
    straight = curly.replace("“", '"').replace("”", '"')
    for text in (curly, straight):
        (found,) = extract_statements(text)
        assert [p.text[1:-1] for p in found.content_parts] == \
            ["We see these people,", "The Kremlin needs manpower."]


def test_text_without_punctuation_is_cut_into_bounded_sentences() -> None:
    words = ("the troops were moved north by ship and officials said that " * 200).split()
    text = " ".join(words)
    tokens = tokenize(text)
    sents = sentences(text, tokens)
    assert max(s.last - s.first for s in sents) <= MAX_SENTENCE_TOKENS
    assert [s.first for s in sents[1:]] == [s.last for s in sents[:-1]]
    assert sents[0].first == 0 and sents[-1].last == len(tokens)


def test_an_overlong_sentence_is_cut_after_a_comma_when_it_has_one() -> None:
    text = ("word " * (MAX_SENTENCE_TOKENS - 20)) + "comma, " + ("more " * 100)
    first = sentences(text, tokenize(text))[0]
    assert text[first.start:first.end].endswith("comma,")


# --------------------------------------------------------------------------- pieces

@given(st.text(alphabet=st.sampled_from(list("ab .\n\n")), max_size=3000),
       st.integers(min_value=8, max_value=400))
def test_pieces_cover_the_text_in_order_and_respect_the_size(text: str, size: int) -> None:
    cuts = list(pieces(text, size))
    assert cuts[0][0] == 0 and cuts[-1][1] == len(text)
    assert all(a < b or len(text) == 0 for a, b in cuts)
    assert all(b == c for (_, b), (c, _) in itertools.pairwise(cuts))
    assert all(b - a <= size for a, b in cuts)


def test_pieces_are_cut_at_paragraph_breaks() -> None:
    text = news(50_000)
    for lo, _hi in pieces(text, 10_000):
        assert lo == 0 or text[lo - 1] == "\n"


def test_a_long_document_gives_the_same_statements_whole_and_in_pieces() -> None:
    text = news(60_000)
    whole = extract_statements(text, "2024-10-28", "d", "news")
    in_pieces = list(iter_statements(text, "2024-10-28", "d", "news", piece_chars=8_000))
    assert len(list(pieces(text, 8_000))) >= 6
    assert [s.to_dict() for s in in_pieces] == [s.to_dict() for s in whole]


def test_progress_is_reported_within_a_long_document() -> None:
    calls: list[tuple[int, int]] = []
    text = transcript(30_000)
    list(iter_statements(text, kind="transcript", on_progress=lambda d, t: calls.append((d, t)),
                         piece_chars=5_000))
    assert len(calls) >= 6
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert calls[-1] == (len(text), len(text))


# --------------------------------------------------------------------------- indexes

_spans = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)).map(
    lambda p: (p[0], p[0] + p[1])), max_size=30)


@given(_spans, st.integers(0, 80), st.integers(1, 10))
def test_coverage_answers_like_a_scan(spans: list[tuple[int, int]], start: int,
                                      width: int) -> None:
    end = start + width
    assert Coverage(spans).overlaps(start, end) == any(start < b and a < end for a, b in spans)


@given(_spans, st.integers(0, 80))
def test_first_containing_answers_like_a_scan(spans: list[tuple[int, int]], point: int) -> None:
    spans = sorted(spans, key=lambda s: s[0])
    expected = next((n for n, (a, b) in enumerate(spans) if a <= point < b), None)
    assert FirstContaining(spans).find(point) == expected


@given(_spans, st.lists(st.integers(-1, 80), max_size=30))
def test_first_holder_answers_like_a_scan(holders: list[tuple[int, int]],
                                          points: list[int]) -> None:
    expected = [next((n for n, (a, b) in enumerate(holders) if a <= p <= b), None)
                for p in points]
    assert first_holder(holders, points) == expected


# --------------------------------------------------------------------------- any input

_ALPHABET = [
    *"abcXYZ  ,.;:!?\"'“”‘’()[]—-\n\t0123", " said ", " told reporters ", " according to ",
    "Mr. ", " U.S. ", "MR. KIRBY: ", "Q: ",
    " May 5, 2024 ", " on Monday ", " who ", " that ", " and ", " he ", " satellite images "]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_ALPHABET), max_size=800),
       st.sampled_from([None, "news", "transcript", "comment"]))
def test_any_text_extracts_without_error(pieces_: list[str], kind: str | None) -> None:
    text = "".join(pieces_)
    _check_offsets(text, extract_statements(text, "2024-10-28", "d", kind))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.integers(0, 400))
def test_mutated_real_text_extracts_without_error(seed: int, edits: int) -> None:
    rng = random.Random(seed)
    base = news(200_000)
    at = rng.randrange(len(base) - 8_000)
    text = mutated(base[at:at + 8_000], rng, edits)
    _check_offsets(text, extract_statements(text, "2024-10-28", "d", "news"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(PATHOLOGICAL)), st.integers(10_000, 40_000))
def test_repeated_pathological_pieces_stay_within_a_linear_time_bound(name: str,
                                                                      size: int) -> None:
    text = pathological(name, size)
    found, seconds = _cpu(extract_statements, text, "2024-10-28", "d", "news")
    _check_offsets(text, found)
    assert seconds * 1000 / (size / 1000) < MS_PER_KB, name


# --------------------------------------------------------------------------- scaling

def _ratio(make, small: int, large: int, kind: str) -> float:  # type: ignore[no-untyped-def]
    """The best of two CPU times at `large` over the best of three at `small`: one pause of a
    loaded box (another process, the collector) can double a single timing, which a best-of
    removes, while a quadratic pass stays at 100 or more."""
    short, long_ = make(small), make(large)
    extract_statements(short, "2024-10-28", "d", kind)  # compile patterns, fill caches
    base = min(_cpu(extract_statements, short, "2024-10-28", "d", kind)[1] for _ in range(3))
    seconds = min(_cpu(extract_statements, long_, "2024-10-28", "d", kind)[1] for _ in range(2))
    return seconds / base


def test_a_one_megabyte_document_costs_about_ten_times_a_100_kb_one() -> None:
    # Linear is 10; the generous bound leaves room for a noisy box, a quadratic pass is ≥ 100.
    assert _ratio(news, 100_000, 1_000_000, "news") < 25


@pytest.mark.slow
@pytest.mark.parametrize("make,kind", [(transcript, "transcript"), (adversarial, "news")],
                         ids=["transcript", "adversarial"])
def test_transcripts_and_adversarial_text_scale_linearly(make, kind: str) -> None:  # type: ignore[no-untyped-def]
    assert _ratio(make, 100_000, 1_000_000, kind) < 25


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_each_pathological_piece_scales_linearly(name: str) -> None:
    def make(size: int) -> str:
        return pathological(name, size)
    assert _ratio(make, 15_000, 150_000, "news") < 25


def test_add_shows_progress_within_one_long_document(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(news(700_000), encoding="utf-8")
    seen: list[Progress] = []
    with open_ledger(str(tmp_path / "l.db")) as ledger:
        summary = ledger.add([str(path)], on_progress=seen.append)
    assert summary.ok and summary.statements > 1000
    during = [p.bytes_done for p in seen if p.files_done == 0]
    # Several reports while the one file is extracted, rising, before the file is done.
    assert len(during) >= 3 and during == sorted(during) and 0 < during[-1] <= path.stat().st_size
    assert seen[-1].files_done == 1 and seen[-1].bytes_done == path.stat().st_size


def test_extraction_leaves_the_cycle_collector_as_it_found_it() -> None:
    assert gc.isenabled()
    extract_statements("Troops are there, officials said.")
    assert gc.isenabled()
    gc.disable()
    try:
        extract_statements("Troops are there, officials said.")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_said_on_looks_back_along_the_line_only_within_its_reach() -> None:
    from corroborate.extract.finish import LINE_REACH

    def said_on(filler: int) -> str | None:
        text = "On Oct. 18 the talks began. " + "Words go here. " * (filler // 15) + \
            "Officials said troops were there."
        (found,) = [s for s in extract_statements(text, "2024-10-28") if s.cue is not None]
        return found.said_on

    # A date earlier on the statement's line dates it (`On Monday, ... said`), as before; on a
    # line longer than any paragraph (one-line text) only within LINE_REACH characters.
    assert said_on(1_000) == "2024-10-18"
    assert said_on(LINE_REACH + 1_000) is None
