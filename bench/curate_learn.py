"""How much do a few dozen analyst link corrections of one story improve that story's link F1?

    .venv/bin/python bench/curate_learn.py                  # `learn`'s adaptation, both modes
    .venv/bin/python bench/curate_learn.py --refit          # the global re-fit (first study)
    .venv/bin/python bench/curate_learn.py --json
    .venv/bin/python bench/curate_learn.py --also iran-drones   # a newer development story

Default (`corroborate learn`, link/adapt.py): for each development story S, the base linker
fitted on the other two, k of S's pairs corrected as below (both modes, 5 seeds), and F1
measured on the pairs nobody corrected: base, "neighbours" (an uncorrected statement within
cosine `cutoff` of a statement corrected for the same proposition takes its label) and
"offsets" (a per-proposition Platt shift of the link head's logit, prior strength `l2`). Each
setting (cutoff, l2) is chosen for S by leave one story out: the value with the best mean gain
on the *other two* development stories (both modes, every k), then S's figure is printed with
it. `--final` also prints the held-out stories once, with the setting chosen on all the
development stories (never used to choose anything). Since learn-cap the offsets are also
measured under each bound in BOUNDS (link/adapt.py `bound_offsets`), chosen jointly with the
cut-off and the prior ("both"; "unbound" is the combination without a bound); the last lines
give each bound's best setting on all development stories, its mean and worst-row gain.
`--seeds N` draws fewer corrections per story, mode and k on a slow box.

The first study (`--refit`):

For each development story S (kursk, balloon, covid-origins; kabul is never used here):

1. the learned linker is fitted on the *other two* development stories (`bench/train_link.py`:
   its `choose` and `fit`, nothing new), so S is unseen, and links S's gold statements;
2. an analyst corrects k pairs, drawn at random (5 seeds): with `--mode review` (default) k of
   the links it shows, each accepted, flipped or rejected; with `--mode mistakes` k of its
   mistakes, drawn from all of them: links
   it should not have made (rejected), links with the wrong stance (flipped) and links it
   missed (added; only among the pairs the linker scores at all). The labels are S's gold;
3. the corrections are applied as the ledger applies them (they override the linker) —
   "overlay"; and the linker is re-fitted on the two other stories plus S's corrected pairs
   (weighted as one more story, as `train_link.fit` weighs every story) — "refit".

Reported: link F1 of S over all pairs (base, overlay, overlay + refit), and over the pairs the
analyst did *not* correct (base vs refit): the second is what re-fitting learns beyond the
corrections themselves (`--pseudo`: re-fitted on all of S's scored pairs, labelled by the linker
except the corrected ones). Embeddings come from train_link's cache ($CORROBORATE_EMB_CACHE).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import replace
from pathlib import Path
from statistics import mean
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from corroborate.link import adapt
from corroborate.link.learned import LINK_FEATURES, STANCES, LinkModel
from corroborate.link.propositions import Assignment
from gold.link_pairs import LABELS, gold_pairs, score_pairs
from gold.stories import HELD_OUT
from train_link import (
    TRAIN,
    CachedEncoder,
    StoryData,
    choose,
    fit,
    predict,
    story_data,
    vetoed,
)

SIZES = (12, 24, 48)
SEEDS = range(5)


def mistakes(story: StoryData, predicted: list[Assignment]) -> list[tuple[str, str, str]]:
    """(statement, proposition, gold label) for every pair the linker got wrong and the
    analyst could correct: a link shown wrongly or with the wrong stance, or a scored pair
    it missed."""
    got = {(a.statement_id, a.proposition_id): a.stance for a in predicted}
    scored = {(story.gold.claims[n].statement_id, story.gold.propositions[m].id)
              for n, m in story.pairs}
    wrong = []
    for pair in sorted(scored | set(got)):
        label = story.gold.label(*pair)
        if got.get(pair, "none") != label:
            wrong.append((pair[0], pair[1], label))
    return wrong


def reviewed(story: StoryData, predicted: list[Assignment]) -> list[tuple[str, str, str]]:
    """(statement, proposition, gold label) for every link the linker shows: what an analyst
    reviewing timelines accepts (same stance), flips or rejects."""
    return sorted((a.statement_id, a.proposition_id,
                   story.gold.label(a.statement_id, a.proposition_id)) for a in predicted)


def corrected_story(story: StoryData, chosen: list[tuple[str, str, str]]) -> StoryData:
    """S's corrected pairs only, labelled by the analyst (the gold), as training rows."""
    index = {(story.gold.claims[n].statement_id, story.gold.propositions[m].id): i
             for i, (n, m) in enumerate(story.pairs)}
    rows = [index[(s, p)] for s, p, _ in chosen if (s, p) in index]
    labels = np.array([LABELS.index(story.gold.label(s, p)) for s, p, _ in chosen
                       if (s, p) in index], dtype=int)
    return StoryData(story.gold, story.vectors, [story.pairs[i] for i in rows],
                     story.x[rows], labels)


