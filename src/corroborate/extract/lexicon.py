"""Cue lexicons, loaded once from `data/cues.json` and inflected here.

Lexicons are data so that a change to the cue list is reviewable on its own; this module only
expands lemmas into forms (regular English inflection, irregular forms listed in the data).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class CueWord:
    lemma: str
    cls: str
    strong: bool


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, CueWord]
    multiword: dict[str, list[tuple[tuple[str, ...], str, str]]]
    nouns: dict[str, str]
    passive: tuple[tuple[str, ...], ...]
    passive_raising: dict[str, str]
    auxiliaries: frozenset[str]
    adverbs: frozenset[str]
    triggers: frozenset[str]


def phrases_in(phrases: tuple[str, ...], words: Iterable[str], padded: str) -> list[str]:
    """The entries `p` of `phrases`, in their order, with `f" {p} " in padded`, where
    `padded` is `" " + " ".join(words) + " "` and no word holds a space.

    Such a `p` begins at a word's start and its first space-separated part is that whole
    word, so only the phrases whose first part is one of `words` need the substring test:
    a content of a hundred words is not searched once for each of fifty phrases (speed
    only; the answer is the plain filter's).
    """
    index = _by_first_word(phrases)
    firsts = index.keys() & set(words)
    if "" in index:
        firsts.add("")  # a phrase opening with a space: test it like any other
    if not firsts:
        return []
    found = {p for w in firsts for p in index[w] if f" {p} " in padded}
    return [p for p in phrases if p in found] if found else []


@lru_cache(maxsize=64)
def _by_first_word(phrases: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    by_first: dict[str, list[str]] = {}
    for p in phrases:
        by_first.setdefault(p.split(" ")[0], []).append(p)
    return {w: tuple(ps) for w, ps in by_first.items()}


_SHORT_CVC = re.compile(r"^[^aeiou]*[aeiou][bdgklmnprt]$")


def inflect(lemma: str) -> list[str]:
    """Regular forms: lemma, 3rd person, past, gerund."""
    if lemma.endswith("e"):
        return [lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return [lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        return [lemma, lemma + "es", lemma + "ed", lemma + "ing"]
    if lemma in {"admit", "regret", "commit", "submit", "omit", "rebut", "refer", "infer"} or (
            len(lemma) <= 4 and _SHORT_CVC.search(lemma)):
        # `slam` -> `slammed`, `brag` -> `bragging`: a short closed syllable doubles.
        return [lemma, lemma + "s", lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"]
    return [lemma, lemma + "s", lemma + "ed", lemma + "ing"]


@cache
def lexicon() -> Lexicon:
    data = json.loads((DATA / "cues.json").read_text(encoding="utf-8"))
    verbs: dict[str, CueWord] = {}
    for lemma, entry in data["verbs"].items():
        word = CueWord(lemma, entry["class"], entry["strength"] == "strong")
        for form in entry.get("forms") or inflect(lemma):
            verbs.setdefault(form, word)
    multiword: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
    for entry in data["multiword"]:
        words = tuple(entry["words"])
        multiword.setdefault(words[0], []).append(
            (words, entry["class"], entry.get("kind", "verb"))
        )
    for options in multiword.values():
        options.sort(key=lambda o: -len(o[0]))
    triggers = frozenset({*verbs, *multiword, *data["nouns"], *data["passive_raising"], "it"})
    return Lexicon(
        triggers=triggers,
        verbs=verbs,
        multiword=multiword,
        nouns=dict(data["nouns"]),
        passive=tuple(tuple(p) for p in data["passive"]),
        passive_raising=dict(data["passive_raising"]),
        auxiliaries=frozenset(data["auxiliaries"]),
        adverbs=frozenset(data["adverbs"]),
    )
