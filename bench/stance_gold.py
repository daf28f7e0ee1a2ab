"""Stance toward the proposition on the gold links themselves, apart from which links a linker
finds.

    .venv/bin/python bench/stance_gold.py [--story NAME ...] [--errors] [--json]

Every gold statement–proposition link of a story (tests/gold/link_pairs.py builds the claim
from the gold statement as `link/run.py` builds one from an extracted statement: content, its
sentence, the gold commitment, the source's name stems, the cue) is read by
`link.propositions.stance_on` against the proposition's frame, and the predicted stance is
compared with the gold link's stance. A veto (`stance_on` returns None: the frame says the
statement does not bear on the proposition) counts as wrong and is shown as `none` in the
confusion matrix, because the gold says it does bear.

`--errors` lists the misread links (statement text, proposition, predicted vs gold) of the
development stories only: kabul is held out, so its errors are never printed; its figures are.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from corroborate.link.frames import frames
from corroborate.link.propositions import rule_stance_on, stance_on
from corroborate.link.stance_model import features
from gold.link_pairs import gold_pairs
from gold.stories import HELD_OUT as HELD_OUT_STORIES
from gold.stories import story_names

HELD_OUT = frozenset(HELD_OUT_STORIES)  # kabul and gaza-hospital: figures only, never errors
STANCES = ("affirm", "deny", "uncertain")
PREDICTED = (*STANCES, "none")


def read_links(name: str) -> list[dict[str, str]]:
    """One row per gold link: the statement, the proposition, gold and predicted stance."""
    gold = gold_pairs(name)
    read = frames([(p.id, p.statement) for p in gold.propositions])
    text = {p.id: p.statement for p in gold.propositions}
    claims = {c.statement_id: c for c in gold.claims}
    rows = []
    for (sid, pid), stance in sorted(gold.labels.items()):
        claim = claims[sid]
        rows.append({"statement": sid, "proposition": pid, "gold": stance,
                     "predicted": stance_on(read[pid], claim) or "none",
                     "category": category(features(read[pid], claim,
                                                   rule_stance_on(read[pid], claim))),
                     "own": claim.stance, "cue": claim.cue, "content": claim.content,
                     "proposition_text": text[pid]})
    return rows


# What an error is about, most specific first: the first that applies names it (counts in
# bench/RESULTS.md). Read off the rules' own readings (`link/stance_model.features`).
CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("refusal / not knowing", ("cue_refuse", "sense_withheld", "first_withheld",
                               "last_withheld")),
    ("actor / predicate (X acknowledged P)", ("frame_actor",)),
    ("rival proposition", ("rival_side",)),
    ("pretext / dismissal", ("claim_dismissal", "dismisses", "frame_dismissive")),
    ("reported, not endorsed (relay)", ("relayed", "relay_rejected")),
    ("question / presupposition", ("question", "reporter")),
    ("modality / hedge", ("sense_hedged", "firm_firm", "firm_weak", "firm_shared", "modals")),
    ("negation and its scope", ("negations", "polarity_opposite", "sense_opposite")),
    ("own stance x polarity", ("own_deny", "own_uncertain")),
)
UNREAD = "topic only: needs inference"


def category(row: dict[str, float]) -> str:
    """The error category of one link, from its feature row."""
    for name, keys in CATEGORIES:
        if any(row.get(k, 0.0) > 0 for k in keys):
            return name
    return UNREAD


def summary(rows: list[dict[str, str]]) -> dict[str, object]:
    confusion = Counter((r["gold"], r["predicted"]) for r in rows)
    right = sum(r["gold"] == r["predicted"] for r in rows)
    per_prop: dict[str, list[int]] = {}
    for r in rows:
        cell = per_prop.setdefault(r["proposition"], [0, 0])
        cell[0] += r["gold"] == r["predicted"]
        cell[1] += 1
    return {"links": len(rows), "accuracy": right / len(rows) if rows else 0.0,
            "vetoed": sum(r["predicted"] == "none" for r in rows),
            "confusion": {f"{g}->{p}": n for (g, p), n in sorted(confusion.items())},
            "by_proposition": {p: round(ok / n, 3) for p, (ok, n) in sorted(per_prop.items())},
            "_confusion": confusion}


def _print(name: str, s: dict[str, object]) -> None:
    held = " (held out)" if name in HELD_OUT else ""
    print(f"\n{name}{held}: {s['links']} gold links, stance toward the proposition "
          f"accuracy {s['accuracy']:.3f}, vetoed {s['vetoed']}")
    confusion: Counter[tuple[str, str]] = s["_confusion"]  # type: ignore[assignment]
    print("  gold \\ predicted " + "".join(p.rjust(10) for p in PREDICTED))
    for g in STANCES:
        print(f"  {g:17s}" + "".join(str(confusion.get((g, p), 0)).rjust(10)
                                     for p in PREDICTED))
    if "by_proposition" in s:
        print("  by proposition: " + ", ".join(
            f"{p} {a:.2f}" for p, a in s["by_proposition"].items()))  # type: ignore[attr-defined]


def _categories(rows: list[dict[str, str]]) -> None:
    """Errors of the development stories by category and by gold -> predicted."""
    errors = [r for r in rows if r["gold"] != r["predicted"]]
    links = Counter(r["category"] for r in rows)
    wrong = Counter(r["category"] for r in errors)
    cells = Counter((r["category"], f"{r['gold']}->{r['predicted']}") for r in errors)
    print(f"{len(errors)} errors in {len(rows)} development gold links")
    for name in [*(c for c, _ in CATEGORIES), UNREAD]:
        detail = ", ".join(f"{k} {n}" for (c, k), n in sorted(cells.items()) if c == name)
        print(f"  {name:40s} {wrong[name]:4d} wrong of {links[name]:4d}   {detail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--story", action="append", help="only this story (repeatable)")
    parser.add_argument("--errors", action="store_true",
                        help="list misread links of the development stories (never kabul's)")
    parser.add_argument("--held-out", action="store_true",
                        help="also score the held-out story (kabul): its figures only")
    parser.add_argument("--categories", action="store_true",
                        help="count the development stories' errors by category")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    names = args.story or [n for n in story_names() if args.held_out or n not in HELD_OUT]
    unknown = sorted(set(names) - set(story_names()))
    if unknown:
        parser.error(f"no gold for {', '.join(unknown)} (have: {', '.join(story_names())})")
    results = {}
    pooled: list[dict[str, str]] = []
    for name in names:
        rows = read_links(name)
        results[name] = summary(rows)
        if name not in HELD_OUT:
            pooled += rows
        if args.errors and name not in HELD_OUT:
            for r in rows:
                if r["gold"] != r["predicted"]:
                    print(f"[{name} {r['proposition']}] gold {r['gold']} got {r['predicted']} "
                          f"(own {r['own']}, cue {r['cue']!r}): {r['content'][:200]!r}")
    if args.categories:
        _categories(pooled)
        return
    if pooled and len(names) > 1:
        results["development (pooled)"] = summary(pooled)
        del results["development (pooled)"]["by_proposition"]
    if args.json:
        print(json.dumps({k: {x: y for x, y in v.items() if not x.startswith("_")}
                          for k, v in results.items()}, indent=2))
        return
    for name, s in results.items():
        _print(name, s)


if __name__ == "__main__":
    main()
