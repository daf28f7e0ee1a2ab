"""Analyst corrections with an audit trail (issue 9): `ledger.curate` is the `Curator`.

Every correction is a record (who, when, what, before, after) keyed to stable span keys, can
be undone (the undo is recorded too), and survives relinking, re-extraction and
re-ingestion; see store/corrections.py for how the overlay is re-derived.
"""

from corroborate.curate.curator import Curator
from corroborate.curate.records import Correction, default_author
from corroborate.errors import CorrectionError

__all__ = ["Correction", "CorrectionError", "Curator", "default_author"]
