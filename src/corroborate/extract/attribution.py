"""Attribution span resolution: for each cue (found in `cues.py`), its source and content spans.

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
("Singh, a Pentagon spokeswoman, said") kept inside the source."""

from __future__ import annotations

import json
from bisect import bisect_right
from functools import cache

from corroborate.extract.lexicon import DATA, Lexicon
from corroborate.extract.quotes import Quote
from corroborate.extract.sentence_view import (
    _BOUNDARY_PUNCT,
    _CLAUSE_WORDS,
    _DETERMINERS,
    _FINITE,
    _INTRODUCTORY,
    _NOT_PARTICIPLES,
    _OBJECT_PRONOUNS,
    _PERSONAL,
    _PREPOSITIONS,
    _PRONOUN_SUBJECTS,
    _ROLE_HEADS,
    _SUBORDINATORS,
    _TIME_UNITS,
    _TIME_WORDS,
    _WEEKDAYS,
    Attribution,
    Range,
    _Sentence,
)
from corroborate.extract.subjects import (
    _antecedent_np,
    _dateline_end,
    _scan_object_np,
    _scan_subject,
    _sentence_subject,
)
from corroborate.text.segment import QUOTES, Token

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
    while j < s.last and (s.low(j) in lex.adverbs or s.text(j) == ","
                          or (s.low(j) in _ASIDES and s.text(j + 1) == ",")):
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
            if s.low(j) in _DETERMINERS and k == j + 1 and s.low(k).isalpha() \
                    and s.low(k) not in _PERSONAL and s.low(k) not in _TIME_WORDS:
                k += 1  # `told the paper`: a common-noun recipient
            j = k
        # `told the paper last week she ...`: a time phrase after the recipient
        while j < s.last and (s.low(j) in _TIME_WORDS or s.low(j) in _TIME_UNITS) \
                and s.low(j) not in {"on", "in", "at", "during"}:
            j += 1
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
    if b > a and tokens[b - 1].text == ")" and not any(
            tokens[x].text == "(" for x in range(a, b - 1)):
        b -= 1  # `... after the bill passed)`: the parenthesis closes outside the content
        while b > a and tokens[b - 1].text in {",", ".", ";"}:
            b -= 1
    return (a, b) if b > a else None


def resolve(s: _Sentence, att: Attribution, quotes: list[Quote], lex: Lexicon) -> None:
    """Fill in source and content for a cue found in sentence `s`; the source is then held
    to what a speaker can be (`_speaker_span`)."""
    _resolve(s, att, quotes, lex)
    if att.source is not None:
        att.source = _speaker_span(s, att.source, lex)


_SPAN_PRONOUNS = frozenset("he she they it we i".split())


def _speaker_span(s: _Sentence, src: Range, lex: Lexicon) -> Range | None:
    """The part of a scanned source that can speak, or None when none can.

    The scans stop at punctuation and clause words, so without a parser they sometimes run
    over a verb phrase or an adverbial: `the treaty he mentioned` (the speaker is `he`),
    `a few weeks ago the department was saying` (the time phrase is no speaker),
    `providing North Korean servicemen with ...` (a participle phrase), `fired on a column`,
    `Secretary of` (a fragment), `North Korean` (a nationality adjective names nobody)."""
    a, b = src
    verb = next((x for x in range(a + 1, b) if _verb_inside(s, a, x)), None)
    if verb is not None:
        b = verb  # `the Trump campaign issued a statement saying`: the subject ends at its verb
    if b - a > 1 and s.low(b - 1) in _SPAN_PRONOUNS and s.low(b - 2) not in {"and", "or", ","}:
        return (b - 1, b)  # `the treaty he`: a pronoun right before the cue is the subject
    ago = next((x for x in range(a, b - 1) if s.low(x) == "ago"), None)
    if ago is not None:
        a = ago + 1
        while a < b and s.text(a) == ",":
            a += 1
        if a >= b:
            return None
    first, last = s.low(a), s.low(b - 1)
    if last in _PREPOSITIONS or last in _DETERMINERS:
        return None
    if not s.text(a)[:1].isupper() and first not in _NOT_PARTICIPLES and len(first) > 4 and (
            first.endswith("ing") or (first.endswith("ed") and s.low(a + 1) in _PREPOSITIONS)):
        return None  # `providing X with`, `fired on a column`: a verb phrase, not a speaker
    if s.low(a) != "the" and " ".join(s.low(x) for x in range(a, b)) in _demonyms():
        return None  # `North Korean` names nobody; `the Chinese` (the government) speaks
    return (a, b)


