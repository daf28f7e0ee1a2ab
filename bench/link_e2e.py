"""Where link F1 is lost between gold statements and extracted ones, and what recovers it.

    .venv/bin/python bench/link_e2e.py                   # the loss decomposition, shipped weights
    .venv/bin/python bench/link_e2e.py --loso            # the same, each story's weights
                                                         # trained without it (gold statements)
    .venv/bin/python bench/link_e2e.py --loso --examples 8   # and examples of each category

Development stories only (every story of `tests/gold/stories.py` not held out); `--story NAME`
picks one, and a held-out story is read only when named with `--held-out` (for the final
figures). Each story's ledger is built once as `bench/story_gold.py` builds it (extraction,
source resolution, `link` with the default learned linker and no pack); the propositions and
claims `link` hands the learned linker are kept (in $CORROBORATE_E2E_CACHE, default
/tmp/corroborate-e2e.pkl, keyed by the code's and the gold's bytes), so a variant of head one
is replayed on exactly what `link` sees, in seconds. The replay of the shipped weights agrees
with `bench/story_gold.py`'s link F1 (printed side by side).

Every gold link and every predicted link falls in one category:

- gold links, by their gold statement: **not extracted** (no extracted statement matches it
  under `gold/score.py::match`), split into *near* (an extracted statement overlaps its
  content but fails the match: span, cue, split or merged statement) and *absent*; **hit**;
  **missed on both** (the linker misses it on the gold statement too); **missed only
  extracted** (the gold-statement linker has it: what the extracted span or sentence loses);
- predicted links, by their statement: on a matched statement, **hit** or a false positive
  that the gold-statement linker makes too (**FP both**) or makes only on the extracted one
  (**FP only extracted**); on a statement the gold does not have: a **question** (the content
  or its sentence asks), **overlaps gold** (partial, split or merged spans of an annotated
  statement), a **duplicate** (the same content as another extracted statement that is
  matched), or **unannotated** (no gold statement there at all).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corroborate.link import learned
from corroborate.link.learned import LinkModel
from corroborate.link.propositions import Assignment, Claim, Proposition
from gold.link_pairs import gold_pairs
from gold.link_score import build
from gold.score import match
from gold.stories import HELD_OUT, development_names, load_story
from train_link import CachedEncoder, StoryData, story_data, train, vetoed

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("CORROBORATE_E2E_CACHE", "/tmp/corroborate-e2e.pkl"))
GoldKey = tuple[str, int]  # (document, content start)


@dataclass
class Captured:
    """What `link` handed the learned linker for one story, and how it maps onto the gold."""

    name: str
    propositions: list[Proposition]
    claims: list[Claim]
    gold_key: dict[str, GoldKey]  # extracted statement id -> its matched gold statement
    spans: dict[str, tuple[str, int, int]]  # extracted statement id -> (document, start, end)
    question: dict[str, bool]  # extracted statement id -> a question (hedge or "?")
    wanted: dict[tuple[str, int, str], str]  # gold links -> stance
    gold_spans: dict[GoldKey, int]  # gold statement -> content end
    story_f1: float  # the ledger's link F1 as bench/story_gold.py scores it


def _fingerprint() -> str:
    """The bytes the capture depends on: the code under src/ and the gold."""
    digest = hashlib.sha1()
    for folder in (ROOT / "src" / "corroborate", ROOT / "tests" / "gold"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".json", ".jsonl"):
                digest.update(path.read_bytes())
    return digest.hexdigest()


def capture(name: str) -> Captured:
    """Build the story's ledger as bench/story_gold.py does, keeping the linker's input."""
    story = load_story(name)
    seen: dict[str, Any] = {}
    original = learned.link_pairs

    def keep(propositions: Any, claims: Any, *args: Any, **kwargs: Any) -> list[Assignment]:
        seen["propositions"], seen["claims"] = list(propositions), list(claims)
        return original(propositions, claims, *args, **kwargs)

    learned.link_pairs = keep  # read-only spy on the real linker: it still does the work
    try:
        built = build(story)
    finally:
        learned.link_pairs = original
    pairs = match(story.statements, built.predicted)
    gold_key = {st.id: (g["document"], g["content_start"]) for g, st in pairs}
    spans, question = {}, {}
    for key, statements in built.predicted.items():
        for st in statements:
            spans[st.id] = (key, st.content.start, st.content.end)
            question[st.id] = "question" in " ".join(st.hedges) or "?" in st.content.text
    wanted = {(a["document"], a["content_start"], a["proposition"]): a["stance"]
              for a in story.assignments}
    gold_spans = {(g["document"], g["content_start"]): g["content_start"] + len(g["content"])
                  for g in story.statements}
    out = Captured(name, seen.get("propositions", []), seen.get("claims", []), gold_key,
                   spans, question, wanted, gold_spans, 0.0)
    # The ledger's own links, scored as gold/link_score.py scores them.
    out.story_f1 = prf(scored(out, [Assignment(sid, pid, 0.0, stance) for (sid, pid), stance
                                    in built.links.items()]), wanted)[2]
    return out


def captured(names: list[str]) -> dict[str, Captured]:
    """Every story's capture, from the cache when the code and gold are unchanged."""
    stamp = _fingerprint()
    cache: dict[str, Any] = {}
    if CACHE.exists():
        cache = pickle.loads(CACHE.read_bytes())
        if cache.get("stamp") != stamp:
            cache = {}
    cache["stamp"] = stamp
    dirty = False
    for name in names:
        if name not in cache:
            cache[name] = dict(capture(name).__dict__)  # plain fields: loadable from any script
            dirty = True
    if dirty:
        CACHE.write_bytes(pickle.dumps(cache))
    return {name: Captured(**cache[name]) for name in names}


def scored(cap: Captured, links: list[Assignment]) -> dict[tuple[Any, ...], str]:
    """Predicted links keyed like the gold: (document, content start, proposition) for a
    matched statement, (statement id, proposition) for any other."""
    out: dict[tuple[Any, ...], str] = {}
    for a in links:
        where = cap.gold_key.get(a.statement_id)
        out[(*where, a.proposition_id) if where else (a.statement_id, a.proposition_id)] = \
            a.stance
    return out


def prf(got: dict[tuple[Any, ...], str], wanted: dict[tuple[str, int, str], str]
        ) -> tuple[float, float, float]:
    hits = len(set(got) & set(wanted))
    p = hits / len(got) if got else 0.0
    r = hits / len(wanted) if wanted else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def gold_links(name: str, model: LinkModel, encode: CachedEncoder) -> set[tuple[str, int, str]]:
    """The same linker's links on the gold statements, keyed like the gold."""
    gold = gold_pairs(name)
    vectors = learned.embed(gold.propositions, gold.claims, encode)
    out = set()
    for a in learned.link_pairs(gold.propositions, gold.claims, vectors, model):
        document, start, _ = a.statement_id.split("|")
        out.add((document, int(start), a.proposition_id))
    return out


def decompose(cap: Captured, links: list[Assignment], on_gold: set[tuple[str, int, str]]
              ) -> tuple[Counter[str], dict[str, list[str]]]:
    """Counts of every category in the module docstring, and a few examples of each."""
    got = scored(cap, links)
    matched = set(cap.gold_key.values())
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for (document, start), end in cap.gold_spans.items():
        by_doc.setdefault(document, []).append((start, end))
    extracted_by_doc: dict[str, list[tuple[int, int]]] = {}
    for document, start, end in cap.spans.values():
        extracted_by_doc.setdefault(document, []).append((start, end))
    text = {c.statement_id: c.content for c in cap.claims}
    matched_contents = {text[s] for s in cap.gold_key if s in text}
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}

    def put(kind: str, example: str) -> None:
        counts[kind] += 1
        examples.setdefault(kind, []).append(example)

    for link in cap.wanted:
        document, start, pid = link
        if (document, start) not in matched:
            end = cap.gold_spans[(document, start)]
            near = any(s < end and start < e for s, e in extracted_by_doc.get(document, ()))
            put("gold: not extracted, near" if near else "gold: not extracted, absent",
                f"{document}@{start} {pid}")
        elif link in got:
            put("gold: hit", f"{document}@{start} {pid}")
        elif link in on_gold:
            put("gold: missed only extracted", f"{document}@{start} {pid}")
        else:
            put("gold: missed on both", f"{document}@{start} {pid}")
    for a in links:
        sid, pid = a.statement_id, a.proposition_id
        where = cap.gold_key.get(sid)
        snippet = f"{pid} {text.get(sid, '')[:110]!r}"
        if where:
            if (*where, pid) in cap.wanted:
                put("pred: hit", snippet)
            elif (*where, pid) in on_gold:
                put("pred: FP both", snippet)
            else:
                put("pred: FP only extracted", snippet)
            continue
        document, start, end = cap.spans[sid]
        if cap.question.get(sid):
            put("pred: question", snippet)
        elif any(s < end and start < e for s, e in by_doc.get(document, ())):
            put("pred: overlaps gold", snippet)
        elif text.get(sid) in matched_contents:
            put("pred: duplicate", snippet)
        else:
            put("pred: unannotated", snippet)
    return counts, examples


