"""A cross-encoder that reads a proposition and a statement together and says whether the
statement bears on it: MiniLM's top layer fine-tuned on our own gold, run in numpy.

Why: the learned linker's head one scores a pair from frozen MiniLM cosines and word-piece
overlap, i.e. from two vectors computed apart. Its error analysis (bench/RESULTS.md, "Link
head: error analysis") found the largest error class to be the wrong sibling proposition
(siblings share the story's words, so their cosines tie), then statements that name the
topic only by a pronoun or by the reporter's question. Neither can be read off two separate
vectors; attention over "[CLS] proposition [SEP] statement [SEP] its sentence or question
[SEP]" can. Every feature over frozen vectors tried there fitted one story and hurt another.

What it reads (`data/link_xenc.npz` when one is written by `bench/train_link_xenc.py
--write`; torch only there; none ships, see bench/RESULTS.md "Cross-encoder"): the
difference between the fine-tuned and the bundled weights of the top transformer layer (in
float16, so the file stays small), a linear head over the mean-pooled, normalised output
(the same pooling as the sentence embeddings of `link/embed.py`), the decision threshold and
how many candidates a statement gets. The lower layers are the bundled ones, untouched.

Cost: a cross-encoder runs the whole network once per pair, not once per text, so it scores
only each statement's best `top` propositions by head one (`learned.link_pairs(cross=...)`);
the others stay unlinked, as head one would leave almost all of them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from corroborate.link.embed import Embedder
    from corroborate.link.propositions import Claim, Proposition

    F64 = NDArray[np.float64]

DELTA = Path(__file__).parent / "data" / "link_xenc.npz"
# Tokens per pair, [CLS] and the three [SEP] included: a proposition is 10-35 pieces, a
# statement's content 5-60; the sentence or question fills what is left.
MAX_TOKENS = 96
PROPOSITION_TOKENS = 40
CONTENT_TOKENS = 48
# Content this short ("that's right", "we've seen no indication of that") names its topic
# only through the exchange, so the reporter's question stands in for the sentence.
SHORT_WORDS = 8
_QUOTES = re.compile(r"^(?:that\s+)|[“”\"]", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def statement_texts(claim: Claim) -> tuple[str, str]:
    """The statement side of a pair: its content, and what else is read with it (the
    reporter's question when the content is short and the turn answers one, else the
    sentence around the content; empty when that adds nothing)."""
    content = _clean(_QUOTES.sub("", claim.content.strip()))
    if len(content.split()) <= SHORT_WORDS and claim.question:
        extra = _clean(claim.question)
    else:
        extra = _clean(claim.context or "")
    if not extra or extra == content:
        extra = ""
    return content, extra


def pair_ids(tokenize: Any, triples: Sequence[tuple[str, str, str]]) -> list[list[int]]:
    """[CLS] proposition [SEP] content [SEP] extra [SEP] as token ids, per (proposition,
    content, extra) triple (`tokenize`: list of texts -> [CLS] ... [SEP] ids, as
    `Embedder.tokenize`); each part is truncated to its share of MAX_TOKENS, and with no
    extra the last part is left out. Each distinct text is tokenised once."""
    unique = list(dict.fromkeys(t for triple in triples for t in triple if t))
    rows = tokenize(["", *unique])
    cls, sep = rows[0]
    pieces = {t: row[1:-1] for t, row in zip(unique, rows[1:], strict=True)}
    out = []
    for proposition, content, extra in triples:
        p = pieces.get(proposition, [])[:PROPOSITION_TOKENS]
        c = pieces.get(content, [])[:max(0, min(CONTENT_TOKENS, MAX_TOKENS - 4 - len(p)))]
        ids = [cls, *p, sep, *c, sep]
        room = MAX_TOKENS - 1 - len(ids)
        if extra and room > 0:
            ids += [*pieces[extra][:room], sep]
        out.append(ids)
    return out


@dataclass(frozen=True)
class CrossEncoder:
    """The fine-tuned network and its head; `probability` scores (proposition, claim) pairs."""

    embedder: Embedder
    head: F64  # (384,)
    bias: float
    threshold: float  # P(bears on) at which a candidate pair is linked
    top: int  # candidates per statement, by head one
    meta: dict[str, Any]

    def logits(self, texts: Sequence[tuple[str, str, str]]) -> F64:
        """Raw scores of (proposition, content, extra) triples."""
        import numpy as np

        if not texts:
            return np.zeros(0)
        ids = pair_ids(self.embedder.tokenize, texts)
        pooled = np.asarray(self.embedder.encode_ids(ids), dtype=np.float64)
        return pooled @ self.head + self.bias

    def score(self, propositions: Sequence[Proposition], claims: Sequence[Claim],
              pairs: Sequence[tuple[int, int]]) -> F64:
        """P(the claim bears on the proposition) for (claim index, proposition index) pairs."""
        import numpy as np

        texts = [(propositions[m].statement, *statement_texts(claims[n])) for n, m in pairs]
        return 1.0 / (1.0 + np.exp(-self.logits(texts)))


def save(path: Path, delta: dict[str, Any], head: Any, meta: dict[str, Any]) -> None:
    """Write a cross-encoder file: float16 tensor differences under `delta/`, the head's
    weights, and `meta` (needs `bias`, `threshold`, `top`) as JSON."""
    import numpy as np

    missing = {"bias", "threshold", "top"} - set(meta)
    if missing:
        raise ValueError(f"cross-encoder meta lacks {sorted(missing)}")
    arrays = {f"delta/{k}": np.asarray(v, dtype=np.float16) for k, v in delta.items()}
    arrays["head"] = np.asarray(head, dtype=np.float32).reshape(-1)
    with path.open("wb") as out:
        np.savez_compressed(out, meta=np.array(json.dumps(meta, sort_keys=True)), **arrays)


def read_delta(path: Path = DELTA) -> tuple[dict[str, Any], dict[str, Any]]:
    """The tensors' differences and the head/threshold record stored in `path`."""
    import numpy as np

    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        delta = {k[len("delta/"):]: data[k] for k in data.files if k.startswith("delta/")}
        meta["head"] = data["head"].astype(np.float64)
    return delta, meta


def available(path: Path = DELTA) -> bool:
    """True when the shipped delta is present (the MiniLM weights are checked by the caller)."""
    return path.is_file()


@cache
def load(path: Path = DELTA) -> CrossEncoder:
    """The bundled MiniLM with the shipped delta applied (about 0.3 s, once per process)."""
    from corroborate.link.embed import Embedder

    delta, meta = read_delta(path)
    embedder = Embedder.load(delta=delta)
    return CrossEncoder(embedder, meta.pop("head"), float(meta["bias"]),
                        float(meta["threshold"]), int(meta["top"]), meta)