def _verb_inside(s: _Sentence, a: int, x: int) -> bool:
    """A past verb with an object inside the scanned source `a...` (`Black Lives Matter
    issued a statement saying`, `Donald Trump unleashed a series of tweets criticizing`): the
    scan ran over the verb of the clause whose participle is the cue, and the speaker is the
    subject before it. Not a participle modifying the noun (`a poll released last week`,
    `the section devoted to`), not after a determiner, auxiliary or pronoun (`the alleged
    victim`, `the experts I interviewed`), and not inside an apposition or relative clause."""
    word = s.text(x)
    low = word.lower()
    if not word.islower() or s.inside[x] != -1 or len(low) <= 4 or not low.endswith("ed") \
            or low in _NOT_PARTICIPLES:
        return False
    if s.low(x + 1) in _PREPOSITIONS or s.low(x + 1) in _TIME_WORDS or s.low(x + 1) in {
            "as", "up", "out", "off", "down", "back", "away", "from", ".", ",", ""}:
        return False
    before = s.low(x - 1)
    if before in _DETERMINERS or before in _FINITE or before in _PERSONAL \
            or before in _PREPOSITIONS or before in {"-", "and", "or", "self", "most", "best",
                                                     "you", "not", "never"}:
        return False
    return not any(s.text(y) in {",", "(", "—"} or s.low(y) in {"who", "which", "that"}
                   for y in range(a, x))


@cache
def _demonyms() -> frozenset[str]:
    """Nationality adjectives (`North Korean`, `Russian`), lower-cased: `data/sources.json`."""
    data = json.loads((DATA / "sources.json").read_text(encoding="utf-8"))
    return frozenset(data["demonyms"])


