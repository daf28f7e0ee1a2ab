"""JSON Lines and CSV corpora: one document per row, bad rows reported by line number.

Column mapping (first column present wins; `--column FIELD=NAME` replaces the list):

    text       text, body, content, article
    url        url, uri, link
    title      title, headline
    publisher  publisher, source, outlet, site
    published  published, date, published_at, publish_date
    published_estimated  published_estimated
    kind       kind, type
    author     author, byline, authors
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from collections.abc import Iterator, Mapping
from typing import Any

from corroborate.errors import CorruptInput, EmptyInput, RecordError
from corroborate.ingest.decode import decode_text
from corroborate.ingest.record import ReadResult, Record

DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article"),
    "url": ("url", "uri", "link"),
    "title": ("title", "headline"),
    "publisher": ("publisher", "source", "outlet", "site"),
    "published": ("published", "date", "published_at", "publish_date"),
    "published_estimated": ("published_estimated",),
    "kind": ("kind", "type"),
    "author": ("author", "byline", "authors"),
}

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def column_mapping(overrides: Mapping[str, str] | None) -> dict[str, tuple[str, ...]]:
    """Apply `FIELD=COLUMN` overrides; unknown fields are a usage error for the caller."""
    mapping = dict(DEFAULT_COLUMNS)
    for fieldname, column in (overrides or {}).items():
        if fieldname not in mapping:
            raise ValueError(
                f"unknown field {fieldname!r} in column mapping (known: {', '.join(mapping)})"
            )
        mapping[fieldname] = (column,)
    return mapping


def _row_record(
    row: Mapping[str, Any], content: bytes, where: str, line: int,
    columns: Mapping[str, tuple[str, ...]],
) -> Record | RecordError:
    at = f"{where}:{line}"
    values: dict[str, Any] = {}
    for fieldname, names in columns.items():
        for name in names:
            value = row.get(name)
            if value not in (None, ""):
                values[fieldname] = value
                break
    text = values.pop("text", None)
    if not isinstance(text, str):
        wanted = " or ".join(repr(n) for n in columns["text"])
        problem = f"no text: column {wanted} is missing or empty" if text is None else \
            f"text column holds {type(text).__name__}, not a string"
        return RecordError(at, problem)
    if not text.strip():
        return RecordError(at, "text is blank")
    meta = {k: (v if isinstance(v, (str, bool)) else str(v)) for k, v in values.items()}
    return Record(text=text, content=content, meta=meta, locator=f"line={line}")


def read_jsonl(raw: bytes, where: str,
               columns: Mapping[str, tuple[str, ...]] = DEFAULT_COLUMNS) -> ReadResult:
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise CorruptInput(where, f"corrupt gzip ({exc})") from exc
    if not raw.strip():
        raise EmptyInput(where, "empty file (no rows)")
    for number, line in enumerate(raw.split(b"\n"), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        try:
            row = json.loads(stripped)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "invalid UTF-8"
            yield RecordError(f"{where}:{number}", f"malformed JSON line ({reason})")
            continue
        if not isinstance(row, dict):
            yield RecordError(f"{where}:{number}",
                              f"expected a JSON object, got {type(row).__name__}")
            continue
        yield _row_record(row, stripped, where, number, columns)


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]] | tuple[int, str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, f"malformed CSV row ({exc})"
            continue
        yield reader.line_num, row


def read_csv(raw: bytes, where: str,
             columns: Mapping[str, tuple[str, ...]] = DEFAULT_COLUMNS) -> ReadResult:
    decoded = decode_text(raw, where)
    if not decoded.text.strip():
        raise EmptyInput(where, "empty file (no rows)")
    delimiter = "\t" if where.lower().endswith(".tsv") else ","
    rows = _csv_rows(decoded.text, delimiter)
    header: list[str] | None = None
    for line, row in rows:
        if isinstance(row, str):
            yield RecordError(f"{where}:{line}", row)
            continue
        if header is None:
            header = [name.strip() for name in row]
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield RecordError(f"{where}:{line}",
                              f"row has {len(row)} fields, the header has {len(header)}")
            continue
        mapped = dict(zip(header, row, strict=True))
        content = json.dumps(mapped, sort_keys=True, ensure_ascii=False).encode()
        yield _row_record(mapped, content, where, line, columns)
    if header is None:
        raise EmptyInput(where, "no header row")