def pseudo_story(story: StoryData, predicted: list[Assignment],
                 chosen: list[tuple[str, str, str]]) -> StoryData:
    """Every scored pair of S, labelled by the linker itself except where the analyst
    corrected it: the corrections move the model without changing S's base rate."""
    got = {(a.statement_id, a.proposition_id): a.stance for a in predicted}
    fixed = {(s, p): label for s, p, label in chosen}
    labels = []
    for n, m in story.pairs:
        pair = (story.gold.claims[n].statement_id, story.gold.propositions[m].id)
        labels.append(LABELS.index(fixed.get(pair, got.get(pair, "none"))))
    return StoryData(story.gold, story.vectors, story.pairs, story.x, np.array(labels))


def overlay(predicted: list[Assignment], chosen: list[tuple[str, str, str]]
            ) -> list[Assignment]:
    """The ledger's view: a correction overrides the linker's assignment."""
    fixed = {(s, p): label for s, p, label in chosen}
    kept = [a for a in predicted if (a.statement_id, a.proposition_id) not in fixed]
    return kept + [Assignment(s, p, 1.0, label) for (s, p), label in fixed.items()
                   if label != "none"]


def f1_outside(story: StoryData, predicted: list[Assignment],
               chosen: list[tuple[str, str, str]]) -> float:
    """Link F1 on the pairs the analyst did not correct."""
    return score_outside(story, predicted, chosen).f1


def score_outside(story: StoryData, predicted: list[Assignment],
                  chosen: list[tuple[str, str, str]]) -> Any:
    """Link P/R/F1 and stance accuracy on the pairs the analyst did not correct."""
    fixed = {(s, p) for s, p, _ in chosen}
    gold = replace(story.gold, labels={k: v for k, v in story.gold.labels.items()
                                       if k not in fixed})
    rest = [a for a in predicted if (a.statement_id, a.proposition_id) not in fixed]
    return score_pairs(gold, rest)


def run_story(name: str, data: dict[str, StoryData], mode: str, pseudo: bool = False
              ) -> dict[str, Any]:
    story = data[name]
    others = [data[n] for n in TRAIN if n != name]
    choice = choose(others)
    base_model = fit(others, choice)
    base = predict(base_model, story)
    pool = mistakes(story, base) if mode == "mistakes" else reviewed(story, base)
    result: dict[str, Any] = {"pool": len(pool), "gold_links": len(story.gold.labels),
                              "base_f1": round(score_pairs(story.gold, base).f1, 4),
                              "by_size": {}}
    for k in SIZES:
        runs = []
        for seed in SEEDS:
            chosen = random.Random(seed).sample(pool, min(k, len(pool)))
            extra = pseudo_story(story, base, chosen) if pseudo else \
                corrected_story(story, chosen)
            refit = predict(fit([*others, extra], choice), story)
            runs.append({
                "overlay_f1": score_pairs(story.gold, overlay(base, chosen)).f1,
                "refit_f1": score_pairs(story.gold, overlay(refit, chosen)).f1,
                "base_f1_uncorrected": f1_outside(story, base, chosen),
                "refit_f1_uncorrected": f1_outside(story, refit, chosen)})
        result["by_size"][k] = {key: round(mean(r[key] for r in runs), 4) for key in runs[0]}
    return result


