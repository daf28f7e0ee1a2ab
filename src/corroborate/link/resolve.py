"""One canonical source per real speaker or body, across documents, from the corpus alone.

Mentions are keyed by what they say about the speaker, using only general knowledge and what
the documents themselves say (`link/names.py`): a country or its capital or seat of government
speaks for that country's government ("Moscow", "the Kremlin", "the Chinese"); a person's full
name; a bare surname, a transcript label (`MS. PSAKI`) or a role alone ("the President") joins
the one full name the document or the corpus introduces for it; a definite description ("the
agency") is the last fitting body named in the same document; `I` in a transcript turn is the
turn's speaker. What is not a speaker (relative pronouns without antecedent, dates, fragments,
Markdown headings) gets no source. A person who speaks for a body keeps a source of their own,
linked to the body's by `speaks_for`. A story pack (`link/pack.py`) may add known entities with
their aliases and each country's side; nothing here needs one. Keys are stable text, so analyst
edits (merge, split, set), stored by key, can be re-applied after every re-ingestion.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from corroborate.link.names import (
    TITLE_HEADS,
    CorpusNames,
    derive,
    general,
    normalise_role,
    titled_names,
)
from corroborate.link.pack import Entity, StoryPack
from corroborate.model import SourceMention

_DETERMINERS = ("the ", "a ", "an ", "this ", "that ")
_QUESTION_LABELS = frozenset({"q", "question", "reporter", "reporters"})
_PRONOUNS = frozenset({"he", "she", "they", "it", "him", "her", "them"})
_FIRST_PERSON = frozenset({"i", "me", "my", "myself"})
_GROUP_FIRST_PERSON = frozenset({"we", "us", "our", "ourselves"})
_RELATIVE = frozenset({"which", "who", "whom", "that", "whose"})
_GENERIC_HEADS = frozenset("agency ministry official spokesman spokeswoman spokesperson "
                           "minister president service department office military army "
                           "government embassy envoy diplomat source paper newspaper outlet "
                           "broadcaster channel officer general commander statement board "
                           "company council commission committee bureau authority".split())
_ANY_BODY = frozenset("agency service office government administration authority body "
                     "organization organisation group company board".split())
_MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|"
          r"november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?")
_DATE = re.compile(r"^(?:on |last |this |next |early |late |since |until |by )?(?:(?:mon|tues|"
                   r"wednes|thurs|fri|satur|sun)day|today|yesterday|tonight|tomorrow|"
                   rf"{_MONTH}(?: \d{{1,2}})?(?:,? \d{{4}})?|\d{{4}}|\d{{1,2}} {_MONTH})"
                   r"(?: (?:morning|afternoon|evening|night))?$")
_WHEN = (rf"(?:(?:in|by|on|since|until|after|before|from)\s+)?(?:(?:early|late|mid)[\s-]+)?"
         rf"(?:{_MONTH}(?:\s+\d{{1,2}})?|(?:mon|tues|wednes|thurs|fri|satur|sun)day|today|"
         rf"yesterday|(?:a\s+)?(?:few|couple\s+of|\w+)\s+(?:days?|weeks?|months?|years?)\s+"
         rf"(?:ago|later|earlier)|(?:earlier|later|last|this|next)\s+(?:this\s+)?"
         rf"(?:week|month|year|mo\w*))")
_LEADING_WHEN = re.compile(rf"^(?:{_WHEN}\s*,?\s+)+", re.IGNORECASE)
_TRAILING_WHEN = re.compile(rf"(?:\s+{_WHEN}[.…]*)+$", re.IGNORECASE)
_LABEL = re.compile(r"^[^\S\n]*(Q(?=[^\S\n]{2,}|:)|(?:[A-Z][A-Z.'’-]*[^\S\n]){0,3}[A-Z][A-Z'’-]+"
                    r"(?=[^\S\n]*:))", re.MULTILINE)  # `MS. PSAKI:`, `Q   ` (\xa0 too)
_SECOND_PERSON = frozenset({"you", "your", "yourself", "you all"})
_PERSON_KINDS = ("person",)
_BODY_KINDS = ("government_body", "organization", "media", "country")


@dataclass
class Source:
    """A canonical source and the mentions that refer to it."""

    key: str
    name: str
    type: str
    role: str | None = None
    affiliation: str | None = None
    country: str | None = None
    alignment: str = "unknown"
    grade: str | None = None
    aliases: Counter[str] = field(default_factory=Counter)
    count: int = 0
    speaks_for: str | None = None  # the id of the body a spokesperson or official speaks for

    @property
    def id(self) -> str:
        return "S" + hashlib.sha1(self.key.encode()).hexdigest()[:10]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "key": self.key, "name": self.name, "type": self.type,
                "role": self.role, "affiliation": self.affiliation, "country": self.country,
                "alignment": self.alignment, "grade": self.grade,
                "aliases": [a for a, _ in self.aliases.most_common()],
                "statements": self.count, "speaks_for": self.speaks_for}


@dataclass(frozen=True)
class Mention:
    """A statement's source mention, with where it stands (for document-level reference)."""

    statement_id: str
    doc_id: str
    position: int
    mention: SourceMention


