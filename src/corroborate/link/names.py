"""What the corpus itself says about its speakers, so resolution needs no case data.

News and transcripts introduce a speaker once with a title or an apposition and then shorten
the name: "Press Secretary Jen Psaki" in a briefing's title, then `MS. PSAKI:` on every turn;
"John Kirby, the National Security Council spokesman", then "Kirby"; "President Biden", then
"the President". From every document (title and text) we collect the full names so introduced,
with the roles they were introduced by, per document in order and for the whole corpus. A bare
surname, a transcript label or a role-only mention is then joined to the one full name (or the
one role-holder) the document or the corpus offers; when several fit, nobody is guessed.

General knowledge (countries with demonyms and capitals, body words, honorifics) lives in
`data/aliases.json`; it holds for any story.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"

# Words that end a title ("Press Secretary", "Kremlin spokesman", "National Security Advisor").
TITLE_HEADS = frozenset(
    "secretary spokesman spokeswoman spokesperson minister president adviser advisor director "
    "general admiral senator chairman chairwoman chair ambassador envoy commander chief "
    "coordinator governor mayor premier chancellor representative leader administrator "
    "commissioner dr. sen. rep. gen. adm. gov. lt. col. maj.".split())
_CONNECTORS = frozenset({"of", "for", "the", "on"})
_NEAR = 400  # characters: a role refers back to a holder named this close before it
_ROLE_MENTION = re.compile(r"\b[Tt]he\s+((?:[A-Z][a-z]+\s+){0,3}(?:President|Secretary|"
                           r"Minister|Director|General|Admiral|Advisor|Adviser|Spokesman|"
                           r"Spokeswoman|Chairman|Ambassador|Governor|Chancellor))\b")
# Capitalised words of headlines that end a name ("Remarks by President Biden After ...").
_TITLE_BREAKS = frozenset(
    "After On In At With To From During Before En Route And About Amid Regarding Following "
    "Ahead Over Into Upon Via When While As If But So Then Because Although Since Until Today "
    "Yesterday Tomorrow Monday Tuesday Wednesday Thursday Friday Saturday Sunday January "
    "February March April June July August September October November December This That "
    "These Those It We They He She I You Our Their His Her My Your Asked Thank Thanks Yes No "
    "Well Look Again Also Now".split())
_SEATS = frozenset({"kremlin", "pentagon", "white", "house", "elysee", "downing"})
_TOKEN = re.compile(r"(?i:maj|gen|lt|col|adm|sen|rep|gov|dr|capt|sgt)\.|[A-Za-z][\w.'’-]*[\w]|"
                    r"[A-Za-z]|[^\w\s]")  # `Maj. Gen.` keep their dots: they are titles
# Headline words after a name ("Pat Ryder Holds a Briefing") are not part of it.
_HEADLINE_WORDS = frozenset("holds says said tells speaks delivers meets briefs visits remarks "
                            "statement press briefing announces calls warns urges gives "
                            "hosts joins travels responds".split())
_APPOSITION = re.compile(
    r"\b([A-Z][a-z][\w'’-]*(?:\s[A-Z]\.)?(?:\s[A-Z][\w'’-]+){1,2}),\s+(?:the\s|a\s|an\s)?"
    r"([^,.;:()]{3,80}?)(?=[,.;:)]|\s(?:said|says|told|added|noted)\b)")
_REVERSE_APPOSITION = re.compile(
    r"\b(?i:the|a|an)\s([^,.;:()]{3,80}?),\s([A-Z][a-z][\w'’-]*(?:\s[A-Z]\.)?"
    r"(?:\s[A-Z][\w'’-]+){1,2}),")


@dataclass(frozen=True)
class General:
    """General knowledge: country forms -> country, body words, honorifics."""

    countries: dict[str, str]
    body_words: frozenset[str]
    government_words: frozenset[str]
    honorifics: frozenset[str]


@cache
def general() -> General:
    data = json.loads((DATA / "aliases.json").read_text(encoding="utf-8"))
    forms: dict[str, str] = {}
    for country, words in data["countries"].items():
        forms[country.lower()] = country
        for word in words:
            forms[word.lower()] = country
            forms[word.lower().rstrip(".")] = country  # `U.S.` normalises to `u.s`
    return General(forms, frozenset(data["body_words"]), frozenset(data["government_words"]),
                   frozenset(data["honorifics"]))


@dataclass(frozen=True, slots=True)  # one per introduction in the corpus: kept small
class Introduction:
    """A person introduced with a title or apposition at `position` of a document."""

    name: str  # "Jen Psaki"; a surname alone when the title stood before one ("President Biden")
    role: str  # normalised: "press secretary"
    affiliation: str | None  # the words before the title head: "Kremlin", "National Security
    position: int  # Council"; -1 for the document's title


_ACRONYM = re.compile(r"((?:[A-Z][\w'’-]+\s+(?:(?:of|for|and|the|on)\s+)*){1,7})\(([A-Z]{2,7})\)")


@dataclass
class CorpusNames:
    """Full names, surnames and role-holders introduced in the corpus, and the acronyms it
    spells out ("National Intelligence Service (NIS)")."""

    by_doc: dict[str, list[Introduction]] = field(default_factory=lambda: defaultdict(list))
    full_names: set[str] = field(default_factory=set)
    acronyms: dict[str, str] = field(default_factory=dict)  # expansion (lower) -> acronym
    # Corpus-wide answers (by surname, by role) computed once per state of the names: asked
    # per mention, each was a scan of every introduction in the corpus, quadratic at scale.
    _memo: dict[tuple[object, ...], object] = field(default_factory=dict, repr=False,
                                                    compare=False)

    def add_document(self, doc_id: str, title: str, text: str) -> None:
        """Take in one document's introductions: a streamed pass over the ledger adds each
        document as it reads it and need not hold their texts (`derive` is this, for all)."""
        # The same speakers are introduced in document after document: their strings are
        # shared (interned), and a document introducing nobody takes no entry, so what the
        # names hold per document of a large ledger is small.
        found = [Introduction(sys.intern(i.name), sys.intern(i.role),
                              sys.intern(i.affiliation) if i.affiliation else None, i.position)
                 for i in _introductions(self, title, text)]
        if found:
            self.by_doc[doc_id] = found
        else:
            self.by_doc.pop(doc_id, None)
        self._memo.clear()
        for intro in found:
            self.add_full_name(intro.name)

    def add_full_name(self, name: str) -> None:
        if len(name.split()) >= 2 and name not in self.full_names:
            self.full_names.add(name)
            self._memo.clear()

    def _by_surname(self) -> dict[str, set[str]]:
        key = ("surnames",)
        if key not in self._memo:
            index: dict[str, set[str]] = defaultdict(set)
            for name in self.full_names:
                index[name.lower().rsplit(" ", 1)[-1]].add(name)
            self._memo[key] = index
        return self._memo[key]  # type: ignore[return-value]

    def full_name_for(self, surname: str, doc_id: str | None = None) -> str | None:
        """The one full name ending with `surname` (the document's own first, then the corpus)."""
        low = surname.lower()
        if doc_id is not None:
            local = {i.name for i in self.by_doc.get(doc_id, ())
                     if " " in i.name and i.name.lower().rsplit(" ", 1)[-1] == low}
            if len(local) == 1:
                return next(iter(local))
        found = self._by_surname().get(low, set())
        return next(iter(found)) if len(found) == 1 else None

    def holder_of(self, role: str, doc_id: str, position: int) -> str | None:
        """Who a role-only mention (`the President`) stands for: the nearest earlier holder
        introduced shortly before in the same document, else the document's only one, else the
        corpus's.
        A country in the role (`the Russian president`) must not contradict the holder's."""
        role = normalise_role(role)
        countries = general().countries
        words = role.split()
        country = None
        for n in (3, 2, 1):
            if len(words) > n and " ".join(words[:n]) in countries:
                country, role = countries[" ".join(words[:n])], " ".join(words[n:])
                break
        if not role:
            return None

        def agrees(intro: Introduction) -> bool:
            theirs = countries.get((intro.affiliation or "").lower())
            return country is None or theirs is None or theirs == country

        intros = [i for i in self.by_doc.get(doc_id, ()) if agrees(i) and (
            _role_fits(i.role, role) or (" " not in role and i.role.rsplit(" ", 1)[-1] == role))]
        titled = [i for i in intros if i.position < 0]
        if titled:  # "Remarks by President Biden": the document's own speaker
            return titled[-1].name
        corpus = self._corpus_holder(role, country, agrees)
        if corpus is not None:
            return corpus
        earlier = [i for i in intros if 0 <= position - i.position <= _NEAR]
        if earlier:
            return earlier[-1].name
        if len({i.name for i in intros}) == 1:
            return intros[0].name
        full = self._memo[("holders", role, country)]
        return next(iter(full)) if len(full) == 1 else None  # type: ignore[arg-type]

    def _corpus_holder(self, role: str, country: str | None,
                       agrees: Callable[[Introduction], bool]) -> str | None:
        """The corpus-wide part of `holder_of` (the same for every mention of this role and
        country, so computed once): the one holder the corpus's titles name, else the one of
        that country, else the dominant holder; the set of all holders is kept for the last
        resort."""
        key = ("holder", role, country)
        if key in self._memo:
            return self._memo[key]  # type: ignore[return-value]
        countries = general().countries
        titled_anywhere = {self.full_name_for(i.name) or i.name
                           for items in self.by_doc.values() for i in items
                           if i.position < 0 and _role_fits(i.role, role) and agrees(i)}
        docs: Counter[str] = Counter()
        for items in self.by_doc.values():
            docs.update({self.full_name_for(i.name) or i.name for i in items
                         if _role_fits(i.role, role) and agrees(i)})
        self._memo[("holders", role, country)] = set(docs)
        found: str | None = None
        if len(titled_anywhere) == 1:  # the corpus's own titles name its principal speakers
            found = next(iter(titled_anywhere))
        elif country is not None and len(explicit := {
                self.full_name_for(i.name) or i.name for items in self.by_doc.values()
                for i in items if _role_fits(i.role, role)
                and countries.get((i.affiliation or "").lower()) == country}) == 1:
            found = next(iter(explicit))  # `Ukraine's defence minister`: that country's one
        else:
            ranked = docs.most_common(2)
            if ranked and ranked[0][1] >= 3 and (len(ranked) == 1
                                                  or ranked[0][1] >= 2 * ranked[1][1]):
                found = ranked[0][0]  # the corpus's one dominant holder of the role
        self._memo[key] = found
        return found


    def person_before(self, text: str, start: int, exclude: str | None = None
                      ) -> tuple[str, str] | None:
        """The person `he`/`she` at `start` most likely refers to: the last person the text
        names (a known surname, in running text, not a transcript label) or a role it names
        ("the President") shortly before; `exclude` is the surname of the one speaking."""
        window = text[max(0, start - _NEAR):start]
        best: tuple[int, str, str] | None = None
        pattern = self._surname_pattern(exclude or "")
        if pattern is not None:
            for match in pattern.finditer(window):
                best = (match.start(), "name", match.group(1))
        for match in _ROLE_MENTION.finditer(window):
            if best is None or match.start() > best[0]:
                best = (match.start(), "role", match.group(1))
        return (best[1], best[2]) if best else None

    def _surname_pattern(self, exclude: str) -> re.Pattern[str] | None:
        """Every surname the corpus introduces but `exclude`, as one compiled pattern."""
        key = ("pattern", exclude)
        if key not in self._memo:
            surnames = {n.rsplit(" ", 1)[-1] for n in self.full_names} | {
                i.name.rsplit(" ", 1)[-1] for items in self.by_doc.values() for i in items}
            surnames.discard(exclude)
            self._memo[key] = re.compile(
                r"\b(" + "|".join(sorted(map(re.escape, surnames), key=len, reverse=True))
                + r")\b(?!\s*:)") if surnames else None
        return self._memo[key]  # type: ignore[return-value]


def normalise_role(role: str) -> str:
    words = [w for w in re.sub(r"[^\w.'’ -]+", " ", role.lower()).split()
             if w not in ("the", "a", "an", "our", "my", "their", "his", "her")]
    return " ".join(words)


def _role_fits(introduced: str, wanted: str) -> bool:
    """`national security advisor` fits `advisor`'s holder only as its full phrase: a mention's
    role must be the introduced title or its ending ("press secretary" of "white house press
    secretary")."""
    return introduced == wanted or (introduced.endswith(" " + wanted) and len(wanted.split()) > 1) \
        or (introduced == wanted.split()[-1] and len(wanted.split()) == 1)


def _is_name_word(word: str) -> bool:
    low = word.lower()
    g = general()
    return ((word[:1].isupper() and word[1:2].islower()) or (len(word) > 2 and word.isupper()
                                                           and "." not in word)) \
        and low not in TITLE_HEADS and low not in g.body_words and low not in g.countries \
        and low not in _CONNECTORS and low not in g.honorifics


def titled_names(text: str) -> Iterable[tuple[int, str, str, str | None]]:
    """(position, name, role, affiliation) for every "<Title> <Name>" in the text."""
    tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(text)]
    run: list[tuple[int, str]] = []
    for pos, word in [*tokens, (len(text), ".")]:
        low = word.lower()
        if (word[:1].isupper() and word not in _TITLE_BREAKS) or low in TITLE_HEADS \
                or (run and low in _CONNECTORS):
            run.append((pos, word))
            continue
        yield from _read_run(run)
        run = []


