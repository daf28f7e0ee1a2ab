"""Query and form parameters read once, with errors that name the parameter."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from corroborate.errors import InputError
from corroborate.store.pages import StatementFilter

DEFAULT_LIMIT = 50


def text(values: Mapping[str, Any], name: str, required: bool = False,
         limit: int = 2000) -> str | None:
    value = values.get(name)
    value = value.strip() if isinstance(value, str) else value
    if value in (None, ""):
        if required:
            raise InputError(name, "is required")
        return None
    if not isinstance(value, str):
        raise InputError(name, f"must be a string (got {type(value).__name__})")
    if len(value) > limit:
        raise InputError(name, f"is longer than {limit} characters")
    if "\x00" in value:
        raise InputError(name, "holds a NUL character")
    return value


def integer(values: Mapping[str, Any], name: str, default: int | None = None,
            required: bool = False) -> int:
    value = values.get(name)
    if value in (None, ""):
        if default is None or required:
            raise InputError(name, "is required")
        return default
    if isinstance(value, bool):
        raise InputError(name, "must be an integer")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InputError(name, f"must be an integer (got {value!r})") from None
    if abs(number) > 2**53:
        raise InputError(name, "is out of range")
    return number


def page(values: Mapping[str, Any], default: int = DEFAULT_LIMIT) -> tuple[int, int]:
    return integer(values, "limit", default), integer(values, "offset", 0)


def statement_filter(values: Mapping[str, Any], proposition_id: str | None = None
                     ) -> StatementFilter:
    return StatementFilter(
        proposition_id=proposition_id or text(values, "proposition"),
        source_id=text(values, "source"), stance=text(values, "stance"),
        since=text(values, "since"), until=text(values, "until"), kind=text(values, "kind"),
        text=text(values, "text"), doc_id=text(values, "document"))


def local_path(values: Mapping[str, Any], fallback: str) -> str:
    """Where a form goes back to (`next`): a local path only, never `//host` or a URL, so
    no form of ours redirects off this server."""
    target = str(values.get("next") or "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback
