"""Source resolution on every story's gold: B-cubed F1 of the source clusters, with or without a
story pack, and (with --errors) the clusters it splits or merges wrongly.

    .venv/bin/python bench/source_gold.py [--story NAME ...] [--pack FILE] [--errors]

Gold clusters come from the story's `sources.json`; a story still being annotated without one
is clustered by its statements' `source_entity` (one cluster per entity name). Only source
resolution runs (no proposition matching), so a story without propositions is scored too.
`source_bcubed_f1` counts every gold mention (one the extractor missed is a singleton);
`extracted` only those the extractor found. `--oracle` resolves the gold source spans
themselves (described and pronoun-resolved per document as the extractor does), which measures
resolution apart from extraction.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from corroborate import open_ledger
from gold.link_score import _bcubed, _f1
from gold.score import match
from gold.source_score import gold_clusters, oracle_clusters
from gold.stories import Story, load_story, story_names


def predicted_clusters(story: Story, pack: str | None
                       ) -> tuple[dict[tuple[str, int], str], dict[str, str], dict[Any, str]]:
    """(document, source_start) -> predicted source id, source names, and mention texts."""
    keys = {doc.id: key for key, doc in story.documents.items()}
    with tempfile.TemporaryDirectory() as tmp, \
            open_ledger(str(Path(tmp) / "l.db"), Path(tmp) / "archive") as ledger:
        ledger.add(list(story.inputs))
        ledger.link(force=True, **({"pack": pack} if pack else {}))
        stored = list(ledger.statements())
        db = ledger.store.backend
        source_of = dict(db.query("SELECT statement_id, source_id FROM statement_sources"))
        names = {s["id"]: s["name"] for s in ledger.links.sources()}
    predicted = defaultdict(list)
    for st in stored:
        predicted[keys[st.doc_id]].append(st)
    by_mention: dict[tuple[str, int], str] = {}
    texts: dict[Any, str] = {}
    for g, st in match(story.statements, predicted):
        if g["source_start"] is not None and st.id in source_of:
            by_mention[(g["document"], g["source_start"])] = source_of[st.id]
            texts[(g["document"], g["source_start"])] = st.source.text if st.source else ""
    return by_mention, names, texts


def score_story(name: str, pack: str | None, errors: bool, oracle: bool = False
                ) -> dict[str, float]:
    story = load_story(name)
    gold = gold_clusters(story)
    found, names, texts = (oracle_clusters if oracle else predicted_clusters)(story, pack)
    b_p, b_r = _bcubed(gold, {m: found.get(m, f"missed:{m}") for m in gold})
    extracted = {m: c for m, c in gold.items() if m in found}
    e_p, e_r = _bcubed(extracted, {m: found[m] for m in extracted})
    if errors:
        _print_errors(extracted, found, names, texts)
    return {"mentions": len(gold), "extracted": len(extracted) / (len(gold) or 1),
            "precision": e_p, "recall": e_r, "source_bcubed_f1": _f1(b_p, b_r),
            "source_bcubed_f1_extracted": _f1(e_p, e_r)}


def _print_errors(gold: dict[Any, str], found: dict[Any, str], names: dict[str, str],
                  texts: dict[Any, str]) -> None:
    by_gold: dict[str, list[Any]] = defaultdict(list)
    by_pred: dict[str, list[Any]] = defaultdict(list)
    for m, c in gold.items():
        by_gold[c].append(m)
        by_pred[found[m]].append(m)
    for cluster, items in sorted(by_gold.items(), key=lambda kv: -len(kv[1])):
        parts: dict[str, list[str]] = defaultdict(list)
        for m in items:
            parts[found[m]].append(texts[m])
        if len(parts) > 1:
            print(f"SPLIT {cluster}: " + " | ".join(
                f"{names.get(p, p)}<{', '.join(sorted(set(t)))[:80]}>x{len(t)}"
                for p, t in parts.items()))
    for pred, items in by_pred.items():
        clusters = {gold[m] for m in items}
        if len(clusters) > 1:
            print(f"MERGE {names.get(pred, pred)}: " + ", ".join(sorted(
                f"{c}<{'/'.join(sorted({texts[m] for m in items if gold[m] == c}))[:40]}>"
                for c in clusters)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--story", action="append", help="score only this story (repeatable)")
    parser.add_argument("--pack", help="a story pack (JSON) given to `link`")
    parser.add_argument("--errors", action="store_true", help="print wrong splits and merges")
    parser.add_argument("--oracle", action="store_true",
                        help="resolve the gold source spans (resolution apart from extraction)")
    args = parser.parse_args()
    names = args.story or story_names()
    print("story".ljust(16) + "".join(c.rjust(12) for c in (
        "mentions", "extracted", "precision", "recall", "bcubed_f1", "f1_extr")))
    for name in names:
        r = score_story(name, args.pack, args.errors, args.oracle)
        print(f"{name:16s}{int(r['mentions']):12d}" + "".join(f"{r[c]:12.3f}" for c in (
            "extracted", "precision", "recall", "source_bcubed_f1",
            "source_bcubed_f1_extracted")))


if __name__ == "__main__":
    main()
