"""Evidence mentions, typed: what a statement rests on (satellite images, intercepts, IDs...)."""

from __future__ import annotations

import json
import re
from functools import cache

from corroborate.extract.lexicon import DATA
from corroborate.model import EvidenceMention


@cache
def _pattern() -> tuple[re.Pattern[str], tuple[str, ...]]:
    entries = json.loads((DATA / "evidence.json").read_text(encoding="utf-8"))["patterns"]
    names = tuple(name for name, _ in entries)
    alternatives = "|".join(f"(?P<g{n}>{regex})" for n, (_, regex) in enumerate(entries))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE), names


# Words without which no evidence pattern can match: a cheap first pass over tokens, since
# most statements mention no evidence and the typed pattern is slow.
TRIGGER_WORDS = frozenset(
    "satellite imagery intercept intercepts intercepted radio wiretap wiretaps eavesdropping "
    "eavesdropped video videos footage clip clips recording recordings photo photos photograph "
    "photographs picture pictures pics image images snapshot snapshots id ids identity "
    "document documents papers passport passports certificate certificates captured prisoner "
    "prisoners pow pows killed wounded casualties bodies dead losses witness witnesses "
    "eyewitness eyewitnesses residents locals ground intelligence assessment assessments spy "
    "statement statements release releases communique communiqué communiques announcement "
    "announcements evidence proof open-source geolocated geolocation geolocating".split())


def find_evidence(text: str, start: int, end: int) -> list[EvidenceMention]:
    """Typed evidence mentions within text[start:end], offsets into `text`."""
    pattern, names = _pattern()
    found = []
    for match in pattern.finditer(text, start, end):
        group = match.lastgroup
        assert group is not None
        found.append(EvidenceMention(names[int(group[1:])], match.start(), match.end(),
                                     match.group()))
    return found
