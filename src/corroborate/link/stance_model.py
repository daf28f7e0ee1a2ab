"""A learned stance head toward a proposition, over the readings the rules already make.

Why: `stance_on` (`link/propositions.py`) composes the source's commitment with a reading of the
content (negation of the proposition's focus, modal scope, withholding, relays, rivals, actors,
the cue). Each piece is right on the sentences it was written for, but the fixed order in which
the rules let one piece overrule another ("an uncertain source stays uncertain unless …") was
chosen by hand on three stories, and on a story nobody looked at it did worse than saying
'affirm' for every link. This head keeps every rule reading as a feature and learns how much
each counts, leave-one-story-out, from our own gold links only (`bench/train_stance_head.py`).

Features (`FEATURES`): the rules' answer, the source's own commitment, the content's combined
reading and the first and last sentence readings, the cue's force, firmness of the modality,
the old whole-text polarity, relays, dismissals, the frame's actor / rival / negative /
dismissive flags, question form, the lexical stance model's three probabilities, how
much of the proposition's focus the content covers, and a few crosses of the commitment with the
reading (a linear model cannot otherwise learn that a denial of a negation affirms).

Inference is pure Python (a 3 x ~60 dot product), so it costs about what the rules cost; the
weights (`data/stance_head.json`) hold feature names and numbers only. It is an option
(`CORROBORATE_STANCE=learned`), not the default: leave one story out it did worse than the
rules, whose word lists were written on the same stories (see `load_head`)."""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from functools import cache

from corroborate.link.frames import (
    Frame,
    actor_matches,
    combine,
    content_stems,
    cue_force,
    dismisses,
    firmness,
    polarity,
    relay_reading,
    reports_act,
    rival_side_of,
    sentence_readings,
    sentences,
    words,
)
from corroborate.link.stance import DATA, lexicon, stance_scores

STANCES = ("affirm", "deny", "uncertain")
WEIGHTS = DATA / "stance_head.json"
_SENSES = ("same", "opposite", "hedged", "withheld")
_REPORTER = re.compile(r"^(?:Q|REPORTER|QUESTION|AUDIENCE MEMBER)\b[:.]?$", re.IGNORECASE)
_MODALS = frozenset({"could", "may", "might", "would", "likely", "possibly", "probably",
                     "perhaps", "maybe", "if", "whether", "expect", "expected", "believe",
                     "believed", "assess", "assessed", "appear", "appears", "seem", "seems"})


def _one_hot(value: str | None, values: tuple[str, ...], prefix: str) -> dict[str, float]:
    return {f"{prefix}_{v}": float(value == v) for v in values}


