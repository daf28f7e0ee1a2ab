"""One reader per source format; `READERS` maps format names to them."""

from __future__ import annotations

from corroborate.ingest.readers.html import read_html
from corroborate.ingest.readers.pdf import read_pdf
from corroborate.ingest.readers.plain import read_markdown, read_text
from corroborate.ingest.readers.subtitles import read_srt, read_vtt
from corroborate.ingest.readers.tabular import read_csv, read_jsonl
from corroborate.ingest.readers.warc import read_warc
from corroborate.ingest.record import Reader

READERS: dict[str, Reader] = {
    "text": read_text,
    "markdown": read_markdown,
    "html": read_html,
    "warc": read_warc,
    "vtt": read_vtt,
    "srt": read_srt,
    "pdf": read_pdf,
    "jsonl": read_jsonl,
    "csv": read_csv,
}

__all__ = ["READERS"]
