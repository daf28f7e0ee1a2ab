"""The source's commitment to what it said: affirm, deny or uncertain, with the reasons.

The cue sets the default (`confirmed` affirms, `denied` denies, `declined to comment` is
uncertain); negation of the cue, hedges and conditionals in the content, and questions weaken
it; a content that calls the reports fake turns an assertion into a denial of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from corroborate.extract.lexicon import DATA, phrases_in

_NEGATORS = frozenset({"not", "no", "never", "isn't", "wasn't", "aren't", "isn’t", "wasn’t"})


@dataclass(frozen=True)
class StanceLexicon:
    by_class: dict[str, str]
    uncertain: frozenset[str]
    soft: frozenset[str]
    negations: frozenset[str]
    distance: frozenset[str]
    dismissal: frozenset[str]
    report_nouns: frozenset[str]
    not_knowing: tuple[str, ...]
    committed: frozenset[str]


@cache
def stance_lexicon() -> StanceLexicon:
    data = json.loads((DATA / "stance.json").read_text(encoding="utf-8"))
    return StanceLexicon(data["cue_class_stance"], frozenset(data["uncertain"]),
                         frozenset(data["soft"]), frozenset(data["negations"]),
                         frozenset(data["distance"]), frozenset(data["dismissal"]),
                         frozenset(data["report_nouns"]), tuple(data["not_knowing"]),
                         frozenset(data["committed_classes"]))


# A hedge right after these words sits in a clause that qualifies a noun or a time ("soldiers
# who might be captured", "when it could be done safely", "a treaty that would improve ..."),
# not in the claim itself.
_SUBORDINATORS = frozenset({"who", "which", "when", "where", "whom", "whose", "that", "until",
                            "once", "wherever", "whenever"})
_SUBORDINATE_REACH = 3


def _subordinate(words: list[str], i: int) -> bool:
    """Whether words[i] follows a subordinator that itself follows something it qualifies (a
    content opening with "that if ..." is the claim's own condition)."""
    return any(words[j] in _SUBORDINATORS for j in range(max(1, i - _SUBORDINATE_REACH), i))


def judge(cue_class: str | None, cue_words: list[str], content_words: list[str],
          question: bool, scare_quotes: list[str]) -> tuple[str, tuple[str, ...]]:
    """Return (stance, hedges) from lower-cased cue and content words.

    A warning or an accusation is committed even when its content is modal (`would make the
    war longer`); a content that says the source does not know (`no information`, `remains
    to be seen`) is uncertain whatever the cue.
    """
    lex = stance_lexicon()
    stance = lex.by_class.get(cue_class or "assert", "affirm")
    hedges: list[str] = []
    negated_cue = any(w in lex.negations for w in cue_words)
    if negated_cue and cue_class != "refuse":
        hedges.append("negated cue: " + " ".join(cue_words))
        stance = "uncertain"
    content = set(content_words)
    # (Each word-by-word scan below runs only when the content holds one of its words at
    # all, which the set answers at once: speed only.)
    strong = sorted({w for i, w in enumerate(content_words) if w in lex.uncertain
                     and not _subordinate(content_words, i)}) \
        if not lex.uncertain.isdisjoint(content) else []
    soft = sorted(content & lex.soft)
    joined = " " + " ".join(content_words) + " "
    unknowing = phrases_in(lex.not_knowing, content_words, joined)
    if unknowing:
        hedges.extend(f"not knowing: {p}" for p in unknowing)
        if stance == "affirm":
            stance = "uncertain"
    if strong and cue_class in lex.committed:
        hedges.extend(strong)
    elif strong:
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
    dismissals = [w for i, w in enumerate(content_words) if w in lex.dismissal
                  and not any(v in _NEGATORS for v in content_words[max(0, i - 3):i])] \
        if not lex.dismissal.isdisjoint(content) else []
    if stance in ("affirm", "uncertain") and dismissals and (
            content & lex.report_nouns or distance or scare_quotes):
        hedges.append("dismissal: " + ", ".join(sorted(set(dismissals))))
        stance = "deny"
    return stance, tuple(hedges)
