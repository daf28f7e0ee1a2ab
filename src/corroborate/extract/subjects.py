"""Noun-phrase scans for sources, without a parser: the subject before a cue (appositions,
relative clauses, titles, parenthetical party labels), the sentence's own subject (for a
coordinated verb) and the object after an inverted cue (`said John Kirby, a spokesman`)."""

from __future__ import annotations

import re

from corroborate.extract.lexicon import Lexicon
from corroborate.extract.sentence_view import (
    _BOUNDARY_PUNCT,
    _CLAUSE_WORDS,
    _DETERMINERS,
    _FINITE,
    _INTRODUCTORY,
    _LEADING_TIME,
    _PREPOSITIONS,
    _ROLE_HEADS,
    _SUBJECT_MAX,
    _TIME_UNITS,
    _TIME_WORDS,
    _WEEKDAYS,
    Range,
    _Sentence,
)
from corroborate.text.segment import QUOTES


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
    # The length limit counts from the head when a relative clause or apposition is skipped.
    while k >= s.first and (end if head_from is None else min(end, head_from + 12)) - k \
            <= _SUBJECT_MAX:
        tok = s.text(k)
        low = tok.lower()
        if s.inside[k] != -1 and not (head_from is not None and k > head_from):
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
        if low in {"and", "or"} and head_from is None and _opening_conjunct(s, k):
            start = k  # `Sanders and his supporters argue`, `Current and former officials`
            k -= 1
            continue
        if tok in {"-", "'", "’"} and s.inside[k] == -1 and _word_internal(s, k):
            start = k  # `62-year-old Brenda Johnson`, `Sanders’ campaign`
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
        possessive = low in {"'s", "’s"} and s.text(k - 1)[:1].isupper() \
            and s.low(k + 1) not in _DETERMINERS and not s.low(k + 1).endswith("ing")
        if not possessive and (tok in _BOUNDARY_PUNCT or low in _CLAUSE_WORDS
                               or low in _FINITE):
            if not (head_from is not None and k > head_from):
                if tok == "," and head_from is not None and _apposition_head(s, k):
                    # `Marty West, an education professor ... who ..., one of ..., called`,
                    # `Jimmy Ghazal, 39, a Lebanese man ..., told`: the chain of appositions
                    # goes on to the name that heads it.
                    head_from, start, k = k, k, k - 1
                    continue
                who = _restrictive_who(s, k, end)
                if who is None:
                    break
                head_from, start, k = who, who, who - 1  # `people who have battled X say`
                continue
        elif low in lex.verbs and k < end - 1 and lex.verbs[low].strong \
                and not (head_from is not None and k > head_from) \
                and not (tok[:1].isupper() and s.text(k + 1)[:1].isupper()):
            break  # a cue verb ends the subject, unless it is inside the apposition
        start = k
        k -= 1
    while start < end and (s.low(start) in {"and", "but", "so", "then"} or s.text(start) == ","
                           or s.low(start) in _PREPOSITIONS):
        # `with its envoy at the United Nations calling the reports groundless`: the absolute
        # construction's `with` opens no speaker; the noun phrase after it is the speaker.
        start += 1
    while start + 1 < end and (s.low(start) in _LEADING_TIME
                               or (s.low(start) in {"last", "this", "next", "earlier"}
                                   and s.low(start + 1) in _TIME_UNITS)):
        start += 2 if s.low(start + 1) in _TIME_UNITS else 1
        while start < end and s.text(start) == ",":
            start += 1
    if start >= end or (head_from is not None and start >= head_from):
        return None
    if s.low(end - 1) in _PREPOSITIONS:
        return None  # `he knocked Cruz for not reporting`: no noun phrase ends in `for`
    if all(s.low(x) in lex.adverbs or s.low(x) in _NOT_NOUNS for x in range(start, end)):
        return None  # `could no longer defend`: adverbs are no speaker
    return _drop_trailing_time(s, start, end)


def _opening_conjunct(s: _Sentence, k: int) -> bool:
    """The `and` at `k` joins two subjects that open the sentence (`Sanders and his
    supporters`, `She and her aides`, `Current and former officials`): the words before it
    are one to three name, pronoun or adjective words reaching back to the sentence start
    (after a leading `But`/`And`), with no punctuation or verb among them."""
    x = k - 1
    while x >= s.first and k - x <= 3:
        low = s.low(x)
        if s.text(x) in _BOUNDARY_PUNCT or low in _FINITE or low in _CLAUSE_WORDS - {"and"} \
                or low in _PREPOSITIONS or s.inside[x] != -1:
            return False
        if x == s.first or (x == s.first + 1 and s.low(s.first) in {"but", "and", "so", "yet"}):
            return s.low(k + 1) not in _FINITE and s.low(k + 1) not in _PREPOSITIONS
        x -= 1
    return False


