"""Cue finding: which words of a sentence attribute (`said`, `according to`, `it was
reported`, a headline `Speaker:`) and how far each cue reaches (auxiliaries, negation,
particles, venues). Sources and contents are resolved in `attribution.py`."""

from __future__ import annotations

from bisect import bisect_left

from corroborate.extract.lexicon import Lexicon
from corroborate.extract.sentence_view import (
    _BE,
    _BOUNDARY_PUNCT,
    _CLAUSE_WORDS,
    _DETERMINERS,
    _FINITE,
    _NOT_PARTICIPLES,
    _OBJECT_PRONOUNS,
    _PRONOUN_SUBJECTS,
    Attribution,
    _Sentence,
)
from corroborate.text.segment import QUOTES, Token


def _is_noun_use(s: _Sentence, i: int) -> bool:
    """`the report`, `his claims`, `a statement`: the cue word is a noun here."""
    before = s.low(i - 1)
    return before in _DETERMINERS or before.endswith(("'s", "’s"))


# Weak cues that attribute an intention or belief through an infinitive. Not `want`, `seem`,
# `appear` or `expect`: in briefings `we want to ...`, `it did not appear to ...` are the
# speaker's own wish or hedge far more often than a report (they cost the White House story
# gold precision for a small PolNeAR gain).
_TO_COMPLEMENT = frozenset("plan intend hope prefer like promise "
                           "threaten vow pledge refuse decline seek".split())


# Weak cues whose noun-phrase object is what is attributed (`supported the bill`); other weak
# cues with an object (`knows the answer`, `assess the threat`) are, in briefings, the
# speaker's own words far more often than a report.
_NP_COMPLEMENT = frozenset("support back favor prefer show discuss highlight consider embrace "
                           "champion fear outline detail request like".split())


def _embedded(s: _Sentence, i: int, lex: Lexicon) -> bool:
    """The verb at `i` sits in a `that` clause (`we are concerned that Russia intends to`):
    the intention is the outer speaker's assessment, the clause's subject says nothing."""
    for k in range(i - 1, max(s.first, i - 7) - 1, -1):
        low = s.low(k)
        if low == "that":
            return k > s.first and s.inside[k] == -1
        if low in _FINITE or low in lex.verbs or s.text(k) in {",", ";", ":", "—"} \
                or s.text(k) in QUOTES:
            return False
    return False


# Mental-state verbs that take a bare clause (`Republicans think the Fed has ...`): with no
# `that`, a subject pronoun or a finite verb a few words on shows the clause.
# Not `know`, `expect` or `hope`: `who knows what ...`, `we expect the field to be ...` take
# other complements far more often in briefings.
_BARE_CLAUSE = frozenset("think believe feel fear worry suspect guess bet find".split())


def _bare_clause_follows(s: _Sentence, j: int) -> bool:
    if s.low(j) in _PRONOUN_SUBJECTS or s.low(j) in {"there", "this"}:
        return s.low(j + 1) in _FINITE or s.low(j + 1).endswith(("ed", "s"))
    if s.low(j) in _CLAUSE_WORDS:
        return False
    for k in range(j, min(s.last, j + 6)):
        if s.text(k) in _BOUNDARY_PUNCT:  # quote marks included
            return False
        if s.low(k) in _FINITE and k > j:
            return True
    return False


