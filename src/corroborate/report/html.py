"""Render a REPORT MODEL (plain dict from the assessment layer) as one self-contained HTML page.

Why this shape: analysts open the report offline and forward it as a single file, so all CSS and
JS are inline and the charts are SVG computed in Python (`charts.py`; no chart library, no CDN).
Every string in the model may come from a hostile web page, so everything is escaped with
`html.escape`, links are emitted only for http(s) URIs, and a Content-Security-Policy admits our
one script by its hash. Work is linear in the model size (dict look-ups, no pairwise loops), long
statement lists sit in closed `<details>` and proposition sections use `content-visibility`, so
200 propositions with 500 statements each stay usable in a browser.
"""

from __future__ import annotations

import base64
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, urlsplit

from corroborate.report.assets import CSS, JS
from corroborate.report.charts import (
    STANCES,
    chrono,
    cut,
    esc,
    legend,
    mix_bar,
    relay_svg,
    span,
    stance_key,
    timeline_svg,
    when,
)

COLLAPSE_AFTER = 20  # statement lists longer than this start closed
LAZY_AFTER = 8  # with more propositions, off-screen sections skip rendering (content-visibility)
def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# Only our own <style> and <script> may apply or run, and nothing may be fetched.
_CSP = (f"default-src 'none'; img-src data:; style-src {_sha256(CSS)}; "
        f"script-src {_sha256(JS)}; base-uri 'none'; form-action 'none'")


def _href(uri: Any) -> str | None:
    """Only http(s) URIs become links: `javascript:` and friends from scraped pages must not."""
    if not isinstance(uri, str):
        return None
    try:
        scheme = urlsplit(uri.strip()).scheme.lower()
    except ValueError:
        return None
    return uri.strip() if scheme in ("http", "https") else None


def _badge(stance: Any, extra: str = "") -> str:
    return f'<span class="badge b-{stance_key(stance)}">{esc(stance)}{extra}</span>'


def _goto(sid: Any, label: str, cls: str = "", title: str = "") -> str:
    """A link to a statement card; the JS opens its `<details>` and highlights it."""
    attrs = f' class="{cls}"' if cls else ""
    attrs += f' title="{esc(title)}"' if title else ""
    return (f'<a href="#stmt-{esc(quote(str(sid), safe=""))}" data-goto="{esc(sid)}"{attrs}>'
            f"{label}</a>")


def _bdi(value: Any) -> str:
    """A bare untrusted value set among other text: isolated so it cannot reorder its
    neighbours (labels inside their own element are isolated by the CSS)."""
    return f"<bdi>{esc(value)}</bdi>"


def _src_link(source_id: Any, name: Any) -> str:
    if not source_id:
        return _bdi(name)
    return f'<a href="#src-{esc(quote(str(source_id), safe=""))}">{esc(name)}</a>'


