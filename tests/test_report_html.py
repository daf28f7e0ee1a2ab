"""The HTML report: self-contained, escaped, one chart circle per statement, all tables present.

The model is built by hand (invented Kursk-themed texts) so these tests pin the renderer's
contract independently of the linking/assessment layer that will produce real models.
"""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from typing import Any

import pytest

from corroborate.report import render_report

INJECTED = '<script>alert("pwn")</script>'


def _stmt(sid: str, date: str | None, source_id: str, name: str, stance: str, quote: str,
          **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "statement_id": sid, "date": date, "date_basis": "said_on", "source_id": source_id,
        "source_name": name, "stance": stance, "score": 0.8, "quote": quote, "cue": "said",
        "hedges": [], "evidence": [], "via": None,
        "document": {"id": f"d-{sid}", "title": f"Report {sid}", "publisher": "Frontline Daily",
                     "uri": f"https://news.example.org/{sid}", "published": date},
        "context": {"before": "In a briefing on Friday, ", "text": quote,
                    "after": " the official added."},
    }
    base.update(extra)
    return base


def _pos(stmt: dict[str, Any]) -> dict[str, Any]:
    return {"date": stmt["date"], "stance": stmt["stance"], "statement_id": stmt["statement_id"]}


def _source(sid: str, name: str, alignment: str, stmts: list[dict[str, Any]],
            reversals: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"id": sid, "name": name, "type": "organisation", "alignment": alignment,
            "first_claim": stmts[0]["date"], "positions": [_pos(s) for s in stmts],
            "reversals": reversals or []}


