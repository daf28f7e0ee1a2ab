"""The library API the CLI (and later the web UI) is a thin layer over."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from corroborate.assess.model import build_model, entries
from corroborate.assess.proposition import Assessment, assess
from corroborate.browse import Browser
from corroborate.curate import Curator, default_author
from corroborate.engines.document import Encoded, encode_document, statements_of
from corroborate.engines.pool import ArchiveJob, ExtractionPool, default_jobs
from corroborate.errors import InputError, MetadataError, NotFound, StoreError, one_line
from corroborate.ingest.discover import Discovery, SourceFile, discover, read_regular
from corroborate.ingest.metadata import Layer, load_manifest, validate
from corroborate.ingest.pipeline import (
    DEFAULT_MAX_BYTES,
    MEDIA_TYPES,
    AddOptions,
    SourceResult,
    check_size,
    read_source,
    stream_source,
)
from corroborate.ingest.safety import display
from corroborate.ingest.streams import DEFAULT_MAX_EXPANDED
from corroborate.judgement import Judge
from corroborate.link.pack import StoryPack, load_pack
from corroborate.link.propositions import Proposition
from corroborate.link.resolve import SourceEdit
from corroborate.link.run import LinkSummary, link_ledger
from corroborate.model import Document, Statement
from corroborate.store import DocumentFilter, Store, WriteOutcome
from corroborate.store.backends import connect
from corroborate.store.ledger import SearchHit, SourceWrite
from corroborate.store.links import LinkStore
from corroborate.store.reads import ResolvedStatement
from corroborate.store.rows import StatementRow

DEFAULT_DB = "corroborate.db"
# A batch commits after this many files or seconds, whichever comes first (env overrides are
# for tests and benchmarks that want many small, contending batches).
BATCH_SECONDS = float(os.environ.get("CORROBORATE_BATCH_SECONDS", "0.5"))
BATCH_FILES = int(os.environ.get("CORROBORATE_BATCH_FILES", "500"))
# A file with more documents than this is stored in its own transaction, chunk by chunk, so
# memory does not grow with its rows (a 300,000-row JSONL.gz peaks at ~105 MB).
WRITE_CHUNK = 500
# Below this much input, `add` without --jobs stays in one process: starting workers (about a
# second of imports each) would cost more than they save.
POOL_MIN_BYTES = int(os.environ.get("CORROBORATE_POOL_MIN_BYTES", "2000000"))


@dataclass
class AddSummary:
    """What an `add` did; `failed` holds one line per problem, naming the file."""

    files: int = 0
    bytes: int = 0
    added: int = 0
    unchanged: int = 0
    new_versions: int = 0
    statements: int = 0
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict[str, Any]:
        return {"files": self.files, "bytes": self.bytes, "added": self.added,
                "unchanged": self.unchanged, "new_versions": self.new_versions,
                "statements": self.statements,
                "failed": len(self.failed), "failures": self.failed,
                "skipped": self.skipped, "seconds": round(self.seconds, 3)}


@dataclass(frozen=True)
class Progress:
    """Reported after each file so a front end can draw files, MB and rate."""

    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    path: Path


def default_archive_dir(location: str) -> Path:
    """The archive sits beside a SQLite ledger; for PostgreSQL, in the working folder."""
    if location.startswith(("postgresql://", "postgres://")):
        return Path("corroborate.archive")
    path = Path(location)
    return path.with_name(path.name.removesuffix(".db") + ".archive")


class Ledger:
    def __init__(self, store: Store) -> None:
        self.store = store

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- adding ---------------------------------------------------------------------------
    def add(self, paths: Sequence[str], options: AddOptions | None = None,
            manifest: str | None = None,
            on_progress: Callable[[Progress], None] | None = None,
            jobs: int | None = 1) -> AddSummary:
        """Ingest files, folders and globs; bad inputs are reported and the rest goes on.

        `jobs` > 1 extracts in that many worker processes (engines/pool.py) while this
        process reads and, as the one writer, commits in input order: the same ledger, the
        same statement ids and the same crash safety as one process. `jobs=None`: this
        machine's cores, once the input is big enough to repay starting them
        (POOL_MIN_BYTES)."""
        options = options or AddOptions()
        started = time.perf_counter()
        found = discover(paths)
        if jobs is None:
            jobs = default_jobs() if found.total_bytes >= POOL_MIN_BYTES else 1
        if jobs > 1 and options.extract:
            with ExtractionPool(jobs) as pool:
                return self._add(found, options, manifest, on_progress, pool, started)
        return self._add(found, options, manifest, on_progress, None, started)

    def _add(self, found: Discovery, options: AddOptions, manifest: str | None,
             on_progress: Callable[[Progress], None] | None,
             pool: ExtractionPool | None, started: float) -> AddSummary:
        summary = AddSummary(failed=[str(p) for p in found.problems],
                             skipped=[f"{display(p)}: {why}" for p, why in found.skipped])
        layers: dict[Path, Layer] = {}
        for manifest_path in [*found.manifests, *([Path(manifest)] if manifest else [])]:
            try:
                layers.update(load_manifest(manifest_path))
            except MetadataError as exc:
                summary.failed.append(str(exc))
        pending: list[SourceWrite] = []
        batch_started = time.monotonic()
        prepared = self._read_all(found.files, found.total_bytes, options, layers, summary,
                                  on_progress, extract=pool is None)
        for item in prepared if pool is None else _extracted_in_order(prepared, pool, summary):
            if isinstance(item, _LargeSource):
                self._store_batch(pending, summary)
                pending, batch_started = [], time.monotonic()
                self._store_large(item, options, layers, summary, pool)
            else:
                pending.append(item)
            if len(pending) >= BATCH_FILES or (
                    pending and time.monotonic() - batch_started > BATCH_SECONDS):
                self._store_batch(pending, summary)
                pending, batch_started = [], time.monotonic()
        self._store_batch(pending, summary)
        summary.files = len(found.files)
        summary.bytes = sum(source.size for source in found.files)
        summary.seconds = time.perf_counter() - started
        return summary

    def _read_all(self, files: Sequence[SourceFile], total: int, options: AddOptions,
                  manifest: dict[Path, Layer], summary: AddSummary,
                  on_progress: Callable[[Progress], None] | None, extract: bool
                  ) -> Iterator[SourceWrite | _LargeSource]:
        """`_prepare` each file in turn, lazily, so a pool extracts one file while the next
        is read; progress is reported as each file is read."""
        done = 0
        for index, source in enumerate(files, start=1):
            within = _within_file(on_progress, index, len(files), done, total, source)
            prepared = self._prepare(source, options, manifest, summary, within, extract)
            if prepared is not None:
                yield prepared
            done += source.size
            if on_progress:
                on_progress(Progress(index, len(files), done, total, source.path))

    def _prepare(self, source: SourceFile, options: AddOptions, manifest: dict[Path, Layer],
                 summary: AddSummary, on_extract: Callable[[int, int], None] | None = None,
                 extract: bool = True) -> SourceWrite | _LargeSource | None:
        """Read, parse and extract one file outside any transaction (the slow part), so a
        batch holds the write lock only for its inserts and other writers are not kept
        waiting. `on_extract` follows the extraction of a file that is one document.

        Whatever goes wrong with the file is one line in `failed` and the batch goes on; a
        file of more than `WRITE_CHUNK` documents comes back as `_LargeSource`, to be stored
        in chunks by `_store_large`. With `extract=False` the statements are left to a pool
        (`statements` stays None even though `options.extract` asks for them).
        """
        where = display(source.path)
        try:
            check_size(source.path, source.size, options)
            raw = read_regular(source.path, options.max_bytes)
            known = self.store.documents_of_blob(hashlib.sha256(raw).hexdigest())
            if known:
                summary.unchanged += known
                return None
            result, documents = stream_source(source.path, raw, options, manifest)
            first = list(itertools.islice(documents, WRITE_CHUNK + 1))
        except InputError as exc:
            summary.failed.append(str(exc))
            return None
        except OSError as exc:
            summary.failed.append(f"{where}: cannot read ({exc.strerror or exc})")
            return None
        except Exception as exc:  # a reader bug must cost this file, never the batch
            summary.failed.append(f"{where}: unreadable ({type(exc).__name__}: "
                                  f"{one_line(exc, 160)})")
            return None
        if len(first) > WRITE_CHUNK:
            return _LargeSource(source, raw, (result, first, documents))
        summary.failed.extend(str(e) for e in result.errors)
        summary.unchanged += result.duplicates
        if not first:
            if not result.errors:
                summary.failed.append(f"{where}: no documents found (no HTML or text records)")
            return None
        within = on_extract if len(first) == 1 else None
        statements = {doc.id: _rows(doc, summary, within) for doc in first} \
            if options.extract and extract else None
        return SourceWrite(raw, result.digest, where, result.format, result.uri,
                           MEDIA_TYPES.get(result.format, "application/octet-stream"),
                           tuple(first), statements)

    def _store_large(self, large: _LargeSource, options: AddOptions,
                     manifest: dict[Path, Layer], summary: AddSummary,
                     pool: ExtractionPool | None = None) -> None:
        """One transaction for a file of many documents, stored 500 at a time inside it (the
        work is re-run whole, reading the bytes again, if another writer is in the way). With
        a pool, the documents not yet stored are extracted there, ahead of the writes, and
        written a window at a time: the writer stores each few results as they come, so the
        workers are never left idle while it writes a long chunk."""
        where = display(large.source.path)

        def work() -> tuple[AddSummary, SourceResult]:
            done = AddSummary()
            if large.started is not None:  # the first attempt goes on from `_prepare`'s read
                result, first, rest = large.started
                large.started = None
                documents: Iterator[Document] = itertools.chain(first, rest)
            else:
                result, documents = stream_source(large.source.path, large.raw, options,
                                                  manifest)
            media = MEDIA_TYPES.get(result.format, "application/octet-stream")
            ahead: Iterator[tuple[Document, Encoded | None]] = (
                (doc, None) for doc in documents)
            record = None
            if pool is not None:
                # The archive's record is packed by a worker first, beside the extraction.
                job = ArchiveJob(large.raw, result.digest, result.uri, media)
                ran = pool.run_keyed(itertools.chain(
                    [(None, None, job)],
                    ((doc, None if self.store.has_document(doc.id) else doc, None)
                     for doc in documents)))
                record = next(ran)[2]
                ahead = ((doc, encoded) for doc, encoded, _ in ran if doc is not None)
            step = WRITE_CHUNK if pool is None else pool.window
            while chunk := list(itertools.islice(ahead, step)):
                docs = [doc for doc, _ in chunk]
                outcomes = self.store.write_source(large.raw, result.digest, where,
                                                   result.format, result.uri, media, docs,
                                                   record)
                for (doc, encoded), outcome in zip(chunk, outcomes, strict=True):
                    if outcome is not WriteOutcome.UNCHANGED and options.extract:
                        done.statements += self.store.write_statement_rows(
                            doc.id, _rows(doc, done, encoded=encoded), fresh=True)
                    _count(done, outcome)
            return done, result

        try:
            done, result = self.store.write(work)
        except InputError as exc:
            summary.failed.append(str(exc))
            return
        except StoreError:
            raise
        except Exception as exc:  # as in _prepare: this file's line, not the batch's end
            summary.failed.append(f"{where}: unreadable ({type(exc).__name__}: "
                                  f"{one_line(exc, 160)})")
            return
        summary.added += done.added
        summary.new_versions += done.new_versions
        summary.unchanged += done.unchanged + result.duplicates
        summary.statements += done.statements
        summary.failed.extend([*done.failed, *(str(e) for e in result.errors)])

    def _store_batch(self, pending: Sequence[SourceWrite], summary: AddSummary) -> None:
        """One transaction for the batch, run again whole if another writer is in the way;
        the summary counts what the committed attempt did."""
        if not pending:
            return
        for outcomes in self.store.write_sources(pending):
            for outcome, statements in outcomes:
                summary.statements += statements
                _count(summary, outcome)

    # -- reading --------------------------------------------------------------------------
    def documents(self, where: DocumentFilter | None = None,
                  with_text: bool = False) -> Iterator[Document]:
        return self.store.documents(where, with_text=with_text)

    def get(self, ref: str) -> Document:
        return self.store.get(ref)

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        return self.store.search(query, limit)

    def statements(self, doc_id: str | None = None, source: str | None = None,
                   stance: str | None = None) -> Iterator[Statement]:
        return self.store.statements(doc_id, source, stance)

    def reextract(self) -> int:
        """Run the current extractor over every stored document, replacing its statements."""
        total = 0
        with self.store.batch():
            for doc in self.store.documents(with_text=True):
                total += self.store.write_statements(doc.id, statements_of(doc))
        return total

    @property
    def browse(self) -> Browser:
        """Paged reads for the workbench (browse.py): nothing links, nothing loads it all."""
        return Browser(self.store)

    # -- linking and assessment -----------------------------------------------------------
    @property
    def links(self) -> LinkStore:
        return LinkStore(self.store.backend)

    def link(self, force: bool = False, method: str | None = None,
             pack: str | Path | StoryPack | None = None, full: bool = False
             ) -> LinkSummary | None:
        """Resolve sources, assign statements to propositions, draw relays (if anything
        changed since the last run, or when forced, or when a story pack is given). Safe to run
        any number of times and beside a running `add`: links are computed from one snapshot
        and replace the old ones in one transaction. `method`: see `link_ledger`. `pack`: a
        story pack (path or loaded `StoryPack`, link/pack.py), kept in the ledger for later
        runs; optional. Incremental unless `full` (which implies `force`): what the last run
        kept is reused where its inputs are unchanged, with the same links as a full run."""
        if pack is not None and not isinstance(pack, StoryPack):
            pack = load_pack(pack)
        if not force and not full and pack is None and not self.links.is_stale():
            return None
        return link_ledger(self.store, method=method, pack=pack, full=full)

    @property
    def curate(self) -> Curator:
        """Analyst corrections: audited, undoable, kept across relinking and re-extraction."""
        return Curator(self.store)

    def propose(self, propositions: Sequence[Proposition]) -> list[str]:
        return self.store.write(lambda: self.links.add_propositions(propositions))

    def propose_text(self, statement: str) -> str:
        existing = {p.id for p in self.links.propositions(include_retired=True)}
        n = 1
        while f"P{n}" in existing:
            n += 1
        return self.propose([Proposition(f"P{n}", statement.strip())])[0]

    @property
    def judge(self) -> Judge:
        """Source grades, statement credibility, competing hypotheses (judgement.py)."""
        return Judge(self)

    def edit_source(self, edit: SourceEdit, author: str | None = None) -> None:
        """A source edit, recorded as an analyst correction (see `curate`)."""
        self.curate.source_edit(edit, default_author(author))

    def assessment(self, proposition_id: str) -> Assessment:
        """Link if stale, then read the proposition's statements in one snapshot."""
        self.link()
        with self.store.snapshot():
            if proposition_id not in {p.id for p in self.links.propositions()}:
                raise NotFound(f"proposition {proposition_id!r}: no such proposition "
                               "(see `corroborate propositions`)")
            return assess(entries(self.store, proposition_id),
                          self.judge.judgements.credibility(proposition_id))

    def report_model(self, title: str = "corroborate report",
                     propositions: list[str] | None = None) -> dict[str, Any]:
        """Link if stale, then build the whole model from one snapshot (a concurrent `add`
        shows up in the next report, never half in this one)."""
        self.link()
        with self.store.snapshot():
            return build_model(self.store, title, propositions)

    def resolved_statements(self, doc_id: str | None = None, source: str | None = None,
                            stance: str | None = None, link: bool = True
                            ) -> list[ResolvedStatement]:
        """Each statement with its document, resolved source id and name, and propositions
        (see `Store.resolved_statements`); links first when stale unless `link=False`."""
        if link:
            self.link()
        return self.store.resolved_statements(doc_id, source, stance)

    def summary(self) -> dict[str, Any]:
        return self.store.counts()

    def verify(self) -> Iterator[tuple[Document, str | None]]:
        """Re-derive every document from its archived bytes; yield (doc, problem or None).

        Documents are grouped by the archived file they came from, and each file is read once:
        re-parsing a 2,000-row CSV once per row made verify quadratic (215 s against 1.75 s
        to add it).
        """
        by_blob: dict[str, list[str]] = {}
        for doc in self.store.documents():
            by_blob.setdefault(doc.raw_ref.removeprefix("sha256:").split("#")[0], []).append(
                doc.id)
        for ids in by_blob.values():
            stored = [self.store.get(doc_id) for doc_id in ids]
            texts, problem = self._rederive(stored[0])
            for doc in stored:
                if problem is not None:
                    yield doc, problem
                elif doc.id not in texts:
                    yield doc, "re-derived bytes hold no document with this id"
                else:
                    yield doc, None if texts[doc.id] == doc.text else "re-derived text differs"

    def _rederive(self, doc: Document) -> tuple[dict[str, str], str | None]:
        """The texts, by document id, that the archived bytes behind `doc` read as today."""
        try:
            raw = self.store.raw_bytes(doc)
        except Exception as exc:
            return {}, one_line(exc)
        path = Path(doc.source_path or "source")
        limits = AddOptions(max_bytes=max(len(raw) + 1, DEFAULT_MAX_BYTES),
                            max_expanded=max(len(raw) + 1, DEFAULT_MAX_EXPANDED))
        try:
            result = read_source(path, raw, limits, sidecars=False)
        except InputError as exc:
            return {}, f"cannot re-derive: {exc.problem}"
        except Exception as exc:
            return {}, f"cannot re-derive: {type(exc).__name__}: {one_line(exc, 120)}"
        return {again.id: again.text for again in result.documents}, None


