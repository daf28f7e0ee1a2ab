"""Score linking against a story's gold (Kursk by default): proposition links and their stance,
source clusters (B-cubed), relays. Predicted statements are first matched to gold ones
(score.match)."""

from __future__ import annotations

import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corroborate import open_ledger
from corroborate.link.propositions import Proposition
from corroborate.model import Statement
from gold.score import match
from gold.stories import Story, load_story


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _bcubed(gold: dict[Any, str], predicted: dict[Any, str]) -> tuple[float, float]:
    by_gold: dict[str, set[Any]] = defaultdict(set)
    by_pred: dict[str, set[Any]] = defaultdict(set)
    for item, cluster in gold.items():
        by_gold[cluster].add(item)
        by_pred[predicted[item]].add(item)
    precision = recall = 0.0
    for item in gold:
        g, p = by_gold[gold[item]], by_pred[predicted[item]]
        both = len(g & p)
        precision += both / len(p)
        recall += both / len(g)
    n = len(gold) or 1
    return precision / n, recall / n


@dataclass(frozen=True)
class Built:
    """A story's ledger after `link`: its statements by gold document key, the links
    (statement id, proposition id) -> stance, each statement's source and the relayed ones."""

    predicted: dict[str, list[Statement]]
    links: dict[tuple[str, str], str]
    source_of: dict[str, str]
    via_of: set[str]


def build(story: Story, pack: str | Path | None = None) -> Built:
    """Add the story's documents to a fresh ledger, propose its propositions and link."""
    keys = {doc.id: key for key, doc in story.documents.items()}
    with tempfile.TemporaryDirectory() as tmp, \
            open_ledger(str(Path(tmp) / "l.db"), Path(tmp) / "archive") as ledger:
        ledger.add(list(story.inputs))
        ledger.propose([Proposition(p["id"], p["statement"]) for p in story.propositions])
        ledger.link(force=True, pack=pack)
        predicted: dict[str, list[Statement]] = defaultdict(list)
        for st in ledger.statements():
            predicted[keys[st.doc_id]].append(st)
        db = ledger.store.backend
        links = {(sid, pid): stance for sid, pid, stance in db.query(
            "SELECT statement_id, proposition_id, stance FROM assignments")}
        source_of = dict(db.query("SELECT statement_id, source_id FROM statement_sources"))
        via_of = {sid for sid, via in db.query(
            "SELECT statement_id, via_source_id FROM statement_sources") if via}
    return Built(dict(predicted), links, source_of, via_of)


def evaluate(story: Story | None = None, pack: str | Path | None = None) -> dict[str, float]:
    """`pack`: a story pack given to `link` (None: resolution from the corpus alone)."""
    story = story or load_story("kursk")
    gold, links_gold = story.statements, story.assignments
    clusters, relays_gold = story.clusters, story.relays
    built = build(story, pack)
    predicted, links, source_of, via_of = (built.predicted, built.links, built.source_of,
                                           built.via_of)
    pairs = match(gold, predicted)
    gold_key = {st.id: (g["document"], g["content_start"]) for g, st in pairs}
    predicted_links = {(gold_key.get(sid, sid), pid): stance
                       for (sid, pid), stance in links.items()}
    wanted = {(row["document"], row["content_start"], row["proposition"]): row["stance"]
              for row in links_gold}
    got = {(k[0][0], k[0][1], k[1]) if isinstance(k[0], tuple) else k: v
           for k, v in predicted_links.items()}
    hits = set(got) & set(wanted)
    precision = len(hits) / len(got) if got else 0.0
    recall = len(hits) / len(wanted) if wanted else 0.0
    # The same on statements both sides have, to see linking apart from extraction.
    matched = set(gold_key.values())
    got_m = {k for k in got if (k[0], k[1]) in matched}
    wanted_m = {k for k in wanted if (k[0], k[1]) in matched}
    mp = len(got_m & wanted_m) / len(got_m) if got_m else 0.0
    mr = len(got_m & wanted_m) / len(wanted_m) if wanted_m else 0.0
    stance_ok = sum(got[k] == wanted[k] for k in hits)
    # Source clusters over gold mentions; a mention our extractor missed is a singleton.
    gold_cluster = {(m["document"], m["source_start"]): c["id"] for c in clusters
                    for m in c["mentions"]}
    by_mention: dict[tuple[str, int], str] = {}
    for g, st in pairs:
        if g["source_start"] is not None and st.id in source_of:
            by_mention[(g["document"], g["source_start"])] = source_of[st.id]
    pred_cluster = {m: by_mention.get(m, f"missed:{m}") for m in gold_cluster}
    b_p, b_r = _bcubed(gold_cluster, pred_cluster)
    found = {m: c for m, c in gold_cluster.items() if m in by_mention}
    fb_p, fb_r = _bcubed(found, {m: by_mention[m] for m in found})
    gold_relayed = {(r["document"], r["content_start"]) for r in relays_gold}
    pred_relayed = {gold_key[sid] for sid in via_of if sid in gold_key}
    relay_hits = len(gold_relayed & pred_relayed)
    r_p = relay_hits / len(pred_relayed) if pred_relayed else 0.0
    r_r = relay_hits / len(gold_relayed) if gold_relayed else 0.0
    counts = Counter(wanted.values())
    return {
        "link_precision": precision, "link_recall": recall, "link_f1": _f1(precision, recall),
        "link_stance_accuracy": stance_ok / len(hits) if hits else 0.0,
        "link_precision_matched": mp, "link_recall_matched": mr,
        "link_f1_matched": _f1(mp, mr),
        "source_bcubed_precision": b_p, "source_bcubed_recall": b_r,
        "source_bcubed_f1": _f1(b_p, b_r),
        "source_bcubed_f1_extracted": _f1(fb_p, fb_r),
        "source_mentions_extracted": len(found) / len(gold_cluster) if gold_cluster else 0.0,
        "relay_precision": r_p, "relay_recall": r_r, "relay_f1": _f1(r_p, r_r),
        "gold_links": len(wanted), "predicted_links": len(got),
        "gold_links_by_stance": dict(counts),
    }
