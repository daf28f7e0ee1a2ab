"""Document metadata from four layers, highest precedence first:

1. CLI flags (`--published`, `--publisher`, `--kind`, `--title`, `--url`),
2. a sidecar `NAME.meta.json` next to the file (`report.html.meta.json` or `report.meta.json`),
3. a manifest (`--manifest FILE`, or `corroborate-manifest.{json,jsonl,csv}` in a folder),
4. what the format itself carries (HTML meta tags, WARC headers, PDF info, CSV columns).

Values given by a person (layers 1–3) are validated strictly: a bad date there is an error for
that document, because silently ingesting it with a wrong date would poison every timeline.
Values from the format are best effort: a bad one is dropped with a note.
"""

from __future__ import annotations

import csv
import io
import json
import re
import reprlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from corroborate.errors import InputError, MetadataError, one_line
from corroborate.ingest.discover import read_regular
from corroborate.ingest.formats import SIDECAR_SUFFIX
from corroborate.ingest.safety import display
from corroborate.model import DOCUMENT_KINDS

FIELDS = ("title", "publisher", "author", "published", "published_estimated", "kind", "url")
_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                           r"(?:Z|[+-]\d{2}:?\d{2})?)?$")
_BRIEF = reprlib.Repr()
_BRIEF.maxstring = _BRIEF.maxother = 60
MAX_SIDECAR_BYTES = 1_000_000
MAX_MANIFEST_BYTES = 100_000_000
_JSON_FAILURES = (ValueError, RecursionError)  # bad syntax or UTF-8, 4,300-digit ints, depth
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n", ""}


@dataclass(frozen=True)
class Layer:
    """One source of metadata and its name, so a document can say where its date came from."""

    name: str
    values: Mapping[str, Any]


def parse_date(value: Any, where: str, fieldname: str = "published") -> str:
    """Return `YYYY-MM-DD` or raise a MetadataError naming the field and the value."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = value.strip() if isinstance(value, str) else _BRIEF.repr(value)
    match = _ISO_DATETIME.match(text)
    if match:
        try:
            return date.fromisoformat(match.group(1)).isoformat()
        except ValueError:
            pass
    raise MetadataError(
        where, f"field {fieldname!r}: {_BRIEF.repr(text)} is not a date (use YYYY-MM-DD)"
    )


def _parse_bool(value: Any, where: str, fieldname: str) -> bool:
    if isinstance(value, bool):
        return value
    text = value.strip().lower() if isinstance(value, str) else None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise MetadataError(where, f"field {fieldname!r}: {_BRIEF.repr(value)} is not true or false")


def validate(values: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Check a person-written metadata mapping; return it with dates and flags normalised."""
    clean: dict[str, Any] = {}
    for key, value in values.items():
        if key not in FIELDS:
            raise MetadataError(where, f"unknown field {_BRIEF.repr(key)} "
                                       f"(known: {', '.join(FIELDS)})")
        if value is None or value == "":
            continue
        if key == "published" and isinstance(value, Mapping):
            clean["published"] = parse_date(value.get("date"), where)
            if "estimated" in value:
                clean["published_estimated"] = _parse_bool(value["estimated"], where,
                                                           "published.estimated")
        elif key == "published":
            clean[key] = parse_date(value, where)
        elif key == "published_estimated":
            clean[key] = _parse_bool(value, where, key)
        elif key == "kind":
            if not isinstance(value, str) or value not in DOCUMENT_KINDS:
                raise MetadataError(where, f"field 'kind': {_BRIEF.repr(value)} is not one of "
                                           f"{', '.join(DOCUMENT_KINDS)}")
            clean[key] = value
        else:
            if not isinstance(value, str):
                raise MetadataError(where, f"field {key!r}: expected text, "
                                           f"got {_BRIEF.repr(value)}")
            clean[key] = value.strip()
    return clean


def sidecar_for(path: Path) -> Path | None:
    """`a/report.html` takes `a/report.html.meta.json`, else `a/report.meta.json`."""
    for candidate in (path.with_name(path.name + SIDECAR_SUFFIX),
                      path.with_name(path.name.split(".")[0] + SIDECAR_SUFFIX)):
        try:
            if candidate.is_file():
                return candidate
        except OSError:  # a name too long once the suffix is added cannot have a sidecar
            continue
    return None


def load_sidecar(path: Path) -> Layer | None:
    sidecar = sidecar_for(path)
    if sidecar is None:
        return None
    where = display(sidecar)
    values = _json(_read_bounded(sidecar, where, MAX_SIDECAR_BYTES, "sidecar"), where,
                   "sidecar")
    if not isinstance(values, dict):
        raise MetadataError(where, "sidecar must hold a JSON object")
    return Layer("sidecar", validate(values, where))


