"""Attribution: find cues and, for each, its source and content spans (token ranges).

Rules over tokens, no parser. The patterns are the ones reporters use:

    SOURCE [adverbs] CUE [object] [that] CONTENT.        Rutte said on Monday that units ...
    CONTENT, SOURCE CUE.  /  CONTENT, CUE SOURCE.       Troops are there, officials said.
    “QUOTE,” SOURCE CUE[, “QUOTE”].                     split and multi-sentence quotes
    SOURCE CUE: “QUOTE”                                  quote after a colon
    According to SOURCE, CONTENT.  /  CONTENT, according to SOURCE.
    It was reported that CONTENT.  /  X is believed to Y.   (no source)
    SOURCE's claim that CONTENT.

Subject noun phrases are found by scanning left from the cue to a boundary (punctuation,
clause words, finite auxiliaries), with appositions and relative clauses between commas
("Singh, a Pentagon spokeswoman, said") kept inside the source.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from corroborate.extract.lexicon import Lexicon
from corroborate.extract.quotes import Quote
from corroborate.text.segment import QUOTES, Sentence, Token

Range = tuple[int, int]  # token indices [first, last)

_BOUNDARY_PUNCT = frozenset(",;:()[]—–-…") | QUOTES | {"--", "..."}
_CLAUSE_WORDS = frozenset(
    "that which when while because if after before since although though whereas where so "
    "but yet unless until whether once as than then and or nor what how why whom whose "
    "whoever whatever".split()
)
_FINITE = frozenset(
    "is was were are am be been being has have had will would could can should may might "
    "must did does do shall 's".split()
)
_DETERMINERS = frozenset(
    "the a an this that these those his her its their our my your "
    "such any some no every each".split()
)
_OBJECT_PRONOUNS = frozenset("me him her them us you it".split())
_TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tonight "
    "earlier later recently previously last this week month year morning afternoon evening "
    "night on in at during late early".split()
)
_VENUE_NOUNS = frozenset(
    "statement interview briefing conference speech address post tweet "
    "letter email e-mail call hearing meeting remarks message video "
    "broadcast telegram report op-ed column".split()
)
_PERSONAL = frozenset("he she they i we it".split())
_SUBJECT_MAX = 25
# `, although ...`, `, adding ...`: where an indirect claim stops and the reporter's words begin.
_CONTENT_STOPS = frozenset("although though while whereas even adding saying noting citing "
                           "according despite arguing insisting explaining "
                           "encouraging calling urging prompting sparking".split())
_ROLE_HEADS = frozenset("president spokesman spokeswoman spokesperson director chairman "
                        "chairwoman head chief leader secretary minister ambassador professor "
                        "executive founder senator governor mayor analyst editor author "
                        "member co-founder adviser advisor".split())
_LEADING_TIME = frozenset("yesterday today tonight meanwhile separately also later earlier "
                          "monday tuesday wednesday thursday friday saturday sunday".split())
_TIME_UNITS = frozenset("week month year weekend night morning evening".split())
# A stretch before `, SOURCE CUE` that opens with one of these is an adverbial, not the content
# (`Citing the spy agency, Yonhap reported that ...`, `Asked about it, he said ...`).
_INTRODUCTORY = frozenset(
    "citing speaking asked writing responding appearing addressing in on at after before "
    "during while when as following despite with without since for from by to echoing "
    "referring quoting pressed interviewed reached contacted like unlike instead".split())


@dataclass
class Attribution:
    cue: Range
    cls: str
    kind: str  # verb | according_to | noun | passive | label | author
    source: Range | None = None
    content: list[Range] = field(default_factory=list)
    quoted: bool = False
    trailing: bool = False
    antecedent: Range | None = None  # for a relative-pronoun source: the noun it stands for
    joined_at: int | None = None  # `X met them and said Y`: the `and` before a shared-subject cue


class _Sentence:
    """Token helpers for one sentence."""

    def __init__(self, tokens: list[Token], sentence: Sentence, inside: list[int],
                 lows: list[str]) -> None:
        self.tokens = tokens
        self.first = sentence.first
        self.last = sentence.last
        self.inside = inside
        self.lows = lows
        self.blocked: dict[int, bool] = {}
        self._stops: list[int] | None = None
        words = [t.text for t in tokens[self.first:self.last] if t.text[:1].isalpha()]
        # Headlines: `Obama Says Museum Will Tell ...` capitalise their verbs.
        self.title_case = len(words) >= 4 and sum(w[0].isupper() for w in words) \
            >= 0.8 * len(words)

    def low(self, i: int) -> str:
        return self.lows[i] if self.first <= i < self.last else ""

    def tokens_text(self, i: int, n: int) -> list[str]:
        return [t.text for t in self.tokens[i:min(self.last, i + n)]]

    def text(self, i: int) -> str:
        return self.tokens[i].text if self.first <= i < self.last else ""

    def content_stops(self) -> list[int]:
        """Where an indirect content stops: `;` or `, although ...` outside quotes. Found once
        per sentence, so each cue finds its stop by bisection instead of a scan."""
        if self._stops is None:
            self._stops = [j for j in range(self.first, self.last) if self.inside[j] == -1 and (
                self.tokens[j].text == ";" or (self.tokens[j].text == ","
                                               and self.low(j + 1) in _CONTENT_STOPS))]
        return self._stops

    def content_end(self) -> int:
        """Exclusive end of the sentence's content: drop final punctuation."""
        end = self.last
        while end > self.first and self.tokens[end - 1].text in ".!?;:…":
            end -= 1
        return end


