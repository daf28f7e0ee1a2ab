"""Who is repeating whom: relay edges from an intermediary to the origin of a claim.

`According to Yonhap, the NIS said ...` is one claim with origin NIS relayed by Yonhap, so
corroboration counts the NIS once however many outlets carry it. An edge is drawn for each
statement whose intermediary (`via`) resolved to another source than its speaker; linking
draws them in its scratch table (`link/run.py`, `Scratch.relays`), where each statement's two
resolved sources are.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Relay:
    statement_id: str
    relayer_id: str
    origin_id: str
