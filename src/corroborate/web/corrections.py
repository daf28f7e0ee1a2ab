"""The bridge to the corrections library (`corroborate.curate`, issue 9), kept in one module
so the workbench runs read-only on a checkout without it and gains its write side the day it
is there: `available()` says which, and every write route asks it first."""

from __future__ import annotations

from typing import Any

try:
    from corroborate.curate import CorrectionError
except ImportError:  # the corrections library is not part of this checkout (yet)
    CorrectionError: Any = None  # type: ignore[no-redef]


def available() -> bool:
    return CorrectionError is not None
