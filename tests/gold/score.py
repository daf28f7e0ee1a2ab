"""Score extracted statements against the hand-annotated Kursk gold (pure functions).

A predicted statement matches a gold one when their contents overlap on at least half of the
gold content's characters and their cues overlap (or neither has a cue: the author's own
claims). Matching is one-to-one, best overlap first. On matched pairs we then check the
source (span overlap, or the resolved name naming the gold entity), the stance and said_on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corroborate.extract import extract_statements
from corroborate.ingest.pipeline import AddOptions, read_source
from corroborate.model import Document, Statement

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "kursk"


@dataclass(frozen=True)
class GoldScore:
    gold: int
    predicted: int
    matched: int
    source_ok: int
    source_total: int
    stance_ok: int
    said_on_ok: int
    # said_on right *and* its granularity (day, weekend, week, month) right: "in October"
    # resolved to 2024-10-01 as an exact day counts as wrong here.
    said_on_granularity_ok: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def ratio(self, ok: int, total: int | None = None) -> float:
        total = self.matched if total is None else total
        return ok / total if total else 0.0

    def as_dict(self) -> dict[str, float]:
        return {"statement_precision": self.precision, "statement_recall": self.recall,
                "statement_f1": self.f1,
                "source_accuracy": self.ratio(self.source_ok, self.source_total),
                "stance_accuracy": self.ratio(self.stance_ok),
                "said_on_accuracy": self.ratio(self.said_on_ok),
                "said_on_granularity_accuracy": self.ratio(self.said_on_granularity_ok),
                "gold": self.gold, "predicted": self.predicted, "matched": self.matched}


def documents() -> dict[str, Document]:
    """The example corpus as `corroborate add` derives it, keyed like the gold file."""
    docs: dict[str, Document] = {}
    for path in sorted(CORPUS.iterdir()):
        if path.name.endswith(".meta.json") or path.suffix == ".csv" or not path.is_file():
            continue
        result = read_source(path, path.read_bytes(), AddOptions())
        for doc in result.documents:
            key = path.name if len(result.documents) == 1 else f"{path.name}#{doc.uri}"
            docs[key] = doc
    return docs


def predict(docs: dict[str, Document]) -> dict[str, list[Statement]]:
    return {key: extract_statements(doc.text, doc.published, doc.id, doc.kind, doc.segments)
            for key, doc in docs.items()}


def _chars(spans: Iterable[tuple[int, int]]) -> set[int]:
    return {i for start, end in spans for i in range(start, end)}


def _norm(name: str | None) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", (name or "").lower())) - {"the", "of", "s", "a"}


def _source_ok(pred: Statement, gold: dict[str, Any]) -> bool:
    if pred.source is None:
        return False
    gs = gold["source_start"]
    if gs is not None and pred.source.start < gs + len(gold["source"]) and gs < pred.source.end:
        return True
    entity = _norm(gold.get("source_entity"))
    named = _norm(pred.source.name) | _norm(pred.source.antecedent)
    return bool(entity and named and (entity <= named or named <= entity or
                                      len(entity & named) >= 2))


def match(gold: list[dict[str, Any]], predicted: dict[str, list[Statement]]
          ) -> list[tuple[dict[str, Any], Statement]]:
    """One-to-one pairs of gold and predicted statements (the rule in the module docstring)."""
    pairs_out: list[tuple[dict[str, Any], Statement]] = []
    for key, preds in predicted.items():
        golds = [g for g in gold if g["document"] == key]
        pairs = []
        for gi, g in enumerate(golds):
            gold_chars = _chars([(g["content_start"], g["content_start"] + len(g["content"]))])
            gold_cue = (g["cue_start"], g["cue_start"] + len(g["cue"])) if g["cue"] else None
            for pi, p in enumerate(preds):
                parts = p.content_parts or (p.content,)
                overlap = len(gold_chars & _chars((s.start, s.end) for s in parts))
                if not gold_chars or overlap / len(gold_chars) < 0.5:
                    continue
                if gold_cue is None:
                    cue_ok = p.cue is None or p.kind == "label"
                else:
                    cue_ok = p.cue is not None and p.cue.start < gold_cue[1] \
                        and gold_cue[0] < p.cue.end
                if cue_ok:
                    pairs.append((overlap / len(gold_chars), gi, pi))
        used_g: set[int] = set()
        used_p: set[int] = set()
        for _, gi, pi in sorted(pairs, reverse=True):
            if gi not in used_g and pi not in used_p:
                used_g.add(gi)
                used_p.add(pi)
                pairs_out.append((golds[gi], preds[pi]))
    return pairs_out


def score(gold: list[dict[str, Any]], predicted: dict[str, list[Statement]]) -> GoldScore:
    documents_scored = {g["document"] for g in gold}
    n_pred = sum(len(preds) for key, preds in predicted.items() if key in documents_scored)
    matched = source_ok = source_total = stance_ok = said_on_ok = granularity_ok = 0
    for g, p in match(gold, predicted):
        matched += 1
        if g["source"] is not None or g.get("source_entity"):
            source_total += 1
            source_ok += _source_ok(p, g)
        stance_ok += p.stance == g["stance"]
        said_on_ok += p.said_on == g["said_on"]
        granularity_ok += p.said_on == g["said_on"] and \
            p.said_on_granularity == g.get("said_on_granularity")
    return GoldScore(len(gold), n_pred, matched, source_ok, source_total, stance_ok,
                     said_on_ok, granularity_ok)
