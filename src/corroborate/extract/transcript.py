"""Briefing, hearing and interview transcripts: what each speaker's turn says in its own voice.

An annotator reads a transcript turn as the speaker's statement, one per substantive
paragraph, from its first real sentence to the end of its last: courtesy and procedure ("Go
ahead.", "Thank you.") are not claims, and leading discourse markers ("Well,", "So,", "Look,")
are not part of one. The speaker's present framing ("we believe", "I can tell you", "I think")
is how the turn asserts, so it stays inside the turn's statement instead of splitting it into
first-person reported speech; the speaker's reports of earlier speech ("as I said yesterday",
"we have made clear") are separate statements with their own date. A reporter's turn counts
only for what it asserts, and only as a question (`ask`): the questions themselves are not
claims, and what the question attributes to others is those others' statement.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from operator import itemgetter

from corroborate.extract.intervals import Coverage, FirstContaining
from corroborate.extract.lexicon import DATA, phrases_in
from corroborate.model import SourceMention, Span, Statement
from corroborate.text.segment import Sentence, Token

_PUNCT = frozenset(",;:—–-.…")
_WORD = re.compile(r"[\w'’-]+")
_FIRST_PERSON = frozenset({"i", "we", "us", "me", "my", "our", "i'd", "i’d", "we'd", "we’d",
                           "i'm", "i’m", "we're", "we’re", "i've", "i’ve", "we've", "we’ve",
                           "i'll", "i’ll", "we'll", "we’ll"})
_SECOND_PERSON = frozenset({"you", "you're", "you’re", "you've", "you’ve", "you'd", "you’d",
                            "you'll", "you’ll", "y'all"})
#: Shorter than this many words (after the leading markers) a sentence carries no claim of
#: its own ("Right."); a bare "No." is the exception (`answer_denials`), and two words do
#: ("It was.").
_MIN_WORDS = 2
#: An interrupted sentence (ending in a dash) shorter than this is a fragment ("No, it was —").
_FRAGMENT_WORDS = 8
#: A reporter's sentence shorter than this is an address or a topic ("One more on China",
#: "The spy balloon"), not an assertion.
_MIN_QUESTION_WORDS = 6
#: A sentence opening like procedure ("Let me finish my answer", "We'll go to the back")
#: is procedure up to this length; longer, it is a claim framed as procedure.
_PROCEDURAL_WORDS = 8
#: A sentence up to this long that names the briefing's procedure ("then I'll take your
#: questions") is procedure as a whole.
_PROCEDURAL_PHRASE_WORDS = 25
#: Subjects after an interrogative auxiliary that make a question ("did any officials",
#: "is there", "does the President"), not a tag or a relative clause.
_ASKED_SUBJECTS = frozenset({"you", "they", "he", "she", "it", "we", "there", "the", "any",
                             "anyone", "this", "that", "these", "those", "i"})
#: The agentless cues a speaker uses to report what others say ("there have been reports",
#: "it was reported", "as described"); other cues without a source in a turn are the
#: speaker's own verbs without their subject ("Remind me", "say that again"), not reports.
_AGENTLESS_REPORT = re.compile(r"(?i)\breport|\bdescribed\b|\bsaid\b|\bclaim|\bheard\b|"
                               r"\bexpected\b|\bbelieved\b|\bthought\b|\brumou?r")


@dataclass(frozen=True)
class Conventions:
    """The transcript conventions of `data/turns.json`: word lists, so that a new briefing
    style is a data change, not a code change."""

    leading_single: frozenset[str]
    leading_pairs: tuple[tuple[str, ...], ...]
    pleasantries: frozenset[str]
    procedural_starts: tuple[tuple[str, ...], ...]
    past_speech: frozenset[str]
    interrogatives: frozenset[str]
    question_talk: frozenset[str]
    refusals: tuple[str, ...]
    answer_denials: frozenset[str]
    rejections: tuple[str, ...]
    not_hedges: frozenset[str]
    procedural_phrases: tuple[str, ...]
    answers: frozenset[str]


@cache
def conventions() -> Conventions:
    data = json.loads((DATA / "turns.json").read_text(encoding="utf-8"))
    return Conventions(
        frozenset(data["leading_single"]),
        tuple(sorted((tuple(p) for p in data["leading_pairs"]), key=len, reverse=True)),
        frozenset(data["pleasantries"]),
        tuple(tuple(p.split()) for p in data["procedural_starts"]),
        frozenset(data["past_speech"]), frozenset(data["interrogatives"]),
        frozenset(data["question_talk"]), tuple(data["refusals"]),
        frozenset(data["answer_denials"]), tuple(data["rejections"]),
        frozenset(data["not_hedges"]), tuple(data["procedural_phrases"]),
        frozenset(data["answers"]))


def _lead(tokens: list[Token], first: int, last: int, conv: Conventions) -> int:
    """The first token after the leading discourse markers and their punctuation."""
    while first < last:
        low = tokens[first].text.lower()
        if low in _PUNCT:
            first += 1
            continue
        pair = next((p for p in _pairs_from(conv).get(low, ())
                     if tuple(t.text.lower() for t in tokens[first:first + len(p)]) == p), None)
        if pair is not None and first + len(pair) < last:
            first += len(pair)
            continue
        # One marker at a time, never the sentence's last token ("Sure." stays a pleasantry).
        if low in conv.leading_single and first + 1 < last:
            first += 1
            continue
        break
    return first


def _pairs_from(conv: Conventions) -> dict[str, tuple[tuple[str, ...], ...]]:
    """`conv.leading_pairs` by first word, longest first as there: a sentence start is
    compared with the few pairs it can begin, not all of them (speed only)."""
    cached = _PAIRS.get(id(conv))
    if cached is None or cached[0] is not conv:
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for pair in conv.leading_pairs:
            by_first.setdefault(pair[0], []).append(pair)
        cached = _PAIRS[id(conv)] = (conv, {w: tuple(ps) for w, ps in by_first.items()})
    return cached[1]


_PAIRS: dict[int, tuple[Conventions, dict[str, tuple[tuple[str, ...], ...]]]] = {}


@lru_cache(maxsize=1 << 16)
def _word(token: str) -> str | None:
    """A token's word as the turn rules read it, or None for punctuation. Cached: a
    briefing repeats its words, and this runs for every token of every turn (speed only)."""
    # `No.` is one token (the abbreviation of "number"); at a turn's end it is the answer.
    w = token.rstrip(".") if token.endswith(".") else token
    return w.lower().replace("’", "'") if _WORD.fullmatch(w) else None


def _words(tokens: list[Token], first: int, last: int) -> list[str]:
    # `_word` gives None or a non-empty word, so `filter(None, ...)` drops exactly the Nones.
    return list(filter(None, _token_words(tokens)[first:last]))


def _token_words(tokens: list[Token]) -> list[str | None]:
    """`_word` of every token of the piece, made once and kept for the last token list
    asked about: the turn rules ask for the words of every sentence, some twice (speed
    only). Token lists are never changed once made; the list itself is held, so a new list
    at a freed one's address cannot be mistaken for it."""
    last = _LAST_WORDS.get("key")
    if last is not None and last[0] is tokens and len(last[1]) == len(tokens):
        return last[1]
    words = list(map(_word, map(_TOKEN_TEXT, tokens)))
    _LAST_WORDS["key"] = (tokens, words)
    return words