def _read_bounded(path: Path, where: str, limit: int, what: str) -> bytes:
    try:
        return read_regular(path, limit)
    except InputError as exc:
        raise MetadataError(where, f"cannot read {what}: {exc.problem}") from exc
    except OSError as exc:
        raise MetadataError(where, f"cannot read {what} ({exc.strerror or exc})") from exc


def _json(raw: bytes | str, where: str, what: str) -> Any:
    """Parse person-written JSON; every way it can fail is one MetadataError line."""
    try:
        return json.loads(raw)
    except RecursionError as exc:
        raise MetadataError(where, f"{what} is not valid JSON (nested too deeply)") from exc
    except json.JSONDecodeError as exc:
        raise MetadataError(where, f"{what} is not valid JSON ({exc.msg} at line "
                                   f"{exc.lineno} column {exc.colno})") from exc
    except _JSON_FAILURES as exc:
        raise MetadataError(where, f"{what} is not valid JSON ({one_line(exc, 120)})") from exc


def load_manifest(path: Path) -> dict[Path, Layer]:
    """Read a manifest: entries keyed by the resolved path of the file they describe.

    One bad entry fails the whole manifest (a half-applied manifest would silently leave some
    documents without their dates), always as one MetadataError naming the entry.
    """
    where = display(path)
    raw = _read_bounded(path, where, MAX_MANIFEST_BYTES, "manifest")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MetadataError(where, f"manifest is not UTF-8 (bad byte at offset {exc.start})"
                            ) from exc
    layers: dict[Path, Layer] = {}
    for at, entry in _manifest_entries(path, text, where):
        if not isinstance(entry, dict) or not entry.get("path"):
            raise MetadataError(at, "manifest entry needs a 'path'")
        values = {k: v for k, v in entry.items() if k != "path"}
        try:
            target = (path.parent / str(entry["path"])).resolve()
        except (ValueError, OSError, RuntimeError) as exc:
            raise MetadataError(at, f"unusable path {_BRIEF.repr(entry['path'])} "
                                    f"({one_line(exc, 80)})") from exc
        layers[target] = Layer("manifest", validate(values, at))
    return layers


def _manifest_entries(path: Path, text: str, where: str) -> Iterable[tuple[str, Any]]:
    if path.suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            yield from ((f"{where}:{reader.line_num}", row) for row in reader)
        except csv.Error as exc:
            raise MetadataError(f"{where}:{reader.line_num}",
                                f"malformed CSV row ({one_line(exc, 120)})") from exc
    elif path.suffix == ".jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield f"{where}:{number}", _json(line, f"{where}:{number}", "manifest line")
    else:
        data = _json(text, where, "manifest")
        items = data.get("documents") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise MetadataError(where, "manifest must be a list or {\"documents\": [...]}")
        yield from ((f"{where}[{i}]", item) for i, item in enumerate(items))


def from_format(meta: Mapping[str, Any]) -> tuple[Layer, list[str]]:
    """The format's own metadata, with unusable values dropped and noted."""
    values: dict[str, Any] = {}
    notes: list[str] = []
    for key, value in meta.items():
        if key == "published":
            try:
                values[key] = parse_date(value, "format")
            except MetadataError:
                notes.append(f"ignored unparseable date {_BRIEF.repr(value)} from the format")
        elif key == "published_estimated":
            values[key] = str(value).strip().lower() in _TRUE
        elif key == "kind" and (not isinstance(value, str) or value not in DOCUMENT_KINDS):
            notes.append(f"ignored unknown kind {_BRIEF.repr(value)} from the format")
        elif key in FIELDS or key == "captured":
            values[key] = value
    return Layer("format", values), notes


def merge(layers: Iterable[Layer | None]) -> tuple[dict[str, Any], str | None]:
    """Merge layers given highest precedence first; also say which layer set the date.

    `published_estimated` travels with `published`: a date from the sidecar keeps the sidecar's
    estimate flag even when a lower layer (an HTML meta tag, say) also has one.
    """
    merged: dict[str, Any] = {}
    date_from = None
    for layer in layers:
        if layer is None:
            continue
        for key, value in layer.values.items():
            if key == "published_estimated":
                continue
            if key not in merged:
                merged[key] = value
                if key == "published":
                    date_from = layer.name
                    merged["published_estimated"] = bool(
                        layer.values.get("published_estimated", False))
    return merged, date_from
