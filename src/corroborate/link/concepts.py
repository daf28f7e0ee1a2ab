"""Text to a bag of concepts for lexical matching: synonyms folded, stop words dropped.

`North Korean soldiers were deployed to the Kursk region` and `Pyongyang has sent troops to
Kursk` share NORTH_KOREA, TROOPS, DEPLOY and KURSK; word overlap alone would find one word.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
_WORD = re.compile(r"[a-z0-9][a-z0-9,'’.-]*[a-z0-9]|[a-z0-9]")


@cache
def _tables() -> tuple[re.Pattern[str], dict[str, str], frozenset[str]]:
    data = json.loads((DATA / "concepts.json").read_text(encoding="utf-8"))
    forms: dict[str, str] = {}
    for concept, words in data["groups"].items():
        for word in words:
            forms[word] = concept
    multi = sorted((w for w in forms if " " in w), key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in multi) + r")\b")
    return pattern, forms, frozenset(data["stopwords"])


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=200_000)
def concepts(text: str) -> frozenset[str]:
    pattern, forms, stop = _tables()
    low = text.lower().replace("’", "'")
    found: set[str] = set()

    def take(match: re.Match[str]) -> str:
        found.add(forms[match.group()])
        return " "

    low = pattern.sub(take, low)
    for word in _WORD.findall(low):
        word = word.removesuffix("'s").strip(".,")
        if not word or word in stop:
            continue
        found.add(forms.get(word) or _stem(word))
    return frozenset(found)
