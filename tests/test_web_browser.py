"""The workbench in a real browser (Debian chromium through Playwright, no `playwright
install`): open a proposition, filter, follow the chart; correct a link and see the timeline
and counts change; add a missed statement by selecting text; and the XSS corpus ingested and
every page opened with no script of its running.

Skips when chromium or playwright is missing, unless CORROBORATE_REQUIRE_BROWSER is set.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from corroborate import open_ledger
from corroborate.api import load_propositions
from corroborate.web.corrections import available
from webkit import build_kursk, live_server

pytestmark = pytest.mark.browser


def _page(browser: Any, problems: list[str], base: str) -> Any:
    """A page that records script errors, dialogs and any request off this server."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(8000)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: None if r.url.startswith(base)
            else problems.append(f"network request: {r.url}"))
    return page


@pytest.fixture
def kursk_server(tmp_path: Path) -> Iterator[str]:
    location = build_kursk(str(tmp_path / "k.db"), tmp_path / "archive")
    with live_server(location, tmp_path / "archive", author="browser-test") as base:
        yield base


def test_open_a_proposition_filter_and_follow_the_chart(browser: Any, kursk_server: str
                                                        ) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []
    page = _page(browser, problems, kursk_server)
    try:
        page.goto(kursk_server + "/propositions")
        page.locator('tr[data-proposition="P2"] a.pid').click()
        page.wait_for_url(re.compile(r"/propositions/P2$"))
        circles = page.locator("svg.timeline circle.stmt")
        assert circles.count() > 20
        total = int(page.locator('.count[data-stance="affirm"] b').inner_text()) + int(
            page.locator('.count[data-stance="deny"] b').inner_text()) + int(
            page.locator('.count[data-stance="uncertain"] b').inner_text())
        assert total >= circles.count()
        # Filter to the denials: every row shown is one, and the pager counts them.
        page.select_option('form.filters select[name="stance"]', "deny")
        page.locator("form.filters button[type=submit]").click()
        page.wait_for_url(re.compile(r"stance=deny"))
        rows = page.locator("table.statements tbody tr[data-statement]")
        assert rows.count() >= 1
        assert set(rows.evaluate_all("rs => rs.map(r => r.dataset.stance)")) == {"deny"}
        expect(page.locator('form.filters select[name="stance"]')).to_have_value("deny")
        # Back to all statements; a circle in the chart highlights its row.
        page.goto(kursk_server + "/propositions/P2?limit=200")
        first = page.locator("table.statements tbody tr[data-statement]").first
        sid = first.get_attribute("data-statement")
        page.locator(f'svg.timeline circle.stmt[data-statement="{sid}"]').first.click()
        expect(first).to_have_class(re.compile(r"\bfocus\b"))
        expect(first).to_be_in_viewport()
    finally:
        page.close()
    assert not problems, problems


def _requires_curate() -> None:
    if not available():
        pytest.skip("the corrections library (corroborate.curate) is not in this checkout")