def _read_run(run: list[tuple[int, str]]) -> Iterable[tuple[int, str, str, str | None]]:
    words = [w for _, w in run]
    heads = [i for i, w in enumerate(words) if w.lower() in TITLE_HEADS]
    if not heads:
        return
    last = heads[-1]
    after = words[last + 1:]
    if after and after[0].lower() not in _CONNECTORS:
        # "President Biden on the United States": the name is what follows the head directly.
        cut = next((i for i, w in enumerate(after) if w.lower() in _CONNECTORS), len(after))
        cut = next((i for i, w in enumerate(after[:cut]) if w.lower() in _HEADLINE_WORDS),
                   cut)
        name = after[:min(cut, 3)]
        start = last + 1
    else:
        # "Secretary of State Antony Blinken": the role runs on through "of State".
        name = after
        while len(name) > 2 and (name[0].lower() in _CONNECTORS or not _is_name_word(name[0])
                                 or name[0].lower() in general().countries):
            name = name[1:]
        if len(name) > 2:
            name = name[-2:] if not re.fullmatch(r"[A-Z]\.", name[-2]) else name[-3:]
        start = last + 1 + len(after) - len(name)
    if not name or not all(_is_name_word(w) for w in name if not re.fullmatch(r"[A-Z]\.", w)):
        return
    end = start + len(name)
    run = run[:end]
    words = words[:end]
    first_head = heads[0]
    # The role takes the words before its head up to a country or a body ("Ukrainian | Defence
    # Minister", "Kremlin | spokesman", "National Security Council | Coordinator").
    g = general()
    while first_head > 0 and words[first_head - 1].lower() not in g.countries \
            and words[first_head - 1].lower() not in g.body_words \
            and words[first_head - 1].lower() not in _CONNECTORS \
            and words[first_head - 1].lower() not in _SEATS:
        first_head -= 1
    role = normalise_role(" ".join(words[first_head:start]))
    affiliation = " ".join(w for w in words[:first_head] if w.lower() not in _CONNECTORS) or None
    if words[start - 1].lower() in ("dr.", "dr") and start - 1 == first_head:
        role = "doctor"
    shown = " ".join(w.title() if w.isupper() and len(w) > 1 else w for w in name)
    yield run[start][0], re.sub(r"['’]s$", "", shown), role, affiliation


