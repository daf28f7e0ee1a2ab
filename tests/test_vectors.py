"""The embedding cache (link/vectors.py, store/vectors.py): a relink encodes only new text and
links exactly as the run that filled the cache, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from corroborate.api import Ledger, load_propositions
from corroborate.link import embed
from corroborate.link.embed import Embedder
from corroborate.link.vectors import cached, decode, model_identity, text_digest
from corroborate.store.vectors import VectorStore

pytestmark = pytest.mark.skipif(not embed.available(), reason="MiniLM weights not installed")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FIRST = ("2024-10-18-wire-nis-briefing.txt", "2024-10-18-statement-hur-training-grounds.txt")
LATER = "2024-10-23-wire-austin-evidence-rome.txt"


class CountingEmbedder(Embedder):
    """The real MiniLM encoder, counting the texts it is asked to encode."""

    texts = 0

    def encode(self, texts: list[str], batch_size: int = 64) -> Any:
        self.texts += len(texts)
        return super().encode(texts, batch_size)


@pytest.fixture(scope="module")
def encoder() -> CountingEmbedder:
    return CountingEmbedder.load()


def _copy(names: tuple[str, ...], folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    for name in names:
        for path in (EXAMPLES / "kursk" / name, EXAMPLES / "kursk" / (name + ".meta.json")):
            if path.exists():
                shutil.copy(path, folder / path.name)
    return folder


def _links(ledger: Ledger) -> list[tuple[Any, ...]]:
    return sorted(ledger.store.backend.query(
        "SELECT statement_id, proposition_id, score, stance FROM assignments"))


def _link(ledger: Ledger, encoder: CountingEmbedder, model: str = "minilm-test") -> Any:
    before = encoder.texts
    with cached(ledger.store, encoder.encode, model) as cache:
        summary = ledger.link(force=True)
    assert summary is not None and summary.method == "learned"
    assert cache.encoded == encoder.texts - before  # misses only, and all of them counted
    return cache


def test_warm_relink_encodes_nothing_and_links_the_same(
        ledger: Ledger, encoder: CountingEmbedder, tmp_path: Path) -> None:
    ledger.add([str(_copy(FIRST, tmp_path / "docs"))])
    ledger.propose(load_propositions(EXAMPLES / "kursk-propositions.json"))
    cold = _link(ledger, encoder)
    cold_links = _links(ledger)
    assert cold.hits == 0 and cold.encoded > 20 and cold_links
    assert VectorStore(ledger.store.backend).count("minilm-test") == cold.encoded

    warm = _link(ledger, encoder)
    assert warm.encoded == 0 and warm.hits == cold.encoded
    assert _links(ledger) == cold_links

    # Another encoder identity finds nothing of this one's.
    assert _link(ledger, encoder, model="another-model").hits == 0

    # A new document: only its text is encoded, every earlier vector is read back.
    ledger.add([str(_copy((LATER,), tmp_path / "docs"))])
    grown = _link(ledger, encoder)
    assert grown.hits == cold.encoded
    assert 0 < grown.encoded < cold.encoded + grown.encoded


def test_corrupt_or_lost_rows_are_encoded_again(
        ledger: Ledger, encoder: CountingEmbedder, tmp_path: Path) -> None:
    ledger.add([str(_copy(FIRST[:1], tmp_path / "docs"))])
    ledger.propose(load_propositions(EXAMPLES / "kursk-propositions.json"))
    cold = _link(ledger, encoder)
    cold_links = _links(ledger)
    db = ledger.store.backend
    keys = [r[0] for r in db.query("SELECT text_sha256 FROM embedding_cache ORDER BY 1")]
    short, nan = keys[0], keys[1]
    ledger.store.write(lambda: (
        db.execute("UPDATE embedding_cache SET vector = ? WHERE text_sha256 = ?",
                   (b"\x00\x01", short)),
        db.execute("UPDATE embedding_cache SET vector = ? WHERE text_sha256 = ?",
                   (b"\xff\xff\xff\x7f" * 384, nan))))
    repaired = _link(ledger, encoder)
    assert repaired.encoded == 2 and repaired.hits == cold.encoded - 2
    assert _links(ledger) == cold_links
    found = VectorStore(db).lookup("minilm-test", [short, nan])
    assert all(decode(*found[k], 384) is not None for k in (short, nan))

    ledger.store.write(lambda: VectorStore(db).clear())
    assert _link(ledger, encoder).encoded == cold.encoded
    assert _links(ledger) == cold_links


def test_default_link_uses_the_installed_weights_identity(
        ledger: Ledger, tmp_path: Path) -> None:
    ledger.add([str(_copy(FIRST[:1], tmp_path / "docs"))])
    ledger.propose(load_propositions(EXAMPLES / "kursk-propositions.json"))
    assert ledger.link(force=True) is not None
    model = model_identity()
    assert model.startswith("minilm:") and model == model_identity()
    store = VectorStore(ledger.store.backend)
    assert store.count(model) == store.count() > 0
    found = store.lookup(model, [text_digest("North Korea has sent troops to Russia")])
    assert len(found) == 1


def test_decode_rejects_what_the_encoder_cannot_have_written() -> None:
    import numpy as np

    unit = np.zeros(384, dtype="<f4")
    unit[0] = 1.0
    assert decode(384, unit.tobytes(), 384) is not None
    assert decode(384, unit.tobytes()[:-4], 384) is None
    assert decode(383, unit.tobytes(), 384) is None
    assert decode(384, (unit * 2).tobytes(), 384) is None
    assert decode(384, np.full(384, np.nan, dtype="<f4").tobytes(), 384) is None
