"""Fine-tune MiniLM's top layer as a statement–proposition cross-encoder on our own gold, and
measure it leave one story out against the learned linker's head one.

    .venv/bin/pip install /opt/wheels/torch-2.13.0+cpu-*.whl     # training only, CPU wheel
    .venv/bin/python bench/train_link_xenc.py --folds balloon covid-origins   # some folds
    .venv/bin/python bench/train_link_xenc.py                    # all five folds, no write
    .venv/bin/python bench/train_link_xenc.py --write            # + fit on all, write delta
    .venv/bin/python bench/train_link_xenc.py --held-out         # print kabul, gaza (once)

torch is needed here only; inference (`link/xenc.py`) is numpy. Data: the gold statements of
the development stories (`tests/gold/stories.py::development_names()`, never HELD_OUT), each
paired with propositions of its story (`tests/gold/link_pairs.py`), nothing else.

Training pairs of a story: every proposition for a statement with at least one gold link
(the siblings are the hard negatives the error analysis asks for), and the `TRAIN_TOP`
propositions nearest by MiniLM cosine for a statement with none. Each story weighs the same.
The bottom layers are frozen, so their output per pair is computed once (and cached on disk
in $XENC_CACHE) and only the top `TRAINABLE` layer(s) and the head are trained: one epoch is
then a sixth of a full fine-tune. Seeded, one thread order: the same run gives the same delta.

Evaluation of a fold: head one (`bench/train_link.py`, fitted on the same training stories)
ranks each statement's propositions; the cross-encoder scores the top `TOP`, and a pair is
linked when its probability clears a threshold chosen on the training stories' own
out-of-fold probabilities (each from the fold that held that story out); stance and the
frame's veto as in `learned.link_pairs`. "stacked" adds the cross-encoder's logit to head
one's features instead, fitted on the same out-of-fold scores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import train_link as tl
from corroborate.link import learned, xenc
from corroborate.link.embed import Embedder, model_dir
from gold.link_pairs import score_pairs

TRAIN = tl.TRAIN
HELD_OUT = tl.HELD_OUT
TRAINABLE = 1  # top layers fine-tuned
TRAIN_TOP = 4  # propositions per unlinked statement among the training negatives
TOP = 3  # candidates per statement at inference
EPOCHS = 2
BATCH = 32
# Learning rates (env XENC_LR / XENC_LR_HEAD for the study's second setting).
LR_LAYER = float(os.environ.get("XENC_LR", "1e-4"))
LR_HEAD = float(os.environ.get("XENC_LR_HEAD", "2e-3"))
SEED = 13
CACHE = Path(os.environ.get("XENC_CACHE", "/tmp/xenc-states"))


# ----------------------------------------------------------------------------- the network


def torch_modules() -> Any:
    """MiniLM in torch, laid out like the safetensors file (so deltas keep its names)."""
    import torch
    from torch import nn

    class Layer(nn.Module):
        def __init__(self, h: int, heads: int, inner: int, eps: float) -> None:
            super().__init__()
            self.heads = heads
            self.query = nn.Linear(h, h)
            self.key = nn.Linear(h, h)
            self.value = nn.Linear(h, h)
            self.dense = nn.Linear(h, h)
            self.ln1 = nn.LayerNorm(h, eps=eps)
            self.inner = nn.Linear(h, inner)
            self.outer = nn.Linear(inner, h)
            self.ln2 = nn.LayerNorm(h, eps=eps)

        def names(self, i: int) -> dict[str, Any]:
            p = f"encoder.layer.{i}."
            out = {}
            for mod, name in ((self.query, "attention.self.query"),
                              (self.key, "attention.self.key"),
                              (self.value, "attention.self.value"),
                              (self.dense, "attention.output.dense"),
                              (self.ln1, "attention.output.LayerNorm"),
                              (self.inner, "intermediate.dense"),
                              (self.outer, "output.dense"),
                              (self.ln2, "output.LayerNorm")):
                out[p + name + ".weight"] = mod.weight
                out[p + name + ".bias"] = mod.bias
            return out

        def forward(self, x: Any, bias: Any) -> Any:
            b, n, h = x.shape
            d = h // self.heads

            def split(t: Any) -> Any:
                return t.view(b, n, self.heads, d).transpose(1, 2)

            q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
            att = (q @ k.transpose(-1, -2)) / math.sqrt(d) + bias
            ctx = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, n, h)
            x = self.ln1(self.dense(ctx) + x)
            return self.ln2(self.outer(nn.functional.gelu(self.inner(x))) + x)

    return torch, nn, Layer


@dataclass
class Base:
    """The bundled MiniLM in torch: embeddings, layers, and the config."""

    torch: Any
    word: Any
    pos_type: Any
    emb_ln: Any
    layers: list[Any]
    tensors: dict[str, np.ndarray]
    layer_cls: Any


def load_base() -> Base:
    from safetensors.numpy import load_file

    torch, nn, layer_cls = torch_modules()
    torch.manual_seed(SEED)
    folder = model_dir()
    assert folder is not None, "the MiniLM weights are not installed"
    cfg = json.loads((folder / "config.json").read_text())
    tensors = load_file(str(folder / "model.safetensors"))
    if all(k.startswith("bert.") for k in tensors):
        tensors = {k[5:]: v for k, v in tensors.items()}
    h = cfg["hidden_size"]
    layers = []
    for i in range(cfg["num_hidden_layers"]):
        layer = layer_cls(h, cfg["num_attention_heads"], cfg["intermediate_size"],
                          cfg["layer_norm_eps"])
        with torch.no_grad():
            for name, param in layer.names(i).items():
                param.copy_(torch.from_numpy(tensors[name].astype(np.float32)))
        layer.requires_grad_(False)
        layers.append(layer)
    word = torch.from_numpy(tensors["embeddings.word_embeddings.weight"].astype(np.float32))
    pos = tensors["embeddings.position_embeddings.weight"].astype(np.float32)
    pos_type = torch.from_numpy(pos + tensors["embeddings.token_type_embeddings.weight"][0])
    emb_ln = nn.LayerNorm(h, eps=cfg["layer_norm_eps"])
    with torch.no_grad():
        emb_ln.weight.copy_(torch.from_numpy(tensors["embeddings.LayerNorm.weight"]))
        emb_ln.bias.copy_(torch.from_numpy(tensors["embeddings.LayerNorm.bias"]))
    emb_ln.requires_grad_(False)
    return Base(torch, word, pos_type, emb_ln, layers, tensors, layer_cls)


def _pad(torch: Any, rows: list[Any]) -> tuple[Any, Any, Any]:
    """Stack (n_i, h) rows into (B, L, h) with the additive attention bias and the mask."""
    width = max(len(r) for r in rows)
    h = rows[0].shape[1]
    x = torch.zeros(len(rows), width, h)
    mask = torch.zeros(len(rows), width)
    for i, r in enumerate(rows):
        x[i, :len(r)] = r
        mask[i, :len(r)] = 1
    bias = (1.0 - mask)[:, None, None, :] * torch.finfo(torch.float32).min
    return x, bias, mask


def bottom_states(base: Base, ids: list[list[int]]) -> list[Any]:
    """Output of the frozen layers (all but the top TRAINABLE) per pair, float16, cached on
    disk by the ids' hash."""
    torch = base.torch
    CACHE.mkdir(parents=True, exist_ok=True)
    frozen = len(base.layers) - TRAINABLE
    keys = [hashlib.sha1(f"{frozen}:{row}".encode()).hexdigest() for row in ids]
    store = CACHE / f"bottom{frozen}.pt"
    have: dict[str, Any] = torch.load(store) if store.exists() else {}
    todo = sorted({k: row for k, row in zip(keys, ids, strict=True) if k not in have}.items(),
                  key=lambda kv: len(kv[1]))
    with torch.inference_mode():
        for lo in range(0, len(todo), 64):
            chunk = todo[lo:lo + 64]
            rows = [base.word[torch.tensor(r)] + base.pos_type[:len(r)] for _, r in chunk]
            x, bias, _ = _pad(torch, rows)
            x = base.emb_ln(x)
            for layer in base.layers[:frozen]:
                x = layer(x, bias)
            for (k, r), state in zip(chunk, x, strict=True):
                have[k] = state[:len(r)].to(torch.float16).clone()
    if todo:  # atomically: another run may be reading it
        part = store.with_suffix(f".{os.getpid()}.part")
        torch.save(have, part)
        part.replace(store)
    return [have[k] for k in keys]