def _complement_follows(s: _Sentence, i: int, lex: Lexicon) -> bool:
    j = i + 1
    while s.low(j) in lex.adverbs:
        j += 1
    nxt = s.text(j)
    if nxt.lower() == "to" and s.low(i) in lex.verbs \
            and lex.verbs[s.low(i)].lemma in _TO_COMPLEMENT:
        # `wants to triple the program`, `seemed to suggest`: PolNeAR attributes it
        return not _embedded(s, i, lex)
    if j == i + 1 and s.low(i) in lex.verbs and lex.verbs[s.low(i)].lemma in _BARE_CLAUSE \
            and _bare_clause_follows(s, j):
        return True
    if j == i + 1 and s.low(i) in lex.verbs and lex.verbs[s.low(i)].lemma in _NP_COMPLEMENT \
            and (nxt.lower() in _DETERMINERS - {"that"} or nxt.lower().endswith(("'s", "’s"))
                 or nxt.lower() in {"him", "them"}
                 or (nxt[:1].isupper() and s.inside[j] == -1)):
        return True  # `supported the bill`, `wants a wall`: the object is what is attributed
    if j == i + 1 and s.low(i) in lex.verbs and lex.verbs[s.low(i)].lemma in {"find", "show"} \
            and s.low(i - 1) in _FINDINGS and s.inside[j] == -1 and nxt.isalnum():
        # `The April survey found Clinton leading`, `the study finds the drug works`: what a
        # poll or study finds or shows is its content (PolNeAR train: after such a noun,
        # find/show is a cue 85 times in 98).
        return True
    if j == i + 1 and nxt.lower().endswith(("'s", "’s")) and nxt[:1].isupper():
        return True  # `rebutted Exxon's accusation`: a possessive object names the claim
    if j == i + 1 and nxt.lower() in _PARTICLES.get(s.low(i), ()):
        return True  # `referring to`, `talked about`, `pointed to`
    return nxt.lower() == "that" or nxt == ":" or nxt in QUOTES or nxt == ","


_FINDINGS = frozenset("poll polls survey surveys study studies report reports analysis review "
                      "investigation audit research data census probe assessment".split())


_NOT_SPEAKERS = frozenset("update note abstract related photo photos video watch editor editors "
                          "correction warning breaking exclusive live read listen see more full "
                          "text transcript source sources".split())


def headline_colon(s: _Sentence) -> Attribution | None:
    """`Rush Limbaugh: Hillary Asking Moderator ...`, `Poll: Clinton and Trump tied`: a
    headline that names a speaker before a colon attributes what follows to it.

    Only a short run of capitalised words counts as the speaker, in a title-case line or
    before a quotation; all-capital labels are transcript turns and left to the turn reader.
    """
    colon = next((j for j in range(s.first + 1, min(s.last, s.first + 6))
                  if s.text(j) == ":"), None)
    if colon is None or s.inside[colon] != -1 or s.last - colon < 4:
        return None
    words = [s.text(j) for j in range(s.first, colon)]
    if not all(w[:1].isupper() or w in {".", "-", "’s", "'s"} for w in words) \
            or all(w.isupper() for w in words if w[:1].isalpha()) \
            or any(w.lower() in _NOT_SPEAKERS for w in words):
        return None
    nxt = s.text(colon + 1)
    if not (s.title_case or nxt in QUOTES):
        return None
    return Attribution((colon, colon + 1), "assert", "headline", source=(s.first, colon),
                       content=[(colon + 1, s.content_end())])


def may_cue(tokens: list[Token], first: int, last: int, trigger_at: list[int]) -> bool:
    """Whether `find_cues` can find anything in tokens `first:last`, asked before a sentence
    view is built (speed only: most sentences hold no cue word). `trigger_at` is the sorted
    offsets of the piece's tokens whose lower-cased text is in `lex.triggers`.

    Keep in step with `find_cues`: every cue it finds starts at a trigger word, except a
    headline's colon among the first six tokens (`headline_colon`). A rule that finds a cue
    some other way must widen this test (tests/test_extract_prefilter.py checks it).
    """
    at = bisect_left(trigger_at, first)
    if at < len(trigger_at) and trigger_at[at] < last:
        return True
    return any(tokens[j].text == ":" for j in range(first + 1, min(last, first + 6)))


