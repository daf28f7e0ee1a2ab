"""The raw-bytes archive: every source file as a `resource` record in gzip WARC segments.

WARC is the archivist's format, so the archive can be opened with any WARC tool and proven
unchanged by its SHA-256 digests. Each `add` run appends to a new segment; the ledger's `blobs`
table maps a content hash to (segment, offset). A record is flushed and fsync'd before the
ledger commits the row that points at it, so a killed run leaves at worst an orphan record,
never a row pointing at missing bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from corroborate.errors import NotFound, StoreError, one_line

SEGMENT_LIMIT = 1 << 30
# warcio compresses at level 9; level 6 costs two thirds of the CPU for 0.5% more bytes on our
# transcripts, and a record is packed once per source, on the way into the ledger.
GZIP_LEVEL = 6


@dataclass(frozen=True)
class BlobLocation:
    segment: str
    offset: int


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


class _Gzip:
    """What warcio's writer writes a record to: each write compressed into one gzip member."""

    def __init__(self) -> None:
        self._packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        self._parts.append(self._packer.compress(data))

    def flush(self) -> None:
        """warcio flushes once, after the record; the member ends in `packed()`."""

    def packed(self) -> bytes:
        return b"".join([*self._parts, self._packer.flush()])


def warc_record(raw: bytes, digest: str, uri: str, media_type: str) -> bytes:
    """`raw` as one gzip-compressed WARC `resource` record, the bytes `Archive.put` appends.

    A pure function of its arguments (but for the record's id and date), so the packing (the
    compression is the costly part) can run in a pool worker while the one writer only appends
    the result; a segment is a plain concatenation of such members, as WARC.gz is."""
    out = _Gzip()
    writer = WARCWriter(out, gzip=False)
    record = writer.create_warc_record(
        uri, "resource", payload=io.BytesIO(raw), length=len(raw),
        warc_content_type=media_type,
        warc_headers_dict={"WARC-Block-Digest": f"sha256:{digest}"},
    )
    writer.write_record(record)
    return out.packed()


class Archive:
    """Append-only WARC segments in one folder."""

    def __init__(self, folder: Path, segment: str | None = None) -> None:
        """`segment` fixes the one segment's name (a Spark task's, so that a retried task
        rewrites its own segment instead of leaving a second copy)."""
        self.folder = folder
        self._fixed = segment
        self._handle: BinaryIO | None = None
        self._segment: str | None = None
        self._dirty = False

    def _open_segment(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._fixed is not None:
            self._handle = open(self.folder / self._fixed, "wb")  # noqa: SIM115 - as below
            self._segment = self._fixed
            return
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        for n in range(10_000):
            name = f"corroborate-{stamp}-{os.getpid()}-{n}.warc.gz"
            path = self.folder / name
            try:
                self._handle = open(path, "xb")  # noqa: SIM115 - kept open across writes
            except FileExistsError:
                continue
            self._segment = name
            return
        raise StoreError(f"{self.folder}: cannot create a new archive segment")

    def put(self, raw: bytes, digest: str, uri: str, media_type: str,
            record: bytes | None = None) -> BlobLocation:
        """Append `raw` as a record; `record` is the same already packed by `warc_record`
        (in a worker), so only the append is left to this process."""
        if self._handle is None or (self._fixed is None and self._handle.tell() > SEGMENT_LIMIT):
            self.close()
            self._open_segment()
        assert self._handle is not None and self._segment is not None
        offset = self._handle.tell()
        self._handle.write(record if record is not None
                           else warc_record(raw, digest, uri, media_type))
        self._dirty = True
        return BlobLocation(self._segment, offset)

    def sync(self) -> None:
        """Make written records durable before the ledger commits rows that point at them."""
        if self._handle is not None and self._dirty:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._dirty = False

    def close(self) -> None:
        if self._handle is not None:
            self.sync()
            self._handle.close()
        self._handle = self._segment = None

    def get(self, location: BlobLocation, digest: str | None = None) -> bytes:
        path = self.folder / location.segment
        if not path.is_file():
            raise NotFound(f"{path}: archive segment is missing")
        # warcio writes its warnings about damaged records to stderr, several lines each;
        # catch them and say it in one line.
        warnings = io.StringIO()
        with open(path, "rb") as handle, contextlib.redirect_stderr(warnings):
            handle.seek(location.offset)
            try:
                raw = _first_record(handle)
            except Exception as exc:
                raise StoreError(f"{path}#offset={location.offset}: archived record is "
                                 f"unreadable ({type(exc).__name__}: {one_line(exc)})") from exc
        if raw is None:
            raise NotFound(f"{path}#offset={location.offset}: no archived record there")
        if warnings.getvalue().strip():
            raise StoreError(f"{path}#offset={location.offset}: archived record is damaged "
                             f"({one_line(warnings.getvalue())})")
        if digest is not None and sha256(raw) != digest:
            raise StoreError(f"{path}#offset={location.offset}: archived bytes do not match "
                             f"sha256:{digest}")
        return raw


def _first_record(handle: BinaryIO) -> bytes | None:
    for record in ArchiveIterator(handle):
        payload: bytes = record.content_stream().read()
        return payload
    return None