def test_flip_a_link_and_the_timeline_and_counts_change(browser: Any, kursk_server: str
                                                        ) -> None:
    _requires_curate()
    from playwright.sync_api import expect

    problems: list[str] = []
    page = _page(browser, problems, kursk_server)
    try:
        page.goto(kursk_server + "/propositions/P2?stance=affirm&limit=200")
        affirm = int(page.locator('.count[data-stance="affirm"] b').inner_text())
        deny = int(page.locator('.count[data-stance="deny"] b').inner_text())
        row = page.locator("table.statements tbody tr[data-statement]").first
        sid = row.get_attribute("data-statement")
        circle = page.locator(f'svg.timeline circle.stmt[data-statement="{sid}"]')
        expect(circle).to_have_attribute("data-stance", "affirm")
        row.locator('button.flip[value="deny"]').click()
        page.wait_for_load_state("load")
        expect(page.locator('.count[data-stance="affirm"] b')).to_have_text(str(affirm - 1))
        expect(page.locator('.count[data-stance="deny"] b')).to_have_text(str(deny + 1))
        expect(page.locator(f'svg.timeline circle.stmt[data-statement="{sid}"]')
               ).to_have_attribute("data-stance", "deny")
        # Reject it: it leaves the proposition, chart and counts alike.
        page.goto(kursk_server + "/propositions/P2?stance=deny&limit=200")
        page.locator(f'tr[data-statement="{sid}"] button.reject').click()
        page.wait_for_load_state("load")
        expect(page.locator('.count[data-stance="deny"] b')).to_have_text(str(deny))
        expect(page.locator(f'svg.timeline circle.stmt[data-statement="{sid}"]')
               ).to_have_count(0)
        # The history shows both, and undo brings the link back as it was (deny).
        page.goto(kursk_server + "/history")
        expect(page.locator("table.history tbody tr")).to_have_count(2)
        page.locator("table.history tbody tr").first.locator("button.undo").click()
        page.wait_for_load_state("load")
        page.goto(kursk_server + "/propositions/P2")
        expect(page.locator(f'svg.timeline circle.stmt[data-statement="{sid}"]')
               ).to_have_attribute("data-stance", "deny")
    finally:
        page.close()
    assert not problems, problems



def test_grade_a_source_and_see_it_on_the_proposition(browser: Any, kursk_server: str
                                                       ) -> None:
    _requires_curate()
    from playwright.sync_api import expect

    problems: list[str] = []
    page = _page(browser, problems, kursk_server)
    try:
        page.goto(kursk_server + "/propositions/P2?limit=200")
        row = page.locator("table.statements tbody tr[data-statement]:has(td a[href^='/sources/'])"
                           ).first
        sid = row.get_attribute("data-statement")
        expect(row.locator(".admiralty")).to_have_attribute("data-reliability", "?")
        row.locator("a[href^='/sources/']").first.click()
        page.wait_for_url(re.compile(r"/sources/"))
        page.locator("details.edit summary").click()
        page.select_option("form.grade select[name=grade]", "A")
        page.locator("form.grade button[type=submit]").click()
        page.wait_for_load_state("load")
        expect(page.locator("span.reliability")).to_have_attribute("data-grade", "A")
        page.goto(kursk_server + "/propositions/P2?limit=200")
        mark = page.locator(f'tr[data-statement="{sid}"] .admiralty')
        expect(mark).to_have_attribute("data-reliability", "A")
        expect(mark).to_have_text(re.compile(r"^A[1-6]$"))
        page.goto(kursk_server + "/history?target_kind=source")
        expect(page.locator("table.history tbody tr")).to_have_count(1)
    finally:
        page.close()
    assert not problems, problems


def test_fill_an_ach_cell_and_the_ranking_changes(browser: Any, kursk_server: str) -> None:
    _requires_curate()
    from playwright.sync_api import expect

    problems: list[str] = []
    page = _page(browser, problems, kursk_server)
    try:
        page.goto(kursk_server + "/ach")
        page.fill("#new-ach input[name=name]", "who is there")
        page.check('#new-ach input[name=hypotheses][value="P2"]')
        page.check('#new-ach input[name=hypotheses][value="P6"]')
        page.locator("#new-ach button[type=submit]").click()
        page.wait_for_url(re.compile(r"/ach/who%20is%20there$"))
        p6 = page.locator('table.ranking tr[data-hypothesis="P6"] .inconsistency')
        before = float(p6.inner_text())
        items = page.locator("table.matrix tbody tr[data-item]")
        assert items.count() > 5
        cell = page.locator('table.matrix td.cell[data-hypothesis="P6"][data-value="N"], '
                            'table.matrix td.cell[data-hypothesis="P6"][data-value="C"], '
                            'table.matrix td.cell[data-hypothesis="P6"][data-value="CC"]'
                            ).first
        item = cell.locator("input[name=item]").get_attribute("value")
        expect(cell.locator("button.nojs")).to_be_hidden()  # the select posts on change
        cell.locator("select").select_option("II")
        page.wait_for_load_state("load")
        after = page.locator(f'tr[data-item="{item}"] td.cell[data-hypothesis="P6"]')
        expect(after).to_have_attribute("data-value", "II")
        expect(after).to_have_attribute("data-overridden", "yes")
        expect(p6).not_to_have_text(str(before))
        assert float(p6.inner_text()) > before
        # Back to the suggestion: the cell and the score are what they were.
        after.locator("select").select_option("")
        page.wait_for_load_state("load")
        expect(page.locator(f'tr[data-item="{item}"] td.cell[data-hypothesis="P6"]')
               ).to_have_attribute("data-overridden", "no")
        assert float(p6.inner_text()) == before
    finally:
        page.close()
    assert not problems, problems