def _resolve(s: _Sentence, att: Attribution, quotes: list[Quote], lex: Lexicon) -> None:
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
            att.cue = (a, b - 1)  # `was asked by host X`: PolNeAR leaves `by` out of the cue
        att.content = [subject] if subject else []
        argument = s.low(b) in _PASSIVE_ARGUMENTS and s.low(b + 1) not in _TIME_WORDS \
            and s.low(b + 1) not in _TIME_UNITS
        if att.kind == "passive_verb" and (argument or (
                s.low(b - 1) in _PASSIVE_ARGUMENTS and _has_complement(s, b))):
            # `Three commissioners were charged with taking bribes`, `voters were asked who
            # would win`: what the passive cue reports follows it as well.
            rest = _passive_complement(s, b)
            if rest:
                att.content.append(rest)
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
    if s.low(k) in _TIME_UNITS and s.low(k - 1) in {"last", "this", "earlier"} \
            and s.low(k - 2) in {"who", "which"}:
        k -= 2  # `who last week told`: the time phrase sits between the pronoun and its cue
    k = _skip_parenthetical(s, k)
    before_tok = s.text(k) if k >= s.first else ""
    gerund = any(s.low(x).endswith("ing") for x in range(a, b))
    if gerund and before_tok in QUOTES and s.text(k - 1) == ",":
        before_tok = ","  # `“... conservative,” adding that ...`: the comma is inside the quote
    subject = None
    if before_tok == "," and gerund and any(
            s.low(x) in lex.verbs for x in range(s.first, k)):
        att.kind = "continuation"
        if not any(s.low(x) in lex.verbs and lex.verbs[s.low(x)].strong
                   for x in range(s.first, k)):
            # `Cruz continued on Saturday, saying ...`: no speech verb of this sentence
            # spoke before, so the gerund's speaker is the sentence's subject, not the
            # previous statement's source.
            subject = _sentence_subject(s, k, lex)
            if subject is not None and s.text(subject[1]) == ":" and subject[1] + 1 < k:
                # `MR. KIRBY: President Zelenskyy, I think, spoke ..., saying`: past the label
                subject = _sentence_subject(s, k, lex, subject[1] + 1)
            if subject is not None and s.low(subject[0]) not in _CLAUSE_WORDS | {"so", "yet"} \
                    and s.text(subject[1]) != ":":
                att.source = subject
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
        if comma < k and att.content:
            # `X, who told CLW that ..., said on Thursday ...`: the relative clause ends at
            # the comma before the main clause's verb.
            c0, c1 = att.content[-1]
            cut = next((x for x in range(c0, c1) if s.text(x) == "," and (
                (s.inside[x] == -1 and _main_verb(s, x + 1, lex))
                or (s.text(x + 1) in QUOTES and _main_verb(s, x + 2, lex)))), None)
            if cut is not None and s.text(cut + 1) in QUOTES:
                cut += 2  # `who has called it ''racially toxic,'' portrayed`: keep the quote
            if cut is not None and cut > c0:
                att.content[-1] = (c0, cut)
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
        if prior is not None and _has_complement(s, b) and (
                left_edge < s.first or s.low(b) in _PRONOUN_SUBJECTS or s.low(b) == "that"):
            # `“...”  He cautioned that ...`: the previous sentence's quote belongs to a
            # trailing cue only; this cue has its own complement. So does `..., they didn't
            # deny they had it`: a clause of its own after the cue.
            prior = None
        if prior is not None and not prior[1] and _has_complement(s, b) \
                and not _has_verb(s, prior[0], lex):
            # `This month in Iowa, Clinton announced her plan ...`, `WASHINGTON, June 10
            # (UPI) -- Clinton told ...`: a verbless opener is the reporter's framing, and
            # the cue has its own complement to take.
            prior = None
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
    if (before_tok in {",", "—"} or before_tok in QUOTES or k < s.first) \
            and _inverts(s, b - 1, lex):
        src = _scan_object_np(s, b, lex)
        if src and s.low(src[0]) not in {"that"} and not _has_verb(s, src, lex) \
                and _speaker_like(s, src):
            prior = _preceding_content(s, k, quotes, _following_part(s, src[1], quotes),
                                        lex)
            if prior is not None:
                att.source = _trailing_source(s, _before_venue(s, src), lex)
                att.trailing = True
                att.content = [prior[0]]
                att.quoted = prior[1]
                after = _following_part(s, src[1], quotes)
                if after:
                    att.content.append(after)
                return
    _content_after(s, att, b, quotes, lex)


# Words that open a passive cue's argument (`charged with`, `asked whether`, `criticized as`),
# not an adjunct of time or place.
_PASSIVE_ARGUMENTS = frozenset("with of about for as that to who whether what how why if over "
                               "on".split())


def _passive_complement(s: _Sentence, b: int) -> Range | None:
    """The words after a passive cue up to the content's first stop."""
    end = s.content_end()
    stops = s.content_stops()
    at = bisect_right(stops, b)
    if at < len(stops) and stops[at] < end:
        end = stops[at]
    return _trim_range(s, (b, end), s.tokens)


def _main_verb(s: _Sentence, j: int, lex: Lexicon) -> bool:
    """`X, who has called Y "toxic," portrayed ...`, `Fallin, who opposes abortion, vetoed the
    bill`: after the comma that closes a relative clause, a verb (a cue, a finite auxiliary or
    a past form) is the main clause's, so the relative clause's content ends there."""
    low = s.low(j)
    if not s.text(j).islower():
        return False
    return low in lex.verbs or low in _FINITE - {"'s"} or (
        len(low) > 4 and low.endswith("ed") and s.low(j + 1) not in {"by", "in", "to"})


