"""Statements to propositions: which statements bear on which claim, and how.

A statement bears on a proposition when its content (read in the sentence it came from) covers
enough of the proposition's concepts, weighted by how rare each concept is in the ledger:
`the reports are fake news` said of North Korean troops covers the proposition that North
Korean troops are in Russia through its sentence. Its stance *toward the proposition* composes
the source's commitment with what the content says about the proposition: a source denying a
content that affirms the proposition denies it; an uncertain source is uncertain about it.

Propositions come from the analyst, or are discovered: statements that no analyst proposition
covers are grouped by concept overlap, and a group with several sources becomes a proposition
named by its most central statement.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from corroborate.link.concepts import concepts
from corroborate.link.frames import (
    Frame,
    act_in_cue,
    actor_matches,
    combine,
    cue_force,
    firmness,
    frames,
    polarity,
    reported_act,
    reports_act,
    rival_side_of,
    sentence_readings,
)
from corroborate.link.stance import stance_toward
from corroborate.link.stance_model import refine

ASSIGN_THRESHOLD = 0.5
DENY_CONFIDENCE = 0.75
SEMANTIC_THRESHOLD = 0.5
_NEGATIVE = re.compile(
    r"\b(?:not|no|never|nor|n't|deny|denie[sd]|denial|dismiss\w*|reject\w*|refut\w*|fake|"
    r"false|groundless|baseless|untrue|rumou?rs?|hoax|lies?|fabricat\w*|nonsense|debunk\w*|"
    r"propaganda|without evidence|no evidence|pretext)\b|n't\b", re.IGNORECASE)
CONTEXT_WEIGHT = 0.6
_MIN_CLUSTER = 3
_CLUSTER_SIMILARITY = 0.5


@dataclass(frozen=True)
class Proposition:
    id: str
    statement: str
    origin: str = "analyst"  # analyst | discovered

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "statement": self.statement, "origin": self.origin}


@dataclass(frozen=True)
class Claim:
    """What linking needs of a statement: its text, its sentence, its commitment."""

    statement_id: str
    content: str
    context: str
    stance: str
    source_id: str | None
    dismissal: bool = False  # the stance came from the content calling something fake
    source_names: frozenset[str] = frozenset()  # stems of the source's name, body, country
    cue: str = ""
    # Where it sits (link/context.py), read by the learned linker: its paragraph, the question
    # its turn answers, its document.
    paragraph: str = ""
    question: str = ""
    document: str = ""


@dataclass(frozen=True)
class Assignment:
    statement_id: str
    proposition_id: str
    score: float
    stance: str


def concept_weights(claims: Sequence[Claim]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for claim in claims:
        df.update(concepts(claim.content) | concepts(claim.context))
    return weights_from(df, len(claims))


def weights_from(df: Counter[str], claims: int) -> dict[str, float]:
    """Concept weights from document frequencies (`df`: in how many of the `claims` claims'
    content or sentence each concept occurs): what a streamed pass counts as it reads, so
    the weights need no claim held."""
    n = max(claims, 1)
    raw = {c: math.log((n + 1) / (f + 0.5)) for c, f in df.items()}
    top = max(raw.values(), default=1.0) or 1.0
    # Bounded to [0.5, 1]: rarer concepts count a little more, none dominates a proposition.
    return {c: 0.5 + 0.5 * max(v, 0.0) / top for c, v in raw.items()}


def coverage(target: frozenset[str], content: frozenset[str], context: frozenset[str],
             idf: dict[str, float]) -> float:
    """Share of the proposition's concept weight that the statement mentions."""
    total = sum(idf.get(c, 0.75) for c in target)
    if not total:
        return 0.0
    hit = sum(idf.get(c, 0.75) * (1.0 if c in content else CONTEXT_WEIGHT if c in context
                                  else 0.0) for c in target)
    return hit / total