def find_cues(s: _Sentence, lex: Lexicon) -> list[Attribution]:
    headline = headline_colon(s)
    found: list[Attribution] = [headline] if headline is not None else []
    triggers = lex.triggers
    i = s.first
    while i < s.last:
        low = s.lows[i]
        if low not in triggers or s.inside[i] != -1:
            i += 1
            continue
        matched = False
        for words, cls, kind in lex.multiword.get(low, ()):
            if all(s.low(i + k) == w for k, w in enumerate(words)):
                start = _extend_cue_left(s, i, lex) if kind == "verb" else i
                found.append(Attribution((start, i + len(words)), cls, kind))
                i += len(words)
                matched = True
                break
        if matched:
            continue
        if low in {"stopped", "stop", "stops", "stopping"} and s.low(i + 1) == "short" \
                and s.low(i + 2) == "of" and s.low(i + 3).endswith("ing"):
            start = _extend_cue_left(s, i, lex)
            found.append(Attribution((start, i + 4), "refuse", "verb"))
            i += 4
            continue
        if low == "it":
            for pattern in lex.passive:
                if all(s.low(i + k) == w for k, w in enumerate(pattern)):
                    found.append(Attribution((i, i + len(pattern)), "assert", "passive"))
                    i += len(pattern)
                    matched = True
                    break
            if matched:
                continue
        raising = lex.passive_raising.get(low)
        if (
            raising
            and s.low(i - 1) in {"is", "are", "was", "were", "been", "be"}
            and s.low(i + 1) == "to"
        ):
            # PolNeAR leaves the infinitive marker to the content: `is expected` + `to win`.
            found.append(Attribution((i - 1, i + 1), raising, "passive"))
            i += 2
            continue
        if low in _RAISING and s.low(i + 1) == "to" and _raised_subject(s, i):
            # `Mr. Rubio appeared to be on the upswing`: the reporter's reading of how someone
            # came across; PolNeAR annotates the verb alone, with the subject and the
            # infinitive as the content and no source (train: `seemed to` 20 of 28,
            # `appeared to` 16 of 24 occurrences are cues).
            found.append(Attribution((i, i + 1), "uncertain", "passive"))
            i += 1
            continue
        word = lex.verbs.get(low)
        capitalised_inside = s.text(i)[:1].isupper() and i > s.first and not s.title_case
        if i == s.first and low.endswith(("ing", "ed")) and "," in s.tokens_text(i, 12):
            # `Asked about the reports, Peskov said ...`: an introductory participle.
            i += 1
            continue
        transitive_belief = word is not None and word.cls == "belief" \
            and s.low(i + 1) in _OBJECT_PRONOUNS and s.text(i + 2) in {"", ".", ",", "!", "?"}
        # `instead of calling`, `without saying`: a gerund governed by a preposition names an
        # act, it does not attribute (`by saying` stays: the main clause's subject speaks).
        # `a new group called Black Votes Matter`: a naming participle after an indefinite
        # noun phrase names the thing, it quotes nobody.
        naming = low in _NAMING and (
            ((s.text(i + 1)[:1].isupper() or s.text(i + 1) in QUOTES or s.text(i + 1) == "#")
             and bool({s.low(i - 2), s.low(i - 3)} & {"a", "an"})
             and not s.text(i - 1)[:1].isupper())
            or (s.text(i - 1) == "," and _common_noun(s, i - 2)
                and s.text(i + 1).isalpha() and s.low(i + 1) not in _FUNCTION_WORDS))
        # `so-called`, `a request seeking comment`, `added to her lead`, `reported from
        # Los Angeles`: the word names, modifies or means something other than speech.
        naming = naming or (low == "called" and s.low(i - 1) == "-") or (
            low in {"seeking", "sought"} and _common_noun(s, i - 1)) or (
            low in {"added", "adds", "add"} and s.low(i + 1) == "to") or (
            low == "reported" and s.low(i + 1) in {"from", "daily"}) or (
            low == "show" and not _plural_subject(s, i - 1))
        before = s.low(i - 2) if s.low(i - 1) in {"not", "never"} else s.low(i - 1)
        governed = naming or (low.endswith("ing") and (before in _GERUND_GOVERNORS or (
            s.low(i - 1).endswith("ing") and s.low(i - 1) not in _NOT_PARTICIPLES))) or (
            low == "found" and s.low(i - 1) in {"helped", "help", "helps", "co"})
        if word is not None and not _is_noun_use(s, i) and not capitalised_inside \
                and (s.low(i - 1) != "to" or _aspect_infinitive(s, i)) \
                and not _noun_reading(s, i, lex) \
                and not transitive_belief and not governed:
            if word.strong or _complement_follows(s, i, lex) or _trailing_position(s, i):
                start = _extend_cue_left(s, i, lex)
                auxes = {s.low(x) for x in range(start, i)}
                if s.low(i + 1) == "by" and auxes & _BE:
                    found.append(Attribution((start, i + 2), word.cls, "passive_agent"))
                    i += 2
                    continue
                if s.low(i + 1) == "by" and low.endswith(("ed", "en", "wn")) and not (
                        auxes & (lex.auxiliaries | _BE)):
                    i += 1  # `a sentiment endorsed by the crowd`: a participle modifier
                    continue
                if s.low(i + 1) == "by" and low.endswith("ing"):
                    i += 1
                    continue
                kind = "passive_verb" if auxes & _BE and low.endswith(("ed", "en", "wn")) \
                    else "verb"
                end = _extend_cue_right(s, i + 1)
                found.append(Attribution((start, end), word.cls, kind))
                i = end
                continue
        elif low in lex.nouns and s.low(i + 1) == "that" and _noun_has_owner(s, i):
            found.append(Attribution((i, i + 1), lex.nouns[low], "noun"))
        i += 1
    return found


