"""The read side of the workbench: one page at a time of what the ledger holds.

`Ledger.browse` returns a `Browser`. Every list is a `Page` (items, total, limit, offset), so no
front end ever loads all statements; a proposition's assessment (reversals, contradictions,
corroboration) needs all its linked statements and is cached by the state of the links, so it
is computed once per `link` run or correction of what it reads, not once per request; a
filter's count and a search's ranking are cached per version of the ledger, so paging does not
redo them (see `Memo`). Nothing here links or writes: a page shows what was linked last, and
says when that is stale.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from corroborate.assess.entry import Entry
from corroborate.assess.model import entries, proposition_model
from corroborate.assess.proposition import Assessment, assess
from corroborate.errors import InputError, NotFound
from corroborate.link.propositions import Proposition
from corroborate.model import DOCUMENT_KINDS, Document
from corroborate.store import Store
from corroborate.store.links import LinkStore
from corroborate.store.pages import COUNT_CAP, MAX_LIMIT, STANCES, PageReader, StatementFilter
from corroborate.store.query import parse_query

__all__ = ["MAX_LIMIT", "Browser", "Page", "StatementFilter", "search_terms"]

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
    exact: bool = True  # False: `total` is a lower bound ("more than")

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None

    @property
    def previous_offset(self) -> int | None:
        return max(0, self.offset - self.limit) if self.offset > 0 else None

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "total": self.total, "total_exact": self.exact,
                "limit": self.limit, "offset": self.offset, "next_offset": self.next_offset}


def check_page(limit: int, offset: int) -> None:
    """Paging bounds, checked once for every list (a client asking for a million rows gets
    a clear error naming the field, not a slow page)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError("limit", f"must be between 1 and {MAX_LIMIT} (got {limit})")
    if offset < 0:
        raise InputError("offset", f"must be 0 or more (got {offset})")


def check_filter(f: StatementFilter) -> None:
    if f.stance and f.stance not in STANCES:
        raise InputError("stance", f"must be one of {', '.join(STANCES)} (got {f.stance!r})")
    if f.kind and f.kind not in DOCUMENT_KINDS:
        raise InputError("kind", f"must be one of {', '.join(DOCUMENT_KINDS)} "
                                 f"(got {f.kind!r})")
    for name in ("since", "until"):
        value = getattr(f, name)
        if value and not _is_day(value):
            raise InputError(name, f"must be a date YYYY-MM-DD (got {value!r})")


