"""Inline CSS and JS of the HTML report, kept as Python constants so the page needs no files.

The report must open offline from a mail attachment or an air-gapped analyst machine, so nothing
is fetched: the system font stack replaces web fonts and the charts are SVG drawn in Python. The
script only adds interactivity (chart → statement card, sortable tables, contents filter); with
scripting off every statement is still reachable through its `<details>` list. Its SHA-256 goes
into the page's Content-Security-Policy, so no other (injected) script could run.
"""

from __future__ import annotations

CSS = """
:root{--affirm:#2e7d32;--deny:#c62828;--uncertain:#f9a825;--ink:#1c2330;--muted:#5d6675;
--line:#dfe3e9;--bg:#f3f4f7;--card:#fff;--accent:#1f4e8c;--hl:#fff6d5;--rev:#6a1b9a}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 system-ui,-apple-system,
"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Liberation Sans",sans-serif}
a{color:var(--accent);text-decoration:none}
a:hover{text-decoration:underline}
.wrap{max-width:1240px;margin:0 auto;padding:0 24px}
header.top{background:#172131;color:#fff;padding:22px 0 18px}
header.top h1{font-size:23px;margin:0 0 2px;font-weight:650}
header.top .meta{color:#a9b3c3;font-size:12.5px}
.stats{display:flex;flex-wrap:wrap;gap:10px;margin-top:14px}
.stat{background:rgba(255,255,255,.06);border:1px solid rgba(255,255,255,.14);border-radius:6px;
padding:7px 14px;min-width:112px}
.stat b{display:block;font-size:19px;font-weight:650;font-variant-numeric:tabular-nums}
.stat span{font-size:11px;letter-spacing:.05em;text-transform:uppercase;color:#a9b3c3}
h2{font-size:18px;margin:0;font-weight:650}
h3{font-size:13px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);
margin:22px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.panel,section.prop{background:var(--card);border:1px solid var(--line);border-radius:8px;
margin:20px 0;padding:16px 22px 20px}
.lazy section.prop{content-visibility:auto;contain-intrinsic-size:auto 1400px}
.prop-head{display:flex;align-items:baseline;gap:10px;flex-wrap:wrap}
.pid{font:600 12px/1 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#e8edf5;
color:var(--accent);padding:4px 7px;border-radius:4px}
.tag{display:inline-block;font-size:11.5px;color:var(--muted);background:#eef0f4;
border-radius:3px;padding:0 6px;margin:1px 2px 1px 0}
.up{margin-left:auto;font-size:12px}
.keyfacts{display:flex;flex-wrap:wrap;gap:10px 28px;margin:10px 0 0;font-size:13px;color:#333}
.keyfacts b{font-weight:600}
.muted,.empty{color:var(--muted)}
.empty{font-style:italic;margin:4px 0}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:11.5px;font-weight:600;
color:#fff;line-height:18px;vertical-align:1px}
.b-affirm{background:var(--affirm)}.b-deny{background:var(--deny)}
.b-uncertain{background:var(--uncertain);color:#3a2c00}
.legend{display:flex;flex-wrap:wrap;gap:16px;font-size:12px;color:var(--muted);margin:0 0 6px}
.legend svg{vertical-align:-2px;margin-right:4px}
.chart{overflow:auto;max-height:560px;border:1px solid var(--line);border-radius:6px;
background:#fbfcfd}
.chart svg{display:block}
.chart svg.dated{max-width:100%;height:auto;min-width:900px}
svg text{font-family:inherit}
.lane-label{font-size:12px;fill:#2b3342}
.axis{font-size:11px;fill:var(--muted)}
.grid{stroke:#e6e9ee;stroke-width:1}
circle.stmt{cursor:pointer;stroke:#fff;stroke-width:1.5}
circle.stmt:hover,circle.stmt:focus{stroke:#111;stroke-width:2.5;outline:none}
circle.stmt.active{stroke:#111;stroke-width:3}
.first-ring{fill:none;stroke:#111;stroke-width:1.2;pointer-events:none}
rect.span{fill-opacity:.28;pointer-events:none}
.span-label{font-size:9.5px;fill:#4a5363;pointer-events:none}
.rev-arc{fill:none;stroke:var(--rev);stroke-width:1.8;stroke-dasharray:4 3;pointer-events:none}
.arrow-rev{fill:var(--rev)}
details.stmts>summary{cursor:pointer;color:var(--accent);font-weight:600;margin:4px 0}
.card{border:1px solid var(--line);border-left:4px solid #9aa3b1;border-radius:6px;
padding:9px 14px 10px;margin:8px 0;background:#fff;scroll-margin:90px}
.card.s-affirm{border-left-color:var(--affirm)}.card.s-deny{border-left-color:var(--deny)}
.card.s-uncertain{border-left-color:var(--uncertain)}
.card.is-active{background:var(--hl);box-shadow:0 0 0 3px var(--accent);outline:none;
animation:flash 1.4s ease-out}
@media (prefers-reduced-motion:reduce){.card.is-active{animation:none}}
@keyframes flash{0%{background:#ffe28a}100%{background:var(--hl)}}
.card-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 10px}
.card-head time{font-weight:600;font-variant-numeric:tabular-nums}
.basis{font-size:11px;color:var(--muted);border:1px solid var(--line);border-radius:3px;
padding:0 4px}
.basis.pub{border-style:dashed}
.who{font-weight:600}
.sid{margin-left:auto;font:11px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#8a93a2}
.card .back{display:none;font:12px system-ui,sans-serif;margin-right:8px}
.card.is-active .back{display:inline}
.chart{scroll-margin:70px}
.quote{margin:6px 0 4px;padding:2px 0 2px 12px;border-left:3px solid #e4e7ec;
font:14.5px/1.55 Georgia,"Times New Roman",serif;color:#2c2f36}
.quote mark{background:#ffe680;color:inherit;padding:0 1px;border-radius:2px}
.card-meta,.doc{font-size:12px;color:var(--muted)}
.doc a{word-break:break-all}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600;font-size:12px;white-space:nowrap}
table.sortable th{cursor:pointer;user-select:none}
th[aria-sort=ascending]::after{content:" ▲";font-size:9px}
th[aria-sort=descending]::after{content:" ▼";font-size:9px}
tbody th{background:none;white-space:normal}
td.nw{white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.ex{display:block;font-size:12px;color:#444;margin-top:2px}
.ex::before{content:"“"}.ex::after{content:"”"}
.pill{display:inline-block;border-radius:3px;padding:0 5px;font-size:11.5px;color:#fff;
margin:1px 0}
.pill.p-affirm{background:var(--affirm)}.pill.p-deny{background:var(--deny)}
.pill.p-uncertain{background:var(--uncertain);color:#3a2c00}
.seq{color:#99a1ae;font-size:11px}
.rv{font-size:12px;margin-bottom:4px}
.rv q{color:#444}
.grid2{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:0 28px}
@media (max-width:900px){.grid2{grid-template-columns:1fr}}
ul.plain{margin:0;padding-left:18px}
ul.plain li{margin:3px 0}
.relay-node rect{fill:#f4f6fa;stroke:#8c96a6;stroke-width:1}
.relay-node.n-affirm rect{fill:#e8f3e9;stroke:var(--affirm)}
.relay-node.n-deny rect{fill:#fbe9e9;stroke:var(--deny)}
.relay-node.n-uncertain rect{fill:#fff6db;stroke:#c79100}
.relay-node text{font-size:11.5px;fill:#1c2330}
.relay-edge{cursor:pointer}
.relay-edge path{fill:none;stroke:#6b7686}
.relay-edge:hover path{stroke:var(--accent)}
.edge-count{font-size:11px;font-weight:600;fill:#3d4654;stroke:#fff;stroke-width:3px;
paint-order:stroke;pointer-events:none}
.arrow{fill:#6b7686}
#toc-filter{width:320px;max-width:100%;padding:5px 9px;border:1px solid #c9ced6;border-radius:5px;
font:inherit;margin:0 0 8px}
.toc td:nth-child(2){width:55%}
footer{color:var(--muted);font-size:12px;padding:8px 24px 30px}
h1,h2,td,th,a,b,i,q,mark,time,bdi,blockquote,.who,.tag,.pill,.pid,.ex,svg text{unicode-bidi:isolate}
@media print{.lazy section.prop{content-visibility:visible}
.card,tr{break-inside:avoid}
.chart{max-height:none;overflow:visible}header.top{background:#fff;color:#000}}
"""