def test_add_a_missed_statement_by_selecting_text(browser: Any, kursk_server: str) -> None:
    _requires_curate()
    from playwright.sync_api import expect

    problems: list[str] = []
    page = _page(browser, problems, kursk_server)
    try:
        page.goto(kursk_server + "/documents?kind=statement")
        page.locator("table.documents tbody a").first.click()
        page.wait_for_load_state("load")
        before = page.locator("table.statements tbody tr[data-statement]").count()
        text = page.locator("#doc-text")
        archived = text.inner_text()
        # Select a stretch of plain text that no statement covers, by offsets in the DOM.
        chosen = page.evaluate("""() => {
            const root = document.getElementById("doc-text");
            const plain = Array.from(root.querySelectorAll("span[data-start]"))
              .find(s => s.textContent.trim().length > 25);
            const node = plain.firstChild;
            const lead = node.data.length - node.data.trimStart().length;
            const range = document.createRange();
            range.setStart(node, lead);
            range.setEnd(node, lead + 20);
            const sel = window.getSelection();
            sel.removeAllRanges();
            sel.addRange(range);
            return {start: Number(plain.dataset.start) + lead, text: range.toString()};
        }""")
        assert archived  # the archived text is what is shown
        page.locator('button.take[data-part="content"]').click()
        expect(page.locator('output[data-part="content"]')).to_contain_text(chosen["text"])
        assert page.locator('input[name="content_start"]').input_value() == str(chosen["start"])
        page.select_option('#add-statement select[name="stance"]', "deny")
        page.locator("#add-statement-submit").click()
        page.wait_for_load_state("load")
        rows = page.locator("table.statements tbody tr[data-statement]")
        expect(rows).to_have_count(before + 1)
        added = page.locator(f'mark.m-content[data-start="{chosen["start"]}"]')
        expect(added).to_have_count(1)
        assert chosen["text"].startswith(added.inner_text()[:5])
    finally:
        page.close()
    assert not problems, problems


# -- the XSS corpus --------------------------------------------------------------------------
def _hostile_ledger(folder: Path) -> str:
    from hostile import XSS_PAYLOADS

    rows = []
    for n, payload in enumerate(XSS_PAYLOADS):
        rows.append({"url": f"https://news.example.org/{n}?p={quote(payload)}",
                     "published": f"2024-10-{1 + n % 28:02d}", "kind": "news",
                     "title": payload, "publisher": payload,
                     "text": f'Defence minister {payload} said on Monday that "North Korean '
                             f'troops {payload} are in the Kursk region". The Kremlin denied '
                             f'the reports, calling {payload} "fabricated".'})
    rows.append({"url": "javascript:alert(1)", "published": "2024-10-02", "kind": "statement",
                 "title": "javascript link", "text": 'Spokesman Ivan Petrov said that "North '
                 'Korean troops are in the Kursk region."'})
    corpus = folder / "xss.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    props = folder / "xss-props.json"
    props.write_text(json.dumps({"propositions": [
        {"id": "P1", "statement": "North Korean troops are in the Kursk region"},
        {"id": "<img src=x onerror=alert(1)>", "statement": XSS_PAYLOADS[0] + " troops"},
        *({"id": f"X{n}", "statement": f"{p} North Korean troops in Kursk"}
          for n, p in enumerate(XSS_PAYLOADS[1:12]))]}), encoding="utf-8")
    location = str(folder / "xss.db")
    with open_ledger(location, folder / "archive") as ledger:
        summary = ledger.add([str(corpus)])
        assert summary.ok and summary.added == len(rows), summary.failed
        ledger.propose(load_propositions(props))
        ledger.link()
        ledger.judge.create_ach(XSS_PAYLOADS[0] + " / set", ["P1", "<img src=x onerror=alert(1)>"],
                                "xss", exclusive=True)
    return location


