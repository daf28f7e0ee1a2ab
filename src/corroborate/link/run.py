"""The linking stage over a whole ledger: sources resolved, statements assigned to
propositions (analyst and discovered), relays drawn; one transaction replaces the old links."""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace

from corroborate.link import embed
from corroborate.link.adapt import apply_learned
from corroborate.link.concepts import concept_groups
from corroborate.link.frames import content_stems
from corroborate.link.method import choose_method
from corroborate.link.names import CorpusNames
from corroborate.link.pack import StoryPack, store_pack, stored_pack
from corroborate.link.propositions import Claim, Proposition, assign, concept_weights, discover
from corroborate.link.relays import relays
from corroborate.link.resolve import Mention, Resolver, SourceEdit
from corroborate.link.vectors import active_encoder, cached
from corroborate.store.ledger import Store
from corroborate.store.links import LinkStore


@dataclass(frozen=True)
class LinkSummary:
    statements: int
    sources: int
    propositions: int
    discovered: int
    assignments: int
    relays: int
    seconds: float
    method: str = "rules"  # how analyst propositions were matched (link/method.py)
    note: str | None = None  # why the default linker could not run, if it could not
    written: int = 0  # link rows inserted, updated or deleted: only what changed is written


_ANAPHORIC = re.compile(r"\b(?:the|these|those|such) (?:reports?|claims?|allegations?|"
                        r"accounts?|deployment|troops|soldiers)\b|\b(?:it|this|that)\b",
                        re.IGNORECASE)


def sentence_around(text: str, start: int, end: int, limit: int = 400) -> str:
    """The sentence (or line) holding text[start:end], for matching in context; when the
    content refers back (`the reports`, `it`), the sentence before it too."""
    left = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start) + 1, start - limit)
    if _ANAPHORIC.search(text, start, end) and left > 0:
        left = max(text.rfind("\n", 0, left - 1), text.rfind(". ", 0, left - 2) + 1,
                   left - limit)
    right_candidates = [i for i in (text.find("\n", end), text.find(". ", end)) if i != -1]
    right = min([*right_candidates, end + limit, len(text)])
    return text[max(left, 0):right]


CHUNK_DOCUMENTS = 200  # documents a linking pass reads (and holds the texts of) at once


@dataclass
class LinkInput:
    """What linking keeps of the ledger, read in one snapshot by `collect`: per statement a
    claim (its words and sentence), its source mentions keyed (`resolver`) and its day;
    never a whole statement or a document's text."""

    claims: list[Claim]
    resolver: Resolver
    days: dict[str, str | None]
    edits: list[SourceEdit]
    analyst: list[Proposition]
    generation: str


def collect(store: Store, pack: StoryPack | None = None) -> LinkInput:
    """Read the ledger for linking in one read transaction (read apart, a concurrent `add`
    could commit a statement whose document an earlier query did not see), streaming it a
    chunk of documents at a time (`StoreReader.document_chunks`): one pass takes in what the
    corpus introduces about its speakers, a second keys each document's source mentions
    while its text is at hand and keeps what linking needs of each statement."""
    links = LinkStore(store.backend)
    with store.snapshot():
        edits, analyst, generation = (links.edits(), links.propositions("analyst"),
                                      links.generation())
        names = CorpusNames()
        for chunk in store.document_chunks(CHUNK_DOCUMENTS, with_statements=False):
            for doc, _ in chunk:
                names.add_document(doc.id, doc.title or "", doc.text)
        resolver = Resolver(names, pack)
        claims: list[Claim] = []
        days: dict[str, str | None] = {}
        position = 0
        for chunk in store.document_chunks(CHUNK_DOCUMENTS):
            for doc, statements in chunk:
                mentions: list[Mention] = []
                for st in statements:
                    if st.source is not None:
                        mentions.append(Mention(st.id, st.doc_id, position, st.source))
                    if st.via is not None:
                        mentions.append(Mention("via:" + st.id, st.doc_id, position, st.via))
                    position += 1
                    claims.append(Claim(st.id, st.content.text,
                                        sentence_around(doc.text, st.content.start,
                                                        st.content.end),
                                        st.stance, None,
                                        any(h.startswith("dismissal") for h in st.hedges),
                                        cue=st.cue.text if st.cue else ""))
                    days[st.id] = st.said_on or doc.published
                resolver.key(doc.id, doc.text, mentions)
    return LinkInput(claims, resolver, days, edits, analyst, generation)


