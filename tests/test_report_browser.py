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
