"""Unit tests for the PolNeAR scoring functions (``bench/polnear_scoring.py``).

Why: the benchmark figures steer the extractor's development, so the metric definitions
(whitespace trimming, multiset exact matching, token overlap, statement matching) are pinned
here on made-up sentences. No benchmark text is used or read.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from polnear_scoring import (  # noqa: E402
    Attribution,
    Offsets,
    Scores,
    Tally,
    Tokens,
    content_overlap,
    exact_match,
    match_statements,
    score_document,
    statement_score,
    token_overlap,
    trim,
)

TEXT = "The mayor said the bridge is safe. Critics say it is not, the paper reported."


def at(text: str, piece: str, nth: int = 0) -> Offsets:
    """Offsets of the nth occurrence of ``piece`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return start, start + len(piece)


def gold_doc() -> list[Attribution]:
    return [
        Attribution(at(TEXT, "said"), (at(TEXT, "The mayor"),), (at(TEXT, "the bridge is safe"),)),
        Attribution(at(TEXT, "say"), (at(TEXT, "Critics"),), (at(TEXT, "it is not"),)),
    ]


def test_trim_strips_whitespace_and_drops_empty() -> None:
    assert trim("  ab \n", 0, 6) == (2, 4)
    assert trim("   ", 0, 3) is None
    assert trim("ab", -3, 10) == (0, 2)


def test_exact_match_is_multiset() -> None:
    tally, spurious, missed = exact_match([(0, 3), (0, 3), (5, 7)], [(0, 3), (9, 10)])
    assert (tally.hit, tally.pred, tally.gold) == (1, 3, 2)
    assert spurious == [(0, 3), (5, 7)]
    assert missed == [(9, 10)]


def test_exact_match_counts_trimmed_spans() -> None:
    text = "He said: yes."
    gold = [Attribution(at(text, "said"), (at(text, "He"),), ((8, 12),))]  # " yes" with space
    pred = [Attribution(at(text, "said"), (at(text, "He"),), (at(text, "yes"),))]
    doc = score_document(text, pred, gold)
    assert doc.exact["content"].hit == 1
    assert doc.exact["cue"].f1 == 1.0


def test_tokens_cover_partial_overlaps() -> None:
    toks = Tokens("ab, cd-ef")
    assert len(toks) == 5  # ab , cd - ef
    assert toks.covered([(1, 2)]) == {0}
    assert toks.covered([(0, 4)]) == {0, 1}
    assert toks.covered([(3, 4)]) == set()  # whitespace only
    assert toks.covered([(5, 8)]) == {2, 3, 4}


def test_token_overlap_uses_union_of_spans() -> None:
    toks = Tokens(TEXT)
    tally = token_overlap(toks, [at(TEXT, "the bridge is safe."), at(TEXT, "bridge")],
                          [at(TEXT, "the bridge is safe")])
    assert (tally.hit, tally.pred, tally.gold) == (4, 5, 4)
    assert tally.precision == pytest.approx(0.8)
    assert tally.recall == 1.0


def test_content_overlap_is_recall_of_gold_tokens_over_parts() -> None:
    toks = Tokens(TEXT)
    gold = [at(TEXT, "the bridge"), at(TEXT, "is safe")]
    assert content_overlap(toks, [at(TEXT, "the bridge")], gold) == 0.5
    assert content_overlap(toks, [at(TEXT, "The mayor said the bridge is safe.")], gold) == 1.0
    assert content_overlap(toks, [], []) == 1.0
    assert content_overlap(toks, [at(TEXT, "safe")], []) == 0.0


def test_statement_needs_cue_source_and_content() -> None:
    toks = Tokens(TEXT)
    gold = gold_doc()[0]
    good = Attribution(at(TEXT, "said"), (at(TEXT, "mayor"),), (at(TEXT, "bridge is safe"),))
    assert statement_score(toks, good, gold) == pytest.approx(0.75)
    wrong_cue = Attribution(at(TEXT, "say"), good.sources, good.contents)
    assert statement_score(toks, wrong_cue, gold) is None
    no_source = Attribution(good.cue, (), good.contents, no_source=True)
    assert statement_score(toks, no_source, gold) is None
    thin = Attribution(good.cue, good.sources, (at(TEXT, "safe"),))
    assert statement_score(toks, thin, gold) is None  # 1/4 < 0.5


def test_statement_both_sources_absent_matches() -> None:
    toks = Tokens(TEXT)
    gold = Attribution(at(TEXT, "reported"), (), (at(TEXT, "it is not"),), no_source=True)
    pred = Attribution(at(TEXT, "reported"), (), (at(TEXT, "it is not"),), no_source=True)
    assert statement_score(toks, pred, gold) == 1.0
    with_source = Attribution(pred.cue, (at(TEXT, "paper"),), pred.contents)
    assert statement_score(toks, with_source, gold) is None


def test_statement_matching_is_one_to_one_best_first() -> None:
    toks = Tokens(TEXT)
    gold = gold_doc()
    weak = Attribution(at(TEXT, "said"), (at(TEXT, "mayor"),), (at(TEXT, "bridge is safe"),))
    strong = Attribution(at(TEXT, "said"), (at(TEXT, "The mayor"),),
                         (at(TEXT, "the bridge is safe"),))
    assert match_statements(toks, [weak, strong], gold) == [(1, 0)]


def test_score_document_and_corpus_sums() -> None:
    gold = [*gold_doc(), Attribution(None)]  # an empty relation is ignored
    pred = [
        gold_doc()[0],
        Attribution(at(TEXT, "reported"), (at(TEXT, "the paper"),), (at(TEXT, "it is not"),)),
    ]
    doc = score_document(TEXT, pred, gold)
    assert (doc.exact["cue"].hit, doc.exact["cue"].pred, doc.exact["cue"].gold) == (1, 2, 2)
    assert doc.exact["content"].hit == 2
    assert doc.missed["source"] == [at(TEXT, "Critics")]
    assert doc.spurious["cue"] == [at(TEXT, "reported")]
    assert (doc.statement.hit, doc.statement.pred, doc.statement.gold) == (1, 2, 2)
    assert len(doc.unmatched_golds) == 1 and len(doc.unmatched_preds) == 1
    scores = Scores()
    scores.add(doc)
    scores.add(doc)
    assert scores.statement.figures()["f1"] == 0.5
    assert scores.documents == 2


def test_tally_handles_zero_counts() -> None:
    assert Tally().f1 == 0.0
    assert Tally(0, 3, 0).precision == 0.0


def span(text: str, piece: str) -> Offsets:
    start = text.index(piece)
    return (start, start + len(piece))


def test_error_kinds_name_the_edge_that_differs() -> None:
    import polnear  # bench/ is on the path above

    text = "The mayor of Leeds said on Monday that the bridge was safe, and Kim denied it."
    gold = [Attribution(cue=span(text, "said"), sources=(span(text, "The mayor of Leeds"),),
                        contents=(span(text, "that the bridge was safe"),)),
            Attribution(cue=span(text, "denied"), sources=(span(text, "Kim"),),
                        contents=(span(text, "it"),))]
    pred = [Attribution(cue=span(text, "said"), sources=(span(text, "mayor of Leeds"),),
                        contents=(span(text, "that the bridge was safe, and Kim"),))]
    record = polnear.Record("r", "a", 1, None, text, gold)
    kinds = polnear.error_kinds([record], {"a": pred}, frozenset({"said", "denied"}))
    assert kinds["cue"]["exact"] == 1 and kinds["cue"]["no cue"] == 1
    assert kinds["source"]["boundary, gold starts earlier: the"] == 1
    assert kinds["content"]["boundary, pred ends later: 3 words"] == 1
    assert kinds["missed cue word (in lexicon)"]["denied"] == 1
