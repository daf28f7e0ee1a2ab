"""Expand what the user named (files, folders, globs) into the files to read.

Missing paths and empty folders are reported as problems, not raised, so one typo in a long
argument list does not stop the batch. Files of unknown format met while walking a folder are
skipped and listed (a folder of news often holds images); a file named directly must be readable.
"""

from __future__ import annotations

import glob
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from corroborate.errors import InputError, UnsupportedFormat
from corroborate.ingest.formats import MANIFEST_NAMES, SUPPORTED, detect, is_metadata_file


@dataclass(frozen=True)
class SourceFile:
    path: Path
    size: int
    named: bool


@dataclass
class Discovery:
    files: list[SourceFile] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    manifests: list[Path] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)


def _head(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(1024)


def discover(paths: Sequence[str]) -> Discovery:
    found = Discovery()
    seen: set[Path] = set()

    def take(path: Path, named: bool) -> None:
        resolved = path.resolve()
        if resolved in seen:
            return
        seen.add(resolved)
        if path.name in MANIFEST_NAMES:
            found.manifests.append(resolved)
            return
        if is_metadata_file(path):
            return
        if detect(path, _head(path)) is None:
            if named:
                found.problems.append(UnsupportedFormat(
                    str(path), f"unknown format (supported: {', '.join(SUPPORTED)})"))
            else:
                found.skipped.append((path, "unknown format"))
            return
        found.files.append(SourceFile(path, path.stat().st_size, named))

    for name in paths:
        path = Path(name)
        if not path.exists() and glob.has_magic(name):
            matches = sorted(glob.glob(name, recursive=True))
            if not matches:
                found.problems.append(InputError(name, "no file matches this pattern"))
            for match in matches:
                if Path(match).is_file():
                    take(Path(match), named=True)
            continue
        if not path.exists():
            found.problems.append(InputError(name, "no such file or directory"))
        elif path.is_dir():
            before = len(found.files)
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(p.startswith(".") for p in
                                               child.relative_to(path).parts):
                    take(child, named=False)
            if len(found.files) == before:
                found.problems.append(InputError(
                    name, f"directory has no supported files (supported: {', '.join(SUPPORTED)})"))
        else:
            take(path, named=True)
    return found