# `Ted Cruz, by contrast, wrote ...`: sentence adverbials set off by commas between a
# subject and its cue.
_PARENTHETICALS = frozenset({
    ("however",), ("meanwhile",), ("too",), ("though",), ("instead",), ("also",),
    ("by", "contrast"), ("in", "turn"), ("for", "example"), ("for", "instance"),
    ("of", "course"), ("in", "particular"), ("in", "response"), ("in", "fact"),
    ("for", "his", "part"), ("for", "her", "part"), ("for", "their", "part"),
    ("for", "its", "part"), ("in", "a", "statement"), ("in", "an", "interview"),
    ("for", "one"),
})


# `said, though, that ...`: asides between a cue and its complement.
_ASIDES = frozenset("though however too instead again".split())


def _skip_parenthetical(s: _Sentence, k: int) -> int:
    """Index of the token before `, by contrast,` when `k` is the comma closing one."""
    if s.text(k) != ",":
        return k
    for n in (1, 2, 3):
        opening = k - n - 1
        if opening > s.first and s.text(opening) == "," and tuple(
                s.low(x) for x in range(opening + 1, k)) in _PARENTHETICALS:
            return opening - 1
    # `Margaret Sullivan, in an attempt to draw attention to it, wrote`, `Sen. Grassley,
    # facing a challenge in Iowa, said`: a prepositional or participial aside between a name
    # and its cue is no part of the source (PolNeAR leaves it out).
    for opening in range(k - 2, max(s.first, k - 14), -1):
        tok = s.text(opening)
        if tok in QUOTES or tok in {";", ":", "(", ")"} or s.low(opening) in _FINITE \
                or s.low(opening) in _CLAUSE_WORDS:
            break
        if tok == ",":
            aside = s.low(opening + 1)
            participle = aside.endswith("ing") and len(aside) > 4 \
                and s.text(opening + 1).islower() and aside not in _NOT_PARTICIPLES
            if (aside in _PREPOSITIONS or participle) and opening > s.first and (
                    s.text(opening - 1)[:1].isupper() or s.text(opening - 1) == ")") \
                    and not any(s.low(x) in _WEEKDAYS or s.low(x) in _TIME_UNITS
                                or s.low(x) in {"today", "yesterday", "tonight"}
                                for x in range(opening + 1, k)) \
                    and not any(s.text(x) == "," and s.inside[x] == -1
                                for x in range(max(s.first, opening - 12), opening)):
                # (not `Obi, who was to visit Leeds, England, on Friday, said`: a time
                # phrase, and a comma before the name, mean a relative clause is open)
                return opening - 1
            break
    return k


# Verbs that report without an object and so can precede their speaker (`..., said Kirby`,
# `..., wrote one analyst`, `..., he asked`). A verb whose object is what is attributed
# (`portrayed his party's nominee as ...`, `criticized the plan`, `told reporters`) never
# inverts: on PolNeAR train nearly every inverted reading of such a verb had the wrong source
# (`told` 6 of 7, `announced` 2 of 4, `criticized` 4 of 4).
_INVERTING = frozenset("say write add tweet ask recall reply explain declare state agree warn "
                       "conclude opine muse scoff predict note continue insist argue respond "
                       "answer observe remark joke quip caution counter concede complain "
                       "testify assert contend emphasize emphasise stress reiterate "
                       "retort speculate wonder guess boast brag lament".split())


def _inverts(s: _Sentence, cue_last: int, lex: Lexicon) -> bool:
    """Whether the cue ending at token `cue_last` can take its source after it."""
    word = lex.verbs.get(s.low(cue_last))
    return word is None or word.lemma in _INVERTING


