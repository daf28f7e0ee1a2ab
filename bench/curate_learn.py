"""How much do a few dozen analyst link corrections of one story improve that story's link F1?

    .venv/bin/python bench/curate_learn.py                  # table, development stories only
    .venv/bin/python bench/curate_learn.py --json

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

from corroborate.link.propositions import Assignment
from gold.link_pairs import LABELS, score_pairs
from train_link import TRAIN, CachedEncoder, StoryData, choose, fit, predict, story_data

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
    fixed = {(s, p) for s, p, _ in chosen}
    gold = replace(story.gold, labels={k: v for k, v in story.gold.labels.items()
                                       if k not in fixed})
    rest = [a for a in predicted if (a.statement_id, a.proposition_id) not in fixed]
    return score_pairs(gold, rest).f1


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--mode", choices=("review", "mistakes"), default="review",
                        help="review: the analyst checks k of the links shown (accepts, flips "
                             "or rejects each); mistakes: k of all the linker's mistakes, "
                             "missed links included")
    parser.add_argument("--pseudo", action="store_true",
                        help="re-fit on all of S's scored pairs labelled by the linker, the "
                             "corrected ones by the analyst (instead of the corrected ones only)")
    args = parser.parse_args()
    encode = CachedEncoder()
    data = {name: story_data(name, encode) for name in TRAIN}
    encode.save()
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
