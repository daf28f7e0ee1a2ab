"""`learn` in a real browser (issue 9; Debian chromium through Playwright): the analyst
corrects a link on a proposition page, clicks "Learn" on the history page, sees what the
relink moved (the near copies of the corrected statement take its stance), sees it on the
proposition page, and undoes it from the learn page, which puts the copies back.

The ledger is test_learn's dam story (one police line reprinted by three outlets, read by
the linker as denying sabotage). Skips when chromium or playwright is missing, unless
CORROBORATE_REQUIRE_BROWSER is set.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from corroborate import open_ledger
from test_learn import _story, needs_minilm
from test_web_browser import _page, _requires_curate
from webkit import live_server

pytestmark = [pytest.mark.browser, needs_minilm]


def test_correct_then_learn_then_undo_in_the_browser(browser: Any, tmp_path: Path) -> None:
    _requires_curate()
    from playwright.sync_api import expect

    location = str(tmp_path / "dam.db")
    with open_ledger(location, tmp_path / "archive") as ledger:
        copies, p2 = _story(ledger, tmp_path)
    problems: list[str] = []
    with live_server(location, tmp_path / "archive", author="ann") as base:
        page = _page(browser, problems, base)
        page.set_default_timeout(30000)  # learn relinks with MiniLM
        try:
            def row(sid: str) -> Any:
                return page.locator(f'table.statements tbody tr[data-statement="{sid}"]')

            page.goto(f"{base}/propositions/{p2}?limit=200")
            for sid in copies:
                expect(row(sid)).to_have_attribute("data-stance", "deny")
            # The analyst reads the first copy as affirming sabotage: a flip.
            row(copies[0]).locator('button.flip[value="affirm"]').click()
            page.wait_for_load_state("load")
            expect(row(copies[0])).to_have_attribute("data-stance", "affirm")
            expect(row(copies[1])).to_have_attribute("data-stance", "deny")

            page.goto(base + "/history")
            page.locator("form.learn button.learn").click()
            page.wait_for_url(re.compile(r"/learn/\d+$"))
            expect(page.locator('[data-count="corrections"]')).to_have_text("1")
            expect(page.locator('[data-count="stance_changed"]')).to_have_text("3")
            moved = page.locator("table.changes tbody tr[data-statement]")
            shown = set(moved.evaluate_all("rs => rs.map(r => r.dataset.statement)"))
            assert set(copies[1:]) <= shown and copies[0] not in shown
            expect(page.locator(f'table.changes tr[data-statement="{copies[1]}"] td').nth(3)
                   ).to_have_text("affirm")
            learned = page.url

            page.goto(f"{base}/propositions/{p2}?limit=200")
            for sid in copies:
                expect(row(sid)).to_have_attribute("data-stance", "affirm")
            page.goto(base + "/history")
            expect(page.locator("table.history a.learned")).to_have_count(1)

            page.goto(learned)
            page.locator("#learned button.undo").click()
            page.wait_for_url(re.compile(r"/learn/\d+$"))
            expect(page.locator("#learned h2")).to_contain_text("Undo of learn")
            expect(page.locator(f'table.changes tr[data-statement="{copies[1]}"] td').nth(3)
                   ).to_have_text("deny")
            page.goto(f"{base}/propositions/{p2}?limit=200")
            expect(row(copies[0])).to_have_attribute("data-stance", "affirm")  # the flip stays
            expect(row(copies[1])).to_have_attribute("data-stance", "deny")
            expect(row(copies[2])).to_have_attribute("data-stance", "deny")
        finally:
            page.close()
    assert not problems, problems