class Model:
    """The trainable top layer(s) and the head, started from the bundled weights."""

    def __init__(self, base: Base, seed: int = SEED) -> None:
        import copy

        torch = base.torch
        torch.manual_seed(seed)
        self.base = base
        self.top = [copy.deepcopy(layer).requires_grad_(True)
                    for layer in base.layers[-TRAINABLE:]]
        self.head = torch.nn.Linear(base.word.shape[1], 1)
        with torch.no_grad():
            self.head.weight.normal_(0.0, 0.02)
            self.head.bias.zero_()

    def parameters(self) -> list[Any]:
        return [p for layer in self.top for p in layer.parameters()]

    def logits(self, states: list[Any]) -> Any:
        torch = self.base.torch
        x, bias, mask = _pad(torch, [s.float() for s in states])
        for layer in self.top:
            x = layer(x, bias)
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True)
        pooled = torch.nn.functional.normalize(pooled, dim=-1)
        return self.head(pooled).squeeze(-1)

    def score(self, states: list[Any]) -> np.ndarray:
        torch = self.base.torch
        out = []
        order = np.argsort([len(s) for s in states], kind="stable")
        with torch.inference_mode():
            for lo in range(0, len(order), 64):
                idx = order[lo:lo + 64]
                out.append((idx, self.logits([states[i] for i in idx]).numpy()))
        z = np.zeros(len(states))
        for idx, vals in out:
            z[idx] = vals
        return z

    def delta(self) -> dict[str, np.ndarray]:
        """Fine-tuned minus bundled, per tensor of the trained layers."""
        first = len(self.base.layers) - TRAINABLE
        out = {}
        for j, layer in enumerate(self.top):
            for name, param in layer.names(first + j).items():
                out[name] = (param.detach().numpy() - self.base.tensors[name]).astype(np.float16)
        return out