def _before_venue(s: _Sentence, src: Range) -> Range:
    """`..., said Robby Mook in a statement`, `..., wrote Ben Jacobs in The Guardian`, `on Hot
    Air`: a venue after an inverted speaker's name is no part of the source (PolNeAR leaves
    it out; a common noun's own phrase, `the official in charge`, stays)."""
    a, b = src
    for x in range(a + 1, b - 1):
        if s.low(x) in {"in", "on"} and (s.text(x - 1)[:1].isupper() or s.text(x - 1) == ")"):
            return (a, x)
        if s.text(x) == ",":
            break
    return src


def _trailing_source(s: _Sentence, src: Range, lex: Lexicon) -> Range:
    """`..., said Jon Ralston, a commentator, who attended the event.`: a relative clause or
    further description that closes the sentence after an inverted source describes the
    speaker, and PolNeAR keeps it in the source (not when it holds a quote or a cue of its
    own: `said Driscoll, who said ...`)."""
    j, end = src[1], s.content_end()
    if j >= end or not (s.text(j) == "," or s.low(j) in {"who", "which"}):
        return src
    for x in range(j, end):
        if s.text(x) in QUOTES or s.text(x) in {";", ":"} or (
                s.low(x) in lex.verbs and lex.verbs[s.low(x)].strong):
            return src
    rng = _trim_range(s, (src[0], end), s.tokens)
    return rng if rng else src


def _has_complement(s: _Sentence, b: int) -> bool:
    """Words follow the cue ending before `b` (not just an end mark or a time phrase)."""
    j = b
    while j < s.last and (s.low(j) in _TIME_WORDS or s.low(j) in _TIME_UNITS):
        j += 1
    return j < s.last and s.text(j) not in {".", "!", "?", ",", ";", "—"} \
        and s.text(j) not in QUOTES


def _has_verb(s: _Sentence, rng: Range, lex: Lexicon) -> bool:
    """A finite or cue verb inside `rng`: a clause, not a noun phrase. A capitalised word
    after the first is part of a name or title (`said Will Doyle`, `Press Secretary`)."""
    a, b = rng
    return any((s.low(x) in _FINITE or s.low(x) in lex.verbs)
               and not (x > a and s.text(x)[:1].isupper() and s.text(x - 1)[:1].isupper())
               and not (x == a and s.text(x)[:1].isupper() and s.text(x + 1)[:1].isupper()
                        and x + 1 < b)
               for x in range(a, b))


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
    start = _dateline_end(s, s.first, j)  # `WASHINGTON, Oct 31 (CLW) - X happened, Y said`
    for x in range(s.first, j):
        if s.text(x) == ":" and s.inside[x] == -1:
            start = x + 1
    while start < j and s.inside[start] != -1 and s.tokens[start].text in QUOTES:
        start += 1
    rng = _trim_range(s, (start, j + 1), s.tokens)
    if rng is not None:
        rng = _after_inner_attribution(s, rng, lex)
    if rng is None or (rng[1] - rng[0] < 3 and after is None):
        return None
    if any(s.blocked.get(x) for x in range(rng[0], rng[1])):
        return None
    if s.low(rng[1] - 1) in lex.verbs and rng[1] - rng[0] <= 6 and (
            s.low(rng[1] - 2) in _PERSONAL or s.text(rng[1] - 2)[:1].isupper()):
        return None  # `Instead, she said, her boss told her ...`: a parenthetical cue, not content
    if after is not None and s.text(after[0] - 1) not in QUOTES:
        # `At one point, she said, she was ...`, `Instead, he said, ...`: around a split
        # attribution PolNeAR keeps even an adverbial opening as a content piece (not before
        # a quotation: `Instead of X, Lund said, “...”` frames the quote).
        return rng, False
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
    return rng, False


