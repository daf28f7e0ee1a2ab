"""Corrections made in the browser outlive a re-extraction, and two analysts' edits are told
apart (issue 9): in Debian chromium, analyst ann flips a link on a proposition page and
analyst bob changes a statement's stance on its document page, each on their own workbench
(`corroborate serve --author ...`) over one ledger; `reextract` rewrites every statement row;
both corrections are still on the pages, and the history names both authors.

Skips when chromium or playwright is missing, unless CORROBORATE_REQUIRE_BROWSER is set.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from corroborate import open_ledger
from test_web_browser import _page, _requires_curate
from webkit import build_kursk, live_server

pytestmark = pytest.mark.browser


def _row(page: Any, text: str) -> Any:
    return page.locator("table.statements tbody tr[data-statement]", has_text=text).first


def test_browser_corrections_survive_reextraction_and_name_both_analysts(
        browser: Any, tmp_path: Path) -> None:
    _requires_curate()
    from playwright.sync_api import expect

    archive = tmp_path / "archive"
    location = build_kursk(str(tmp_path / "k.db"), archive)
    problems: list[str] = []
    with live_server(location, archive, author="ann") as ann, \
            live_server(location, archive, author="bob") as bob:
        page = _page(browser, problems, ann)
        other = _page(browser, problems, bob)
        try:
            # ann flips the first affirmation of P2 to a denial.
            page.goto(ann + "/propositions/P2?stance=affirm&limit=200")
            row = page.locator("table.statements tbody tr[data-statement]").first
            flipped = row.locator("td.quote").inner_text()
            row.locator('button.flip[value="deny"]').click()
            page.wait_for_load_state("load")
            page.goto(ann + "/propositions/P2?limit=200")
            expect(_row(page, flipped)).to_have_attribute("data-stance", "deny")
            # bob opens another P2 statement's document and changes its stance there.
            page.goto(ann + "/propositions/P2?stance=affirm&limit=200")
            target = page.locator("table.statements tbody tr[data-statement]").first
            content = target.locator("td.quote").inner_text()
            assert content != flipped
            href = target.locator('a[href^="/documents/"]').first.get_attribute("href")
            assert href
            other.goto(bob + href)
            doc_row = _row(other, content)
            expect(doc_row.locator("td").nth(3)).to_have_text("affirm")
            doc_row.locator('select[name="stance"]').select_option("uncertain")
            doc_row.locator('button[name="op"][value="set"]').click()
            other.wait_for_load_state("load")
            expect(_row(other, content).locator("td").nth(3)).to_have_text("uncertain")

            # Re-extraction replaces every statement row; links are computed again.
            with open_ledger(location, archive) as ledger:
                assert ledger.reextract() > 0
                ledger.link(force=True)
            page.goto(ann + "/propositions/P2?limit=200")
            expect(_row(page, flipped)).to_have_attribute("data-stance", "deny")
            other.goto(bob + href)
            expect(_row(other, content).locator("td").nth(3)).to_have_text("uncertain")

            # One history, two analysts: each edit names its author.
            page.goto(ann + "/history")
            rows = page.locator("table.history tbody tr")
            expect(rows).to_have_count(2)
            authors = rows.evaluate_all("rs => rs.map(r => r.children[2].innerText)")
            ops = rows.evaluate_all("rs => rs.map(r => r.children[3].innerText)")
            assert sorted(zip(authors, ops, strict=True)) == [("ann", "link.set"),
                                                              ("bob", "statement.set")]
            expect(page.locator("table.history")).to_contain_text(re.compile("uncertain"))
        finally:
            page.close()
            other.close()
    assert not problems, problems