def stance_on(proposition: str | Frame, claim: Claim) -> str | None:
    """The statement's stance toward the proposition, or None when, read against the
    proposition's frame, it does not bear on it after all (someone other than the actor of
    "Russia has acknowledged X" saying X). The rules read it (`rule_stance_on`); the opt-in
    learned head (`link/stance_model.py`, `CORROBORATE_STANCE=learned`) then weighs their
    readings."""
    frame = proposition if isinstance(proposition, Frame) else \
        frames([("", proposition)])[""]
    return refine(frame, claim, rule_stance_on(frame, claim))


def rule_stance_on(frame: Frame, claim: Claim) -> str | None:
    """`stance_on` by the rules alone. See `link/frames.py` for the reading."""
    text = _plain(claim.content)
    if frame.actor:
        if actor_matches(frame, claim.source_names):
            # "Russian officials have not acknowledged X": the cue is the act itself.
            toward = act_in_cue(claim.cue) if frame.acknowledging else None
            toward = toward or _toward(frame.inner, frame, claim, text)
            return toward if frame.act_affirms else _FLIP.get(toward, toward)
        if not reports_act(frame, text):
            return None
        # Someone reporting the act ("X has not acknowledged that ...") is read against the
        # whole proposition, the act verb included.
        whole = reported_act(frame)
        return _toward(frame.text, whole, claim, text)
    if rival_side_of(frame, text):
        # "A car bomb caused it" against "An air strike caused it": asserting the rival
        # denies ours; doubting the rival says nothing firm about ours.
        return "deny" if claim.stance == "affirm" and not claim.dismissal else "uncertain"
    return _toward(frame.text, frame, claim, text)


_FLIP = {"affirm": "deny", "deny": "affirm"}
_REPORTER = re.compile(r"^(?:Q|REPORTER|QUESTION|AUDIENCE MEMBER)\b[:.]?$", re.IGNORECASE)


def _toward(proposition: str, frame: Frame, claim: Claim, text: str) -> str:
    """Compose the source's commitment with what the content says about the proposition.

    The cue acts first: a refusal ("declined to comment", "neither confirmed nor denied") is
    uncertain whatever follows; a denial verb denies the content, so it affirms the
    proposition only when the content itself negates it. Then the content is read sentence by
    sentence against the proposition's focus (`frames.read_content`): a negated or contrary
    focus denies, a focus under a modal the proposition lacks ("could", "expected to") or a
    speaker who says they do not know is uncertain, an asserted focus affirms. A statement the
    extractor judged uncertain stays so, unless its only hedge is the proposition's own ("most
    likely" on both sides) or it negates the focus outright ("there is not a consensus")."""
    if claim.dismissal:
        return "affirm" if frame.dismissive else "deny"
    force = cue_force(claim.cue)
    if force == "refuse":
        return "uncertain"
    readings = sentence_readings(frame, text)
    sense = combine([r for r in readings if r])
    firm = firmness(frame, text)
    if sense is None:
        sense = _old_sense(proposition, frame, text)
    if force == "deny":
        return "affirm" if sense == "opposite" else "deny"
    question = text.rstrip().endswith("?")
    if claim.stance == "uncertain":
        if question:
            return "uncertain"
        if sense == "opposite" and not _REPORTER.match(claim.cue.strip()):
            # A refusal opening a turn that then says "there is not a consensus" denies;
            # a reporter's question that negates something only asks.
            return "deny"
        if sense == "same" and firm in ("shared", "firm"):
            return "affirm"
        return "uncertain"
    if claim.stance == "deny":
        return "affirm" if sense == "opposite" else "deny"
    if sense in ("withheld", "hedged"):
        return "uncertain"
    if sense == "same" and firm == "weak":
        return "uncertain"
    return "deny" if sense == "opposite" else "affirm"


def _old_sense(proposition: str, frame: Frame, text: str) -> str | None:
    """The whole-text reading for a content that does not touch the focus: the negation that
    governs a shared word, then the lexical stance classifier when something sounds negative."""
    sense = polarity(proposition, text)
    if sense == "withheld":
        return "withheld"
    if sense == "opposite":
        return "opposite"
    if not frame.dismissive and _NEGATIVE.search(text):
        toward, confidence = stance_toward(proposition, text)
        if toward == "deny" and confidence >= DENY_CONFIDENCE:
            return "opposite"
    return None