def _after_inner_attribution(s: _Sentence, rng: Range, lex: Lexicon) -> Range | None:
    """`Candidates said they support X, but they would not push it, they said.`: when the
    stretch before a trailing cue holds a speech verb of its own, that verb's clause is its
    attribution; the trailing cue's content is the coordinated clause after it. With no
    such clause the trailing cue frames the whole stretch."""
    inner = next((x for x in range(rng[1] - 1, rng[0], -1)
                  if s.inside[x] == -1 and s.low(x) in lex.verbs and lex.verbs[s.low(x)].strong
                  and s.low(x - 1) not in {"to", "the", "a", "an"}
                  and s.text(x - 1) not in {",", "—"} and not s.low(x).endswith("ing")), None)
    if inner is None:
        return rng
    for x in range(inner + 1, rng[1] - 2):
        if s.inside[x] == -1 and (s.text(x) == ";" or (
                s.text(x) == "," and s.low(x + 1) in {"but", "and", "while", "although"})):
            start = x + 2 if s.text(x) == "," else x + 1
            return (start, rng[1]) if rng[1] - start >= 3 else None
    nxt = s.low(inner + 1)
    if lex.verbs[s.low(inner)].lemma in {"say", "tell"} or nxt == "that" or nxt == ":" \
            or nxt in QUOTES:
        return None  # `Austin said on Wednesday that ..., a first, officials noted`
    return rng  # `The city did not complain when ..., an official said`: the trailing cue wins


def _speaker_like(s: _Sentence, src: Range) -> bool:
    """An inverted source names someone (`said Kirby`, `said the official`, `said one`), not a
    bare common noun (`..., not declare neutrality.`)."""
    first = s.text(src[0])
    low = first.lower()
    return src[1] - src[0] > 1 or first[:1].isupper() or first[:1].isdigit() \
        or low in _PERSONAL or low in _ROLE_HEADS or low.endswith(("man", "woman", "person",
                                                                 "ist", "er", "or", "ers"))


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
                start = j + 1  # PolNeAR leaves `of` out of both the cue and the charge
                break
    while s.text(start) in {",", ":"}:
        start += 1
    verb = lex.verbs.get(s.low(b - 1))
    if start == b and s.low(b) in _CUE_PREPOSITIONS and s.inside[b] == -1 and not (
            s.low(b) == "to" and _infinitive(s, b + 1)) \
            and (verb is None or verb.lemma not in _ADJUNCT_TAKERS) \
            and s.low(b + 1) not in _TIME_WORDS and s.low(b + 1) not in _TIME_UNITS \
            and not (s.low(b + 1) == "the" and s.low(b + 2) in {"first", "last", "second"}):
        # `commented on the plan`, `concurred with the findings`: the preposition belongs
        # to the cue (PolNeAR train: about 2,700 in the cue, under 60 elsewhere).
        att.cue = (att.cue[0], b + 1)
        start = b + 1
    quote = _quote_at(quotes, s.inside, start)
    if quote is None:
        # `told students at Western High School, “Any questions?”`: an adjunct, then the quote.
        opening = next((q for q in range(start + 1, min(s.last, start + 10))
                        if s.text(q) in QUOTES and s.inside[q] != -1
                        and quotes[s.inside[q]].open_index == q), None)
        if opening is not None and s.text(opening - 1) in {",", ":"} and not any(
                s.low(x) in _FINITE or s.low(x) in _CLAUSE_WORDS or s.low(x) in lex.verbs
                for x in range(start, opening)):
            start = opening
            quote = quotes[s.inside[opening]]
    runs_on = quote is not None and quote.closed and s.low(start - 1) == "that" \
        and s.low(quote.last_index + 1).isalpha() and s.inside[quote.last_index + 1] == -1 \
        and s.low(quote.last_index + 1) not in lex.verbs
    if quote is not None and quote.open_index == start and not runs_on:
        att.quoted = True
        rng = _trim_range(s, _quote_range(quote), s.tokens)
        att.content = [rng] if rng else []
        return
    # (`that “there is no path forward” for the governor`: the clause goes on past the quote.)
    end = s.content_end()
    stops = s.content_stops()
    at = bisect_right(stops, start)
    if at < len(stops) and stops[at] < end:
        end = stops[at]
    end = _pronoun_clause_stop(s, start, end)
    end = _closing_relative_stop(s, start, end)
    rng = _trim_range(s, (start, end), s.tokens)
    if rng is not None and end == s.content_end():
        rng = _through_open_quote(s, rng, quotes)
    att.content = [rng] if rng else []


