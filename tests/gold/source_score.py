"""Source resolution alone, scored on a story's gold source spans (no extraction in between).

The gold source spans are described and pronoun-resolved per document exactly as the extractor
does with the spans it finds, then resolved across the story; B-cubed F1 against the gold
clusters then measures resolution itself, which the end-to-end figure (link_score) mixes with
what extraction missed. A story without `sources.json` yet is clustered by its statements'
`source_entity`.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from gold.link_score import _bcubed, _f1
from gold.stories import Story


def gold_clusters(story: Story) -> dict[tuple[str, int], str]:
    """(document, source_start) -> gold cluster id."""
    if story.clusters:
        return {(m["document"], m["source_start"]): c["id"] for c in story.clusters
                for m in c["mentions"]}
    return {(s["document"], s["source_start"]): s["source_entity"] for s in story.statements
            if s.get("source_start") is not None and s.get("source_entity")}


def oracle_clusters(story: Story, pack: str | None
                    ) -> tuple[dict[tuple[str, int], str], dict[str, str], dict[Any, str]]:
    """Resolution alone: the gold source spans, described and pronoun-resolved per document as
    the extractor does, then resolved across documents."""
    from corroborate.extract.sources import describe, resolve_pronouns
    from corroborate.link.pack import load_pack
    from corroborate.link.resolve import Mention, resolve_sources

    spans: dict[tuple[str, int], str] = {}
    for s in story.statements:
        if s.get("source_start") is not None and s.get("source"):
            spans[(s["document"], s["source_start"])] = s["source"]
    mentions: list[Mention] = []
    by_doc: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for (doc, start), text in spans.items():
        by_doc[doc].append((start, text))
    position = 0
    for doc, items in sorted(by_doc.items()):
        items.sort()
        described = resolve_pronouns([describe(t, s) for s, t in items])
        for (start, _), m in zip(items, described, strict=True):
            if m is not None:
                mentions.append(Mention(f"{doc}@{start}", doc, position, m))
                position += 1
    texts = {key: doc.text for key, doc in story.documents.items()}
    titles = {key: doc.title or "" for key, doc in story.documents.items()}
    assignment, sources = resolve_sources(mentions, (), texts=texts, titles=titles,
                                          pack=load_pack(pack) if pack else None)
    names = {s.id: s.name for s in sources}
    found = {(d, int(st)): assignment[f"{d}@{st}"] for (d, st) in spans
             if f"{d}@{st}" in assignment}
    return found, names, dict(spans)


def resolution_figures(story: Story, pack: str | Path | None = None) -> dict[str, float]:
    """B-cubed precision, recall and F1 of resolving the story's gold source spans."""
    gold = gold_clusters(story)
    found, _, _ = oracle_clusters(story, str(pack) if pack else None)
    p, r = _bcubed(gold, {m: found.get(m, f"dropped:{m}") for m in gold})
    return {"resolution_precision": p, "resolution_recall": r,
            "resolution_bcubed_f1": _f1(p, r)}