def _is_noun_use(s: _Sentence, i: int) -> bool:
    """`the report`, `his claims`, `a statement`: the cue word is a noun here."""
    before = s.low(i - 1)
    return before in _DETERMINERS or before.endswith(("'s", "’s"))


# Weak cues that attribute an intention or belief through an infinitive.
_TO_COMPLEMENT = frozenset("want plan intend hope expect seem appear prefer like promise "
                           "threaten vow pledge refuse decline seek".split())


_NP_COMPLEMENT = frozenset("want support back favor prefer show discuss highlight consider embrace "
                           "champion fear outline detail request like".split())


def _complement_follows(s: _Sentence, i: int, lex: Lexicon) -> bool:
    j = i + 1
    while s.low(j) in lex.adverbs:
        j += 1
    nxt = s.text(j)
    if nxt.lower() == "to" and s.low(i) in lex.verbs \
            and lex.verbs[s.low(i)].lemma in _TO_COMPLEMENT:
        return True  # `wants to triple the program`, `seemed to suggest`: PolNeAR attributes it
    if j == i + 1 and s.low(i) in lex.verbs and lex.verbs[s.low(i)].lemma in _NP_COMPLEMENT \
            and (nxt.lower() in _DETERMINERS - {"that"} or nxt.lower().endswith(("'s", "’s"))
                 or (nxt[:1].isupper() and s.inside[j] == -1)):
        return True  # `supported the bill`, `wants a wall`: the object is what is attributed
    if j == i + 1 and nxt.lower() in _PARTICLES.get(s.low(i), ()):
        return True  # `referring to`, `talked about`, `pointed to`
    return nxt.lower() == "that" or nxt == ":" or nxt in QUOTES or nxt == ","


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
            found.append(Attribution((i - 1, i + 2), raising, "passive"))
            i += 2
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
        governed = (low.endswith("ing") and (s.low(i - 1) in _GERUND_GOVERNORS or (
            s.low(i - 1).endswith("ing") and s.low(i - 1) not in _NOT_PARTICIPLES))) or (
            low == "found" and s.low(i - 1) in {"helped", "help", "helps", "co"})
        if word is not None and not _is_noun_use(s, i) and not capitalised_inside \
                and s.low(i - 1) != "to" and not _noun_reading(s, i, lex) \
                and not transitive_belief and not governed:
            if word.strong or _complement_follows(s, i, lex) or _trailing_position(s, i):
                start = _extend_cue_left(s, i, lex)
                auxes = {s.low(x) for x in range(start, i)}
                if s.low(i + 1) == "by" and auxes & _BE:
                    found.append(Attribution((start, i + 2), word.cls, "passive_agent"))
                    i += 2
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


_GERUND_GOVERNORS = frozenset("of without after before despite from about for against "
                               "instead upon".split())
_BE = frozenset({"is", "are", "was", "were", "been", "be", "being"})


def _manner_adverb(word: str) -> bool:
    """`cynically dismissed`, `aggressively attacked`: -ly adverbs belong to the cue."""
    return len(word) > 4 and word.endswith("ly") and word not in _NOT_ADVERBS


_NOT_ADVERBS = frozenset("family italy july early only daily weekly monthly yearly ally "
                         "reply supply rely apply fly july assembly rally".split())


def _extend_cue_left(s: _Sentence, i: int, lex: Lexicon) -> int:
    """Take auxiliaries, negation and adverbs into the cue: `has also said`, `did not deny`.

    Adverbs count only when an auxiliary or the verb itself follows them directly, so a
    sentence adverb before the subject is never swallowed.
    """
    start = i
    while start - 1 >= s.first and s.inside[start - 1] == -1 and (
            s.low(start - 1) in lex.auxiliaries or s.low(start - 1) in lex.adverbs
            or _manner_adverb(s.low(start - 1))):
        start -= 1
    while start < i and s.low(start) in lex.adverbs and s.low(start) not in lex.auxiliaries \
            and start - 1 >= s.first and s.low(start - 1) in {",", "and"}:
        start += 1
    return start