def features(frame: Frame, claim: object, rule: str | None) -> dict[str, float]:
    """The head's inputs for one (proposition frame, claim) pair; `rule` is `stance_on`'s
    answer. `claim` is a `link.propositions.Claim` (typed loosely: that module imports this
    one)."""
    content: str = getattr(claim, "content", "")
    text = re.sub(r"^(?:that\s+)|[“”\"]", "", content.strip(), flags=re.IGNORECASE)
    own = getattr(claim, "stance", "affirm")
    own = own if own in STANCES else "affirm"
    cue: str = getattr(claim, "cue", "") or ""
    names: frozenset[str] = getattr(claim, "source_names", frozenset())
    readings = sentence_readings(frame, text)
    touched = [r for r in readings if r]
    sense = combine(touched)
    first = touched[0] if touched else None
    last = touched[-1] if touched else None
    lex = lexicon()
    ws = words(text)
    focus = frame.focus or content_stems(frame.inner)
    stems = content_stems(text)
    model = stance_scores(frame.inner, text)
    is_actor = bool(frame.actor) and actor_matches(frame, names)
    parts = sentences(text) or [text]
    out = _one_hot(rule, STANCES, "rule")
    out |= _one_hot(own, STANCES, "own")
    out |= _one_hot(sense, _SENSES, "sense")
    out |= _one_hot(first, _SENSES, "first")
    out |= _one_hot(last, _SENSES, "last")
    out |= _one_hot(cue_force(cue), ("refuse", "deny"), "cue")
    out |= _one_hot(firmness(frame, text), ("firm", "weak", "shared"), "firm")
    out |= _one_hot(polarity(frame.inner, text), ("opposite", "withheld"), "polarity")
    for o in STANCES:
        for s in ("same", "opposite", "hedged", "withheld"):
            out[f"cross_{o}_{s}"] = float(own == o and sense == s)
        out[f"cross_{o}_untouched"] = float(own == o and sense is None)
    out |= {
        "relayed": float(any(relay_reading(s) == "relayed" for s in parts)),
        "relay_rejected": float(any(relay_reading(s) == "rejected" for s in parts)),
        "dismisses": float(any(dismisses(s) for s in parts)),
        "claim_dismissal": float(bool(getattr(claim, "dismissal", False))),
        "frame_dismissive": float(frame.dismissive),
        "frame_negative": float(frame.negative),
        "frame_actor": float(bool(frame.actor)),
        "actor_speaks": float(is_actor),
        "actor_reported": float(bool(frame.actor) and not is_actor and reports_act(frame, text)),
        "rival_side": float(bool(frame.rivals) and rival_side_of(frame, text)),
        "question": float(text.rstrip().endswith("?")),
        "in_question": float(bool(getattr(claim, "question", False))),
        "reporter": float(bool(_REPORTER.match(cue.strip()))),
        "negations": min(3.0, float(sum(w in lex.negations or w.endswith("n't") for w in ws))),
        "modals": min(3.0, float(sum(w in _MODALS for w in ws))),
        "sentences": math.log1p(len(parts)),
        "focus_cover": len(focus & stems) / len(focus) if focus else 0.0,
        "touched_share": len(touched) / len(readings) if readings else 0.0,
        "model_affirm": model["affirm"], "model_deny": model["deny"],
        "model_uncertain": model["uncertain"],
    }
    return out


@dataclass(frozen=True)
class StanceHead:
    """Standardisation and multinomial logistic weights, as the training script wrote them."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[tuple[float, ...], ...]  # per class: one weight per feature, then the bias

    def probabilities(self, row: dict[str, float]) -> dict[str, float]:
        x = [(row.get(f, 0.0) - m) / s for f, m, s in zip(self.features, self.mean, self.scale,
                                                          strict=True)]
        scores = [sum(w * v for w, v in zip(ws, x, strict=False)) + ws[-1]
                  for ws in self.weights]
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {c: e / total for c, e in zip(STANCES, exp, strict=True)}

    def to_dict(self) -> dict[str, object]:
        return {"version": 1, "classes": list(STANCES), "features": list(self.features),
                "mean": [round(v, 6) for v in self.mean],
                "scale": [round(v, 6) for v in self.scale],
                "weights": [[round(v, 6) for v in ws] for ws in self.weights]}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> StanceHead:
        return cls(tuple(data["features"]), tuple(data["mean"]),  # type: ignore[arg-type]
                   tuple(data["scale"]),  # type: ignore[arg-type]
                   tuple(tuple(ws) for ws in data["weights"]))  # type: ignore[attr-defined]


def load_head() -> StanceHead | None:
    """The shipped head when `CORROBORATE_STANCE=learned` asks for it, else None (the rules
    stand). Opt-in because, leave one story out on the development stories, the head read
    fewer links right than the rules (bench/RESULTS.md, `bench/train_stance_head.py`)."""
    if os.environ.get("CORROBORATE_STANCE", "").lower() != "learned":
        return None
    return _shipped()


@cache
def _shipped() -> StanceHead | None:
    if not WEIGHTS.exists():
        return None
    return StanceHead.from_dict(json.loads(WEIGHTS.read_text(encoding="utf-8")))


def refine(frame: Frame, claim: object, rule: str | None,
           head: StanceHead | None = None) -> str | None:
    """The head's stance for a pair the rules read as `rule`; a veto (None) stays a veto,
    because whether a statement bears at all is the frame's call, not this head's."""
    if rule is None:
        return None
    head = head or load_head()
    if head is None:
        return rule
    probs = head.probabilities(features(frame, claim, rule))
    return max(STANCES, key=lambda c: probs[c])
