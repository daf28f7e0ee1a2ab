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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from corroborate.errors import MetadataError
from corroborate.ingest.formats import SIDECAR_SUFFIX
from corroborate.model import DOCUMENT_KINDS

FIELDS = ("title", "publisher", "author", "published", "published_estimated", "kind", "url")
_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                           r"(?:Z|[+-]\d{2}:?\d{2})?)?$")
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
    text = str(value).strip()
    match = _ISO_DATETIME.match(text)
    if match:
        try:
            return date.fromisoformat(match.group(1)).isoformat()
        except ValueError:
            pass
    raise MetadataError(
        where, f"field {fieldname!r}: {text!r} is not a date (use YYYY-MM-DD)"
    )


def _parse_bool(value: Any, where: str, fieldname: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise MetadataError(where, f"field {fieldname!r}: {value!r} is not true or false")


def validate(values: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Check a person-written metadata mapping; return it with dates and flags normalised."""
    clean: dict[str, Any] = {}
    for key, value in values.items():
        if key not in FIELDS:
            raise MetadataError(where, f"unknown field {key!r} (known: {', '.join(FIELDS)})")
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
            if value not in DOCUMENT_KINDS:
                raise MetadataError(
                    where, f"field 'kind': {value!r} is not one of {', '.join(DOCUMENT_KINDS)}"
                )
            clean[key] = value
        else:
            if not isinstance(value, str):
                raise MetadataError(where, f"field {key!r}: expected text, got {value!r}")
            clean[key] = value.strip()
    return clean


def sidecar_for(path: Path) -> Path | None:
    """`a/report.html` takes `a/report.html.meta.json`, else `a/report.meta.json`."""
    for candidate in (path.with_name(path.name + SIDECAR_SUFFIX),
                      path.with_name(path.name.split(".")[0] + SIDECAR_SUFFIX)):
        if candidate.is_file():
            return candidate
    return None


def load_sidecar(path: Path) -> Layer | None:
    sidecar = sidecar_for(path)
    if sidecar is None:
        return None
    try:
        values = json.loads(sidecar.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MetadataError(str(sidecar), f"sidecar is not valid JSON ({exc})") from exc
    if not isinstance(values, dict):
        raise MetadataError(str(sidecar), "sidecar must hold a JSON object")
    return Layer("sidecar", validate(values, str(sidecar)))


def load_manifest(path: Path) -> dict[Path, Layer]:
    """Read a manifest: entries keyed by the resolved path of the file they describe."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MetadataError(where, f"cannot read manifest ({exc})") from exc
    entries: Iterable[tuple[str, Any]]
    if path.suffix == ".csv":
        entries = ((f"{where}:{n}", row)
                   for n, row in enumerate(csv.DictReader(io.StringIO(text)), start=2))
    elif path.suffix == ".jsonl":
        entries = ((f"{where}:{n}", json.loads(line))
                   for n, line in enumerate(text.splitlines(), start=1) if line.strip())
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MetadataError(where, f"manifest is not valid JSON ({exc})") from exc
        items = data.get("documents") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise MetadataError(where, "manifest must be a list or {\"documents\": [...]}")
        entries = ((f"{where}[{i}]", item) for i, item in enumerate(items))
    layers: dict[Path, Layer] = {}
    for at, entry in entries:
        if not isinstance(entry, dict) or not entry.get("path"):
            raise MetadataError(at, "manifest entry needs a 'path'")
        values = {k: v for k, v in entry.items() if k != "path"}
        target = (path.parent / str(entry["path"])).resolve()
        layers[target] = Layer("manifest", validate(values, at))
    return layers


def from_format(meta: Mapping[str, Any]) -> tuple[Layer, list[str]]:
    """The format's own metadata, with unusable values dropped and noted."""
    values: dict[str, Any] = {}
    notes: list[str] = []
    for key, value in meta.items():
        if key == "published":
            try:
                values[key] = parse_date(value, "format")
            except MetadataError:
                notes.append(f"ignored unparseable date {value!r} from the format")
        elif key == "published_estimated":
            values[key] = str(value).strip().lower() in _TRUE
        elif key == "kind" and value not in DOCUMENT_KINDS:
            notes.append(f"ignored unknown kind {value!r} from the format")
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
