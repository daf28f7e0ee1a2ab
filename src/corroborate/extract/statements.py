"""The extraction pipeline: text in, attributed statements out.

Stages, each a plain function over the same token list: segmentation → quotes → cues →
source/content spans → relays (`according to Yonhap, the NIS said`) → source descriptions and
pronouns → stance and hedges → time (said_on vs. event dates) → evidence. Nothing here touches
the store; `corroborate add` and `corroborate extract` both call `extract_statements`.

Span conventions follow PolNeAR, the public attribution corpus we measure against: content
keeps a leading `that` and the quote marks of a direct quote, and drops the sentence's final
full stop; the cue keeps auxiliaries, negation and adverbs (`has also said`, `did not deny`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from corroborate.extract.attribution import Attribution, _Sentence, find_cues, resolve
from corroborate.extract.evidence import TRIGGER_WORDS, find_evidence
from corroborate.extract.lexicon import lexicon
from corroborate.extract.quotes import Quote, find_quotes, quote_index
from corroborate.extract.sources import describe, resolve_pronouns
from corroborate.extract.stance import judge
from corroborate.extract.timex import TimeExpression, find_time_expressions
from corroborate.model import Segment, SourceMention, Span, Statement, TimeRef
from corroborate.text.segment import QUOTES, Sentence, Token, sentences, tokenize

PRODUCER = "corroborate.extract/0.1"
_LABEL = re.compile(
    r"^[ \t]*(?P<label>(?:(?:MR|MS|MRS|DR|GEN|ADM|COL|AMB|SEN|REP)\.[ \t]+)?"
    r"[A-Z][A-Z.'\-]+(?:[ \t]+[A-Z][A-Z.'\-]+){0,4}|Q|A)[ \t]*:[ \t]+", re.MULTILINE)
_TITLE_LABEL = re.compile(
    r"^[ \t]*(?P<label>[A-Z][a-z]+(?:[ \t]+[A-Z][a-zA-Z\-']+){0,3})[ \t]*:[ \t]+", re.MULTILINE)
_FORUM_HEADER = re.compile(r"^[ \t]*#\d+[ \t]+(?P<label>[\w.\-]+)\b.*$", re.MULTILINE)
_NOT_SPEAKERS = frozenset({"NOTE", "UPDATE", "CORRECTION", "EDITOR'S NOTE", "TRANSCRIPT",
                           "WARNING", "SOURCE", "SOURCES", "PHOTO", "VIDEO", "READ MORE"})
_AUTHOR_KINDS = frozenset({"comment", "analysis", "statement"})
_QUESTION_LABELS = frozenset({"Q", "QUESTION", "REPORTER"})


def extract_statements(text: str, published: date | str | None = None, doc_id: str = "",
                       kind: str | None = None,
                       segments: Sequence[Segment] = ()) -> list[Statement]:
    """Every attributed statement in `text`, with offsets into `text` as given."""
    anchor = date.fromisoformat(published) if isinstance(published, str) else published
    tokens = tokenize(text)
    sents = sentences(text, tokens)
    quotes = find_quotes(text, tokens)
    inside = quote_index(quotes, len(tokens))
    lex = lexicon()
    lows = [token.text.lower() for token in tokens]
    found: list[tuple[Attribution, Sentence]] = []
    for sentence in sents:
        s = _Sentence(tokens, sentence, inside, lows)
        cues = find_cues(s, lex)
        for att in cues:
            if att.kind == "according_to":
                for x in range(*att.cue):
                    s.blocked[x] = True
        resolved = []
        for att in sorted(cues, key=lambda a: a.kind != "according_to"):
            resolve(s, att, quotes, lex)
            if att.content:
                resolved.append(att)
        _split_coordinated(resolved, tokens)
        found.extend((att, sentence) for att in _univocal(resolved))
    _continue_quotes(text, tokens, found, quotes, inside)
    found.sort(key=lambda pair: pair[0].cue[0])
    statements = _to_statements(text, tokens, found, doc_id)
    statements = _relays(statements)
    covered = _covered(statements)
    turns = _speaker_turns(text, kind, segments)
    statements += _turns(text, tokens, sents, covered, doc_id, turns)
    if kind in _AUTHOR_KINDS:
        statements += _author_claims(text, tokens, sents, _covered(statements), doc_id)
    statements.sort(key=lambda st: (st.content.start, st.cue.start if st.cue else -1))
    statements = _describe_sources(statements)
    statements = _first_person_in_turns(statements, turns)
    times = find_time_expressions(text, anchor)
    triggers = [t.start for t, low in zip(tokens, lows, strict=True) if low in TRIGGER_WORDS]
    time_starts = [t.start for t in times]
    return _inherit_said_on([_finish(text, tokens, st, times, anchor, kind, triggers,
                                     time_starts) for st in statements])


def _continue_quotes(text: str, tokens: list[Token], found: list[tuple[Attribution, Sentence]],
                     quotes: list[Quote], inside: list[int]) -> None:
    """`“...,” Kirby said. “More words.”`: a quotation that opens right after a quoted
    attribution, in the same paragraph and with no cue of its own, continues that speaker."""
    claimed = {n for att, _ in found for a, b in att.content for n in {inside[a], inside[b - 1]}}
    for att, sentence in found:
        if not att.quoted:
            continue
        nxt = sentence.last
        if nxt >= len(tokens) or inside[nxt] == -1 or inside[nxt] in claimed:
            continue
        quote = quotes[inside[nxt]]
        if quote.open_index != nxt or "\n" in text[tokens[nxt - 1].end:tokens[nxt].start]:
            continue
        if any(a <= quote.open_index < b for other, _ in found for a, b in [other.cue]):
            continue
        last = quote.last_index if quote.closed else quote.last_index + 1
        if any(other.cue[0] > quote.open_index and other.cue[0] < last + 3
               for other, _ in found):
            continue
        att.content.append((quote.open_index + 1, last))
        claimed.add(inside[nxt])


_JOINERS = frozenset({",", "and", "but", "—", "–", "--", ";", "while", "whereas"})


def _split_coordinated(attributions: list[Attribution], tokens: list[Token]) -> None:
    """`Fowler said X — and he noted that Y`: X ends where the second attribution's source
    begins, so the second is not swallowed as part of the first one's content."""
    for outer in attributions:
        if not outer.content or outer.kind == "according_to":
            continue
        a, b = outer.content[-1]
        for inner in attributions:
            if inner is outer or inner.source is None or inner.kind == "according_to":
                continue
            if a < inner.source[0] < b and a <= inner.cue[0] < b and inner.source[0] > a + 2:
                end = inner.source[0]
                while end > a and tokens[end - 1].text.lower() in _JOINERS:
                    end -= 1
                joined = {t.text.lower() for t in tokens[end:inner.source[0]]}
                if end - a >= 2 and joined & {"and", "but", ";", "while", "whereas"}:
                    outer.content[-1] = (a, end)
                    b = end


