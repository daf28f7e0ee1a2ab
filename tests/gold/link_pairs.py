"""Statement x proposition pairs from a story's gold, to train and score linking apart from
extraction.

Every gold statement becomes a `Claim` as `link/run.py` would build it from an extracted one
(content, its sentence, the source's commitment, the stems of the source's name), with the gold
stance and cue in place of the extractor's; every pair with each of the story's propositions
gets the gold link's stance, or `none`. Statements are keyed by document, content start and cue
start, because a few content spans are shared by two statements with different cues.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from corroborate.extract.stance import stance_lexicon
from corroborate.link.context import context_of
from corroborate.link.frames import content_stems, words
from corroborate.link.propositions import Assignment, Claim, Proposition
from corroborate.link.run import sentence_around
from gold.stories import load_story

LABELS = ("none", "affirm", "deny", "uncertain")


def key(row: dict[str, Any]) -> str:
    return f"{row['document']}|{row['content_start']}|{row.get('cue_start')}"


@dataclass(frozen=True)
class GoldPairs:
    story: str
    propositions: list[Proposition]
    claims: list[Claim]
    labels: dict[tuple[str, str], str]  # (statement key, proposition id) -> stance, linked only

    def label(self, statement_id: str, proposition_id: str) -> str:
        return self.labels.get((statement_id, proposition_id), "none")


def _dismissal(content: str, stance: str) -> bool:
    """What extraction flags as a dismissal (`extract/stance.py::judge`): the content calls
    reports fake; read off the gold here so that the gold claims carry it too."""
    if stance != "deny":
        return False
    lex = stance_lexicon()
    ws = words(content)
    return any(w in lex.dismissal for w in ws) and bool(set(ws) & lex.report_nouns)


@cache
def gold_pairs(name: str) -> GoldPairs:
    story = load_story(name)
    # The source's body and country, as `link/run.py` gives a resolved source's (name,
    # affiliation, country): "the U.S. government" is the actor of its officials' words.
    belongs = {(m["document"], m.get("source_start")): " ".join(
        filter(None, (c.get("affiliation"), c.get("country")))) for c in story.clusters
        for m in c.get("mentions", [])}
    claims = []
    seen: set[str] = set()
    for row in story.statements:
        k = key(row)
        if k in seen:
            continue
        seen.add(k)
        text = story.documents[row["document"]].text
        start = row["content_start"]
        end = start + len(row["content"])
        names = " ".join(filter(None, (row.get("source_entity"), row.get("source"),
                                       belongs.get((row["document"], row.get("source_start"))))))
        where = context_of(text, start, end)
        claims.append(Claim(k, row["content"], sentence_around(text, start, end),
                            row["stance"], row.get("source_entity") or row.get("source"),
                            _dismissal(row["content"], row["stance"]),
                            content_stems(names), row.get("cue") or "",
                            where.paragraph, where.question, row["document"]))
    propositions = [Proposition(p["id"], p["statement"]) for p in story.propositions]
    labels = {(key(a), a["proposition"]): a["stance"] for a in story.assignments}
    missing = {k for k, _ in labels} - seen
    if missing:
        raise RuntimeError(f"{name}: links to statements not in the gold: {sorted(missing)[:3]}")
    return GoldPairs(name, propositions, claims, labels)


@dataclass(frozen=True)
class PairScore:
    precision: float
    recall: float
    f1: float
    stance_accuracy: float  # on the links found that the gold has
    pair_accuracy: float  # all pairs, four labels (none counts)
    predicted: int
    gold: int

    def as_dict(self) -> dict[str, float]:
        return {k: round(float(v), 4) for k, v in self.__dict__.items()}


def score_pairs(gold: GoldPairs, assignments: list[Assignment]) -> PairScore:
    """Link P/R/F1 and stance accuracy of predicted links against the gold pairs."""
    got = {(a.statement_id, a.proposition_id): a.stance for a in assignments}
    hits = set(got) & set(gold.labels)
    p = len(hits) / len(got) if got else 0.0
    r = len(hits) / len(gold.labels) if gold.labels else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    stance_ok = sum(got[k] == gold.labels[k] for k in hits)
    total = len(gold.claims) * len(gold.propositions)
    wrong = len(set(got) ^ set(gold.labels)) + len(hits) - stance_ok
    return PairScore(p, r, f1, stance_ok / len(hits) if hits else 0.0,
                     1 - wrong / total if total else 0.0, len(got), len(gold.labels))
