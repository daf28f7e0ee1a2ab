"""The report model: every proposition assessed, as plain data for the HTML report, the
terminal timeline and the JSON API alike (the contract `report.html.render_report` reads)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from corroborate.assess.proposition import Assessment, Entry, assess
from corroborate.link.propositions import Proposition
from corroborate.store.ledger import Store
from corroborate.store.links import LinkStore

CONTEXT_CHARS = 160


def entries(store: Store, proposition_id: str) -> list[Entry]:
    """The statements linked to one proposition, ready to assess (one indexed query)."""
    rows = LinkStore(store.backend).timeline_rows(proposition_id)
    texts: dict[str, str] = {}
    result = []
    for (sid, score, stance, data, said_on, doc_id, title, publisher, uri, published,
         source_id, source_name, alignment, via_id, via_name, c_start, c_end) in rows:
        st = json.loads(data)
        if doc_id not in texts:
            texts[doc_id] = store.get(doc_id).text
        text = texts[doc_id]
        source = st.get("source") or {}
        result.append(Entry(
            statement_id=sid, date=said_on or published,
            date_basis="said_on" if said_on else "published", source_id=source_id,
            source_name=source_name or source.get("name") or source.get("text") or
            (publisher or "(author)"),
            alignment=alignment or "unknown", stance=stance, score=float(score),
            quote=st["content"]["text"], cue=(st.get("cue") or {}).get("text"),
            hedges=tuple(st.get("hedges") or ()),
            evidence=tuple(e["type"] for e in st.get("evidence") or ()),
            via_id=via_id, via_name=via_name,
            document={"id": doc_id, "title": title, "publisher": publisher, "uri": uri,
                      "published": published},
            context={"before": text[max(0, c_start - CONTEXT_CHARS):c_start],
                     "text": text[c_start:c_end],
                     "after": text[c_end:c_end + CONTEXT_CHARS]}))
    return result


def _entry(e: Entry) -> dict[str, Any]:
    return {"statement_id": e.statement_id, "date": e.date, "date_basis": e.date_basis,
            "source_id": e.source_id, "source_name": e.source_name, "stance": e.stance,
            "score": e.score, "quote": e.quote, "cue": e.cue, "hedges": list(e.hedges),
            "evidence": list(e.evidence), "via": e.via_name, "document": dict(e.document),
            "context": dict(e.context)}


def _point(e: Entry) -> dict[str, Any]:
    return {"date": e.date, "stance": e.stance, "quote": e.quote, "statement_id": e.statement_id}


def proposition_model(p: Proposition, a: Assessment) -> dict[str, Any]:
    sources = []
    for sid, seq in a.positions.items():
        affirm = [e for e in seq if e.stance == "affirm" and e.date]
        sources.append({
            "id": sid, "name": seq[0].source_name, "type": "", "alignment": seq[0].alignment,
            "first_claim": affirm[0].date if affirm else None,
            "positions": [{"date": e.date, "stance": e.stance, "statement_id": e.statement_id}
                          for e in seq],
            "reversals": [{"from": _point(x), "to": _point(y)}
                          for x, y in a.reversals.get(sid, [])]})
    sources.sort(key=lambda s: (s["first_claim"] or s["positions"][0]["date"] or "9999"))
    first = a.first_claimant
    return {
        "id": p.id, "statement": p.statement, "origin": p.origin,
        "timeline": [_entry(e) for e in a.timeline],
        "sources": sources,
        "first_claimant": None if first is None else {
            "source_id": first.source_id or "", "name": first.source_name, "date": first.date,
            "statement_id": first.statement_id},
        "contradictions": [{"a": x.statement_id, "b": y.statement_id, "note": note}
                           for x, y, note in a.contradictions],
        "evidence": [{"type": kind, "side": side, "count": len(found),
                      "examples": [{"statement_id": e.statement_id, "text": e.quote[:200]}
                                   for e in found[:3]]}
                     for (kind, side), found in sorted(a.evidence.items())],
        "corroboration": a.corroboration,
        "relays": [{"from": relayer, "to": origin, "from_name": rname, "to_name": oname,
                    "statement_id": sid} for relayer, origin, rname, oname, sid in a.relays],
    }


def build_model(store: Store, title: str = "corroborate report",
                propositions: list[str] | None = None) -> dict[str, Any]:
    links = LinkStore(store.backend)
    chosen = [p for p in links.propositions() if not propositions or p.id in propositions]
    counts = store.counts()
    sources = links.sources()
    return {
        "title": title,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "ledger": {"documents": counts["documents"], "statements": counts["statements"],
                   "sources": len(sources), "first_published": counts["first_published"],
                   "last_published": counts["last_published"]},
        "propositions": [proposition_model(p, assess(entries(store, p.id))) for p in chosen],
        "sources": [{k: s[k] for k in ("id", "name", "type", "role", "affiliation", "country",
                                        "alignment", "grade", "aliases", "statements")}
                    for s in sources],
    }
