"""The linking stage over a whole ledger: sources resolved, statements assigned to
propositions (analyst and discovered), relays drawn; one transaction replaces the old links.

What linking keeps of each statement (its claim, its day, its concepts) lives in a scratch
SQLite file of the run's own (`Scratch`), whatever the ledger's backend: the ledger is read a
chunk of documents at a time and every later pass pages through the scratch table, so the
claims' text and concept bags are never all in memory at once.

Relinking is incremental: the two costly per-statement steps, a claim's concept bags and the
rules' reading of its stance toward a proposition (≈ 70% of a rules run), are kept in the
ledger (`store/linkcache.py`) under a digest of everything they were computed from, and a
later run reuses a row only when its own digest for that statement is the same. So after an
`add` only the new statements (and the pairs whose inputs moved: a proposition added or
edited, a source renamed) are read that way, and the result is by construction the result of
a run from nothing; `full=True` (`corroborate link --full`) ignores the rows and rewrites
them. What still runs over the whole ledger is what depends on all of it: the names and
source resolution, the corpus's concept weights (every new claim moves them, so every score
is recomputed, by arithmetic on the stored bags) and discovery.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, fields, is_dataclass, replace
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple

from corroborate.link import embed
from corroborate.link.adapt import apply_learned
from corroborate.link.concepts import concept_groups, concepts_once
from corroborate.link.frames import Frame, content_stems
from corroborate.link.method import choose_method
from corroborate.link.names import CorpusNames
from corroborate.link.pack import StoryPack, store_pack, stored_pack
from corroborate.link.propositions import (
    Assignment,
    Claim,
    Leader,
    Prepared,
    Proposition,
    assign,
    assign_prepared,
    stance_on,
    weights_from,
)
from corroborate.link.relays import Relay
from corroborate.link.resolve import Mention, Resolver, Source, SourceEdit
from corroborate.link.vectors import active_encoder, cached
from corroborate.model import SourceMention
from corroborate.store.ledger import Store
from corroborate.store.linkcache import ClaimRow, LinkCache, StanceRow
from corroborate.store.links import AssignmentRow, LinkStore, StatementRow


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
    incremental: bool = False  # the ledger's kept concepts and stances were used
    bagged: int = 0  # claims whose concepts were computed (the rest were kept from a run)
    scored: int = 0  # (statement, proposition) stances read by the rules
    reused: int = 0  # and stances kept from an earlier run for the same inputs


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


@cache
def _code_digest() -> str:
    """A digest of the installed package's code and data files: any change to how linking
    reads (rules, lexicons, stemming) makes every kept row stale."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def fingerprint(method: str, pack: StoryPack | None) -> str:
    """What every kept concept bag and stance also depends on besides its own inputs: the
    code, the story pack (its concept groups change the bags), the linker and the stance
    head switch (`CORROBORATE_STANCE`)."""
    parts = (_code_digest(), method, pack.to_json() if pack else "",
             os.environ.get("CORROBORATE_STANCE", "").lower())
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _canonical(value: object) -> str:
    """A text that two equal values (frames, claims) give alike in any process (sets
    sorted: string hashing differs from one interpreter to the next)."""
    if is_dataclass(value) and not isinstance(value, type):
        return "(" + ",".join(_canonical(getattr(value, f.name)) for f in fields(value)) + ")"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_canonical(v) for v in value)) + "}"
    if isinstance(value, (tuple, list)):
        return "[" + ",".join(_canonical(v) for v in value) + "]"
    return repr(value)


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()


_CLAIM_FIELDS = tuple(f.name for f in fields(Claim))


def _claim_text(claim: Claim) -> str:
    """`_canonical` of a claim, faster: every field, by name, so a field added to `Claim`
    is in the digest too (its values are strings, flags and sets of strings)."""
    out = []
    for name in _CLAIM_FIELDS:
        value = getattr(claim, name)
        out.append("\x1e".join(sorted(value)) if isinstance(value, frozenset) else repr(value))
    return "\x1d".join(out)


