"""A bounded WARC/ARC record parser over `Stream`.

We parse archives ourselves rather than through warcio's iterator because on hostile bytes it
reads a line until it finds a newline (unbounded memory on a gzip of zeros), inflates HTTP
bodies without a cap, prints multi-line warnings to stderr, and stops without a word when a
file is cut between a record's header and its end. Here every read is capped, a cut or damaged
archive ends in one `Damage` item saying what was kept, and garbage between records is skipped
to the next record header. The layout is the published one (WARC 1.0/1.1, ARC v1/v2): a
version line, `Name: value` headers, a blank line, `Content-Length` bytes, two CRLFs.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from corroborate.errors import ExpansionLimit
from corroborate.ingest.streams import Stream

MAX_LINE = 64 * 1024
MAX_HEADERS = 1000
_CRLF = b"\r\n"


@dataclass
class RawRecord:
    """One archive record: its type, WARC headers (lower-cased names), and its block."""

    offset: str
    rec_type: str
    headers: dict[str, str]
    block: bytes


@dataclass
class Damage:
    """Why reading stopped early or skipped bytes; `fatal` when the rest of the file is lost."""

    offset: str
    problem: str
    fatal: bool = True


@dataclass
class HttpMessage:
    status: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def _header_text(line: bytes) -> str:
    return line.decode("utf-8", "replace").strip()


def _read_headers(stream: Stream) -> dict[str, str] | None:
    """`Name: value` lines up to the blank line; None when the stream ends first."""
    headers: dict[str, str] = {}
    last: str | None = None
    for _ in range(MAX_HEADERS):
        line = stream.readline(MAX_LINE)
        if not line.endswith(b"\n"):
            return None if len(line) < MAX_LINE else headers
        if not line.strip():
            return headers
        if line[:1] in (b" ", b"\t") and last is not None:
            headers[last] += " " + _header_text(line)
            continue
        name, _, value = _header_text(line).partition(":")
        last = name.strip().lower()
        headers[last] = value.strip()
    return headers


def _length(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and text.isascii() and len(text) <= 20 else None


def records(stream: Stream) -> Iterator[RawRecord | Damage]:
    """Yield the records of a WARC or ARC stream, then a `Damage` if it was cut or broken."""
    try:
        yield from _records(stream)
    except ExpansionLimit as exc:
        yield Damage(stream.locate(stream.tell()), exc.problem)
        return
    if stream.truncated:
        yield Damage(stream.locate(stream.tell()), "the gzip stream is cut short (truncated)")
    elif stream.damage:
        yield Damage(stream.locate(stream.tell()), stream.damage)


def _next_line(stream: Stream) -> tuple[int, bytes]:
    """Skip the blank lines between records; return the next line and where it starts.

    Each read consumes at least one byte, so this is linear in the blank run, however long.
    """
    while True:
        start = stream.tell()
        line = stream.readline(MAX_LINE)
        if line.strip() or not line:
            return start, line


def _records(stream: Stream) -> Iterator[RawRecord | Damage]:
    arc = False
    first = True
    pending: tuple[int, bytes] | None = None
    while True:
        start, line = pending or _next_line(stream)
        pending = None
        if not line:
            return
        if not line.endswith(b"\n") and stream.at_end:
            yield Damage(stream.locate(start), "the file ends inside a record header "
                                               "(truncated)")
            return
        if first:
            arc = not line.startswith(b"WARC/")
            if arc and not line.startswith(b"filedesc://"):
                yield Damage(stream.locate(start), f"not a WARC or ARC file (it starts with "
                                                   f"{line[:20]!r})")
                return
        first = False
        if not arc and not line.startswith(b"WARC/"):
            skipped, pending = _resync(stream, len(line))
            yield Damage(stream.locate(start), f"{skipped} bytes that are not a WARC record "
                                               "were skipped", fatal=False)
            continue
        record = _arc_record(stream, start, line) if arc else _warc_record(stream, start)
        yield record
        if isinstance(record, Damage) and record.fatal:
            return


def _resync(stream: Stream, skipped: int) -> tuple[int, tuple[int, bytes]]:
    """Skip to the next line that starts a WARC record; return the bytes skipped and that
    line (a read-once stream cannot step back, so the caller takes it as the next header)."""
    while True:
        start = stream.tell()
        line = stream.readline(MAX_LINE)
        if not line or line.startswith(b"WARC/"):
            return skipped, (start, line)
        skipped += len(line)


def _warc_record(stream: Stream, start: int) -> RawRecord | Damage:
    offset = stream.locate(start)
    headers = _read_headers(stream)
    if headers is None:
        return Damage(offset, "the file ends inside the record's headers (truncated)")
    length = _length(headers.get("content-length"))
    if length is None:  # its end is unknown: skip to the next record header
        value = headers.get("content-length", "none")[:40]
        return Damage(offset, f"record has no valid Content-Length ({value!r}); skipped",
                      fatal=False)
    if length > stream.limits.record:
        if stream.gzip and length > stream.limits.file:  # no need to inflate it to know
            return Damage(offset, f"record declares {length} bytes, more than the file "
                                  f"may inflate to ({stream.limits.file / 1e6:.1f} MB, "
                                  "--max-expanded); a decompression bomb?")
        skipped = stream.skip(length)
        if skipped < length:
            return Damage(offset, f"record declares {length} bytes but the file ends "
                                  f"{skipped} bytes later (truncated or a false length)")
        return Damage(offset, f"record of {length / 1e6:.1f} MB is over the "
                              f"{stream.limits.record / 1e6:.1f} MB per-record limit; skipped",
                      fatal=False)
    block = stream.read(length)
    if len(block) < length:
        return Damage(offset, f"record is cut short (truncated): {len(block)} of {length} "
                              "bytes present")
    return RawRecord(offset, headers.get("warc-type", "").lower(), headers, block)


def _arc_record(stream: Stream, start: int, line: bytes) -> RawRecord | Damage:
    offset = stream.locate(start)
    fields = _header_text(line).split()
    length = _length(fields[-1]) if len(fields) >= 5 else None
    if length is None or length > stream.limits.record:
        return Damage(offset, f"ARC record header {line[:60]!r} has no usable length")
    block = stream.read(length)
    if len(block) < length:
        return Damage(offset, f"record is cut short (truncated): {len(block)} of {length} "
                              "bytes present")
    url, date = fields[0], fields[2] if len(fields) > 2 else ""
    headers = {"warc-target-uri": url, "content-type": fields[3]}
    if len(date) == 14 and date.isdigit():
        headers["warc-date"] = (f"{date[:4]}-{date[4:6]}-{date[6:8]}T{date[8:10]}:"
                                f"{date[10:12]}:{date[12:14]}Z")
    if url.startswith("filedesc://"):
        return RawRecord(offset, "warcinfo", headers, block)
    if block.startswith(b"HTTP/"):
        headers["content-type"] = "application/http; msgtype=response"
    return RawRecord(offset, "response" if block.startswith(b"HTTP/") else "resource",
                     headers, block)


def parse_http(block: bytes, limit: int) -> HttpMessage | None:
    """Split an HTTP response block into status, headers and the decoded body.

    None when the block is not an HTTP message. The body is de-chunked and un-gzipped as
    warcio's `content_stream()` does (so document ids match what it produced), capped at
    `limit` bytes.
    """
    head_end = block.find(b"\r\n\r\n")
    sep = 4
    if head_end < 0 or block.find(b"\n\n", 0, head_end) >= 0:
        lf = block.find(b"\n\n")
        if lf >= 0:
            head_end, sep = lf, 2
    if head_end < 0:
        head_end, sep = len(block), 0
    lines = block[:head_end].decode("iso-8859-1").splitlines()
    if not lines or not lines[0].startswith("HTTP/"):
        return None
    parts = lines[0].split(None, 2)
    message = HttpMessage(parts[1] if len(parts) > 1 else "")
    for line in lines[1:MAX_HEADERS]:
        name, _, value = line.partition(":")
        message.headers[name.strip().lower()] = value.strip()
    body = block[head_end + sep:]
    if "chunked" in message.headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    encoding = message.headers.get("content-encoding", "").strip().lower()
    if encoding in ("gzip", "x-gzip", "deflate"):
        body = _inflate(body, encoding, limit)
    message.body = body
    return message


def _dechunk(body: bytes) -> bytes:
    """HTTP chunked transfer coding; on a malformed chunk, the body as stored (as warcio)."""
    out = bytearray()
    pos = 0
    while pos < len(body):
        end = body.find(b"\n", pos, pos + 1024)
        if end < 0:
            return body
        size_text = body[pos:end].split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return body
        if size == 0:
            return bytes(out)
        pos = end + 1
        out += body[pos:pos + size]
        pos += size
        if body[pos:pos + 2] == _CRLF:
            pos += 2
        elif body[pos:pos + 1] == b"\n":
            pos += 1
    return bytes(out)


class BodyTooLarge(ValueError):
    pass


def _inflate(body: bytes, encoding: str, limit: int) -> bytes:
    """Content-Encoding gzip/deflate, capped at `limit`; as stored when it does not inflate."""
    for wbits in ((16 + zlib.MAX_WBITS,) if encoding != "deflate" else
                  (zlib.MAX_WBITS, -zlib.MAX_WBITS)):
        inflater = zlib.decompressobj(wbits)
        try:
            out = inflater.decompress(body, limit + 1)
        except zlib.error:
            continue
        if len(out) > limit:
            raise BodyTooLarge(f"HTTP body inflates past {limit / 1e6:.1f} MB")
        return out
    return body
