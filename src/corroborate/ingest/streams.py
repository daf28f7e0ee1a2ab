"""Container bytes as a bounded stream: plain, or gzip inflated member by member.

`gzip.decompress` on a 3 MB file of zeros allocates 3 GB, and warcio's line reader keeps
reading until it sees a newline, so neither can be pointed at bytes we did not write. This
stream inflates in small steps, counts every byte it produces against `--max-expanded`, caps
each line it returns, and says afterwards whether the input was cut short (a gzip member that
never reached its end) or damaged (bytes that do not inflate), so a reader can report how many
records it kept instead of losing them silently.
"""

from __future__ import annotations

import bisect
import zlib
from dataclasses import dataclass

from corroborate.errors import ExpansionLimit

GZIP_MAGIC = b"\x1f\x8b"
DEFAULT_MAX_EXPANDED = 500 * 1000 * 1000
_IN_STEP = 64 * 1024
_OUT_STEP = 1024 * 1024
_COMPACT_AT = 4 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much a container may inflate to (`file`) and how big one record may be (`record`).

    A record inside an archive may be no bigger than a file named directly (`--max-size`); the
    whole file may inflate to `--max-expanded`.
    """

    file: int = DEFAULT_MAX_EXPANDED
    record: int = 100 * 1000 * 1000


DEFAULT_LIMITS = Limits()


class Stream:
    """Read-once bytes with line and block reads; `where` names the file in errors."""

    def __init__(self, raw: bytes, where: str, limits: Limits = DEFAULT_LIMITS) -> None:
        self.where = where
        self.limits = limits
        self.gzip = raw.startswith(GZIP_MAGIC)
        self.truncated = False
        self.damage: str | None = None
        self._raw = raw
        self._fed = 0
        self._tail = b""
        self._inflater: zlib._Decompress | None = None
        # (output offset, input offset) of every gzip member start, for record locators
        self._members: list[tuple[int, int]] = []
        self._buf: bytes | bytearray = raw if not self.gzip else bytearray()
        self._pos = 0
        self._base = 0  # output offset of self._buf[0]
        self._done = not self.gzip
        self.expanded = len(raw) if not self.gzip else 0

    # -- where we are ---------------------------------------------------------------------
    def tell(self) -> int:
        """Output offset of the next unread byte."""
        return self._base + self._pos

    def locate(self, offset: int) -> str:
        """The locator for output `offset`: the byte offset in a plain file; for gzip, the
        offset of the member it lies in (what warcio and `warcio index` call the offset),
        plus the distance into that member when a record does not start one."""
        if not self.gzip:
            return str(offset)
        at = bisect.bisect_right(self._members, (offset, float("inf"))) - 1
        if at < 0:
            return str(offset)
        start_out, start_in = self._members[at]
        return str(start_in) if offset == start_out else f"{start_in}+{offset - start_out}"

    @property
    def at_end(self) -> bool:
        return self._done and self._pos >= len(self._buf)

    # -- reading --------------------------------------------------------------------------
    def readline(self, limit: int) -> bytes:
        """The next line with its newline, or at most `limit` bytes of it, or b"" at the end."""
        scanned = self._pos
        while True:
            end = self._buf.find(b"\n", scanned, self._pos + limit)
            if end >= 0:
                return self._take(end + 1 - self._pos)
            available = len(self._buf) - self._pos
            if available >= limit or self._done:
                return self._take(min(available, limit))
            scanned = len(self._buf)
            self._fill(available + _OUT_STEP)

    def read(self, size: int) -> bytes:
        """Up to `size` bytes; fewer only at the end of the stream."""
        self._fill(size)
        return self._take(min(size, len(self._buf) - self._pos))

    def skip(self, size: int) -> int:
        """Discard up to `size` bytes without holding them; return how many were skipped."""
        skipped = 0
        while skipped < size:
            if self._pos >= len(self._buf):
                self._fill(min(size - skipped, _OUT_STEP))
                if self._pos >= len(self._buf):
                    break
            step = min(size - skipped, len(self._buf) - self._pos)
            self._pos += step
            skipped += step
            self._compact()
        return skipped

    def skip_line(self) -> int:
        """Discard the rest of the current line (for lines over the record limit)."""
        skipped = 0
        while True:
            line = self.readline(_OUT_STEP)
            skipped += len(line)
            if not line or line.endswith(b"\n"):
                return skipped

    def _take(self, size: int) -> bytes:
        chunk = bytes(self._buf[self._pos:self._pos + size])
        self._pos += size
        self._compact()
        return chunk

    def _compact(self) -> None:
        if isinstance(self._buf, bytearray) and self._pos > _COMPACT_AT:
            del self._buf[:self._pos]
            self._base += self._pos
            self._pos = 0

    # -- inflating ------------------------------------------------------------------------
    def _fill(self, wanted: int) -> None:
        """Inflate until `wanted` bytes are buffered past the read position, or the end."""
        assert isinstance(self._buf, bytearray) or self._done
        while not self._done and len(self._buf) - self._pos < wanted:
            self._step()

    def _step(self) -> None:
        assert isinstance(self._buf, bytearray)
        if self._inflater is None and not self._start_member():
            return
        assert self._inflater is not None
        data = self._tail
        if not data:
            data = self._raw[self._fed:self._fed + _IN_STEP]
            self._fed += len(data)
        try:
            out = self._inflater.decompress(data, _OUT_STEP)
        except zlib.error as exc:
            self.damage = f"corrupt gzip data in the member at offset {self._members[-1][1]} " \
                          f"({exc})"
            self._done = True
            return
        self._tail = self._inflater.unconsumed_tail
        self._emit(out)
        if self._inflater.eof:
            self._fed -= len(self._inflater.unused_data)
            self._inflater = None
        elif not out and not self._tail and self._fed >= len(self._raw):
            self.truncated = True
            self._done = True

    def _start_member(self) -> bool:
        rest = self._raw[self._fed:self._fed + 2]
        if not rest:
            self._done = True
            return False
        if rest != GZIP_MAGIC:
            if rest == GZIP_MAGIC[:1] and self._fed + 1 == len(self._raw):
                self.truncated = True  # cut one byte into the next member
            elif self._raw[self._fed:].strip(b"\x00 \t\r\n"):
                self.damage = f"bytes at offset {self._fed} after the last gzip member are " \
                              "not gzip"
            self._done = True
            return False
        self._members.append((self._base + len(self._buf), self._fed))
        self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._tail = b""
        return True

    def _emit(self, out: bytes) -> None:
        assert isinstance(self._buf, bytearray)
        self.expanded += len(out)
        if self.expanded > self.limits.file:
            self._done = True
            raise ExpansionLimit(self.where, f"inflates past {self.limits.file / 1e6:.1f} MB "
                                             "(--max-expanded); a decompression bomb?")
        self._buf += out
