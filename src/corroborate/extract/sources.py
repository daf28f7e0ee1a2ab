"""What a source mention says about the speaker: name, type, role, affiliation; pronouns
resolved to the nearest fitting named source before them.

This is per-document and shallow on purpose; merging mentions into one canonical source per
real speaker across documents is the linking stage's job.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from corroborate.extract.evolve import evolve
from corroborate.extract.lexicon import DATA
from corroborate.model import SourceMention

_WORDS = re.compile(r"[\w.'’-]+")
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "another", "other", "some",
                "several", "two", "three", "many", "one"}
_FIRST_PERSON_WORDS = {"i", "we", "i'd", "i’d", "i'm", "i’m", "we'd", "we’d", "me", "us"}
_HONORIFICS = {"mr.", "mrs.", "ms.", "dr.", "mr", "mrs", "ms", "dr", "sen.", "rep.", "gen.",
               "gov.", "lt.", "col.", "maj.", "adm.", "capt.", "amb."}
_PERSON_ROLES = {"president", "minister", "foreign minister", "defence minister",
                 "defense minister", "prime minister", "secretary-general", "secretary general",
                 "spokesman", "spokeswoman", "spokesperson", "ambassador", "envoy", "chancellor",
                 "senator", "governor", "mayor", "king", "queen", "premier", "press secretary",
                 "deputy press secretary", "defense secretary", "secretary of state",
                 "vice foreign minister", "vice president", "commander", "general", "chief"}
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
    # A capital stands for its government in news usage (`Hanoi said`), on any story: the
    # bundled world list, not the capitals of one story's countries.
    capitals = json.loads((DATA / "capitals.json").read_text(encoding="utf-8"))["capitals"]
    countries = {**capitals, **data["countries"]}
    return SourceLexicon(tuple(sorted(data["roles"], key=len, reverse=True)),
                         frozenset(data["organisation_words"]),
                         frozenset(data["government_words"]) | frozenset(capitals),
                         frozenset(data["media_outlets"]),
                         frozenset(data["media_words"]), countries,
                         dict(data["pronouns"]))


@cache
def _phrase_pattern(phrases: frozenset[str] | tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(r"(?<!\S)(?:" + "|".join(re.escape(p) for p in ordered) + r")(?!\S)")


def _phrase_in(words: list[str], phrases: frozenset[str] | tuple[str, ...]) -> str | None:
    """The longest listed phrase found as whole words, leftmost first."""
    match = _phrase_pattern(phrases).search(" ".join(words))
    return match.group() if match else None


def describe(text: str, start: int) -> SourceMention:
    """Analyse one mention such as `NATO Secretary-General Mark Rutte`."""
    return evolve(_describe(text), start=start, end=start + len(text))


# Bounded: a long-running process (the web app, `add` over a large corpus) meets an endless
# stream of distinct mention texts, and an unbounded cache would grow with all of them.
@lru_cache(maxsize=16384)
def _describe(text: str) -> SourceMention:
    start = 0
    lex = source_lexicon()
    end = start + len(text)
    words = _WORDS.findall(text)
    lower = [w.lower().strip(".,") for w in words]
    first = lower[0].split("'")[0].split("’")[0] if lower else ""
    if len(lower) == 1 and first in lex.pronouns:
        return SourceMention(start, end, text, None, lex.pronouns[first])
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
    # An acronym in mixed-case text ("the NIS", "Ukraine's HUR") names a body, whatever the
    # story: no list of one story's agencies is needed. All-capital text is a transcript label.
    acronyms = set() if text.isupper() else {
        low for word, low in zip(words, plain, strict=True)
        if 2 <= len(word) <= 5 and word.isalpha() and word.isupper() and low not in _HONORIFICS}
    # A person's name: the last run of capitalised words that are not roles or organisations.
    name_words: list[str] = []
    for word, low in zip(reversed(words), reversed(plain), strict=True):
        if word[:1].isupper() and low not in lex.organisations and low not in lex.countries \
                and low not in acronyms \
                and not any(low == r for r in lex.roles) and low not in lex.outlets \
                and low not in _DETERMINERS and low not in _HONORIFICS:
            name_words.insert(0, word.removesuffix("'s").removesuffix("’s"))
        elif name_words:
            break
    head = plain[-1] if plain else ""
    media = outlet or (_phrase_in(plain, lex.media_words) and (
        head in lex.media_words or _phrase_in(plain[-2:], lex.media_words)))
    org_head = head in lex.organisations or head in acronyms \
        or bool(_phrase_in(plain[-2:], lex.organisations))
    honorific = any(w in _HONORIFICS for w in lower)
    if " ".join(plain) in lex.government and " ".join(plain) in lex.countries:
        kind, name = "government_body", _title(text)  # `Buenos Aires`: a capital, no person
    elif media:
        kind, name = "media", _title(text)
    elif org_head:
        kind = "government_body" if _phrase_in(plain, lex.government) else "organization"
        name = _title(text)
    elif name_words and (len(name_words) >= 2 or role or honorific):
        kind, name = "person", " ".join(name_words)
    elif role in _PERSON_ROLES and not org_head:
        kind, name = "person", None
    elif head in _UNNAMED_HEADS or (plain and plain[0] in _DETERMINERS):
        kind, name = "unnamed", None
    elif name_words or (words and words[0][:1].isupper()):
        kind = "government_body" if _phrase_in(plain, lex.government) else "organization"
        name = _title(text)
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
    return PronounResolver().resolve(mentions)


class PronounResolver:
    """The state pronoun resolution carries through a document: the last person and the last
    group named, and the people known by surname. Constant work per mention, never a look
    back over earlier ones; one resolver is fed a long document piece by piece."""

    def __init__(self) -> None:
        self.surnames: dict[str, SourceMention] = {}
        self.people: SourceMention | None = None
        self.groups: SourceMention | None = None

    def resolve(self, mentions: list[SourceMention | None]) -> list[SourceMention | None]:
        return [self.one(m) if m is not None else None for m in mentions]

    def one(self, mention: SourceMention) -> SourceMention:
        surnames, people, groups = self.surnames, self.people, self.groups
        low = mention.text.lower()
        known = surnames.get(_title(mention.text).split()[-1]) if mention.name else None
        if known is not None and mention.type != "person" and len(mention.text.split()) <= 2 \
                and known.name != mention.name:
            # `Rutte` after `NATO Secretary-General Mark Rutte` is the same person.
            mention = replace(mention, name=known.name, type="person", role=known.role,
                              affiliation=known.affiliation)
        if mention.type == "person" and mention.name and " " in mention.name:
            surnames[mention.name.split()[-1]] = mention
        if mention.name is None and low in ("he", "she", "him", "her") and people:
            mention = replace(mention, name=people.name or _title(people.text),
                              role=people.role,
                              affiliation=people.affiliation, antecedent=people.text)
        elif mention.name is None and low in ("they", "it", "we") and groups:
            mention = replace(mention, name=groups.name, type=groups.type, role=groups.role,
                              affiliation=groups.affiliation, antecedent=groups.text)
        elif mention.type == "person" and (mention.name or mention.role) \
                and not mention.text.isupper() and mention.antecedent is None \
                and mention.text.lower().split()[-1] not in _FIRST_PERSON_WORDS:
            self.people = mention
        elif mention.type in ("government_body", "organization", "media", "unnamed"):
            self.groups = mention
        return mention