_TOKEN_TEXT = itemgetter(2)
_LAST_WORDS: dict[str, tuple[list[Token], list[str | None]]] = {}


def forget_token_words() -> None:
    """Let go of the token list `_token_words` keeps, once its piece is done (see
    `segment.forget_last_gaps`: speed and memory only)."""
    _LAST_WORDS.clear()


@lru_cache(maxsize=64)
def _starts_by_word(starts: tuple[tuple[str, ...], ...]
                    ) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Word sequences by their first word, so a sentence is compared only with those its
    first word can begin (speed only)."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for p in starts:
        by_first.setdefault(p[0], []).append(p)
    return {w: tuple(ps) for w, ps in by_first.items()}


def _starts_with_any(words: list[str], starts: tuple[tuple[str, ...], ...]) -> bool:
    """Whether `words` begins with one of `starts` (non-empty word sequences)."""
    return bool(words) and any(tuple(words[:len(p)]) == p
                               for p in _starts_by_word(starts).get(words[0], ()))


def substantive(tokens: list[Token], sentence: Sentence, first: int,
                conv: Conventions, reporter: bool = False) -> int | None:
    """The sentence's first claim token, or None when the sentence is courtesy, procedure,
    a question or an interrupted fragment. A reporter's sentence must also be long enough
    to assert something and not be about the reporter's own questions."""
    last = sentence.last
    words = _words(tokens, first, last)
    joined = " ".join(words)
    if not words or joined in conv.pleasantries:
        return None
    if tokens[last - 1].text == "?":
        return None
    if joined in conv.answer_denials or joined in conv.answers:
        return None if reporter else first
    if set(words) == {"no"}:  # "No, no, no": talking over a question, not an answer
        return None
    if tokens[last - 1].text in {"—", "–", "--", "-"} and len(words) < _FRAGMENT_WORDS:
        return None
    start = _lead(tokens, first, last, conv)
    # The words from `start` on: `words` less those of the leading markers skipped.
    rest = words[len(_words(tokens, first, start)):]
    if not rest or " ".join(rest) in conv.pleasantries:
        return None
    if len(words) <= _PROCEDURAL_PHRASE_WORDS and \
            phrases_in(conv.procedural_phrases, words, f" {joined} "):
        return None
    if len(rest) <= _PROCEDURAL_WORDS and any(_starts_with_any(w, conv.procedural_starts)
                                              for w in (words, rest)):
        return None
    if reporter and (len(rest) < _MIN_QUESTION_WORDS or rest[0] in conv.interrogatives
                     or rest[0] == "if" or tokens[last - 1].text in {"—", "–", "--", ":"}
                     or _asks_after_comma(tokens, start, last, conv)
                     or any(w in conv.question_talk for w in words)):
        return None
    if len(rest) < _MIN_WORDS and len(words) < _MIN_WORDS:
        return None
    return start if start < last else None