def _card(s: dict[str, Any], uid: str) -> str:
    """A statement card: when, who (via whom), how firmly, on what evidence, exact source text."""
    st, sid = stance_key(s["stance"]), s["statement_id"]
    said = s.get("date_basis") == "said_on"
    basis = ('<span class="basis" title="date the statement was made">said on</span>' if said
             else '<span class="basis pub" title="date the statement was made is unknown; '
             'this is the publication date of the document">publication date</span>')
    p = span(s)
    exact = p is None or p.exact
    unknown = "" if exact else ' <span class="basis" title="only the period is known">day ' \
        "unknown</span>"
    when_html = (f'<time datetime="{esc(p.start.isoformat() if exact else s["date"][:7])}">'
                 f'{esc(when(s))}</time>{unknown} {basis}' if p else '<time>undated</time>')
    via = f' <span class="muted">via {_bdi(s["via"])}</span>' if s.get("via") else ""
    hedges = "".join(f'<span class="tag">{esc(h)}</span>' for h in s["hedges"])
    if s.get("corrected"):
        hedges += ('<span class="tag corrected" title="an analyst corrected this statement '
                   'or its link (corroborate history)">corrected</span>')
    score = s.get("score")
    badge = _badge(s["stance"], f" {score:.2f}" if isinstance(score, int | float) else "")
    if s.get("admiralty"):
        badge += (f' <span class="tag" title="Admiralty code: source reliability (? not graded) '
                  f'and credibility {esc(s.get("credibility"))}'
                  f'{" set by the analyst" if s.get("credibility_overridden") else ""}: '
                  f'{esc(s.get("credibility_reason"))}">{esc(s["admiralty"])}</span>')
    ctx = s.get("context") or {}
    before, text, after = (ctx.get("before") or "", ctx.get("text") or s.get("quote") or "",
                           ctx.get("after") or "")
    quote_html = (("…" if before else "") + esc(before) + f"<mark>{esc(text)}</mark>" + esc(after)
                  + ("…" if after else ""))
    meta = []
    if s.get("cue"):
        meta.append(f"cue <b>{esc(s['cue'])}</b>")
    if s["evidence"]:
        meta.append("evidence " + "".join(f'<span class="tag">{esc(v)}</span>'
                                          for v in s["evidence"]))
    doc = s.get("document") or {}
    link = _href(doc.get("uri"))
    uri = (f'<a href="{esc(link)}" rel="noopener noreferrer" target="_blank">'
           f'{esc(cut(link, 90))}</a>' if link else esc(cut(doc.get("uri"), 90)))
    docbits = [f"<i>{esc(doc['title'])}</i>" if doc.get("title") else "",
               _bdi(doc["publisher"]) if doc.get("publisher") else "",
               f"published {esc(doc['published'])}" if doc.get("published") else "", uri]
    return (f'<article class="card s-{st}" id="stmt-{esc(sid)}" tabindex="-1">'
            f'<div class="card-head">{when_html}<span class="who">'
            f'{_src_link(s.get("source_id"), s.get("source_name"))}</span>{via}{badge}{hedges}'
            f'<span class="sid"><a class="back" href="#tl-{uid}">↑ timeline</a> {esc(sid)}</span>'
            "</div>"
            f'<blockquote class="quote">{quote_html}</blockquote>'
            + (f'<div class="card-meta">{" · ".join(meta)}</div>' if meta else "")
            + f'<div class="doc">{" · ".join(b for b in docbits if b)}</div></article>')


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _table(cls: str, heads: Iterable[str], rows: Iterable[str], empty: str) -> str:
    body = "".join(rows)
    if not body:
        return f'<p class="empty">{empty}</p>'
    head = "".join('<th class="num">' + h[:-1] + "</th>" if h.endswith("#") else f"<th>{h}</th>"
                   for h in heads)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _counts(timeline: list[dict[str, Any]]) -> dict[str, int]:
    counts = dict.fromkeys(STANCES, 0)
    for s in timeline:
        counts[stance_key(s["stance"])] += 1
    return counts


def _evidence(prop: dict[str, Any]) -> str:
    """Evidence type × side: how many statements cite each kind of evidence, with examples."""
    cells: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    totals: dict[str, int] = defaultdict(int)
    for ev in prop["evidence"]:
        cells[str(ev["type"])][stance_key(ev["side"])] = ev
        totals[str(ev["type"])] += int(ev.get("count") or 0)
    rows = []
    for typ in sorted(cells, key=lambda t: (-totals[t], t)):
        tds = []
        for side in STANCES:
            ev = cells[typ].get(side)
            examples = "".join(_goto(x["statement_id"], esc(cut(x["text"], 140)), "ex")
                               for x in (ev or {}).get("examples", [])[:2])
            tds.append(f"<td><b>{esc(ev['count'])}</b>{examples}</td>" if ev
                       else '<td class="muted">—</td>')
        rows.append(f"<tr><th>{esc(typ)}</th>{''.join(tds)}</tr>")
    return _table("evidence", ["Evidence", *(_badge(s) for s in STANCES)], rows,
                  "No evidence types recorded.")


def _positions(positions: list[dict[str, Any]]) -> str:
    """A source's stance sequence, runs of the same stance folded into one pill (×n)."""
    runs: list[list[Any]] = []  # stance, first statement, first date, last date, count
    for p in positions:
        if runs and runs[-1][0] == p["stance"]:
            runs[-1][3], runs[-1][4] = when(p), runs[-1][4] + 1
        else:
            runs.append([p["stance"], p["statement_id"], when(p), when(p), 1])
    return '<span class="seq"> → </span>'.join(
        _goto(sid, esc(st) + (f" ×{n}" if n > 1 else ""), f"pill p-{stance_key(st)}",
              f"{d1}" + (f" – {d2}" if n > 1 else ""))
        for st, sid, d1, d2, n in runs)