_NAMING = frozenset("called named dubbed titled entitled".split())


def _common_noun(s: _Sentence, j: int) -> bool:
    """A lower-case word that can head a noun phrase (`campaign`, `governors`): not a
    function word, pronoun, auxiliary or verb form."""
    word = s.text(j)
    low = word.lower()
    return word.isalpha() and word.islower() and low not in _FUNCTION_WORDS \
        and low not in _FINITE and not low.endswith(("ing", "ly")) and len(low) > 2


def _plural_subject(s: _Sentence, j: int) -> bool:
    """`polls show`, `data show`, `they show`, `would show`: what can govern bare `show`."""
    low = s.low(j)
    return (low.endswith("s") and not low.endswith("ss")) or low in {
        "data", "they", "we", "you", "i", "to", "not", "would", "could", "will", "may",
        "might", "did", "does", "do", "can", "should", "must", "people", "media"}
_GERUND_GOVERNORS = frozenset("of without after before despite from about for against "
                               "instead upon".split())


def _manner_adverb(word: str) -> bool:
    """`cynically dismissed`, `aggressively attacked`: -ly adverbs belong to the cue. The
    caller keeps capitalised words out: `Kelly said`, `Jolly said` are names."""
    return len(word) > 4 and word.endswith("ly") and word not in _NOT_ADVERBS


_NOT_ADVERBS = frozenset("family italy july early only daily weekly monthly yearly ally "
                         "reply supply rely apply fly july assembly rally".split())


# `began tweeting`, `kept insisting`: the aspect verb is part of the cue, not of the source.
_ASPECTUAL = frozenset("begin begins began begun start starts started continue continues "
                       "continued keep keeps kept resume resumed".split())


def _aspect_infinitive(s: _Sentence, i: int) -> bool:
    """`continued to call for`, `began to criticize`, `went on to say`: an infinitive cue
    after a past aspect verb is the subject's own act (PolNeAR train: `continued to` + a cue 13
    of 14 in the cue), unlike other infinitives (`wants to say`, `hard to say`)."""
    return s.low(i - 1) == "to" and (s.low(i - 2) in _PAST_ASPECT or (
        s.low(i - 2) == "on" and s.low(i - 3) == "went"))


# Past tense only: the narrative's report of what someone went on doing. A briefing's present
# `we continue to tell citizens to be careful` is the speaker's own directive.
_PAST_ASPECT = frozenset("continued began started kept resumed".split())


def _extend_cue_left(s: _Sentence, i: int, lex: Lexicon) -> int:
    """Take auxiliaries, negation and adverbs into the cue: `has also said`, `did not deny`.

    Adverbs count only when an auxiliary or the verb itself follows them directly, so a
    sentence adverb before the subject is never swallowed.
    """
    start = _issued_document(s, i)
    if _aspect_infinitive(s, i):
        # `continued to call for`, `went on to say`: the aspect is in the cue
        start = i - 3 if s.low(i - 2) == "on" else i - 2
        i = start
    while start - 1 >= s.first and s.inside[start - 1] == -1 and (
            s.low(start - 1) in lex.auxiliaries or s.low(start - 1) in lex.adverbs
            or (_manner_adverb(s.low(start - 1)) and not s.text(start - 1)[:1].isupper())
            or (s.low(start - 1) in _ASPECTUAL and s.low(i).endswith("ing"))
            or (s.low(start - 1) == "of" and s.low(start - 2) in {"kind", "sort"})
            or (s.low(start - 1) in _AFTER_AUXILIARY and s.low(start - 2) in lex.auxiliaries)
            or s.low(start - 1) == "both"):  # `Ruiz and Lee both condemned`: a floating `both`
        start -= 2 if s.low(start - 1) == "of" else 1  # `’ve kind of laid out`: a hedge
    while start < i and s.low(start) in lex.adverbs and s.low(start) not in lex.auxiliaries \
            and start - 1 >= s.first and s.low(start - 1) in {",", "and"}:
        start += 1
    return start


