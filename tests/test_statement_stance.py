"""The source's own commitment (`extract/stance.py::judge`) on sentences written for these
tests: where a hedge sits, and the ways a speaker says they will not say."""

from __future__ import annotations

import pytest

from corroborate.extract.stance import judge


def words(text: str) -> list[str]:
    return text.lower().replace("’", "'").replace(",", "").split()


@pytest.mark.parametrize("content", [
    "the engineers who might be questioned later inspected the dam on Monday",
    "the army will take the drone down when it could be done safely",
    "ten countries signed a treaty that would improve warnings about floods",
])
def test_a_hedge_in_a_relative_or_temporal_clause_does_not_hedge_the_claim(content: str) -> None:
    stance, hedges = judge("assert", ["said"], words(content), False, [])
    assert stance == "affirm", hedges


@pytest.mark.parametrize("content", [
    "the drone could be over the dam within days",
    "if the wall fails the town would flood",
])
def test_a_hedge_in_the_claim_itself_still_hedges(content: str) -> None:
    assert judge("assert", ["said"], words(content), False, [])[0] == "uncertain"


@pytest.mark.parametrize("content", [
    "I have nothing to add to what the minister said",
    "I'd refer you to the ministry for the details of the inspection",
    "without confirming the press reporting the inspection is continuing",
    "we don't have enough information to say what caused the failure",
])
def test_saying_one_will_not_or_cannot_say_is_uncertain(content: str) -> None:
    assert judge("assert", ["said"], words(content), False, [])[0] == "uncertain"
