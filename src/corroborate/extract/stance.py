"""The source's commitment to what it said: affirm, deny or uncertain, with the reasons.

The cue sets the default (`confirmed` affirms, `denied` denies, `declined to comment` is
uncertain); negation of the cue, hedges and conditionals in the content, and questions weaken
it; a content that calls the reports fake turns an assertion into a denial of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from corroborate.extract.lexicon import DATA


@dataclass(frozen=True)
class StanceLexicon:
    by_class: dict[str, str]
    uncertain: frozenset[str]
    soft: frozenset[str]
    negations: frozenset[str]
    distance: frozenset[str]
    dismissal: frozenset[str]
    report_nouns: frozenset[str]


@cache
def stance_lexicon() -> StanceLexicon:
    data = json.loads((DATA / "stance.json").read_text(encoding="utf-8"))
    return StanceLexicon(data["cue_class_stance"], frozenset(data["uncertain"]),
                         frozenset(data["soft"]), frozenset(data["negations"]),
                         frozenset(data["distance"]), frozenset(data["dismissal"]),
                         frozenset(data["report_nouns"]))


def judge(cue_class: str | None, cue_words: list[str], content_words: list[str],
          question: bool, scare_quotes: list[str]) -> tuple[str, tuple[str, ...]]:
    """Return (stance, hedges) from lower-cased cue and content words."""
    lex = stance_lexicon()
    stance = lex.by_class.get(cue_class or "assert", "affirm")
    hedges: list[str] = []
    negated_cue = any(w in lex.negations for w in cue_words)
    if negated_cue and cue_class != "refuse":
        hedges.append("negated cue: " + " ".join(cue_words))
        stance = "uncertain"
    content = set(content_words)
    strong = sorted(content & lex.uncertain)
    soft = sorted(content & lex.soft)
    if strong:
        hedges.extend(strong)
        if stance == "affirm":
            stance = "uncertain"
    hedges.extend(w for w in soft if w not in hedges)
    distance = sorted(content & lex.distance)
    if distance:
        hedges.extend(f"distance: {w}" for w in distance)
    if scare_quotes:
        hedges.extend(f"scare quotes: {q}" for q in scare_quotes)
    if question:
        hedges.append("question")
        stance = "uncertain"
    if stance == "affirm" and content & lex.dismissal and content & lex.report_nouns:
        hedges.append("dismissal: " + ", ".join(sorted(content & lex.dismissal)))
        stance = "deny"
    return stance, tuple(hedges)
