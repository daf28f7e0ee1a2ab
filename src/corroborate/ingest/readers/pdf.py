"""PDF text layer via pypdf. Scanned PDFs without a text layer are reported, not OCR'd."""

from __future__ import annotations

import io
import logging
from datetime import datetime
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from corroborate.errors import CorruptInput, EmptyInput
from corroborate.ingest.record import ReadResult, Record

logging.getLogger("pypdf").setLevel(logging.ERROR)


def read_pdf(raw: bytes, where: str) -> ReadResult:
    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise CorruptInput(where, f"unreadable PDF ({exc})") from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise EmptyInput(where, "PDF has no text layer (scanned image?); OCR is not done")
    meta: dict[str, Any] = {}
    if info is not None:
        if info.title:
            meta["title"] = str(info.title)
        if info.author:
            meta["author"] = str(info.author)
        created = _pdf_date(info)
        if created:
            meta["published"] = created
    yield Record(text=text, content=raw, meta=meta, notes=(f"{len(pages)} pages",))


def _pdf_date(info: Any) -> str | None:
    try:
        when = info.creation_date
    except (ValueError, TypeError):
        return None
    return when.date().isoformat() if isinstance(when, datetime) else None