def _through_open_quote(s: _Sentence, rng: Range, quotes: list[Quote]) -> Range:
    """`suggested taking action against the judge: “They ought to ... . This is called life,
    folks.”`: a quotation that opens inside an indirect content and runs on past the sentence
    end is part of that content to its closing mark (PolNeAR's annotators and ours keep a
    speaker's quotation whole). Only a closed quotation opened after a colon or comma counts:
    an unclosed one may run anywhere."""
    a, b = rng
    q = s.inside[b - 1] if b - 1 < len(s.inside) else -1
    if q == -1:
        return rng
    quote = quotes[q]
    if not quote.closed or quote.open_index <= a or quote.last_index < s.last \
            or s.text(quote.open_index - 1) not in {":", ","}:
        return rng
    return (a, quote.last_index + 1)


_CUE_PREPOSITIONS = frozenset("about against as at for of on to with".split())
# Speech verbs whose prepositional phrases are venue, time or recipient (`said on CNN`,
# `told to reporters`), never the topic's opening.
_ADJUNCT_TAKERS = frozenset("say tell add state write report announce confirm claim "
                            "respond reply".split())


def _infinitive(s: _Sentence, j: int) -> bool:
    """`to` + a verb, not `to` + a noun phrase: no parser, so anything that does not open a
    noun phrase (determiner, possessive, pronoun, capitalised name, number) counts as a verb."""
    word = s.text(j)
    if word in QUOTES and s.text(j + 1)[:1].islower():
        return True  # `vowed to “take our fight” to the states`: a quoted verb
    low = word.lower()
    return not (low in _DETERMINERS or low in _OBJECT_PRONOUNS or low.endswith(("'s", "’s"))
                or word[:1].isupper() or word[:1].isdigit() or word in QUOTES
                or low in {"his", "their", "its", "our", "her", "my", "your"})


def _pronoun_clause_stop(s: _Sentence, start: int, end: int) -> int:
    """`... join her parent in the U.S., she could only enter ...`: a comma before a pronoun
    subject starts a new clause, unless the content opened with an adverbial clause or phrase
    that the pronoun's clause completes (`that if voters supported him, he would fight`)."""
    lead = start + 1 if s.low(start) == "that" else start
    if s.low(lead) in _SUBORDINATORS or s.low(lead) in _INTRODUCTORY - {"to"} \
            or s.low(lead) == "thanks":
        return end
    for j in range(start + 1, end):
        if s.text(j) == "," and s.inside[j] == -1 and s.low(j + 1) in _PRONOUN_SUBJECTS:
            return j
        if s.low(j) == "but" and s.inside[j] == -1 and (
                s.low(j + 1) in _PRONOUN_SUBJECTS or s.low(j + 1) in _FINITE):
            # `confirmed that X would meet them but would not offer details`, `said they
            # support it, but they would not push it`: the speaker's next clause, not the claim.
            return j - 1 if s.text(j - 1) == "," else j
    return end


def _closing_relative_stop(s: _Sentence, start: int, end: int) -> int:
    """`said he supports the final bill, which includes provisions the Senate left out`: a
    non-restrictive `which`/`who` clause that closes an indirect content is the writer's gloss
    on its last noun, not the speaker's words (PolNeAR train, unquoted contents: the content
    ends before such a clause 268 times, runs through it 109). A relative clause the content
    goes on past (`that the plan, which X, would fail`: another comma or dash follows) stays."""
    for j in range(start + 2, end - 2):
        if s.text(j) == "," and s.inside[j] == -1 and s.low(j + 1) in {"which", "who"}:
            if any(s.text(x) in {",", "—", "–", "-", "--", "("} or s.inside[x] != -1
                   for x in range(j + 2, end)):
                return end
            return j
    return end