_INERT = """() => {
    const all = Array.from(document.querySelectorAll("*"));
    return {
      handlers: all.flatMap(el => Array.from(el.attributes)
        .filter(a => a.name.startsWith("on")).map(a => el.tagName + " " + a.name)),
      scripts: Array.from(document.scripts).map(s => s.getAttribute("src")),
      embeds: document.querySelectorAll(
        "img,iframe,object,embed,base,video,audio,source,template,math,foreignObject,"
        + "animate,set,marquee,noscript,meta[http-equiv=refresh],link:not([rel=stylesheet])"
        ).length,
      links: Array.from(document.querySelectorAll("[href],[*|href]"))
        .map(el => el.getAttribute("href") || el.getAttribute("xlink:href") || ""),
      forms: Array.from(document.forms).map(f => f.getAttribute("action")),
      text: document.body.innerText,
    };
}"""


def test_xss_corpus_every_page_stays_inert(browser: Any, tmp_path: Path) -> None:
    from hostile import XSS_PAYLOADS

    location = _hostile_ledger(tmp_path)
    with live_server(location, tmp_path / "archive") as base:
        import urllib.request

        def api(path: str) -> Any:
            with urllib.request.urlopen(base + path) as r:
                return json.loads(r.read())

        props = [p["id"] for p in api("/api/propositions?limit=200")["items"]]
        sources = [s["id"] for s in api("/api/sources?limit=15")["items"]]
        docs = [d["id"] for d in api("/api/documents?limit=200")["items"]]
        achs = api("/api/ach")["items"]
        assert len(props) == 13 and len(docs) == len(XSS_PAYLOADS) + 1 and sources
        assert [a["name"] for a in achs] == [XSS_PAYLOADS[0] + " / set"]
        urls = ["/propositions", "/sources", "/documents", "/search?q=troops",
                "/search?q=" + quote(XSS_PAYLOADS[0]), "/propositions/no%3Cscript%3E",
                *(f"/propositions/{quote(p, safe='')}" for p in props),
                *(f"/sources/{quote(s, safe='')}" for s in sources),
                *(f"/documents/{d}" for d in docs[::4]),
                "/ach", *(f"/ach/{quote(a['name'], safe='')}" for a in achs)]
        problems: list[str] = []
        page = _page(browser, problems, base)
        shown = ""
        try:
            for url in urls:
                page.goto(base + url)
                page.wait_for_load_state("load")
                found = page.evaluate(_INERT)
                assert found["handlers"] == [], url
                assert found["scripts"] == ["/static/app.js"], url
                assert found["embeds"] == 0, url
                bad = [h for h in found["links"]
                       if not (h.startswith(("/", "#", "?", "https://")) or h == "")]
                assert not bad, (url, bad)
                assert all(a is None or a.startswith("/") or a == "" for a in found["forms"])
                shown += found["text"]
                if url.startswith("/propositions/no"):  # the error page, a 404 on purpose
                    assert problems == ["Failed to load resource: the server responded with "
                                        "a status of 404 (Not Found)"], problems
                    problems.clear()
                circles = page.locator("svg.timeline circle.stmt")
                if circles.count():
                    circles.first.dispatch_event("click")
                    circles.last.dispatch_event("click")
        finally:
            page.close()
        for payload in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                        "<svg onload=alert(1)>"):
            assert payload in shown  # shown as text, never run
        assert not problems, problems