def _issued_document(s: _Sentence, i: int) -> int:
    """`issued a statement saying`, `put out a joint statement calling for`: the act of
    issuing the document is the cue with its gerund (PolNeAR train: the whole phrase is the
    cue 16 times, the gerund alone never), so the cue starts at the issuing verb."""
    if not s.low(i).endswith("ing") or s.low(i - 1) not in _DOCUMENTS:
        return i
    for det in (i - 2, i - 3):
        if s.low(det) in {"a", "an", "the", "his", "her", "their", "its"}:
            verb = det - 1
            if s.low(verb) == "out" and s.low(verb - 1) in {"put", "puts", "putting"}:
                return verb - 1
            return verb if s.low(verb) in _ISSUING and s.inside[verb] == -1 else i
    return i


_DOCUMENTS = frozenset("statement letter tweet email e-mail memo post message note release "
                       "video".split())
_ISSUING = frozenset("issued issues issue released releases release sent sends send posted posts "
                     "published publishes wrote writes signed signs".split())


# Words that sit between an auxiliary and its verb and belong to the cue there (`has long
# said`, `have both urged`, `have always opposed`); elsewhere (`long before`, `both parties`)
# they are not adverbs of the verb, so the auxiliary must come first. Train: a source scanned
# as `long`, `both`, `always` or `all` between the auxiliary and the cue was never right.
_AFTER_AUXILIARY = frozenset("long both all always each twice sometimes".split())


# Verb forms that are more often nouns (`battleground states`, `his comment`): taken as verbs
# only when what follows looks like a verb's complement or object.
_NOUNISH = frozenset(
    "state states advocates advocate tweets tweet comment comments post posts question questions "
    "report reports claim claims call calls charge charges attack attacks support supports plan "
    "plans show shows talk talks point points list lists order orders issue issues vote votes "
    "sign signs counter counters label labels project projects back backs favor favors concern "
    "concerns answer answers reply replies estimate estimates forecast forecasts promise "
    "promises demand demands praise criticism doubt doubts fear fears hope hopes warning "
    "note notes statement find finds email emails remarks remark pledge pledges challenge "
    "challenges".split())


_PARTICLES = {"call": ("for", "on"), "calls": ("for", "on"), "called": ("for", "on"),
              "calling": ("for", "on"), "pointed": ("out", "to"), "points": ("out", "to"),
              "pointing": ("out", "to"), "point": ("out", "to"), "referring": ("to",),
              "referred": ("to",), "refers": ("to",), "talking": ("about",),
              "talked": ("about",), "talks": ("about",), "asked": ("about",),
              "asking": ("about",), "spoke": ("about", "of"), "speaking": ("about", "of"),
              "agreed": ("with",), "agree": ("with",),
              "complained": ("about", "that"), "worried": ("about",), "joked": ("about",),
              "voted": ("for", "against"), "vote": ("for", "against"),
              "pushed": ("for",), "push": ("for",), "pushing": ("for",), "pushes": ("for",),
              "skeptical": ("of", "about"), "concerned": ("about",),
              "confident": ("in", "about"), "hopeful": ("about",), "optimistic": ("about",),
              "convinced": ("of",), "respond": ("to",), "responds": ("to",),
              "responded": ("to",), "responding": ("to",),
              "wrote": ("about",), "writes": ("about",), "write": ("about",),
              "writing": ("about",), "charged": ("with",), "accused": ("of",),
              "bragged": ("about", "of"), "bragging": ("about", "of"),
              "boasted": ("about", "of"), "boasting": ("about", "of"),
              "votes": ("for", "against"), "voting": ("for", "against")}


# `said in an interview`, `said of`: PolNeAR leaves these out of the cue about 3:1 (train), while
# `said in a statement` is kept in about 3:2; venues follow that count.
_VENUES = frozenset("statement email e-mail tweet post letter speech op-ed "
                    "editorial memo release".split())


