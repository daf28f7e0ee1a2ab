"""Quality gate: extraction accuracy on our hand-annotated Kursk gold must not drop.

Floors sit a little under the figures last recorded in bench/RESULTS.md
(`.venv/bin/python bench/kursk_gold.py`); raise them when the extractor improves, never lower
them to make a change pass.
"""

from __future__ import annotations

import pytest

from gold.check_gold import load_gold
from gold.score import documents, predict, score

FLOORS = {
    "statement_f1": 0.56,
    "statement_precision": 0.54,
    "statement_recall": 0.57,
    "source_accuracy": 0.82,
    "stance_accuracy": 0.72,
    "said_on_accuracy": 0.68,
}


@pytest.fixture(scope="module")
def figures() -> dict[str, float]:
    return score(load_gold(), predict(documents())).as_dict()


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_gold_figure_stays_above_its_floor(figures: dict[str, float], metric: str) -> None:
    assert figures[metric] >= FLOORS[metric], f"{metric} {figures[metric]:.3f} < floor"


def test_gold_offsets_match_the_derived_texts() -> None:
    from gold.check_gold import check_row, document_texts

    texts = document_texts()
    problems = [p for row in load_gold() for p in check_row(row, texts)]
    assert problems == []


LINK_FLOORS = {
    "link_f1": 0.28,
    "link_stance_accuracy": 0.70,
    "source_bcubed_f1": 0.55,
    "source_bcubed_f1_extracted": 0.70,
    "relay_f1": 0.25,
}


@pytest.fixture(scope="module")
def link_figures() -> dict[str, float]:
    from gold.link_score import evaluate

    return evaluate()


@pytest.mark.parametrize("metric", sorted(LINK_FLOORS))
def test_gold_link_figure_stays_above_its_floor(link_figures: dict[str, float],
                                                metric: str) -> None:
    assert link_figures[metric] >= LINK_FLOORS[metric], \
        f"{metric} {link_figures[metric]:.3f} < floor"
