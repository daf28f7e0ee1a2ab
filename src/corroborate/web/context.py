"""One ledger connection per server thread.

Starlette runs each plain (`def`) route in a worker thread; a SQLite or PostgreSQL connection
must not be shared by two threads at once (a read snapshot on one would swallow the other's
queries), so each thread opens its own ledger on first use and keeps it.
"""

from __future__ import annotations

import threading
from pathlib import Path

from corroborate.api import Ledger, open_ledger


class LedgerPool:
    def __init__(self, location: str, archive: str | Path | None = None) -> None:
        self.location = location
        self.archive = archive
        self._local = threading.local()
        self._opened: list[Ledger] = []
        self._lock = threading.Lock()

    def check(self) -> None:
        """Fail at start-up, not on the first request, when there is no ledger there."""
        open_ledger(self.location, self.archive, create=False).close()

    def get(self) -> Ledger:
        ledger = getattr(self._local, "ledger", None)
        if ledger is None:
            ledger = open_ledger(self.location, self.archive, create=False)
            self._local.ledger = ledger
            with self._lock:
                self._opened.append(ledger)
        return ledger

    def close(self) -> None:
        with self._lock:
            for ledger in self._opened:
                ledger.close()
            self._opened.clear()