def train_model(base: Base, states: list[Any], y: np.ndarray, w: np.ndarray,
                seed: int = SEED, log: str = "") -> Model:
    """AdamW, linear warm-up and decay, EPOCHS over the pairs in a seeded order."""
    torch = base.torch
    model = Model(base, seed)
    opt = torch.optim.AdamW([{"params": model.parameters(), "lr": LR_LAYER},
                             {"params": list(model.head.parameters()), "lr": LR_HEAD}],
                            weight_decay=0.01)
    rng = np.random.default_rng(seed)
    steps = EPOCHS * math.ceil(len(y) / BATCH)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    yt = torch.tensor(y, dtype=torch.float32)
    wt = torch.tensor(w / w.mean(), dtype=torch.float32)
    started = time.perf_counter()
    for epoch in range(EPOCHS):
        order = rng.permutation(len(y))
        total = 0.0
        for lo in range(0, len(order), BATCH):
            idx = order[lo:lo + BATCH]
            z = model.logits([states[i] for i in idx])
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(
                z, yt[idx], reduction="none") * wt[idx]).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach()) * len(idx)
        print(f"  {log} epoch {epoch + 1}: loss {total / len(y):.4f} "
              f"({time.perf_counter() - started:.0f}s)", file=sys.stderr, flush=True)
    return model


