"""WARC and WARC.gz archives: every HTML or text response becomes a document.

A web archive is often truncated (a crawl killed mid-write) or has a corrupt member; we keep
every record read before the damage and say how many, instead of losing the whole file or
dropping the tail without a word. Parsing is `warcparse` (bounded, quiet); this module decides
which records are documents.
"""

from __future__ import annotations

from corroborate.errors import CorruptInput, InputError, RecordError, one_line
from corroborate.ingest.decode import decode_text
from corroborate.ingest.readers.html import html_record
from corroborate.ingest.readers.warcparse import (
    BodyTooLarge,
    Damage,
    HttpMessage,
    RawRecord,
    parse_http,
    records,
)
from corroborate.ingest.record import ReadResult, Record
from corroborate.ingest.streams import DEFAULT_LIMITS, Limits, Stream

_DOCUMENT_TYPES = ("response", "resource")


def _media_type(value: str) -> tuple[str, str | None]:
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.strip().partition("=")
        if key.lower() == "charset" and val:
            charset = val.strip("\"' ").lower()[:40]
    return media.strip().lower(), charset


def _payload(record: RawRecord, limit: int) -> tuple[bytes, str, bool]:
    """(payload, Content-Type, status is 2xx) of a response or resource record."""
    http: HttpMessage | None = None
    if record.rec_type == "response" and record.block.startswith(b"HTTP/"):
        http = parse_http(record.block, limit)
    if http is None:
        return record.block, record.headers.get("content-type", ""), True
    return http.body, http.headers.get("content-type", ""), http.status.startswith("2")


def _document(record: RawRecord, payload: bytes, content_type: str, at: str) -> Record | None:
    media, charset = _media_type(content_type)
    uri = record.headers.get("warc-target-uri") or None
    if media in ("text/html", "application/xhtml+xml"):
        found = html_record(payload, at, url=uri, charset=charset)
        meta = dict(found.meta)
    elif media == "text/plain":
        decoded = decode_text(payload, at, declared=charset)
        if not decoded.text.strip():
            raise RecordError(at, "empty text record")
        found = Record(text=decoded.text, content=payload, encoding=decoded.encoding,
                       notes=(decoded.note,) if decoded.note else ())
        meta = {}
    else:
        return None
    if uri:
        meta["url"] = uri
    captured = record.headers.get("warc-date")
    if captured:
        meta["captured"] = captured
    return Record(text=found.text, content=payload, meta=meta, encoding=found.encoding,
                  notes=found.notes, locator=f"offset={record.offset}")


def read_warc(raw: bytes, where: str, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
    stream = Stream(raw, where, limits)
    kept = seen = 0
    for item in records(stream):
        if isinstance(item, Damage):
            at = f"{where}#offset={item.offset}"
            if not item.fatal:
                yield RecordError(at, item.problem)
                continue
            if seen == 0:
                raise CorruptInput(where, f"not a readable WARC: {item.problem}; "
                                          "no records kept")
            yield RecordError(at, f"{item.problem}; kept {kept} document record(s) of "
                                  f"{seen} record(s) read before it, the rest is lost")
            return
        seen += 1
        if item.rec_type not in _DOCUMENT_TYPES:
            continue
        at = f"{where}#offset={item.offset}"
        try:
            payload, content_type, ok = _payload(item, limits.record)
            found = _document(item, payload, content_type, at) if ok else None
        except InputError as exc:
            yield RecordError(at, exc.problem)
            continue
        except BodyTooLarge as exc:
            yield RecordError(at, str(exc))
            continue
        except Exception as exc:
            yield RecordError(at, f"unreadable record ({type(exc).__name__}: {one_line(exc)})")
            continue
        if found is not None:
            kept += 1
            yield found
    if seen == 0:
        raise CorruptInput(where, "WARC holds no records")