# Verb forms that are more often nouns (`battleground states`, `his comment`): taken as verbs
# only when what follows looks like a verb's complement or object.
_NOUNISH = frozenset(
    "state states advocates advocate tweets tweet comment comments post posts question questions "
    "report reports claim claims call calls charge charges attack attacks support supports plan "
    "plans show shows talk talks point points list lists order orders issue issues vote votes "
    "sign signs counter counters label labels project projects back backs favor favors concern "
    "concerns answer answers reply replies estimate estimates forecast forecasts promise "
    "promises demand demands praise criticism doubt doubts fear fears hope hopes warning "
    "note notes statement find finds".split())
_PARTICLES = {"call": ("for", "on"), "calls": ("for", "on"), "called": ("for", "on"),
              "calling": ("for", "on"), "pointed": ("out", "to"), "points": ("out", "to"),
              "pointing": ("out", "to"), "point": ("out", "to"), "referring": ("to",),
              "referred": ("to",), "refers": ("to",), "talking": ("about",),
              "talked": ("about",), "talks": ("about",), "asked": ("about",),
              "asking": ("about",), "spoke": ("about", "of"), "speaking": ("about", "of"),
              "said": ("of",), "says": ("of",), "agreed": ("with",), "agree": ("with",),
              "complained": ("about", "that"), "worried": ("about",), "joked": ("about",)}
_VENUES = frozenset("statement interview email e-mail tweet post letter speech op-ed "
                    "editorial memo release".split())


def _noun_reading(s: _Sentence, i: int, lex: Lexicon) -> bool:
    if s.low(i) not in _NOUNISH:
        return False
    nxt = s.low(i + 1)
    before = s.low(i - 1)
    if before[:1].isdigit() or before in {"no", "of", "with", "for", "whose", "and"}:
        return True
    return not (nxt in {"that", ":", "to", "for", "on", "out", "about"} or nxt in QUOTES
                or nxt in _DETERMINERS or nxt in _OBJECT_PRONOUNS
                or s.text(i + 1)[:1].isupper())


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


def _scan_subject(s: _Sentence, end: int, lex: Lexicon) -> Range | None:
    """The noun phrase ending just before token `end` (exclusive), or None.

    A comma right before the cue may close an apposition or relative clause
    (`Singh, a Pentagon spokeswoman, said`): the scan then continues into the head.
    """
    k = end - 1
    if s.text(k) == ",":
        apposition = _apposition_start(s, k)
        if apposition is None:
            return None
        end = k + 1  # PolNeAR keeps the comma that closes an apposition in the source
        k -= 1
        head_from = apposition
    else:
        head_from = None
    start = end
    while k >= s.first and end - k <= _SUBJECT_MAX:
        tok = s.text(k)
        low = tok.lower()
        if s.inside[k] != -1:
            break
        if k == head_from:
            start = k
            k -= 1
            continue
        if low == "and" and s.text(k - 1)[:1].isupper() and (
                s.text(k + 1)[:1].isupper()
                or (s.low(k + 1) in _DETERMINERS and s.text(k + 2)[:1].isupper())):
            start = k
            k -= 1
            continue
        if tok == ")":
            # `Paul D. Ryan (R-Wis.)`: a parenthetical inside the name.
            opening = next((x for x in range(k - 1, max(s.first - 1, k - 8), -1)
                            if s.text(x) == "("), None)
            if opening is not None and opening > s.first:
                start = opening
                k = opening - 1
                continue
        if tok in _BOUNDARY_PUNCT or low in _CLAUSE_WORDS or low in _FINITE:
            if not (head_from is not None and k > head_from):
                break
        elif low in lex.verbs and k < end - 1 and lex.verbs[low].strong \
                and not (head_from is not None and k > head_from):
            break  # a cue verb ends the subject, unless it is inside the apposition
        start = k
        k -= 1
    while start < end and (s.low(start) in {"and", "but", "so", "then"} or s.text(start) == ","):
        start += 1
    while start + 1 < end and (s.low(start) in _LEADING_TIME
                               or (s.low(start) in {"last", "this", "next", "earlier"}
                                   and s.low(start + 1) in _TIME_UNITS)):
        start += 2 if s.low(start + 1) in _TIME_UNITS else 1
        while start < end and s.text(start) == ",":
            start += 1
    if start >= end or (head_from is not None and start >= head_from):
        return None
    return _drop_trailing_time(s, start, end)


