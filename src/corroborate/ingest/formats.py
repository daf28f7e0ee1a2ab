"""Which reader a file goes to: by extension first, then by sniffing the first bytes."""

from __future__ import annotations

from pathlib import Path

EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".arc.gz": "warc",
    ".vtt": "vtt",
    ".srt": "srt",
    ".pdf": "pdf",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonl.gz": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
}

SUPPORTED = sorted(set(EXTENSIONS.values()))

SIDECAR_SUFFIX = ".meta.json"
MANIFEST_NAMES = ("corroborate-manifest.json", "corroborate-manifest.jsonl",
                  "corroborate-manifest.csv")


def is_metadata_file(path: Path) -> bool:
    """Sidecars and manifests describe documents; they are never documents themselves."""
    return path.name.endswith(SIDECAR_SUFFIX) or path.name in MANIFEST_NAMES


def by_extension(path: Path) -> str | None:
    name = path.name.lower()
    for ext in sorted(EXTENSIONS, key=len, reverse=True):
        if name.endswith(ext):
            return EXTENSIONS[ext]
    return None


def sniff(head: bytes) -> str | None:
    """Guess a format from content, for files with no or an unknown extension."""
    stripped = head.lstrip()[:512]
    lower = stripped.lower()
    if stripped.startswith(b"%PDF-"):
        return "pdf"
    if stripped.startswith((b"WARC/", b"\x1f\x8b")):
        # gzip could be anything; the WARC reader checks and says so if it is not a WARC.
        return "warc"
    if stripped.startswith(b"WEBVTT") or stripped.startswith(b"\xef\xbb\xbfWEBVTT"):
        return "vtt"
    if lower.startswith((b"<!doctype html", b"<html")) or b"<body" in lower:
        return "html"
    return None


def detect(path: Path, head: bytes) -> str | None:
    return by_extension(path) or sniff(head)
