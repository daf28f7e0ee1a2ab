"""The learned stance head toward a proposition: an option over the rules, never a veto.

The sentences are ours (a dam failure no data file knows). The head must read the features the
rules compute today (a feature renamed without retraining would be silently read as zero), keep
the frame's veto, and leave the default (rules) path untouched.
"""

from __future__ import annotations

import json

import pytest

from corroborate.link.frames import frames
from corroborate.link.propositions import Claim, rule_stance_on, stance_on
from corroborate.link.stance_model import STANCES, WEIGHTS, _shipped, features, load_head, refine

DAM = "A bomb caused the failure of the Orlen dam"
ACKNOWLEDGED = "Veltria has acknowledged that a bomb caused the failure of the dam"


def said(content: str, stance: str = "affirm", names: str = "") -> Claim:
    return Claim("s1", content, content, stance, None, False,
                 frozenset(names.lower().split()), "said")


def test_shipped_weights_read_the_features_the_rules_compute() -> None:
    head = _shipped()
    assert head is not None
    frame = frames([("P1", DAM)])["P1"]
    claim = said("a bomb did not cause the failure")
    assert set(head.features) == set(features(frame, claim, rule_stance_on(frame, claim)))
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    assert data["classes"] == list(STANCES)
    assert all(len(row) == len(head.features) + 1 for row in data["weights"])
    # Names and numbers only: no text of any training statement ships.
    assert all(len(name) < 40 for name in data["features"])


def test_the_default_is_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CORROBORATE_STANCE", raising=False)
    assert load_head() is None
    frame = frames([("P1", DAM)])["P1"]
    for claim in (said("no bomb caused the failure of the dam"),
                  said("a bomb could have caused the failure of the dam"),
                  said("a bomb caused the failure of the dam")):
        assert stance_on(frame, claim) == rule_stance_on(frame, claim)


def test_the_learned_head_answers_a_stance_and_keeps_the_veto(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORROBORATE_STANCE", "learned")
    assert load_head() is not None
    frame = frames([("P1", DAM)])["P1"]
    assert stance_on(frame, said("a bomb caused the failure of the dam")) in STANCES
    # Someone other than Veltria saying the inner claim does not bear on its acknowledgement.
    acknowledged = frames([("P2", ACKNOWLEDGED)])["P2"]
    other = said("a bomb caused the failure of the dam", names="ministry of Orlen")
    assert rule_stance_on(acknowledged, other) is None
    assert stance_on(acknowledged, other) is None
    assert refine(acknowledged, other, None) is None
