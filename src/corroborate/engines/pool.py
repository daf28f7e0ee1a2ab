"""A local pool of worker processes that run `encode_document`, results in input order.

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
from typing import TypeVar

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


class ExtractionPool:
    """`jobs` worker processes; use as a context manager so they are always shut down."""

    def __init__(self, jobs: int, window: int | None = None) -> None:
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        self.jobs = jobs
        self.window = window or jobs * IN_FLIGHT_PER_JOB
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["corroborate.engines.document"])
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
        """`extract` for documents that travel with a key of the caller's (the key stays in
        this process; only the document crosses to a worker). A key with no document is
        passed through in its place in the order, with None for its extraction."""
        flight: deque[tuple[T, Future[Encoded | None]]] = deque()
        for key, doc in items:
            if doc is None:
                future: Future[Encoded | None] = Future()
                future.set_result(None)
            else:
                future = self._executor.submit(encode_document, doc)
            flight.append((key, future))
            if len(flight) >= self.window:
                done_key, future = flight.popleft()
                yield done_key, future.result()
        while flight:
            done_key, future = flight.popleft()
            yield done_key, future.result()