def _asks_after_comma(tokens: list[Token], first: int, last: int, conv: Conventions) -> bool:
    """"Since the administration knew, did any officials ...": the question comes after an
    opening clause, so the sentence asks (and the transcript often drops its question mark)."""
    return any(tokens[k].text == "," and tokens[k + 1].text.lower() in conv.interrogatives
               and tokens[k + 2].text.lower() in _ASKED_SUBJECTS
               for k in range(first, last - 2))


def _trim_end(tokens: list[Token], first: int, last: int) -> int:
    while last > first + 1 and tokens[last - 1].text in ".;:,—–-":
        last -= 1
    return last


def paragraph_labels(text: str, tokens: list[Token], sents: Sequence[Sentence],
                     attributed: Coverage, doc_id: str, turn_start: int, turn_end: int,
                     label: tuple[int, int, str], is_question: bool) -> list[Statement]:
    """One `label` statement per substantive paragraph of one transcript turn.

    An official's paragraph runs from its first substantive sentence to the end of its last,
    whatever it reports of others inside (those are statements of their own as well). A
    reporter's paragraph gives one statement per run of assertive sentences that attribute
    nothing to anyone else: a sentence that only relays someone is that someone's statement.
    """
    conv = conventions()
    label_start, label_end, name = label
    label_text = text[label_start:label_end]
    by_paragraph: dict[int, list[tuple[int, int]]] = {}
    previous_kept: dict[int, int] = {}
    opening: dict[int, int] = {}
    for sentence in sents:
        if sentence.end <= turn_start or sentence.end > turn_end:
            continue
        first = sentence.first
        while first < sentence.last and tokens[first].start < turn_start:
            first += 1
        if first >= sentence.last:
            continue
        start = substantive(tokens, sentence, first, conv, is_question)
        if start is None:
            if not is_question and tokens[sentence.last - 1].text == "?" and \
                    sentence.paragraph not in by_paragraph and sentence.last - first >= 4:
                # An official repeating the question before answering it ("When are those
                # talks back on the calendar? I couldn't tell you."): the answer's paragraph
                # starts there, if an answer follows.
                opening.setdefault(sentence.paragraph, _lead(tokens, first, sentence.last,
                                                             conv))
            continue
        if is_question and attributed.overlaps(tokens[start].start, sentence.end):
            continue  # the sentence relays someone: that someone's statement
        runs = by_paragraph.setdefault(sentence.paragraph, [])
        if runs and (not is_question or previous_kept.get(sentence.paragraph) == sentence.first):
            runs[-1] = (runs[-1][0], sentence.last)
        else:
            runs.append((opening.get(sentence.paragraph, start), sentence.last))
        previous_kept[sentence.paragraph] = sentence.last
    result = []
    for runs in by_paragraph.values():
        for a, b in runs:
            b = _trim_end(tokens, a, b)
            start, end = tokens[a].start, tokens[b - 1].end
            result.append(Statement(
                doc_id=doc_id, kind="label", content=Span(doc_id, start, end, text[start:end]),
                stance="affirm",
                source=SourceMention(label_start, label_end, label_text, name, "person"),
                cue=Span(doc_id, label_start, label_end, label_text),
                cue_class="ask" if is_question else "assert",
                producer="corroborate.extract/0.1"))
    return result