def trained(base: Base, states: list[Any], y: np.ndarray, w: np.ndarray, name: str
            ) -> Model:
    """`train_model`, kept in CACHE by the fold and the settings (reruns that only change
    the evaluation retrain nothing)."""
    torch = base.torch
    tag = hashlib.sha1(json.dumps([name, TRAINABLE, TRAIN_TOP, EPOCHS, BATCH, LR_LAYER,
                                   LR_HEAD, SEED, len(y), float(y.sum())]).encode()).hexdigest()
    where = CACHE / f"model-{name}-{tag[:12]}.pt"
    if where.exists():
        model = Model(base)
        saved = torch.load(where)
        for layer, state in zip(model.top, saved["top"], strict=True):
            layer.load_state_dict(state)
        model.head.load_state_dict(saved["head"])
        return model
    model = train_model(base, states, y, w, log=name)
    torch.save({"top": [layer.state_dict() for layer in model.top],
                "head": model.head.state_dict()}, where)
    return model


# ----------------------------------------------------------------------------- the data


@dataclass
class Story:
    data: tl.StoryData
    texts: dict[tuple[int, int], tuple[str, str, str]]  # (claim, proposition) -> triple

    @property
    def name(self) -> str:
        return self.data.gold.story

    def linked(self) -> set[tuple[int, int]]:
        g = self.data.gold
        return {(n, m) for n, c in enumerate(g.claims) for m, p in enumerate(g.propositions)
                if (c.statement_id, p.id) in g.labels}

    def triple(self, n: int, m: int) -> tuple[str, str, str]:
        g = self.data.gold
        return (g.propositions[m].statement, *xenc.statement_texts(g.claims[n]))

    def training_pairs(self) -> list[tuple[int, int]]:
        g = self.data.gold
        gold = self.linked()
        with_link = {n for n, _ in gold}
        cos = np.maximum(self.data.vectors.content @ self.data.vectors.propositions.T,
                         self.data.vectors.context @ self.data.vectors.propositions.T)
        out = []
        for n in range(len(g.claims)):
            if n in with_link:
                out += [(n, m) for m in range(len(g.propositions))]
            else:
                out += [(n, int(m)) for m in np.argsort(-cos[n], kind="stable")[:TRAIN_TOP]]
        return out


def candidates(model: learned.LinkModel, story: Story, top: int = TOP
               ) -> list[tuple[int, int]]:
    """Each statement's `top` propositions by head one, as `learned.link_pairs` picks them."""
    probs = model.link_probability(story.data.x[:, :len(learned.LINK_FEATURES)])
    return learned.top_pairs(story.data.pairs, probs, top)


class States:
    """Frozen-layer states of (story, claim, proposition) pairs, tokenised once."""

    def __init__(self, base: Base, tokenize: Any) -> None:
        self.base = base
        self.tokenize = tokenize
        self.rows: dict[tuple[str, int, int], Any] = {}

    def get(self, story: Story, pairs: list[tuple[int, int]]) -> list[Any]:
        todo = [p for p in pairs if (story.name, *p) not in self.rows]
        if todo:
            ids = xenc.pair_ids(self.tokenize, [story.triple(n, m) for n, m in todo])
            for p, s in zip(todo, bottom_states(self.base, ids), strict=True):
                self.rows[(story.name, *p)] = s
        return [self.rows[(story.name, *p)] for p in pairs]


def training_set(states: States, stories: list[Story]
                 ) -> tuple[list[Any], np.ndarray, np.ndarray]:
    xs: list[Any] = []
    ys, ws = [], []
    for s in stories:
        pairs = s.training_pairs()
        gold = s.linked()
        xs += states.get(s, pairs)
        ys.append(np.array([float(p in gold) for p in pairs]))
        ws.append(np.full(len(pairs), 1000.0 / len(pairs)))
    return xs, np.concatenate(ys), np.concatenate(ws)


# ----------------------------------------------------------------------------- scoring


class Scorer:
    """A fold's cross-encoder as `learned.link_pairs` takes it, from cached torch states."""

    def __init__(self, model: Model, states: States, story: Story, threshold: float,
                 top: int = TOP) -> None:
        self.model, self.states, self.story = model, states, story
        self.threshold, self.top = threshold, top

    def score(self, propositions: Any, claims: Any, pairs: list[tuple[int, int]]
              ) -> np.ndarray:
        z = self.model.score(self.states.get(self.story, pairs))
        return 1.0 / (1.0 + np.exp(-z))


