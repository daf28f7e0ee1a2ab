"""WARC and WARC.gz archives: every HTML or text response becomes a document.

A web archive is often truncated (a crawl killed mid-write) or has a corrupt member; we keep
every record read before the damage and report the rest, instead of losing the whole file.
"""

from __future__ import annotations

import io
import zlib
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from corroborate.errors import CorruptInput, InputError, RecordError
from corroborate.ingest.decode import decode_text
from corroborate.ingest.readers.html import html_record
from corroborate.ingest.record import ReadResult, Record

_DAMAGE = (ArchiveLoadFailed, EOFError, zlib.error, ValueError, OSError, IndexError)


def _media_type(record: Any) -> tuple[str, str | None]:
    headers = record.http_headers if record.rec_type == "response" else record.rec_headers
    value = (headers.get_header("Content-Type") if headers else None) or ""
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.strip().partition("=")
        if key.lower() == "charset" and val:
            charset = val.strip("\"' ").lower()
    return media.strip().lower(), charset


def _status_ok(record: Any) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return True
    code = record.http_headers.get_statuscode() or ""
    return code.startswith("2")


def _record(record: Any, payload: bytes, where: str) -> Record | None:
    media, charset = _media_type(record)
    uri = record.rec_headers.get_header("WARC-Target-URI")
    captured = record.rec_headers.get_header("WARC-Date")
    if media in ("text/html", "application/xhtml+xml"):
        found = html_record(payload, where, url=uri, charset=charset)
        meta = dict(found.meta)
    elif media == "text/plain":
        decoded = decode_text(payload, where, declared=charset)
        if not decoded.text.strip():
            raise RecordError(where, "empty text record")
        found = Record(text=decoded.text, content=payload, encoding=decoded.encoding,
                       notes=(decoded.note,) if decoded.note else ())
        meta = {}
    else:
        return None
    if uri:
        meta["url"] = uri
    if captured:
        meta["captured"] = captured
    return Record(text=found.text, content=payload, meta=meta, encoding=found.encoding,
                  notes=found.notes, locator=None)


def read_warc(raw: bytes, where: str) -> ReadResult:
    stream = io.BytesIO(raw)
    iterator = ArchiveIterator(stream, arc2warc=True)
    kept = 0
    skipped = 0
    offset = 0
    records = iter(iterator)
    while True:
        try:
            record = next(records)
            offset = iterator.offset
            at = f"{where}#offset={offset}"
            payload = record.content_stream().read() \
                if record.rec_type in ("response", "resource") else b""
            if getattr(record.raw_stream, "limit", 0):
                raise EOFError(f"record ends {record.raw_stream.limit} bytes early")
        except StopIteration:
            break
        except _DAMAGE as exc:
            if kept == 0 and skipped == 0:
                raise CorruptInput(where, f"not a readable WARC ({exc})") from exc
            yield RecordError(f"{where}#offset={offset}",
                              f"truncated or corrupt WARC after {kept + skipped} good record(s); "
                              f"the rest is lost ({type(exc).__name__}: {exc})")
            return
        if record.rec_type not in ("response", "resource") or not _status_ok(record):
            skipped += 1
            continue
        try:
            found = _record(record, payload, at)
        except RecordError as exc:
            yield exc
            continue
        except InputError as exc:
            yield RecordError(at, exc.problem)
            continue
        if found is None:
            skipped += 1
            continue
        kept += 1
        yield Record(text=found.text, content=found.content, meta=found.meta,
                     encoding=found.encoding, notes=found.notes, locator=f"offset={offset}")
    if kept == 0 and skipped == 0:
        raise CorruptInput(where, "WARC holds no records")
