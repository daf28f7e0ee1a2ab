"""Who is repeating whom: relay edges from an intermediary to the origin of a claim.

`According to Yonhap, the NIS said ...` is one claim with origin NIS relayed by Yonhap, so
corroboration counts the NIS once however many outlets carry it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Relay:
    statement_id: str
    relayer_id: str
    origin_id: str


def relays(via_sources: Mapping[str, str], statement_sources: Mapping[str, str]) -> list[Relay]:
    """Edges for statements that name an intermediary (`via`) besides their source."""
    return [Relay(sid, relayer, statement_sources[sid])
            for sid, relayer in via_sources.items()
            if sid in statement_sources and statement_sources[sid] != relayer]