def _noun_reading(s: _Sentence, i: int, lex: Lexicon) -> bool:
    low = s.low(i)
    if low.endswith("ed") and s.text(i + 1).isalpha() and s.text(i + 1).islower() \
            and s.low(i + 1) not in _FUNCTION_WORDS and (
                s.low(i - 1) in _DETERMINERS or s.low(i - 1)[:1].isdigit()
                or s.low(i - 1).endswith(("'s", "’s"))):
        return True  # `270 pledged delegates`, `the stated goal`: a participle as adjective
    if low not in _NOUNISH:
        return False
    nxt = s.low(i + 1)
    before = s.low(i - 1)
    if before[:1].isdigit() or before in {"no", "of", "with", "for", "whose", "and"}:
        return True
    if low in {"state", "states"}:
        # `home state`, `state Rep. Hoover`, `five states Tuesday`: the noun, unless a
        # complement follows at once.
        return not (nxt in {"that", ":"} or s.text(i + 1) in QUOTES)
    if nxt in {".", "!", "?"} and before not in _DETERMINERS and _trailing_position(s, i):
        return False  # `..., fundraising documents show.`: a trailing cue, not a noun
    if nxt in {"to", "for", "on", "out", "about"} and nxt not in _PARTICLES.get(s.low(i), ()) \
            and not (nxt == "to" and s.low(i) in {"plan", "plans", "promise", "promises",
                                                   "pledge", "pledges", "vote", "votes",
                                                   "hope", "hopes"}) \
            and not (nxt in {"about", "on"} and s.low(i) in {"report", "reports"}):
        return True  # `answer to your question`, `questions to the ministry`: a noun
    return not (nxt in {"that", ":", "to", "for", "on", "out", "about"} or nxt in QUOTES
                or nxt in _DETERMINERS or nxt in _OBJECT_PRONOUNS
                or s.text(i + 1)[:1].isupper())


_FUNCTION_WORDS = frozenset("that to by in on at for with about of from as and or but not "
                            "the a an this these those his her their its our my your it "
                            "them him me us you he she they we i".split())


def _extend_cue_right(s: _Sentence, end: int) -> int:
    """Particles and venues that belong to the cue: `called for`, `said in a statement`."""
    verb = s.low(end - 1)
    if s.low(end) in _PARTICLES.get(verb, ()) and s.low(end) != "that":
        return end + 1
    if s.low(end) == "in" and s.low(end + 1) in {"a", "an"} and s.low(end + 2) in _VENUES:
        return end + 3
    if s.text(end) == ":" and s.inside[end] == -1:
        return end + 1  # `said:` before a quote; PolNeAR keeps the colon in the cue
    return end


def _trailing_position(s: _Sentence, i: int) -> bool:
    """`..., officials believe.`: the cue ends the clause."""
    return s.text(i + 1) in {".", ",", "!", "?", ""} and any(
        s.text(j) == "," for j in range(max(s.first, i - 8), i)
    )


def _noun_has_owner(s: _Sentence, i: int) -> bool:
    before = s.text(i - 1)
    return before.endswith(("'s", "’s")) or before in {"'s", "’s"} or before[:1].isupper()


# Past-tense raising verbs read as the reporter's impression (narrative text). Not the present
# `seemed`/`appeared`, and the singular present `seems`/`appears` (train: `seems to` 17 of
# 31, `appears to` 28 of 51 occurrences after a named subject are cues; plural `seem to`/
# `appear to` cost dev cue precision), never after `it`, `there` or a first person: in
# briefings `it appears to be`, `we seem to` are the speaker's own hedges (they cost the White
# House story gold precision when `seem` was a cue of its own).
_RAISING = frozenset({"seemed", "appeared", "seems", "appears"})


def _raised_subject(s: _Sentence, i: int) -> bool:
    """A subject that is someone or something named, right before the verb (adverbs and
    auxiliaries allowed between): not `it`, `there`, `I` or `we`, and not a clause boundary."""
    j = i - 1
    while j >= s.first and s.low(j) in {"also", "at", "first", "initially", "only", "never",
                                        "even", "still", "clearly", "largely", "once", "had"}:
        j -= 1
    if j < s.first:
        return False
    low = s.low(j)
    if low in {"it", "there", "i", "we", "that", "which", "this"} or not low[:1].isalnum():
        return False
    return low not in _FUNCTION_WORDS or low in {"he", "she", "they"}
