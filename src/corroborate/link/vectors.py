"""MiniLM vectors that outlive one `link` run: look texts up in the ledger's embedding cache,
encode only the misses, save them.

Why: the learned linker embeds every statement, its sentence and every proposition on every
run, at a few statements a second, so each relink of a big ledger (after an `add`, an
analyst's correction, a report that relinks when stale) paid for the whole ledger again. Texts
do not change once extracted, so a vector computed once is good for as long as the encoder is
the same.

The encoder's identity (`model_identity`) is the SHA-256 of the weights, tokenizer and
configuration files together with the source of `link/embed.py`, which computes the vectors.
Upgrading either one gives a new identity, so old rows are not used and nobody has to
remember to bump a version. A cached vector is the exact float32 row that run encoded, so a
warm relink sees the same numbers as the cold run that filled the cache. A row that is not a
finite unit vector of the right size is treated as missing, encoded again and overwritten.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corroborate.store.vectors import VectorStore

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from corroborate.store.ledger import Store

    F32 = NDArray[np.float32]

Encode = Callable[[list[str]], Any]
_FILES = ("model.safetensors", "tokenizer.json", "config.json")
_ACTIVE: ContextVar[CachedEncoder | None] = ContextVar("corroborate_vector_cache", default=None)


@cache
def _identity(folder: str, stamp: tuple[tuple[int, int], ...]) -> str:
    digest = hashlib.sha256()
    for name in _FILES:
        with open(Path(folder) / name, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    digest.update(Path(__file__).with_name("embed.py").read_bytes())
    return "minilm:" + digest.hexdigest()


def model_identity(folder: Path | None = None) -> str:
    """The encoder's key in the cache. Hashing 90 MB of weights takes a few tenths of a
    second, so it is done once per process and files (size and mtime unchanged)."""
    from corroborate.link.embed import model_dir

    folder = folder or model_dir()
    if folder is None:
        raise FileNotFoundError("no MiniLM weights installed: nothing to key the cache by")
    stamp = tuple((s.st_size, s.st_mtime_ns) for s in ((folder / n).stat() for n in _FILES))
    return _identity(str(folder), stamp)


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def decode(dim: int, raw: bytes, expected: int) -> F32 | None:
    """The cached vector, or None when the row cannot be what the encoder wrote: wrong size,
    not finite, or not of unit length (every MiniLM vector is normalised)."""
    import numpy as np

    if dim != expected or len(raw) != 4 * expected:
        return None
    vector = np.frombuffer(raw, dtype="<f4").astype(np.float32)
    if not np.all(np.isfinite(vector)) or abs(float(vector @ vector) - 1.0) > 1e-3:
        return None
    return vector


@dataclass
class CachedEncoder:
    """An `encode` (texts -> unit float32 rows) that reads the ledger's cache first.

    `encode` is the real encoder (MiniLM by default, loaded only if something misses);
    `hits` and `encoded` count texts served from the cache and texts encoded, per run."""

    store: Store
    model: str
    encode: Encode | None = None
    dim: int = 384
    hits: int = 0
    encoded: int = 0
    saved: int = field(default=0)

    def __call__(self, texts: Sequence[str]) -> F32:
        import numpy as np

        texts = list(texts)
        unique = list(dict.fromkeys(texts))
        digests = [text_digest(t) for t in unique]
        found = VectorStore(self.store.backend).lookup(self.model, digests)
        rows: dict[str, F32] = {}
        for text, digest in zip(unique, digests, strict=True):
            if digest in found and (vector := decode(*found[digest], self.dim)) is not None:
                rows[text] = vector
        misses = [t for t in unique if t not in rows]
        self.hits += len(unique) - len(misses)
        if misses:
            fresh = np.asarray(self._encoder()(misses), dtype=np.float32)
            self.encoded += len(misses)
            new = []
            for text, vector in zip(misses, fresh, strict=True):
                rows[text] = vector
                new.append((text_digest(text), int(vector.shape[0]),
                            vector.astype("<f4").tobytes()))
            # Their own small transaction, at once: the vectors are kept even when the rest of
            # the link fails, and the link's own write stays as short as before.
            store = VectorStore(self.store.backend)
            self.saved += self.store.write(lambda: store.save(self.model, new))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([rows[t] for t in texts])

    def _encoder(self) -> Encode:
        if self.encode is None:
            from corroborate.link.embed import Embedder

            self.encode = Embedder.load().encode
        return self.encode


@contextmanager
def cached(store: Store, encode: Encode | None = None,
           model: str | None = None) -> Iterator[CachedEncoder]:
    """Within the block, `active_encoder()` (which the learned linker's `embed` uses when
    given no encoder) reads and fills `store`'s cache. `model` (default: the installed
    weights' identity) must change whenever `encode` would give other vectors."""
    encoder = CachedEncoder(store, model or model_identity(), encode)
    token = _ACTIVE.set(encoder)
    try:
        yield encoder
    finally:
        _ACTIVE.reset(token)


def active_encoder() -> Encode | None:
    """The cached encoder of the enclosing `cached` block, if any."""
    return _ACTIVE.get()