@dataclass(frozen=True)
class SourceEdit:
    """An analyst's correction, re-applied after every automatic resolution."""

    action: str  # merge | split | set
    key: str
    target: str | None = None  # merge: the key merged into; split: the mention text
    field: str | None = None
    value: str | None = None


def normalise(text: str) -> str:
    """Lower case, no articles, possessives or punctuation other than inner dots and hyphens."""
    low = text.lower().replace("’", "'").strip()
    low = re.sub(r"'s\b", "", low)
    low = re.sub(r"[^\w.\- ]+", " ", low)
    low = re.sub(r"\s+", " ", low).strip(" .")
    for det in _DETERMINERS:
        if low.startswith(det):
            low = low[len(det):]
    return low


def _strip_honorifics(norm: str) -> str:
    words = norm.split()
    honorifics = general().honorifics
    while len(words) > 1 and words[0].rstrip(".") in honorifics:
        words = words[1:]
    return " ".join(words)


def alignment_of(country: str | None, pack: StoryPack | None = None) -> str:
    """The story pack's side for the country; without one, the country itself is the side."""
    if pack is not None and country in pack.alignment:
        return pack.alignment[country]
    return country or "unknown"


class _Context:
    """Everything one resolution run knows: pack entities, corpus names, document texts."""

    def __init__(self, pack: StoryPack | None, texts: Mapping[str, str],
                 titles: Mapping[str, str]) -> None:
        self.pack = pack
        self.texts = texts
        self.entities: dict[str, Entity] = {}
        for entity in pack.entities if pack else ():
            for alias in (*entity.aliases, entity.name):
                self.entities[normalise(alias)] = entity
        self.by_key = {f"entity:{e.name}": e for e in self.entities.values()}
        self.names: CorpusNames = derive({d: (titles.get(d, ""), texts.get(d, ""))
                                          for d in set(texts) | set(titles)})

    def entity(self, text: str) -> Entity | None:
        norm = normalise(text)
        return self.entities.get(norm) or self.entities.get(_strip_honorifics(norm))

    def kind(self, key: str) -> str:
        prefix, _, _ = key.partition(":")
        if prefix == "entity":
            return self.by_key[key].type if key in self.by_key else "unnamed"
        return {"country": "government_body", "role": "person",
                "body": "organization"}.get(prefix, prefix)

    def turns(self, doc_id: str, start: int) -> tuple[str | None, str | None]:
        """The transcript label (`MS. PSAKI`, `Q`) of the turn holding `start`, and the one
        answering or asked (the nearest other speaker's label before it, else after it)."""
        text = self.texts.get(doc_id, "")
        labels = [(m.start(), m.group(1)) for m in _LABEL.finditer(text)]
        before = [label for pos, label in labels if pos < start]
        current = before[-1] if before else None
        if current is None:
            return None, None
        asked = current == "Q"
        other = next((label for label in reversed(before) if (label == "Q") != asked), None)
        if other is None:
            other = next((label for pos, label in labels if pos > start
                          and (label == "Q") != asked), None)
        return current, other


def _country_of(norm: str) -> str | None:
    """`moscow`, `the chinese`, `u.s. government` -> the country they speak for."""
    g = general()
    if norm in g.countries:
        return g.countries[norm]
    words = norm.split()
    if len(words) >= 2 and words[-1] in g.government_words:
        rest = " ".join(words[:-1])
        return g.countries.get(rest)
    return None