def sample_model() -> dict[str, Any]:
    """Two propositions, ten statements, a reversal, relays, a contradiction, hostile text."""
    s1 = _stmt("s1", "2024-10-13", "S-gur", "Ukrainian military intelligence", "affirm",
               "North Korean soldiers are training at Russian ranges near the border",
               evidence=["intelligence assessment"])
    s2 = _stmt("s2", "2024-10-14", "S-kremlin", "Kremlin spokesperson", "deny",
               "These reports are one more fabrication", cue="dismissed")
    s3 = _stmt("s3", "2024-10-18", "S-nis", "South Korea NIS", "affirm",
               "About 1,500 special forces troops were shipped to Vladivostok",
               evidence=["satellite imagery"])
    s4 = _stmt("s4", "2024-10-21", "S-pentagon", "Pentagon spokesperson", "uncertain",
               "We cannot yet confirm the reports", date_basis="published",
               hedges=["cannot yet confirm"])
    s5 = _stmt("s5", "2024-10-23", "S-pentagon", "Pentagon spokesperson", "affirm",
               "There is evidence that DPRK troops are in Russia")
    s6 = _stmt("s6", None, "S-tg", "Okhotnik Z channel", "deny",
               f"Pure staged footage {INJECTED} from Kyiv", date_basis="published",
               evidence=["video"],
               document={"id": "d-s6", "title": None, "publisher": None,
                         "uri": "javascript:alert(1)", "published": None})
    s7 = _stmt("s7", "2024-10-19", "S-blog", "Baltic Wire", "affirm",
               "Seoul's spies say 1,500 troops have already left", via="South Korea NIS",
               date_basis="published")
    s8 = _stmt("s8", "2024-11-05", "S-gur", "Ukrainian military intelligence", "affirm",
               "Our units had the first clash with North Korean soldiers in Kursk")
    s9 = _stmt("s9", "2024-11-06", "S-kremlin", "Kremlin spokesperson", "deny",
               "There are no foreign troops in the Kursk region")
    s10 = _stmt("s10", "2024-11-07", "S-blog", "Baltic Wire", "uncertain",
                "Kyiv says its forces may have met North Korean units", via="HUR",
                hedges=["may"])
    reversal = {"from": {"date": "2024-10-21", "stance": "uncertain", "statement_id": "s4",
                         "quote": s4["quote"]},
                "to": {"date": "2024-10-23", "stance": "affirm", "statement_id": "s5",
                       "quote": s5["quote"]}}
    p1 = {
        "id": "P1", "statement": "North Korea has sent troops to Russia", "origin": "analyst",
        "timeline": [s1, s2, s3, s4, s5, s6, s7],
        "sources": [
            _source("S-gur", "Ukrainian military intelligence", "Ukraine-aligned", [s1]),
            _source("S-kremlin", "Kremlin spokesperson", "Russia-aligned", [s2]),
            _source("S-nis", "South Korea NIS", "Ukraine-aligned", [s3]),
            _source("S-pentagon", "Pentagon spokesperson", "Ukraine-aligned", [s4, s5],
                    [reversal]),
            _source("S-tg", "Okhotnik Z channel", "Russia-aligned", [s6]),
            _source("S-blog", "Baltic Wire", "unknown", [s7]),
        ],
        "first_claimant": {"source_id": "S-gur", "name": "Ukrainian military intelligence",
                           "date": "2024-10-13", "statement_id": "s1"},
        "contradictions": [{"a": "s3", "b": "s2", "note": "deployment vs fabrication"}],
        "evidence": [
            {"type": "satellite imagery", "side": "affirm", "count": 1,
             "examples": [{"statement_id": "s3", "text": s3["quote"]}]},
            {"type": "intelligence assessment", "side": "affirm", "count": 1,
             "examples": [{"statement_id": "s1", "text": s1["quote"]}]},
            {"type": "video", "side": "deny", "count": 1,
             "examples": [{"statement_id": "s6", "text": s6["quote"]}]},
        ],
        "corroboration": {
            "affirm": {"independent_origins": 3, "by_alignment": {"Ukraine-aligned": 3}},
            "deny": {"independent_origins": 2, "by_alignment": {"Russia-aligned": 2}},
            "uncertain": {"independent_origins": 0, "by_alignment": {}},
        },
        "relays": [{"from": "S-blog", "to": "S-nis", "from_name": "Baltic Wire",
                    "to_name": "South Korea NIS", "statement_id": "s7"}],
    }
    p2 = {
        "id": "P2", "statement": "North Korean troops are fighting in the Kursk region",
        "origin": "discovered", "timeline": [s8, s9, s10],
        "sources": [
            _source("S-gur", "Ukrainian military intelligence", "Ukraine-aligned", [s8]),
            _source("S-kremlin", "Kremlin spokesperson", "Russia-aligned", [s9]),
            _source("S-blog", "Baltic Wire", "unknown", [s10]),
        ],
        "first_claimant": {"source_id": "S-gur", "name": "Ukrainian military intelligence",
                           "date": "2024-11-05", "statement_id": "s8"},
        "contradictions": [], "evidence": [],
        "corroboration": {
            "affirm": {"independent_origins": 1, "by_alignment": {"Ukraine-aligned": 1}},
            "deny": {"independent_origins": 1, "by_alignment": {"Russia-aligned": 1}},
            "uncertain": {"independent_origins": 0, "by_alignment": {}},
        },
        "relays": [{"from": "S-blog", "to": "S-gur", "from_name": "Baltic Wire",
                    "to_name": "Ukrainian military intelligence", "statement_id": "s10"}],
    }
    names = {"S-gur": ("Ukrainian military intelligence", "Ukraine"),
             "S-kremlin": ("Kremlin spokesperson", "Russia"),
             "S-nis": ("South Korea NIS", "South Korea"),
             "S-pentagon": ("Pentagon spokesperson", "United States"),
             "S-tg": ("Okhotnik Z channel", None), "S-blog": ("Baltic Wire", None)}
    sources = [{"id": sid, "name": name, "type": "organisation", "role": None,
                "affiliation": None, "country": country, "alignment": "unknown", "grade": "B",
                "aliases": ["<img src=x onerror=alert(1)>"] if sid == "S-tg" else [name[:8]],
                "statements": 2} for sid, (name, country) in names.items()]
    return {"title": "Kursk: North Korean troops in Russia", "generated": "2026-11-23T10:00:00Z",
            "ledger": {"documents": 10, "statements": 10, "sources": 6,
                       "first_published": "2024-10-13", "last_published": "2024-11-07"},
            "propositions": [p1, p2], "sources": sources}


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside <script> and <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._open = tag if tag in self.raw else None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.raw[self._open].append(data)

    def handle_endtag(self, tag: str) -> None:
        self._open = None