def _univocal(attributions: list[Attribution]) -> list[Attribution]:
    """Each token plays one role in one attribution (PolNeAR's rule): a cue that lies inside
    another attribution's content is that content's wording, not a second attribution.
    `According to` relays are kept both ways and merged later."""
    def inside(inner: Attribution, outer: Attribution) -> bool:
        return any(a <= inner.cue[0] and inner.cue[1] <= b for a, b in outer.content)

    kept = []
    for att in attributions:
        nested = any(other is not att and other.kind != "according_to" and inside(att, other)
                     and not (other.source is None and att.source is not None)
                     for other in attributions)
        # A sourceless passive (`are expected to`) gives way to a sourced cue inside it.
        swallowing = att.source is None and any(
            other is not att and other.source is not None and inside(other, att)
            for other in attributions)
        if not nested and not swallowing:
            kept.append(att)
    return kept


def _span(text: str, tokens: list[Token], rng: tuple[int, int], doc_id: str) -> Span:
    start, end = tokens[rng[0]].start, tokens[rng[1] - 1].end
    return Span(doc_id, start, end, text[start:end])


def _widen_content(text: str, tokens: list[Token], rng: tuple[int, int]) -> tuple[int, int]:
    """PolNeAR spans: include a leading `that` and the quote marks around a direct quote,
    never reaching across a line break."""
    a, b = rng
    if a > 0 and "\n" in text[tokens[a - 1].end:tokens[a].start]:
        return _widen_right(text, tokens, a, b)
    if a > 0 and tokens[a - 1].text in QUOTES and b < len(tokens) and tokens[b].text in QUOTES:
        a, b = a - 1, b + 1
        # `said that “...”`: PolNeAR keeps the complementizer with the quote.
        if a > 0 and tokens[a - 1].text.lower() == "that" and \
                "\n" not in text[tokens[a - 1].end:tokens[a].start]:
            a -= 1
        elif a > 1 and tokens[a - 1].text == "," and tokens[a - 2].text.lower() == "that":
            a -= 2
        return a, b
    if a > 0 and tokens[a - 1].text.lower() == "that":
        return a - 1, b
    if a > 0 and tokens[a - 1].text in QUOTES:
        a -= 1
    return _widen_right(text, tokens, a, b)