def derive(documents: Mapping[str, tuple[str, str]]) -> CorpusNames:
    """Introductions from every document's (title, text)."""
    names = CorpusNames()
    for doc_id, (title, text) in documents.items():
        names.add_document(doc_id, title, text)
    return names


def _introductions(names: CorpusNames, title: str, text: str) -> list[Introduction]:
    """One document's introductions in text order; the acronyms it spells out go to `names`."""
    found: list[Introduction] = []
    for _, name, role, affiliation in titled_names(title):
        found.append(Introduction(name, role, affiliation, -1))
    for pos, name, role, affiliation in titled_names(text):
        found.append(Introduction(name, role, affiliation, pos))
    for match in _APPOSITION.finditer(text):
        role = _head_phrase(match.group(2))
        if role:
            found.append(Introduction(" ".join(match.group(1).split()), role, None,
                                      match.start()))
    for match in _REVERSE_APPOSITION.finditer(text):
        role = _head_phrase(match.group(1))
        if role:
            found.append(Introduction(" ".join(match.group(2).split()), role, None,
                                      match.start(2)))
    for match in _ACRONYM.finditer(f"{title}\n{text}"):
        words, acronym = match.group(1).split(), match.group(2)
        for i in range(len(words)):
            tail = [w for w in words[i:] if w.lower() not in _CONNECTORS]
            if acronym in ("".join(w[0] for w in tail).upper(),
                           "".join(w[0] for w in words[i:]).upper()):
                names.acronyms[" ".join(words[i:]).lower()] = acronym.lower()
                break
    found.sort(key=lambda i: i.position)
    return found


def _head_phrase(description: str) -> str | None:
    """The title an apposition gives ("the National Security Council spokesman" -> itself)."""
    words = normalise_role(description).split()
    if not words or len(words) > 8 or words[-1] not in TITLE_HEADS:
        return None
    return " ".join(words)
