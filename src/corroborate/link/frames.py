"""What a proposition asserts beyond its words, read from the proposition text alone.

Lexical or semantic similarity says a statement is *about* a proposition; it does not say
whether the statement supports it. Three things decide that and hold for any story, so they are
derived from the analyst's wording, never from case data:

- **polarity**: "No government aircraft were operating over the town" shares every content word
  with "Government aircraft were operating over the town" and denies it; a negation governing a
  word the two share flips the stance, one governing an "unconfirming" word ("not clear", "not
  confirmed") withholds it;
- **rivals**: two analyst propositions that say the same thing but for one slot ("An air strike
  caused the explosion" / "A car bomb caused the explosion") exclude each other, so a statement
  that fills the slot with the rival's words denies ours rather than affirming it;
- **actors**: "Russia has acknowledged X" is a claim about an act of Russia's: statements that
  X, by anyone else, do not bear on it; Russia's own statements on X do, with their commitment
  (an acknowledgement affirms, a denial denies, "neither confirm nor deny" is uncertain).

A proposition that itself calls something a pretext, a hoax or fake is **dismissive**: a source
calling the reports a pretext affirms it, where the same dismissal denies the underlying claim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache

from corroborate.link.stance import lexicon, stem

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
_ACT = re.compile(
    r"^(?P<actor>.+?)\s+(?:has|have|had|did)?\s*(?:not\s+)?(?:\w+ly\s+)?"
    r"(?P<verb>acknowledged?|admit(?:ted|s)?|confirm(?:ed|s)?|conceded?|recogni[sz]ed?|"
    r"accept(?:ed|s)?|denie[sd]|deny|claim(?:ed|s)?|said|says|stated?|announced?|"
    r"asserted?|insist(?:ed|s)?|alleged?)\s+(?:that\s+)?(?P<inner>.+)$",
    re.IGNORECASE)
_ACT_VERB = re.compile(
    r"\b(?:acknowledg\w*|admit\w*|confirm\w*|conced\w*|recogni[sz]\w*|accept\w*|den(?:y|ie[sd]|ial)|"
    r"claim\w*|said|says|stated?|announc\w*|assert\w*|insist\w*|alleg\w*)\b", re.IGNORECASE)
_ACKNOWLEDGING = re.compile(
    r"\b(?:acknowledg\w*|admit\w*|confirm\w*|conced\w*|recogni[sz]\w*)\b", re.IGNORECASE)
_DENYING = re.compile(r"\bden(?:y|ie[sd])\b", re.IGNORECASE)
_NEGATED_CUE = re.compile(r"\b(?:not|never|no|neither|nor|refus\w*|declin\w*)\b|n't\b",
                          re.IGNORECASE)
_ACTOR_REACH = 4
_NEGATED_ACT = re.compile(r"\b(?:has|have|had|did)\s+not\b|n't\b", re.IGNORECASE)
_DISMISSIVE = re.compile(
    r"\b(?:pretext|hoax|fake|fabricat\w*|false flag|staged|propaganda|disinformation|"
    r"smear|inflat\w*|exaggerat\w*)\b", re.IGNORECASE)
# Negations that do not negate what follows: "not only", "no doubt", "nothing but".
_NOT_NEGATING = frozenset({"only", "just", "merely", "doubt", "but"})
_NEGATION_WINDOW = 4


@dataclass(frozen=True)
class Frame:
    """A proposition as linking reads it."""

    id: str
    text: str
    inner: str  # what statements are compared with (the acknowledged content for an act)
    actor: frozenset[str] = frozenset()  # stems naming who must act ("Russia" -> russia)
    act_affirms: bool = True  # "acknowledged"/"confirmed": True; "denied": False
    acknowledging: bool = False  # the act is acknowledging ("admitted", "confirmed")
    dismissive: bool = False
    rivals: tuple[tuple[frozenset[str], frozenset[str]], ...] = ()  # (ours, theirs) stems


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def content_stems(text: str) -> frozenset[str]:
    lex = lexicon()
    return frozenset(stem(w) for w in words(text)
                     if w not in lex.stopwords and not _is_negation(w))


def _is_negation(word: str) -> bool:
    return word in lexicon().negations or word.endswith("n't")


def frames(propositions: Sequence[tuple[str, str]]) -> dict[str, Frame]:
    """Frames for (id, text) propositions; rivals are looked for among all of them."""
    out: dict[str, Frame] = {}
    for pid, text in propositions:
        frame = Frame(pid, text, text, dismissive=bool(_DISMISSIVE.search(text)))
        act = _ACT.match(text.strip().rstrip("."))
        if act and content_stems(act.group("actor")):
            denial = act.group("verb").lower().startswith("den")
            negated = bool(_NEGATED_ACT.search(act.group(0)[:act.start("verb")]))
            frame = replace(frame, inner=act.group("inner"),
                            actor=content_stems(act.group("actor")),
                            act_affirms=denial == negated,
                            acknowledging=bool(_ACKNOWLEDGING.fullmatch(act.group("verb"))))
        out[pid] = frame
    for pid, frame in out.items():
        out[pid] = replace(frame, rivals=tuple(
            pair for other_id, other in out.items() if other_id != pid
            for pair in [_rival_slots(frame.text, other.text)] if pair))
    return out


@lru_cache(maxsize=4096)
def _rival_slots(ours: str, theirs: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """The one slot in which two otherwise identical propositions differ, as content stems of
    each side; None unless they read as alternatives: one slot differs and either most of
    each proposition is shared ("[An air strike | A car bomb] caused the explosion") or the
    slot is what a shared subject *is* ("The balloon was [a surveillance craft | a civilian
    airship]"). Refinements ("sent to Russia" / "deployed in Kursk") and propositions that only
    share a name ("North Korean soldiers have been killed" / "... issued documents") are not."""
    a, b = words(ours), words(theirs)
    lex = lexicon()
    blocks = [op for op in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
              if op[0] != "equal"]
    if len(blocks) != 1 or blocks[0][0] != "replace":
        return None
    _, i1, i2, j1, j2 = blocks[0]
    shared = [w for w in a[:i1] + a[i2:] if w not in lex.stopwords]
    mine = frozenset(stem(w) for w in a[i1:i2] if w not in lex.stopwords)
    other = frozenset(stem(w) for w in b[j1:j2] if w not in lex.stopwords)
    if not shared or not mine or not other or mine & other:
        return None
    if _verb_like(a[i1:i2]) or _verb_like(b[j1:j2]):
        return None  # two predicates ("fighting on the battlefield" / "deployed in Kursk")
    mostly_shared = all(len(shared) >= _SHARED_SHARE * (len(shared) + len(side))
                        for side in (mine, other))
    is_slot = i1 >= 2 and a[i1 - 1] in _ARTICLES and a[i1 - 2] in _COPULAS \
        and i2 == len(a) and j2 == len(b)
    if not (mostly_shared or is_slot):
        return None
    return mine - other, other - mine


def _verb_like(slot: list[str]) -> bool:
    """Whether a slot opens with a verb form, i.e. the propositions differ in what is done
    rather than in who or what did it (no tagger: inflection and auxiliaries are enough)."""
    first = next((w for w in slot if w not in _ARTICLES), "")
    return first in _AUXILIARIES or (len(first) >= 5 and first.endswith(("ed", "ing"))
                                     and first not in _NOT_VERBS)


_AUXILIARIES = frozenset({"is", "was", "are", "were", "be", "been", "being", "has", "have",
                          "had", "did", "does", "do", "will", "would", "can", "could"})
_NOT_VERBS = frozenset({"during", "thing", "nothing", "something", "anything", "everything",
                        "evening", "morning", "building", "hundred", "sacred", "kindred"})
_SHARED_SHARE = 0.4
_COPULAS = frozenset({"is", "was", "are", "were", "be", "been"})
_ARTICLES = frozenset({"a", "an", "the"})


def rival_side(frame: Frame, claim_stems: frozenset[str]) -> bool:
    """True when the statement fills the contested slot with more of a rival's words than of
    ours ("a civilian research airship" against "a Chinese surveillance craft")."""
    return any(len(claim_stems & theirs) > len(claim_stems & ours) for ours, theirs in frame.rivals)


def actor_matches(frame: Frame, names: frozenset[str]) -> bool:
    """Whether a source named by these stems is the proposition's actor ("Russia" matches the
    Russian defence ministry; "China" the Chinese foreign ministry)."""
    return any(_same_name(a, n) for a in frame.actor for n in names)


def reports_act(frame: Frame, content: str) -> bool:
    """Whether the content itself says the actor acted ("Veltria has not acknowledged ..."):
    an act verb with a word naming the actor just before it."""
    ws = words(content)
    for i, w in enumerate(ws):
        if _ACT_VERB.fullmatch(w):
            before = {stem(x) for x in ws[max(0, i - _ACTOR_REACH):i]}
            if actor_matches(frame, frozenset(before)):
                return True
    return False


def act_in_cue(cue: str) -> str | None:
    """What a cue says of the act itself: "has not acknowledged" -> 'deny', "confirmed" ->
    'affirm', "neither confirmed nor denied" -> 'uncertain'; None for an ordinary cue."""
    if not cue or not _ACKNOWLEDGING.search(cue):
        return None
    if _DENYING.search(cue) and _ACKNOWLEDGING.search(_DENYING.sub("", cue)):
        return "uncertain"
    return "deny" if _NEGATED_CUE.search(cue) else "affirm"


def _same_name(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) < 4:
        return False
    common = 0
    for x, y in zip(short, long_, strict=False):
        if x != y:
            break
        common += 1
    return common >= 4 and common >= 0.8 * len(short)


def polarity(proposition: str, content: str) -> str:
    """'same', 'opposite' or 'withheld': whether the content negates what the proposition
    asserts. A negation counts when the first content word after it (articles and auxiliaries
    skipped) is one the proposition has, so "troops who never trained were deployed" does not
    deny a deployment; 'withheld' when that word is a confirmation ("not clear", "has not been
    confirmed"), which withholds commitment rather than denying."""
    lex = lexicon()
    p_words = words(proposition)
    p_stems = {stem(w) for w in p_words if w not in lex.stopwords and not _is_negation(w)}
    content_negated, withheld = _negates(words(content), p_stems)
    proposition_negated, _ = _negates(p_words, p_stems)
    if withheld and not content_negated:
        return "withheld"
    return "same" if content_negated == proposition_negated else "opposite"


def _negates(ws: list[str], targets: set[str]) -> tuple[bool, bool]:
    """(a negation governs one of `targets`, a negation governs a confirmation word)."""
    lex = lexicon()
    negated = withheld = False
    for i, w in enumerate(ws):
        if not _is_negation(w):
            continue
        following = ws[i + 1:i + 1 + _NEGATION_WINDOW]
        if following and following[0] in _NOT_NEGATING:
            continue
        for nxt in following:
            if nxt in lex.unconfirming:
                withheld = True
                break
            if nxt in lex.stopwords or _is_negation(nxt):
                continue
            negated = negated or stem(nxt) in targets
            break
    return negated, withheld