def _widen_right(text: str, tokens: list[Token], a: int, b: int) -> tuple[int, int]:
    if b < len(tokens) and tokens[b].text in QUOTES and tokens[b].start == tokens[b - 1].end:
        b += 1
    elif b + 1 < len(tokens) and tokens[b].text in ".,!?" and tokens[b + 1].text in QUOTES \
            and tokens[b + 1].start == tokens[b].end:
        b += 2
    return a, b


def _to_statements(text: str, tokens: list[Token],
                   found: list[tuple[Attribution, Sentence]], doc_id: str) -> list[Statement]:
    result = []
    for att, _sentence in found:
        parts = [_span(text, tokens, _widen_content(text, tokens, rng), doc_id)
                 for rng in att.content]
        content = Span(doc_id, parts[0].start, parts[-1].end,
                       text[parts[0].start:parts[-1].end])
        source = None
        if att.kind == "continuation" and result:
            source = result[-1].source
        if att.source:
            span = _span(text, tokens, att.source, doc_id)
            end = span.end - 2 if span.text.endswith(("'s", "’s")) else span.end
            antecedent = _span(text, tokens, att.antecedent, doc_id).text \
                if att.antecedent else None
            source = SourceMention(span.start, end, text[span.start:end], antecedent=antecedent)
        kind = {"according_to": "according_to"}.get(att.kind) or \
            ("direct" if att.quoted else "indirect")
        result.append(Statement(
            doc_id=doc_id, kind=kind, content=content, stance="affirm",
            content_parts=tuple(parts) if len(parts) > 1 else (), source=source,
            cue=_span(text, tokens, att.cue, doc_id), cue_class=att.cls, producer=PRODUCER))
    return result


def _relays(statements: list[Statement]) -> list[Statement]:
    """`According to Yonhap, the NIS said X`: one statement by the NIS, relayed via Yonhap."""
    keep: list[Statement] = []
    for outer in statements:
        inner = next((st for st in statements if st is not outer and outer.kind == "according_to"
                      and st.cue is not None and outer.content.start <= st.cue.start
                      and st.content.end <= outer.content.end), None)
        if inner is None:
            keep.append(outer)
    relayed = []
    for st in keep:
        via = next((o.source for o in statements if o.kind == "according_to" and o is not st
                    and o not in keep and o.content.start <= (st.cue.start if st.cue else -1)
                    <= o.content.end), None)
        relayed.append(replace(st, via=via) if via else st)
    return relayed


def _covered(statements: list[Statement]) -> list[tuple[int, int]]:
    spans = []
    for st in statements:
        spans.append((st.content.start, st.content.end))
        if st.cue:
            spans.append((st.cue.start, st.cue.end))
    return spans


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in spans)


@dataclass(frozen=True)
class _Turn:
    start: int
    end: int
    label_start: int
    label_end: int
    name: str


def _speaker_turns(text: str, kind: str | None, segments: Sequence[Segment]) -> list[_Turn]:
    """Speaker labels (`MR. RYDER:`, `Q:`, forum post headers, caption speakers) and the
    stretch of text each one governs, up to the next label."""
    labels: list[tuple[int, int, int, str]] = []
    patterns = [_LABEL, _FORUM_HEADER]
    if kind == "transcript" or segments:
        patterns.append(_TITLE_LABEL)
    for pattern in patterns:
        for match in pattern.finditer(text):
            name = match.group("label").strip()
            if name.upper() in _NOT_SPEAKERS:
                continue
            labels.append((match.end(), match.start("label"), match.end("label"), name))
    labels.sort()
    return [_Turn(start, labels[n + 1][1] if n + 1 < len(labels) else len(text), ls, le, name)
            for n, (start, ls, le, name) in enumerate(labels)]


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


