"""A cheaper `dataclasses.replace` for the extractor's frozen records.

`dataclasses.replace` builds a keyword dictionary of every field and runs `__init__` through
frozen `__setattr__` guards: about ten microseconds a call, and the pipeline copies each
statement several times (finishing, sources, turns), which made it a few per cent of
extraction. For a frozen dataclass whose `__init__` only stores its fields (no
`__post_init__`, no `__slots__`, every field in `__init__`), copying the instance dictionary
gives the same object; any other class goes through `dataclasses.replace` as before.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")

_PLAIN: dict[type, bool] = {}


def _plain(cls: type) -> bool:
    known = _PLAIN.get(cls)
    if known is None:
        known = _PLAIN[cls] = (
            dataclasses.is_dataclass(cls) and not hasattr(cls, "__post_init__")
            and "__slots__" not in cls.__dict__
            and all(f.init for f in dataclasses.fields(cls)))
    return known


def evolve(obj: T, **changes: Any) -> T:
    """`dataclasses.replace(obj, **changes)`, without re-running `__init__` when that is
    only field assignment (see the module docstring)."""
    cls = type(obj)
    if not _plain(cls):
        return dataclasses.replace(obj, **changes)  # type: ignore[type-var]
    fields = cls.__dataclass_fields__  # type: ignore[attr-defined]
    for name in changes:
        if name not in fields:
            raise TypeError(f"{cls.__name__} has no field {name!r}")
    new = object.__new__(cls)
    state = new.__dict__
    state.update(obj.__dict__)
    state.update(changes)
    return new