def _reports_past_speech(cue: str, conv: Conventions) -> bool:
    words = [w.lower().replace("’", "'") for w in _WORD.findall(cue)]
    return any(w in conv.past_speech or w.split("'")[-1] in conv.past_speech for w in words)


def _past_label(tokens: list[Token], first: int, last: int) -> int:
    """The first token after a speaker label opening the sentence (`Q`, `MR. KIRBY:`)."""
    if tokens[first].text in ("Q", "A") and first + 1 < last:
        return first + 1
    for k in range(first, min(last, first + 6)):
        if tokens[k].text == ":":
            if all(t.text.isupper() or t.text in ".-'" for t in tokens[first:k]):
                return k + 1
            break
    return first


def asked(tokens: list[Token], sents: Sequence[Sentence]) -> Coverage:
    """The stretches of questions that an auxiliary asks about: in "Does the administration
    believe that ...?" or "Since then, did anyone say ...?" the cue after the auxiliary is
    asked about, not reported (tests/gold/README.md: presuppositions inside questions are
    not statements). A report before the question stays: "When you said X, is that what you
    meant?", "Jake Sullivan says ISIS is outside. Is that right?"."""
    conv = conventions()
    spans = []
    for sentence in sents:
        if tokens[sentence.last - 1].text != "?":
            continue
        start = _past_label(tokens, sentence.first, sentence.last)
        start = _lead(tokens, start, sentence.last, conv)
        for k in range(start, sentence.last - 1):
            low = tokens[k].text.lower().replace("’", "'")
            opens = k == start or tokens[k - 1].text in {",", "—", "–", ";"} or \
                tokens[k - 1].text.lower() in _WH
            if opens and low in conv.interrogatives and low not in _WH:
                spans.append((tokens[k].end, sentence.end))
                break
    return Coverage(spans)


_DIRECTIVE_CUES = frozenset({"asked", "asking", "asks", "ask", "told", "telling", "ordered",
                             "directed", "directing", "instructed", "urged", "tasked"})
_INFINITIVE = re.compile(r"^(?:[\w'’-]+\s+){0,6}?to\s+\w")


def _directive(st: Statement) -> bool:
    """"He asked the intelligence community to look into it", "I told them to shoot it
    down": a request or an order, with no truth-evaluable content (README), not a report."""
    assert st.cue is not None
    words = st.cue.text.lower().split()
    return bool(words) and words[-1] in _DIRECTIVE_CUES and \
        bool(_INFINITIVE.match(st.content.text)) and not st.content.text.startswith("that")


def own_words_dropped(statements: list[Statement],
                      turns: Sequence[tuple[int, int, int]],
                      questions: Coverage | None = None) -> list[Statement]:
    """Drop the first- and second-person present cues inside transcript turns (`we believe`,
    `I can tell you`, `you know`, a reporter's `can you confirm`): they are the turn's own
    framing, not a report of anyone's speech. Reports of earlier speech stay.

    Nothing said in one turn runs into the next: a statement whose content holds a speaker
    label is dropped, and a source that starts inside the label (`Q\xa0\xa0 I think`) loses it.
    """
    conv = conventions()
    label_starts = [label for label, _, _ in turns]
    holder = FirstContaining([(start, end) for _, start, end in turns])
    out = []
    for st in statements:
        at = bisect_left(label_starts, st.content.start)
        if at < len(label_starts) and label_starts[at] < st.content.end:
            continue
        if st.cue is not None and _directive(st):
            continue
        turn = holder.find(st.cue.start) if st.cue is not None and st.kind != "label" else None
        if turn is not None and st.source is None and not _AGENTLESS_REPORT.search(st.cue.text):
            continue
        if turn is not None and questions is not None and st.cue is not None and \
                questions.overlaps(st.cue.start, st.cue.end):
            continue
        if turn is not None and st.source is not None:
            begins = turns[turn][1]
            if st.source.start < begins < st.source.end:
                cut = begins - st.source.start
                st = replace(st, source=replace(st.source, start=begins,
                                                text=st.source.text[cut:]))
            if framing(st.source.text, st.cue.text):
                continue
        if turn is not None and not st.content_parts:
            st = _question_cut(st, conv)
        out.append(st)
    return out