def _reversal(r: dict[str, Any]) -> str:
    a, b = r["from"], r["to"]
    return (f'<div class="rv">{_badge(a["stance"])} {esc(when(a, pub=True))} → '
            f'{_badge(b["stance"])} {esc(when(b, pub=True))}<br>'
            f'{_goto(a["statement_id"], "<q>" + esc(cut(a["quote"], 110)) + "</q>")} → '
            f'{_goto(b["statement_id"], "<q>" + esc(cut(b["quote"], 110)) + "</q>")}</div>')


def _source_rows(prop: dict[str, Any]) -> Iterable[str]:
    for s in prop["sources"]:
        yield (f"<tr><td>{_src_link(s['id'], s['name'])}</td><td>{esc(s['type'])}</td>"
               f"<td class=\"nw\">{esc(s['alignment'])}</td>"
               f"<td class=\"nw\">{esc(s.get('first_claim_label') or s['first_claim'] or '—')}"
               "</td>"
               f"<td>{_positions(s['positions'])}</td>"
               f'<td data-sort="{len(s["reversals"])}">'
               f"{''.join(_reversal(r) for r in s['reversals']) or '—'}</td></tr>")


def _corroboration(c: dict[str, Any]) -> str:
    rows = []
    for side in STANCES:
        entry = c.get(side) or {}
        by = entry.get("by_alignment") or {}
        chips = "".join(f'<span class="tag">{esc(k)}: {esc(by[k])}</span>' for k in sorted(by))
        rows.append(f"<tr><td>{_badge(side)}</td>"
                    f"<td class=\"num\">{esc(entry.get('independent_origins', 0))}</td>"
                    f"<td>{chips or '—'}</td></tr>")
    return _table("corroboration", ["Side", "Independent origins#", "By alignment"], rows, "")


def _ref(sid: Any, by_id: dict[str, dict[str, Any]]) -> str:
    s = by_id.get(str(sid))
    if s is None:
        return _goto(sid, esc(sid))
    return (_goto(sid, f"{_bdi(s.get('source_name'))}, {esc(when(s, pub=True))}") + " "
            + _badge(s["stance"]))


def _first_claimant(fc: dict[str, Any]) -> str:
    """Who claimed it first, with the period when the day is unknown, and the sources whose
    imprecise dates mean they may have claimed it earlier."""
    shown = when(fc, pub=True) + ("" if fc.get("precision") in (None, "day") else
                                  " (day unknown)")
    rivals = fc.get("rivals") or []
    maybe = ", ".join(f"{_src_link(r['source_id'], r['name'])} ({esc(when(r, pub=True))}"
                      + ("" if r.get("precision") in (None, "day") else ", day unknown") + ")"
                      for r in rivals[:3]) + (f" and {len(rivals) - 3} more" if len(rivals) > 3
                                              else "")
    return (f"First claimant <b>{_src_link(fc['source_id'], fc['name'])}</b>, {esc(shown)} "
            f"({_goto(fc['statement_id'], 'statement')})"
            + (f'<span class="muted rivals"> · possibly earlier (dates imprecise): {maybe}'
               "</span>" if rivals else ""))


def _contradiction_group(g: dict[str, Any], by_id: dict[str, dict[str, Any]],
                         shown: int = 8) -> str:
    """One source against every source that took the other side near it: one line, counted."""
    pairs = g["pairs"]
    own = pairs[0]["own"]
    refs = ", ".join(_ref(pair["other"]["statement_id"], by_id) for pair in pairs[:shown])
    more = f' <span class="muted">and {len(pairs) - shown} more</span>' \
        if len(pairs) > shown else ""
    side = "affirming" if g["stance"] == "deny" else "denying"
    return (f"<li>{_ref(own['statement_id'], by_id)} <span class=\"muted\">vs "
            f"{_n(len(pairs), 'source')} {side} within three weeks:</span> {refs}{more}</li>")