KINDS = ("gold: hit", "gold: not extracted, near", "gold: not extracted, absent",
         "gold: missed on both", "gold: missed only extracted",
         "pred: hit", "pred: FP both", "pred: FP only extracted", "pred: question",
         "pred: overlaps gold", "pred: duplicate", "pred: unannotated")


def models(names: list[str], loso: bool, encode: CachedEncoder) -> dict[str, LinkModel]:
    """Each story's linker: the shipped weights, or (`loso`) weights trained on the gold
    statements of the other development stories (as bench/train_link.py's rows are)."""
    if not loso:
        return {name: learned.load_model() for name in names}
    dev = development_names()
    data = {name: story_data(name, encode) for name in dev}
    return {name: train([data[n] for n in dev if n != name])[0] for name in names}


@dataclass
class Pairs:
    """Head one's candidate pairs of a story's extracted claims, labelled from the gold:
    linked when the claim is matched to a gold statement that the gold links to the
    proposition; an unmatched claim's pairs are all negatives (the scorer counts them so)."""

    x: np.ndarray
    y: np.ndarray
    gold_links: int  # every gold link, reachable or not: the recall denominator


def e2e_pairs(cap: Captured, encode: CachedEncoder) -> Pairs:
    vectors = learned.embed(cap.propositions, cap.claims, encode)
    pairs, x = learned.featurize(cap.propositions, cap.claims, vectors)
    y = np.array([int((*cap.gold_key[cap.claims[n].statement_id],
                       cap.propositions[m].id) in cap.wanted)
                  if cap.claims[n].statement_id in cap.gold_key else 0 for n, m in pairs])
    return Pairs(x, y, len(cap.wanted))


def e2e_threshold(model: LinkModel, stories: list[Pairs]) -> float:
    """The cut with the best mean end-to-end F1 over these stories (veto applied)."""
    from train_link import _best_mean_threshold

    return _best_mean_threshold([(vetoed(model, s.x), s.y, s.gold_links) for s in stories])[0]


def refit_link(model: LinkModel, stories: list[Pairs], extra: list[StoryData] = (),
               l2: float = 10.0) -> LinkModel:
    """Head one refitted on extracted claims' pairs (and `extra` gold-statement stories),
    each story weighing the same, on the model's own standardisation; head two kept."""
    from dataclasses import replace

    n = len(learned.LINK_FEATURES)
    xs = [s.x[:, :n] for s in stories] + [d.x[:, :n] for d in extra]
    ys = [s.y for s in stories] + [(d.y > 0).astype(int) for d in extra]
    weight = np.concatenate([np.full(len(y), 1000.0 / max(len(y), 1)) for y in ys])
    z = (np.vstack(xs) - model.mean[:n]) / model.scale[:n]
    link = learned.fit_softmax(np.hstack([z, np.ones((len(z), 1))]), np.concatenate(ys), 2,
                               l2, weight)
    return replace(model, link=link)