def _word_internal(s: _Sentence, k: int) -> bool:
    """A hyphen inside a word (`62-year-old`) or a plural possessive apostrophe attached to
    its noun (`Sanders’ campaign`): no boundary of a noun phrase."""
    attached_left = k > s.first and s.tokens[k - 1].end == s.tokens[k].start
    if s.text(k) == "-":  # (not `UPDATE 1-Ukraine says`: a wire slug before a name)
        return attached_left and k + 1 < s.last and s.tokens[k].end == s.tokens[k + 1].start \
            and s.text(k + 1).islower()
    return attached_left and s.low(k - 1).endswith("s") and k + 1 < s.last \
        and s.tokens[k].end < s.tokens[k + 1].start and s.text(k + 1)[:1].isalpha()


def _apposition_head(s: _Sentence, comma: int) -> bool:
    """The comma opens a further apposition on a name before it (`West, an education
    professor`, `Ghazal, 39, a Lebanese man`)."""
    head = s.text(comma - 1)
    nxt = s.low(comma + 1)
    return (head[:1].isupper() or head == ")") and comma - 1 >= s.first \
        and (nxt in _APPOSITION_INNER or nxt[:1].isdigit() or nxt in _ROLE_HEADS)


def _restrictive_who(s: _Sentence, k: int, end: int) -> int | None:
    """`people who have battled other threats say`: the `who` (at or left of `k`, with no
    punctuation between it and the cue) that opens a restrictive relative clause on the
    subject, when a noun stands before it; else None."""
    for x in range(k, max(s.first, k - 10), -1):
        tok = s.text(x)
        if tok in _BOUNDARY_PUNCT or s.inside[x] != -1:
            return None
        if tok.lower() == "who" and x < end - 1:
            head = s.text(x - 1)
            if head and head not in _BOUNDARY_PUNCT and head.lower() not in _CLAUSE_WORDS \
                    and head.lower() not in _FINITE:
                return x
            return None
    return None


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


def _sentence_subject(s: _Sentence, limit: int, lex: Lexicon,
                      first: int | None = None) -> Range | None:
    """The noun phrase a sentence opens with, up to its first verb-like word (no parser: a
    finite auxiliary, a cue verb or an -ed/-s word after a capitalised run). `first`: where
    the sentence's own words open, past a speaker label."""
    start = s.first if first is None else first
    if s.text(start) in QUOTES:
        return None
    for _ in range(3):  # `Now, this past Friday, we put ...`: openers may follow each other
        opener = _introductory_end(s, start, limit, lex)
        if opener is None:
            break
        start = opener  # `Hours later, Trump returned ...`: the speaker follows the opener
    if start == s.first and s.low(start) in _INTRODUCTORY:
        return None
    start = _dateline_end(s, start, limit)
    end = start
    while end < limit and end - start < 12:
        low = s.low(end)
        if low in _FINITE or low in lex.verbs or s.text(end) in _BOUNDARY_PUNCT:
            break
        if end > start and (low in lex.adverbs or (low.endswith("ly") and len(low) > 4
                                                   and not s.text(end)[:1].isupper())):
            break  # `Trump further summed up`, `He basically ducked`: the adverb ends it
        if end == start + 1 and s.low(start) in _PRONOUNS:
            break  # `he knocked Cruz`: a pronoun is the whole subject
        if end > start and low.endswith(("ed", "s")) and not s.text(end)[:1].isupper() \
                and low not in _DETERMINERS and len(low) > 3:
            break
        if end > start and (low in _IRREGULAR_PAST or (
                low in {"on", "last", "this", "earlier"} and s.low(end + 1) in _TIME_WORDS)
                or low in _LEADING_TIME):
            break
        end += 1
    return (start, end) if end > start else None


def _dateline_end(s: _Sentence, start: int, limit: int) -> int:
    """The first token after a dateline that opens the sentence (`WASHINGTON —`, `ORLANDO,
    Fla. (Reuters) -`, `WASHINGTON, Oct 31 (CLW) -`), else `start`. A dateline is a capital
    place name, then capitalised words, numbers and punctuation up to a dash."""
    dash = next((x for x in range(start, min(limit, start + 10))
                 if s.text(x) in {"—", "–", "--", "-", "―"}), None)
    if dash is None:
        return start
    words = range(start, dash)
    if all(s.text(x).isupper() or not s.text(x)[:1].isalpha() for x in words) or (
            ((s.text(start).isupper() and len(s.text(start)) > 2) or s.text(start) == "(")
            and all((s.text(x)[:1].isupper() or not s.text(x)[:1].isalpha())
                    and s.text(x) != ":" for x in words)):
        return dash + 1
    return start