@dataclass
class _LargeSource:
    """A file with more documents than one batch should hold in memory. `started`: what
    `_prepare` read of it (the stream's result, the documents read, the rest of the stream),
    so the first attempt to store it does not parse those documents twice."""

    source: SourceFile
    raw: bytes
    started: tuple[SourceResult, list[Document], Iterator[Document]] | None = None


def _count(summary: AddSummary, outcome: WriteOutcome) -> None:
    if outcome is WriteOutcome.ADDED:
        summary.added += 1
    elif outcome is WriteOutcome.NEW_VERSION:
        summary.new_versions += 1
    else:
        summary.unchanged += 1


def _rows(doc: Document, summary: AddSummary,
          on_progress: Callable[[int, int], None] | None = None,
          encoded: Encoded | None = None) -> list[StatementRow]:
    """`encode_document` (or its result from a pool), with a failure costing this document's
    statements (the document is kept, and the summary says why it has none), never the batch."""
    if encoded is None:
        encoded = encode_document(doc, on_progress)
    if encoded.failure:
        summary.failed.append(encoded.failure)
    return encoded.rows


def _extracted_in_order(prepared: Iterator[SourceWrite | _LargeSource], pool: ExtractionPool,
                        summary: AddSummary) -> Iterator[SourceWrite | _LargeSource]:
    """Each prepared file with its statements filled in by the pool and its bytes packed as
    the archive's record there (with its last document), in input order; a file too large
    for one batch passes through in its place, to be extracted as it is stored."""
    Key = tuple[SourceWrite | _LargeSource, int]

    def documents() -> Iterator[tuple[Key, Document | None, ArchiveJob | None]]:
        for item in prepared:
            if isinstance(item, _LargeSource):
                yield (item, 0), None, None
                continue
            last = len(item.documents) - 1
            for n, doc in enumerate(item.documents):
                yield (item, n), doc, None if n < last else ArchiveJob(
                    item.raw, item.digest, item.uri, item.media_type)

    statements: dict[str, Sequence[StatementRow]] = {}
    for (item, n), encoded, record in pool.run_keyed(documents()):
        if isinstance(item, _LargeSource):
            yield item
            continue
        doc = item.documents[n]
        statements[doc.id] = _rows(doc, summary, encoded=encoded)
        if n == len(item.documents) - 1:
            yield replace(item, statements=statements, record=record)
            statements = {}


