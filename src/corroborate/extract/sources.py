"""What a source mention says about the speaker: name, type, role, affiliation; pronouns
resolved to the nearest fitting named source before them.

This is per-document and shallow on purpose; merging mentions into one canonical source per
real speaker across documents is the linking stage's job.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import cache

from corroborate.extract.lexicon import DATA
from corroborate.model import SourceMention

_WORDS = re.compile(r"[\w.'’-]+")
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "another", "other", "some",
                "several", "two", "three", "many", "one"}
_UNNAMED_HEADS = {"official", "officials", "source", "sources", "diplomat", "diplomats",
                  "analyst", "analysts", "expert", "experts", "lawmaker", "lawmakers",
                  "witness", "witnesses", "resident", "residents", "person", "people",
                  "commentators", "bloggers", "observers", "critics", "officer", "officers",
                  "soldier", "soldiers", "spokesman", "spokeswoman", "spokesperson"}


@dataclass(frozen=True)
class SourceLexicon:
    roles: tuple[str, ...]
    organisations: frozenset[str]
    government: frozenset[str]
    outlets: frozenset[str]
    media_words: frozenset[str]
    countries: dict[str, str]
    pronouns: dict[str, str]


@cache
def source_lexicon() -> SourceLexicon:
    data = json.loads((DATA / "sources.json").read_text(encoding="utf-8"))
    return SourceLexicon(tuple(sorted(data["roles"], key=len, reverse=True)),
                         frozenset(data["organisation_words"]),
                         frozenset(data["government_words"]), frozenset(data["media_outlets"]),
                         frozenset(data["media_words"]), dict(data["countries"]),
                         dict(data["pronouns"]))


def _phrase_in(words: list[str], phrases: frozenset[str] | tuple[str, ...]) -> str | None:
    joined = " " + " ".join(words) + " "
    for phrase in sorted(phrases, key=len, reverse=True):
        if f" {phrase} " in joined:
            return phrase
    return None


def describe(text: str, start: int) -> SourceMention:
    """Analyse one mention such as `NATO Secretary-General Mark Rutte`."""
    lex = source_lexicon()
    end = start + len(text)
    words = _WORDS.findall(text)
    lower = [w.lower().strip(".,") for w in words]
    if len(lower) == 1 and lower[0] in lex.pronouns:
        return SourceMention(start, end, text, None, lex.pronouns[lower[0]])
    plain = [w.removesuffix("'s").removesuffix("’s") for w in lower]
    role = _phrase_in(plain, lex.roles)
    affiliation = None
    for n in (3, 2, 1):
        for i in range(len(plain) - n + 1):
            key = " ".join(plain[i:i + n])
            if key in lex.countries:
                affiliation = lex.countries[key]
                break
        if affiliation:
            break
    org_word = _phrase_in(plain, lex.organisations)
    outlet = _phrase_in(plain, lex.outlets)
    # A person's name: the last run of capitalised words that are not roles or organisations.
    name_words: list[str] = []
    for word, low in zip(reversed(words), reversed(plain), strict=True):
        if word[:1].isupper() and low not in lex.organisations and low not in lex.countries \
                and not any(low == r for r in lex.roles) and low not in lex.outlets:
            name_words.insert(0, word.removesuffix("'s").removesuffix("’s"))
        elif name_words:
            break
    head = plain[-1] if plain else ""
    if outlet or (_phrase_in(plain, lex.media_words) and not org_word and not name_words):
        kind, name = "media", _title(text)
    elif len(name_words) >= 2 or (name_words and role and not org_word):
        kind, name = "person", " ".join(name_words)
    elif org_word or (words and words[0][:1].isupper() and head not in _UNNAMED_HEADS):
        kind = "government_body" if _phrase_in(plain, lex.government) else "organization"
        name = _title(text)
    elif head in _UNNAMED_HEADS or (plain and plain[0] in _DETERMINERS):
        kind, name = "unnamed", None
    else:
        kind, name = "unnamed", None
    if role and affiliation is None and org_word:
        affiliation = org_word.upper() if len(org_word) <= 4 else org_word.title()
    return SourceMention(start, end, text, name, kind, role, affiliation)


def _title(text: str) -> str:
    """The mention without leading articles or a trailing possessive."""
    words = text.split()
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    result = " ".join(words)
    return re.sub(r"['’]s$", "", result)


def resolve_pronouns(mentions: list[SourceMention | None]) -> list[SourceMention | None]:
    """Give each pronoun source the name of the nearest earlier mention of a fitting type."""
    resolved: list[SourceMention | None] = []
    people: SourceMention | None = None
    groups: SourceMention | None = None
    for mention in mentions:
        if mention is None:
            resolved.append(None)
            continue
        low = mention.text.lower()
        if mention.name is None and low in ("he", "she", "him", "her", "i") and people:
            mention = replace(mention, name=people.name, role=people.role,
                              affiliation=people.affiliation, antecedent=people.text)
        elif mention.name is None and low in ("they", "it", "we") and groups:
            mention = replace(mention, name=groups.name, type=groups.type, role=groups.role,
                              affiliation=groups.affiliation, antecedent=groups.text)
        elif mention.type == "person" and mention.name:
            people = mention
        elif mention.type in ("government_body", "organization", "media", "unnamed"):
            groups = mention
        resolved.append(mention)
    return resolved