class Stacked:
    """Head one's features plus the cross-encoder's probability in one logistic model, fitted
    on the training stories' out-of-fold cross-encoder probabilities; scores the same
    candidates as `Scorer`."""

    def __init__(self, stories: list[Story], oof: dict[str, dict[tuple[int, int], float]]
                 ) -> None:
        n = len(learned.LINK_FEATURES)
        xs, ys, ws = [], [], []
        for s in stories:
            got = oof[s.name]
            xs.append(np.hstack([s.data.x[:, :n],
                                 np.array([[got.get(p, 0.0)] for p in s.data.pairs])]))
            ys.append((s.data.y > 0).astype(int))
            ws.append(np.full(len(s.data.y), 1000.0 / len(s.data.y)))
        x = np.vstack(xs)
        self.mean, self.scale = x.mean(axis=0), x.std(axis=0) + 1e-9
        design = np.hstack([(x - self.mean) / self.scale, np.ones((len(x), 1))])
        self.w = learned.fit_softmax(design, np.concatenate(ys), 2, 10.0, np.concatenate(ws))

    def probability(self, x: np.ndarray, p_xenc: np.ndarray) -> np.ndarray:
        z = (np.hstack([x, p_xenc[:, None]]) - self.mean) / self.scale
        return learned.softmax(np.hstack([z, np.ones((len(z), 1))]) @ self.w)[:, 1]


class StackedScorer:
    """`Stacked` on one story's candidates, as `learned.link_pairs` takes a cross-encoder."""

    def __init__(self, stacked: Stacked, inner: Scorer, story: Story, threshold: float
                 ) -> None:
        self.stacked, self.inner, self.story = stacked, inner, story
        self.threshold, self.top = threshold, inner.top
        self.row = {p: i for i, p in enumerate(story.data.pairs)}

    def score(self, propositions: Any, claims: Any, pairs: list[tuple[int, int]]
              ) -> np.ndarray:
        x = self.story.data.x[[self.row[p] for p in pairs], :len(learned.LINK_FEATURES)]
        return self.stacked.probability(x, self.inner.score(propositions, claims, pairs))


def link(head: learned.LinkModel, story: Story, scorer: Any) -> list[Any]:
    g = story.data.gold
    return learned.link_pairs(g.propositions, g.claims, story.data.vectors, head,
                              cross=scorer)


