"""The report model: every proposition assessed, as plain data for the HTML report, the
terminal timeline and the JSON API alike (the contract `report.html.render_report` reads)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from corroborate.assess.proposition import Assessment, ContradictionGroup, Entry, assess
from corroborate.link.propositions import Proposition
from corroborate.period import granularity_of
from corroborate.store.corrections import CorrectionStore
from corroborate.store.judgements import JudgementStore
from corroborate.store.ledger import Store
from corroborate.store.links import LinkStore

CONTEXT_CHARS = 160
MAX_SHOWN = 400
OVERVIEW_LANES = 30


def entries(store: Store, proposition_id: str, statement_ids: Sequence[str] | None = None
            ) -> list[Entry]:
    """The statements linked to one proposition, ready to assess: one indexed query over
    summary columns, no JSON and no document text (context is added for what is shown).
    With `statement_ids`, only those of them (the links a correction changed)."""
    result = []
    for (sid, score, stance, quote, cue, hedges, evidence, source_text, said_on, doc_id,
         title, publisher, uri, published, source_id, source_name, alignment, via_id,
         via_name, c_start, c_end, granularity, grade
         ) in LinkStore(store.backend).timeline_rows(proposition_id, statement_ids):
        result.append(Entry(
            statement_id=sid, date=said_on or published,
            date_basis="said_on" if said_on else "published", source_id=source_id,
            source_name=source_name or source_text or publisher or "(author)",
            alignment=alignment or "unknown", stance=stance, score=float(score),
            quote=quote, cue=cue, hedges=tuple(filter(None, (hedges or "").split("\t"))),
            evidence=tuple(filter(None, (evidence or "").split("\t"))),
            via_id=via_id, via_name=via_name,
            document={"id": doc_id, "title": title, "publisher": publisher, "uri": uri,
                      "published": published},
            context={"start": c_start, "end": c_end},
            precision=(granularity or "day") if said_on else granularity_of(published),
            reliability=grade or None))
    return result


def with_context(store: Store, chosen: list[Entry]) -> list[dict[str, Any]]:
    """Entries as report rows, with the exact source text around each quote."""
    texts: dict[str, str] = {}
    rows = []
    for e in chosen:
        doc_id = str(e.document["id"])
        if doc_id not in texts:
            texts[doc_id] = store.get(doc_id).text
        text, start, end = texts[doc_id], int(e.context["start"]), int(e.context["end"])
        row = _entry(e)
        row["context"] = {"before": text[max(0, start - CONTEXT_CHARS):start],
                          "text": text[start:end], "after": text[end:end + CONTEXT_CHARS]}
        rows.append(row)
    return rows


def _when(e: Entry) -> dict[str, Any]:
    """A date as every output carries it: first day, precision, last day, label."""
    p = e.period
    return {"date": e.date, "precision": p.granularity if p else None,
            "date_end": p.end.isoformat() if p else None, "date_label": e.date_label,
            "date_basis": e.date_basis}


def _entry(e: Entry) -> dict[str, Any]:
    return {"statement_id": e.statement_id, **_when(e),
            "source_id": e.source_id, "source_name": e.source_name, "stance": e.stance,
            "score": e.score, "quote": e.quote, "cue": e.cue, "hedges": list(e.hedges),
            "evidence": list(e.evidence), "via": e.via_name, "document": dict(e.document),
            "context": {"before": "", "text": e.quote, "after": ""}}


def _point(e: Entry) -> dict[str, Any]:
    return {**_when(e), "stance": e.stance, "quote": e.quote, "statement_id": e.statement_id}


def _group(g: ContradictionGroup) -> dict[str, Any]:
    return {"source_id": g.source_id, "name": g.source_name, "stance": g.stance,
            "opponents": g.opponents, "note": g.note(),
            "pairs": [{"own": _point(a), "other": {**_point(b), "source_id": b.source_id,
                                                   "name": b.source_name}}
                      for a, b in g.pairs]}


def shown(a: Assessment, limit: int = MAX_SHOWN) -> list[Entry]:
    """What a report can show of a large proposition: every statement up to `limit`, else
    the first claim, both ends of every reversal and contradiction, and each source's first
    and last statement, topped up chronologically."""
    if len(a.timeline) <= limit:
        return a.timeline
    keep: dict[str, Entry] = {}
    if a.first_claimant:
        keep[a.first_claimant.statement_id] = a.first_claimant
    for changes in a.reversals.values():
        for x, y in changes:
            keep[x.statement_id], keep[y.statement_id] = x, y
    for x, y, _ in a.contradictions:
        keep[x.statement_id], keep[y.statement_id] = x, y
    for seq in a.positions.values():
        keep[seq[0].statement_id], keep[seq[-1].statement_id] = seq[0], seq[-1]
    for e in a.timeline:
        if len(keep) >= limit:
            break
        keep.setdefault(e.statement_id, e)
    return sorted(keep.values(), key=lambda e: e.sort_key)[:limit]


def proposition_model(p: Proposition, a: Assessment, store: Store | None = None,
                      types: dict[str, str] | None = None) -> dict[str, Any]:
    sources = []
    for sid, seq in a.positions.items():
        affirm = [e for e in seq if e.stance == "affirm" and e.date]
        sources.append({
            "id": sid, "name": seq[0].source_name, "type": (types or {}).get(sid, ""),
            "alignment": seq[0].alignment, "reliability": seq[0].reliability,
            "first_claim": affirm[0].date if affirm else None,
            "first_claim_label": affirm[0].date_label if affirm else None,
            "order": (affirm or seq)[0].sort_key,
            "positions": [{**_when(e), "stance": e.stance, "statement_id": e.statement_id}
                          for e in seq],
            "reversals": [{"from": _point(x), "to": _point(y)}
                          for x, y in a.reversals.get(sid, [])]})
    sources.sort(key=lambda s: s.pop("order"))
    first = a.first_claimant
    rows = with_context(store, shown(a)) if store is not None else [_entry(e) for e in shown(a)]
    for row in rows:
        if (grade := a.grades.get(row["statement_id"])) is not None:
            row.update(grade.fields())
    if store is not None:  # the report marks what an analyst corrected
        marks = CorrectionStore(store.backend).corrected_statements()
        for row in rows:
            row["corrected"] = str(row["statement_id"]) in marks
    return {
        "id": p.id, "statement": p.statement, "origin": p.origin,
        "timeline": rows,
        "statements_total": len(a.timeline),
        "sources": sources,
        "first_claimant": None if first is None else {
            "source_id": first.source_id or "", "name": first.source_name, **_when(first),
            "date_phrase": first.date_phrase, "statement_id": first.statement_id,
            # Sources that may have claimed it as early: their dates overlap the first's.
            "rivals": [{"source_id": e.source_id or "", "name": e.source_name, **_when(e),
                        "date_phrase": e.date_phrase, "statement_id": e.statement_id}
                       for e in a.first_claim_rivals]},
        "contradictions": [{"a": x.statement_id, "b": y.statement_id, "note": note}
                           for x, y, note in a.contradictions],
        "contradiction_groups": [_group(g) for g in a.contradiction_groups],
        "evidence": [{"type": kind, "side": side, "count": len(found),
                      "examples": [{"statement_id": e.statement_id, "text": e.quote[:200]}
                                   for e in found[:3]]}
                     for (kind, side), found in sorted(a.evidence.items())],
        "corroboration": a.corroboration,
        "relays": [{"from": relayer, "to": origin, "from_name": rname, "to_name": oname,
                    "statement_id": sid} for relayer, origin, rname, oname, sid in a.relays],
    }


def overview(store: Store, limit: int = MAX_SHOWN, lanes: int = OVERVIEW_LANES
             ) -> dict[str, Any]:
    """Every statement by source, for a ledger without analyst propositions: what a user who
    has not written any propositions yet can still read (who said what, when, how firmly).

    Stance here is the speaker's commitment to their own words, not toward a proposition. The
    `lanes` most quoted sources are kept (a chart of hundreds of lanes helps nobody), at most
    `limit` of their statements, spread over time rather than the first `limit`.
    """
    links = LinkStore(store.backend)
    resolved = links.resolved_sources()
    docs = {d.id: d for d in store.documents()}
    by_source: dict[str, list[Entry]] = {}
    total = 0
    for st in store.statements():
        total += 1
        doc = docs.get(st.doc_id)
        if doc is None:
            continue
        r = resolved.get(st.id) or {}
        mention = (st.source.name or st.source.text) if st.source else None
        name = r.get("name") or mention or doc.publisher or "(author)"
        by_source.setdefault(r.get("id") or f"name:{name}", []).append(Entry(
            statement_id=st.id, date=st.said_on or doc.published,
            date_basis="said_on" if st.said_on else "published", source_id=r.get("id"),
            precision=(st.said_on_granularity or "day") if st.said_on
            else granularity_of(doc.published),
            source_name=name, alignment="unknown", stance=st.stance, score=0.0,
            quote=st.content.text, cue=st.cue.text if st.cue else None, hedges=st.hedges,
            evidence=tuple(dict.fromkeys(e.type for e in st.evidence)),
            via_id=r.get("via_id"), via_name=r.get("via_name") or (st.via.text if st.via
                                                                    else None),
            document={"id": doc.id, "title": doc.title, "publisher": doc.publisher,
                      "uri": doc.uri, "published": doc.published},
            context={"start": st.content.start, "end": st.content.end}))
    top = sorted(by_source.values(), key=lambda seq: (-len(seq), seq[0].source_name))[:lanes]
    chosen = [e for seq in top for e in seq]
    if len(chosen) > limit:
        chosen.sort(key=lambda e: e.sort_key)
        step = len(chosen) / limit
        chosen = [chosen[int(i * step)] for i in range(limit)]
    rows = with_context(store, chosen)
    for row in rows:
        row["score"] = None
    return {"timeline": rows, "statements_total": total, "sources_total": len(by_source),
            "sources_shown": len(top), "sources": [], "first_claimant": None}


def build_model(store: Store, title: str = "corroborate report",
                propositions: list[str] | None = None) -> dict[str, Any]:
    links = LinkStore(store.backend)
    every = links.propositions()
    chosen = [p for p in every if not propositions or p.id in propositions]
    counts = store.counts()
    sources = links.sources()
    judgements = JudgementStore(store.backend)
    return {
        "title": title,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "ledger": {"documents": counts["documents"], "statements": counts["statements"],
                   "sources": len(sources), "first_published": counts["first_published"],
                   "last_published": counts["last_published"]},
        "propositions": [proposition_model(
            p, assess(entries(store, p.id), judgements.credibility(p.id)), store,
            {s["id"]: s["type"] for s in sources}) for p in chosen],
        "sources": [{k: s[k] for k in ("id", "name", "type", "role", "affiliation", "country",
                                        "alignment", "grade", "aliases", "statements")}
                    for s in sources],
        # Without analyst propositions the report would show no chart of what was said.
        "overview": None if any(p.origin == "analyst" for p in every) else overview(store),
    }