def _proposition(prop: dict[str, Any], n: int) -> str:
    """One proposition: key facts, timeline, statements, evidence, sources, relays."""
    uid, pid = f"p{n}", str(prop["id"])
    stmts = chrono(prop["timeline"])
    by_id = {str(s["statement_id"]): s for s in stmts}
    stance_of = {str(s["source_id"]): stance_key(s["stance"])
                 for s in stmts if s.get("source_id")}
    counts = _counts(stmts)
    fc = prop["first_claimant"]
    first = _first_claimant(fc) if fc else \
        'First claimant <span class="muted">not identified</span>'
    revs = sum(len(s["reversals"]) for s in prop["sources"])
    groups = prop.get("contradiction_groups")
    contra = "".join(_contradiction_group(g, by_id) for g in groups) if groups is not None \
        else "".join(f"<li>{_ref(c['a'], by_id)} <span class=\"muted\">vs</span> "
                     f"{_ref(c['b'], by_id)}" + (f" — {esc(c['note'])}" if c.get("note") else "")
                     + "</li>" for c in prop["contradictions"])
    n_contra = len(groups) if groups is not None else len(prop["contradictions"])
    opened = " open" if len(stmts) <= COLLAPSE_AFTER else ""
    return (
        f'<section class="prop" id="prop-{esc(pid)}" aria-labelledby="h-{uid}">'
        f'<div class="prop-head"><span class="pid">{esc(pid)}</span>'
        f'<h2 id="h-{uid}">{esc(prop["statement"])}</h2><span class="tag">{esc(prop["origin"])}'
        '</span><a class="up" href="#contents">↑ contents</a></div>'
        f'<div class="keyfacts"><span>{first}</span><span>{_n(len(stmts), "statement")} '
        f'{mix_bar(counts)} {counts["affirm"]} affirm · {counts["deny"]} deny · '
        f'{counts["uncertain"]} uncertain</span><span>{_n(len(prop["sources"]), "source")} · '
        f'{_n(revs, "reversal")} · {_n(n_contra, "contradiction")}</span>'
        f"</div><h3>Timeline</h3>{legend()}"
        f'<div class="chart" id="tl-{uid}">{timeline_svg(prop, stmts, uid)}</div>'
        f'<h3>Statements</h3><details class="stmts"{opened}><summary>{len(stmts)} statements, '
        f"chronological</summary>{''.join(_card(s, uid) for s in stmts)}</details>"
        f'<div class="grid2"><div><h3>Evidence</h3>{_evidence(prop)}</div>'
        f"<div><h3>Corroboration</h3>{_corroboration(prop['corroboration'])}"
        "<h3>Contradictions</h3>"
        + (f'<ul class="plain">{contra}</ul>' if contra else '<p class="empty">None.</p>')
        + "</div></div><h3>Sources</h3>"
        + _table("sortable", ["Source", "Type", "Alignment", "First claim",
                              "Positions over time", "Reversals"], _source_rows(prop),
                 "No sources.")
        + '<h3>Relay graph</h3><p class="muted">An arrow A → B means A repeats B (node '
        "colour: the source's latest stance here); click an arrow to open the statement.</p>"
        f'<div class="chart">{relay_svg(prop, uid, stance_of)}</div></section>')


def _toc_rows(props: list[dict[str, Any]]) -> Iterable[str]:
    for p in props:
        counts = _counts(p["timeline"])
        share = counts["affirm"] / max(1, len(p["timeline"]))
        yield (f'<tr><td><a class="pid" href="#prop-{esc(quote(str(p["id"]), safe=""))}">'
               f'{esc(p["id"])}</a></td><td>{esc(p["statement"])}</td><td>{esc(p["origin"])}</td>'
               f'<td class="num">{len(p["timeline"])}</td><td data-sort="{share:.3f}">'
               f'{mix_bar(counts)}</td><td class="num">{len(p["sources"])}</td>'
               f'<td class="num">{sum(len(s["reversals"]) for s in p["sources"])}</td>'
               f'<td class="num">{len(p.get("contradiction_groups", p["contradictions"]))}'
               "</td></tr>")


