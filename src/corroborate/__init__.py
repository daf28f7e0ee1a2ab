"""corroborate: a ledger of attributed claims for contested stories.

The public API is small: open a `Ledger`, `add` sources to it, read documents back, search.
"""

from corroborate.api import AddSummary, Ledger, open_ledger
from corroborate.errors import CorroborateError, InputError, NotFound, StoreError
from corroborate.model import Document, Segment, Span

__version__ = "0.1.0"

__all__ = [
    "AddSummary",
    "CorroborateError",
    "Document",
    "InputError",
    "Ledger",
    "NotFound",
    "Segment",
    "Span",
    "StoreError",
    "__version__",
    "open_ledger",
]