def _junk(mention: SourceMention, norm: str) -> bool:
    """Not a speaker: a date, a Markdown heading, an empty or punctuation-only span, a
    fragment (lower-case words around a pronoun: `effort he`, `you ve heard us`)."""
    text = mention.text.strip()
    if not norm or text.startswith("#") or _DATE.match(norm):
        return True
    words = norm.split()
    return len(words) >= 2 and text.islower() and words[0] not in (
        "my", "our", "their", "his", "her", "its", "your", "some", "many", "several", "most",
        "all", "both", "one", "two", "three", "other", "senior", "unnamed", "anonymous") \
        and any(w in _PRONOUNS | _GROUP_FIRST_PERSON | _FIRST_PERSON | {"you"}
                for w in words) and words[-1] not in _PRONOUNS

Keyed = tuple[Mention, str, Entity | None]


def resolve_sources(mentions: Sequence[Mention], edits: Iterable[SourceEdit] = (),
                    texts: Mapping[str, str] | None = None,
                    titles: Mapping[str, str] | None = None,
                    pack: StoryPack | None = None) -> tuple[dict[str, str], list[Source]]:
    """Map each statement id to a canonical source id; return the sources. `texts` and
    `titles` (by document id) let the corpus introduce its speakers; `pack` is optional."""
    ctx = _Context(pack, texts or {}, titles or {})
    keyed: list[Keyed] = []
    in_doc: dict[str, list[tuple[str, SourceMention]]] = defaultdict(list)
    for item in sorted(mentions, key=lambda m: (m.doc_id, m.position)):
        key, entity = _key_of(item, ctx, in_doc[item.doc_id])
        if key is None:
            continue  # not a speaker: the statement keeps no source
        keyed.append((item, key, entity))
        in_doc[item.doc_id].append((key, item.mention))
    keyed = _join_names(keyed, ctx)
    sources: dict[str, Source] = {}
    assignment: dict[str, str] = {}
    for item, key, entity in keyed:
        source = sources.get(key)
        if source is None:
            source = sources[key] = _new_source(key, item.mention, entity, ctx)
        source.aliases[item.mention.text] += 1
        if source.type == "person" and source.affiliation is None:
            # `Mining Safety Board spokeswoman Ana Velasco`: the body before the title.
            source.affiliation = next((aff for *_, aff in titled_names(item.mention.text)
                                       if aff), None)
        assignment[item.statement_id] = key
    _link_speakers(sources, ctx)
    for sid, key in list(assignment.items()):
        # `we` in a spokesperson's turn: the body the spokesperson speaks for.
        speaker = sources.get(key.partition(":")[2]) if key.startswith("group:") else None
        body = next((s for s in sources.values() if s.id == speaker.speaks_for), None) \
            if speaker is not None and speaker.speaks_for else None
        if body is not None:
            body.aliases.update(sources[key].aliases)
            assignment[sid] = body.key
        elif speaker is not None and speaker.type == "person":
            # Officials' `we` with no known body: their side in the briefings, one source.
            shared = sources.setdefault("group:we", Source("group:we", "we (the officials' side)",
                                                           "unnamed"))
            shared.aliases.update({item: 1 for item in sources[key].aliases})
            assignment[sid] = "group:we"
    for key in {k for k in sources if k.startswith("group:")} - set(assignment.values()):
        del sources[key]
    for edit in edits:
        _apply(edit, sources, assignment, {i.statement_id: i.mention for i, _, _ in keyed},
               pack)
    by_key = {s.key: s for s in sources.values()}
    return ({sid: by_key[key].id for sid, key in assignment.items() if key in by_key},
            sorted(sources.values(), key=lambda s: -sum(s.aliases.values())))


