"""One exception tree for corroborate.

Every message names the input (file, line, field) and the problem, so the CLI can print it as
one line and a batch can log it and carry on::

    CorroborateError
    ├── InputError            a source the user pointed us at cannot be read as a document
    │   ├── UnsupportedFormat binary or unknown format
    │   ├── EmptyInput        empty file, or a file whose main text is empty
    │   ├── TooLarge          over the configured size limit
    │   │   └── ExpansionLimit compressed input inflating past --max-expanded
    │   ├── DecodeError       bytes that decode under no plausible encoding
    │   ├── CorruptInput      truncated or broken container (WARC, gzip, PDF)
    │   ├── RecordError       one bad row/line/record inside a container
    │   └── MetadataError     a sidecar, manifest or flag with a bad value
    ├── NotFound              a path, document or reference that does not exist
    ├── QueryError            a search query with nothing left to search for
    ├── StoreError            the ledger cannot be opened or migrated
    ├── CorrectionError       an analyst correction that cannot be made (nothing changed)
    └── JudgementError        a grade, ACH set, cell or value the analyst gave is not valid
"""

from __future__ import annotations


class CorroborateError(Exception):
    """Base class: anything corroborate raises on purpose."""


class InputError(CorroborateError):
    """A source cannot become a document; `where` names the file (and record) at fault."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


class UnsupportedFormat(InputError):
    pass


class EmptyInput(InputError):
    pass


class TooLarge(InputError):
    pass


class DecodeError(InputError):
    pass


class CorruptInput(InputError):
    pass


class RecordError(InputError):
    pass


class MetadataError(InputError):
    pass


class NotFound(CorroborateError):
    pass


class QueryError(CorroborateError):
    """A search query that cannot be run as typed (no words to search for); the message says
    why, for the CLI to print as is."""


class StoreError(CorroborateError):
    pass


class ExpansionLimit(TooLarge):
    """Compressed input that inflates past `--max-expanded` (a decompression bomb, or simply
    an archive too big to hold); raised by the bounded streams in `ingest/streams.py`."""


def one_line(text: object, limit: int = 300) -> str:
    """`text` as one short line: library messages (warcio, pypdf, json) span lines and quote
    whole inputs; a batch summary needs one line per problem."""
    flat = " ".join(str(text)[: limit * 4].split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class CorrectionError(CorroborateError):
    """An analyst correction that cannot be made (unknown statement, bad stance, a span
    outside the text, an undo of what is already undone); the message names the object and
    the field, and nothing was changed."""


class JudgementError(CorroborateError):
    """An analyst judgement that cannot be recorded (an unknown ACH set, a hypothesis that is
    not a proposition, a consistency that is not CC/C/N/I/II); the message names it."""