class KeptStances:
    """`stance_on` that reuses the stances an earlier run kept for the same inputs (the
    proposition's frame and the claim, under the same `fingerprint`) and keeps what it reads
    for the next run. `load` takes one page's statements' kept rows (nothing else is held);
    what was read is put into the scratch table (`Scratch.keep_stances`) page by page."""

    def __init__(self, cache: LinkCache | None, key: str) -> None:
        self.cache, self.key = cache, key
        self.known: dict[tuple[str, str], tuple[str, str | None]] = {}
        self.frames: dict[Frame, str] = {}
        self.new: list[StanceRow] = []
        self.scored = self.reused = 0
        self._last: tuple[Claim | None, str] = (None, "")  # a claim's pairs come in a row

    def load(self, statement_ids: Sequence[str]) -> None:
        self.known = self.cache.stances(statement_ids) if self.cache else {}

    def __call__(self, frame: Frame, claim: Claim) -> str | None:
        framed = self.frames.get(frame)
        if framed is None:
            framed = self.frames[frame] = _digest(self.key, _canonical(frame))
        if self._last[0] is not claim:
            self._last = claim, _claim_text(claim)
        inputs = _digest(framed, self._last[1])
        kept = self.known.get((claim.statement_id, frame.id))
        if kept is not None and kept[0] == inputs:
            self.reused += 1
            return kept[1]
        stance = stance_on(frame, claim)
        self.scored += 1
        self.new.append((claim.statement_id, frame.id, inputs, stance))
        return stance


CHUNK_DOCUMENTS = 200  # documents a linking pass reads (and holds the texts of) at once
CHUNK_CLAIMS = 2000  # scratch rows a pass over the claims holds at once


class Row(NamedTuple):
    """One statement as the scratch table gives it back."""

    n: int  # its place in ledger order
    claim: Claim  # without its source (`Scratch.pages` adds it)
    content: frozenset[str]  # the concepts of its content
    context: frozenset[str]  # and of its sentence
    group: int | None  # its discovery group, once `Leader.take` has placed it


def _bag(text: str | None) -> frozenset[str]:
    return frozenset(text.split("\t")) if text else frozenset()