_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())


def _drop_trailing_time(s: _Sentence, start: int, end: int) -> Range:
    """`The senator on Wednesday said`: the time phrase is the cue's adjunct, not the source."""
    e = end
    if s.low(e - 1) in _WEEKDAYS or s.low(e - 1) in {"yesterday", "today", "tonight"}:
        e -= 1
        if s.low(e - 1) in {"on", "late", "early"}:
            e -= 1
    elif s.low(e - 1) in _TIME_UNITS and s.low(e - 2) in {"last", "this", "earlier"}:
        e -= 2
    return (start, e) if e > start else (start, end)


_PREPOSITIONS = frozenset("by from to of in on at for with about against over under into "
                          "through after before during between among".split())


def _antecedent_np(s: _Sentence, end: int) -> Range | None:
    """The noun phrase a relative pronoun refers to: the base phrase just before the comma
    (`South Korea's National Intelligence Service (NIS)`, `an American journalist`)."""
    k = end - 1
    start = end
    while k >= s.first and end - k <= 10:
        tok, low = s.text(k), s.low(k)
        if tok == ")":
            opening = next((x for x in range(k - 1, max(s.first - 1, k - 6), -1)
                            if s.text(x) == "("), None)
            if opening is None:
                break
            start, k = opening, opening - 1
            continue
        if low in _DETERMINERS:
            start = k
            break
        if low == "of" and s.text(k - 1)[:1].isupper() and s.text(k + 1)[:1].isupper():
            start, k = k, k - 1
            continue
        if tok in _BOUNDARY_PUNCT or low in _PREPOSITIONS or low in _FINITE \
                or low in _CLAUSE_WORDS:
            break
        if not tok[:1].isupper() and start < end and s.text(start)[:1].isupper():
            break  # a lower-case word before a proper name ends it (`address ... NIS`)
        start, k = k, k - 1
    return (start, end) if start < end else None


def _sentence_subject(s: _Sentence, limit: int, lex: Lexicon) -> Range | None:
    """The noun phrase a sentence opens with, up to its first verb-like word (no parser: a
    finite auxiliary, a cue verb or an -ed/-s word after a capitalised run)."""
    start = s.first
    if s.text(start) in QUOTES or s.low(start) in _INTRODUCTORY:
        return None
    end = start
    while end < limit and end - start < 12:
        low = s.low(end)
        if low in _FINITE or low in lex.verbs or s.text(end) in _BOUNDARY_PUNCT:
            break
        if end > start and low.endswith(("ed", "s")) and not s.text(end)[:1].isupper() \
                and low not in _DETERMINERS and len(low) > 3:
            break
        if end > start and (low in _IRREGULAR_PAST or (
                low in {"on", "last", "this", "earlier"} and s.low(end + 1) in _TIME_WORDS)
                or low in _LEADING_TIME):
            break
        end += 1
    return (start, end) if end > start else None


# Irregular past tenses that end a sentence's subject (`The president met survivors ...`).
_IRREGULAR_PAST = frozenset(
    "met went took made gave came saw held left led won lost ran sent spent got put set kept "
    "brought began paid sat stood spoke wrote told said thought felt knew heard found became "
    "fell drove flew rose hit cut quit sought fought bought caught taught built meant "
    "won't can't will would could should can may might must".split())


def _apposition_start(s: _Sentence, comma: int) -> int | None:
    """For `NP, APPOSITION, <cue>`: the index where NP starts its scan, else None.

    A relative clause may hold commas of its own (`Biden, who was to travel to Columbus,
    Ohio, on Wednesday, said`): past a comma that opens no apposition, the scan goes on
    looking for the `, who` / `, which` that opens the clause."""
    relative_only = False
    for m in range(comma - 1, max(s.first - 1, comma - 32), -1):
        tok = s.text(m)
        if tok in QUOTES or tok in ";:()":
            return None
        if tok == "," and relative_only:
            if s.low(m + 1) in {"who", "which"} and s.text(m - 1) not in _BOUNDARY_PUNCT:
                return m
            continue
        if tok == ",":
            inner = s.low(m + 1)
            if m + 1 >= comma:
                return None
            head = s.text(m - 1)
            if not head or head in _BOUNDARY_PUNCT:
                return None
            if (
                inner in {"who", "which", "a", "an", "the", "of", "whose", "now", "then",
                          "himself", "herself", "itself", "both", "each"}
                or s.text(m + 1)[:1].isupper()
                or inner[:1].isdigit()
                or inner in _ROLE_HEADS
                or inner.endswith(("'s", "’s"))
            ):
                return m
            relative_only = True
            continue
        if tok.lower() in _CLAUSE_WORDS - {"who", "which"} and not relative_only:
            relative_only = True  # `Clinton, who did not say that he was unfit, said`
    return None


