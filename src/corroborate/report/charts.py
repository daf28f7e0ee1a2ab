"""Inline SVG charts of the HTML report (timeline, relay graph, stance bar) and text helpers.

Why SVG from Python: the report must work offline as one file, so no chart library is loaded;
the geometry is computed here in linear time (one pass over statements, an iterative DFS over
relays), which keeps a 500-statement proposition cheap to draw. The small helpers (escaping,
lenient date parsing, stance keys) live here because both the charts and `html.py` need them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta
from html import escape
from typing import Any

from corroborate.period import Period, granularity_of, label, period

STANCES = ("affirm", "deny", "uncertain")
COLOURS = {"affirm": "#2e7d32", "deny": "#c62828", "uncertain": "#f9a825"}
# Timeline geometry (SVG user units): label column, plot, undated column, lane height.
_LABEL_W, _PLOT_W, _UNDATED_W, _LANE_H, _TOP, _AXIS_H = 210, 800, 70, 26, 10, 30
# Relay graph geometry: node box, column pitch, row pitch.
_NODE_W, _NODE_H, _COL_W, _ROW_H = 190, 28, 270, 40


# Control characters and bidi embeddings/overrides/isolates: invisible, and an override such as
# U+202E turns "exe.txt" into a label reading "txt.exe". They are shown as visible marks.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _mark(match: re.Match[str]) -> str:
    return f"[U+{ord(match.group()):04X}]"


def esc(value: Any) -> str:
    """Escape a model value for text or a quoted attribute; None becomes the empty string.

    Controls and bidi overrides are made visible (`[U+202E]`), so a scraped label cannot
    reorder what is shown around it; the CSS also isolates every label (`unicode-bidi`).
    """
    return "" if value is None else escape(_UNSAFE.sub(_mark, str(value)), quote=True)


def cut(text: Any, limit: int) -> str:
    """Shorten long text for labels and tooltips (escaping is the caller's job)."""
    text = "" if text is None else " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def day(value: Any) -> date | None:
    """Parse ISO dates, datetimes, `YYYY-MM` and `YYYY`; anything else counts as undated.

    Years outside 1000-9000 come from misread text and would break the axis: undated too.
    """
    if not isinstance(value, str):
        return None
    for size, pad in ((10, ""), (7, "-01"), (4, "-01-01")):
        if len(value) >= size:
            try:
                parsed = date.fromisoformat(value[:size] + pad)
            except ValueError:
                continue
            return parsed if 1000 <= parsed.year <= 9000 else None
    return None


def span(stmt: dict[str, Any]) -> Period | None:
    """The period a statement's date stands for (`precision` from the model; a model without
    it reads the date's form), or None when undated or unreadable like `day()`."""
    d = day(stmt.get("date"))
    if d is None:
        return None
    p = period(d.isoformat(), granularity_of(stmt["date"], stmt.get("precision")))
    end = day(stmt.get("date_end"))  # the model's, cut at publication (assess/entry.py)
    if p and end and p.start <= end < p.end:
        p = Period(p.start, end, p.granularity)
    return p if p and 1000 <= p.end.year <= 9000 else None


def when(stmt: dict[str, Any], pub: bool = False) -> str:
    """A statement's date as shown: `2024-10-18`, `Oct 2024`, `week of 2024-11-11`; `pub`
    adds the publication-date mark."""
    p = span(stmt)
    if p is None:
        return "undated"
    shown = label(p.start.isoformat(), p.granularity)
    return shown + (" (pub)" if pub and stmt.get("date_basis") not in (None, "said_on") else "")


def stance_key(stance: Any) -> str:
    """A stance safe to use as a CSS class and colour key (unknown values read as uncertain)."""
    return stance if stance in STANCES else "uncertain"


def chrono(timeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Statements by period start, then end (the more precise first), undated last; the sort
    is stable so equal dates keep model order."""
    keyed = [(span(s), s) for s in timeline]
    keyed.sort(key=lambda pair: (pair[0] is None, (pair[0].start, pair[0].end) if pair[0]
                                 else (date.min, date.min)))
    return [s for _, s in keyed]


def _lane_key(stmt: dict[str, Any]) -> str:
    return str(stmt.get("source_id") or f"name:{stmt.get('source_name')}")


def _ticks(lo: date, hi: date) -> list[tuple[date, str]]:
    """Calendar-aligned axis ticks (days, weeks or months) giving at most ~9 labels."""
    span = (hi - lo).days
    if span <= 75:
        step = next(s for s in (1, 2, 3, 7, 14, 21) if span / s <= 9)
        first = lo - timedelta(days=lo.weekday()) if step >= 7 else lo
        days = (first + timedelta(days=i * step) for i in range(span // step + 2))
        shown = [d for d in days if lo <= d <= hi]
        return [(d, f"{d.day} {d:%b}" + (f" {d.year}" if i == 0 or (d.month == 1 and d.day <= step)
                                        else "")) for i, d in enumerate(shown)]
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    step = next((s for s in (1, 2, 3, 6, 12, 24, 60, 120) if months / s <= 9),
                12 * (months // 108 + 1))
    out, y, m = [], lo.year, lo.month
    while (y, m) <= (hi.year, hi.month):
        d = date(y, m, 1)
        if d >= lo and ((m - 1) % step == 0 if step < 12 else m == 1 and y % (step // 12) == 0):
            out.append((d, d.strftime("%Y" if step >= 12 else "%b %Y")))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def timeline_svg(prop: dict[str, Any], stmts: list[dict[str, Any]], uid: str) -> str:
    """One lane per source, one circle per statement, dashed arcs for each reversal.

    A statement dated only to a week or a month ("in October") is a bar across that period
    with its circle in the middle and its label ("Oct 2024") above: never a dot on the 1st.
    """
    if not stmts:
        return '<p class="empty">No statements.</p>'
    lanes: dict[str, tuple[int, str]] = {}
    for s in stmts:
        lanes.setdefault(_lane_key(s), (len(lanes), str(s.get("source_name") or "?")))
    spans = {str(s["statement_id"]): p for s in stmts if (p := span(s))}
    days = [d for p in spans.values() for d in (p.start, p.end)]
    undated = len(spans) < len(stmts)
    lo, hi = (min(days), max(days)) if days else (date(2000, 1, 1),) * 2  # no axis drawn then
    pad = max(1, (hi - lo).days // 30)
    dlo, dhi = lo - timedelta(days=pad), hi + timedelta(days=pad)
    x0, scale = _LABEL_W + 16, (_PLOT_W - 48) / max(1, (dhi - dlo).days)  # inset: no edge labels
    width = _LABEL_W + (_PLOT_W if days else 0) + (_UNDATED_W if undated else 0) + 16
    plot_h = len(lanes) * _LANE_H
    both = len(lanes) > 14  # tall charts scroll: repeat the axis above the lanes
    top = _TOP + (_AXIS_H - 8 if both else 0)
    height = top + plot_h + _AXIS_H
    out = [f'<svg class="timeline{" dated" if days else ""}" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" '
           'aria-label="Timeline of statements by source">',
           f'<defs><marker id="{uid}-rev" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto-start-reverse"><path class="arrow-rev" '
           'd="M0,0L10,5L0,10z"/></marker></defs>']
    for i, name in lanes.values():
        y = top + i * _LANE_H
        if i % 2 == 0:
            out.append(f'<rect x="0" y="{y}" width="{width}" height="{_LANE_H}" fill="#f1f3f7"/>')
        out.append(f'<text class="lane-label" x="{_LABEL_W - 10}" y="{y + _LANE_H / 2 + 4}" '
                   f'text-anchor="end"><title>{esc(name)}</title>{esc(cut(name, 30))}</text>')
    base = top + plot_h
    if days:
        for d, label in _ticks(dlo, dhi):
            x = x0 + (d - dlo).days * scale
            out.append(f'<line class="grid" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{base}"/>'
                       + "".join(f'<text class="axis" x="{x:.1f}" y="{y}" text-anchor="middle">'
                                 f"{esc(label)}</text>" for y in (base + 16, top - 8)[:1 + both]))
    ux = _LABEL_W + (_PLOT_W if days else 0) + _UNDATED_W / 2
    if undated:
        out.append(f'<line class="grid" x1="{ux - _UNDATED_W / 2}" y1="{top}" '
                   f'x2="{ux - _UNDATED_W / 2}" y2="{base}" stroke-dasharray="3 3"/>'
                   f'<text class="axis" x="{ux}" y="{base + 16}" text-anchor="middle">'
                   "undated</text>")
    pos: dict[str, tuple[float, float]] = {}
    crowd: dict[tuple[int, int], int] = defaultdict(int)
    circles, bars = [], []
    barred: set[tuple[int, Period]] = set()
    for s in stmts:
        lane = lanes[_lane_key(s)][0]
        p = spans.get(str(s["statement_id"]))
        x = x0 + ((p.start - dlo).days + (p.end - p.start).days / 2) * scale if p else ux
        if p is not None and not p.exact and (lane, p) not in barred:
            barred.add((lane, p))
            bars.append(_bar(s, p, x0 + (p.start - dlo).days * scale,
                             max(4.0, ((p.end - p.start).days + 1) * scale),
                             top + lane * _LANE_H))
        k = crowd[(lane, round(x / 5))]
        crowd[(lane, round(x / 5))] += 1
        # Fan out same-day statements of one source: 7 across, then rows above and below.
        dx = (k % 7 + 1) // 2 * 5 * (1 if k % 7 % 2 else -1)
        cx, cy = x + dx, top + lane * _LANE_H + _LANE_H / 2 + (0, -6, 6)[k // 7 % 3]
        pos[str(s["statement_id"])] = (cx, cy)
        tip = (f"{s.get('source_name')} — {when(s, pub=True)}"
               + (" (day unknown)" if p is not None and not p.exact else "")
               + f" — {s.get('quote')}")
        circles.append(f'<circle class="stmt" data-statement="{esc(s["statement_id"])}" '
                       f'data-stance="{stance_key(s["stance"])}" cx="{cx:.1f}" cy="{cy:.1f}" r="6" '
                       f'fill="{COLOURS[stance_key(s["stance"])]}" tabindex="0" role="button">'
                       f"<title>{esc(cut(tip, 600))}</title></circle>")
    for src in prop["sources"]:
        for rev in src["reversals"]:
            a = pos.get(str(rev["from"]["statement_id"]))
            b = pos.get(str(rev["to"]["statement_id"]))
            if a and b:
                mid, peak = (a[0] + b[0]) / 2, min(a[1], b[1]) - _LANE_H * 0.9
                out.append(f'<path class="rev-arc" d="M{a[0]:.1f},{a[1] - 6:.1f} Q{mid:.1f},'
                           f'{peak:.1f} {b[0]:.1f},{b[1] - 7:.1f}" marker-end="url(#{uid}-rev)">'
                           f"<title>reversal: {esc(rev['from']['stance'])} → "
                           f"{esc(rev['to']['stance'])}</title></path>")
    first = prop["first_claimant"]
    if first and (ring := pos.get(str(first["statement_id"]))):
        out.append(f'<circle class="first-ring" cx="{ring[0]:.1f}" cy="{ring[1]:.1f}" '
                   'r="9.5"/>')
    out += bars + circles
    out.append("</svg>")
    return "".join(out)


def _bar(s: dict[str, Any], p: Period, x: float, width: float, y: float) -> str:
    """The period of an imprecise date as a translucent bar in its lane, labelled."""
    shown = label(p.start.isoformat(), p.granularity)
    return (f'<rect class="span" data-statement="{esc(s["statement_id"])}" x="{x:.1f}" '
            f'y="{y + _LANE_H / 2 - 4:.1f}" width="{width:.1f}" height="8" rx="4" '
            f'fill="{COLOURS[stance_key(s["stance"])]}"><title>{esc(shown)} (day unknown)'
            f'</title></rect><text class="span-label" x="{x + width / 2:.1f}" '
            f'y="{y + 7:.1f}" text-anchor="middle">{esc(shown)}</text>')


def legend(full: bool = True) -> str:
    """Stance colours; `full` adds the marks only a proposition timeline has."""
    items = [f'<span><svg width="12" height="12"><circle cx="6" cy="6" r="5.5" fill="{c}"/>'
             f"</svg>{s}</span>" for s, c in COLOURS.items()]
    if not full:
        items.append("<span>click a circle to open its statement</span>")
        return '<div class="legend">' + "".join(items) + "</div>"
    items.append('<span><svg width="26" height="12"><path d="M2,10 Q13,-2 24,10" fill="none" '
                 'stroke="#6a1b9a" stroke-width="1.8" stroke-dasharray="4 3"/></svg>'
                 "reversal</span>")
    items.append('<span><svg width="14" height="14"><circle cx="7" cy="7" r="6" fill="none" '
                 'stroke="#111"/></svg>first claim</span>')
    items.append("<span>click a circle to open its statement</span>")
    return '<div class="legend">' + "".join(items) + "</div>"


def _layers(nodes: list[str], out: dict[str, list[str]]) -> dict[str, int]:
    """Longest-path layering with origins at 0; back edges of relay cycles are ignored.

    Iterative DFS so a long relay chain cannot hit the recursion limit; O(nodes + edges).
    """
    layer: dict[str, int] = {}
    seen: set[str] = set()
    for root in nodes:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(out[root]))]
        while stack:
            v, it = stack[-1]
            nxt = next((w for w in it if w not in seen), None)
            if nxt is not None:
                seen.add(nxt)
                stack.append((nxt, iter(out[nxt])))
                continue
            stack.pop()
            layer[v] = max((layer[w] + 1 for w in out[v] if w in layer), default=0)
    return layer


def relay_svg(prop: dict[str, Any], uid: str, stance_of: dict[str, str]) -> str:
    """Who repeats whom: relayers to the right, arrows pointing at the source they relay."""
    if not prop["relays"]:
        return '<p class="empty">No relays recorded.</p>'
    names: dict[str, str] = {}
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    out: dict[str, list[str]] = defaultdict(list)
    for r in prop["relays"]:
        a, b = str(r["from"]), str(r["to"])
        names.setdefault(a, str(r.get("from_name") or a))
        names.setdefault(b, str(r.get("to_name") or b))
        if (a, b) not in edges:
            out[a].append(b)
        edges[(a, b)].append(str(r["statement_id"]))
    layer = _layers(list(names), out)
    by_layer: dict[int, list[str]] = defaultdict(list)
    for n in names:
        by_layer[layer[n]].append(n)
    row: dict[str, int] = {}
    for lv in sorted(by_layer):  # barycentre ordering against the already placed targets
        if lv:
            by_layer[lv].sort(key=lambda n: sum(row[w] for w in out[n] if w in row)
                              / max(1, len(out[n])))
        row.update((n, i) for i, n in enumerate(by_layer[lv]))
    xy = {n: (12.0 + layer[n] * _COL_W, 12.0 + row[n] * _ROW_H) for n in names}
    width = 24 + max(layer.values()) * _COL_W + _NODE_W
    height = 24 + max(len(c) for c in by_layer.values()) * _ROW_H
    ends: dict[tuple[str, str], list[str]] = defaultdict(list)  # spread arrows along box sides
    for a, b in edges:
        if layer[a] > layer[b]:
            ends[("out", a)].append(b)
            ends[("in", b)].append(a)
    port: dict[tuple[str, str, str], float] = {}
    for (side, n), others in ends.items():
        others.sort(key=row.__getitem__)
        for k, o in enumerate(others):
            port[(side, n, o)] = xy[n][1] + _NODE_H * (k + 1) / (len(others) + 1)
    svg = [f'<svg class="relays" viewBox="0 0 {width} {height}" width="{width}" '
           f'height="{height}" role="img" aria-label="Relay graph">',
           f'<defs><marker id="{uid}-arr" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto-start-reverse"><path class="arrow" d="M0,0L10,5L0,10z"/>'
           "</marker></defs>"]
    labels = []
    for (a, b), sids in edges.items():
        (ax, ay), (bx, by) = xy[a], xy[b]
        if layer[a] > layer[b]:  # normal case: relayer sits right of its origin
            x1, y1, x2, y2 = ax, port[("out", a, b)], bx + _NODE_W, port[("in", b, a)]
            d = f"M{x1:g},{y1:.1f} C{x1 - 50:g},{y1:.1f} {x2 + 50:g},{y2:.1f} {x2:g},{y2:.1f}"
        else:  # a relay cycle: loop below the boxes
            x1, y1, x2, y2 = ax + _NODE_W / 2, ay + _NODE_H, bx + _NODE_W / 2 + 8, by + _NODE_H
            d = f"M{x1:g},{y1:g} C{x1:g},{y1 + 30:g} {x2:g},{y2 + 30:g} {x2:g},{y2:g}"
        tip = f"{names[a]} relays {names[b]} — statement(s): {', '.join(sids[:10])}"
        if len(sids) > 1:
            labels.append(f'<text class="edge-count" x="{(x1 + x2) / 2:.0f}" '
                          f'y="{(y1 + y2) / 2 - 3:.0f}" text-anchor="middle">×{len(sids)}</text>')
        svg.append(f'<g class="relay-edge" data-from="{esc(a)}" data-to="{esc(b)}" '
                   f'data-goto="{esc(sids[0])}" tabindex="0"><title>{esc(tip)}</title>'
                   f'<path d="{d}" stroke-width="{1.2 + min(len(sids), 6) * 0.4:.1f}" '
                   f'marker-end="url(#{uid}-arr)"/></g>')
    for n, (x, y) in xy.items():
        cls = f" n-{stance_of[n]}" if n in stance_of else ""
        svg.append(f'<g class="relay-node{cls}" data-source="{esc(n)}"><title>{esc(names[n])}'
                   f'</title><rect x="{x:g}" y="{y:g}" width="{_NODE_W}" height="{_NODE_H}" '
                   'rx="5"/>'
                   f'<text x="{x + 9:g}" y="{y + 18:g}">{esc(cut(names[n], 28))}</text></g>')
    svg += labels
    svg.append("</svg>")
    return "".join(svg)


def mix_bar(counts: dict[str, int], width: int = 110) -> str:
    """Stance proportions as a small stacked bar (inline SVG, so it prints and needs no CSS)."""
    total = sum(counts.get(s, 0) for s in STANCES)
    label = ", ".join(f"{counts.get(s, 0)} {s}" for s in STANCES)
    x, rects = 0.0, []
    for s in STANCES:
        if w := width * counts.get(s, 0) / max(1, total):
            rects.append(f'<rect x="{x:.1f}" width="{w:.1f}" height="9" fill="{COLOURS[s]}"/>')
            x += w
    return (f'<svg class="mix" width="{width}" height="9" role="img" aria-label="{label}">'
            f'<rect width="{width}" height="9" fill="#e3e6eb"/>{"".join(rects)}'
            f"<title>{label}</title></svg>")