@pytest.fixture
def model() -> dict[str, Any]:
    return sample_model()


@pytest.fixture
def page(model: dict[str, Any]) -> str:
    return render_report(model)


def _parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


def _sections(page: str) -> list[str]:
    return page.split('<section class="prop"')[1:]


def test_page_loads_nothing_from_outside(page: str) -> None:
    tags = _parse(page)
    assert not [t for t, a in tags.tags if "src" in a], "no element may load a src"
    assert not [t for t, a in tags.tags if t in ("img", "iframe", "object", "embed")]
    links = [a for t, a in tags.tags if t == "link"]
    assert links == [{"rel": "icon", "href": "data:,"}]
    for tag, attrs in tags.tags:
        for name, value in attrs.items():
            if value and ("http:" in value or "https:" in value):
                assert (tag, name) == ("a", "href"), (tag, name, value)
                assert attrs.get("rel") == "noopener noreferrer"
    inline = "".join(tags.raw["script"] + tags.raw["style"])
    for needle in ("http:", "https:", "@import", "url(", "//"):
        assert needle not in inline.replace("// ", ""), needle
    assert len(tags.raw["script"]) == 1
    csp = [a.get("content") or "" for t, a in tags.tags
           if a.get("http-equiv") == "Content-Security-Policy"]
    assert len(csp) == 1 and "default-src 'none'" in csp[0]
    assert "script-src 'sha256-" in csp[0] and "style-src 'sha256-" in csp[0]
    assert "unsafe" not in csp[0]


def test_injected_markup_is_escaped(page: str) -> None:
    assert INJECTED not in page
    assert "&lt;script&gt;alert(&quot;pwn&quot;)&lt;/script&gt;" in page
    assert page.count("<script") == 1
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    tags = _parse(page)
    hrefs = [a.get("href") or "" for t, a in tags.tags if t == "a"]
    assert not [h for h in hrefs if h.lower().startswith("javascript")]
    assert "javascript:alert(1)" in page  # shown as text, not as a link


def test_one_circle_per_timeline_statement(model: dict[str, Any], page: str) -> None:
    sections = _sections(page)
    assert len(sections) == 2
    for prop, html in zip(model["propositions"], sections, strict=True):
        ids = re.findall(r'<circle class="stmt" data-statement="([^"]+)"', html)
        assert sorted(ids) == sorted(s["statement_id"] for s in prop["timeline"])
    tip = re.search(r'<circle class="stmt" data-statement="s3"[^>]*><title>([^<]*)</title>',
                    page)
    assert tip and tip.group(1) == ("South Korea NIS — 2024-10-18 — About 1,500 special "
                                    "forces troops were shipped to Vladivostok")
    assert re.search(r'data-statement="s2" data-stance="deny"[^>]*fill="#c62828"', page)
    assert re.search(r'data-statement="s1" data-stance="affirm"[^>]*fill="#2e7d32"', page)
    assert re.search(r'data-statement="s4" data-stance="uncertain"[^>]*fill="#f9a825"', page)
    assert ">undated</text>" in sections[0]  # s6 has no date and gets its own column