def _verbless(s: _Sentence, start: int, lex: Lexicon) -> bool:
    """No finite or cue verb from `start` to the next comma or the sentence end."""
    j = start
    while j < s.last and s.text(j) not in {",", ".", ";", ":"}:
        if s.low(j) in _FINITE or s.low(j) in lex.verbs:
            return False
        j += 1
    return True


def _scan_object_np(s: _Sentence, start: int, lex: Lexicon) -> Range | None:
    """Source after an inverted cue: `said John Kirby, a spokesman` to the sentence end."""
    end = start
    while (
        end < s.last
        and (s.text(end) not in {".", "!", "?", ";", ":"} or s.text(end + 1) == ")")
        and s.low(end) != "that"
        and s.inside[end] == -1
    ):
        if s.text(end) == "," and not (
            (s.low(end + 1) in {"a", "an", "the", "who"} or s.text(end + 1)[:1].isupper()
             or s.low(end + 1) in _ROLE_HEADS)
            and _verbless(s, end + 1, lex)
        ):
            break
        end += 1
    while end > start and s.text(end - 1) in {",", "—"}:
        end -= 1
    return (start, end) if end > start else None


_COMPLEMENTIZERS = frozenset({"that", "whether", "how", "why", "if"})
_ADJUNCT_OPENERS = frozenset(
    "on in at during to from after before with about for by over via through while at "
    "reporters journalists lawmakers supporters voters viewers".split())


def _adjunct_stretch(s: _Sentence, i: int, j: int, lex: Lexicon) -> bool:
    """Whether tokens i..j (before a complementizer) are objects, time and venue adjuncts
    (`told host Alex Marlow on Thursday how`, `said at a rally in Michigan that`), not a
    clause of their own."""
    if j == i:
        return True
    first = s.low(i)
    if not (first in _ADJUNCT_OPENERS or first in _TIME_WORDS or first in _DETERMINERS
            or first in _OBJECT_PRONOUNS or first in lex.adverbs or first == ","
            or s.text(i)[:1].isupper() or first[:1].isdigit()):
        return False
    return not any(s.low(x) in _FINITE or s.low(x) in _CLAUSE_WORDS - {"and"}
                   or s.text(x) in QUOTES for x in range(i, j))


def _skip_to_content(s: _Sentence, i: int, lex: Lexicon, tell: bool) -> int:
    """From just after a cue, skip objects (`told reporters`), time and venue phrases, `that`."""
    limit = min(s.last, i + 16)
    for j in range(i, limit):
        low = s.low(j)
        if low in _COMPLEMENTIZERS and s.inside[j] == -1:
            if _adjunct_stretch(s, i, j, lex):
                return j + 1 if low == "that" else j
            break
        if s.text(j) in QUOTES or s.text(j) == ":" or low in _FINITE:
            break
    j = i
    while j < s.last and (s.low(j) in lex.adverbs or s.text(j) == ","):
        j += 1
    if tell and j < s.last:
        if s.low(j) in _OBJECT_PRONOUNS or s.low(j) in {"reporters", "journalists"}:
            j += 1
        elif s.text(j)[:1].isupper() or s.low(j) in _DETERMINERS:
            k = j
            while (
                k < s.last and k < j + 5 and (s.text(k)[:1].isupper() or s.low(k) in _DETERMINERS)
            ):
                k += 1
            j = k
    return j


def _quote_at(quotes: list[Quote], inside: list[int], index: int) -> Quote | None:
    if 0 <= index < len(inside) and inside[index] != -1:
        return quotes[inside[index]]
    return None


def _quote_range(quote: Quote) -> Range:
    start = quote.open_index + 1
    end = quote.last_index if quote.closed else quote.last_index + 1
    return (start, end)


def _trim_range(s: _Sentence, rng: Range, tokens: list[Token]) -> Range | None:
    a, b = rng
    while a < b and tokens[a].text in {",", "—", "–", ":", "--"}:
        a += 1
    while b > a and tokens[b - 1].text in {",", "—", "–", ":", ".", "--", ";"}:
        b -= 1
    return (a, b) if b > a else None


