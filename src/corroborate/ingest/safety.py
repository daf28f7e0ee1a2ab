"""What makes hostile text safe to store and print, in one place.

JSON may carry lone surrogates ("\\ud800") and NULs; neither survives the database (SQLite's
UTF-8 encoder and FTS reject surrogates, PostgreSQL rejects NUL), and a file name that is not
valid UTF-8 cannot be printed. Each is replaced one character for one, so text offsets stay
true, and the document says so in a note.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def scrub(text: str) -> tuple[str, int]:
    """`text` with NULs and lone surrogates replaced by U+FFFD, and how many were replaced."""
    if text.isascii() and "\x00" not in text:
        return text, 0
    return _UNSTORABLE.subn(REPLACEMENT, text)


def clean(value: str | None) -> str | None:
    return None if value is None else scrub(value)[0]


def display(path: Path | str) -> str:
    """A path as printable text: undecodable bytes shown as `\\xff` escapes."""
    text = os.fspath(path)
    text = text if isinstance(text, str) else os.fsdecode(text)
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that no file system byte decodes to
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
