"""Which evidence tells whether a statement bears on a proposition, on stories nobody prepared:
candidate features of the learned linker's head one, scored leave one story out.

    .venv/bin/python bench/link_study.py              # the table of feature sets
    .venv/bin/python bench/link_study.py --select     # forward selection from the pool

Development stories only (kursk, balloon, covid-origins): each is left out in turn, a
logistic "bears on" model is fitted on the other two (each story weighing the same), the
cut-off is the one with the best mean F1 on those two, and the link F1 of the story left out
is reported (the frame veto of `stance_on` applied, as `learned.link_pairs` does). Every pair
of a gold statement with each proposition is scored (no retrieval cut). **kabul is never
read here.** Token vectors are cached in $CORROBORATE_TOKEN_CACHE
(default /tmp/corroborate-link-tokens.pkl).

Candidates:

- `cos_c`, `cos_s`, `cos_g`, `cos_q`, `cos_d`: MiniLM cosine of the proposition with the
  statement's content, sentence, paragraph, the question its turn answers (`link/context.py`;
  0 when none, `has_q` says so) and its document's centroid;
- `bert_*`: BERTScore-style recall of the proposition's content word pieces (contextual
  token vectors, idf over the ledger) in the content / sentence / paragraph / question;
- `lex_*`: the idf share of the proposition's content word pieces repeated exactly
  (`link/lexical.py`); `anchor_*`: whether its rarest piece is;
- suffixes `_margin` (minus the best sibling proposition), `_z` (z-score within the
  proposition over the ledger).
"""

from __future__ import annotations

import argparse
import math
import os
import pickle
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from corroborate.link import lexical
from corroborate.link.frames import frames
from corroborate.link.learned import fit_softmax, plain, softmax
from corroborate.link.propositions import stance_on
from gold.link_pairs import gold_pairs

DEV = ("kursk", "balloon", "covid-origins")
CACHE = Path(os.environ.get("CORROBORATE_TOKEN_CACHE", "/tmp/corroborate-link-tokens.pkl"))
SETS: dict[str, list[str]] = {
    "cosine, margin (the linker before)": ["cos_cs", "cos_c_margin", "cos_sq"],
    "cosine content only": ["cos_c"],
    "+ sentence": ["cos_c", "cos_cs"],
    "+ paragraph": ["cos_c", "cos_cs", "cos_g"],
    "+ question": ["cos_c", "cos_cs", "cos_q", "has_q"],
    "+ document centroid": ["cos_c", "cos_cs", "cos_d"],
    "+ BERTScore recall": ["cos_c", "cos_cs", "bert_s", "bert_s_margin"],
    "+ z-scores": ["cos_c", "cos_cs", "cos_s_z", "bert_s_z"],
    "+ exact piece overlap": ["cos_c", "cos_cs", "lex_s"],
    "+ overlap margin (shipped)": ["cos_c", "cos_cs", "lex_s_margin"],
    "shipped + question": ["cos_c", "cos_cs", "lex_s_margin", "cos_q", "has_q"],
    "shipped + BERTScore": ["cos_c", "cos_cs", "lex_s_margin", "bert_s"],
    "everything": ["cos_c", "cos_cs", "cos_g", "cos_q", "has_q", "cos_d", "bert_c", "bert_s",
                   "bert_q", "lex_s", "lex_s_margin", "anchor_s", "lex_q"],
}


class TokenCache:
    """Pooled and token vectors per text, on disk between runs."""

    def __init__(self, path: Path = CACHE) -> None:
        self.path = path
        self.rows: dict[str, Any] = pickle.loads(path.read_bytes()) if path.exists() else {}
        self.embedder: Any = None

    def __call__(self, texts: list[str]) -> list[Any]:
        todo = [t for t in dict.fromkeys(texts) if t and t not in self.rows]
        if todo:
            if self.embedder is None:
                from corroborate.link.embed import Embedder

                self.embedder = Embedder.load()
            pooled, tokens = self.embedder.encode_tokens(todo)
            for text, vector, (ids, rows) in zip(todo, pooled, tokens, strict=True):
                self.rows[text] = (vector, np.asarray(ids), rows)
            self.path.write_bytes(pickle.dumps(self.rows))
        return [self.rows[t] if t else None for t in texts]


def _recall(props: list[Any], keep: list[Any], weights: list[Any], texts: list[Any]
            ) -> tuple[Any, Any, Any]:
    n, m = len(texts), len(props)
    bert, lex, anchor = np.zeros((n, m)), np.zeros((n, m)), np.zeros((n, m))
    for i, entry in enumerate(texts):
        if entry is None:
            continue
        ids, rows = set(entry[1].tolist()), entry[2]
        for j, prop in enumerate(props):
            w = weights[j] * keep[j]
            if w.sum() <= 0:
                continue
            bert[i, j] = (w * (prop[2] @ rows.T).max(axis=1)).sum() / w.sum()
            hit = np.array([int(t) in ids for t in prop[1]])
            lex[i, j] = (w * hit).sum() / w.sum()
            anchor[i, j] = (w * hit).max() / w.max()
    return bert, lex, anchor


