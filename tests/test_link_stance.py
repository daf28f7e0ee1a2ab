"""Stance toward a proposition and relatedness, on sentences written for these tests.

The model's weights come from the Emergent train split, so these check that the cues corroborate
depends on (denial predicates, hedges and modals, confirmation, negated confirmation) survive that
fitting, and that the weights file ships no benchmark text.
"""

from __future__ import annotations

import json
import math

import pytest

from corroborate.link.stance import (
    CLASSES,
    DATA,
    features,
    lexicon,
    relatedness,
    stance_scores,
    stance_toward,
    stem,
)

TROOPS = "North Korean troops are in Russia"
COMBAT = "North Korean troops have entered combat in Ukraine"


@pytest.mark.parametrize(
    ("proposition", "text"),
    [
        (TROOPS, "Moscow dismissed the reports as fake news"),
        (TROOPS, "The Kremlin denied that any North Korean soldiers were on its territory"),
        (TROOPS, "North Korean troops are not in Russia, the ministry insisted"),
        (TROOPS, "The claim that North Korean troops are in Russia is false"),
        (TROOPS, "Officials debunked rumours of North Korean troops in Russia"),
        (TROOPS, "Reports of North Korean troops in Russia are groundless, a spokesman said"),
    ],
)
def test_denials(proposition: str, text: str) -> None:
    assert stance_toward(proposition, text)[0] == "deny"


@pytest.mark.parametrize(
    ("proposition", "text"),
    [
        (TROOPS, "North Korean troops are in Russia, the Pentagon confirmed on Monday"),
        (TROOPS, "Thousands of North Korean troops have arrived in Russia's Kursk region"),
        (TROOPS, "Satellite images show North Korean soldiers training at a base in Russia"),
    ],
)
def test_confirmations(proposition: str, text: str) -> None:
    assert stance_toward(proposition, text)[0] == "affirm"


@pytest.mark.parametrize(
    ("proposition", "text"),
    [
        (COMBAT, "North Korean troops could be on the battlefield within days"),
        (TROOPS, "Are North Korean troops in Russia?"),
        (TROOPS, "North Korean troops are reportedly in Russia"),
        (TROOPS, "Seoul says North Korean troops may have been sent to Russia"),
        (TROOPS, "Reports say North Korean troops are in Russia, but this has not been confirmed"),
    ],
)
def test_hedged_or_asked_is_uncertain(proposition: str, text: str) -> None:
    assert stance_toward(proposition, text)[0] == "uncertain"


def test_negated_confirmation_is_not_a_denial() -> None:
    text = "The deployment of North Korean troops in Russia has not been confirmed"
    assert features(TROOPS, text).get("neg_unconfirmed") == 1.0
    assert stance_toward(TROOPS, text)[0] != "deny"


def test_confidence_and_probabilities() -> None:
    label, confidence = stance_toward(TROOPS, "Moscow dismissed the reports as fake news")
    probs = stance_scores(TROOPS, "Moscow dismissed the reports as fake news")
    assert set(probs) == set(CLASSES)
    assert math.isclose(sum(probs.values()), 1.0)
    assert 0.0 < confidence <= 1.0
    assert confidence == probs[label] == max(probs.values())


def test_degenerate_inputs_do_not_crash() -> None:
    for prop, text in [("", ""), (TROOPS, ""), ("", "Troops moved."), (TROOPS, "?!:")]:
        label, confidence = stance_toward(prop, text)
        assert label in CLASSES
        assert 0.0 <= confidence <= 1.0
        assert 0.0 <= relatedness(prop, text) <= 1.0


def test_relatedness_separates_on_topic_from_off_topic() -> None:
    on = relatedness(TROOPS, "Thousands of North Korean troops have arrived in Russia")
    partial = relatedness(TROOPS, "North Korea held a military parade in Pyongyang")
    off = relatedness(TROOPS, "The price of wheat rose sharply in Chicago trading on Tuesday")
    assert on > 0.8
    assert off < 0.1
    assert off < partial < on
    assert relatedness(TROOPS, TROOPS) == pytest.approx(1.0)


def test_stemmer_aligns_inflections() -> None:
    assert stem("troops") == stem("troop")
    assert stem("denied") == stem("denies") == stem("deny")
    assert stem("airstrikes") == stem("airstrike")


def test_weights_ship_no_benchmark_text() -> None:
    """Every feature name is a fixed feature or comes from our own lexicon."""
    data = json.loads((DATA / "stance_weights.json").read_text(encoding="utf-8"))
    lex = lexicon()
    stems = {stem(w) for w in lex.cue_words}
    phrases = {f"phr:{c}:{p}" for c, ps in lex.phrases.items() for p in ps}
    assert data["classes"] == list(CLASSES)
    for name in data["weights"]:
        if name.startswith("w:"):
            assert name[2:] in stems, name
        elif name.startswith("phr:"):
            assert name in phrases, name
        else:
            assert name.replace("_", "").isalpha(), name
    for row in data["weights"].values():
        assert len(row) == len(CLASSES)
        assert all(isinstance(v, float | int) for v in row)
