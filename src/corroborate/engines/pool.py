"""A local pool of worker processes that run `encode_document` (and pack sources as WARC
records), results in input order.

Why the workers do more than extract: `add --jobs N` has one writer, and whatever it does
itself caps the speed-up (Amdahl). So the workers hand back what the writer stores, ready:
statement rows already encoded (`statement_row`, JSON and all) and raw bytes already compressed
as the archive's WARC record (`archive.warc_record`); the writer appends and inserts.

Why processes: extraction is pure Python and holds the GIL, so threads would not add a core.
Why a bounded window: a reader can produce documents far faster than workers extract them, and
an unbounded queue would hold a whole corpus in memory; at most `window` documents are in
flight, the oldest is waited for first, so results come back in the order they went in and the
one writer commits in input order.

Workers start from a fork server that has the extraction modules loaded, not by forking the
caller: the caller holds a ledger connection and perhaps a progress-bar thread, which a plain
fork would copy mid-use.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from corroborate.archive import warc_record
from corroborate.engines.document import Encoded, encode_document
from corroborate.model import Document

T = TypeVar("T")
# Documents in flight per worker: enough that a worker never waits for the next one while the
# writer commits, few enough that memory stays at a few documents per core.
IN_FLIGHT_PER_JOB = 8


def default_jobs() -> int:
    """The cores this process may use (its affinity mask, not the machine's total)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _follow(parent: int) -> None:
    """In each worker: exit once the process that started the pool is gone. A SIGKILLed
    `add` cannot shut its pool down, and the workers' parent is the fork server, not `add`,
    so nothing else would tell them (they would linger, idle, for good)."""
    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)

    threading.Thread(target=watch, name="follow-parent", daemon=True).start()


@dataclass(frozen=True)
class ArchiveJob:
    """A source's raw bytes to pack as its WARC record (the arguments of `warc_record`)."""

    raw: bytes
    digest: str
    uri: str
    media_type: str


def _work(doc: Document | None, job: ArchiveJob | None) -> tuple[Encoded | None, bytes | None]:
    """In a worker: one document's rows and/or one source's packed record."""
    return (encode_document(doc) if doc is not None else None,
            warc_record(job.raw, job.digest, job.uri, job.media_type) if job else None)


class ExtractionPool:
    """`jobs` worker processes; use as a context manager so they are always shut down."""

    def __init__(self, jobs: int, window: int | None = None) -> None:
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        self.jobs = jobs
        self.window = window or jobs * IN_FLIGHT_PER_JOB
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["corroborate.engines.document", "corroborate.archive"])
        self._executor = ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                             initializer=_follow, initargs=(os.getpid(),))

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def extract_keyed(self, items: Iterable[tuple[T, Document | None]]
                      ) -> Iterator[tuple[T, Encoded | None]]:
        """Documents that travel with a key of the caller's (the key stays in this process;
        only the document crosses to a worker), encoded, in input order. A key with no
        document is passed through in its place in the order, with None for its rows."""
        for key, encoded, _ in self.run_keyed((key, doc, None) for key, doc in items):
            yield key, encoded

    def run_keyed(self, items: Iterable[tuple[T, Document | None, ArchiveJob | None]]
                  ) -> Iterator[tuple[T, Encoded | None, bytes | None]]:
        """`extract_keyed` where an item may also carry a source to pack as a WARC record:
        (key, rows or None, record or None) in input order."""
        flight: deque[tuple[T, Future[tuple[Encoded | None, bytes | None]]]] = deque()
        for key, doc, job in items:
            if doc is None and job is None:
                future: Future[tuple[Encoded | None, bytes | None]] = Future()
                future.set_result((None, None))
            else:
                future = self._executor.submit(_work, doc, job)
            flight.append((key, future))
            if len(flight) >= self.window:
                done_key, future = flight.popleft()
                yield done_key, *future.result()
        while flight:
            done_key, future = flight.popleft()
            yield done_key, *future.result()
