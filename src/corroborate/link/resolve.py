"""One canonical source per real speaker or body, across documents, from the corpus alone.

Mentions are keyed by what they say about the speaker, using only general knowledge and what
the documents themselves say (`link/names.py`): a country, its capital or its demonym speaks for
that country's government ("Moscow", "the Chinese"); a person's full name; a bare surname, a
transcript label (`MS. PSAKI`) or a role alone ("the President") joins the one full name the
document or the corpus introduces for it; a body the corpus spells out with an acronym is keyed
by it; a definite description ("the agency") is the last fitting body named in the same
document; `he`/`she` is the person the text last names; in a transcript turn `I` is the turn's
speaker, `we` the speaker's side and `you` the other party. What is not a speaker (relative
pronouns without antecedent, dates, fragments, Markdown headings; `link/mentions.py`) gets no
source. A person who speaks for a body keeps a source of their own, linked to the body's by
`speaks_for`. A story pack (`link/pack.py`) may add known entities with their aliases and each
country's side; nothing here needs one. Keys are stable text, so analyst edits (merge, split,
set), stored by key, can be re-applied after every re-ingestion.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Protocol

from corroborate.link.mentions import (
    FIRST_PERSON,
    GROUP_FIRST_PERSON,
    PRONOUNS,
    QUESTION_LABELS,
    RELATIVE,
    SECOND_PERSON,
    cleaned,
    country_of,
    is_junk,
    normalise,
    strip_honorifics,
    strip_possessive,
    turns,
)
from corroborate.link.names import (
    TITLE_HEADS,
    CorpusNames,
    derive,
    general,
    normalise_role,
    titled_names,
)
from corroborate.link.pack import Entity, StoryPack
from corroborate.link.records import Mention, Source, SourceEdit, alignment_of, apply_edit
from corroborate.model import SourceMention

__all__ = ["Mention", "Source", "SourceEdit", "alignment_of", "normalise", "resolve_sources"]

_GENERIC_HEADS = frozenset("agency ministry official spokesman spokeswoman spokesperson "
                           "minister president service department office military army "
                           "government embassy envoy diplomat source paper newspaper outlet "
                           "broadcaster channel officer general commander statement board "
                           "company council commission committee bureau authority".split())
_ANY_BODY = frozenset("agency service office government administration authority body "
                     "organization organisation group company board".split())
_PERSON_KINDS = ("person",)
_BODY_KINDS = ("government_body", "organization", "media", "country")


class _Context:
    """Everything one resolution run knows: pack entities, corpus names, and the text of the
    document whose mentions are being keyed (one at a time: keying reads only its own)."""

    def __init__(self, pack: StoryPack | None, names: CorpusNames) -> None:
        self.pack = pack
        self.texts: dict[str, str] = {}
        self.entities: dict[str, Entity] = {}
        for entity in pack.entities if pack else ():
            for alias in (*entity.aliases, entity.name):
                self.entities[normalise(alias)] = entity
        self.by_key = {f"entity:{e.name}": e for e in self.entities.values()}
        self.names = names

    def entity(self, text: str) -> Entity | None:
        norm = normalise(text)
        return self.entities.get(norm) or self.entities.get(strip_honorifics(norm))

    def kind(self, key: str) -> str:
        prefix, _, _ = key.partition(":")
        if prefix == "entity":
            return self.by_key[key].type if key in self.by_key else "unnamed"
        return {"country": "government_body", "role": "person",
                "body": "organization"}.get(prefix, prefix)

    def turns(self, doc_id: str, start: int) -> tuple[str | None, str | None]:
        return turns(self.texts.get(doc_id, ""), start)


def resolve_sources(mentions: Sequence[Mention], edits: Iterable[SourceEdit] = (),
                    texts: Mapping[str, str] | None = None,
                    titles: Mapping[str, str] | None = None,
                    pack: StoryPack | None = None) -> tuple[dict[str, str], list[Source]]:
    """Map each statement id to a canonical source id; return the sources. `texts` and
    `titles` (by document id) let the corpus introduce its speakers; `pack` is optional."""
    texts, titles = texts or {}, titles or {}
    resolver = Resolver(derive({d: (titles.get(d, ""), texts.get(d, ""))
                                for d in set(texts) | set(titles)}), pack)
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for item in mentions:
        by_doc[item.doc_id].append(item)
    for doc_id, items in by_doc.items():
        resolver.key(doc_id, texts.get(doc_id, ""), items)
    return resolver.finish(edits)


class KeyTable(Protocol):
    """Where a resolver keeps each keyed mention and then each statement's key: in memory
    (`MemoryKeys`), or in a scratch table (`link/run.py`), so that resolving a large ledger
    holds one row per source, not per mention. Rows come back in the order `ordered` gives:
    by document id, then in the order they were added."""

    def add(self, keyed: Sequence[tuple[Mention, str]]) -> None:
        """One document's mentions with their keys, in keying order."""

    def keys(self) -> Iterable[str]:
        """Every key given (repeats allowed)."""

    def ordered(self) -> Iterable[tuple[Mention, str]]:
        """Every mention with its key, by document id, then in the order added."""

    def assign(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Record (statement id, key) for the mentions `ordered` gave, in its order."""

    def groups(self) -> Iterable[list[tuple[str, str]]]:
        """The recorded (statement id, key) pairs whose key is a `group:` one, in order, a
        page at a time: what `reassign` changes in a page is never given again."""

    def reassign(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Change the keys of some statements."""

    def used(self) -> set[str]:
        """The keys some statement holds now."""

    def subset(self, keys: set[str], statements: set[str]
               ) -> tuple[dict[str, str], dict[str, SourceMention]]:
        """The statements whose key is in `keys` or whose id is in `statements`, in order,
        with their keys; and their mentions."""


class MemoryKeys:
    """`KeyTable` in memory (small ledgers, tests, the gold benches)."""

    def __init__(self) -> None:
        self.keyed: list[tuple[Mention, str]] = []
        self.assignment: dict[str, str] = {}

    def add(self, keyed: Sequence[tuple[Mention, str]]) -> None:
        self.keyed.extend(keyed)

    def keys(self) -> Iterable[str]:
        return (key for _, key in self.keyed)

    def ordered(self) -> Iterable[tuple[Mention, str]]:
        return sorted(self.keyed, key=lambda k: k[0].doc_id)

    def assign(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.assignment.update(pairs)

    def groups(self) -> Iterable[list[tuple[str, str]]]:
        yield [(sid, key) for sid, key in self.assignment.items() if key.startswith("group:")]

    def reassign(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.assignment.update(pairs)

    def used(self) -> set[str]:
        return set(self.assignment.values())

    def subset(self, keys: set[str], statements: set[str]
               ) -> tuple[dict[str, str], dict[str, SourceMention]]:
        return ({sid: key for sid, key in self.assignment.items()
                 if key in keys or sid in statements},
                {item.statement_id: item.mention for item, _ in self.keyed})

    def statement_sources(self, source_of: Mapping[str, str]) -> dict[str, str]:
        return {sid: source_of[key] for sid, key in self.assignment.items()
                if key in source_of}


class Resolver:
    """Source resolution in two steps, so that linking can stream the ledger: `key` the
    mentions of one document at a time (its text is needed only then, with what the whole
    corpus introduces, `names`), then `resolve` over the keys of every document. What it
    holds between the two is what `table` keeps: one small record per mention in memory,
    or one row in a scratch table."""

    def __init__(self, names: CorpusNames, pack: StoryPack | None = None,
                 table: KeyTable | None = None) -> None:
        self.ctx = _Context(pack, names)
        self.table: KeyTable = table if table is not None else MemoryKeys()

    def key(self, doc_id: str, text: str, mentions: Iterable[Mention]) -> None:
        """Key one document's mentions, in text order (a pronoun reads the ones before)."""
        self.ctx.texts = {doc_id: text}
        in_doc: list[tuple[str, SourceMention]] = []
        keyed: list[tuple[Mention, str]] = []
        for item in sorted(mentions, key=lambda m: m.position):
            key, _ = _key_of(item, self.ctx, in_doc)
            if key is None:
                continue  # not a speaker: the statement keeps no source
            keyed.append((item, key))
            in_doc.append((key, item.mention))
        self.table.add(keyed)
        self.ctx.texts = {}

    def finish(self, edits: Iterable[SourceEdit] = ()) -> tuple[dict[str, str], list[Source]]:
        """`resolve` with the keys in memory: each statement's source id, and the sources."""
        assert isinstance(self.table, MemoryKeys)
        source_of, sources = self.resolve(edits)
        return self.table.statement_sources(source_of), sources

    def resolve(self, edits: Iterable[SourceEdit] = ()) -> tuple[dict[str, str], list[Source]]:
        """Join names across the corpus, build the sources, apply the analyst's edits; the
        statements' keys stay in the table. Returned: each key's source id, the sources."""
        return _build(self.ctx, self.table, list(edits))


def _build(ctx: _Context, table: KeyTable, edits: list[SourceEdit]
           ) -> tuple[dict[str, str], list[Source]]:
    """Sources from the keys, speakers linked to the bodies they speak for, edits applied.
    Document by document in id order, as one sorted pass did: the first mention of a source
    names it, so the order must not depend on the order documents were read."""
    join = _NameJoin(table.keys())
    sources: dict[str, Source] = {}

    def assigned() -> Iterator[tuple[str, str]]:
        for item, key in table.ordered():
            key = join.key(item, key)
            source = sources.get(key)
            if source is None:
                source = sources[key] = _new_source(key, item.mention, ctx.by_key.get(key),
                                                    ctx)
            source.aliases[item.mention.text] += 1
            if source.type == "person" and source.affiliation is None:
                # `Mining Safety Board spokeswoman Ana Velasco`: the body before the title.
                source.affiliation = next((aff for *_, aff in titled_names(item.mention.text)
                                           if aff), None)
            yield item.statement_id, key

    table.assign(assigned())
    _link_speakers(sources, ctx)
    for page in table.groups():
        moved = []
        for sid, key in page:
            # `we` in a spokesperson's turn: the body the spokesperson speaks for.
            speaker = sources.get(key.partition(":")[2])
            body = next((s for s in sources.values() if s.id == speaker.speaks_for), None) \
                if speaker is not None and speaker.speaks_for else None
            if body is not None:
                body.aliases.update(sources[key].aliases)
                moved.append((sid, body.key))
            elif speaker is not None and speaker.type == "person":
                # Officials' `we` with no known body: their side in the briefings, one source.
                shared = sources.setdefault("group:we", Source(
                    "group:we", "we (the officials' side)", "unnamed"))
                shared.aliases.update({item: 1 for item in sources[key].aliases})
                moved.append((sid, "group:we"))
        table.reassign(moved)
    used = table.used()
    for key in {k for k in sources if k.startswith("group:")} - used:
        del sources[key]
    if edits:
        # An edit touches the statements of the keys it names (and those it creates from
        # them) and the statement it moves: only those are fetched.
        involved = {k for e in edits for k in (e.key, e.target) if k}
        subset, mentions = table.subset(involved, {e.target for e in edits
                                                   if e.action == "move" and e.target})
        before = dict(subset)
        for edit in edits:
            apply_edit(edit, sources, subset, mentions, ctx.pack)
        table.reassign((sid, key) for sid, key in subset.items() if before.get(sid) != key)
    return ({s.key: s.id for s in sources.values()},
            sorted(sources.values(), key=lambda s: -sum(s.aliases.values())))


def _key_of(item: Mention, ctx: _Context, earlier: list[tuple[str, SourceMention]]
            ) -> tuple[str | None, Entity | None]:
    """The resolution key of one mention, given the mentions before it in its document."""
    m = cleaned(item.mention)
    if m.type == "person" and m.name and " " in m.name \
            and m.name.split()[-1].lower() in general().body_words:
        m = replace(m, type="organization")  # `the Mining Safety Board` is no person
    norm = normalise(m.text)
    if norm in FIRST_PERSON | GROUP_FIRST_PERSON | SECOND_PERSON:
        # The turn of a transcript says who `I`, `we` and `you` are, whatever was guessed.
        key = _person_in_turn(item, norm, ctx, earlier)
        if key is not None or m.antecedent is None:
            return key or f"unnamed:{norm}@{item.doc_id}", ctx.by_key.get(key or "")
    if norm in ("he", "she"):
        key = _he_key(item, ctx, earlier)
        if key is not None:
            return key, ctx.by_key.get(key)
    for text in filter(None, (m.name, m.antecedent, m.text)):
        entity = ctx.entity(text)
        if entity is not None:
            return f"entity:{entity.name}", entity
    words = norm.split()
    if len(words) >= 2 and words[-1] in _UNNAMED_SPOKESPEOPLE:
        # `A (U.S.) State Department spokesman`, unnamed, speaks for the body it names.
        for i in range(len(words) - 1):
            entity = ctx.entity(" ".join(words[i:-1]))
            if entity is not None and entity.type != "person":
                return f"entity:{entity.name}", entity
    if m.antecedent and normalise(m.text) not in FIRST_PERSON | GROUP_FIRST_PERSON:
        # A pronoun the extractor resolved: the key its antecedent got in this document.
        for key, before in reversed(earlier):
            if before.text == m.antecedent:
                return key, ctx.by_key.get(key)
    if is_junk(m, norm):
        return None, None
    words = norm.split()
    if len(words) >= 2 and m.text.islower() and words[-1] in PRONOUNS and m.name is None:
        norm = words[-1]  # `effort he`: the pronoun is the speaker
    if norm in RELATIVE and m.name is None:
        return _antecedent_key(item, ctx, earlier)
    if strip_honorifics(norm) in QUESTION_LABELS:
        return "unnamed:reporters' questions", None
    country = country_of(norm) or (country_of(normalise(m.name))
                                    if m.name and m.type != "person" else None)
    if country is not None:
        return f"country:{country}", None
    if m.type == "person" and (m.name or m.role):
        return _person_key(item, ctx), None
    if m.type in ("government_body", "organization", "media"):
        key = _body_key(m, normalise(m.name) if m.name and m.antecedent else norm, ctx)
        head = norm.split()[-1]
        if head in _GENERIC_HEADS and len(norm.split()) <= 3 and m.affiliation is None:
            # `the agency`, `the ministry`: the last body of this document it can describe.
            for earlier_key, before in reversed(earlier):
                if ctx.kind(earlier_key) in _BODY_KINDS and (
                        head in normalise(before.text).split() or head in earlier_key.lower()
                        or (head in _ANY_BODY and ctx.kind(earlier_key) in (
                            "government_body", "organization"))):
                    return earlier_key, ctx.by_key.get(earlier_key)
        return key, None
    if norm in PRONOUNS and m.name is None:
        wanted = _PERSON_KINDS if norm in ("he", "she", "him", "her") else _BODY_KINDS
        for earlier_key, before in reversed(earlier):
            if ctx.kind(earlier_key) in wanted and normalise(before.text) not in PRONOUNS:
                return earlier_key, ctx.by_key.get(earlier_key)
        return f"unnamed:{norm}@{item.doc_id}", None
    if m.text.isupper() and len(norm) > 1:
        return _person_key(item, ctx), None
    return f"unnamed:{re.sub(r'(?<=[a-z])[.](?=[a-z])', '', norm)}", None  # u.s. = us


_UNNAMED_SPOKESPEOPLE = frozenset({"spokesman", "spokeswoman", "spokesperson"})


def _he_key(item: Mention, ctx: _Context, earlier: list[tuple[str, SourceMention]]
            ) -> str | None:
    """`he`/`she`: the person the text last names before it (never the turn's own speaker)."""
    from corroborate.extract.sources import describe

    current, _ = ctx.turns(item.doc_id, item.mention.start)
    exclude = current.split()[-1].title() if current and current != "Q" else None
    found = ctx.names.person_before(ctx.texts.get(item.doc_id, ""), item.mention.start, exclude)
    if found is None:
        return None
    kind, value = found
    if kind == "name":
        full = ctx.names.full_name_for(value, item.doc_id) or value
        entity = ctx.entity(full) or ctx.entity(value)
        return f"entity:{entity.name}" if entity else f"person:{normalise(full)}"
    key, _ = _key_of(replace(item, mention=describe(f"the {value}", item.mention.start)), ctx,
                     earlier)
    return key


def _antecedent_key(item: Mention, ctx: _Context, earlier: list[tuple[str, SourceMention]]
                    ) -> tuple[str | None, Entity | None]:
    """`which`/`who` take their antecedent: the source mention ending just before them, else
    the noun phrase the text puts there (`an American journalist, who said`)."""
    from corroborate.extract.sources import describe

    m = item.mention
    for key, before in reversed(earlier):
        if 0 <= m.start - before.end <= 3:
            return key, ctx.by_key.get(key)
    text = ctx.texts.get(item.doc_id, "")
    before_text = text[max(0, m.start - 120):m.start].rstrip(" ,\n\xa0")
    phrase = re.split(r"[.;:!?()\n]|, | (?:by|from|to|with|of|according to|and) (?=the |a |an )",
                      before_text)[-1].strip()
    if not phrase or phrase.lower() in RELATIVE or not re.search(r"\w", phrase):
        return None, None
    found = describe(phrase, m.start - len(phrase))
    if normalise(found.text) in PRONOUNS | RELATIVE:
        return None, None
    return _key_of(replace(item, mention=found), ctx, earlier)


def _person_in_turn(item: Mention, norm: str, ctx: _Context,
                    earlier: list[tuple[str, SourceMention]]) -> str | None:
    """In a transcript turn, `I` is the turn's speaker, `we` the speaker's side and `you` the
    other party (the official a question is put to; the reporters an answer is given to)."""
    from corroborate.extract.sources import describe

    current, other = ctx.turns(item.doc_id, item.mention.start)
    label = other if norm in SECOND_PERSON else current
    if label is None:
        return None
    speaker, _ = _key_of(Mention(item.statement_id, item.doc_id, item.position,
                                 describe(label, 0)), ctx, earlier)
    if speaker is None or norm not in GROUP_FIRST_PERSON:
        return speaker
    return f"group:{speaker}"


def _person_key(item: Mention, ctx: _Context) -> str:
    """A full name; a surname or label joined to the full name introduced for it; a role alone
    joined to its one holder in the document or corpus, else kept as the role."""
    m = item.mention
    norm = normalise(m.text)
    ends_in_title = norm.split()[-1] in TITLE_HEADS if norm else False
    if m.name and not ends_in_title:
        name = strip_honorifics(normalise(m.name))
        known = [n for n in ctx.names.full_names if (" " + name).endswith(" " + n.lower())]
        if len(name.split()) >= 3 and known:
            name = max(known, key=len).lower()  # `State Antony Blinken` -> `antony blinken`
        if " " not in name:
            name = normalise(ctx.names.full_name_for(name, item.doc_id) or name)
        return f"person:{name}"
    role = normalise_role(strip_possessive(norm))
    holder = ctx.names.holder_of(role, item.doc_id, m.start)
    if holder is not None:
        full = ctx.names.full_name_for(holder, item.doc_id) if " " not in holder else holder
        return f"person:{normalise(full or holder)}"
    return f"role:{role}"


def _body_key(m: SourceMention, norm: str, ctx: _Context) -> str:
    """`Russia's foreign ministry`, `the Russian foreign ministry` and `the foreign ministry of
    Russia` are one key: the country first, then the body's own words. A body the corpus spells
    out with an acronym (`National Intelligence Service (NIS)`) is keyed by the acronym, so
    `the NIS` and `Seoul's NIS` join it."""
    countries = general().countries
    prefix = "media" if m.type == "media" else "body"
    words = norm.split()
    country, rest = None, norm
    for n in (3, 2, 1):
        lead = " ".join(words[:n])
        if len(words) > n and lead in countries:
            country, rest = countries[lead], " ".join(words[n:])
            break
    match = re.fullmatch(r"(.+) of (.+)", norm)
    if country is None and match and match.group(2) in countries:
        country, rest = countries[match.group(2)], match.group(1)
    rest = re.sub(r"\s*\b(\w{2,7})$", lambda a: "" if a.group(1) in
                  ctx.names.acronyms.values() and rest != a.group(1) else a.group(0), rest) \
        if re.search(r"\(", m.text) else rest
    acronyms = ctx.names.acronyms
    if rest in acronyms:
        return f"{prefix}:{acronyms[rest]}"
    if rest in acronyms.values():
        return f"{prefix}:{rest}"
    return f"{prefix}:{country}|{rest}" if country else f"{prefix}:{rest}"


def _initials(words: Sequence[str]) -> set[str]:
    content = [w for w in words if w not in ("of", "the", "and", "for", "on")]
    return {"".join(w[0] for w in words if w), "".join(w[0] for w in content if w)}


class _NameJoin:
    """`Budanov` joins `person:kyrylo budanov` when that is the only full name ending so;
    `DOD` joins the one body whose initials it is. An outlet never joins a person. Built from
    every key in one pass (`keys`), then asked for each mention's joined key."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.full: dict[str, set[str]] = defaultdict(set)
        self.bodies: dict[str, set[str]] = defaultdict(set)
        self.people: set[str] = set()
        for key in keys:
            kind, _, rest = key.partition(":")
            if kind == "person":
                self.people.add(key)
                if " " in rest:
                    self.full[rest.rsplit(" ", 1)[-1]].add(key)
            elif kind == "body" and len(rest.split()) >= 2:
                for initials in _initials(rest.split("|")[-1].split()):
                    self.bodies[initials].add(key)

    def key(self, item: Mention, key: str) -> str:
        kind, _, rest = key.partition(":")
        if kind in ("person", "body", "unnamed") and " " not in rest:
            candidates = self.full.get(rest, set()) or (
                {f"person:{rest}"} & self.people if item.mention.text[:1].isupper() else set())
            if len(candidates) == 1 and item.mention.type != "media":
                return next(iter(candidates))
            if kind == "body" and item.mention.text.isupper():
                found = self.bodies.get(rest, set())
                if len(found) == 1:
                    return next(iter(found))
        elif kind == "group" and rest.startswith("person:") and " " not in rest[7:]:
            candidates = self.full.get(rest[7:], set())  # `we` of `MR. RYDER` is Ryder's side
            if len(candidates) == 1:
                return f"group:{next(iter(candidates))}"
        return key


def _new_source(key: str, mention: SourceMention, entity: Entity | None,
                ctx: _Context) -> Source:
    pack = ctx.pack
    if entity is not None:
        return Source(key, entity.name, entity.type, entity.role, entity.affiliation,
                      entity.country, alignment_of(entity.country, pack))
    kind, _, rest = key.partition(":")
    if kind == "country":
        return Source(key, rest, "government_body", None, None, rest, alignment_of(rest, pack))
    if kind == "group":
        return Source(key, f"{mention.text} ({rest})", "unnamed", None, None, None,
                      "unknown")
    if kind == "person":
        shown = next((n for n in ctx.names.full_names if n.lower() == rest), None)
        name = shown or (rest.title() if mention.text.isupper() or mention.name is None
                         else (mention.name if " " in (mention.name or "") else rest.title()))
        country, side = _place(mention.affiliation, pack)
        return Source(key, name, "person", mention.role, mention.affiliation, country, side)
    if kind == "role":
        country, side = _place(mention.affiliation, pack)
        return Source(key, rest, "person", rest, mention.affiliation, country, side)
    if kind == "unnamed":
        name = rest.split("@")[0]
        country, side = _place(mention.affiliation, pack)
        return Source(key, name, mention.type if mention.type != "group" else "unnamed",
                      mention.role, mention.affiliation, country, side)
    country, side = _place(mention.affiliation, pack)
    name = mention.name or mention.text
    kind = mention.type if mention.type in ("government_body", "organization", "media") \
        else "organization"
    return Source(key, name, kind, mention.role, mention.affiliation, country, side)


def _place(affiliation: str | None, pack: StoryPack | None) -> tuple[str | None, str]:
    """The country an affiliation names and the side it stands on. An affiliation such as
    "Department" or "Institute" names no country: it must not become one, nor a side."""
    if not affiliation:
        return None, "unknown"
    country = country_of(normalise(affiliation))
    if pack is not None and affiliation in pack.alignment:
        return country, pack.alignment[affiliation]
    return country, alignment_of(country, pack)


def _link_speakers(sources: dict[str, Source], ctx: _Context) -> None:
    """A spokesperson or official keeps their own source, pointing at the body they speak for
    (`Kremlin spokesman Dmitry Peskov` -> the Russian government's source), never merged."""
    by_name = {normalise(s.name): s for s in sources.values() if s.type != "person"}
    intro_affiliation = {normalise(i.name): i.affiliation for items in ctx.names.by_doc.values()
                         for i in items if i.affiliation}
    for source in sources.values():
        if source.type != "person" or source.speaks_for:
            continue
        affiliation = intro_affiliation.get(normalise(source.name)) or source.affiliation
        if not affiliation:
            continue
        norm = normalise(affiliation)
        country = country_of(norm)
        target = sources.get(f"country:{country}") if country else None
        target = target or by_name.get(norm) or next(
            (s for n, s in by_name.items() if n.endswith(" " + norm) or norm.endswith(" " + n)),
            None) or (
            sources.get(f"entity:{ctx.entity(affiliation).name}")
            if ctx.entity(affiliation) else None)
        if target is not None and target is not source:
            source.speaks_for = target.id
            source.affiliation = target.name
