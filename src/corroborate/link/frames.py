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

The statement's content is then read against the proposition's **focus**, the stems that tell it
apart from the story's other propositions ("have taken part in combat" of "North Korean troops
have taken part in combat"), one sentence at a time (`read_content`): a negation or a predicate
that negates its object ("protected against collection") governing a focus word, the contrary
of one of the proposition's evaluative words ("lacks crucial data" against "an adequate
account") or a demand for what it says is done ("we want China's full cooperation") reads
'opposite'; a focus word under a modal or prospective word the proposition itself lacks
("expected to", "could") reads 'hedged'; a speaker saying they do not know or will not say
("we don't know yet", "I'm not going to get ahead of") reads 'withheld'; what the speaker relays
from others ("they said it was a weather balloon") is not their assertion. Word lists:
`data/meaning.json` (general English, no story's names).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import cache, lru_cache

from corroborate.link.stance import DATA, lexicon, stem

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
_ACT = re.compile(
    r"^(?P<actor>.+?)\s+(?:has|have|had|did)?\s*(?:not\s+)?(?:\w+ly\s+)?"
    r"(?P<verb>acknowledged?|admit(?:ted|s)?|confirm(?:ed|s)?|conceded?|recogni[sz]ed?|"
    r"accept(?:ed|s)?|denie[sd]|deny|claim(?:ed|s)?|said|says|stated?|announced?|"
    r"asserted?|insist(?:ed|s)?|alleged?)\s+(?:that\s+)?(?P<inner>.+)$",
    re.IGNORECASE)
_ACT_VERB = re.compile(
    r"\b(?:acknowledg\w*|admit\w*|confirm\w*|conced\w*|recogni[sz]\w*|accept\w*|den(?:y|ie[sd]|ying|ial)|"
    r"claim\w*|said|says|stated?|announc\w*|assert\w*|insist\w*|alleg\w*)\b", re.IGNORECASE)
_ACKNOWLEDGING = re.compile(
    r"\b(?:acknowledg\w*|admit\w*|confirm\w*|conced\w*|recogni[sz]\w*)\b", re.IGNORECASE)
_DENYING = re.compile(r"\bden(?:y|ie[sd])\b", re.IGNORECASE)
_NEGATED_CUE = re.compile(r"\b(?:not|never|no|neither|nor|refus\w*|declin\w*)\b|n't\b",
                          re.IGNORECASE)
_ACTOR_REACH = 10
_NEGATED_ACT = re.compile(r"\b(?:has|have|had|did)\s+not\b|n't\b", re.IGNORECASE)
_DISMISSIVE = re.compile(
    r"\b(?:pretext|hoax|fake|fabricat\w*|false flag|staged|propaganda|disinformation|"
    r"smear|inflat\w*|exaggerat\w*)\b", re.IGNORECASE)
# Negations that do not negate what follows: "not only", "no doubt", "nothing but", "there is
# no question that", "make no mistake", "no matter who", "not least".
_NOT_NEGATING = frozenset({"only", "just", "merely", "doubt", "but", "question", "mistake",
                           "matter", "least"})
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
    # What this proposition says that the story's other propositions do not (its predicate):
    # "North Korean troops [have taken part in combat]"; all its stems when it stands alone.
    focus: frozenset[str] = frozenset()
    modal: frozenset[str] = frozenset()  # its own hedges ("most likely"): not a statement's
    negative: bool = False  # the proposition negates its own focus ("No aircraft were ...")


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
    topic = _topic(out.values())
    for pid, frame in out.items():
        modal = frozenset(w for w in words(frame.inner) if w in meaning().prospective)
        if modal & _FUTURE:
            # "will not change the course": a statement that it is "not going to change" it
            # says the same future, not a hedge of it.
            modal |= _FUTURE
        if set(words(frame.inner)) & _INTENT:
            # "The march aimed to seize power": "he was planning to capture the leadership"
            # states the same intent; an intent is what the proposition is about.
            modal |= _INTENT
        own = _lemmas(frame.inner)
        out[pid] = replace(frame, rivals=tuple(
            pair for other_id, other in out.items() if other_id != pid
            for pair in [_rival_slots(frame.text, other.text)
                         or _rival_predicates(frame.inner, other.inner)
                         or _rival_causes(frame.inner, other.inner)] if pair),
            focus=_telling(own - topic, frame.inner) or _telling(own, frame.inner) or own,
            modal=modal,
            negative=_negated_focus(_tokens(frame.inner), own, modal) is not None)
    return out


def _telling(stems: frozenset[str], text: str) -> frozenset[str]:
    """The stems that can carry a claim: a date ("February 4, 2023", "on August 23") or the
    pieces of "U.S." / "United States" say when or where, and a negation near one ("not in
    2023", "no U.S. role") does not deny what the proposition asserts. Other numbers stay
    ("about 10,000 soldiers": the number is the claim)."""
    ws = words(text)
    dates = set()
    for i, w in enumerate(ws):
        if stem(w) in _MONTHS:
            dates.add(stem(w))
            dates.update(x for x in ws[max(0, i - 1):i + 4] if x.isdigit()
                         and (int(x) <= 31 or 1900 <= int(x) <= 2099))
        elif w.isdigit() and len(w) == 4 and 1900 <= int(w) <= 2099:
            dates.add(w)
    return frozenset(s for s in stems if s not in dates and (len(s) > 1 or s.isdigit())
                     and s not in _PLACE_PIECES)


_MONTHS = frozenset(stem(m) for m in (
    "january", "february", "april", "june", "july", "august", "september", "october",
    "november", "december"))  # not "march" or "may": words of their own
_PLACE_PIECES = frozenset({"unit", "stat"})


_FUTURE = frozenset({"will", "shall", "going"})
_INTENT = frozenset({"aim", "aims", "aimed", "aiming", "intend", "intends", "intended",
                     "intention", "plan", "plans", "planned", "planning", "seek", "seeks",
                     "seeking", "sought", "prepare", "prepared", "preparing"})


def _topic(read: Sequence[Frame] | object) -> frozenset[str]:
    """Stems more than half of three or more propositions share: the story's subject
    ("north", "troop"), which tells none of them apart."""
    frames_ = list(read)  # type: ignore[call-overload]
    if len(frames_) < 3:
        return frozenset()
    df = Counter(s for f in frames_ for s in _lemmas(f.inner))
    return frozenset(s for s, n in df.items() if n > len(frames_) / 2)


@lru_cache(maxsize=4096)
def _rival_slots(ours: str, theirs: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """The one slot in which two otherwise identical propositions differ, as content stems of
    each side; None unless they read as alternatives: one slot differs and either most of
    each proposition is shared ("[An air strike | A car bomb] caused the explosion") or the
    slot is what a shared subject *is* ("The balloon was [a surveillance craft | a civilian
    airship]"). Refinements ("sent to Russia" / "deployed in Kursk") and propositions that only
    share a name ("North Korean soldiers have been killed" / "... issued documents") are not."""
    cause_a, cause_b = _cause(ours), _cause(theirs)
    if cause_a and cause_b and cause_a[0] == cause_b[0]:
        return None  # one agent, two events: "the rebels caused [the explosion | the collapse]"
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


def rival_side_of(frame: Frame, text: str) -> bool:
    """`rival_side` over the sentences the speaker asserts: what they relay from others ("they
    said it was a weather balloon") is not their side."""
    own = " ".join(s for s in sentences(text) if relay_reading(s) is None) \
        if len(sentences(text)) > 1 else text
    return rival_side(frame, content_stems(_DISCOURSE.sub(" ", own)))


# Fixed phrases whose words name nothing: "of course" is not a course, "in fact" no fact.
_DISCOURSE = re.compile(r"\b(?:of course|in fact|as a matter of fact|at the end of the day|"
                        r"by the way|in the first place)\b", re.IGNORECASE)


def actor_matches(frame: Frame, names: frozenset[str]) -> bool:
    """Whether a source named by these stems is the proposition's actor ("Russia" matches the
    Russian defence ministry; "China" the Chinese foreign ministry; "the U.S. government" a
    source whose country is the United States). A generic word of the actor ("government",
    "officials") counts only when the actor has no other: the Chinese government is not
    "the U.S. government"."""
    actor, have = _countries(frame.actor), _countries(names)
    specific = actor - _GENERIC_ACTOR
    return any(_same_name(a, n) for a in (specific or actor) for n in have)


_GENERIC_ACTOR = frozenset({"government", "administration", "official", "authority", "authoriti",
                            "ministry", "military", "forc", "leadership", "regim", "side",
                            "agency", "agencies", "officer"})


def _countries(stems: frozenset[str]) -> frozenset[str]:
    """One stem for the spellings of the United States ("U.S.", "US", "United States",
    "America", "American"), whose pieces ("u", "unit", "stat") name nothing alone."""
    out = set(stems)
    if {"unit", "stat"} <= out or "u" in out or out & {"america", "american", "usa", "us"}:
        out -= {"u", "unit", "stat", "usa", "us", "america", "american"}
        out.add("unitedstates")
    return frozenset(out)


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


def reported_act(frame: Frame) -> Frame:
    """The frame a third party's report of the act is read against ("Iran and Russia continue
    to lie about it, denying that Iran is providing weapons" against "Iran has acknowledged
    supplying weapons"): the act verb is the focus, so the report's denial or admission
    decides, not the shared words of what was acknowledged ("their use by Russia")."""
    verbs = frozenset(stem(w) for w in words(frame.text) if _ACT_VERB.fullmatch(w))
    return replace(frame, inner=frame.text, focus=verbs or content_stems(frame.text))


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


# ---------------------------------------------------------------- reading a statement's content


@dataclass(frozen=True)
class Meaning:
    """The word lists of `data/meaning.json`, loaded once."""

    withholding: tuple[str, ...]
    prospective: frozenset[str]
    firm: tuple[str, ...]
    weak: tuple[str, ...]
    demand: tuple[str, ...]
    antonyms: tuple[tuple[frozenset[str], frozenset[str]], ...]
    clippings: dict[str, str]  # "lab" -> "laboratory"
    negating: frozenset[str]  # predicates that negate their object: "protected against X"
    irregular: dict[str, str]  # "blown" -> "blow": one stem for a verb's forms
    details: frozenset[str] = frozenset()  # "specific numbers": what a detail refusal withholds
    asserting: tuple[str, ...] = ()  # "what I will say is", "certainly": a sentence's own force


@cache
def meaning() -> Meaning:
    data = json.loads((DATA / "meaning.json").read_text(encoding="utf-8"))
    return Meaning(tuple(data["withholding"]), frozenset(data["prospective"]),
                   tuple(data["firm_modality"]), tuple(data["weak_modality"]),
                   tuple(data["demand"]),
                   tuple((frozenset(a), frozenset(b)) for a, b in data["antonyms"]),
                   dict(data["clippings"]), frozenset(data["negating_predicates"]),
                   dict(data["irregular"]), frozenset(data.get("detail_nouns", ())),
                   tuple(data.get("asserting", ())))


_COPULA_SLOT = re.compile(r"^(?P<subject>.+?)\s+(?:is|was|are|were)\s+(?:a|an)\s+(?P<slot>.+)$",
                          re.IGNORECASE)


def _rival_predicates(ours: str, theirs: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """Two propositions saying what one subject *is* with nothing in common ("The balloon
    [that was shot down] was a surveillance craft" / "The balloon was a civilian airship"):
    a thing is one or the other, so they exclude each other even when the rest differs."""
    a = _COPULA_SLOT.match(ours.strip().rstrip("."))
    b = _COPULA_SLOT.match(theirs.strip().rstrip("."))
    if not a or not b:
        return None
    head_a, head_b = _head(a.group("subject")), _head(b.group("subject"))
    if not head_a or head_a != head_b:
        return None
    mine, other = _slot_words(a.group("slot")), _slot_words(b.group("slot"))
    if not mine or not other or mine & other:
        return None
    return mine, other


_CAUSED_BY = (r"(?:caused|triggered|started|set off|carried out|committed|perpetrated|"
              r"hit|struck|destroyed|bombed|shelled|attacked|damaged)\s+by|the (?:result|"
              r"work|product) of|a result of|due to|the fault of")
# "X caused Y" / "Y was caused by X" / "X was behind Y": who or what brought an event about.
_CAUSES = (
    re.compile(rf"^(?P<event>.+?)\s+(?:was|were|is|are)\s+(?:\w+ly\s+)?(?:{_CAUSED_BY})\s+"
               r"(?P<agent>.+)$", re.IGNORECASE),
    re.compile(r"^(?P<event>.+?)\s+(?:resulted|came|stemmed)\s+from\s+(?P<agent>.+)$",
               re.IGNORECASE),
    re.compile(r"^(?P<agent>.+?)\s+(?:was|were|is|are)\s+(?:responsible for|behind|to blame "
               r"for)\s+(?P<event>.+)$", re.IGNORECASE),
    re.compile(r"^(?P<agent>.+?)\s+(?:caused|triggered|set off|carried out|perpetrated|hit|"
               r"struck|destroyed|bombed|shelled)\s+(?P<event>.+)$", re.IGNORECASE),
)
_EVENT_SHARE = 0.5


def _cause(text: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """(the agent's stems, the event's stems) of a causal proposition, or None."""
    plain = text.strip().rstrip(".")
    for pattern in _CAUSES:
        m = pattern.match(plain)
        if m:
            agent, event = content_stems(m.group("agent")), content_stems(m.group("event"))
            if agent and event and not any(_is_negation(w) for w in words(m.group("agent"))):
                return agent, event
    return None


def _rival_causes(ours: str, theirs: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """Two propositions naming different causes of one event, however each is phrased ("The
    explosion at the market was caused by an air strike" / "A car bomb caused the market
    explosion" / "The rebels were responsible for the market explosion"): an event has one
    cause, so a statement giving the rival's denies ours. A refinement of the same cause ("an
    air strike" / "a government air strike") is not a rival, nor are two events."""
    a, b = _cause(ours), _cause(theirs)
    if not a or not b:
        return None
    (agent_a, event_a), (agent_b, event_b) = a, b
    shared = event_a & event_b
    if len(shared) < _EVENT_SHARE * min(len(event_a), len(event_b)):
        return None
    mine, other = agent_a - agent_b - shared, agent_b - agent_a - shared
    if not mine or not other:
        return None
    return mine, other


def _slot_words(slot: str) -> frozenset[str]:
    """The stems that say what the thing is: verb forms ("used", "blown") and letters ("U" of
    "U.S.") describe rather than name, and would match any statement."""
    lex = lexicon()
    return frozenset(stem(w) for w in words(slot) if w not in lex.stopwords
                     and not _is_negation(w) and len(w) > 2
                     and not (len(w) >= 4 and w.endswith(("ed", "ing")) and w not in _NOT_VERBS))


def _head(subject: str) -> str:
    """The first content word of a subject noun phrase ("The balloon that crossed ..." ->
    balloon)."""
    for w in words(subject):
        if w not in lexicon().stopwords:
            return stem(w)
    return ""


_CLAUSE_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*|[,;:—–]")
_SENTENCE_END = re.compile(r"(?<=[.?!])[\"”’)]?\s+|\n\s*\n")
_CLAUSE_BREAK = frozenset({",", ";", ":", "—", "–", "but", "while", "although", "though",
                           "whereas", "however", "and"})
# Negation passes through these to the clause they introduce: "nothing suggests they were
# related", "we don't believe it meets the moment" (neg-raising).
_TRANSPARENT = frozenset({"suggest", "suggests", "indicate", "indicates", "show", "shows",
                          "believe", "think", "expect", "see", "seen", "evidence", "sign",
                          "indication", "say", "saying", "right", "now", "yet", "appear",
                          "seem", "assess", "necessarily", "really", "actually", "everyone",
                          "everybody", "all", "any", "every", "anyone", "single", "fully",
                          "quite", "exactly", "entirely", "completely"})
# Light verbs a negation reaches through to their object: "has not come to a consensus",
# "did not provide access", "have not drawn a conclusion".
_LIGHT = frozenset({"come", "came", "get", "got", "make", "made", "take", "taken", "took",
                    "reach", "reached", "arrive", "arrived", "give", "gave", "given", "provide",
                    "provided", "draw", "drawn", "find", "found", "lead", "offer", "offered",
                    "hold", "held", "show", "shown", "amount", "qualify"})
_READING_WINDOW = 4
_HEDGE_REACH = 9
_HEDGE_AFTER = 1


# A full stop after these ends an abbreviation, not a sentence: "Mr. Lavrov", "no U.S.
# involvement" are one sentence each. Single capital letters ("U.S.", "J. Smith") are too.
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "gen", "sen", "rep", "gov", "lt",
                            "col", "sgt", "capt", "adm", "maj", "prof", "jr", "sr", "vs",
                            "amb", "sec", "pres", "rev", "hon", "messrs", "mt", "ft"})
_LAST_WORD = re.compile(r"(?:^|[\s(\[\"“])([A-Za-z](?:\.[A-Za-z])*|[A-Za-z]+)\.$")


def sentences(text: str) -> list[str]:
    """The text cut at sentence ends, not at the full stop of an abbreviation or initial."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        before = text[start:m.start()]
        last = _LAST_WORD.search(before)
        if last and before.endswith(".") and m.group(0).strip() == "" and \
                ((len(last.group(1).replace(".", "")) <= 2 and last.group(1)[0].isupper()
                 and "." in last.group(1)) or len(last.group(1)) == 1
                 or last.group(1).lower() in _ABBREVIATIONS):
            continue
        out.append(text[start:m.start()])
        start = m.end()
    out.append(text[start:])
    return [s for s in out if s.strip()]


def _tokens(sentence: str) -> list[str]:
    return _fluent([t.lower().replace("’", "'") for t in _CLAUSE_TOKEN.findall(sentence)])


_DASHES = frozenset({"—", "–"})
_RESTART = 3


def _fluent(ts: list[str]) -> list[str]:
    """Tokens with a speaker's restarts taken out: "Putin is not — is not behind", "we — we
    saw", "it doesn't — it doesn't provide". A transcript's dash before words that repeat the
    ones just said is a false start, not a clause break, so the negation and its scope are
    read across it."""
    out: list[str] = []
    i = 0
    while i < len(ts):
        t = ts[i]
        if t in _DASHES and out:
            for n in range(min(_RESTART, len(out)), 0, -1):
                if out[-n:] == ts[i + 1:i + 1 + n]:
                    del out[-n:]
                    break
            else:
                out.append(t)
            i += 1
            continue
        out.append(t)
        i += 1
    return out


def _phrase_in(tokens: list[str], phrases: Sequence[str]) -> bool:
    joined = " " + " ".join(t for t in tokens if t not in _CLAUSE_BREAK or t == "and") + " "
    return any(f" {p} " in joined for p in phrases)


def lemma(word: str) -> str:
    """The stem of a word with its clipping ("lab") and irregular verb form ("blown") undone."""
    mean = meaning()
    return stem(mean.irregular.get(word, mean.clippings.get(word, word)))


def _lemmas(text: str) -> frozenset[str]:
    lex = lexicon()
    return frozenset(lemma(w) for w in words(text)
                     if w not in lex.stopwords and not _is_negation(w))


def _focus_hit(word: str, focus: frozenset[str]) -> bool:
    s = lemma(word)
    return s in focus or (len(s) >= 5 and any(_same_name(s, f) for f in focus if len(f) >= 5))


_RELAY = re.compile(
    r"\b(?:they|he|she|officials|the chinese|the russians|critics|others|some)\s+(?:\w+\s+)?"
    r"(?:said|say|says|saying|claimed|claim|claims|claiming|argued|argue|insisted|insist|"
    r"maintained|maintain|contended|alleged|told)\b", re.IGNORECASE)
# "Moscow claims …", "the Kremlin has insisted …": a named party's saying, relayed. Case
# matters (a name starts upper-case); the speaker's own "We said" / "I said" is not a relay.
_NAMED_RELAY = re.compile(
    r"\b(?!(?:I|We|You|It|This|That|As)\b)(?:[Tt]he\s+)?[A-Z][a-z]+"
    r"(?:\s+(?!we\b|you\b)[A-Za-z][a-z]+)?\s+"
    r"(?:has\s+|have\s+|had\s+)?(?:said|says|claimed|claims|insisted|insists|maintained|"
    r"maintains|alleged|alleges|contended|contends)\b")
_ENDORSED = re.compile(r"\bas\s+(?:\S+\s+){0,6}$", re.IGNORECASE)


def _named_relay(sentence: str) -> bool:
    """A named party's saying in the sentence, not endorsed by "as" ("as the Pentagon has
    said, it is a surveillance balloon" is the speaker's own assertion)."""
    return any(not _ENDORSED.search(sentence[:m.start()])
               for m in _NAMED_RELAY.finditer(sentence))


_RELAY_REJECTED = re.compile(
    r"(?:,\s*which\s+(?:it|they|that|this)\s+(?:was|were|is|are)(?:\s+not|n't)|"
    r"\bwe\s+know\s+(?:it|that|this)(?:'s|’s|\s+is|\s+was)\s+not)\W*$", re.IGNORECASE)


def relay_reading(sentence: str) -> str | None:
    """'relayed' for a sentence in which the speaker reports what others said ("they said it
    was a weather balloon"): the speaker does not assert it; 'rejected' when the speaker adds
    that it is not so ("..., which it was not"); None for the speaker's own words."""
    if not _RELAY.search(sentence) and not _named_relay(sentence):
        return None
    return "rejected" if _RELAY_REJECTED.search(sentence.strip()) else "relayed"


_DISMISSING = re.compile(
    r"\b(?:smear\w*|slander\w*|(?:is|are|was|were|'s|’s|as|call\w*|a|an|just|pure|all|"
    r"another|total|complete|absolute)\s+(?:a\s+|an\s+|the\s+)?(?:fake|lies?|baseless|groundless|"
    r"false|untrue|nonsense|fabricat\w*|hoax|propaganda|conspiracy|rumou?rs?|pretext|"
    r"disinformation|misinformation|fiction|absurd))\b", re.IGNORECASE)


def dismisses(sentence: str) -> bool:
    """Whether the sentence calls something fake, a lie or a smear (as a predicate: "fake
    documents" only describes documents), and no negation takes it back ("it's not fake")."""
    m = _DISMISSING.search(sentence)
    return bool(m) and not _NEGATED_CUE.search(sentence[max(0, m.start() - 12):m.start()])


def read_sentence(frame: Frame, sentence: str) -> str | None:
    """What one sentence says of the proposition's focus: 'opposite' (a negation governs a
    focus word, or the sentence has the antonym of one of the proposition's words), 'hedged'
    (every focus word sits in the scope of a modal or prospective word the proposition itself
    does not have), 'withheld' (the speaker says they do not know, will not say or cannot
    confirm), 'same' (the focus is asserted), None (the sentence does not touch the focus)."""
    lex, mean = lexicon(), meaning()
    ts = _tokens(sentence)
    focus = (frame.focus or _lemmas(frame.inner)) | _synonyms(frame)
    hits = [i for i, t in enumerate(ts) if t not in lex.stopwords and not _is_negation(t)
            and _focus_hit(t, focus)]
    if _lacks_evidence(ts, focus, frame.modal):
        return "withheld"
    contrary = _negated_focus(ts, focus, frame.modal)
    if contrary is None:
        contrary = _prevented_focus(ts, focus, frame.modal)
    if contrary is None and _antonym(frame, ts):
        contrary = any(_in_hedge_scope(ts, i, frame.modal) for i in range(len(ts))
                       if ts[i] in _antonym_words(frame))
    if contrary is not None:
        # "might have been giving limited capabilities" hedges the contrary, not asserts it.
        return "hedged" if contrary else "opposite"
    if _demands(ts, hits):
        # "We want China's full cooperation": a demand for what the proposition says is done
        # presupposes it is not.
        return "opposite"
    withheld = (_phrase_in(ts, mean.withholding) and not _detail_refusal(ts)) or \
        _withheld_confirmation(ts)
    hedged_hits = [i for i in hits if _in_hedge_scope(ts, i, frame.modal)]
    hedged_hits += [i for i in hits if i not in hedged_hits
                    and _subject_of_hedge(ts, i, hedged_hits, frame.modal)]
    if hits and len(hedged_hits) < len(hits) and not withheld:
        return "same"
    if hits and not withheld:
        return "hedged"
    if withheld:
        return "withheld"
    if hits and sentence.rstrip().endswith("?"):
        return "hedged"
    return "same" if hits else None


_KNOWING = frozenset({"know", "known", "knowing", "confirm", "confirmed", "verify", "verified",
                      "clear", "conclusion", "conclusions", "sure", "aware"})


_DETAIL_REACH = 5


def _detail_refusal(ts: list[str]) -> bool:
    """Whether the sentence withholds particulars only ("I'm not going to get into specific
    numbers", "the intelligence behind it"): a detail noun within a few words after the
    withholding phrase, and nothing about not knowing or not confirming. A briefer refusing
    the details of what they otherwise assert does not withhold the claim."""
    if set(ts) & _KNOWING:
        return False
    joined = " ".join(ts)
    details = meaning().details
    for phrase in meaning().withholding:
        at = joined.find(phrase)
        if at < 0:
            continue
        start = len(joined[:at + len(phrase)].split())
        if any(t in details for t in ts[start:start + _DETAIL_REACH]):
            return True
    return False


def _negated_focus(ts: list[str], focus: frozenset[str], own: frozenset[str]) -> bool | None:
    """None when no negation governs a focus word; else whether that negation is itself in
    the scope of a modal ("it may not have been deployed")."""
    found = _negation_scan(ts, focus, own)
    return None if found is None else _in_hedge_scope(ts, found[0], own)


def _lacks_evidence(ts: list[str], focus: frozenset[str], own: frozenset[str]) -> bool:
    """Whether the negation of a focus word goes through a word of evidence ("we have not seen
    evidence of delivery", "no sign that they took part"): the speaker says they cannot show
    it, which withholds the claim rather than denying it."""
    found = _negation_scan(ts, focus, own)
    return found is not None and found[1]


def _negation_scan(ts: list[str], focus: frozenset[str], own: frozenset[str]
                   ) -> tuple[int, bool] | None:
    """The first negation that governs a focus word, as (its position, whether it reached the
    word through a noun of evidence); None when there is none."""
    lex = lexicon()
    for i, t in enumerate(ts):
        if not _is_negation(t) or _cancelled(ts, i):
            continue
        following = ts[i + 1:i + 1 + _READING_WINDOW + 2]
        if following and following[0] in _NOT_NEGATING:
            continue
        light = evidence = False
        for nxt in following:
            if nxt in _CLAUSE_BREAK and nxt != "and":
                break
            if nxt in _EVIDENCE:
                evidence = True
                continue
            if nxt in lex.stopwords or _is_negation(nxt) or nxt in _TRANSPARENT or \
                    _initial(nxt) or nxt in own or stem(nxt) in _PLACE_PIECES:
                continue
            if nxt in _LIGHT and not light:
                light = True
                continue
            if nxt in lex.unconfirming:
                break
            if _focus_hit(nxt, focus):
                return i, evidence
            break
    return None


def _cancelled(ts: list[str], i: int) -> bool:
    """Whether the negation at i is one of a cancelling pair: it sits in a relative clause of
    a negated quantifier ("there's not much that happens in Russia that Putin is not behind",
    "nothing he did not approve"), or it is that quantifier. The sentence asserts what the
    inner negation seems to deny."""
    if _quantifier_of(ts, i) is not None:
        return True
    for k in range(i + 1, len(ts)):
        if ts[k] in _CLAUSE_BREAK and ts[k] != "and":
            return False
        if _is_negation(ts[k]) and _quantifier_of(ts, k) in (i, i - 1):
            return True
    return False


def _quantifier_of(ts: list[str], i: int) -> int | None:
    """The position of the negated quantifier whose relative clause holds the negation at i
    ("nothing" or the "not" of "not much"), or None."""
    for j in range(i - 1, -1, -1):
        if ts[j] in _CLAUSE_BREAK and ts[j] != "and":
            return None
        if ts[j] in _NEGATIVE_QUANTIFIERS and any(t in _RELATIVES for t in ts[j + 1:i]):
            return j
        if ts[j] in _QUANTIFIED and j and _is_negation(ts[j - 1]) and \
                any(t in _RELATIVES for t in ts[j + 1:i]):
            return j - 1
    return None


_NEGATIVE_QUANTIFIERS = frozenset({"nothing", "nobody", "none"})
_QUANTIFIED = frozenset({"much", "many", "one", "anything", "anybody", "anyone"})
_RELATIVES = frozenset({"that", "which", "who", "whom", "he", "she", "they", "we", "i"})
_EVIDENCE = frozenset({"evidence", "sign", "signs", "indication", "indications", "proof",
                       "verification"})


def _initial(token: str) -> bool:
    """A letter of an abbreviation ("U" and "S" of "no U.S. involvement"): a negation reaches
    through it to the noun it modifies."""
    return len(token) == 1 and token.isalpha()


def _prevented_focus(ts: list[str], focus: frozenset[str], own: frozenset[str]) -> bool | None:
    """Like `_negated_focus` for predicates that negate their object ("we protected against
    intelligence collection", "it lacks crucial data", "failed to reach a consensus"): a focus
    word in the few words after one, in its clause."""
    negating = meaning().negating
    for i, t in enumerate(ts):
        if t not in negating or (i and _is_negation(ts[i - 1])):
            continue
        for nxt in ts[i + 1:i + 1 + _READING_WINDOW]:
            if nxt in _CLAUSE_BREAK and nxt != "and":
                break
            if _focus_hit(nxt, focus):
                return _in_hedge_scope(ts, i, own)
    return None


def _withheld_confirmation(ts: list[str]) -> bool:
    lex = lexicon()
    for i, t in enumerate(ts):
        if _is_negation(t):
            for nxt in ts[i + 1:i + 1 + _READING_WINDOW]:
                if nxt in lex.unconfirming:
                    return True
                if nxt not in lex.stopwords and not _is_negation(nxt):
                    break
    return False


@lru_cache(maxsize=1024)
def _synonyms_of(inner: str) -> frozenset[str]:
    p_words = set(words(inner))
    out: set[str] = set()
    for a, b in meaning().antonyms:
        for side in (a, b):
            if p_words & side:
                out |= {stem(w) for w in side}
    return frozenset(out)


def _synonyms(frame: Frame) -> frozenset[str]:
    """Stems of the words on the same side of an antonym pair as one of the proposition's
    ("sufficient" for "adequate"): negating one negates the proposition's word."""
    return _synonyms_of(frame.inner)


def _antonym_words(frame: Frame) -> frozenset[str]:
    p_words = set(words(frame.inner))
    out: set[str] = set()
    for a, b in meaning().antonyms:
        if p_words & a:
            out |= b
        if p_words & b:
            out |= a
    return frozenset(out)


def _antonym(frame: Frame, ts: list[str]) -> bool:
    """The sentence uses the opposite of an evaluative word the proposition uses ("the report
    lacks crucial data" against "gave an adequate account"; "limited additive capabilities"
    against "intelligence of significant value"), and not that word itself."""
    p_words = set(words(frame.inner))
    # "a little bit ago", "a few": with the article these say "some", not "hardly any".
    present = {t for i, t in enumerate(ts) if not (t in _SOME and i and ts[i - 1] == "a")}
    joined = " " + " ".join(ts) + " "

    def has(side: frozenset[str]) -> bool:
        return bool(present & side) or any(" " in w and f" {w} " in joined for w in side)

    return any(p_words & mine and has(theirs) and not has(mine)
               for a, b in meaning().antonyms for mine, theirs in ((a, b), (b, a)))


_SOME = frozenset({"little", "few"})


def _demands(ts: list[str], hits: list[int]) -> bool:
    """A demand ("we need", "we want", "call on", "press") whose object holds a focus word."""
    if not hits:
        return False
    joined = " ".join(ts)
    for phrase in meaning().demand:
        subject = "" if phrase.startswith(("the ", "a ")) else \
            r"\b(?:we|i|us|they|world|community|countries)\s+(?:\w+\s+)?"
        for m in re.finditer(rf"{subject}\b{re.escape(phrase)}\b", joined):
            start = len(joined[:m.end()].split())
            end = next((j for j in range(start, len(ts)) if ts[j] in (";", ":")), len(ts))
            if any(start <= i < end for i in hits):
                return True
    return False


def _in_hedge_scope(ts: list[str], i: int, own: frozenset[str]) -> bool:
    """Whether a modal or prospective word before position i, in the same clause, governs it."""
    prospective = meaning().prospective
    for j in range(i - 1, -1, -1):
        t = ts[j]
        if t in _CLAUSE_BREAK and t != "and":
            break
        if t in _CONDITIONAL and t not in own:
            # "if North Korean troops take part in combat against Ukraine, ...": the whole
            # antecedent is conditional, however long.
            return True
        if t in prospective and t not in own and j > i - _HEDGE_REACH and \
                not _speech_act(ts, j):
            return True
    # A modal just after the subject governs it too: "a bomb may be what caused it".
    for t in ts[i + 1:i + 1 + _HEDGE_AFTER]:
        if t in _CLAUSE_BREAK and t != "and":
            break
        if t in prospective and t not in own:
            return True
    return False


def _speech_act(ts: list[str], j: int) -> bool:
    """Whether the modal at j governs the speaker's own saying ("what I will say is that they
    are taking part", "all I can tell you is that"): it hedges the telling, not what is told."""
    return any(t in _SAYING for t in ts[j + 1:j + 3])


_SAYING = frozenset({"say", "tell", "add", "note", "stress", "emphasize", "reiterate", "repeat",
                     "assure", "report"})


def _subject_of_hedge(ts: list[str], i: int, hedged: list[int], own: frozenset[str]) -> bool:
    """Whether the focus word at i is the subject of a hedged predicate ("Iran was planning to
    sell UAVs", "Iran would be planning to"): only auxiliaries stand between it and a modal or
    prospective word whose scope holds a later focus word, so naming the subject asserts
    nothing on its own. A relative clause ("companies that are believed to ...") is not."""
    prospective = meaning().prospective
    for j in range(i + 1, len(ts)):
        t = ts[j]
        if t in prospective and t not in own:
            return any(k > j for k in hedged)
        if t not in _AUXILIARIES:
            return False
    return False


_CONDITIONAL = frozenset({"if", "unless", "whether"})
_SWAP = {"same": "opposite", "opposite": "same"}


def sentence_readings(frame: Frame, text: str) -> list[str | None]:
    """`read_sentence` of each sentence, relays and the proposition's own negation applied."""
    out: list[str | None] = []
    for s in sentences(text):
        r = read_sentence(frame, s)
        if dismisses(s) and relay_reading(s) is None:
            # "The reports are a smear": denies what they report, affirms a pretext.
            r = "same" if frame.dismissive else "opposite"
        relay = relay_reading(s) if r else None
        if relay == "rejected":
            r = _SWAP.get(r or "", r)
        elif relay == "relayed" and r in ("same", "opposite"):
            r = "hedged"
        if frame.negative and r:
            # Against "No aircraft were flying", an asserted flight is the opposite.
            r = _SWAP.get(r, r)
        out.append(r)
    return out


def read_content(frame: Frame, text: str) -> str | None:
    """The content's reading of the proposition, sentence by sentence: 'same' or 'opposite'
    when a sentence asserts or negates the focus (the first such sentence decides);
    otherwise 'hedged' or 'withheld' when a sentence does that; None when no sentence touches
    the proposition's focus."""
    return combine([r for r in sentence_readings(frame, text) if r])


def combine(readings: Sequence[str]) -> str | None:
    decisive = [r for r in readings if r in ("same", "opposite")]
    if decisive:
        return decisive[0]
    if "hedged" in readings:
        return "hedged"
    return "withheld" if readings else None


_REFUSING_CUE = re.compile(
    r"\b(?:declin\w*|refus\w*|would(?:n't| not) (?:say|comment|confirm)|"
    r"(?:did|does|do|has|have|had|would|will|could|can)(?:\s+not|n't)\s+(?:\w+\s+)?"
    r"(?:say|comment|confirm|disclose|address|discuss|elaborate|specify|respond|provide|"
    r"explain|mention|acknowledge)\w*|neither\b|stopped short|no comment|"
    r"(?:can|could)(?:not|n't| not) (?:confirm|verify))", re.IGNORECASE)
_DENYING_CUE = re.compile(
    r"\b(?:den(?:y|ie[sd]|ying|ial)|dismiss\w*|reject\w*|refut\w*|rebut\w*|disput\w*|"
    r"waved? away|brushed? off|debunk\w*|contradict\w*|scoff\w*|ridicul\w*)\b", re.IGNORECASE)


def cue_force(cue: str) -> str | None:
    """What the cue itself does to the content: 'refuse' ("declined to comment", "neither
    confirmed nor denied", "would not say"), 'deny' ("denied", "dismissed", "rejected"; "did
    not deny" is a refusal), None for a cue that asserts ("said", a speaker label)."""
    if not cue:
        return None
    if _REFUSING_CUE.search(cue):
        return "refuse"
    if _DENYING_CUE.search(cue):
        return "refuse" if _NEGATED_CUE.search(cue) else "deny"
    return None


def asserts_focus(frame: Frame, text: str) -> bool:
    """Whether one sentence both asserts the proposition's focus and marks the telling as
    firm ("I'm not going to get into numbers. What I will say is that they are taking part",
    "they certainly continue to deliver drones"): a refusal elsewhere in the turn withholds
    the particulars, not this. The marker must sit in the asserting sentence itself, so a
    "certainly" beside "too soon to know" or after a modal ("will almost certainly be used")
    does not count."""
    phrases = meaning().asserting
    focus = (frame.focus or _lemmas(frame.inner)) | _synonyms(frame)
    for s, reading in zip(sentences(text), sentence_readings(frame, text), strict=True):
        ts = _tokens(s)
        if reading != "same" or not _phrase_in(ts, phrases) or frame.negative:
            continue
        if _phrase_in(ts, _HEDGED_ASSERTION):
            continue
        # Two of the focus's words (or its only one): one shared verb ("deliver drones"
        # against "delivered ballistic missiles") names another claim of the same kind.
        hit = {lemma(t) for t in ts if _focus_hit(t, focus)}
        if len(hit) >= min(2, len(focus)):
            return True
    return False


# "almost certainly", "will certainly": the adverb grades a modal, it does not assert.
_HEDGED_ASSERTION = ("almost certainly", "will certainly", "would certainly", "could certainly",
                     "may certainly", "might certainly", "most certainly")


def _scoped(phrase: str) -> bool:
    """A hedge made of modal words only ("likely", "may have"): `read_sentence` already
    reads its scope, so it does not weaken a focus it does not govern ("Russia has received
    dozens of UAVs so far and will likely continue to receive more")."""
    return all(w in meaning().prospective or w in _AUXILIARIES for w in phrase.split())


def firmness(frame: Frame, text: str) -> str | None:
    """'firm' when the content states a high-confidence judgement ("we assess with high
    confidence", "there is no question"); 'weak' for a low-confidence one or a hedge the
    proposition does not share ("low confidence", "is leaning toward", "most likely" against a
    plain proposition); 'shared' when its only hedge is the proposition's own ("most likely" on
    both sides); None otherwise."""
    mean = meaning()
    ts = _tokens(text)
    if (_phrase_in(ts, mean.firm) and not _phrase_in(ts, ("low confidence",))) or \
            asserts_focus(frame, text):
        return "firm"
    weak = [p for p in mean.weak if _phrase_in(ts, (p,)) and not _scoped(p)]
    if not weak:
        return None
    p_ts = _tokens(frame.inner)
    if all(_phrase_in(p_ts, (p,)) for p in weak) and not _phrase_in(ts, ("low confidence",)):
        return "shared"
    return "weak"