def resolve(s: _Sentence, att: Attribution, quotes: list[Quote], lex: Lexicon) -> None:
    """Fill in source and content for a cue found in sentence `s`."""
    tokens = s.tokens
    a, b = att.cue
    if att.kind == "headline":
        return  # resolved when found
    if att.kind == "according_to":
        src = _scan_object_np(s, b, lex)
        if src and a == s.first and src[1] >= s.content_end() - 1:
            # `According to the poll, Clinton leads.`: a verbless clause after the comma read
            # as an apposition would leave no content; the source ends at the comma.
            comma = next((x for x in range(src[0], src[1]) if s.text(x) == ","), None)
            if comma is not None and comma > src[0]:
                src = (src[0], comma)
        att.source = src
        after = src[1] if src else b
        before = _trim_range(s, (s.first, a), tokens) if a > s.first else None
        if before and not (before[1] - before[0] == 1 and tokens[before[0]].text in QUOTES):
            att.content = [before]
            tail = _trim_range(s, (after, s.content_end()), tokens)
            if tail:
                att.content.append(tail)
        else:
            tail = _trim_range(s, (after, s.content_end()), tokens)
            att.content = [tail] if tail else []
        return
    if att.kind == "passive":
        if tokens[a].text.lower() == "it":
            start = b + 1 if s.low(b) == "that" else b
            rest = _trim_range(s, (start, s.content_end()), tokens)
            att.content = [rest] if rest else []
        else:
            subject = _scan_subject(s, a, lex)
            rest = _trim_range(s, (b, s.content_end()), tokens)
            att.content = [r for r in (subject, rest) if r]
        return
    if att.kind in ("passive_verb", "passive_agent"):
        subject = _scan_subject(s, a, lex)
        if att.kind == "passive_agent":
            att.source = _scan_object_np(s, b, lex)
        att.content = [subject] if subject else []
        return
    if att.kind == "noun":
        owner = a
        while owner - 1 >= s.first and (s.text(owner - 1)[:1].isupper() or
                                         s.low(owner - 1) in {"the", "'s", "’s"} or
                                         s.low(owner - 1).endswith(("'s", "’s"))):
            owner -= 1
        att.source = (owner, a) if owner < a else None
        rest = _trim_range(s, (b + 1, s.content_end()), tokens)
        att.content = [rest] if rest else []
        return

    k = a - 1
    while k >= s.first and s.low(k) in lex.adverbs:
        k -= 1
    before_tok = s.text(k) if k >= s.first else ""
    subject = None
    gerund = any(s.low(x).endswith("ing") for x in range(a, b))
    if before_tok == "," and gerund and any(
            s.low(x) in lex.verbs for x in range(s.first, k)):
        att.kind = "continuation"
        _content_after(s, att, b, quotes, lex)
        return
    if (before_tok == "," or before_tok.lower() == "by") and gerund:
        # `Obama responded ..., saying that ...`: the main clause's subject speaks.
        att.source = _sentence_subject(s, k, lex)
        _content_after(s, att, b, quotes, lex)
        return
    if before_tok.lower() in {"and", "but"} and s.inside[k] == -1 and k > s.first:
        # `The senator downplayed the attack and said ...`: the verbs share the subject.
        shared = _sentence_subject(s, k, lex)
        if shared is not None and shared[1] < k:
            att.source = shared
            att.joined_at = k
            _content_after(s, att, b, quotes, lex)
            return
    if before_tok.lower() in {"who", "which"} and s.inside[k] == -1:
        att.source = (k, k + 1)
        comma = k - 1 if s.text(k - 1) == "," else k
        att.antecedent = _antecedent_np(s, comma) if comma > s.first else None
        _content_after(s, att, b, quotes, lex)
        return
    if (
        k >= s.first
        and (before_tok in {",", ")"} or before_tok not in _BOUNDARY_PUNCT)
        and before_tok.lower() not in _CLAUSE_WORDS
    ):
        subject = _scan_subject(s, k + 1, lex)
    if subject is not None:
        att.source = subject
        left_edge = subject[0] - 1
        prior = _preceding_content(s, left_edge, quotes, _following_part(s, b, quotes), lex)
        if prior is not None:
            att.trailing = True
            att.content = [prior[0]]
            att.quoted = prior[1]
            after = _following_part(s, b, quotes)
            if after:
                att.content.append(after)
            return
        _content_after(s, att, b, quotes, lex)
        return
    # No subject before the cue: an inverted trailing attribution (`..., said Kirby.`).
    if before_tok in {",", "—"} or before_tok in QUOTES or k < s.first:
        src = _scan_object_np(s, b, lex)
        if src and s.low(src[0]) not in {"that"}:
            att.source = src
            prior = _preceding_content(s, k, quotes, _following_part(s, src[1], quotes),
                                        lex)
            if prior is not None:
                att.trailing = True
                att.content = [prior[0]]
                att.quoted = prior[1]
                after = _following_part(s, src[1], quotes)
                if after:
                    att.content.append(after)
                return
    _content_after(s, att, b, quotes, lex)