def variants(names: list[str], caps: dict[str, Captured], encode: CachedEncoder
             ) -> dict[str, dict[str, float]]:
    """End-to-end link F1 of each story left out, under each way of training head one."""
    dev = development_names()
    extra_caps = captured([n for n in dev if n not in caps])
    everything = {**caps, **extra_caps}
    data = {name: story_data(name, encode) for name in dev}
    pairs = {name: e2e_pairs(everything[name], encode) for name in dev}
    out: dict[str, dict[str, float]] = {}
    for held in names:
        others = [n for n in dev if n != held]
        base, _ = train([data[n] for n in others])
        cap = caps[held]
        vectors = learned.embed(cap.propositions, cap.claims, encode)
        tried: dict[str, LinkModel] = {"gold (shipped way)": base}
        from dataclasses import replace

        e2e_cut = e2e_threshold(base, [pairs[n] for n in others])
        tried["gold, e2e cut"] = replace(base, threshold=e2e_cut)
        for l2 in (1.0, 10.0):
            head = refit_link(base, [pairs[n] for n in others], l2=l2)
            tried[f"e2e head l2={l2:g}"] = replace(
                head, threshold=e2e_threshold(head, [pairs[n] for n in others]))
            both = refit_link(base, [pairs[n] for n in others], [data[n] for n in others], l2)
            tried[f"gold+e2e head l2={l2:g}"] = replace(
                both, threshold=e2e_threshold(both, [pairs[n] for n in others]))
        row = {}
        for label, model in tried.items():
            links = learned.link_pairs(cap.propositions, cap.claims, vectors, model)
            row[label] = prf(scored(cap, links), cap.wanted)[2]
            row[label + " cut"] = model.threshold
        out[held] = row
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--story", action="append", help="only this development story")
    parser.add_argument("--held-out", action="store_true",
                        help="the held-out stories instead (final figures only)")
    parser.add_argument("--loso", action="store_true",
                        help="each story's weights trained without it, on gold statements")
    parser.add_argument("--examples", type=int, default=0, help="examples per category")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--variants", action="store_true",
                        help="end-to-end F1 under each way of training head one")
    args = parser.parse_args()
    names = list(HELD_OUT) if args.held_out else (args.story or development_names())
    if not args.held_out and set(names) & set(HELD_OUT):
        parser.error("held-out stories only with --held-out")
    caps = captured(names)
    encode = CachedEncoder()
    if args.variants:
        result = variants(names, caps, encode)
        encode.save()
        labels = list(next(iter(result.values())))
        print(f"{'':28s}" + "".join(f"{n[:12]:>13s}" for n in names) + "         mean")
        for label in labels:
            cells = [result[n][label] for n in names]
            print(f"{label:28s}" + "".join(f"{c:13.3f}" for c in cells)
                  + f"{np.mean(cells):13.3f}")
        return
    chosen = models(names, args.loso, encode)
    table: dict[str, dict[str, Any]] = {}
    rng = random.Random(8)
    for name in names:
        cap, model = caps[name], chosen[name]
        vectors = learned.embed(cap.propositions, cap.claims, encode)
        links = learned.link_pairs(cap.propositions, cap.claims, vectors, model)
        on_gold = gold_links(name, model, encode)
        counts, examples = decompose(cap, links, on_gold)
        p, r, f = prf(scored(cap, links), cap.wanted)
        gf = prf({k: "" for k in on_gold}, cap.wanted)[2]
        table[name] = {"f1": f, "p": p, "r": r, "f1_gold_statements": gf,
                       "story_gold_f1": cap.story_f1, "gold_links": len(cap.wanted),
                       "predicted": len(links), **{k: counts[k] for k in KINDS}}
        if args.examples:
            for kind in KINDS:
                sample = examples.get(kind, [])
                for line in rng.sample(sample, min(args.examples, len(sample))):
                    print(f"{name:14s}{kind:28s}{line}")
    encode.save()
    if args.json:
        print(json.dumps(table, indent=2))
        return
    print(f"{'':30s}" + "".join(f"{n[:12]:>13s}" for n in names))
    for row in ("f1", "p", "r", "f1_gold_statements", "story_gold_f1", "gold_links",
                "predicted", *KINDS):
        cells = "".join(f"{table[n][row]:13.3f}" if isinstance(table[n][row], float)
                        else f"{table[n][row]:13d}" for n in names)
        print(f"{row:30s}{cells}")
    print("mean F1", round(float(np.mean([table[n]["f1"] for n in names])), 4))


if __name__ == "__main__":
    main()