class Scratch:
    """Linking's per-statement working state out of core: one row per statement (its claim,
    its day, its concepts counted once, later its discovery group and whether a proposition
    covers it) in a scratch SQLite file of this run's own, deleted when the run ends.
    Passes page through it by row number (keyset paging, `pages`), so what a pass holds is
    one page; `df` counts each concept's claims as rows are added, so the concept weights
    need no second pass. In memory these were ≈ 4.6 KB a statement at 100k statements (the
    claims' text and sentence, and 200,000 cached concept bags), linear in the ledger."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="corroborate-link-")
        self.db = sqlite3.connect(Path(self._dir.name) / "claims.db", isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -8000"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.execute("BEGIN")  # one transaction for the run: nothing to commit, ever
        self.db.execute("CREATE TABLE claims (n INTEGER PRIMARY KEY, statement_id TEXT NOT "
                        "NULL, content TEXT, context TEXT, stance TEXT, dismissal INTEGER, "
                        "cue TEXT, day TEXT, content_concepts TEXT, context_concepts TEXT, "
                        "grp INTEGER, covered INTEGER NOT NULL DEFAULT 0, source_id TEXT, "
                        "via_id TEXT)")
        self.db.execute("CREATE TABLE links (statement_id TEXT NOT NULL, proposition_id TEXT "
                        "NOT NULL, score REAL, stance TEXT)")
        # What this run computed afresh, for the ledger's kept rows (store/linkcache.py).
        self.db.execute("CREATE TABLE new_claims (statement_id TEXT, inputs TEXT, "
                        "content_concepts TEXT, context_concepts TEXT)")
        self.db.execute("CREATE TABLE new_stances (statement_id TEXT, proposition_id TEXT, "
                        "inputs TEXT, stance TEXT)")
        self.bagged = 0
        self.count = 0
        self.linked = 0  # links put
        self.df: Counter[str] = Counter()
        self._indexed = False

    def __enter__(self) -> Scratch:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.db.close()
        self._dir.cleanup()

    def add(self, rows: Iterable[tuple[Claim, str | None]],
            kept: dict[str, tuple[str, str, str]] | None = None, key: str = "") -> None:
        """Store claims (with their day) in ledger order, their concepts counted once.
        `kept`: the bags an earlier run stored for these statements (statement id ->
        inputs digest, content, context), used where the digest of the claim's text and
        sentence under `key` (`fingerprint`) is the same; the bags computed are noted for
        the ledger (`new_claims`)."""
        memo: dict[str, frozenset[str]] = {}  # a sentence holding several statements
        kept = kept or {}

        def bag(text: str) -> frozenset[str]:
            if text not in memo:
                memo[text] = concepts_once(text)
            return memo[text]

        out, fresh = [], []
        for claim, day in rows:
            inputs = _digest(key, claim.content, claim.context)
            stored = kept.get(claim.statement_id)
            if stored is not None and stored[0] == inputs:
                content_text, context_text = stored[1], stored[2]
                content, context = _bag(content_text), _bag(context_text)
            else:
                content, context = bag(claim.content), bag(claim.context)
                content_text, context_text = "\t".join(sorted(content)), "\t".join(sorted(context))
                fresh.append((claim.statement_id, inputs, content_text, context_text))
            self.df.update(content | context)
            out.append((self.count, claim.statement_id, claim.content, claim.context,
                        claim.stance, int(claim.dismissal), claim.cue, day,
                        content_text, context_text))
            self.count += 1
        self.db.executemany("INSERT INTO claims (n, statement_id, content, context, stance, "
                            "dismissal, cue, day, content_concepts, context_concepts) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", out)
        self.db.executemany("INSERT INTO new_claims VALUES (?, ?, ?, ?)", fresh)
        self.bagged += len(fresh)

    def keep_stances(self, rows: list[StanceRow]) -> None:
        """Note stances read afresh (`KeptStances.new`), and forget them from memory."""
        self.db.executemany("INSERT INTO new_stances VALUES (?, ?, ?, ?)", rows)
        rows.clear()

    def fresh(self) -> tuple[Iterator[ClaimRow], Iterator[StanceRow]]:
        """What this run computed afresh, for `LinkCache.put` (two cursors: streamed)."""
        return (self.db.execute("SELECT * FROM new_claims"),
                self.db.execute("SELECT * FROM new_stances"))

    def pages(self, where: str = "", names: dict[str, frozenset[str]] | None = None
              ) -> Iterator[list[Row]]:
        """The rows `where` selects, in ledger order, `CHUNK_CLAIMS` at a time; each claim
        with its resolved source and the stems of that source's names (`names`)."""
        names = names or {}
        last = -1
        while True:
            found = self.db.execute(
                "SELECT n, statement_id, content, context, stance, dismissal, cue, "
                "content_concepts, context_concepts, grp, source_id FROM claims WHERE n > ?"
                + (f" AND {where}" if where else "") + " ORDER BY n LIMIT ?",
                (last, CHUNK_CLAIMS)).fetchall()
            if not found:
                return
            last = found[-1][0]
            page = []
            for n, sid, content, context, stance, dismissal, cue, cc, xc, group, source in found:
                page.append(Row(n, Claim(sid, content, context, stance, source,
                                         bool(dismissal), names.get(source or "", frozenset()),
                                         cue=cue), _bag(cc), _bag(xc), group))
            yield page

    def prepared(self, where: str, names: dict[str, frozenset[str]]) -> Iterator[Prepared]:
        for page in self.pages(where, names):
            for row in page:
                yield row.claim, row.content, row.context

    def place(self, groups: Sequence[tuple[int, int]]) -> None:
        """Record discovery groups: (group, row number) pairs."""
        self.db.executemany("UPDATE claims SET grp = ? WHERE n = ?", groups)

    def put_links(self, assignments: Sequence[Assignment], mark: int) -> None:
        """Keep links and mark their statements covered (`mark`: 1 by an analyst
        proposition, 2 by a discovered one)."""
        self._index()
        self.db.executemany("INSERT INTO links VALUES (?, ?, ?, ?)",
                            [(a.statement_id, a.proposition_id, a.score, a.stance)
                             for a in assignments])
        self.db.executemany("UPDATE claims SET covered = ? WHERE statement_id = ? AND "
                            "covered = 0", ((mark, a.statement_id) for a in assignments))
        self.linked += len(assignments)

    def _index(self) -> None:
        if not self._indexed:
            self.db.execute("CREATE INDEX claims_statement ON claims (statement_id)")
            self._indexed = True

    def statement_rows(self) -> Iterator[StatementRow]:
        """What the writer compares (`LinkStore.sync_links`), in statement-id order: each
        statement's source and intermediary."""
        self._index()
        return self.db.execute("SELECT statement_id, source_id, via_id FROM claims WHERE "
                               "source_id IS NOT NULL ORDER BY statement_id")

    def link_rows(self) -> Iterator[AssignmentRow]:
        """Every link with its statement's day, by statement id then proposition id."""
        self.db.execute("CREATE INDEX links_order ON links (statement_id, proposition_id)")
        return self.db.execute(
            "SELECT l.statement_id, l.proposition_id, l.score, l.stance, c.day FROM links l "
            "JOIN claims c ON c.statement_id = l.statement_id "
            "ORDER BY l.statement_id, l.proposition_id")

    def resolved(self, source_of: dict[str, str]) -> None:
        """Each statement's source and intermediary (`via`) from its mentions' final keys
        (`source_of`: key -> source id, what `Resolver.resolve` returns)."""
        self.db.execute("CREATE TABLE keymap (key TEXT PRIMARY KEY, source_id TEXT)")
        self.db.executemany("INSERT INTO keymap VALUES (?, ?)", source_of.items())
        self._index()
        lookup = ("(SELECT k.source_id FROM mentions m JOIN keymap k ON k.key = m.joined "
                  "WHERE m.statement_id = {})")
        self.db.execute(f"UPDATE claims SET source_id = {lookup.format('claims.statement_id')}, "
                        f"via_id = {lookup.format(repr('via:') + ' || claims.statement_id')}")

    def source_counts(self) -> Counter[str]:
        return Counter(dict(self.db.execute(
            "SELECT source_id, COUNT(*) FROM claims WHERE source_id IS NOT NULL "
            "GROUP BY source_id")))

    def via_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute(
            "SELECT DISTINCT via_id FROM claims WHERE via_id IS NOT NULL")}

    def relays(self) -> list[Relay]:
        """Relay edges (`link/relays.py`): statements naming an intermediary besides their
        source."""
        return [Relay(*row) for row in self.db.execute(
            "SELECT statement_id, via_id, source_id FROM claims WHERE via_id IS NOT NULL AND "
            "source_id IS NOT NULL AND source_id != via_id ORDER BY statement_id")]