def test_statement_cards_show_source_text_in_context(page: str) -> None:
    for n in range(1, 11):
        assert page.count(f'id="stmt-s{n}"') == 1
    card = re.search(r'<article[^>]*id="stmt-s3".*?</article>', page, re.S)
    assert card
    text = card.group(0)
    assert ("In a briefing on Friday, <mark>About 1,500 special forces troops were shipped to "
            "Vladivostok</mark> the official added.") in text
    assert "said on" in text and "2024-10-18" in text and "satellite imagery" in text
    assert '<a href="https://news.example.org/s3"' in text and "Frontline Daily" in text
    s4 = re.search(r'<article[^>]*id="stmt-s4".*?</article>', page, re.S)
    assert s4 and "publication date" in s4.group(0) and "cannot yet confirm" in s4.group(0)
    s7 = re.search(r'<article[^>]*id="stmt-s7".*?</article>', page, re.S)
    assert s7 and "via <bdi>South Korea NIS</bdi>" in s7.group(0)
    first = _sections(page)[0]
    order = re.findall(r'<article[^>]*id="stmt-(s\d+)"', first)
    assert order == ["s1", "s2", "s3", "s7", "s4", "s5", "s6"]  # chronological, undated last


def test_relay_graph_edges_point_from_relayer_to_origin(model: dict[str, Any], page: str) -> None:
    for prop, html in zip(model["propositions"], _sections(page), strict=True):
        edges = re.findall(r'<g class="relay-edge" data-from="([^"]+)" data-to="([^"]+)"', html)
        assert edges == [(r["from"], r["to"]) for r in prop["relays"]]
        assert 'class="relays"' in html and "Baltic Wire" in html


def test_reversal_is_drawn_and_tabulated(page: str) -> None:
    first, second = _sections(page)
    assert first.count('class="rev-arc"') == 1 and 'class="rev-arc"' not in second
    row = re.search(r"<tr><td><a href=\"#src-S-pentagon\">.*?</tr>", first, re.S)
    assert row
    assert re.search(r"uncertain</span> 2024-10-21 → .*affirm</span> 2024-10-23", row.group(0))
    assert "We cannot yet confirm the reports" in row.group(0)


def test_tables_and_summaries(page: str) -> None:
    first, second = _sections(page)
    assert '<table class="evidence">' in first and "<th>satellite imagery</th>" in first
    assert "No evidence types recorded." in second
    assert re.search(r'<table class="corroboration">.*?b-affirm.*?<td class="num">3</td>'
                     r'.*?Ukraine-aligned: 3', first, re.S)
    assert "deployment vs fabrication" in first
    assert 'data-goto="s3"' in first and 'data-goto="s2"' in first
    assert re.search(r"First claimant <b><a href=\"#src-S-gur\">Ukrainian military "
                     r"intelligence</a></b>, 2024-10-13", first)
    assert first.count("<tr><td><a href=\"#src-") == 6  # per-proposition source table
    for sid in ("S-gur", "S-kremlin", "S-nis", "S-pentagon", "S-tg", "S-blog"):
        assert page.count(f'<tr id="src-{sid}">') == 1
    assert 'href="#prop-P1"' in page and 'id="prop-P2"' in page


def test_empty_and_sparse_models_render() -> None:
    empty: dict[str, Any] = {"title": "", "generated": "2026-11-23T10:00:00Z",
                             "ledger": {"documents": 0, "statements": 0, "sources": 0,
                                        "first_published": None, "last_published": None},
                             "propositions": [], "sources": []}
    page = render_report(empty)
    assert "No propositions." in page and "<circle" not in page
    timeline = [_stmt("u1", None, "S1", "Anon", "hedging?", "maybe", context={}),
                _stmt("u2", "2024", "S1", "Anon", "deny", "no")]
    sparse = dict(empty, propositions=[{
        "id": "P9", "statement": "x", "origin": "discovered", "first_claimant": None,
        "timeline": timeline, "sources": [],
        "contradictions": [{"a": "u1", "b": "gone", "note": ""}],
        "evidence": [], "corroboration": {}, "relays": []}])
    page = render_report(sparse)
    assert page.count('<circle class="stmt"') == 2 and "<mark>maybe</mark>" in page
    assert "No relays recorded." in page and 'data-goto="gone"' in page
    timeline[1]["date"] = "0001-01-01"  # a misread year: drawn as undated
    page = render_report(sparse)
    assert page.count('<circle class="stmt"') == 2 and ">undated</text>" in page