STANCE_CUTOFFS = (0.75, 0.8, 0.85, 0.9, 0.95, 1.01)  # 1.01: never the neighbour's stance
CUTOFFS = (0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
L2S = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0)
MODES = ("review", "mistakes")
# The offsets' bounds measured (link/adapt.py `bound_offsets`), by name: "" none (the
# shipped `learn` before learn-cap), "cap" |b| at most, "up" b at most (0: rejections only
# move a threshold), "flips" at most that many uncorrected pairs flipped per correction.
BOUNDS: dict[str, dict[str, float | None]] = {
    "": {"cap": None, "up": None, "flips": None},
    **{f"cap{c}": {"cap": c, "up": None, "flips": None} for c in (0.25, 0.5, 1.0, 2.0)},
    "up0": {"cap": None, "up": 0.0, "flips": None},
    **{f"flips{f}": {"cap": None, "up": None, "flips": f} for f in (0.5, 1.0, 2.0, 4.0)},
    **{f"cap{c}flips{f}": {"cap": c, "up": None, "flips": f}
       for c in (0.5, 1.0) for f in (1.0, 2.0, 4.0)},
}


def by_neighbours(story: StoryData, model: LinkModel, base: list[Assignment],
                  chosen: list[tuple[str, str, str]], cutoff: float,
                  stance_cutoff: float = adapt.STANCE_CUTOFF) -> list[Assignment]:
    """`learn`'s propagation, as link/adapt.py runs it in the ledger (a new link below the
    stance cut-off takes the stance head's stance where the head scores the pair)."""
    row = {c.statement_id: n for n, c in enumerate(story.gold.claims)}
    col = {p.id: m for m, p in enumerate(story.gold.propositions)}
    examples = [adapt.Example(row[s], col[p], label) for s, p, label in chosen]
    decided = adapt.neighbours(story.vectors.content, examples, cutoff)
    index = {(story.gold.claims[n].statement_id, story.gold.propositions[m].id): i
             for i, (n, m) in enumerate(story.pairs)}

    def head(pairs: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
        rows = [index[p] for p in pairs if p in index]
        if not rows:
            return {}
        guess = model.predict(story.x[rows])[1].argmax(axis=1)
        return {p: STANCES[int(g)] for p, g in zip([p for p in pairs if p in index], guess,
                                                    strict=True)}

    return adapt.relabel(base, {(story.gold.claims[n].statement_id,
                                 story.gold.propositions[m].id): v
                                for (n, m), v in decided.items()}, stance_cutoff, head)


# The bound link/adapt.py ships (the stance columns are measured with it).
SHIPPED: dict[str, float | None] = {"cap": adapt.OFFSET_CAP, "up": adapt.OFFSET_UP,
                                    "flips": adapt.OFFSET_FLIPS}


def by_offsets(story: StoryData, model: LinkModel, base: list[Assignment],
               chosen: list[tuple[str, str, str]], l2: float,
               bound: dict[str, float | None] | None = None) -> list[Assignment]:
    """Per-proposition Platt shifts fitted on the corrected pairs the link head scores; the
    shifted head relinks that proposition's scored pairs (the veto still holds, a new link
    takes the stance head's stance)."""
    index = {(story.gold.claims[n].statement_id, story.gold.propositions[m].id): i
             for i, (n, m) in enumerate(story.pairs)}
    z = adapt.logit(model.link_probability(story.x[:, :len(LINK_FEATURES)]))
    rows = [(index[(s, p)], label) for s, p, label in chosen if (s, p) in index]
    if not rows:
        return base
    shift = adapt.offsets(z[[i for i, _ in rows]], [label != "none" for _, label in rows],
                          [story.pairs[i][1] for i, _ in rows], l2)
    fixed = {i for i, _ in rows}
    shift = adapt.bound_offsets(shift, z, [m for _, m in story.pairs],
                                [i in fixed for i in range(len(story.pairs))],
                                model.threshold, **(bound or BOUNDS[""]))
    veto = vetoed(model, story.x) == 0.0
    stance = model.predict(story.x)[1].argmax(axis=1)
    have = {(a.statement_id, a.proposition_id): a for a in base}
    out = dict(have)
    for i, (n, m) in enumerate(story.pairs):
        if m not in shift:
            continue
        pair = (story.gold.claims[n].statement_id, story.gold.propositions[m].id)
        p = 1.0 / (1.0 + np.exp(-(z[i] + shift[m])))
        if p >= model.threshold and not veto[i]:
            if pair not in out:
                out[pair] = Assignment(*pair, round(float(p), 3), STANCES[int(stance[i])])
        else:
            out.pop(pair, None)
    return list(out.values())


def adapt_story(name: str, data: dict[str, StoryData], train: list[str]) -> dict[str, Any]:
    """Every setting's uncorrected F1 on S, per mode, k and seed (the base linker trained on
    `train`, which never holds S)."""
    story = data[name]
    others = [data[n] for n in train if n != name]
    model = fit(others, choose(others))
    base = predict(model, story)
    out: dict[str, Any] = {"base_f1": score_pairs(story.gold, base).f1, "modes": {}}
    for mode in MODES:
        pool = mistakes(story, base) if mode == "mistakes" else reviewed(story, base)
        sizes: dict[int, Any] = {}
        for k in SIZES:
            runs = []
            for seed in SEEDS:
                chosen = random.Random(seed).sample(pool, min(k, len(pool)))
                run = {"overlay": score_pairs(story.gold, overlay(base, chosen)).f1,
                       "base": f1_outside(story, base, chosen)}
                run["st_base"] = score_outside(story, base, chosen).stance_accuracy
                for c in CUTOFFS:
                    run[f"nb{c}"] = f1_outside(story, by_neighbours(story, model, base, chosen,
                                                                    c), chosen)
                for l2 in L2S:
                    for v, bound in BOUNDS.items():
                        shifted = by_offsets(story, model, base, chosen, l2, bound)
                        run[f"off{l2}{v}"] = f1_outside(story, shifted, chosen)
                        for c in CUTOFFS:
                            run[f"nb{c}+off{l2}{v}"] = f1_outside(
                                story, by_neighbours(story, model, shifted, chosen, c), chosen)
                    if l2 == adapt.OFFSET_L2:
                        shifted = by_offsets(story, model, base, chosen, l2, SHIPPED)
                        for sc in STANCE_CUTOFFS:
                            run[f"st{sc}"] = score_outside(story, by_neighbours(
                                story, model, shifted, chosen, adapt.CUTOFF, sc),
                                chosen).stance_accuracy
                runs.append(run)
            sizes[k] = {key: mean(r[key] for r in runs) for key in runs[0]}
        out["modes"][mode] = {"pool": len(pool), "sizes": sizes}
    return out


def _gain(result: dict[str, Any], key: str) -> float:
    """Mean gain of a setting over the base on uncorrected pairs (both modes, every k): in
    link F1, or for the `st` keys in stance accuracy on the links found."""
    base = "st_base" if key.startswith("st") else "base"
    return mean(s[key] - s[base] for m in result["modes"].values()
                for s in m["sizes"].values())


def _pick(results: list[dict[str, Any]], keys: list[str]) -> str:
    return max(keys, key=lambda k: (mean(_gain(r, k) for r in results), k))


def adaptation_table(data: dict[str, StoryData], final: bool, as_json: bool,
                     also: tuple[str, ...] = ()) -> None:
    names = list(TRAIN)
    results = {name: adapt_story(name, data, names) for name in names}
    nb_keys = [f"nb{c}" for c in CUTOFFS]
    off_keys = [f"off{l2}{v}" for l2 in L2S for v in BOUNDS]
    free_keys = [f"nb{c}+off{l2}" for l2 in L2S for c in CUTOFFS]
    both_keys = [f"nb{c}+off{l2}{v}" for l2 in L2S for c in CUTOFFS for v in BOUNDS]
    st_keys = [f"st{sc}" for sc in STANCE_CUTOFFS]
    groups = (nb_keys, off_keys, free_keys, both_keys, st_keys)
    chosen = {name: tuple(_pick([results[o] for o in names if o != name], keys)
                          for keys in groups)
              for name in names}
    overall = tuple(_pick(list(results.values()), keys) for keys in groups)
    extra = [*also, *(HELD_OUT if final else ())]
    if extra:
        encode = CachedEncoder()
        for held in extra:
            gold_pairs(held)
            data[held] = story_data(held, encode)
            results[held] = adapt_story(held, data, names)
            chosen[held] = overall
        encode.save()
    if as_json:
        print(json.dumps({"results": results, "chosen": chosen, "overall": overall},
                         indent=2, default=str))
        return
    print("settings chosen leave-one-story-out:", chosen, "on all development stories:",
          overall)
    print(f"{'story':15s}{'mode':>9s}{'k':>4s}{'base':>7s}{'overlay':>9s}"
          f"{'unc.base':>9s}{'neighb.':>9s}{'offsets':>9s}{'unbound':>8s}{'both':>7s}"
          f"{'stance':>8s}{'->':>6s}   setting")
    for name, r in results.items():
        nb, off, free, both, st = chosen[name]
        for mode, m in r["modes"].items():
            for k, s in m["sizes"].items():
                print(f"{name:15s}{mode:>9s}{k:>4d}{r['base_f1']:7.3f}{s['overlay']:9.3f}"
                      f"{s['base']:9.3f}{s[nb]:9.3f}{s[off]:9.3f}{s[free]:8.3f}{s[both]:7.3f}"
                      f"{s['st_base']:8.3f}{s[st]:6.3f}   {nb} {off} {free} {both} {st}")
    print("each bound, the best cut-off and prior for it on all development stories: mean "
          "gain, and the worst row's gain, on uncorrected pairs (both modes, every k):")
    dev = [results[n] for n in names]
    for v in BOUNDS:
        best = _pick(dev, [f"nb{c}+off{l2}{v}" for l2 in L2S for c in CUTOFFS])
        worst = min(s[best] - s["base"] for r in dev for m in r["modes"].values()
                    for s in m["sizes"].values())
        print(f"  {v or 'none':10s} {best:24s} mean {mean(_gain(r, best) for r in dev):+.4f}"
              f"  worst row {worst:+.4f}")


def main() -> None:
    global SEEDS
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--refit", action="store_true",
                        help="the first study: overlay vs re-fitting the global linker")
    parser.add_argument("--also", nargs="*", default=[], metavar="STORY",
                        help="more development stories, measured with the base linker fitted "
                             "on the three and the setting chosen on them")
    parser.add_argument("--final", action="store_true",
                        help="also print the held-out stories (once, at the end)")
    parser.add_argument("--mode", choices=("review", "mistakes"), default="review",
                        help="review: the analyst checks k of the links shown (accepts, flips "
                             "or rejects each); mistakes: k of all the linker's mistakes, "
                             "missed links included")
    parser.add_argument("--pseudo", action="store_true",
                        help="re-fit on all of S's scored pairs labelled by the linker, the "
                             "corrected ones by the analyst (instead of the corrected ones only)")
    parser.add_argument("--seeds", type=int, default=len(SEEDS),
                        help="draws of the corrections per story, mode and k (default 5)")
    args = parser.parse_args()
    SEEDS = range(args.seeds)
    if set(args.also) & set(HELD_OUT):
        parser.error("--also takes development stories; the held-out ones come with --final")
    encode = CachedEncoder()
    data = {name: story_data(name, encode) for name in TRAIN}
    encode.save()
    if not args.refit:
        adaptation_table(data, args.final, args.json, tuple(args.also))
        return
    results = {name: run_story(name, data, args.mode, args.pseudo) for name in TRAIN}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'story':15s}{'k':>4s}{'base':>8s}{'overlay':>9s}{'+refit':>8s}"
          f"{'base(unc.)':>12s}{'refit(unc.)':>13s}   pool / gold links ({args.mode})")
    for name, r in results.items():
        for k, s in r["by_size"].items():
            print(f"{name:15s}{k:>4d}{r['base_f1']:8.3f}{s['overlay_f1']:9.3f}"
                  f"{s['refit_f1']:8.3f}{s['base_f1_uncorrected']:12.3f}"
                  f"{s['refit_f1_uncorrected']:13.3f}   {r['pool']} / {r['gold_links']}")


if __name__ == "__main__":
    main()
