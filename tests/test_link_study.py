"""The linking study's pieces (`bench/link_study.py`) and the training script's story lists
(`bench/train_link.py`): which stories may be trained on, and the candidate features' maths,
on small hand-made vectors (no MiniLM needed)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import link_study
import train_link
from gold.stories import HELD_OUT, development_names


def test_training_reads_every_development_story_and_no_held_out_one() -> None:
    # A development story merged later is trained on by rerunning the script, and a
    # held-out story is never in the training or study data.
    assert set(train_link.TRAIN) == set(development_names())
    assert set(link_study.DEV) == set(development_names())
    assert not set(train_link.TRAIN) & set(HELD_OUT)
    assert not set(link_study.DEV) & set(HELD_OUT)
    assert set(train_link.HELD_OUT) <= set(HELD_OUT)


def _unit(rows: list[list[float]]) -> np.ndarray:
    a = np.asarray(rows, dtype=np.float64)
    return a / np.linalg.norm(a, axis=1, keepdims=True)


def test_a_word_every_sibling_repeats_weighs_nothing() -> None:
    shared, own_a, own_b = [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]
    props = [(None, None, _unit([shared, own_a])), (None, None, _unit([shared, own_b]))]
    keep = [np.array([True, True]), np.array([True, True])]
    weight = link_study.distinctiveness(props, keep, 0)
    assert weight[0] < 1e-9  # the shared token
    assert weight[1] > 0.99  # the proposition's own token


def test_distinctiveness_without_siblings_keeps_every_token() -> None:
    props = [(None, None, _unit([[1.0, 0.0], [0.0, 1.0]]))]
    assert link_study.distinctiveness(props, [np.array([True, True])], 0).tolist() == [1, 1]


def test_rocchio_moves_the_proposition_toward_its_best_statements() -> None:
    vp = _unit([[1.0, 0.0, 0.0]])
    statements = _unit([[0.6, 0.8, 0.0], [0.6, 0.8, 0.0], [0.0, 0.0, 1.0]])
    score = statements @ vp.T
    moved = link_study.rocchio(statements, statements, vp, score, k=2)
    assert abs(float(np.linalg.norm(moved[0])) - 1.0) < 1e-9
    # Nearer the statements it was expanded with, and no nearer the one left out.
    assert float(moved[0] @ statements[0]) > float(vp[0] @ statements[0])
    assert float(moved[0] @ statements[2]) <= float(vp[0] @ statements[2]) + 1e-9


def test_rank_is_zero_for_the_best() -> None:
    ranks = link_study._rank(np.array([[0.1, 0.9, 0.5]]), 1)
    assert ranks.tolist() == [[2.0, 0.0, 1.0]]