def test_relay_cycles_and_long_chains_are_laid_out() -> None:
    model = sample_model()
    prop = model["propositions"][0]
    chain = [{"from": f"N{i + 1}", "to": f"N{i}", "from_name": f"n{i + 1}", "to_name": f"n{i}",
              "statement_id": "s1"} for i in range(2000)]
    cycle = [{"from": a, "to": b, "from_name": a, "to_name": b, "statement_id": "s2"}
             for a, b in (("A", "B"), ("B", "C"), ("C", "A"))]
    prop["relays"] = chain + cycle
    page = render_report(model)
    assert _sections(page)[0].count('<g class="relay-edge"') == 2003


def test_large_model_renders_fast_and_collapses_long_lists() -> None:
    model = sample_model()
    base = model["propositions"][0]
    big = [dict(base, id=f"P{n}", timeline=[
        _stmt(f"p{n}s{i}", f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", f"S{i % 40}",
              f"Source {i % 40}", ("affirm", "deny", "uncertain")[i % 3], f"quote {i}")
        for i in range(500)]) for n in range(20)]
    model["propositions"] = big
    start = time.perf_counter()
    page = render_report(model)
    elapsed = time.perf_counter() - start
    assert page.count('<circle class="stmt"') == 20 * 500
    assert '<details class="stmts">' in page and '<details class="stmts" open>' not in page
    assert elapsed < 4, elapsed


def test_rendering_is_deterministic(model: dict[str, Any]) -> None:
    assert render_report(model) == render_report(sample_model())


def hostile_model(payloads: list[str]) -> dict[str, Any]:
    """Every payload in every string field the report shows: one proposition per payload with
    one statement, one source, one relay, evidence and a contradiction, all carrying it."""
    props, sources = [], []
    for i, x in enumerate(payloads):
        sid = f"h{i}{x}"
        stmt = _stmt(sid, x, f"S{i}{x}", x, x, x, cue=x, hedges=[x], evidence=[x], via=x,
                     date_basis=x, document={"id": x, "title": x, "publisher": x, "uri": x,
                                             "published": x},
                     context={"before": x, "text": x, "after": x})
        other = _stmt(f"{sid}b", "2024-10-20", f"S{i}{x}", x, "deny", x,
                      document={"id": x, "title": x, "publisher": x,
                                "uri": f"https://example.org/{x}", "published": x})
        props.append({
            "id": f"P{i}{x}", "statement": x, "origin": x, "timeline": [stmt, other],
            "sources": [_source(f"S{i}{x}", x, x, [stmt, other], [{
                "from": {"date": x, "stance": x, "statement_id": sid, "quote": x},
                "to": {"date": x, "stance": "deny", "statement_id": f"{sid}b", "quote": x}}])],
            "first_claimant": {"source_id": f"S{i}{x}", "name": x, "date": x,
                               "statement_id": sid},
            "contradictions": [{"a": sid, "b": f"{sid}b", "note": x}],
            "evidence": [{"type": x, "side": x, "count": 1,
                          "examples": [{"statement_id": sid, "text": x}]}],
            "corroboration": {"affirm": {"independent_origins": x, "by_alignment": {x: x}}},
            "relays": [{"from": f"S{i}{x}", "to": x, "from_name": x, "to_name": x,
                        "statement_id": sid}]})
        sources.append({"id": f"S{i}{x}", "name": x, "type": x, "role": x, "affiliation": x,
                        "country": x, "alignment": x, "grade": x, "aliases": [x, x],
                        "statements": x})
    overview = {"timeline": [p["timeline"][0] for p in props], "statements_total": len(props),
                "sources_total": len(props), "sources_shown": len(props), "sources": [],
                "first_claimant": None}
    return {"title": " ".join(payloads[:3]), "generated": payloads[0],
            "ledger": {"documents": payloads[1], "statements": payloads[2], "sources": 0,
                       "first_published": payloads[3], "last_published": payloads[4]},
            "propositions": props, "sources": sources, "overview": overview}


