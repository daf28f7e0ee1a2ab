"""Floors on stance toward the proposition read on the gold links of each development story.

`bench/stance_gold.py` prints these figures; a change to `link/frames.py` or its word lists that
reads fewer development links right fails here. The floors sit a little under the figures of
branch `stance4` (bench/RESULTS.md, "Stance toward the proposition, fourth pass"): kursk 0.910,
balloon 0.771, covid-origins 0.810, iran-drones 0.855, prigozhin 0.824. The held-out stories
have no floor here: a floor on them would be a figure chosen by looking at them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from stance_gold import read_links

FLOORS = {"kursk": 0.90, "balloon": 0.76, "covid-origins": 0.80, "iran-drones": 0.84,
          "prigozhin": 0.81}


@pytest.mark.parametrize("story", sorted(FLOORS))
def test_stance_on_gold_links_holds_its_floor(story: str) -> None:
    rows = read_links(story)
    accuracy = sum(r["gold"] == r["predicted"] for r in rows) / len(rows)
    assert accuracy >= FLOORS[story], (story, round(accuracy, 3))