def _plain(content: str) -> str:
    return re.sub(r"^(?:that\s+)|[“”\"]", "", content.strip(), flags=re.IGNORECASE)


def assign_semantic(propositions: Sequence[Proposition], claims: Sequence[Claim],
                    threshold: float = SEMANTIC_THRESHOLD) -> list[Assignment]:
    """Assignment by sentence-embedding cosine (all-MiniLM-L6-v2 run in numpy): catches
    paraphrases the concept lexicon lacks, at ~250 sentences/s on two cores."""
    from corroborate.link.embed import Embedder

    if not propositions or not claims:
        return []
    embedder = Embedder.load()
    targets = embedder.encode([p.statement for p in propositions])
    vectors = embedder.encode([_plain(c.content) for c in claims])
    scores = vectors @ targets.T
    pairs = ((claim, proposition, float(scores[n, m]))
             for n, claim in enumerate(claims) for m, proposition in enumerate(propositions))
    return _linked(pairs, threshold, _frames(propositions))


StanceReader = Callable[[Frame, Claim], str | None]  # `stance_on`, or one that remembers


def _linked(scored: Iterable[tuple[Claim, Proposition, float]],
            threshold: float, read: dict[str, Frame],
            stance_of: StanceReader = stance_on) -> list[Assignment]:
    """Assignments for the (claim, proposition) pairs scoring at least `threshold` that still
    bear on the proposition once its frame is read (by `stance_of`)."""
    out = []
    for claim, proposition, score in scored:
        if score < threshold:
            continue
        stance = stance_of(read[proposition.id], claim)
        if stance is not None:
            out.append(Assignment(claim.statement_id, proposition.id, round(score, 3), stance))
    return out


def _frames(propositions: Sequence[Proposition]) -> dict[str, Frame]:
    return frames([(p.id, p.statement) for p in propositions])


METHODS = ("rules", "semantic", "learned")


def assign(propositions: Sequence[Proposition], claims: Sequence[Claim],
           threshold: float = ASSIGN_THRESHOLD,
           idf: dict[str, float] | None = None, semantic: bool = False,
           method: str | None = None) -> list[Assignment]:
    """Links of the claims to the propositions. `method`: "rules" (concept coverage, the
    default), "semantic" (MiniLM cosine; the same as `semantic=True`) or "learned" (the model
    of `link/learned.py`, trained on our gold; needs the MiniLM weights)."""
    method = method or ("semantic" if semantic else "rules")
    if method not in METHODS:
        raise ValueError(f"unknown linking method {method!r} (have: {', '.join(METHODS)})")
    if method == "semantic":
        return assign_semantic(propositions, claims)
    if method == "learned":
        from corroborate.link.learned import link_pairs

        return link_pairs(propositions, claims)
    idf = idf if idf is not None else concept_weights(claims)
    return assign_prepared(propositions,
                           ((c, concepts(c.content), concepts(c.context)) for c in claims),
                           idf, threshold)


Prepared = tuple[Claim, frozenset[str], frozenset[str]]  # a claim, its content's and
# sentence's concepts


def assign_prepared(propositions: Sequence[Proposition], prepared: Iterable[Prepared],
                    idf: dict[str, float], threshold: float = ASSIGN_THRESHOLD,
                    stance_of: StanceReader = stance_on) -> list[Assignment]:
    """The rules' links of claims whose concepts are already counted, read once in order
    (streamed from a scratch table by `link/run.py`, or a list): each claim is scored
    against every proposition whose concepts it touches. The result is ordered by
    proposition, then claim, as if each proposition had been matched in turn. `stance_of`
    reads a linked pair's stance; `link/run.py` passes one that reuses the stances a
    previous run stored for the same inputs (the costly part of this function)."""
    read = _frames(propositions)
    # An act's proposition is matched on what was acknowledged; the actor is checked
    # against the source when the stance is read.
    targets = [(p, concepts(read[p.id].inner)) for p in propositions]
    found: dict[str, list[Assignment]] = {p.id: [] for p in propositions}
    for claim, content, context in prepared:
        words = content | context
        for proposition, target in targets:
            if target.isdisjoint(words):
                continue
            found[proposition.id] += _linked(
                [(claim, proposition, coverage(target, content, context, idf))],
                threshold, read, stance_of)
    return [a for p in propositions for a in found[p.id]]