# Words ending in -ing/-ed that can open a real claim (`Nothing`, `Everything`, `Red`).
_NOT_PARTICIPLES = frozenset("nothing everything something anything thing king red bed "
                             "hundred united need seed feed speed".split())


def _preceding_content(
    s: _Sentence, edge: int, quotes: list[Quote], after: Range | None, lex: Lexicon
) -> tuple[Range, bool] | None:
    """Content before a trailing attribution whose source starts after token `edge`.

    A one- or two-word stretch only counts when the sentence goes on after the attribution
    (`The troops, the official said, were moved by ship`).
    """
    j = edge
    if j < s.first:
        # `“Why now?” Clinton said.` splits after the question mark; the quote that ends the
        # previous sentence is this attribution's content.
        previous = _quote_at(quotes, s.inside, s.first - 1)
        if previous is not None and previous.closed and previous.last_index == s.first - 1:
            rng = _quote_range(previous)
            return (rng, True) if rng[1] > rng[0] else None
        return None
    while j >= s.first and s.text(j) in {",", "—", "–", "--"}:
        j -= 1
    quote = _quote_at(quotes, s.inside, j)
    if quote is None and j >= s.first and s.text(j) in {",", "."}:
        quote = _quote_at(quotes, s.inside, j - 1)
    if quote is not None and quote.closed:
        rng = _quote_range(quote)
        trimmed = _trim_range(s, rng, s.tokens)
        return (trimmed, True) if trimmed else None
    if j < s.first or (j == edge and s.text(edge) not in {",", "—", "–", "--"}):
        return None
    start = s.first
    for x in range(s.first, j):
        if s.text(x) == ":" and s.inside[x] == -1:
            start = x + 1
    while start < j and s.inside[start] != -1 and s.tokens[start].text in QUOTES:
        start += 1
    rng = _trim_range(s, (start, j + 1), s.tokens)
    if rng is None or (rng[1] - rng[0] < 3 and after is None):
        return None
    lead = rng[0] + 1 if s.low(rng[0]) in {"and", "but", "so"} and rng[1] - rng[0] > 1 \
        else rng[0]
    first = s.low(lead)
    # `When X, the candidate said Y`: a bare adverbial clause is not the content; `If X, Y,
    # the mayor said` (a main clause follows the adverbial) is.
    has_main = any(s.text(x) == "," and s.inside[x] == -1 for x in range(rng[0], rng[1]))
    adverbial = (first in _SUBORDINATORS or first in _INTRODUCTORY) and not has_main
    if first in _INTRODUCTORY and has_main:
        # `With the issue unresolved, the agency waited, officials said`: the opening
        # adverbial is the reporter's framing; the claim is the main clause after it.
        comma = next(x for x in range(rng[0], rng[1]) if s.text(x) == "," and s.inside[x] == -1)
        rng = (comma + 1, rng[1])
        if rng[1] - rng[0] < 3:
            return None
    if adverbial or (first.endswith(("ing", "ed")) and first not in _NOT_PARTICIPLES):
        return None
    if any(s.blocked.get(x) for x in range(rng[0], rng[1])):
        return None
    if s.low(rng[1] - 1) in lex.verbs and rng[1] - rng[0] <= 6 and (
            s.low(rng[1] - 2) in _PERSONAL or s.text(rng[1] - 2)[:1].isupper()):
        return None  # `Instead, she said, her boss told her ...`: a parenthetical cue, not content
    return rng, False


def _following_part(s: _Sentence, after: int, quotes: list[Quote]) -> Range | None:
    """The second half of a split quote or sentence: `..., he said, “more words.”`."""
    j = after
    if s.text(j) not in {",", "—", "–"}:
        quote = _quote_at(quotes, s.inside, j)
        if quote is None or s.text(j) not in QUOTES:
            return None
    while s.text(j) in {",", "—", "–"}:
        j += 1
    quote = _quote_at(quotes, s.inside, j)
    if quote is not None and quote.open_index == j:
        return _trim_range(s, _quote_range(quote), s.tokens)
    if s.low(j) in {"adding", "and", "but", "who", "which", "in", "according"} or \
            (s.low(j).endswith("ing") and len(s.low(j)) > 4):
        return None
    rng = _trim_range(s, (j, s.content_end()), s.tokens)
    if rng and rng[1] - rng[0] >= 3:
        return rng
    return None