def _turns(text: str, tokens: list[Token], sents: list[Sentence],
           covered: list[tuple[int, int]], doc_id: str, turns: list[_Turn]) -> list[Statement]:
    """What a speaker says in a turn and is not attributed to someone else is the speaker's
    own statement, one per paragraph of the turn."""
    result = []
    for turn in turns:
        is_question = turn.name.upper() in _QUESTION_LABELS
        label_text = text[turn.label_start:turn.label_end]
        eligible = []
        for sentence in sents:
            if sentence.end <= turn.start or sentence.start < turn.label_start \
                    or sentence.end > turn.end:
                continue
            first = sentence.first
            while first < sentence.last and tokens[first].start < turn.start:
                first += 1
            if first >= sentence.last or _overlaps(tokens[first].start, sentence.end, covered):
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


def _author_claims(text: str, tokens: list[Token], sents: list[Sentence],
                   covered: list[tuple[int, int]], doc_id: str) -> list[Statement]:
    """In opinion, analysis and official statements, what is not attributed to anyone is the
    author's own claim (source null, kind `author`), one per paragraph run."""
    eligible = []
    for sentence in sents:
        if sentence.last - sentence.first < 6 or _overlaps(sentence.start, sentence.end, covered):
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


def _described(mention: SourceMention) -> SourceMention:
    """Describe a mention; a relative pronoun (`which`, `who`) takes its antecedent's
    description but keeps its own span."""
    if mention.antecedent:
        base = describe(mention.antecedent, mention.start)
        return replace(base, start=mention.start, end=mention.end, text=mention.text,
                       antecedent=mention.antecedent, name=base.name or
                       base.text if base.type != "unnamed" else base.name)
    return describe(mention.text, mention.start)


def _describe_sources(statements: list[Statement]) -> list[Statement]:
    mentions = [_described(st.source) if st.source else None for st in statements]
    mentions = resolve_pronouns(mentions)
    out = []
    for st, mention in zip(statements, mentions, strict=True):
        via = describe(st.via.text, st.via.start) if st.via else None
        out.append(replace(st, source=mention, via=via))
    return out


_FIRST_PERSON = frozenset({"i", "we", "i'd", "i’d", "we'd", "we’d", "i'm", "i’m", "we're",
                           "we’re", "i've", "i’ve", "we've", "we’ve", "i'll", "i’ll", "we'll",
                           "we’ll"})


def _inherit_said_on(statements: list[Statement]) -> list[Statement]:
    """A source quoted again later in the story without a date of its own (`he added`) is
    still speaking on the occasion the story dated: inherit that date, and say so."""
    last_by_source: dict[str, tuple[str, str | None]] = {}
    out = []
    for st in statements:
        key = (st.source.name or st.source.text).lower() if st.source else None
        if key and st.said_on is None and st.said_on_how is None and key in last_by_source \
                and st.kind != "label":
            day, how = last_by_source[key]
            st = replace(st, said_on=day, said_on_how=f"inherited ({how})")
        if key and st.said_on:
            last_by_source[key] = (st.said_on, st.said_on_how)
        out.append(st)
    return out


def _first_person_in_turns(statements: list[Statement], turns: list[_Turn]) -> list[Statement]:
    """`I'd note that ...` inside MS. SINGH's turn is Ms. Singh speaking."""
    out = []
    for st in statements:
        turn = next((t for t in turns if st.cue and t.start <= st.cue.start < t.end), None)
        if st.kind != "label" and st.source is not None and turn is not None:
            words = st.source.text.lower().split()
            if words and words[-1] in _FIRST_PERSON and len(words) <= 2:
                speaker = text_of_label(turn)
                st = replace(st, source=replace(st.source, name=speaker, type="person",
                                                antecedent=speaker))
        elif st.kind != "label" and st.source is None and turn is not None:
            # A sourceless statement inside a post or turn is the poster's or speaker's own.
            st = replace(st, source=SourceMention(turn.label_start, turn.label_end,
                                                  text_of_label(turn), text_of_label(turn),
                                                  "person"))
        out.append(st)
    return out


