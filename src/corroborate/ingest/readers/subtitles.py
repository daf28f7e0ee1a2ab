"""WebVTT and SRT transcripts: cues joined into speaker turns, cue timings kept as segments.

The document text reads like a transcript ("Speaker: words...") so attribution can treat it as
one; each cue's span in that text keeps its start/end time and speaker, so a claim can be cited
to the second. Degraded captions (missing cues, broken timings) are read as far as they go.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from corroborate.errors import EmptyInput
from corroborate.ingest.decode import decode_text
from corroborate.ingest.record import ReadResult, Record
from corroborate.model import Segment

_TIMING = re.compile(
    r"^\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)
# Every repetition is bounded and a tag cannot contain "<", so a cue of "<v <v <v ..." or
# "<<<<..." costs a constant per position, not a scan to the end of the text for each one.
_VOICE = re.compile(r"<v(?:\.[\w.-]{1,100})?[ \t]+([^<>]{1,200})>")
_TAG = re.compile(r"<[^<>]{1,500}>")
_LABEL_HEAD = 300
_LABEL = re.compile(
    r"^\s*(?:-\s*|>>\s*)?"
    r"((?:[A-Z][A-Za-z'.\-]*\.?\s){0,3}[A-Z][A-Za-z'.\-]*|Q|A|[A-Z][A-Z .'\-]{1,40})\s*:\s+"
)
_BRACKET_LABEL = re.compile(r"^\s*\[([A-Z][A-Za-z .'\-]{1,40})\]\s*")


@dataclass(frozen=True)
class _Cue:
    t_start: str
    t_end: str
    speaker: str | None
    text: str


def _normalise_time(value: str) -> str:
    value = value.replace(",", ".")
    return value if value.count(":") == 2 else "00:" + value


def _speaker_and_text(lines: list[str]) -> tuple[str | None, str]:
    joined = " ".join(line.strip() for line in lines if line.strip())
    speaker = None
    voice = _VOICE.search(joined)
    if voice:
        speaker = voice.group(1).strip()
    text = html.unescape(_TAG.sub("", joined)).strip()
    if speaker is None:
        head = text[:_LABEL_HEAD]
        label = _LABEL.match(head) or _BRACKET_LABEL.match(head)
        if label:
            speaker = label.group(1).strip()
            text = text[label.end():].strip()
    return speaker, re.sub(r"\s+", " ", text)


def _cues(text: str) -> Iterator[_Cue | str]:
    """Yield cues, or a string describing a block that could not be read."""
    blocks = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    for block in blocks:
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        head = lines[0].strip()
        if head.startswith(("WEBVTT", "NOTE", "STYLE", "REGION")):
            continue
        timing_at = next((i for i, line in enumerate(lines[:3]) if _TIMING.match(line)), None)
        if timing_at is None:
            yield f"block without timing skipped: {head[:40]!r}"
            continue
        timing = _TIMING.match(lines[timing_at])
        assert timing is not None
        speaker, cue_text = _speaker_and_text(lines[timing_at + 1:])
        if cue_text or speaker:
            yield _Cue(_normalise_time(timing.group(1)), _normalise_time(timing.group(2)),
                       speaker, cue_text)


def _read_subtitles(raw: bytes, where: str) -> ReadResult:
    decoded = decode_text(raw, where)
    parts: list[str] = []
    segments: list[Segment] = []
    notes: list[str] = [decoded.note] if decoded.note else []
    skipped = 0
    length = 0
    current: str | None = None
    for cue in _cues(decoded.text):
        if isinstance(cue, str):
            skipped += 1
            continue
        speaker = cue.speaker or current
        if not cue.text:
            current = speaker
            continue
        if length == 0 or speaker != current:
            prefix = ("\n\n" if length else "") + (f"{speaker}: " if speaker else "")
        else:
            prefix = " "
        parts.append(prefix)
        length += len(prefix)
        segments.append(Segment(length, length + len(cue.text), speaker, cue.t_start, cue.t_end))
        parts.append(cue.text)
        length += len(cue.text)
        current = speaker
    if not segments:
        raise EmptyInput(where, "no subtitle cues with text found")
    if skipped:
        notes.append(f"{skipped} malformed subtitle block(s) skipped")
    notes.append(f"{len(segments)} cues")
    yield Record(text="".join(parts), content=raw, encoding=decoded.encoding,
                 notes=tuple(notes), segments=tuple(segments), meta={"kind": "transcript"})


def read_vtt(raw: bytes, where: str) -> ReadResult:
    return _read_subtitles(raw, where)


def read_srt(raw: bytes, where: str) -> ReadResult:
    return _read_subtitles(raw, where)