def _is_day(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _ends_with(value: str) -> str:
    """A LIKE pattern matching text that ends with `value` literally."""
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_terms(query: str) -> tuple[str, ...]:
    """The words and phrases a statement must hold to match a search (see `search`)."""
    return tuple(group[0] for group in parse_query(query).groups)


class Memo:
    """A small LRU map shared by the threads of one server (each holds its own connection):
    what is computed once per state of the ledger is kept under a key holding that state, so
    nothing is ever invalidated by hand; an old state's entries just age out."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, ...], Any] = OrderedDict()
        self._flights: dict[tuple[str, ...], threading.Event] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...]) -> Any:
        """The value kept under `key`, or None."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key: tuple[str, ...], value: Any) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def once(self, key: tuple[str, ...], compute: Callable[[], T]) -> T:
        """The value under `key`, computed by one thread while the others asking for it wait.
        Why: after a correction, eight analysts on one 30,000-link proposition would
        otherwise each assess it (seconds each, all on one GIL) and every one would wait
        for all eight."""
        while True:
            with self._lock:
                if key in self._items:
                    self._items.move_to_end(key)
                    return self._items[key]  # type: ignore[no-any-return]
                flight = self._flights.get(key)
                if flight is None:
                    flight = self._flights[key] = threading.Event()
                    break
            flight.wait()  # the value is there now, or that computation failed: ask again
        try:
            value = compute()
            self.put(key, value)
            return value
        finally:
            with self._lock:
                self._flights.pop(key, None)
            flight.set()


# Assessments (and other reads of all of a proposition's links) by (ledger location,
# proposition, links fingerprint): few, large, seconds each on a 40,000-link proposition.
_assessments = Memo(64)
# Counts of a statement filter by (location, ledger version, filter): many, tiny.
_counts = Memo(4096)
# A search's ranked documents (with their text) by (location, version, query, limit).
_searches = Memo(64)
# A proposition's entries as last read, by (location, proposition): what lets the assessment
# after a link correction re-read only the links that changed (`Browser.linked_entries`).
_linked = Memo(16)


@dataclass(frozen=True)
class _Linked:
    """A proposition's entries, the (stance, score) of each link they were read with, and the
    mark of everything else a timeline row is read from (`Browser.rows_mark`)."""

    mark: str
    links: dict[str, tuple[str, float]]
    entries: dict[str, Entry]


class Browser:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.pages = PageReader(store.backend)
        self.links = LinkStore(store.backend)
        self._corrections_table = False

    # -- state ----------------------------------------------------------------------------
    def fingerprint(self) -> str:
        """What the links were computed from and when, plus the corrections made since: the
        key under which an assessment stays valid (an `add` alone does not change links)."""
        return self._marks()[0]

    def version(self) -> str:
        """The fingerprint plus the ledger's change counter (`generation`, which every `add`
        batch and every statement correction moves): the key under which a count of
        statements or documents stays valid. Any writer moves it, whichever process."""
        return self._marks()[1]

    def _marks(self) -> tuple[str, str]:
        """(fingerprint, version) from one query: a page asks for them several times, and a
        round trip per cache lookup would cost more than some of the lookups save."""
        db = self.store.backend
        corrections = ", (SELECT MAX(id) FROM corrections)" if self._has_corrections() else ""
        row = db.query("SELECT (SELECT value FROM meta WHERE key = 'linked'), "
                       "(SELECT value FROM meta WHERE key = 'linked_at'), "
                       "(SELECT value FROM meta WHERE key = 'generation')"
                       + corrections)[0]
        mark = str(row[3]) if corrections else ""
        links = f"{row[0]}|{row[1]}|{mark}"
        return links, f"{links}|{row[2]}"

    def _has_corrections(self) -> bool:
        """Whether the ledger keeps corrections (a correction can change links without a
        `link` run). Looked up in the catalogue, since a failed query would end a PostgreSQL
        snapshot; once there the table stays, so only the answer yes is kept."""
        if self._corrections_table:
            return True
        db = self.store.backend
        self._corrections_table = bool(
            db.query("SELECT 1 FROM sqlite_master WHERE name = 'corrections'")
            if db.dialect == "sqlite"
            else db.query("SELECT to_regclass('corrections')")[0][0] is not None)
        return self._corrections_table

    def stale(self) -> bool:
        return self.links.is_stale()

    def counts(self) -> dict[str, Any]:
        return self.store.counts()

    # -- propositions ---------------------------------------------------------------------
    def propositions(self, limit: int = 50, offset: int = 0, origin: str | None = None
                     ) -> Page[dict[str, Any]]:
        check_page(limit, offset)

        def read() -> tuple[list[dict[str, Any]], int]:
            with self.store.snapshot():
                return self.pages.propositions(limit, offset, origin)

        key = (self.store.backend.location, "propositions", self.fingerprint(), str(limit),
               str(offset), str(origin))
        items, total = self._memo(key, read)
        return Page(items, total, limit, offset)

    def proposition(self, proposition_id: str) -> dict[str, Any]:
        found = self.pages.proposition(proposition_id)
        if found is None:
            raise NotFound(f"proposition {proposition_id!r}: no such proposition")
        return found

    def _memo(self, key: tuple[str, ...], compute: Callable[[], T]) -> T:
        """`compute()` once per key (which includes the links fingerprint): counts and
        assessments change only when the links do, not with every `add`."""
        return _assessments.once(key, compute)

    def state_key(self, proposition_id: str) -> tuple[str, str, str]:
        """What a proposition's assessment (and anything drawn from it) is valid for: the
        links' run, and the newest correction that can change *this* proposition's links or
        what its statements say (statements, sources, propositions, its own links). Why not
        the newest correction of all: flipping a link of P1 (or grading an ACH cell) must not
        make the next view of a 40,000-link P5 recompute it for seconds. With implications or
        merges in force one link correction changes other propositions' links too, so then
        every link correction counts."""
        db = self.store.backend
        meta = dict(db.query("SELECT key, value FROM meta WHERE key IN ('linked', 'linked_at')"))
        mark = ""
        if self._has_corrections():
            if db.query("SELECT 1 FROM corrections WHERE target_kind = 'proposition' AND op IN "
                        "('proposition.imply', 'proposition.merge') AND undone_by IS NULL "
                        "AND op <> 'undo' LIMIT 1"):
                mark = str(db.query("SELECT MAX(id) FROM corrections WHERE target_kind IN "
                                    "('link', 'statement', 'source', 'proposition')")[0][0])
            else:
                mark = str(db.query(
                    "SELECT MAX(id) FROM corrections WHERE target_kind IN ('statement', "
                    "'source', 'proposition') OR (target_kind = 'link' AND target LIKE ? "
                    "ESCAPE '\\')", (_ends_with("|" + proposition_id),))[0][0])
        return (db.location, proposition_id,
                f"{meta.get('linked')}|{meta.get('linked_at')}|{mark}")

    def rows_mark(self) -> str:
        """What a statement's timeline row is read from apart from its link: the links' run
        (sources, relays) and the newest correction of statements, sources or propositions.
        While it stands, a statement whose link kept its stance and score reads the same."""
        db = self.store.backend
        meta = dict(db.query("SELECT key, value FROM meta WHERE key IN ('linked', 'linked_at')"))
        mark = ""
        if self._has_corrections():
            mark = str(db.query("SELECT MAX(id) FROM corrections WHERE target_kind IN "
                                "('statement', 'source', 'proposition')")[0][0])
        return f"{meta.get('linked')}|{meta.get('linked_at')}|{mark}"

    def linked_entries(self, proposition_id: str) -> list[Entry]:
        """The proposition's entries, as `assess.model.entries` reads them. Why not always
        read them all: after a link correction only that link changed, and reading 30,000
        rows with their statements, documents and sources is most of the time the next
        view takes. So the (stance, score) of every link is compared with the last read (one
        narrow indexed query) and only the links that differ are read again, while nothing
        else a row is read from (`rows_mark`) has moved. Call it inside a snapshot."""
        key = (self.store.backend.location, proposition_id)
        mark = self.rows_mark()
        links = self.links.link_states(proposition_id)
        last: _Linked | None = _linked.get(key)
        if last is None or last.mark != mark:
            read = {e.statement_id: e for e in entries(self.store, proposition_id)}
        else:
            changed = [sid for sid, state in links.items() if last.links.get(sid) != state]
            fresh = {e.statement_id: e for e in entries(self.store, proposition_id, changed)} \
                if changed else {}
            moved = set(changed)
            read = {}
            for sid in links:
                found = fresh.get(sid) if sid in moved else last.entries.get(sid)
                if found is not None:  # (a row whose statement is gone is not read at all)
                    read[sid] = found
        _linked.put(key, _Linked(mark, links, read))
        return list(read.values())

    def _cached(self, proposition_id: str) -> dict[str, Any]:
        """The proposition's assessment and model, computed once per state of the links."""
        p = self.proposition(proposition_id)

        def compute() -> dict[str, Any]:
            with self.store.snapshot():
                found = assess(self.linked_entries(proposition_id))
            model = proposition_model(Proposition(p["id"], p["statement"], p["origin"]),
                                      found)
            model["created"] = p["created"]
            model["counts"] = dict.fromkeys(STANCES, 0)
            for entry in found.timeline:
                model["counts"][entry.stance] = model["counts"].get(entry.stance, 0) + 1
            return {"assessment": found, "model": model}

        return self._memo(self.state_key(proposition_id), compute)

    def assessment(self, proposition_id: str) -> Assessment:
        """The proposition's assessment from the last links, cached until they change."""
        found: Assessment = self._cached(proposition_id)["assessment"]
        return found

    def proposition_model(self, proposition_id: str) -> dict[str, Any]:
        """The report's model of one proposition (timeline chart data, sources, reversals,
        contradictions, evidence, corroboration, counts by stance), without document
        context. Shared by every caller until the links change: do not modify it."""
        model: dict[str, Any] = self._cached(proposition_id)["model"]
        return model

    def proposition_sources(self, proposition_id: str) -> list[dict[str, Any]]:
        """The sources speaking to a proposition, most statements first (a filter's choices)."""
        return self._memo((*self.state_key(proposition_id), "sources"),
                          lambda: self.pages.proposition_sources(proposition_id))

    # -- statements -----------------------------------------------------------------------
    def statements(self, where: StatementFilter | None = None, limit: int = 50,
                   offset: int = 0) -> Page[dict[str, Any]]:
        where = where or StatementFilter()
        check_page(limit, offset)
        check_filter(where)
        # The count of a filter, kept per state of the ledger: paging through a filter (or
        # eight analysts on one proposition) does not count its matches again per page. A
        # capped count ("more than N") is reused only while it reaches past this page.
        key = (self.store.backend.location, "statements", self.version(), repr(where))
        known = _counts.get(key)
        if known is not None and not known[1] and known[0] < offset + limit + COUNT_CAP:
            known = None  # a capped count that stops short of this page: count again
        elif known is None:
            first: dict[str, Any] = {}

            def count() -> tuple[int, bool]:
                with self.store.snapshot():
                    items, total, exact = self.pages.statements(where, limit, offset)
                first["items"] = items
                return total, exact

            known = _counts.once(key, count)
            if "items" in first:  # this thread counted, and read the page with it
                return Page(first["items"], known[0], limit, offset, known[1])
        with self.store.snapshot():
            items, total, exact = self.pages.statements(where, limit, offset, known)
        if known is None:
            _counts.put(key, (total, exact))
        return Page(items, total, limit, offset, exact)

    def statement(self, statement_id: str) -> dict[str, Any]:
        found = self.pages.statement(statement_id)
        if found is None:
            raise NotFound(f"statement {statement_id!r}: no such statement")
        return found

    # -- sources --------------------------------------------------------------------------
    def sources(self, limit: int = 50, offset: int = 0, text: str | None = None,
                type_: str | None = None) -> Page[dict[str, Any]]:
        check_page(limit, offset)
        with self.store.snapshot():
            items, total = self.pages.sources(limit, offset, text, type_)
        return Page(items, total, limit, offset)

    def source(self, source_id: str, limit: int = 50, offset: int = 0) -> dict[str, Any]:
        """A source with one page of its positions, its mentions and its relay partners
        (all drawn from the links, so read once per state of them)."""
        check_page(limit, offset)

        def read() -> dict[str, Any]:
            with self.store.snapshot():
                found = self.pages.source(source_id)
                if found is None:
                    raise NotFound(f"source {source_id!r}: no such source (sources are made "
                                   "by `corroborate link`)")
                found["all_positions"] = self.pages.source_positions(source_id)
                found["mentions"] = self.pages.source_mentions(source_id)
                found["relayed_by"] = self.pages.relayers(source_id)
                found["relays"] = self.pages.relayed(source_id)
            return found

        whole = self._memo((self.store.backend.location, "source", source_id,
                            self.fingerprint()), read)
        shown = [dict(p) for p in whole["all_positions"][offset:offset + limit]]
        texts = self.pages.contents([p["statement_id"] for p in shown])
        for p in shown:
            p["content"] = texts.get(p["statement_id"], "")
        positions = Page(shown, len(whole["all_positions"]), limit, offset).to_dict()
        return {**{k: v for k, v in whole.items() if k != "all_positions"},
                "positions": positions}

    # -- documents ------------------------------------------------------------------------
    def documents(self, limit: int = 50, offset: int = 0, kind: str | None = None,
                  text: str | None = None) -> Page[dict[str, Any]]:
        check_page(limit, offset)
        if kind and kind not in DOCUMENT_KINDS:
            raise InputError("kind", f"must be one of {', '.join(DOCUMENT_KINDS)} "
                                     f"(got {kind!r})")
        with self.store.snapshot():
            items, total = self.pages.documents(limit, offset, kind, text)
        return Page(items, total, limit, offset)

    def document(self, ref: str) -> tuple[Document, list[dict[str, Any]],
                                         list[dict[str, Any]]]:
        """A document (its archived text), its statements with spans, and its versions."""
        with self.store.snapshot():
            doc = self.store.get(ref)
            return doc, self.pages.document_statements(doc.id), self.pages.versions(doc.uri)

    # -- search ---------------------------------------------------------------------------
    def search(self, query: str, limit: int = 20, offset: int = 0
               ) -> tuple[list[Any], Page[dict[str, Any]]]:
        """Documents from the full-text index (best first, with highlighted snippets) and
        one page of statements whose content or source text holds each word or phrase of
        the query (of an `a OR b` group, the first; excluded words are not applied)."""
        check_page(limit, offset)
        parsed = parse_query(query)
        # The documents' ranking (every match scored) is the same for each page of the
        # statements below it: ranked once per query and version of the ledger.
        key = (self.store.backend.location, "search", self.version(), query, str(limit))
        hits = _searches.get(key)
        if hits is None:
            hits = self.store.search(parsed, limit)
            _searches.put(key, hits)
        return hits, self.statements(StatementFilter(terms=search_terms(query)), limit, offset)