def story(name: str, tokens: TokenCache) -> dict[str, Any]:
    """Candidate features (claims x propositions), labels and the frame veto of a story."""
    from corroborate.link.lexical import _tokenizer

    gold = gold_pairs(name)
    claims, props = gold.claims, [p.statement for p in gold.propositions]
    texts = {"c": [plain(c.content) for c in claims],
             "s": [c.context or c.content for c in claims],
             "g": [c.paragraph or c.context for c in claims],
             "q": [c.question for c in claims]}
    got = {k: tokens(v) for k, v in texts.items()}
    ep = tokens(props)
    vp = np.stack([e[0] for e in ep])

    def pooled(entries: list[Any]) -> Any:
        return np.stack([e[0] if e is not None else np.zeros(vp.shape[1]) for e in entries])

    f: dict[str, Any] = {f"cos_{k}": pooled(v) @ vp.T for k, v in got.items()}
    n, m = len(claims), len(props)
    f["has_q"] = np.repeat(np.array([bool(q) for q in texts["q"]], float)[:, None], m, 1)
    f["cos_cs"] = np.maximum(f["cos_c"], f["cos_s"])
    f["cos_sq"] = f["cos_c"] ** 2
    docs = [c.document for c in claims]
    centroid = np.zeros((n, vp.shape[1]))
    vc = pooled(got["c"])
    for doc in set(docs):
        rows = [i for i, d in enumerate(docs) if d == doc]
        mean = vc[rows].mean(axis=0)
        centroid[rows] = mean / (np.linalg.norm(mean) + 1e-9)
    f["cos_d"] = centroid @ vp.T
    df: dict[int, int] = {}
    for a, b in zip(got["c"], got["s"], strict=True):
        for t in set(a[1].tolist()) | set(b[1].tolist()):
            df[t] = df.get(t, 0) + 1
    vocab = _tokenizer()
    keep = [np.array([lexical._content_piece(vocab.id_to_token(int(t))) for t in e[1]])
            for e in ep]
    weights = [np.array([math.log((n + 1) / (df.get(int(t), 0) + 1)) for t in e[1]])
               for e in ep]
    for k in ("c", "s", "g", "q"):
        f[f"bert_{k}"], f[f"lex_{k}"], f[f"anchor_{k}"] = _recall(ep, keep, weights, got[k])
    for k in ("cos_c", "cos_s", "bert_s", "lex_s", "cos_q"):
        f[f"{k}_margin"] = lexical.margin(f[k])
        f[f"{k}_z"] = (f[k] - f[k].mean(axis=0)) / (f[k].std(axis=0) + 1e-9)
    read = frames([(p.id, p.statement) for p in gold.propositions])
    y = np.array([[gold.label(c.statement_id, p.id) != "none" for p in gold.propositions]
                  for c in claims])
    veto = np.array([[stance_on(read[p.id], c) is None for p in gold.propositions]
                     for c in claims])
    return {"f": f, "y": y.reshape(-1), "veto": veto.reshape(-1), "gold": len(gold.labels)}


def _x(s: dict[str, Any], feats: list[str]) -> Any:
    return np.stack([s["f"][k].reshape(-1) for k in feats], axis=1)


def _f1(p: Any, y: Any, gold: int, t: float) -> float:
    got = p >= t
    hit = int((got & y).sum())
    prec, rec = hit / max(int(got.sum()), 1), hit / max(gold, 1)
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


CUTS = np.round(np.arange(0.05, 0.9, 0.025), 3)


def held_out(data: dict[str, Any], feats: list[str], l2: float = 10.0) -> dict[str, float]:
    """Link F1 of each development story left out."""
    out = {}
    for held in DEV:
        train = [data[n] for n in DEV if n != held]
        x = np.vstack([_x(s, feats) for s in train])
        y = np.concatenate([s["y"] for s in train]).astype(int)
        w = np.concatenate([np.full(len(s["y"]), 1000.0 / len(s["y"])) for s in train])
        mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
        weights = fit_softmax(np.hstack([(x - mean) / scale, np.ones((len(x), 1))]), y, 2,
                              l2, w)

        def prob(s: dict[str, Any], mean: Any = mean, scale: Any = scale,
                 weights: Any = weights) -> Any:
            z = (_x(s, feats) - mean) / scale
            p = softmax(np.hstack([z, np.ones((len(z), 1))]) @ weights)[:, 1]
            return np.where(s["veto"], 0.0, p)

        cut = max(CUTS, key=lambda t: np.mean([_f1(prob(s), s["y"], s["gold"], t)
                                               for s in train]))
        out[held] = _f1(prob(data[held]), data[held]["y"], data[held]["gold"], cut)
    out["mean"] = float(np.mean([out[n] for n in DEV]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--select", action="store_true", help="forward selection")
    args = parser.parse_args()
    tokens = TokenCache()
    data = {name: story(name, tokens) for name in DEV}
    if args.select:
        pool = sorted(data[DEV[0]]["f"])
        chosen: list[str] = []
        best = -1.0
        while True:
            scored = sorted(((held_out(data, [*chosen, k])["mean"], k) for k in pool
                             if k not in chosen), reverse=True)
            if not scored or scored[0][0] <= best + 0.002:
                break
            best, pick = scored[0]
            chosen.append(pick)
            print(f"+ {pick:16s} mean held-out F1 {best:.3f}", flush=True)
        return
    print(f"{'features':38s}" + "".join(f"{n:>15s}" for n in (*DEV, "mean")))
    for label, feats in SETS.items():
        r = held_out(data, feats)
        print(f"{label:38s}" + "".join(f"{r[n]:15.3f}" for n in (*DEV, "mean")), flush=True)


if __name__ == "__main__":
    main()