_WH = frozenset({"what", "why", "how", "when", "where", "who", "which"})
_ASKING_TAIL = re.compile(r",\s+(?:and\s+|so\s+)?(\w+)\s+(\w+)")


def framing(source: str, cue: str) -> bool:
    """Whether a cue is the turn's own present framing: a first- or second-person source
    ("we believe", "I can tell you", "you know") with no report of an earlier speech act."""
    words = _WORD.findall(source.lower())
    person = bool(words) and len(words) <= 3 and (
        words[0] in _FIRST_PERSON or words[0] in _SECOND_PERSON
        or words[-1] in _FIRST_PERSON or words[-1] in _SECOND_PERSON)
    return person and not _reports_past_speech(cue, conventions())


def speaks_for_self(st: Statement) -> bool:
    """A statement whose source is the speaker ("I said that ...", "we've made clear"): in a
    reporter's turn it does not make the sentence someone else's relay."""
    words = _WORD.findall(st.source.text.lower()) if st.source else []
    return bool(words) and len(words) <= 2 and words[0] in _FIRST_PERSON


def _question_cut(st: Statement, conv: Conventions) -> Statement:
    """"You said it's not appropriate for him to go, what does the President think ...": the
    relayed claim ends where the reporter's question begins."""
    text = st.content.text
    for match in _ASKING_TAIL.finditer(text):
        aux, subject = match.group(1).lower(), match.group(2).lower()
        wh = aux in _WH and subject in conv.interrogatives
        if (wh or (aux in conv.interrogatives and subject in _ASKED_SUBJECTS)) and match.start():
            end = st.content.start + match.start()
            return replace(st, content=Span(st.content.doc_id, st.content.start, end,
                                            text[:match.start()]))
    return st


_ASKED_FIRST = re.compile(r"[^.!;]*\?\s+(?=\S)")
# `[.!?;](?=\s)|,\s+(?:but|and|although|though)\s|\s+but\s`, opened by one character class
# so that a search skips in C to the next candidate character instead of trying the three
# branches everywhere (speed only): the look-behind on the character taken picks the same
# branch, in the same order, and `\s\s*` is `\s+`.
_CLAUSE_END = re.compile(r"[.!?;,\s](?:(?<=[.!?;])(?=\s)|(?<=,)\s+(?:but|and|although|though)\s"
                         r"|(?<=\s)\s*but\s)")


def first_clause(text: str) -> str:
    """A label's first clause, which decides its stance ("I'm not going to get ahead of ...
    But ..." is uncertain; "There is an investigation, and I don't believe ..." affirms)."""
    asked_first = _ASKED_FIRST.match(text)  # a question repeated before the answer
    if asked_first:
        text = text[asked_first.end():]
    cut = _CLAUSE_END.search(text)
    return text[:cut.start()] if cut else text


def _clause_words(text: str) -> list[str]:
    return list(_clause_word_tuple(text))


@lru_cache(maxsize=4)
def _clause_word_tuple(text: str) -> tuple[str, ...]:
    """`finish` asks `label_stance_words` and `label_stance` of the same text in turn: the
    words are found once (speed only)."""
    return tuple(_WORD.findall(first_clause(text).lower().replace("’", "'")))


def label_stance_words(text: str) -> list[str]:
    """The words of a turn's first clause that bear on its stance: in a turn "whether" asks
    what was examined ("we assessed whether they were manned") and "possible" mostly says
    how fast ("as soon as possible"), so neither hedges it; "if you will" is no condition."""
    words = _clause_words(text)
    joined = " ".join(words).replace("if you will", "")
    return [w for w in joined.split() if w not in conventions().not_hedges]


def label_stance(text: str) -> str | None:
    """`deny` when a turn's first clause rejects the question's claim ("That's not
    accurate"), `uncertain` when it refuses, defers or says the speaker does not know (the
    turn is then uncertain even when a claim follows: the first clause decides), else None."""
    conv = conventions()
    words = _clause_words(text)
    clause = " " + " ".join(words) + " "
    if phrases_in(conv.rejections, words, clause) or " ".join(words) in conv.answer_denials:
        return "deny"
    if phrases_in(conv.refusals, words, clause):
        return "uncertain"
    return None