def _within_file(on_progress: Callable[[Progress], None] | None, index: int, files: int,
                 done: int, total: int, source: SourceFile) -> Callable[[int, int], None] | None:
    """Report extraction inside one file as the share of its bytes done, so `add` of one
    multi-megabyte document shows progress instead of a bar stuck at zero."""
    if on_progress is None:
        return None

    def report(chars_done: int, chars_total: int) -> None:
        share = chars_done / chars_total if chars_total else 1.0
        on_progress(Progress(index - 1, files, done + int(source.size * share), total,
                             source.path))
    return report


def flag_metadata(values: dict[str, Any]) -> dict[str, Any]:
    """Validate metadata given on the command line, like any person-written layer."""
    return validate({k: v for k, v in values.items() if v not in (None, False)}, "command line")


def load_propositions(path: str | Path) -> list[Proposition]:
    """Analyst propositions from `{"propositions": [{"id": "P1", "statement": "..."}]}`.

    Raises `InputError` naming the file, the item and the field, because a hand-written file
    is where typos happen and "list indices must be integers" helps nobody.
    """
    where = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(where, f"cannot read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise InputError(where, "not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise InputError(where, f"not JSON (line {exc.lineno}, column {exc.colno}: "
                                f"{exc.msg})") from exc
    expected = 'expected {"propositions": [{"id": "P1", "statement": "..."}]}'
    if not isinstance(data, dict) or not isinstance(data.get("propositions"), list):
        raise InputError(where, f"no \"propositions\" list; {expected}")
    found: list[Proposition] = []
    for n, item in enumerate(data["propositions"]):
        at = f"{where}: propositions[{n}]"
        if not isinstance(item, dict):
            raise InputError(at, f"is {type(item).__name__}, expected an object "
                                 '{"id": "P1", "statement": "..."}')
        for key in ("id", "statement"):
            value = item.get(key)
            if not isinstance(value, str | int) or isinstance(value, bool) \
                    or not str(value).strip():
                raise InputError(at, f'"{key}" must be a non-empty string'
                                     + ("" if key in item else f" (missing; {expected})"))
        pid = str(item["id"]).strip()
        if any(p.id == pid for p in found):
            raise InputError(at, f'duplicate id "{pid}"')
        found.append(Proposition(pid, str(item["statement"]).strip()))
    if not found:
        raise InputError(where, f"the propositions list is empty; {expected}")
    return found


def open_ledger(location: str | None = None, archive: str | Path | None = None,
                create: bool = True) -> Ledger:
    """Open (and migrate) a ledger: a SQLite path or a postgresql:// URL.

    With `create=False` the ledger must already exist: read commands pass it so that a
    mistyped path raises `NotFound` instead of silently creating (and showing) an empty ledger.
    """
    location = location or os.environ.get("CORROBORATE_DB") or DEFAULT_DB
    archive_dir = Path(archive or os.environ.get("CORROBORATE_ARCHIVE")
                       or default_archive_dir(location))
    if archive_dir.exists() and not archive_dir.is_dir():
        raise StoreError(f"{archive_dir}: not a folder (the archive of raw bytes is a folder)")
    if not create:
        _require_ledger(location)
    return Ledger(Store.open(location, archive_dir))


def _require_ledger(location: str) -> None:
    """Raise `NotFound` unless `location` holds a corroborate ledger (checked without writing)."""
    missing = NotFound(f"no ledger at {location} (run `corroborate add` first, or pass --db)")
    if not location.startswith(("postgresql://", "postgres://")):
        path = Path(location)
        if path.is_dir():
            raise NotFound(f"{location}: is a folder, not a ledger file")
        if not path.is_file() or path.stat().st_size == 0:
            raise missing
    backend = connect(location)
    try:
        backend.query("SELECT COUNT(*) FROM schema_migrations")
    except Exception as exc:
        raise NotFound(f"{location}: not a corroborate ledger") from exc
    finally:
        backend.close()
