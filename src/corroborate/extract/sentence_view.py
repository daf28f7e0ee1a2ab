"""The token view the attribution rules work on: one sentence with its quote index, the
shared word classes, and the `Attribution` record that cue finding (`cues.py`), span
resolution (`attribution.py`) and clause cuts (`clauses.py`) fill in, kept apart so those
steps do not import each other in a circle."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

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
_PRONOUN_SUBJECTS = frozenset("he she they i we".split())


_SUBJECT_MAX = 25


# `, although ...`, `, adding ...`: where an indirect claim stops and the reporter's words begin.
_CONTENT_STOPS = frozenset("although though while whereas even adding saying noting citing "
                           "according despite arguing insisting explaining "
                           "encouraging calling urging prompting sparking".split())


def _cue_gerunds() -> frozenset[str]:
    """The `-ing` forms of the strong cue verbs (`claiming`, `telling`, `accusing`): after a
    comma one opens the same speaker's next attribution (`insisted that X, claiming Y`), so
    an indirect content stops there. PolNeAR train: of the nested pairs this splits, the
    annotators keep both attributions or only the gerund's 56 times, only the outer 17. Weak
    verbs' participles (`communications ..., detailing the rationale`) as often describe the
    noun before the comma."""
    from corroborate.extract.lexicon import lexicon  # lexicon imports nothing from here
    return frozenset(w for w, cue in lexicon().verbs.items() if w.endswith("ing") and cue.strong)


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


_GERUNDS = _cue_gerunds()


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

    @cached_property
    def title_case(self) -> bool:
        """Headlines: `Obama Says Museum Will Tell ...` capitalise their verbs. Worked out
        when a rule first asks, as most sentences never reach one that does (speed only)."""
        words = [t.text for t in self.tokens[self.first:self.last] if t.text[:1].isalpha()]
        return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)

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
                                               and (self.low(j + 1) in _CONTENT_STOPS
                                                    or self.low(j + 1) in _GERUNDS)))]
            # `that there is “only one conservative,” adding that ...`: the comma sits inside
            # the closing quote; the content stops after the quote mark.
            self._stops += [j + 1 for j in range(self.first + 1, self.last)
                            if self.inside[j] != -1 and self.tokens[j].text in QUOTES
                            and self.tokens[j - 1].text == ","
                            and self.low(j + 1) in _CONTENT_STOPS]
            # `... resorts. ''Next sentence`: a period the splitter kept inside a sentence.
            self._stops += [j for j in range(self.first, self.last) if self.inside[j] == -1
                            and self.tokens[j].text == "." and j + 1 < self.last
                            and self.tokens[j + 1].text in QUOTES]
            self._stops.sort()
        return self._stops

    def content_end(self) -> int:
        """Exclusive end of the sentence's content: drop final punctuation."""
        end = self.last
        while end > self.first and self.tokens[end - 1].text in ".!?;:…":
            end -= 1
        return end


_BE = frozenset({"is", "are", "was", "were", "been", "be", "being"})


_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())


_PREPOSITIONS = frozenset("by from to of in on at for with about against over under into "
                          "through after before during between among".split())


# Words ending in -ing/-ed that can open a real claim (`Nothing`, `Everything`, `Red`).
_NOT_PARTICIPLES = frozenset("nothing everything something anything thing king red bed "
                             "hundred united need seed feed speed".split())


_SUBORDINATORS = frozenset("when if as although though while because since after before once "
                           "until unless whereas whether".split())