def _global_rows(sources: list[dict[str, Any]]) -> Iterable[str]:
    for s in sources:
        cells = [s["type"], s.get("role"), s.get("affiliation"), s.get("country"),
                 s["alignment"], s.get("grade"), ", ".join(map(str, s["aliases"]))]
        yield (f'<tr id="src-{esc(s["id"])}"><td><b>{esc(s["name"])}</b></td>'
               + "".join(f"<td>{esc(c) if c else '—'}</td>" for c in cells)
               + f'<td class="num">{esc(s["statements"])}</td></tr>')


def _overview(ov: dict[str, Any], discovered: int) -> str:
    """Statements by source for a ledger without analyst propositions, so the report shows
    who said what and when before anyone has written a proposition."""
    stmts = chrono(ov["timeline"])
    shown = (f"{_n(len(stmts), 'statement')} of {ov['statements_total']}, from the "
             f"{ov['sources_shown']} most quoted of {_n(ov['sources_total'], 'source')}")
    opened = " open" if len(stmts) <= COLLAPSE_AFTER else ""
    return (
        '<section class="panel" id="overview" aria-labelledby="h-ov"><h2 id="h-ov">Statements '
        f'by source</h2><p class="muted">No analyst propositions yet ({shown}). Colour is each '
        "speaker's own stance toward what they said. Add propositions to track with "
        '<code>corroborate propose "…"</code>'
        + (f"; the {_n(discovered, 'proposition')} corroborate discovered by grouping similar "
           "statements are listed above.</p>" if discovered else ".</p>")
        + f'{legend(full=False)}<div class="chart" id="tl-ov">{timeline_svg(ov, stmts, "ov")}</div>'
        f'<h3>Statements</h3><details class="stmts"{opened}><summary>{len(stmts)} statements, '
        f"chronological</summary>{''.join(_card(s, 'ov') for s in stmts)}</details></section>")


def render_report(model: dict[str, Any]) -> str:
    """The whole report as one HTML document (str); see the module docstring for the why."""
    led, props = model["ledger"], model["propositions"]
    title = str(model.get("title") or "corroborate report")
    stats = [(led["documents"], "documents"), (led["statements"], "statements"),
             (led["sources"], "sources"), (len(props), "propositions")]
    window = f"{led['first_published'] or '?'} – {led['last_published'] or '?'}"
    stat_html = "".join(f'<div class="stat"><b>{esc(v)}</b><span>{k}</span></div>'
                        for v, k in stats)
    toc = _table("toc sortable", ["ID", "Proposition", "Origin", "Statements#", "Stance mix",
                                  "Sources#", "Reversals#", "Contradictions#"],
                 _toc_rows(props), "No propositions.")
    sources = _table("sortable", ["Name", "Type", "Role", "Affiliation", "Country", "Alignment",
                                  "Grade", "Aliases", "Statements#"],
                     _global_rows(model["sources"]), "No sources.")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        f'<meta name="generator" content="corroborate"><title>{esc(title)}</title>'
        f'<link rel="icon" href="data:,"><style>{CSS}</style></head><body>'
        f'<header class="top"><div class="wrap"><h1>{esc(title)}</h1><div class="meta">Generated '
        f'{esc(model.get("generated"))} · documents published {esc(window)}</div>'
        f'<div class="stats">{stat_html}<div class="stat"><b>{esc(window)}</b>'
        '<span>publication window</span></div></div></div></header>'
        f'<main class="wrap{" lazy" if len(props) > LAZY_AFTER else ""}">'
        '<nav class="panel" id="contents" aria-label="Propositions"><h2>Propositions</h2>'
        '<p class="muted">Each proposition groups the attributed statements that bear on it. '
        "Stance colours: green affirm, red deny, amber uncertain.</p>"
        '<input id="toc-filter" type="search" placeholder="Filter propositions…" '
        f'aria-label="Filter propositions">{toc}</nav>'
        + (_overview(model["overview"], sum(p["origin"] == "discovered" for p in props))
           if model.get("overview") else "")
        + "".join(_proposition(p, i) for i, p in enumerate(props, 1))
        + f'<section class="panel" id="sources"><h2>Sources</h2>{sources}</section></main>'
        "<footer>Self-contained report: no external resources are loaded. Produced by "
        f"corroborate.</footer><script>{JS}</script></body></html>\n")
