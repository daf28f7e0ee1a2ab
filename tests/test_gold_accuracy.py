"""Quality gate: extraction accuracy on our hand-annotated Kursk gold must not drop.

Floors sit a little under the figures last recorded in bench/RESULTS.md
(`.venv/bin/python bench/kursk_gold.py`); raise them when the extractor improves, never lower
them to make a change pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gold.check_gold import load_gold
from gold.score import documents, predict, score

FLOORS = {
    "statement_f1": 0.695,
    "statement_precision": 0.715,
    "statement_recall": 0.675,
    "source_accuracy": 0.87,
    "stance_accuracy": 0.855,
    "said_on_accuracy": 0.725,
    # said_on and its granularity both right ("in October" is a month, not 1 October)
    "said_on_granularity_accuracy": 0.725,
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


# Linking is measured twice: with the Kursk story pack (examples/kursk-pack.json, what a user
# of that story would write) and with no pack at all (resolution from the corpus alone, which is
# what any new story gets). Figures of 2026-12-01 (`bench/story_gold.py --story kursk [--pack
# examples/kursk-pack.json]`, `bench/source_gold.py --oracle`): with pack link_f1 0.317,
# B-cubed 0.667 / 0.833 extracted, resolution on gold spans 0.850; no pack link_f1 0.308,
# B-cubed 0.661 / 0.831, resolution 0.880. (Before story packs, with the Kursk data built in:
# link_f1 0.317, B-cubed 0.633 / 0.785, resolution 0.821.)
KURSK_PACK = Path(__file__).resolve().parents[1] / "examples" / "kursk-pack.json"
LINK_FLOORS = {
    "link_f1": 0.28,
    "link_stance_accuracy": 0.70,
    "source_bcubed_f1": 0.65,
    "source_bcubed_f1_extracted": 0.82,
    "relay_f1": 0.25,
}
NO_PACK_LINK_FLOORS = {
    "link_f1": 0.28,
    "link_stance_accuracy": 0.70,
    "source_bcubed_f1": 0.64,
    "source_bcubed_f1_extracted": 0.81,
    "relay_f1": 0.25,
}
RESOLUTION_FLOORS = {"pack": 0.83, "no pack": 0.86}  # resolution_bcubed_f1 on gold spans


@pytest.fixture(scope="module")
def link_figures() -> dict[str, float]:
    from gold.link_score import evaluate

    return evaluate(pack=KURSK_PACK)


@pytest.fixture(scope="module")
def no_pack_link_figures() -> dict[str, float]:
    from gold.link_score import evaluate

    return evaluate(pack=None)


@pytest.mark.parametrize("metric", sorted(LINK_FLOORS))
def test_gold_link_figure_stays_above_its_floor(link_figures: dict[str, float],
                                                metric: str) -> None:
    assert link_figures[metric] >= LINK_FLOORS[metric], \
        f"{metric} {link_figures[metric]:.3f} < floor"


@pytest.mark.parametrize("metric", sorted(NO_PACK_LINK_FLOORS))
def test_gold_link_figure_without_a_pack_stays_above_its_floor(
        no_pack_link_figures: dict[str, float], metric: str) -> None:
    assert no_pack_link_figures[metric] >= NO_PACK_LINK_FLOORS[metric], \
        f"{metric} {no_pack_link_figures[metric]:.3f} < floor (no story pack)"


@pytest.mark.parametrize("variant", sorted(RESOLUTION_FLOORS))
def test_source_resolution_on_gold_spans_stays_above_its_floor(variant: str) -> None:
    from gold.source_score import resolution_figures
    from gold.stories import load_story

    figure = resolution_figures(load_story("kursk"),
                                KURSK_PACK if variant == "pack" else None)["resolution_bcubed_f1"]
    assert figure >= RESOLUTION_FLOORS[variant], f"{variant}: {figure:.3f} < floor"
