"""PDF text layer via pypdf. Scanned PDFs without a text layer are reported, not OCR'd.

A PDF is a container of compressed streams, so it gets the same limits as a `.warc.gz`: pypdf's
own decompression and parsing caps (its `Configuration`) are lowered to our per-record limit,
at most `MAX_PAGES` pages are read, and text stops growing at the per-record limit. pypdf
raises many kinds of exception on damaged files and warns through `warnings` and `logging`;
all of it becomes one line for the file, or a note for the pages that failed.
"""

from __future__ import annotations

import inspect
import io
import logging
import warnings
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from typing import Any

from pypdf import PdfReader

from corroborate.errors import CorruptInput, EmptyInput, one_line
from corroborate.ingest.record import ReadResult, Record
from corroborate.ingest.streams import DEFAULT_LIMITS, Limits

try:
    from pypdf import apply_configuration
except ImportError:  # pypdf < 6.10 has only its default 75 MB caps
    apply_configuration = None  # type: ignore[assignment]

logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)

MAX_PAGES = 2000
# Reader caps newer pypdf releases accept; passed only where the installed one knows them.
_READER_CAPS: dict[str, Any] = {k: v for k, v in (("root_object_recovery_limit", 10_000),
                                  ("xref_stream_maximum_entries", 500_000))
                if k in inspect.signature(PdfReader.__init__).parameters}


def _bounded(limits: Limits) -> AbstractContextManager[Any]:
    if apply_configuration is None:
        return nullcontext()
    cap = min(limits.record, 75_000_000)
    return apply_configuration(
        maximum_declared_stream_length=cap,
        array_based_stream_maximum_output_length=cap,
        zlib_maximum_output_length=cap,
        lzw_maximum_output_length=cap,
        run_length_maximum_output_length=cap,
        jbig2_maximum_output_length=cap,
        brotli_maximum_output_length=cap,
        image_maximum_buffer_size=cap,
        jbig2dec_binary=None,
    )


def _page_texts(reader: PdfReader, limit: int, notes: list[str]) -> Iterator[str]:
    total = 0
    failed = 0
    for number, page in enumerate(reader.pages, start=1):
        if number > MAX_PAGES:
            notes.append(f"only the first {MAX_PAGES} pages read")
            break
        try:
            text = (page.extract_text() or "").strip()
        except Exception as exc:  # one damaged page must not lose the rest
            if not failed:
                notes.append(f"page {number} unreadable ({type(exc).__name__}: "
                             f"{one_line(exc, 120)})")
            failed += 1
            continue
        total += len(text)
        if total > limit:
            notes.append(f"text stops at the {limit / 1e6:.1f} MB per-record limit "
                         f"(page {number})")
            break
        yield text
    if failed > 1:
        notes.append(f"{failed} page(s) unreadable, skipped")


def read_pdf(raw: bytes, where: str, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
    notes: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with _bounded(limits):
                reader = PdfReader(io.BytesIO(raw), **_READER_CAPS)
                pages = list(_page_texts(reader, limits.record, notes))
                meta = _metadata(reader)
        except Exception as exc:  # pypdf's errors on hostile bytes are many and unlisted
            raise CorruptInput(where, f"unreadable PDF ({type(exc).__name__}: "
                                      f"{one_line(exc, 160)})") from exc
    text = "\n\n".join(p for p in pages if p)
    if not text:
        unreadable = [n for n in notes if "unreadable" in n]
        if unreadable:
            raise CorruptInput(where, f"no readable text: {'; '.join(unreadable)}")
        raise EmptyInput(where, "PDF has no text layer (scanned image?); OCR is not done")
    yield Record(text=text, content=raw, meta=meta,
                 notes=(f"{len(pages)} pages", *notes))


def _metadata(reader: PdfReader) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    try:
        info = reader.metadata
    except Exception:  # a broken /Info costs the metadata, not the text
        return meta
    if info is None:
        return meta
    for ours, theirs in (("title", "title"), ("author", "author")):
        try:
            value = getattr(info, theirs)
        except Exception:
            continue
        if value:
            meta[ours] = str(value)[:1000]
    try:
        when = info.creation_date
    except Exception:
        return meta
    if isinstance(when, datetime):
        meta["published"] = when.date().isoformat()
    return meta