def best_threshold(rows: list[tuple[np.ndarray, np.ndarray, int]]) -> float:
    """The cut with the best mean F1 over stories: (probabilities of the candidates, whether
    each is a gold link, the story's gold link count)."""
    best = (0.5, -1.0)
    for t in np.round(np.arange(0.05, 0.951, 0.025), 3):
        f = float(np.mean([tl._f1(p, y.astype(int), g, float(t)) for p, y, g in rows]))
        if f > best[1] + 1e-9:
            best = (float(t), f)
    return best[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", nargs="*", default=None, help="development stories held "
                        "out in turn (default: all)")
    parser.add_argument("--write", action="store_true", help="fit on all development "
                        "stories and write src/corroborate/link/data/link_xenc.npz")
    parser.add_argument("--held-out", action="store_true", help="also print kabul and "
                        "gaza-hospital with the shipped delta (only at the end)")
    parser.add_argument("--json", type=Path, default=None, help="write the rows here")
    parser.add_argument("--fit-only", action="store_true", help="only train the model on "
                        "every development story into $XENC_CACHE (for a later --write)")
    args = parser.parse_args()
    torch = __import__("torch")
    torch.set_num_threads(int(os.environ.get("XENC_THREADS", "2")))
    torch.use_deterministic_algorithms(True)
    encode = tl.CachedEncoder()
    names = list(TRAIN) + (list(HELD_OUT) if args.held_out else [])
    stories = {n: Story(tl.story_data(n, encode), {}) for n in names}
    encode.save()
    base = load_base()
    tokenizer = Embedder.load().tokenize
    states = States(base, tokenizer)
    if args.fit_only:
        xs, y, w = training_set(states, [stories[n] for n in TRAIN])
        trained(base, xs, y, w, "all")
        return
    folds = args.folds or list(TRAIN)
    results: dict[str, Any] = {}
    oof: dict[str, tuple[np.ndarray, np.ndarray, int]] = {}
    fold_models: dict[str, tuple[Model, learned.LinkModel]] = {}
    oof_pairs: dict[str, list[tuple[int, int]]] = {}
    for held in folds:
        train = [stories[n] for n in TRAIN if n != held]
        xs, y, w = training_set(states, train)
        print(f"fold {held}: {len(y)} pairs, {int(y.sum())} links", file=sys.stderr)
        model = trained(base, xs, y, w, held)
        head, _ = tl.train([s.data for s in train])
        story = stories[held]
        cand = candidates(head, story)
        gold = story.linked()
        probs = Scorer(model, states, story, 0.5).score([], [], cand)
        oof[held] = (probs, np.array([p in gold for p in cand]), len(gold))
        oof_pairs[held] = cand
        fold_models[held] = (model, head)
        recall = len(set(cand) & gold) / max(len(gold), 1)
        auc = _auc(probs, oof[held][1])
        where = {p: i for i, p in enumerate(story.data.pairs)}
        one = head.link_probability(story.data.x[[where[p] for p in cand],
                                                 :len(learned.LINK_FEATURES)])
        results[held] = {"candidates": len(cand), "candidate_recall": round(recall, 4),
                         "candidate_auc": round(auc, 4),
                         "head_one_auc": round(_auc(one, oof[held][1]), 4),
                         "baseline": score_pairs(story.data.gold,
                                                 tl.predict(head, story.data)).as_dict()}
    for held in folds:
        model, head = fold_models[held]
        story = stories[held]
        others = [oof[n] for n in folds if n != held]
        t = best_threshold(others) if others else 0.5
        for name, cut in (("xenc", t), ("xenc@0.5", 0.5)):
            scored = score_pairs(story.data.gold,
                                 link(head, story, Scorer(model, states, story, cut)))
            results[held][name] = {**scored.as_dict(), "threshold": cut}
        # Stacked: fitted on the other folds' out-of-fold probabilities; cut from them too.
        others_named = [n for n in folds if n != held]
        if others_named:
            named = {n: dict(zip(oof_pairs[n], oof[n][0].tolist(), strict=True))
                     for n in folds}
            stacked = Stacked([stories[n] for n in others_named], named)
            rows = []
            for n in others_named:
                s = stories[n]
                where = {p: i for i, p in enumerate(s.data.pairs)}
                x = s.data.x[[where[p] for p in oof_pairs[n]], :len(learned.LINK_FEATURES)]
                rows.append((stacked.probability(x, oof[n][0]), oof[n][1], oof[n][2]))
            cut = best_threshold(rows)
            scorer = StackedScorer(stacked, Scorer(model, states, story, cut), story, cut)
            scored = score_pairs(story.data.gold, link(head, story, scorer))
            results[held]["stacked"] = {**scored.as_dict(), "threshold": cut}
    _table(results)
    if args.write:
        # The cut from the folds run (each fold's own out-of-fold probabilities).
        cut = best_threshold([oof[n] for n in folds])
        xs, y, w = training_set(states, [stories[n] for n in TRAIN])
        model = trained(base, xs, y, w, "all")
        write(model, cut, [stories[n] for n in TRAIN])
        results["shipped"] = {"threshold": cut, "trained_on": list(TRAIN),
                              "numpy_vs_torch": check_numpy(model, states, stories)}
        print(f"wrote {xenc.DELTA} ({xenc.DELTA.stat().st_size / 1e6:.2f} MB), cut {cut}, "
              f"numpy vs torch max |dP| {results['shipped']['numpy_vs_torch']:.2e}")
    if args.held_out:
        results["held_out"] = held_out_rows([stories[n] for n in HELD_OUT])
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


