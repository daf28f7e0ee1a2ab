"""Speaker turns and unattributed stretches: transcript labels, forum posts, author claims.

What a labelled speaker says that nobody else is credited with is the speaker's own statement;
in opinion and analysis, what nobody is credited with is the author's. Both questions are
asked of every sentence, so they go through offset indexes (`intervals`), never a scan of
all turns or all attributed spans per sentence: a transcript with thousands of turns stays
linear.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat

from corroborate.extract.evolve import evolve
from corroborate.extract.intervals import Coverage, FirstContaining
from corroborate.extract.transcript import paragraph_labels
from corroborate.model import Segment, SourceMention, Span, Statement
from corroborate.text.segment import QUOTES, Sentence, Token

PRODUCER = "corroborate.extract/0.1"
# Each label pattern is anchored at a line start and its repeats are bounded, so a failed
# match costs at most the length of its line: no catastrophic backtracking.
# `[^\S\n]` is any space but a line break: archived transcripts put no-break spaces after the
# colon (`MS. PSAKI:\xa0 Well`).
_LABEL = re.compile(
    r"^[ \t]*(?P<label>(?:(?:MR|MS|MRS|DR|GEN|ADM|COL|AMB|SEN|REP)\.[ \t]+)?"
    r"[A-Z][A-Z.'\-]+(?:[ \t]+[A-Z][A-Z.'\-]+){0,4}|Q|A)[^\S\n]*:[^\S\n]+", re.MULTILINE)
# The reporter's `Q` of official transcripts carries no colon, only a space (`Q\xa0\xa0\xa0 When
# did ...`, `Q Mr. President, ...`). A wide space (no-break, or two) marks it at any line
# start; one ordinary space only at a paragraph's start (`_paragraph_start`).
_BARE_Q = re.compile(r"^[ \t]*(?P<label>Q)(?P<gap>[^\S\n]+)(?=\S)", re.MULTILINE)
_BLANK_BEFORE = re.compile(r"\n[^\S\n]*\n[^\S\n]*$")


def _paragraph_start(text: str, at: int) -> bool:
    """Whether offset `at` opens a paragraph: only blank space before it on its line and a
    blank line (or the text's start) before that. Looks back a bounded stretch, never the
    whole prefix, so a transcript of many `Q` lines stays linear."""
    before = text[max(0, at - 64):at]
    return (at <= 64 and not before.strip()) or bool(_BLANK_BEFORE.search(before))
_TITLE_LABEL = re.compile(
    r"^[ \t]*(?P<label>[A-Z][a-z]+(?:[ \t]+[A-Z][a-zA-Z\-']+){0,3})[ \t]*:[ \t]+", re.MULTILINE)
_FORUM_HEADER = re.compile(r"^[ \t]*#\d+[ \t]+(?P<label>[\w.\-]+)\b.*$", re.MULTILINE)
# Capitalised words news sites put before a colon to announce or label a passage
# (`BOOM:`, `WATCH:`, `UPDATE:`, `BREAKING:`): interjections and headings, never a name or
# a title, so never a speaker.
_NOT_SPEAKERS = frozenset({"NOTE", "UPDATE", "CORRECTION", "EDITOR'S NOTE", "TRANSCRIPT",
                           "WARNING", "SOURCE", "SOURCES", "PHOTO", "VIDEO", "READ MORE",
                           "BOOM", "WATCH", "BREAKING", "BREAKING NEWS", "EXCLUSIVE", "LIVE",
                           "READ", "LISTEN", "SEE", "FLASHBACK", "DEVELOPING", "ALERT",
                           "JUST IN", "OPINION", "ANALYSIS", "EDITORIAL", "WOW", "SCOOP",
                           "LATEST", "UPDATED", "UPDATES", "FACT CHECK", "RELATED", "MORE",
                           "ICYMI", "PHOTOS", "VIDEOS", "DISCLAIMER", "BACKGROUND", "CONTEXT",
                           "SUMMARY", "SPOILER", "SPOILERS", "WATCH LIVE", "MUST READ",
                           "MUST WATCH", "REPORT", "POLL", "QUOTE", "UPDATE 1", "UPDATE 2"})
_QUESTION_LABELS = frozenset({"Q", "QUESTION", "REPORTER"})
# Broadcast roles whose turns narrate (tests/gold/README.md: anchors' own turns are not
# statements; the statements they report are).
_NARRATORS = frozenset({"ANCHOR", "HOST", "NARRATOR", "PRESENTER", "CORRESPONDENT"})
_FIRST_PERSON = frozenset({"i", "we", "i'd", "i’d", "we'd", "we’d", "i'm", "i’m", "we're",
                           "we’re", "i've", "i’ve", "we've", "we’ve", "i'll", "i’ll", "we'll",
                           "we’ll"})


def _line_starts(text: str) -> list[int]:
    """The offsets where `^` matches under re.MULTILINE: 0 and after every line break."""
    return [0, *(m.end() for m in _NEWLINE.finditer(text))]


def _at_line_starts(pattern: re.Pattern[str], text: str,
                    starts: list[int]) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for the label patterns above, by matching at line starts
    only (speed only: `finditer` tries a `^`-anchored pattern at every character). Each
    pattern opens with `^` and none matches across a line break, so a match can begin only
    at a line start and never covers the next one: the matches are the same, in order."""
    match = pattern.match
    return (m for m in map(match, repeat(text), starts) if m is not None)


_NEWLINE = re.compile(r"\n")


@dataclass(frozen=True)
class Turn:
    start: int
    end: int
    label_start: int
    label_end: int
    name: str


def speaker_turns(text: str, kind: str | None, segments: Sequence[Segment]) -> list[Turn]:
    """Speaker labels (`MR. RYDER:`, `Q:`, forum post headers, caption speakers) and the
    stretch of text each one governs, up to the next label."""
    labels: list[tuple[int, int, int, str]] = []
    patterns = [_LABEL, _BARE_Q, _FORUM_HEADER]
    if kind == "transcript" or segments:
        patterns.append(_TITLE_LABEL)
    lone: list[int] = []  # indexes into `labels` of one-word capital labels
    starts = _line_starts(text)
    for pattern in patterns:
        for match in _at_line_starts(pattern, text, starts):
            name = match.group("label").strip()
            if name.upper() in _NOT_SPEAKERS:
                continue
            if pattern is _BARE_Q and match.group("gap") in (" ", "\t") and \
                    not _paragraph_start(text, match.start()):
                continue
            if pattern is _LABEL and name.isalpha() and name not in _QUESTION_LABELS \
                    and name != "A":
                lone.append(len(labels))
            labels.append((match.end(), match.start("label"), match.end("label"), name))
    if lone and not segments and kind != "transcript":
        labels = _drop_headings(labels, lone)
    labels.sort()
    return [Turn(start, labels[n + 1][1] if n + 1 < len(labels) else len(text), ls, le, name)
            for n, (start, ls, le, name) in enumerate(labels)]


def _drop_headings(labels: list[tuple[int, int, int, str]],
                   lone: list[int]) -> list[tuple[int, int, int, str]]:
    """Drop a one-word capital label that is the only label of its text.

    A dialogue has two voices at least (`TAPPER:` then `TRUMP:`), or names its speaker with a
    title (`MR. RYDER:`, `SECRETARY BLINKEN:`); a lone `SHOCKING:` in a news story, the only
    label in the text, announces a passage and names nobody (the known heading words are in
    `_NOT_SPEAKERS` whatever the text)."""
    if len(labels) != 1:
        return labels
    drop = set(lone)
    return [label for n, label in enumerate(labels) if n not in drop]


#: A text with at least this many speaker-label lines, by at least two speakers, is a
#: transcript (a briefing, hearing or interview), whatever it was added as.
_TRANSCRIPT_LABELS = 4


def looks_like_transcript(text: str) -> bool:
    """Whether the text is a transcript, read from its speaker labels (`MS. PSAKI:`, `Q`).

    Only the capitalised labels of official transcripts count (and the wide-spaced `Q`);
    title-case `Name:` lines are too common in other prose to decide it.
    """
    names: dict[str, int] = {}
    starts = _line_starts(text)
    for pattern in (_LABEL, _BARE_Q):
        for match in _at_line_starts(pattern, text, starts):
            if pattern is _BARE_Q and match.group("gap") in (" ", "\t"):
                continue
            name = match.group("label").strip().upper()
            if name not in _NOT_SPEAKERS:
                names[name] = names.get(name, 0) + 1
    return len(names) >= 2 and sum(names.values()) >= _TRANSCRIPT_LABELS


def covered(statements: Sequence[Statement]) -> Coverage:
    """The characters already attributed: every statement's content and cue."""
    spans = []
    for st in statements:
        spans.append((st.content.start, st.content.end))
        if st.cue:
            spans.append((st.cue.start, st.cue.end))
    return Coverage(spans)


def _span(text: str, tokens: list[Token], rng: tuple[int, int], doc_id: str) -> Span:
    start, end = tokens[rng[0]].start, tokens[rng[1] - 1].end
    return Span(doc_id, start, end, text[start:end])


def _runs(eligible: list[tuple[Sentence, int]]) -> list[tuple[int, int]]:
    """Merge eligible sentences (with their first usable token) into per-paragraph runs:
    consecutive sentences of one paragraph with nothing attributed between them."""
    runs: list[tuple[int, int]] = []
    previous: Sentence | None = None
    for sentence, first in eligible:
        if previous is not None and previous.paragraph == sentence.paragraph \
                and previous.last == sentence.first:
            runs[-1] = (runs[-1][0], sentence.last)
        else:
            runs.append((first, sentence.last))
        previous = sentence
    return runs


def _trimmed(tokens: list[Token], rng: tuple[int, int]) -> tuple[int, int]:
    while rng[1] > rng[0] and tokens[rng[1] - 1].text in ".;":
        rng = (rng[0], rng[1] - 1)
    return rng


def label_statements(text: str, tokens: list[Token], sents: list[Sentence],
                     attributed: Coverage, doc_id: str, turns: list[Turn],
                     kind: str | None = None) -> list[Statement]:
    """What a speaker says in a turn and is not attributed to someone else is the speaker's
    own statement, one per paragraph of the turn. In a transcript the turn's paragraphs are
    read as an annotator reads them (`transcript.paragraph_labels`)."""
    result = []
    sentence_starts = [s.start for s in sents]
    for turn in turns:
        is_question = turn.name.upper() in _QUESTION_LABELS
        label_text = text[turn.label_start:turn.label_end]
        if kind == "transcript" and turn.name.upper() in _NARRATORS:
            continue  # a broadcaster's own narration: what it reports is annotated instead
        if kind == "transcript":
            lo = bisect_left(sentence_starts, turn.label_start)
            hi = bisect_left(sentence_starts, turn.end)
            result += paragraph_labels(text, tokens, sents[lo:hi], attributed, doc_id,
                                       turn.start, turn.end,
                                       (turn.label_start, turn.label_end, turn.name),
                                       is_question)
            continue
        eligible = []
        # Only sentences starting inside [label_start, turn.end) can lie inside the turn.
        for n in range(bisect_left(sentence_starts, turn.label_start), len(sents)):
            sentence = sents[n]
            if sentence.start >= turn.end:
                break
            if sentence.end <= turn.start or sentence.end > turn.end:
                continue
            first = sentence.first
            while first < sentence.last and tokens[first].start < turn.start:
                first += 1
            if first >= sentence.last or attributed.overlaps(tokens[first].start, sentence.end):
                continue
            if sentence.last - first >= 3:
                eligible.append((sentence, first))
        for rng in _runs(eligible):
            result.append(Statement(
                doc_id=doc_id, kind="label",
                content=_span(text, tokens, _trimmed(tokens, rng), doc_id),
                stance="affirm", source=SourceMention(turn.label_start, turn.label_end,
                                                      label_text, turn.name, "person"),
                cue=Span(doc_id, turn.label_start, turn.label_end, label_text),
                cue_class="ask" if is_question else "assert", producer=PRODUCER))
    return result


def author_claims(text: str, tokens: list[Token], sents: list[Sentence],
                  attributed: Coverage, doc_id: str) -> list[Statement]:
    """In opinion, analysis and official statements, what is not attributed to anyone is the
    author's own claim (source null, kind `author`), one per paragraph run."""
    eligible = []
    for sentence in sents:
        if sentence.last - sentence.first < 6 or attributed.overlaps(sentence.start, sentence.end):
            continue
        if tokens[sentence.first].text in {"#", "-", "*", "|", ">"} or \
                (tokens[sentence.last - 1].text not in ".!?" and \
                tokens[sentence.last - 1].text not in QUOTES):
            continue
        eligible.append((sentence, sentence.first))
    return [Statement(doc_id=doc_id, kind="author",
                      content=_span(text, tokens, _trimmed(tokens, rng), doc_id),
                      stance="affirm", cue_class="assert", producer=PRODUCER)
            for rng in _runs(eligible)]


def turn_index(turns: list[Turn]) -> FirstContaining:
    """Which turn holds an offset; built once per document (turns are sorted by start)."""
    return FirstContaining([(t.start, t.end) for t in turns])


def first_person_in_turns(statements: list[Statement], turns: list[Turn],
                          holder: FirstContaining | None = None) -> list[Statement]:
    """`I'd note that ...` inside MS. SINGH's turn is Ms. Singh speaking."""
    holder = holder or turn_index(turns)
    out = []
    for st in statements:
        at = holder.find(st.cue.start) if st.cue else None
        turn = turns[at] if at is not None else None
        if st.kind != "label" and st.source is not None and turn is not None:
            words = st.source.text.lower().split()
            if words and words[-1] in _FIRST_PERSON and len(words) <= 2:
                st = evolve(st, source=evolve(st.source, name=turn.name, type="person",
                                                antecedent=turn.name))
        elif st.kind != "label" and st.source is None and turn is not None:
            # A sourceless statement inside a post or turn is the poster's or speaker's own.
            st = evolve(st, source=SourceMention(turn.label_start, turn.label_end,
                                                  turn.name, turn.name, "person"))
        out.append(st)
    return out
