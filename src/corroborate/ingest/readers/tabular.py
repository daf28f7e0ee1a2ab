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
import io
import json
import sys
from collections.abc import Iterator, Mapping
from typing import Any

from corroborate.errors import CorruptInput, EmptyInput, ExpansionLimit, RecordError, one_line
from corroborate.ingest.decode import decode_text
from corroborate.ingest.record import ReadResult, Record
from corroborate.ingest.streams import DEFAULT_LIMITS, GZIP_MAGIC, Limits, Stream

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


def _meta_value(value: Any) -> str | bool | None:
    """A row's metadata value as text; lists of names join, nested structures are dropped."""
    if isinstance(value, (str, bool)):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return None


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
    meta: dict[str, Any] = {}
    notes: list[str] = []
    for key, value in values.items():
        usable = _meta_value(value)
        if usable is None:
            notes.append(f"ignored field {key!r}: it holds a {type(value).__name__}, not text")
        else:
            meta[key] = usable
    return Record(text=text, content=content, meta=meta, locator=f"line={line}",
                  notes=tuple(notes))


def _json_problem(exc: Exception) -> str:
    """What is wrong with one JSON line, in words (json's own messages quote the input)."""
    if isinstance(exc, RecursionError):
        return "malformed JSON line (nested too deeply)"
    if isinstance(exc, json.JSONDecodeError):
        return f"malformed JSON line ({exc.msg} at column {exc.colno})"
    if isinstance(exc, UnicodeDecodeError):
        return "malformed JSON line (invalid UTF-8)"
    return f"malformed JSON line ({one_line(exc, 120)})"


def read_jsonl(raw: bytes, where: str,
               columns: Mapping[str, tuple[str, ...]] = DEFAULT_COLUMNS,
               limits: Limits = DEFAULT_LIMITS) -> ReadResult:
    """One document per line, `.jsonl.gz` inflated as a bounded stream (never whole)."""
    if raw == GZIP_MAGIC[:1] and where.lower().endswith(".gz"):
        raise CorruptInput(where, "the gzip stream is cut short (truncated); no rows kept")
    stream = Stream(raw, where, limits)
    number = kept = 0
    try:
        while True:
            line = stream.readline(limits.record + 1)
            if not line:
                break
            number += 1
            if not line.endswith(b"\n") and len(line) > limits.record:
                del line
                yield RecordError(f"{where}:{number}", f"line is over the "
                                  f"{limits.record / 1e6:.1f} MB per-record limit; skipped")
                stream.skip_line()
                continue
            if not line.endswith(b"\n") and (stream.truncated or stream.damage):
                break  # the partial last line of a cut stream: reported below
            item = _json_row(line.strip(), where, number, columns)
            if item is not None:
                kept += isinstance(item, Record)
                yield item
    except ExpansionLimit as exc:
        yield RecordError(f"{where}:{max(number, 1)}", f"{exc.problem}; kept {kept} row(s) "
                                                       f"of {number} line(s) read before it")
        return
    if stream.truncated or stream.damage:
        problem = "the gzip stream is cut short (truncated)" if stream.truncated \
            else stream.damage
        if number == 0:
            raise CorruptInput(where, f"{problem}; no rows kept")
        yield RecordError(f"{where}:{number}", f"{problem}; kept {kept} row(s) of {number} "
                                               "line(s) read before it, the rest is lost")
    elif number == 0 or stream.expanded == 0:
        raise EmptyInput(where, "empty file (no rows)")


def _json_row(stripped: bytes, where: str, number: int,
              columns: Mapping[str, tuple[str, ...]]) -> Record | RecordError | None:
    if not stripped:
        return None
    try:
        row = json.loads(stripped)
    except (ValueError, RecursionError) as exc:
        return RecordError(f"{where}:{number}", _json_problem(exc))
    if not isinstance(row, dict):
        return RecordError(f"{where}:{number}",
                           f"expected a JSON object, got {type(row).__name__}")
    return _row_record(row, stripped, where, number, columns)


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]] | tuple[int, str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        before = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, f"malformed CSV row ({one_line(exc, 120)})"
            if reader.line_num == before:
                return  # the reader made no progress: stop rather than spin
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
        content = json.dumps(mapped, sort_keys=True, ensure_ascii=False).encode(
            "utf-8", "surrogatepass")
        yield _row_record(mapped, content, where, line, columns)
    if header is None:
        raise EmptyInput(where, "no header row")