def write(model: Model, threshold: float, stories: list[Story]) -> None:
    """The shipped file: float16 deltas of the trained layer(s), the head, the cut."""
    meta = {"version": 1, "bias": float(model.head.bias.detach()[0]), "threshold": threshold,
            "top": TOP, "trainable_layers": TRAINABLE, "trained_on": [s.name for s in stories],
            "settings": {"epochs": EPOCHS, "batch": BATCH, "lr_layer": LR_LAYER,
                         "lr_head": LR_HEAD, "seed": SEED, "train_top": TRAIN_TOP}}
    xenc.save(xenc.DELTA, model.delta(), model.head.weight.detach().numpy()[0], meta)


def check_numpy(model: Model, states: States, stories: dict[str, Story]) -> float:
    """Largest difference between the numpy path (`link/xenc.py`, reading the written file)
    and torch on 200 training pairs: the test CI cannot run."""
    xenc.load.cache_clear()
    shipped = xenc.load()
    worst = 0.0
    for name in TRAIN[:2]:
        s = stories[name]
        pairs = s.training_pairs()[:100]
        z = model.score(states.get(s, pairs))
        g = s.data.gold
        p = shipped.score(g.propositions, g.claims, pairs)
        worst = max(worst, float(np.abs(p - 1.0 / (1.0 + np.exp(-z))).max()))
    return worst


def held_out_rows(stories: list[Story]) -> dict[str, Any]:
    """The held-out stories with the shipped head one and cross-encoder (numpy, as `link`
    runs it), beside head one alone; printed once, never used to choose anything."""
    out: dict[str, Any] = {}
    xenc.load.cache_clear()
    for s in stories:
        g = s.data.gold
        head_only = learned.link_pairs(g.propositions, g.claims, s.data.vectors)
        started = time.perf_counter()
        both = learned.link_pairs(g.propositions, g.claims, s.data.vectors, cross=xenc.load())
        spent = time.perf_counter() - started
        out[s.name] = {"head_one": score_pairs(g, head_only).as_dict(),
                       "xenc": score_pairs(g, both).as_dict(),
                       "statements_per_s_embedded": round(len(g.claims) / spent, 1)}
        for method in ("head_one", "xenc"):
            r = out[s.name][method]
            print(f"{s.name:14s}{method:12s}{r['precision']:7.3f}{r['recall']:7.3f}"
                  f"{r['f1']:7.3f}{r['stance_accuracy']:8.3f}{int(r['predicted']):7d}"
                  f"{int(r['gold']):6d}")
        print(f"{'':14s}{out[s.name]['statements_per_s_embedded']} statements/s "
              "(cross-encoder step, statements already embedded)")
    return out


def _auc(scores: np.ndarray, positive: np.ndarray) -> float:
    """P(a gold link outscores a non-link) among the candidates (ties count as losses)."""
    pos, neg = scores[positive], scores[~positive]
    return float((pos[:, None] > neg[None, :]).mean()) if len(pos) and len(neg) else 0.0


def _table(results: dict[str, Any]) -> None:
    print(f"{'held out':14s}{'method':12s}{'P':>7s}{'R':>7s}{'F1':>7s}{'stance':>8s}"
          f"{'links':>7s}{'gold':>6s}  cut")
    means: dict[str, list[float]] = {}
    for name, r in results.items():
        if name in ("shipped", "held_out"):
            continue
        for method in ("baseline", "xenc", "xenc@0.5", "stacked"):
            if method not in r:
                continue
            s = r[method]
            means.setdefault(method, []).append(s["f1"])
            print(f"{name:14s}{method:12s}{s['precision']:7.3f}{s['recall']:7.3f}"
                  f"{s['f1']:7.3f}{s['stance_accuracy']:8.3f}{int(s['predicted']):7d}"
                  f"{int(s['gold']):6d}  {s.get('threshold', '')}")
        print(f"{'':14s}candidates {r['candidates']}, keeping {r['candidate_recall']:.3f} "
              f"of the gold links; AUC on them: cross-encoder {r['candidate_auc']:.3f}, "
              f"head one {r['head_one_auc']:.3f}")
    for method, fs in means.items():
        print(f"mean F1 {method}: {np.mean(fs):.3f} over {len(fs)} folds")


if __name__ == "__main__":
    main()