def discover(claims: Sequence[Claim], covered: set[str],
             similarity: float = _CLUSTER_SIMILARITY,
             idf: dict[str, float] | None = None) -> list[Proposition]:
    """Group uncovered statements into propositions (leader clustering over concepts)."""
    idf = idf if idf is not None else concept_weights(claims)
    leader = Leader(idf, similarity)
    bags = [(claim, concepts(claim.content)) for claim in claims
            if claim.statement_id not in covered]
    groups = [leader.take(bag, claim.source_id) for claim, bag in bags]
    for (claim, bag), group in zip(bags, groups, strict=True):
        if group is not None:
            leader.consider(group, claim, bag)
    return leader.propositions()


class Leader:
    """Leader clustering of uncovered claims, in two passes over them so that nothing per
    claim is held: `take` each claim's content concepts in order (it joins the group it
    resembles most, else starts one) and keep the group number it returns; then
    `consider` each grouped claim again, to find each kept group's most central one, which
    names the discovered proposition. What is held is per group: its concept counts, its
    size and up to two of its sources."""

    def __init__(self, idf: dict[str, float], similarity: float = _CLUSTER_SIMILARITY) -> None:
        self.idf, self.similarity = idf, similarity
        self.centres: list[Counter[str]] = []
        self.sizes: list[int] = []
        self.sources: list[set[str | None]] = []
        self.index: dict[str, set[int]] = defaultdict(set)
        self._tops: dict[int, set[str]] | None = None
        self.central: dict[int, tuple[float, Claim]] = {}

    def take(self, bag: frozenset[str], source_id: str | None) -> int | None:
        """The group the claim joins (None: too few concepts to group)."""
        if len(bag) < 3:
            return None
        best, best_score = None, 0.0
        for g in {g for c in bag for g in self.index.get(c, ())}:
            top = {c for c, _ in self.centres[g].most_common(8)}
            score = _weighted_jaccard(bag, top, self.idf)
            if score > best_score:
                best, best_score = g, score
        if best is None or best_score < self.similarity:
            best = len(self.centres)
            self.centres.append(Counter())
            self.sizes.append(0)
            self.sources.append(set())
        self.centres[best].update(bag)
        self.sizes[best] += 1
        if len(self.sources[best]) < 2:
            self.sources[best].add(source_id)
        for c in bag:
            self.index[c].add(best)
        return best

    def tops(self) -> dict[int, set[str]]:
        """The kept groups (enough members, at least two sources) and their top concepts."""
        if self._tops is None:
            self._tops = {g: {c for c, _ in centre.most_common(8)}
                          for g, centre in enumerate(self.centres)
                          if self.sizes[g] >= _MIN_CLUSTER and len(self.sources[g]) >= 2}
        return self._tops

    def consider(self, group: int, claim: Claim, bag: frozenset[str]) -> None:
        """Second pass, in the same order: the first most central member of a kept group."""
        top = self.tops().get(group)
        if top is None:
            return
        score = _weighted_jaccard(bag, top, self.idf)
        if group not in self.central or score > self.central[group][0]:
            self.central[group] = (score, claim)

    def propositions(self) -> list[Proposition]:
        found = []
        for g in sorted(self.tops()):
            central = self.central[g][1]
            text = _plain(central.content)
            pid = "D" + hashlib.sha1(central.statement_id.encode()).hexdigest()[:8]
            found.append(Proposition(pid, text[:240], "discovered"))
        return found


def _weighted_jaccard(a: frozenset[str] | set[str], b: set[str], idf: dict[str, float]) -> float:
    union = a | b
    if not union:
        return 0.0
    return sum(idf.get(c, 1.0) for c in a & b) / sum(idf.get(c, 1.0) for c in union)