def text_of_label(turn: _Turn) -> str:
    return turn.name


def _words(text: str, start: int, end: int) -> list[str]:
    return [w.lower() for w in re.findall(r"[\w'’-]+", text[start:end])]


_SCARE = re.compile(r"[“\"]\w[\w' -]{0,30}[”\"]")


def _has_trigger(triggers: list[int], start: int, end: int) -> bool:
    at = bisect_left(triggers, start)
    return at < len(triggers) and triggers[at] < end


def _finish(text: str, tokens: list[Token], st: Statement, times: list[TimeExpression],
            anchor: date | None, kind: str | None, triggers: list[int],
            time_starts: list[int]) -> Statement:
    parts = st.content_parts or (st.content,)
    content_words = [w for p in parts for w in _words(text, p.start, p.end)]
    cue_words = _words(text, st.cue.start, st.cue.end) if st.cue else []
    sentence_start = text.rfind("\n", 0, st.content.start) + 1
    sentence_end = text.find("\n", st.content.end)
    sentence_end = len(text) if sentence_end == -1 else sentence_end
    tail = text[st.content.end:st.content.end + 3]
    question = "?" in tail or st.content.text.rstrip("”\"' ").endswith("?")
    scare = [m.group() for p in parts if st.kind != "direct" for m in
             _SCARE.finditer(text, p.start, p.end)]
    stance, hedges = judge(st.cue_class, cue_words, content_words, question, scare)
    local = times[bisect_left(time_starts, sentence_start):
                  bisect_right(time_starts, sentence_end)]
    in_content = [t for t in local if any(p.start <= t.start and t.end <= p.end for p in parts)]
    near = [t for t in local if t not in in_content and st.cue is not None
            and sentence_start <= t.start and t.end <= sentence_end
            and _clause_of_cue(st, t) and t.type in ("DATE", "TIME")]
    said_on = said_how = None
    if near:
        best = min(near, key=lambda t: abs(t.start - st.cue.start) if st.cue else 0)
        day = _first_day(best.value, best.granularity)
        if day is not None:
            said_on = day
            said_how = f"{best.how}: {best.text}" if best.granularity == "day" else \
                f"{best.how} ({best.granularity}, first day): {best.text}"
        else:
            said_how = f"unresolved: {best.text}"
    elif st.kind == "label" and kind == "transcript" and anchor is not None:
        said_on, said_how = anchor.isoformat(), "transcript date"
    event_dates = tuple(TimeRef(t.start, t.end, t.text, t.value, t.granularity, t.how)
                        for t in in_content if t.type in ("DATE", "TIME"))
    evidence = tuple(e for p in parts if _has_trigger(triggers, p.start, p.end)
                     for e in find_evidence(text, p.start, p.end))
    return replace(st, stance=stance, hedges=hedges, said_on=said_on, said_on_how=said_how,
                   event_dates=event_dates, evidence=evidence)


def _first_day(value: str | None, granularity: str | None) -> str | None:
    """A said_on date for a TIMEX3 value: the day itself, or the first day of a week/month."""
    if not value:
        return None
    try:
        if granularity == "day" and re.match(r"^\d{4}-\d{2}-\d{2}", value):
            return value[:10]
        if granularity == "week" and re.match(r"^\d{4}-W\d{2}$", value):
            return date.fromisocalendar(int(value[:4]), int(value[6:8]), 1).isoformat()
        if granularity == "month" and re.match(r"^\d{4}-\d{2}$", value):
            return f"{value}-01"
    except ValueError:
        return None
    return None


def _clause_of_cue(st: Statement, t: TimeExpression) -> bool:
    """A date belongs to the act of saying when it sits by the cue or the source, outside the
    content: `said on Oct. 18`, `On Monday, Rutte said`, `Rutte on Tuesday told`."""
    assert st.cue is not None
    anchors = [st.cue.start, st.cue.end] + ([st.source.start, st.source.end] if st.source
                                            else [])
    distance = min(min(abs(t.start - a), abs(t.end - a)) for a in anchors)
    before_content = t.end <= st.content.start
    return distance <= 40 or (before_content and t.start < min(anchors))