def _introductory_end(s: _Sentence, first: int, limit: int, lex: Lexicon) -> int | None:
    """The first token after an opening adverbial set off by a comma, or None when the
    sentence opens otherwise: a short preposition or participle phrase from `_INTRODUCTORY`
    or one holding a time word (`Hours later,`, `Last month,`, `Two weeks after X died,`), a
    lone sentence adverb (`However,`), or a subordinate clause (`If he wins, Trump ...`). A
    finite verb or a pronoun inside a phrase (not a clause) means it is a clause of its own."""
    if s.low(first) in {"and", "but", "so", "yet"} and s.text(first + 1) == ",":
        first += 2  # `And, like Trump, they have ...`
    elif s.low(first) in {"and", "but", "so", "yet"}:
        first += 1
    comma = next((x for x in range(first + 1, min(limit, first + 16))
                  if s.text(x) == "," and s.inside[x] == -1), None)
    if comma is None or comma + 1 >= limit:
        return None
    words = [s.low(x) for x in range(first, comma)]
    if words[0] in _SUBORDINATORS and len(words) >= 2:
        return comma + 1
    if len(words) == 1 and (words[0] in lex.adverbs or words[0] in _SENTENCE_ADVERBS
                            or (words[0].endswith("ly") and len(words[0]) > 4)):
        return comma + 1
    if comma - first > 8:
        return None
    timely = any(w in _TIME_WORDS or w in _TIME_UNITS or w in _TIME_PLURALS for w in words)
    if not (words[0] in _INTRODUCTORY or timely):
        return None
    if any(w in _FINITE or w in _PRONOUNS or (w in _CLAUSE_WORDS and not timely)
           for w in words):
        return None
    return comma + 1


_SENTENCE_ADVERBS = frozenset("however still meanwhile instead indeed now then moreover "
                              "nonetheless nevertheless yet also separately later earlier "
                              "afterwards today yesterday again first second finally".split())


_SUBORDINATORS = frozenset("if although though while because since unless whereas once "
                           "when after before until as".split())


_TIME_PLURALS = frozenset("hours days weeks months years minutes moments decades".split())


_NOT_NOUNS = frozenset("no not never longer ever still even only just also already".split())
_PRONOUNS = frozenset("he she they i we it you".split())


# Irregular past tenses that end a sentence's subject (`The president met survivors ...`).
_IRREGULAR_PAST = frozenset(
    "met went took made gave came saw held left led won lost ran sent spent got put set kept "
    "brought began paid sat stood spoke wrote told said thought felt knew heard found became "
    "fell drove flew rose hit cut quit sought fought bought caught taught built meant "
    "won't can't will would could should can may might must".split())


# Words that open an apposition or a relative clause right after its comma (`Sperling, then
# 38, said`, `Smith, whose group ..., said`).
_APPOSITION_INNER = frozenset("who which a an the of whose now then himself herself itself "
                              "both each".split())


# Words before a `that` that make it a complementiser, not a relative pronoun on a noun.
_LEX_VERBISH = frozenset("said says say believe believes believed think thinks thought know "
                         "knows knew so such now than".split())


_PARTY_LABEL = re.compile(r"^[RDI]-[A-Z][A-Za-z.]*$")