def _content_after(
    s: _Sentence, att: Attribution, b: int, quotes: list[Quote], lex: Lexicon
) -> None:
    tell = s.low(att.cue[1] - 1) in {"told", "tell", "tells", "telling", "informed", "briefed"}
    if s.text(b) == "," and s.inside[b] == -1 and s.text(b + 1) not in QUOTES \
            and s.low(b + 1) not in lex.adverbs and s.low(b + 1) not in {"that", "however"} \
            and any(s.low(x) in lex.verbs and s.text(x + 1) in {".", ",", "!", "?", ""}
                    for x in range(b + 1, min(s.last, b + 8))):
        # `Washington did not complain, a Chinese official said`: what follows the comma
        # is someone else's trailing attribution, not this cue's content.
        att.content = []
        return
    start = _skip_to_content(s, b, lex, tell)
    if att.cls == "accuse":
        # `accused the North's leader, Kim Jong Un, of "recklessness"`: the charge is the content.
        for j in range(start, min(s.last, start + 15)):
            if s.low(j) == "of":
                start = j
                break
    while s.text(start) in {",", ":"}:
        start += 1
    quote = _quote_at(quotes, s.inside, start)
    if quote is not None and quote.open_index == start:
        att.quoted = True
        rng = _trim_range(s, _quote_range(quote), s.tokens)
        att.content = [rng] if rng else []
        return
    end = s.content_end()
    stops = s.content_stops()
    at = bisect_right(stops, start)
    if at < len(stops) and stops[at] < end:
        end = stops[at]
    rng = _trim_range(s, (start, end), s.tokens)
    att.content = [rng] if rng else []


_SUBORDINATORS = frozenset("when if as although though while because since after before once "
                           "until unless whereas whether".split())


def _cut_at_sources(s: _Sentence, resolved: list[Attribution]) -> None:
    """`Clinton, who did not say that he was unfit, said ...`: a cue inside another
    attribution's source has its content end with that source."""
    for outer in resolved:
        if outer.source is None:
            continue
        a, b = outer.source
        for att in resolved:
            if att is not outer and a <= att.cue[0] and att.cue[1] <= b and att.content:
                c, d = att.content[-1]
                if c < b < d:
                    end = b
                    while end > c and s.text(end - 1) == ",":
                        end -= 1
                    att.content[-1] = (c, end)


def cut_at_joins(s: _Sentence, resolved: list[Attribution]) -> None:
    """`X downplayed the attack and said Y`: a content running into a second verb of the
    same subject ends before the `and` that joins them."""
    for join in (att.joined_at for att in resolved if att.joined_at is not None):
        for att in resolved:
            if att.content and att.cue[1] <= join and att.content[-1][0] < join \
                    < att.content[-1][1]:
                a, _ = att.content[-1]
                end = join
                while end > a and s.text(end - 1) == ",":
                    end -= 1
                att.content[-1] = (a, end)


def cut_at_main_clause(s: _Sentence, resolved: list[Attribution]) -> None:
    """`Asked what he wanted, Adelson said ...`, `When the moderator pointed out that X, the
    candidate said Y`: a cue inside an opening adverbial clause has its content end at the
    comma that closes that clause, when the main clause after it has an attribution of its own
    (its source starting right after the comma). Otherwise the adverbial cue's content would
    swallow the main attribution and the univocal rule would then drop the wrong one."""
    cut_at_joins(s, resolved)
    _cut_at_sources(s, resolved)
    # `according to exit polling reported by CNN`: a cue inside a relay's source describes it.
    relay_sources = [att.source for att in resolved
                     if att.kind == "according_to" and att.source is not None]
    if relay_sources:
        resolved[:] = [att for att in resolved if not any(
            a <= att.cue[0] and att.cue[1] <= b for a, b in relay_sources)]
    lead = s.first + 1 if s.low(s.first) in {"and", "but", "so"} else s.first
    first = s.low(lead)
    if not (first in _SUBORDINATORS or first in _INTRODUCTORY
            or (first.endswith(("ing", "ed")) and first not in _NOT_PARTICIPLES)):
        return
    comma = next((j for j in range(lead + 1, s.last)
                  if s.text(j) == "," and s.inside[j] == -1), None)
    if comma is None:
        return
    if not any(att.source is not None and att.source[0] == comma + 1 and att.cue[0] > comma
               for att in resolved):
        return
    for att in resolved:
        if att.cue[1] > comma or not att.content or att.content[-1][1] <= comma \
                or att.kind == "according_to":
            continue
        a, _ = att.content[-1]
        if a < comma:
            att.content[-1] = (a, comma)
        else:  # `Asked what he wanted, Adelson said`: nothing of its own is left
            att.content.pop()
    resolved[:] = [att for att in resolved if att.content]