def test_every_xss_payload_in_every_field_stays_text() -> None:
    from hostile import XSS_PAYLOADS

    page = render_report(hostile_model(XSS_PAYLOADS))
    tags = _parse(page)
    allowed = {"html", "head", "meta", "title", "link", "style", "body", "header", "div", "h1",
               "h2", "h3", "span", "b", "i", "a", "main", "nav", "p", "input", "table",
               "thead", "tbody", "tr", "th", "td", "svg", "rect", "section", "circle",
               "defs", "marker", "path", "text", "line", "g", "details", "summary", "article",
               "time", "blockquote", "mark", "bdi", "q", "ul", "li", "br", "code", "footer",
               "script"}
    assert {t for t, _ in tags.tags} <= allowed
    assert page.count("<script") == 1 and len(tags.raw["script"]) == 1
    for tag, attrs in tags.tags:
        assert not [a for a in attrs if a.startswith("on") or a in ("src", "style", "srcdoc",
                                                                       "formaction", "action")]
        if "href" in attrs:
            href = attrs["href"] or ""
            assert tag in ("a", "link") and href.startswith(("#", "https://", "data:,")), href
    assert "\u202e" not in page and "\x00" not in page


def test_bidi_controls_are_marked_and_labels_isolated(model: dict[str, Any]) -> None:
    spoof = "\u202eexe.txt"
    model["propositions"][0]["statement"] = f"Troops {spoof}"
    model["propositions"][0]["timeline"][0]["document"]["publisher"] = f"Wire{spoof}"
    model["propositions"][0]["timeline"][0]["source_name"] = "Isolate\u2067me"
    model["sources"][0]["name"] = f"Name{spoof}"
    page = render_report(model)
    for char in ("\u202e", "\u2067"):
        assert char not in page
    assert "Troops [U+202E]exe.txt" in page and "Name[U+202E]exe.txt" in page
    assert "<bdi>Wire[U+202E]exe.txt</bdi>" in page and "Isolate[U+2067]me" in page
    css = _parse(page).raw["style"][0]
    isolated = re.search(r"([^}]*)\{unicode-bidi:isolate\}", css)
    assert isolated
    for selector in ("h2", "td", "a", "bdi", ".who", ".tag", "svg text"):
        assert selector in isolated.group(1).split(","), selector


def test_a_ledger_without_analyst_propositions_shows_statements_by_source(tmp_path: Any) -> None:
    from corroborate import open_ledger

    source = tmp_path / "a.txt"
    source.write_text('Defence minister Anna Berg said on 18 October 2024 that "North Korean '
                      'troops are in the Kursk region". The Kremlin denied the reports. '
                      'General Mark Stone told reporters that "we have satellite images".')
    with open_ledger(str(tmp_path / "l.db"), tmp_path / "archive") as ledger:
        ledger.add([str(source)])
        model = ledger.report_model("t")
        statements = model["ledger"]["statements"]
        assert statements >= 3 and not [p for p in model["propositions"]
                                        if p["origin"] == "analyst"]
        page = render_report(model)
        overview = page.split('id="overview"')[1].split("</section>")[0]
        assert overview.count('<circle class="stmt"') == statements
        assert "Anna Berg" in overview and "Kremlin" in overview
        assert overview.count('<article class="card') == statements
        assert "corroborate propose" in overview
        ledger.propose_text("North Korean troops are in the Kursk region")
        assert 'id="overview"' not in render_report(ledger.report_model("t"))