def _apposition_start(s: _Sentence, comma: int) -> int | None:
    """For `NP, APPOSITION, <cue>`: the index where NP starts its scan, else None.

    A relative clause may hold commas of its own (`Biden, who was to travel to Columbus,
    Ohio, on Wednesday, said`): past a comma that opens no apposition, the scan goes on
    looking for the `, who` / `, which` that opens the clause."""
    relative_only = False
    skip_to: int | None = None
    for m in range(comma - 1, max(s.first - 1, comma - 32), -1):
        if skip_to is not None:
            if m > skip_to:
                continue
            skip_to = None
            continue  # the opening bracket itself
        tok = s.text(m)
        if tok in {"'", "’"} and s.low(m - 1).endswith("s") \
                and s.tokens[m - 1].end == s.tokens[m].start and s.inside[m] == -1:
            continue  # `Sanders' senior adviser`: a plural possessive, not a quote mark
        if tok in QUOTES and s.inside[m] != -1 and m > s.first:
            # `X, who told CLW that they were "on the battlefield" in Kursk, said`: a quote
            # can only sit inside a relative clause here.
            relative_only = True
            continue
        if tok == ")":
            # `Rep. Sander M. Levin (Mich.), a superdelegate, said`: a parenthetical label on
            # the head is part of it; the scan goes on before the opening bracket.
            opening = next((x for x in range(m - 1, max(s.first - 1, m - 8), -1)
                            if s.text(x) == "("), None)
            if opening is not None and opening > s.first:
                skip_to = opening
                continue
        if tok in QUOTES or tok in ";:()":
            return None
        if tok == "," and relative_only:
            if s.low(m + 1) in {"who", "which"} and s.text(m - 1) not in _BOUNDARY_PUNCT:
                return m
            continue
        if relative_only and tok.lower() in {"who", "which"} and m > s.first \
                and s.text(m - 1) not in _BOUNDARY_PUNCT:
            return m  # `Some voters who have listened ..., on television, said`
        if tok == "," and _PARTY_LABEL.match(s.text(m + 1)) and s.text(m - 1)[:1].isupper():
            return m  # `Sen. Ron Johnson, R-Wis., said`: a party and state label
        if tok == "," and s.text(m + 1)[:1].isupper() and s.text(m - 1)[:1].isupper() \
                and (m + 2 == comma or s.text(m + 2) in {",", "."}):
            continue  # `from Houston, Texas,`: a place, not the apposition's opening comma
        if tok == ",":
            inner = s.low(m + 1)
            if m + 1 >= comma:
                return None
            head = s.text(m - 1)
            if not head or (head in _BOUNDARY_PUNCT and head != ")"):
                return None
            if (
                inner in _APPOSITION_INNER
                or s.text(m + 1)[:1].isupper()
                or inner[:1].isdigit()
                or inner in _ROLE_HEADS
                or inner.endswith(("'s", "’s"))
            ):
                return m
            if (head[:1].isupper() or head == ")") and _verbless_apposition(s, m + 1, comma):
                return m  # `Vikram Amar, dean of the law school, said`
            relative_only = True
            continue
        restrictive = tok.lower() == "that" and s.text(m - 1)[:1].isalpha() \
            and s.low(m - 1) not in _CLAUSE_WORDS and s.low(m - 1) not in _FINITE \
            and s.low(m - 1) not in _LEX_VERBISH
        if tok.lower() in _CLAUSE_WORDS - {"who", "which", "and", "or"} and not relative_only \
                and not (s.text(m - 1) == "," and tok.lower() in _APPOSITION_INNER) \
                and not restrictive:
            relative_only = True  # `Clinton, who did not say that he was unfit, said`
    return None


def _verbless_apposition(s: _Sentence, start: int, end: int) -> bool:
    """Tokens `start:end` read as an apposition on a name (`dean of the law school`, `another
    early supporter`): short, lower-case at the start, and with no finite verb, clause word,
    quote or -ing/-ed word that would make them a clause or a participle phrase."""
    if not 0 < end - start <= 14 or s.text(start)[:1].isupper() \
            or s.low(start) in _PREPOSITIONS or s.low(start) in _TIME_WORDS:
        return False  # `..., on Friday, said`: an adjunct, not an apposition
    for x in range(start, end):
        low = s.low(x)
        if low in _FINITE or low in _CLAUSE_WORDS or s.text(x) in QUOTES or s.text(x) in ";:" \
                or (low.endswith(("ing", "ed")) and not s.text(x)[:1].isupper()):
            return False
    return True


def _verbless(s: _Sentence, start: int, lex: Lexicon) -> bool:
    """No finite or cue verb from `start` to the next comma or the sentence end."""
    j = start
    while j < s.last and s.text(j) not in {",", ".", ";", ":"} \
            and s.low(j) not in {"who", "which"}:
        if s.low(j) in _FINITE or s.low(j) in lex.verbs:
            return False
        j += 1
    return True


_APPOSITION_OPENERS = frozenset("a an the who one another both former then now".split())


def _scan_object_np(s: _Sentence, start: int, lex: Lexicon) -> Range | None:
    """Source after an inverted cue: `said John Kirby, a spokesman` to the sentence end."""
    end = start
    while (
        end < s.last
        and (s.text(end) not in {".", "!", "?", ";", ":"} or s.text(end + 1) == ")")
        and s.low(end) not in {"that", "who", "which", "whether", "if", "how", "why", "what"}
        and s.inside[end] == -1
    ):
        if s.text(end) == "," and not (
            (s.low(end + 1) in _APPOSITION_OPENERS or s.text(end + 1)[:1].isupper()
             or s.low(end + 1) in _ROLE_HEADS)
            and _verbless(s, end + 1, lex)
        ):
            break
        end += 1
    while end > start and s.text(end - 1) in {",", "—"}:
        end -= 1
    return (start, end) if end > start else None
