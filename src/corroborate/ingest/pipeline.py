"""One source file to documents: the pure core of `add`.

`read_source` reads nothing from the ledger and writes nothing; the caller decides whether the
bytes are already known and hands the result to the store.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corroborate.errors import (
    CorruptInput,
    EmptyInput,
    InputError,
    RecordError,
    TooLarge,
    UnsupportedFormat,
    one_line,
)
from corroborate.extract.turns import looks_like_transcript
from corroborate.ingest.formats import detect
from corroborate.ingest.metadata import Layer, from_format, load_sidecar, merge, parse_date
from corroborate.ingest.readers import READERS
from corroborate.ingest.readers.tabular import DEFAULT_COLUMNS
from corroborate.ingest.record import ReadResult, Record
from corroborate.ingest.safety import clean, display, scrub
from corroborate.ingest.streams import DEFAULT_MAX_EXPANDED, Limits
from corroborate.model import Document, Segment

PRODUCER = "corroborate.ingest/0.1"
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
MEDIA_TYPES = {"text": "text/plain", "markdown": "text/markdown", "html": "text/html",
               "warc": "application/warc", "vtt": "text/vtt", "srt": "application/x-subrip",
               "pdf": "application/pdf", "jsonl": "application/jsonl", "csv": "text/csv"}
_ENGLISH = frozenset(
    "the of and to in a is that for on was with said as by it at from his he has have are be "
    "an this not but were they had which".split()
)
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class AddOptions:
    """What the user asked for, beyond the paths: flag metadata, limits, column mapping."""

    flags: Mapping[str, Any] = field(default_factory=dict)
    max_bytes: int = DEFAULT_MAX_BYTES
    # What a compressed file may inflate to in all (`--max-expanded`); one record of a
    # container may be no bigger than `max_bytes`, like a file named directly.
    max_expanded: int = DEFAULT_MAX_EXPANDED
    extract: bool = True  # False: ingest now, extract later with `reextract`
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_COLUMNS))


@dataclass
class SourceResult:
    path: Path
    digest: str
    format: str
    uri: str
    documents: list[Document] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    duplicates: int = 0  # records repeating an earlier record of the same file, byte for byte


def file_uri(path: Path) -> str:
    return path.resolve().as_uri()


def guess_language(text: str) -> str | None:
    """English or unknown: enough to warn that our English-only rules may not apply."""
    words = _WORD.findall(text[:4000].lower())
    if len(words) < 8:
        return None
    share = sum(1 for w in words if w in _ENGLISH) / len(words)
    return "en" if share > 0.12 else None


def check_size(path: Path, size: int, options: AddOptions) -> None:
    if size > options.max_bytes:
        raise TooLarge(display(path), f"file is {size / 1e6:.1f} MB, over the "
                                      f"{options.max_bytes / 1e6:.1f} MB limit (--max-size)")


# Readers that inflate or hold containers take the limits; the rest need only the bytes.
_LIMITED = ("warc", "jsonl", "pdf")


def read_source(path: Path, raw: bytes, options: AddOptions,
                manifest: Mapping[Path, Layer] | None = None,
                sidecars: bool = True) -> SourceResult:
    """Parse one file's bytes into documents with layered metadata.

    Raises InputError when the file as a whole cannot be used; problems with single records
    of a container are collected in `errors` while the good records are kept.
    """
    result, documents = stream_source(path, raw, options, manifest, sidecars)
    result.documents = list(documents)
    if not result.documents and not result.errors:
        raise EmptyInput(display(path), "no documents found (no HTML or text records)")
    return result


def stream_source(path: Path, raw: bytes, options: AddOptions,
                  manifest: Mapping[Path, Layer] | None = None,
                  sidecars: bool = True, uri: str | None = None,
                  fmt: str | None = None) -> tuple[SourceResult, Iterator[Document]]:
    """`read_source` one document at a time, so `add` can store a million-row file in
    chunks instead of holding every Document at once.

    The whole-file checks (size, format, sidecar) raise here; the reader's own whole-file
    refusal raises at the first `next()`; after a document has been produced, failures are
    appended to `result.errors` and the iteration ends.

    `uri` names bytes that are not a local file (a Spark job's s3a:// object) and `fmt` says
    what they are when no extension does (a Parquet row handed over as one JSON line).
    """
    where = display(path)
    check_size(path, len(raw), options)
    if not raw or raw.isspace():
        raise EmptyInput(where, "empty file")
    fmt = fmt or detect(path, raw[:1024])
    if fmt is None:
        raise UnsupportedFormat(where, "unknown format")
    sidecar = load_sidecar(path) if sidecars else None
    flags = Layer("flag", options.flags) if options.flags else None
    listed = (manifest or {}).get(path.resolve())
    reader = READERS[fmt]
    if fmt in ("jsonl", "csv"):
        reader = functools.partial(reader, columns=options.columns)  # type: ignore[call-arg]
    if fmt in _LIMITED:
        reader = functools.partial(reader, limits=Limits(  # type: ignore[call-arg]
            file=options.max_expanded, record=options.max_bytes))
    result = SourceResult(path, hashlib.sha256(raw).hexdigest(), fmt, uri or file_uri(path))
    return result, _documents(reader(raw, where), result, where, (flags, sidecar, listed))


def _documents(items: ReadResult, result: SourceResult, where: str,
               layers: tuple[Layer | None, ...]) -> Iterator[Document]:
    # A gzip of one row repeated a million times must not become a million Documents: a
    # repeat has the same id, so it is counted, not built.
    ids: set[str] = set()
    made = 0
    try:
        for item in items:
            if isinstance(item, InputError):
                result.errors.append(item)
                continue
            record_id = hashlib.sha256(item.content).hexdigest()  # the document's id
            if record_id in ids:
                result.duplicates += 1
                continue
            ids.add(record_id)
            try:
                document = _document(item, record_id, result.uri, where, result.format,
                                     result.digest, layers)
            except InputError as exc:
                result.errors.append(RecordError(exc.where, exc.problem))
                continue
            made += 1
            yield document
    except InputError as exc:
        if not made and not result.errors:
            raise
        result.errors.append(exc)
    except Exception as exc:  # any library failure on hostile bytes is this
        # file's one-line error; the records already read are kept.
        problem = f"unreadable {result.format} ({type(exc).__name__}: {one_line(exc, 160)})"
        if not made and not result.errors:
            raise CorruptInput(where, problem) from exc
        result.errors.append(CorruptInput(where, f"{problem}; kept {made} document(s) read "
                                                 "before it"))


def _kind_from_text(fmt: str, text: str) -> str:
    """Captions are transcripts; so is any text whose speaker labels say it is one (a
    briefing added without `--kind`), so its turns are read as the speakers' statements."""
    return "transcript" if fmt in ("vtt", "srt") or looks_like_transcript(text) else "other"


def _document(record: Record, doc_id: str, base_uri: str, where: str, fmt: str, digest: str,
              person_layers: tuple[Layer | None, ...]) -> Document:
    """`doc_id` is the SHA-256 of `record.content`, hashed once by the caller."""
    format_layer, notes = from_format(record.meta)
    meta, date_from = merge((*person_layers, format_layer))
    meta = {k: clean(v) if isinstance(v, str) else v for k, v in meta.items()}
    captured = meta.get("captured")
    if captured:
        try:
            captured = parse_date(captured, where, "captured")
        except InputError:
            captured = None
    published, estimated = meta.get("published"), bool(meta.get("published_estimated"))
    if published is None and captured:
        published, estimated, date_from = captured, True, "capture"
        notes.append("no publication date; using the capture date, marked estimated")
    uri = meta.get("url") or base_uri + (f"#{record.locator}" if record.locator else "")
    text, replaced = scrub(record.text)
    if replaced:
        notes.append(f"{replaced} NUL or lone-surrogate character(s) replaced by U+FFFD")
    return Document(
        id=doc_id,
        uri=uri,
        text=text,
        format=fmt,
        raw_ref=f"sha256:{digest}" + (f"#{record.locator}" if record.locator else ""),
        title=meta.get("title"),
        publisher=meta.get("publisher"),
        author=meta.get("author"),
        published=published,
        published_estimated=estimated,
        published_from=date_from if published else None,
        captured=captured,
        kind=meta.get("kind") or _kind_from_text(fmt, text),
        language=guess_language(text),
        encoding=record.encoding,
        source_path=where,
        notes=tuple(scrub(n)[0] for n in (*record.notes, *notes)),
        segments=tuple(Segment(s.start, s.end, clean(s.speaker), s.t_start, s.t_end)
                       for s in record.segments),
        producer=PRODUCER,
    )
