"""Train the learned stance head (`link/stance_model.py`) on our own development gold links,
leave one story out, and write its weights.

    .venv/bin/python bench/train_stance_head.py            # LOSO report, then fit all, write
    .venv/bin/python bench/train_stance_head.py --dry-run  # LOSO report only

Data: every gold statement–proposition link of every development story
(`tests/gold/stories.py::development_names()`: every story that is not held out, so a story
annotated later is trained on by rerunning this one command). The held-out stories (kabul,
gaza-hospital) are never read here. Each link is a row of `stance_model.features` (the rules'
readings of the gold claim, as `bench/stance_gold.py` builds it) with the gold stance as label.

The head reads the lexical stance model's probabilities (`link/stance.py`), whose shipped
weights are fitted on these same stories (`bench/train_stance.py`). Read in sample, those
probabilities are as sure of a story as a model that has seen it, so a head trained on them
learns to trust them more than they deserve on a story nobody annotated. Each story's rows are
therefore read with the lexical weights refitted without that story (same L2 and class
weighting as the shipped ones; the seed pairs always in): out-of-fold, as stacking needs, which
is how the shipped weights stand to a new story.

Model: multinomial logistic regression, L2-penalised, fitted by full-batch gradient descent
from zeros (deterministic: no random state). The penalty and whether each story weighs the same
are chosen by the mean over the development stories of the leave-one-story-out accuracy (each
story held out in turn, the head fitted on the others), so a large story does not outweigh a
small one; the report prints, per held-out development story, the rules' accuracy beside the
head's, the pooled figure, and two combinations in which the head answers only where the rules
are unsure (`COMBINATIONS`: no sentence touches the focus; no reading at all, topic only).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corroborate.link.stance as lexical_stance
import train_stance
from corroborate.link.frames import frames
from corroborate.link.propositions import rule_stance_on
from corroborate.link.stance_model import STANCES, WEIGHTS, StanceHead, features
from gold.link_pairs import gold_pairs
from gold.stories import HELD_OUT, development_names

PENALTIES = (0.001, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
# Where the head could answer instead of the rules, from the rules' own readings: no sentence
# of the content touches the proposition's focus (the rules fall back on the whole-text
# polarity and the source's commitment), or none of the readings the error categories of
# bench/stance_gold.py name is present at all (topic only).
_SENSES = ("sense_same", "sense_opposite", "sense_hedged", "sense_withheld")
_CUES = ("cue_refuse", "cue_deny", "frame_actor", "rival_side", "claim_dismissal", "dismisses",
         "frame_dismissive", "relayed", "relay_rejected", "question", "reporter", "firm_firm",
         "firm_weak", "firm_shared", "modals", "negations", "polarity_opposite",
         "polarity_withheld", "own_deny", "own_uncertain")
COMBINATIONS = {
    "untouched": lambda row: not any(row.get(f, 0.0) for f in _SENSES),
    "topic only": lambda row: not any(row.get(f, 0.0) for f in (*_SENSES, *_CUES)),
}
STEPS = 50


def lexical_without(names: list[str]) -> dict[str, lexical_stance.Model]:
    """The lexical stance model refitted once per development story, without it (the shipped
    file's L2 strength and class weighting, the seed pairs always trained on)."""
    shipped = json.loads((lexical_stance.DATA / "stance_weights.json").read_text("utf-8"))
    rows, _ = train_stance.load_gold()
    seed = train_stance.load_seed()
    out = {}
    for held in names:
        train = [r for r in rows if r["claim_id"] != held] + seed
        y = np.array([lexical_stance.CLASSES.index(r["label"]) for r in train])
        x, feature_names = train_stance.design(train_stance.featurize(train))
        w, b = train_stance.fit(x, y, float(shipped["l2"]), bool(shipped["balanced"]),
                                train_stance.prior(feature_names, train_stance.LEAN))
        out[held] = lexical_stance.Model(
            int(shipped["version"]), tuple(float(v) for v in b),
            {n: tuple(float(v) for v in row) for n, row in zip(feature_names, w, strict=True)})
    return out


@contextlib.contextmanager
def lexical_model(model: lexical_stance.Model) -> Iterator[None]:
    """Read with these lexical weights instead of the shipped ones, for the block's length."""
    shipped = lexical_stance.model
    lexical_stance.model = lambda: model  # type: ignore[assignment]
    try:
        yield
    finally:
        lexical_stance.model = shipped  # type: ignore[assignment]


def story_rows(name: str, lexical: lexical_stance.Model
               ) -> tuple[list[dict[str, float]], list[int], list[str]]:
    """Feature rows, gold class indices and the rules' answers for one story's gold links,
    read with the lexical weights `lexical` (fitted without this story)."""
    if name in HELD_OUT:
        raise SystemExit(f"{name} is held out: never trained on")
    with lexical_model(lexical):
        return _story_rows(name)


def _story_rows(name: str) -> tuple[list[dict[str, float]], list[int], list[str]]:
    gold = gold_pairs(name)
    read = frames([(p.id, p.statement) for p in gold.propositions])
    claims = {c.statement_id: c for c in gold.claims}
    rows, labels, rules = [], [], []
    for (sid, pid), stance in sorted(gold.labels.items()):
        rule = rule_stance_on(read[pid], claims[sid])
        rows.append(features(read[pid], claims[sid], rule))
        labels.append(STANCES.index(stance))
        rules.append(rule or "none")
    return rows, labels, rules


def _matrix(rows: list[dict[str, float]], names: list[str]) -> np.ndarray:
    return np.array([[r.get(f, 0.0) for f in names] for r in rows], dtype=float)


def fit(x: np.ndarray, y: np.ndarray, weight: np.ndarray, penalty: float
        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Standardise, then Newton's method on the weighted cross-entropy plus penalty (convex,
    so from zeros it lands on the one optimum whatever the order of the rows)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    d, k = z.shape[1], len(STANCES)
    onehot = np.eye(k)[y]
    share = weight / weight.sum()
    ridge = np.full((d, k), 2 * penalty)
    ridge[-1] = 1e-6  # the bias is (all but) not penalised
    w = np.zeros((d, k))
    for _ in range(STEPS):
        s = z @ w
        p = np.exp(s - s.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        grad = z.T @ ((p - onehot) * share[:, None]) + ridge * w
        curve = np.einsum("i,ic,cd->icd", share, p, np.eye(k)) - \
            np.einsum("i,ic,id->icd", share, p, p)
        hess = np.einsum("ia,icd,ib->acbd", z, curve, z, optimize=True).reshape(d * k, d * k) + \
            np.diag(ridge.reshape(-1))
        step = np.linalg.solve(hess, grad.reshape(-1)).reshape(d, k)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return mean, scale, w


def predict(model: tuple[np.ndarray, np.ndarray, np.ndarray], x: np.ndarray) -> np.ndarray:
    mean, scale, w = model
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    return np.argmax(z @ w, axis=1)


def _weights(stories: list[str], balanced: bool) -> np.ndarray:
    if not balanced:
        return np.ones(len(stories))
    count = {s: stories.count(s) for s in set(stories)}
    return np.array([1.0 / count[s] for s in stories])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dry-run", action="store_true", help="report only, write nothing")
    args = parser.parse_args()
    names = development_names()
    without = lexical_without(names)
    data = {n: story_rows(n, without[n]) for n in names}
    feature_names = sorted({f for rows, _, _ in data.values() for r in rows for f in r})
    xs = {n: _matrix(rows, feature_names) for n, (rows, _, _) in data.items()}
    ys = {n: np.array(labels) for n, (_, labels, _) in data.items()}
    print(f"development stories: {', '.join(names)}; "
          f"{sum(len(y) for y in ys.values())} gold links, {len(feature_names)} features")
    rules_ok = {n: sum(STANCES[g] == r for g, r in zip(ys[n], data[n][2], strict=True))
                for n in names}
    rules_mean = float(np.mean([rules_ok[n] / len(ys[n]) for n in names]))
    best: tuple[float, float, bool] | None = None
    combined: dict[str, list[float]] = {mode: [] for mode in COMBINATIONS}
    for balanced in (False, True):
        for penalty in PENALTIES:
            ok = {}
            mixed = {mode: {} for mode in COMBINATIONS}
            for held in names:
                train = [n for n in names if n != held]
                x = np.vstack([xs[n] for n in train])
                y = np.concatenate([ys[n] for n in train])
                weight = _weights([n for n in train for _ in ys[n]], balanced)
                model = fit(x, y, weight, penalty)
                guess = predict(model, xs[held])
                ok[held] = int((guess == ys[held]).sum())
                for mode, unsure in COMBINATIONS.items():
                    # The head answers only where the rules are unsure; elsewhere the rules.
                    answers = [STANCES[g] if unsure(row) and rule != "none" else rule
                               for g, row, rule in zip(guess, data[held][0], data[held][2],
                                                       strict=True)]
                    mixed[mode][held] = sum(STANCES[t] == a for t, a in
                                            zip(ys[held], answers, strict=True)) / len(ys[held])
            total = sum(len(ys[n]) for n in names)
            pooled = sum(ok.values()) / total
            mean = float(np.mean([ok[n] / len(ys[n]) for n in names]))
            cells = "  ".join(f"{n} {ok[n] / len(ys[n]):.3f} (rules {rules_ok[n] / len(ys[n]):.3f})"
                              for n in names)
            print(f"balanced={balanced!s:5} penalty={penalty:<6} LOSO mean {mean:.3f} "
                  f"pooled {pooled:.3f}  {cells}")
            for mode in COMBINATIONS:
                m = float(np.mean(list(mixed[mode].values())))
                combined[mode].append(m)
                print(f"    rules + head where {mode}: LOSO mean {m:.3f}  " + "  ".join(
                    f"{n} {mixed[mode][n]:.3f}" for n in names))
            if best is None or mean > best[0] + 1e-9:
                best = (mean, penalty, balanced)
    assert best is not None
    mean, penalty, balanced = best
    print(f"rules alone: LOSO mean {rules_mean:.3f} (pooled "
          f"{sum(rules_ok.values()) / sum(len(ys[n]) for n in names):.3f}); head chosen: "
          f"penalty {penalty}, balanced {balanced} (LOSO mean {mean:.3f}); best combinations: "
          + ", ".join(f"{mode} {max(v):.3f}" for mode, v in combined.items()))
    pooled = mean
    if args.dry_run:
        return
    x = np.vstack([xs[n] for n in names])
    y = np.concatenate([ys[n] for n in names])
    mean, scale, w = fit(x, y, _weights([n for n in names for _ in ys[n]], balanced), penalty)
    head = StanceHead(tuple(feature_names), tuple(mean.tolist()), tuple(scale.tolist()),
                      tuple(tuple(w[:, c].tolist()) for c in range(len(STANCES))))
    payload = head.to_dict() | {"trained_on": names, "penalty": penalty, "balanced": balanced,
                                "loso_mean_accuracy": round(pooled, 4)}
    WEIGHTS.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {WEIGHTS}")


if __name__ == "__main__":
    main()
