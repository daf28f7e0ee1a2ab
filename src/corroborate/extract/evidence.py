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


# Cheap first pass: most statements mention no evidence, and the typed pattern is slow.
_TRIGGER = re.compile(
    r"satellit|imager|intercept|radio|wiretap|eavesdrop|video|footage|clip|recording|photo|"
    r"picture|image|snapshot|\bids?\b|identity|document|papers|passport|certificat|captur|"
    r"prisoner|\bpows?\b|killed|wounded|casualt|bodies|dead|losses|witness|resident|locals|"
    r"on the ground|intelligence|assessment|spy agency|statement|release|communiqu|announcement|"
    r"evidence|proof|open-source|geolocat", re.IGNORECASE)


def find_evidence(text: str, start: int, end: int) -> list[EvidenceMention]:
    """Typed evidence mentions within text[start:end], offsets into `text`."""
    if not _TRIGGER.search(text, start, end):
        return []
    pattern, names = _pattern()
    found = []
    for match in pattern.finditer(text, start, end):
        group = match.lastgroup
        assert group is not None
        found.append(EvidenceMention(names[int(group[1:])], match.start(), match.end(),
                                     match.group()))
    return found
