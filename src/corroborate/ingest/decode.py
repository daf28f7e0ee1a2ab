"""Bytes to text, saying what was done.

Sources arrive in whatever encoding their publisher used; we decode strictly as UTF-8 first
(the common case, and the only one we can be sure of), then let charset-normalizer detect
the rest, and record the decision so an analyst can see that a text was guessed at.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Any

from charset_normalizer import from_bytes

from corroborate.errors import DecodeError, UnsupportedFormat

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# Among near-equal guesses, prefer the encodings news text is most often found in: detectors
# rank cp1250 and cp1252 equal on French text, and mac_cyrillic above cp1251 on Russian.
_PREFERRED = ("cp1252", "cp1251", "iso8859_15", "latin_1", "shift_jis", "gb18030", "euc_kr",
              "big5", "cp1250", "iso8859_2", "koi8_r", "cp1256", "cp1253", "cp1254")


def _best_guess(raw: bytes) -> Any:
    try:
        matches = list(from_bytes(raw))
    except (ValueError, LookupError, UnicodeError, RecursionError):
        return None
    if not matches:
        return None
    best = matches[0]
    close = [m for m in matches if m.chaos <= best.chaos + 0.01
             and m.coherence >= best.coherence - 0.1]
    for name in _PREFERRED:
        for match in close:
            if match.encoding == name:
                return match
    return best


def _is_text_encoding(name: str) -> bool:
    """A page may declare any codec name; "rot13", "zlib" or "undefined" are not charsets."""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        return False
    return bool(getattr(info, "_is_text_encoding", True)) and info.name not in (
        "undefined", "unicode-escape", "raw-unicode-escape", "punycode", "idna")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    note: str | None


def looks_binary(raw: bytes) -> bool:
    """NUL bytes or many control characters in the head mean this is not a text file.

    UTF-16/32 text has NULs too, so a BOM exempts the file.
    """
    head = raw[:8192]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return len(head) > 0 and controls / len(head) > 0.05


def decode_text(raw: bytes, where: str, declared: str | None = None) -> Decoded:
    """Decode `raw`; raise `UnsupportedFormat` for binary data, `DecodeError` if nothing fits."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                return Decoded(raw.decode(name), name, f"decoded as {name} (byte-order mark)")
            except UnicodeDecodeError as exc:
                # The mark is a promise about every byte; a file that breaks it is damaged,
                # and guessing another encoding would only hide that.
                raise DecodeError(where, f"starts with a {name} byte-order mark but is not "
                                         f"valid {name} ({exc.reason} at byte {exc.start})"
                                  ) from exc
    if looks_binary(raw):
        raise UnsupportedFormat(where, "binary content, not a text document")
    try:
        return Decoded(raw.decode("utf-8"), "utf-8", None)
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if declared and _is_text_encoding(declared):
        try:
            text = raw.decode(declared)
        except (UnicodeError, ValueError):  # ("undefined" raises a bare UnicodeError)
            pass
        else:
            return Decoded(text, declared, f"not valid UTF-8; decoded as declared {declared}")
    best = _best_guess(raw)
    if best is None or best.encoding is None:
        raise DecodeError(
            where, f"not valid UTF-8 (bad byte at offset {first_bad}) and no encoding fits"
        )
    text = str(best)
    return Decoded(
        text,
        best.encoding,
        f"not valid UTF-8 (bad byte at offset {first_bad}); detected and decoded as "
        f"{best.encoding}",
    )