def _key_of(item: Mention, ctx: _Context, earlier: list[tuple[str, SourceMention]]
            ) -> tuple[str | None, Entity | None]:
    """The resolution key of one mention, given the mentions before it in its document."""
    m = _cleaned(item.mention)
    if m.type == "person" and m.name and " " in m.name \
            and m.name.split()[-1].lower() in general().body_words:
        m = replace(m, type="organization")  # `the Mining Safety Board` is no person
    norm = normalise(m.text)
    if norm in _FIRST_PERSON | _GROUP_FIRST_PERSON | _SECOND_PERSON:
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
    if m.antecedent and normalise(m.text) not in _FIRST_PERSON | _GROUP_FIRST_PERSON:
        # A pronoun the extractor resolved: the key its antecedent got in this document.
        for key, before in reversed(earlier):
            if before.text == m.antecedent:
                return key, ctx.by_key.get(key)
    if _junk(m, norm):
        return None, None
    words = norm.split()
    if len(words) >= 2 and m.text.islower() and words[-1] in _PRONOUNS and m.name is None:
        norm = words[-1]  # `effort he`: the pronoun is the speaker
    if norm in _RELATIVE and m.name is None:
        return _antecedent_key(item, ctx, earlier)
    if _strip_honorifics(norm) in _QUESTION_LABELS:
        return "unnamed:reporters' questions", None
    country = _country_of(norm) or (_country_of(normalise(m.name))
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
    if norm in _PRONOUNS and m.name is None:
        wanted = _PERSON_KINDS if norm in ("he", "she", "him", "her") else _BODY_KINDS
        for earlier_key, before in reversed(earlier):
            if ctx.kind(earlier_key) in wanted and normalise(before.text) not in _PRONOUNS:
                return earlier_key, ctx.by_key.get(earlier_key)
        return f"unnamed:{norm}@{item.doc_id}", None
    if m.text.isupper() and len(norm) > 1:
        return _person_key(item, ctx), None
    return f"unnamed:{re.sub(r'(?<=[a-z])[.](?=[a-z])', '', norm)}", None  # u.s. = us


def _cleaned(m: SourceMention) -> SourceMention:
    """The mention without the time phrase or Markdown around it (`In early November we`,
    `NATO on Monday`, `**KYIV`), described afresh; the span stays where it was."""
    from corroborate.extract.sources import describe

    if m.text.lstrip().startswith("#"):
        return m  # a Markdown heading: never a source (see _junk)
    text = m.text.strip("*_> \n")
    text = _TRAILING_WHEN.sub("", _LEADING_WHEN.sub("", text)).strip(" ,")
    if not text or text == m.text or _DATE.match(normalise(m.text)):
        return m
    return replace(describe(text, m.start), start=m.start, end=m.end, antecedent=m.antecedent)


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
    if not phrase or phrase.lower() in _RELATIVE or not re.search(r"\w", phrase):
        return None, None
    found = describe(phrase, m.start - len(phrase))
    if normalise(found.text) in _PRONOUNS | _RELATIVE:
        return None, None
    return _key_of(replace(item, mention=found), ctx, earlier)


def _person_in_turn(item: Mention, norm: str, ctx: _Context,
                    earlier: list[tuple[str, SourceMention]]) -> str | None:
    """In a transcript turn, `I` is the turn's speaker, `we` the speaker's side and `you` the
    other party (the official a question is put to; the reporters an answer is given to)."""
    from corroborate.extract.sources import describe

    current, other = ctx.turns(item.doc_id, item.mention.start)
    label = other if norm in _SECOND_PERSON else current
    if label is None:
        return None
    speaker, _ = _key_of(Mention(item.statement_id, item.doc_id, item.position,
                                 describe(label, 0)), ctx, earlier)
    if speaker is None or norm not in _GROUP_FIRST_PERSON:
        return speaker
    return f"group:{speaker}"


def _person_key(item: Mention, ctx: _Context) -> str:
    """A full name; a surname or label joined to the full name introduced for it; a role alone
    joined to its one holder in the document or corpus, else kept as the role."""
    m = item.mention
    norm = normalise(m.text)
    ends_in_title = norm.split()[-1] in TITLE_HEADS if norm else False
    if m.name and not ends_in_title:
        name = _strip_honorifics(normalise(m.name))
        known = [n for n in ctx.names.full_names if (" " + name).endswith(" " + n.lower())]
        if len(name.split()) >= 3 and known:
            name = max(known, key=len).lower()  # `State Antony Blinken` -> `antony blinken`
        if " " not in name:
            name = normalise(ctx.names.full_name_for(name, item.doc_id) or name)
        return f"person:{name}"
    role = normalise_role(_strip_possessive(norm))
    holder = ctx.names.holder_of(role, item.doc_id, m.start)
    if holder is not None:
        full = ctx.names.full_name_for(holder, item.doc_id) if " " not in holder else holder
        return f"person:{normalise(full or holder)}"
    return f"role:{role}"


def _strip_possessive(norm: str) -> str:
    words = norm.split()
    while words and words[0] in ("my", "our", "your", "their", "his", "her"):
        words = words[1:]
    return " ".join(words)


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


def _join_names(keyed: list[Keyed], ctx: _Context) -> list[Keyed]:
    """`Budanov` joins `person:kyrylo budanov` when that is the only full name ending so;
    `DOD` joins the one body whose initials it is. An outlet never joins a person."""
    full: dict[str, set[str]] = defaultdict(set)
    bodies: dict[str, set[str]] = defaultdict(set)
    for _, key, _ in keyed:
        kind, _, rest = key.partition(":")
        if kind == "person" and " " in rest:
            full[rest.rsplit(" ", 1)[-1]].add(key)
        elif kind == "body" and len(rest.split()) >= 2:
            for initials in _initials(rest.split("|")[-1].split()):
                bodies[initials].add(key)
    people = {key for _, key, _ in keyed if key.startswith("person:")}
    joined = []
    for item, key, entity in keyed:
        kind, _, rest = key.partition(":")
        if kind in ("person", "body", "unnamed") and " " not in rest:
            candidates = full.get(rest, set()) or ({f"person:{rest}"} & people
                                                    if item.mention.text[:1].isupper() else set())
            if len(candidates) == 1 and item.mention.type != "media":
                key = next(iter(candidates))
            elif kind == "body" and item.mention.text.isupper():
                found = bodies.get(rest, set())
                if len(found) == 1:
                    key = next(iter(found))
        joined.append((item, key, entity))
    return joined


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
        country = mention.affiliation
        return Source(key, name, "person", mention.role, mention.affiliation, country,
                      alignment_of(country, pack))
    if kind == "role":
        return Source(key, rest, "person", rest, mention.affiliation, mention.affiliation,
                      alignment_of(mention.affiliation, pack))
    if kind == "unnamed":
        name = rest.split("@")[0]
        return Source(key, name, mention.type if mention.type != "group" else "unnamed",
                      mention.role, mention.affiliation, mention.affiliation,
                      alignment_of(mention.affiliation, pack))
    country = mention.affiliation
    name = mention.name or mention.text
    kind = mention.type if mention.type in ("government_body", "organization", "media") \
        else "organization"
    return Source(key, name, kind, mention.role, mention.affiliation, country,
                  alignment_of(country, pack))


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
        country = _country_of(norm)
        target = sources.get(f"country:{country}") if country else None
        target = target or by_name.get(norm) or next(
            (s for n, s in by_name.items() if n.endswith(" " + norm) or norm.endswith(" " + n)),
            None) or (
            sources.get(f"entity:{ctx.entity(affiliation).name}")
            if ctx.entity(affiliation) else None)
        if target is not None and target is not source:
            source.speaks_for = target.id
            source.affiliation = target.name


def _apply(edit: SourceEdit, sources: dict[str, Source], assignment: dict[str, str],
           mentions: dict[str, SourceMention], pack: StoryPack | None) -> None:
    if edit.action == "merge" and edit.key in sources and edit.target in sources:
        into = sources[edit.target]
        into.aliases.update(sources.pop(edit.key).aliases)
        for sid, key in assignment.items():
            if key == edit.key:
                assignment[sid] = edit.target
    elif edit.action == "split" and edit.key in sources and edit.target:
        new_key = f"{edit.key}|{edit.target.lower()}"
        for sid, key in list(assignment.items()):
            if key == edit.key and mentions[sid].text.lower() == edit.target.lower():
                assignment[sid] = new_key
                if new_key not in sources:
                    sources[new_key] = replace(sources[edit.key], key=new_key, name=edit.target,
                                               aliases=Counter())
                sources[new_key].aliases[mentions[sid].text] += 1
                sources[edit.key].aliases[mentions[sid].text] -= 1
        sources[edit.key].aliases += Counter()  # drop zero counts
    elif edit.action == "set" and edit.key in sources and edit.field:
        setattr(sources[edit.key], edit.field, edit.value)
        if edit.field == "country":
            sources[edit.key].alignment = alignment_of(edit.value, pack)
