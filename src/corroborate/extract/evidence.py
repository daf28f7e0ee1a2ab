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
