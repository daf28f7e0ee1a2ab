"""Expand what the user named (files, folders, globs) into the files to read.

Missing paths and empty folders are reported as problems, not raised, so one typo in a long
argument list does not stop the batch. Files of unknown format met while walking a folder are
skipped and listed (a folder of news often holds images); a file named directly must be readable.
Only regular files are ever opened: opening a FIFO blocks until a writer comes (forever, in a
batch), and a device can be endless; named directly they are refused, met in a folder skipped.
"""

from __future__ import annotations

import errno
import glob
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from corroborate.errors import InputError, TooLarge, UnsupportedFormat
from corroborate.ingest.formats import MANIFEST_NAMES, SUPPORTED, detect, is_metadata_file
from corroborate.ingest.safety import display

_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISDIR, "a directory"))


def special_kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file, at most `limit` + 1 (so a file that grew is caught).

    Opened non-blocking and checked with fstat on the open descriptor, so a path swapped for a
    FIFO after discovery still cannot block us.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        kind = special_kind(os.fstat(fd).st_mode)
        if kind:
            raise UnsupportedFormat(display(path), f"{kind}, not a regular file; not read")
        with os.fdopen(os.dup(fd), "rb") as handle:
            raw = handle.read(limit + 1)
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise TooLarge(display(path), f"file grew past the {limit / 1e6:.1f} MB limit "
                                      "(--max-size) while being read")
    return raw


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
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        return os.read(fd, 1024)
    finally:
        os.close(fd)


def _why(exc: OSError) -> str:
    if exc.errno == errno.EACCES:
        return "permission denied"
    return f"cannot read ({exc.strerror or exc})"


def discover(paths: Sequence[str]) -> Discovery:
    found = Discovery()
    seen: set[Path] = set()

    def take(path: Path, named: bool) -> None:
        try:
            resolved = path.resolve()
            info = path.stat()
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python 3.11)
            problem = _why(exc) if isinstance(exc, OSError) else "symlink loop"
            found.problems.append(InputError(display(path), problem))
            return
        kind = special_kind(info.st_mode)
        if kind:
            if named:
                found.problems.append(UnsupportedFormat(
                    display(path), f"{kind}, not a regular file; not read"))
            else:
                found.skipped.append((path, kind))
            return
        if resolved in seen:
            return
        seen.add(resolved)
        if path.name in MANIFEST_NAMES:
            found.manifests.append(resolved)
            return
        if is_metadata_file(path):
            return
        try:
            head = _head(path)
        except OSError as exc:
            found.problems.append(InputError(display(path), _why(exc)))
            return
        if detect(path, head) is None:
            if named:
                found.problems.append(UnsupportedFormat(
                    display(path), f"unknown format (supported: {', '.join(SUPPORTED)})"))
            else:
                found.skipped.append((path, "unknown format"))
            return
        found.files.append(SourceFile(path, info.st_size, named))

    for name in paths:
        path = Path(name)
        if not _exists(path) and glob.has_magic(name):
            matches = sorted(glob.glob(name, recursive=True))
            if not matches:
                found.problems.append(InputError(display(name), "no file matches this pattern"))
            for match in matches:
                if not Path(match).is_dir():
                    take(Path(match), named=True)
            continue
        if not _exists(path):
            found.problems.append(InputError(display(name), "no such file or directory"))
        elif path.is_dir():
            before = len(found.files)
            for child in _walk(path, found):
                take(child, named=False)
            if len(found.files) == before:
                found.problems.append(InputError(
                    display(name),
                    f"directory has no supported files (supported: {', '.join(SUPPORTED)})"))
        else:
            take(path, named=True)
    return found


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # a name too long, or with a NUL byte
        return False


def _walk(folder: Path, found: Discovery) -> list[Path]:
    """Every non-hidden file under `folder`, sorted; special files are listed to skip."""
    children: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=lambda exc: found.problems.append(
            InputError(display(exc.filename or folder), _why(exc)))):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        children.extend(Path(root) / f for f in files if not f.startswith("."))
    return sorted(children)