def link_ledger(store: Store, semantic: bool | None = None, method: str | None = None,
                pack: StoryPack | None = None) -> LinkSummary:
    """`semantic` (default: env CORROBORATE_SEMANTIC=1) matches propositions by MiniLM
    sentence embeddings instead of concept overlap; `method` (default: env
    CORROBORATE_LINKER, else `link/method.py`: the learned linker unless a story pack gives
    concept words) picks "rules", "semantic" or "learned" for the analyst propositions
    (discovered ones are always matched by the rules). `pack` (optional story knowledge,
    link/pack.py) is kept in the ledger; without one, the pack an earlier run stored is used,
    if any."""
    if semantic is None:
        semantic = os.environ.get("CORROBORATE_SEMANTIC") == "1"
    started = time.perf_counter()
    links = LinkStore(store.backend)
    if pack is not None:
        store.write(lambda: store_pack(store.backend, pack))
    else:
        pack = stored_pack(store.backend)
    method, note = choose_method(method or ("semantic" if semantic else None), pack,
                                 embed.available())
    with concept_groups(pack), _vector_cache(store, method):
        summary = _link(store, links, method, pack, started)
    return replace(summary, method=method, note=note)


def _vector_cache(store: Store, method: str) -> AbstractContextManager[object]:
    """The ledger's embedding cache for the methods that embed with MiniLM (the rules do
    not; without the weights there is nothing to key it by). A cache the caller opened
    (`link.vectors.cached`, with its own encoder) is used as it is."""
    if method == "learned" and embed.available() and active_encoder() is None:
        return cached(store)
    return nullcontext()


def _link(store: Store, links: LinkStore, method: str, pack: StoryPack | None,
          started: float) -> LinkSummary:
    read = collect(store, pack)
    claims = read.claims
    resolved, sources = read.resolver.finish(read.edits)
    via_sources = {k[4:]: v for k, v in resolved.items() if k.startswith("via:")}
    statement_sources = {k: v for k, v in resolved.items() if not k.startswith("via:")}
    counts = Counter(statement_sources.values())
    for source in sources:
        source.count = counts.get(source.id, 0)
    spoken_for = {s.speaks_for for s in sources if s.count and s.speaks_for}
    sources = [s for s in sources
               if s.count or s.id in via_sources.values() or s.id in spoken_for]
    names = {s.id: content_stems(" ".join(filter(None, (s.name, s.affiliation, s.country,
                                                        *s.aliases))))
             for s in sources}
    for n, c in enumerate(claims):  # in place: a second list would double the peak
        claims[n] = replace(c, source_id=statement_sources.get(c.statement_id),
                            source_names=names.get(statement_sources.get(c.statement_id, ""),
                                                   frozenset()))
    analyst = read.analyst
    weights = concept_weights(claims)
    assignments = assign(analyst, claims, idf=weights, method=method)
    assignments = apply_learned(store, analyst, claims, assignments, method)  # `learn`
    covered = {a.statement_id for a in assignments}
    discovered = discover(claims, covered, idf=weights)
    assignments += assign(discovered, [c for c in claims if c.statement_id not in covered],
                          idf=weights)
    relay_edges = relays(via_sources, statement_sources)
    written = store.write(lambda: links.replace_links(sources, statement_sources, via_sources,
                                            discovered, assignments, relay_edges, read.days,
                                            read.generation))
    return LinkSummary(len(claims), len(sources), len(analyst), len(discovered),
                       len(assignments), len(relay_edges), time.perf_counter() - started,
                       written=written)