class ScratchKeys:
    """The resolver's `KeyTable` in the scratch file: one row per keyed source mention (the
    mention itself, its key, later its key joined across the corpus), paged through in
    document-id order; resolving holds one row per source, not per mention."""

    _MENTION = "statement_id, doc_id, position, m_start, m_end, text, name, type, role, " \
               "affiliation, antecedent"

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        db.execute("CREATE TABLE mentions (seq INTEGER PRIMARY KEY, statement_id TEXT NOT "
                   "NULL, doc_id TEXT NOT NULL, position INTEGER, m_start INTEGER, m_end "
                   "INTEGER, text TEXT, name TEXT, type TEXT, role TEXT, affiliation TEXT, "
                   "antecedent TEXT, key TEXT NOT NULL, joined TEXT)")
        self._indexed = False

    def add(self, keyed: Sequence[tuple[Mention, str]]) -> None:
        self.db.executemany(
            f"INSERT INTO mentions ({self._MENTION}, key) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(i.statement_id, i.doc_id, i.position, i.mention.start, i.mention.end,
              i.mention.text, i.mention.name, i.mention.type, i.mention.role,
              i.mention.affiliation, i.mention.antecedent, key) for i, key in keyed])

    def _index(self) -> None:
        if not self._indexed:
            self.db.execute("CREATE INDEX mentions_order ON mentions (doc_id, seq)")
            self.db.execute("CREATE INDEX mentions_statement ON mentions (statement_id)")
            self._indexed = True

    def keys(self) -> Iterator[str]:
        for (key,) in self.db.execute("SELECT DISTINCT key FROM mentions"):
            yield key

    @staticmethod
    def _mention(row: Sequence[Any]) -> Mention:
        sid, doc_id, position, start, end, text, name, kind, role, affiliation, antecedent = row
        return Mention(sid, doc_id, position, SourceMention(start, end, text, name, kind, role,
                                                            affiliation, antecedent))

    def _paged(self, columns: str, where: str = "") -> Iterator[list[tuple[Any, ...]]]:
        """Rows in (document id, arrival) order, keyset-paged; the two order columns come
        first in each row."""
        self._index()
        last: tuple[str, int] = ("", -1)
        while True:
            rows = self.db.execute(
                f"SELECT doc_id, seq, {columns} FROM mentions WHERE (doc_id, seq) > (?, ?)"
                + (f" AND {where}" if where else "") + " ORDER BY doc_id, seq LIMIT ?",
                (*last, CHUNK_CLAIMS)).fetchall()
            if not rows:
                return
            last = rows[-1][0], rows[-1][1]
            yield rows

    def ordered(self) -> Iterator[tuple[Mention, str]]:
        for rows in self._paged(f"{self._MENTION}, key"):
            for row in rows:
                yield self._mention(row[2:-1]), row[-1]

    def assign(self, pairs: Iterable[tuple[str, str]]) -> None:
        batch: list[tuple[str, str]] = []
        for sid, key in pairs:
            batch.append((key, sid))
            if len(batch) >= CHUNK_CLAIMS:
                self.db.executemany("UPDATE mentions SET joined = ? WHERE statement_id = ?",
                                    batch)
                batch = []
        self.db.executemany("UPDATE mentions SET joined = ? WHERE statement_id = ?", batch)

    def groups(self) -> Iterator[list[tuple[str, str]]]:
        for rows in self._paged("statement_id, joined", "joined LIKE 'group:%'"):
            yield [(sid, key) for _, _, sid, key in rows]

    def reassign(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.db.executemany("UPDATE mentions SET joined = ? WHERE statement_id = ?",
                            [(key, sid) for sid, key in pairs])

    def used(self) -> set[str]:
        return {key for (key,) in self.db.execute("SELECT DISTINCT joined FROM mentions")}

    def subset(self, keys: set[str], statements: set[str]
               ) -> tuple[dict[str, str], dict[str, SourceMention]]:
        keys_in, ids_in = ", ".join("?" * len(keys)), ", ".join("?" * len(statements))
        found: dict[str, str] = {}
        mentions: dict[str, SourceMention] = {}
        for row in self.db.execute(
                f"SELECT {self._MENTION}, joined FROM mentions WHERE joined IN ({keys_in}) "
                f"OR statement_id IN ({ids_in}) ORDER BY doc_id, seq",
                (*keys, *statements)):
            item = self._mention(row[:-1])
            found[item.statement_id] = row[-1]
            mentions[item.statement_id] = item.mention
        return found, mentions


@dataclass
class LinkInput:
    """What linking keeps of the ledger, read in one snapshot by `collect`, besides the
    claims it puts into the scratch table: each statement's source mentions keyed
    (`resolver`); never a whole statement or a document's text."""

    resolver: Resolver
    edits: list[SourceEdit]
    analyst: list[Proposition]
    generation: str


def collect(store: Store, scratch: Scratch, pack: StoryPack | None = None,
            cache: LinkCache | None = None, key: str = "") -> LinkInput:
    """Read the ledger for linking in one read transaction (read apart, a concurrent `add`
    could commit a statement whose document an earlier query did not see), streaming it a
    chunk of documents at a time (`StoreReader.document_chunks`): one pass takes in what the
    corpus introduces about its speakers, a second keys each document's source mentions
    while its text is at hand and puts what linking needs of each statement into
    `scratch`, with the concept bags `cache` kept for the chunk's statements (under the
    fingerprint `key`) where they still hold."""
    links = LinkStore(store.backend)
    with store.snapshot():
        edits, analyst, generation = (links.edits(), links.propositions("analyst"),
                                      links.generation())
        names = CorpusNames()
        for chunk in store.document_chunks(CHUNK_DOCUMENTS, with_statements=False):
            for doc, _ in chunk:
                names.add_document(doc.id, doc.title or "", doc.text)
        resolver = Resolver(names, pack, ScratchKeys(scratch.db))
        position = 0
        for chunk in store.document_chunks(CHUNK_DOCUMENTS):
            claims: list[tuple[Claim, str | None]] = []
            for doc, statements in chunk:
                mentions: list[Mention] = []
                for st in statements:
                    if st.source is not None:
                        mentions.append(Mention(st.id, doc.id, position, st.source))
                    if st.via is not None:
                        mentions.append(Mention("via:" + st.id, doc.id, position, st.via))
                    position += 1
                    claims.append((Claim(st.id, st.content.text,
                                         sentence_around(doc.text, st.content.start,
                                                         st.content.end),
                                         st.stance, None,
                                         any(h.startswith("dismissal") for h in st.hedges),
                                         cue=st.cue.text if st.cue else ""),
                                   st.said_on or doc.published))
                resolver.key(doc.id, doc.text, mentions)
            kept = cache.claims([claim.statement_id for claim, _ in claims]) if cache else None
            scratch.add(claims, kept, key)
    return LinkInput(resolver, edits, analyst, generation)


Probe = Callable[[str], None]  # told each stage's name as it ends (bench/link_scale.py)


def link_ledger(store: Store, semantic: bool | None = None, method: str | None = None,
                pack: StoryPack | None = None, probe: Probe | None = None,
                full: bool = False) -> LinkSummary:
    """`semantic` (default: env CORROBORATE_SEMANTIC=1) matches propositions by MiniLM
    sentence embeddings instead of concept overlap; `method` (default: env
    CORROBORATE_LINKER, else `link/method.py`: the learned linker unless a story pack gives
    concept words) picks "rules", "semantic" or "learned" for the analyst propositions
    (discovered ones are always matched by the rules). `pack` (optional story knowledge,
    link/pack.py) is kept in the ledger; without one, the pack an earlier run stored is used,
    if any. `probe`, for measuring, is called with each stage's name as it ends. Incremental
    by default: the concept bags and stances kept by the last run under the same code, pack
    and method are reused where their inputs are unchanged (module docstring); `full`
    computes everything again and rewrites what is kept."""
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
    key = fingerprint(method, pack)
    rows = store.backend.query("SELECT value FROM meta WHERE key = 'link_fingerprint'")
    # Rows kept under another fingerprint can never match: a run that finds them rewrites
    # them all, as a full one does, so the tables never hold two generations of rows.
    incremental = not full and bool(rows) and rows[0][0] == key
    with concept_groups(pack), _vector_cache(store, method), Scratch() as scratch:
        summary = _link(store, links, scratch, method, pack, started,
                        probe or (lambda _: None), key, incremental)
    return replace(summary, method=method, note=note)


def _vector_cache(store: Store, method: str) -> AbstractContextManager[object]:
    """The ledger's embedding cache for the methods that embed with MiniLM (the rules do
    not; without the weights there is nothing to key it by). A cache the caller opened
    (`link.vectors.cached`, with its own encoder) is used as it is."""
    if method == "learned" and embed.available() and active_encoder() is None:
        return cached(store)
    return nullcontext()


def _source_names(sources: list[Source]) -> dict[str, frozenset[str]]:
    """Each source's name, body and country as stems (what a frame's actor is matched by)."""
    return {s.id: content_stems(" ".join(filter(None, (s.name, s.affiliation, s.country,
                                                       *s.aliases))))
            for s in sources}


def _link(store: Store, links: LinkStore, scratch: Scratch, method: str,
          pack: StoryPack | None, started: float, probe: Probe, key: str,
          incremental: bool) -> LinkSummary:
    cache = LinkCache(store.backend)
    kept = cache if incremental else None
    read = collect(store, scratch, pack, kept, key)
    probe("read")
    source_of, sources = read.resolver.resolve(read.edits)
    scratch.resolved(source_of)
    counts = scratch.source_counts()
    for source in sources:
        source.count = counts.get(source.id, 0)
    spoken_for = {s.speaks_for for s in sources if s.count and s.speaks_for}
    relayers = scratch.via_ids()
    sources = [s for s in sources if s.count or s.id in relayers or s.id in spoken_for]
    names = _source_names(sources)
    probe("sources")
    analyst = read.analyst
    weights = weights_from(scratch.df, scratch.count)
    stances = KeptStances(kept, key)

    def assigned(propositions: list[Proposition], page: list[Row]) -> list[Assignment]:
        stances.load([row.claim.statement_id for row in page])
        found = assign_prepared(propositions, [(row.claim, row.content, row.context)
                                               for row in page], weights, stance_of=stances)
        scratch.keep_stances(stances.new)
        return found

    if method == "rules":
        for page in scratch.pages("", names):
            scratch.put_links(assigned(analyst, page), 1)
    else:  # the learned and semantic linkers read every claim at once
        claims = [claim for claim, _, _ in scratch.prepared("", names)]
        assignments = assign(analyst, claims, idf=weights, method=method)
        scratch.put_links(apply_learned(store, analyst, claims, assignments, method), 1)  # `learn`
        del claims, assignments
    probe("assign")
    leader = Leader(weights)
    for page in scratch.pages("covered = 0"):
        scratch.place([(group, row.n) for row in page
                       if (group := leader.take(row.content, row.claim.source_id)) is not None])
    for page in scratch.pages("grp IS NOT NULL"):
        for row in page:
            assert row.group is not None
            leader.consider(row.group, row.claim, row.content)
    discovered = leader.propositions()
    for page in scratch.pages("covered = 0", names):
        scratch.put_links(assigned(discovered, page), 2)
    probe("discover")
    relay_edges = scratch.relays()

    def write() -> int:
        written = links.sync_links(sources, scratch.statement_rows(), discovered,
                                   scratch.link_rows(), relay_edges, read.generation)
        cache.put(*scratch.fresh(), clear=not incremental)
        store.backend.execute(_KEEP, ("link_fingerprint", key))
        return written

    written = store.write(write)
    probe("write")
    return LinkSummary(scratch.count, len(sources), len(analyst), len(discovered),
                       scratch.linked, len(relay_edges), time.perf_counter() - started,
                       written=written, incremental=incremental, bagged=scratch.bagged,
                       scored=stances.scored, reused=stances.reused)


_KEEP = ("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
         "DO UPDATE SET value = excluded.value")
