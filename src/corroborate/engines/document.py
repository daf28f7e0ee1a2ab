"""The one per-document extraction function every engine runs.

`add` in one process, the worker processes of `add --jobs N` and the Spark job's
`mapPartitions` all call `statements_of` on a `Document`; none has an implementation of its own,
so the same document gives the same statements, id for id, whatever ran it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from corroborate.errors import one_line
from corroborate.extract import extract_statements
from corroborate.model import Document, Statement
from corroborate.store.rows import StatementRow, statement_row


def statements_of(doc: Document,
                  on_progress: Callable[[int, int], None] | None = None) -> list[Statement]:
    """The extraction stage for one document (pure: text and metadata in).

    `on_progress(characters_done, characters_total)` follows a long document's extraction."""
    return extract_statements(doc.text, doc.published, doc.id, doc.kind, doc.segments,
                              on_progress)


@dataclass(frozen=True)
class Extracted:
    """What extraction made of one document: its statements, or the one line that says why
    it has none (the document itself is still stored)."""

    statements: list[Statement]
    failure: str | None = None


def extract_document(doc: Document,
                     on_progress: Callable[[int, int], None] | None = None) -> Extracted:
    """`statements_of`, with a failure costing this document's statements, never the batch.

    Worker processes return this across the process boundary, so the failure is already the
    line the summary prints."""
    try:
        return Extracted(statements_of(doc, on_progress))
    except Exception as exc:
        return Extracted([], f"{doc.source_path}: {doc.uri}: statement extraction failed "
                             f"({type(exc).__name__}: {one_line(exc, 120)})")


@dataclass(frozen=True)
class Encoded:
    """One document's extraction as the writer stores it: `statement_row` tuples (plain
    strings and numbers), or the one line that says why there are none.

    The pool's workers return this instead of `Extracted` for two reasons: encoding a
    statement (its JSON `data` above all) was the biggest share of the one writer's CPU, and
    a tuple of strings crosses the process boundary several times cheaper than a tree of
    dataclasses. The rows are the same `statement_row` the writer would make, so the stored
    values do not depend on where the encoding ran."""

    rows: list[StatementRow]
    failure: str | None = None


def encode_document(doc: Document,
                    on_progress: Callable[[int, int], None] | None = None) -> Encoded:
    """`extract_document`, encoded for the ledger where it ran."""
    extracted = extract_document(doc, on_progress)
    return Encoded([statement_row(doc.id, n, st) for n, st in enumerate(extracted.statements)],
                   extracted.failure)
