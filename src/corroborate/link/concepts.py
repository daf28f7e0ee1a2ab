"""Text to a bag of concepts for lexical matching: synonyms folded, stop words dropped.

`North Korean soldiers were deployed to the Kursk region` and `Pyongyang has sent troops to
Kursk` share NORTH_KOREA, TROOPS, DEPLOY and KURSK; word overlap alone would find one word.
The general groups (`data/concepts.json`) and every country with its demonyms and capital
(`data/aliases.json`) hold for any story; a story pack adds its own words (KURSK) for the run
it is given to (`concept_groups`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corroborate.link.pack import StoryPack

DATA = Path(__file__).parent / "data"
_WORD = re.compile(r"[a-z0-9][a-z0-9,'’.-]*[a-z0-9]|[a-z0-9]")
_PACK: ContextVar[str | None] = ContextVar("story_pack", default=None)  # its digest
_PACKS: dict[str, StoryPack] = {}


@contextmanager
def concept_groups(pack: StoryPack | None) -> Iterator[None]:
    """Match with the pack's concept groups as well as the general ones, within the block."""
    if pack is not None:
        _PACKS[pack.digest] = pack
    token = _PACK.set(pack.digest if pack is not None else None)
    try:
        yield
    finally:
        _PACK.reset(token)


@cache
def _tables(digest: str | None) -> tuple[re.Pattern[str], dict[str, str], frozenset[str]]:
    data = json.loads((DATA / "concepts.json").read_text(encoding="utf-8"))
    countries = json.loads((DATA / "aliases.json").read_text(encoding="utf-8"))["countries"]
    forms: dict[str, str] = {}
    for country, words in countries.items():
        concept = re.sub(r"\W+", "_", country.upper())
        for word in (country.lower(), *words):
            forms[word] = concept
            forms[word + "'s"] = concept
    forms.pop("us", None)  # the pronoun, far more often than the country
    forms.pop("us's", None)
    groups = dict(data["groups"])
    if digest is not None:
        groups.update(_PACKS[digest].concepts)
    for concept, words in groups.items():
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


def concepts(text: str) -> frozenset[str]:
    return _concepts(text, _PACK.get())


def concepts_once(text: str) -> frozenset[str]:
    """`concepts` without the cache, for a pass that reads each text once and keeps the
    bag itself (`link/run.py` stores it in its scratch table): filling the 200,000-entry
    cache with every claim was the largest part of linking's memory at 100k statements."""
    return _concepts.__wrapped__(text, _PACK.get())


@lru_cache(maxsize=200_000)
def _concepts(text: str, digest: str | None) -> frozenset[str]:
    pattern, forms, stop = _tables(digest)
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