JS = """
(function () {
  "use strict";
  var active = [];
  function clearActive() {
    active.forEach(function (el) { el.classList.remove("is-active", "active"); });
    active = [];
  }
  function findCard(id, scope) {
    // The same statement can have a card in several sections (the overview, each
    // proposition it bears on): prefer the one beside what was clicked.
    var cards = (scope || document).querySelectorAll("article.card");
    for (var i = 0; i < cards.length; i++) {
      if (cards[i].id === "stmt-" + id) { return cards[i]; }
    }
    return scope ? findCard(id, null) : null;
  }
  function reveal(id, scroll, scope) {
    var card = findCard(id, scope);
    if (!card) { return false; }
    for (var el = card.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") { el.open = true; }
    }
    clearActive();
    card.classList.add("is-active");
    active.push(card);
    var scope = card.closest("section") || document;
    scope.querySelectorAll("circle.stmt").forEach(function (c) {
      if (c.getAttribute("data-statement") === id) { c.classList.add("active"); active.push(c); }
    });
    if (scroll) { card.scrollIntoView({block: "center"}); }
    card.focus({preventScroll: true});
    return true;
  }
  function target(ev) {
    return ev.target.closest ? ev.target.closest("circle.stmt, [data-goto]") : null;
  }
  function go(el) {
    var id = el.getAttribute("data-statement") || el.getAttribute("data-goto");
    if (!reveal(id, true, el.closest("section"))) { return false; }
    try { history.replaceState(null, "", "#stmt-" + encodeURIComponent(id)); } catch (e) { }
    return true;
  }
  document.addEventListener("click", function (ev) {
    var el = target(ev);
    if (el && go(el)) { ev.preventDefault(); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" && ev.key !== " ") { return; }
    var el = target(ev);
    if (el && el.matches("circle.stmt, g[data-goto]") && go(el)) { ev.preventDefault(); }
  });
  function cellValue(row, i) {
    var cell = row.cells[i];
    if (!cell) { return ""; }
    var v = cell.getAttribute("data-sort");
    return v === null ? cell.textContent.trim().toLowerCase() : v;
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, i) {
      th.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, i), y = cellValue(b, i);
          var nx = parseFloat(x), ny = parseFloat(y);
          var r = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : (x < y ? -1 : x > y ? 1 : 0);
          return asc ? r : -r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.stmts").forEach(function (d) { d.open = true; });
  });
  var filter = document.getElementById("toc-filter");
  if (filter) {
    filter.addEventListener("input", function () {
      var q = filter.value.trim().toLowerCase();
      document.querySelectorAll("table.toc tbody tr").forEach(function (tr) {
        tr.hidden = q !== "" && tr.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
  }
  // Last, and guarded: a fragment such as #stmt-% (not valid percent-encoding) must not
  // throw before sorting and the filter are wired, nor break anything after.
  function fromHash() {
    if (location.hash.indexOf("#stmt-") !== 0) { return; }
    var raw = location.hash.slice(6), id = raw;
    try { id = decodeURIComponent(raw); } catch (e) { id = raw; }
    try { reveal(id, true, null); } catch (e) { }
  }
  fromHash();
  window.addEventListener("hashchange", fromHash);
})();
"""
