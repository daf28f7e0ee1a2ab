"""The HTML report in a real browser: it loads cleanly offline and the chart drives the cards.

Runs Debian's chromium through Playwright (no `playwright install`: the system browser is used).
Skips when chromium or the playwright module is missing, unless CORROBORATE_REQUIRE_BROWSER is
set (CI), where a missing browser must fail instead of silently passing.
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path
from typing import Any

import pytest

import corroborate.report.html as report_html
from corroborate.report import render_report
from test_report_html import sample_model

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


def _require_browser() -> None:
    missing = [str(CHROMIUM)] if not CHROMIUM.exists() else []
    if importlib.util.find_spec("playwright") is None:
        missing.append("the playwright Python package")
    if not missing:
        return
    message = "browser test needs " + " and ".join(missing)
    if os.environ.get("CORROBORATE_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


def test_chart_renders_and_click_reveals_statement(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _require_browser()
    from playwright.sync_api import expect, sync_playwright

    # Collapse every statement list so the click must also open the <details>.
    monkeypatch.setattr(report_html, "COLLAPSE_AFTER", 2)
    model: dict[str, Any] = sample_model()
    target = tmp_path / "report.html"
    target.write_text(render_report(model), encoding="utf-8")
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(5000)
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: None if r.url.startswith(("file:", "data:"))
                    else problems.append(f"network request: {r.url}"))
            page.goto(target.as_uri())
            page.wait_for_load_state("load")

            circles = page.locator("circle.stmt")
            expected = sum(len(p["timeline"]) for p in model["propositions"])
            assert circles.count() == expected
            for i in range(expected):
                box = circles.nth(i).bounding_box()
                assert box and box["width"] > 0 and box["height"] > 0, i

            card = page.locator("#stmt-s5")
            quote = card.locator("mark")
            expect(quote).to_be_hidden()  # inside a closed <details>
            page.locator('circle.stmt[data-statement="s5"]').click()
            expect(quote).to_be_visible()
            expect(quote).to_have_text("There is evidence that DPRK troops are in Russia")
            expect(card).to_have_class(re.compile(r"\bis-active\b"))
            expect(card).to_be_in_viewport()
            expect(page.locator('circle.stmt[data-statement="s5"]')).to_have_class(
                re.compile(r"\bactive\b"))
            background = card.evaluate("el => getComputedStyle(el).boxShadow")
            assert background != "none"

            # Another click moves the highlight; links in tables reach cards the same way.
            page.locator('a.ex[data-goto="s3"]').click()
            expect(page.locator("#stmt-s3")).to_have_class(re.compile(r"\bis-active\b"))
            expect(card).not_to_have_class(re.compile(r"\bis-active\b"))

            page.locator('circle.stmt[data-statement="s2"]').click()
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        finally:
            browser.close()
    assert (tmp_path / "report.png").stat().st_size > 0
    assert not problems, problems


def _open(browser: Any, path: Path, fragment: str = "") -> tuple[Any, list[str]]:
    """A page on `path`, with every script error, dialog and network request recorded."""
    problems: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(5000)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:"))
            else problems.append(f"network request: {r.url}"))
    page.goto(path.as_uri() + fragment)
    page.wait_for_load_state("load")
    return page, problems


@pytest.mark.parametrize("fragment", ["#stmt-%", "#stmt-%E0%A4%A",
                                      "#stmt-%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"])
def test_a_bad_fragment_leaves_sorting_and_filter_working(browser: Any, tmp_path: Path,
                                                         fragment: str) -> None:
    from playwright.sync_api import expect

    target = tmp_path / "report.html"
    target.write_text(render_report(sample_model()), encoding="utf-8")
    page, problems = _open(browser, target, fragment)
    try:
        head = page.locator("table.toc th").nth(3)  # Statements
        head.click()
        expect(head).to_have_attribute("aria-sort", "ascending")
        ids = page.locator("table.toc tbody td:first-child").all_text_contents()
        assert ids == ["P2", "P1"]  # 3 statements before 7
        page.fill("#toc-filter", "kursk")
        expect(page.locator("table.toc tbody tr:visible")).to_have_count(1)
        page.locator('circle.stmt[data-statement="s5"]').click()
        expect(page.locator("#stmt-s5")).to_have_class(re.compile(r"\bis-active\b"))
    finally:
        page.close()
    assert not problems, problems


def test_a_good_fragment_still_opens_its_statement(browser: Any, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from playwright.sync_api import expect

    monkeypatch.setattr(report_html, "COLLAPSE_AFTER", 2)
    target = tmp_path / "report.html"
    target.write_text(render_report(sample_model()), encoding="utf-8")
    page, problems = _open(browser, target, "#stmt-s5")
    try:
        expect(page.locator("#stmt-s5 mark")).to_be_visible()
        expect(page.locator("#stmt-s5")).to_have_class(re.compile(r"\bis-active\b"))
    finally:
        page.close()
    assert not problems, problems


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "escaping-alone"])
def test_xss_payloads_in_every_field_stay_inert(browser: Any, tmp_path: Path, csp: bool) -> None:
    """81 payloads in titles, publishers, URLs, proposition ids and text, source names, quotes,
    relays and tables: nothing runs, nothing loads, no javascript: link is live. Without the
    Content-Security-Policy the escaping alone must hold (the CSP is the second wall)."""
    from hostile import XSS_PAYLOADS
    from test_report_html import hostile_model

    html = render_report(hostile_model(XSS_PAYLOADS))
    if not csp:
        html, n = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
        assert n == 1
    target = tmp_path / "report.html"
    target.write_text(html, encoding="utf-8")
    page, problems = _open(browser, target)
    try:
        found = page.evaluate("""() => {
            const all = Array.from(document.querySelectorAll("*"));
            return {
              handlers: all.flatMap(el => Array.from(el.attributes)
                .filter(a => a.name.startsWith("on")).map(a => el.tagName + " " + a.name)),
              scripts: document.scripts.length,
              embeds: document.querySelectorAll(
                "img,iframe,object,embed,form,base,video,audio,source,template,math,"
                + "foreignObject,animate,set,select,textarea,button,marquee,noscript").length,
              inputs: document.querySelectorAll("input").length,
              links: Array.from(document.querySelectorAll("[href],[*|href]"))
                .map(el => el.getAttribute("href") || el.getAttribute("xlink:href") || ""),
              text: document.body.innerText,
            };
        }""")
        assert found["handlers"] == [] and found["scripts"] == 1 and found["embeds"] == 0
        assert found["inputs"] == 1  # the contents filter
        bad = [h for h in found["links"] if not h.startswith(("#", "https://", "data:,"))]
        assert not bad, bad
        for payload in ("<script>alert(1)</script>", "<svg onload=alert(1)>",
                        "<img src=x onerror=alert(1)>"):
            assert payload in found["text"]  # shown as text
        # Interact the way a reader does: every circle, then the tables and the filter.
        circles = page.locator("circle.stmt")
        for i in (0, 41, circles.count() - 1):
            circles.nth(i).click()
        page.locator("table.sortable th").first.click()
        page.fill("#toc-filter", "<script>")
        page.mouse.move(10, 10)
    finally:
        page.close()
    assert not problems, problems
