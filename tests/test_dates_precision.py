"""Dates keep their precision end to end: "in October" is a month, never 1 October.

From the extractor (`said_on_granularity`) through the store (migration 0010, the `timeline`
view) to the assessment (first claimant, reversals and contradictions compare intervals) and
what people read (terminal timeline, JSON, the HTML report in a real browser).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corroborate import Ledger, open_ledger
from corroborate.assess.contradictions import _Side
from corroborate.assess.proposition import Entry, assess, first_claim
from corroborate.link.propositions import Proposition
from corroborate.model import Statement
from corroborate.period import Period, label, period, phrase
from corroborate.store.migrations import _TIMELINE
from test_report_browser import ARGS, CHROMIUM, _require_browser

PUBLISHED = "2024-11-18"  # a Monday
STORY = """NATO chief Mark Rutte said in October that North Korea had sent troops to Russia.

Ukraine's defence ministry said last week that North Korea had sent troops to Russia.

Kremlin spokesman Dmitry Peskov denied on Friday that North Korea had sent troops to Russia.

The Pentagon said on Nov. 12 that North Korea had sent troops to Russia.

South Korea's spy agency said this weekend that North Korea had sent troops to Russia.
"""


def entry(sid: str, source: str, stance: str, day: str | None, precision: str | None = "day",
          basis: str = "said_on") -> Entry:
    return Entry(statement_id=sid, date=day, date_basis=basis, source_id=f"S-{source}",
                 source_name=source, alignment="unknown", stance=stance, score=1.0,
                 quote=f"{source} on {day}", cue="said", hedges=(), evidence=(), via_id=None,
                 via_name=None, document={"id": "d"}, context={"start": "0", "end": "1"},
                 precision=precision)


# -- period.py -------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "granularity", "start", "end", "shown"), [
    ("2024-10-01", "month", "2024-10-01", "2024-10-31", "Oct 2024"),
    ("2024-02-01", "month", "2024-02-01", "2024-02-29", "Feb 2024"),
    ("2024-11-11", "week", "2024-11-11", "2024-11-17", "week of 2024-11-11"),
    ("2024-12-14", "weekend", "2024-12-14", "2024-12-15", "weekend of 2024-12-14"),
    ("2024-10-18", "day", "2024-10-18", "2024-10-18", "2024-10-18"),
    ("2024-10-18T09:30:00Z", None, "2024-10-18", "2024-10-18", "2024-10-18"),
    ("2024-10", None, "2024-10-01", "2024-10-31", "Oct 2024"),
    ("2024", None, "2024-01-01", "2024-12-31", "2024"),
])
def test_a_date_is_the_interval_its_granularity_says(value: str, granularity: str | None,
                                                     start: str, end: str, shown: str) -> None:
    p = period(value, granularity)
    assert p is not None
    assert (p.start.isoformat(), p.end.isoformat(), label(value, granularity)) == \
        (start, end, shown)


def test_phrase_says_the_day_is_unknown_only_when_it_is() -> None:
    assert phrase("2024-10-01", "month") == "in Oct 2024 (day unknown)"
    assert phrase("2024-11-11", "week") == "in the week of 2024-11-11 (day unknown)"
    assert phrase("2024-10-18", "day") == "on 2024-10-18"
    assert period("not a date") is None and label(None) == ""


# -- the assessment --------------------------------------------------------------------------

def test_a_month_claim_does_not_beat_a_day_inside_it_but_is_reported_as_maybe_earlier() -> None:
    entries = [entry("m", "Partners", "affirm", "2024-10-01", "month"),
               entry("d", "NIS", "affirm", "2024-10-18")]
    first, rivals = first_claim(entries)
    assert first is not None and first.statement_id == "d"
    assert [r.statement_id for r in rivals] == ["m"]
    a = assess(entries)
    assert a.first_claimant == first and a.first_claim_rivals == rivals
    # The timeline still starts with the month (its interval starts first), labelled as such.
    assert [e.date_label for e in a.timeline] == ["Oct 2024", "2024-10-18"]


def test_a_month_wholly_earlier_wins_and_says_day_unknown() -> None:
    first, rivals = first_claim([entry("d", "NIS", "affirm", "2024-10-18"),
                                 entry("m", "Partners", "affirm", "2024-09-01", "month")])
    assert first is not None and first.statement_id == "m" and rivals == []
    assert first.date_phrase == "in Sep 2024 (day unknown)"


def test_nothing_is_said_after_publication_so_a_month_ends_there() -> None:
    month = replace(entry("m", "Partners", "affirm", "2024-10-01", "month"),
                    document={"id": "d", "published": "2024-10-10"})
    assert month.period == Period(date(2024, 10, 1), date(2024, 10, 10), "month")
    assert month.date_label == "Oct 2024"
    first, rivals = first_claim([entry("d", "NIS", "affirm", "2024-10-18"), month])
    assert first is month and rivals == []
    assert first.date_phrase == "in Oct 2024 (day unknown)"


def test_a_week_ending_before_a_day_wins_and_the_same_day_is_a_tie_not_a_rival() -> None:
    first, rivals = first_claim([entry("w", "Rutte", "affirm", "2024-10-07", "week"),
                                 entry("d1", "NIS", "affirm", "2024-10-18"),
                                 entry("d2", "HUR", "affirm", "2024-10-18", basis="published")])
    assert first is not None and first.statement_id == "w" and rivals == []
    first, rivals = first_claim([entry("d2", "HUR", "affirm", "2024-10-18", basis="published"),
                                 entry("d1", "NIS", "affirm", "2024-10-18")])
    assert first is not None and first.statement_id == "d1", "said_on beats (pub) on a tie"
    assert rivals == [] and first.date_phrase == "on 2024-10-18"


def test_first_claimant_is_never_a_pronoun_or_a_clause_fragment() -> None:
    first, _ = first_claim([entry("x", "which", "affirm", "2024-10-01"),
                            entry("y", "people for", "affirm", "2024-10-02"),
                            entry("z", "NIS", "affirm", "2024-10-18")])
    assert first is not None and first.source_name == "NIS"


def test_changed_position_needs_periods_in_a_known_order() -> None:
    overlapping = [entry("a", "Austin", "deny", "2024-10-01", "month"),
                   entry("b", "Austin", "affirm", "2024-10-18")]
    assert assess(overlapping).reversals == {}
    ordered = [entry("a", "Austin", "deny", "2024-09-01", "month"),
               entry("b", "Austin", "affirm", "2024-10-18")]
    [(x, y)] = assess(ordered).reversals["S-Austin"]
    assert (x.date_label, y.date_label) == ("Sep 2024", "2024-10-18")


def test_contradictions_are_grouped_around_the_lone_denier_and_counted() -> None:
    entries = [entry("k", "KCNA", "deny", "2024-10-25", basis="published"),
               entry("a1", "NIS", "affirm", "2024-10-18"),
               entry("a2", "NIS", "affirm", "2024-10-24"),
               entry("a3", "Partners", "affirm", "2024-09-01", "month"),  # 25 days: too far
               entry("a4", "Rutte", "affirm", "2024-11-01", "month"),  # overlaps: 0 days
               entry("a5", "Austin", "affirm", "2024-10-28")]
    a = assess(entries)
    [group] = a.contradiction_groups
    assert (group.source_name, group.stance, group.opponents) == ("KCNA", "deny", 3)
    assert [b.statement_id for _, b in group.pairs] == ["a2", "a5", "a4"]
    assert "3 sources affirming" in group.note() and "Nov 2024" in group.note()
    assert [(x.statement_id, y.statement_id) for x, y, _ in a.contradictions] == \
        [("a2", "k"), ("a5", "k"), ("a4", "k")]
    assert a.contradictions[0][2] == "NIS affirms (2024-10-24) while KCNA denies (2024-10-25 (pub))"


def test_contradictions_group_by_the_lone_affirmer_when_deniers_are_many() -> None:
    entries = [entry("a", "HUR", "affirm", "2024-10-18"),
               *(entry(f"d{i}", f"Denier {i}", "deny", f"2024-10-{20 + i}") for i in range(3))]
    [group] = assess(entries).contradiction_groups
    assert (group.source_name, group.opponents) == ("HUR", 3)


periods = st.builds(
    lambda start, gran: period((date(2024, 1, 1) + timedelta(days=start)).isoformat(), gran),
    st.integers(0, 400), st.sampled_from(["day", "day", "week", "weekend", "month"]))


@given(st.lists(periods, min_size=1, max_size=12), periods)
def test_the_closest_period_search_agrees_with_checking_every_pair(
        others: list[Period | None], p: Period | None) -> None:
    assert p is not None and all(others)
    items = [(q, entry(str(i), "X", "deny", q.start.isoformat(), q.granularity))
             for i, q in enumerate(others) if q is not None]
    gap, found = _Side(items).closest(p)
    assert gap == min(p.gap_days(q) for q, _ in items)
    assert found.period is not None and p.gap_days(found.period) == gap


# -- extraction, the ledger, the CLI ---------------------------------------------------------

def _story(folder: Path) -> Path:
    path = folder / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    path.with_name("story.txt.meta.json").write_text(json.dumps({"published": PUBLISHED}))
    return path


def test_extraction_keeps_the_granularity_of_said_on() -> None:
    from corroborate.extract import extract_statements

    found = {s.source.text if s.source else "": s
             for s in extract_statements(STORY, PUBLISHED, "d", "news", ())}
    got = {k: (s.said_on, s.said_on_granularity) for k, s in found.items()}
    assert got == {"NATO chief Mark Rutte": ("2024-10-01", "month"),
                   "Ukraine's defence ministry": ("2024-11-11", "week"),
                   "Kremlin spokesman Dmitry Peskov": ("2024-11-15", "day"),
                   "The Pentagon": ("2024-11-12", "day"),
                   "South Korea's spy agency": ("2024-11-16", "weekend")}
    rutte = found["NATO chief Mark Rutte"]
    assert Statement.from_dict(rutte.to_dict(), "d") == rutte


def _linked(ledger: Ledger, folder: Path) -> None:
    ledger.add([str(_story(folder))])
    ledger.propose([Proposition("P1", "North Korea has sent troops to Russia")])


def test_ledger_first_claim_timeline_view_and_contradiction_group(ledger: Ledger,
                                                                  tmp_path: Path) -> None:
    _linked(ledger, tmp_path)
    a = ledger.assessment("P1")
    assert a.first_claimant is not None
    assert a.first_claimant.source_name.endswith("Rutte")
    assert a.first_claimant.date_phrase == "in Oct 2024 (day unknown)"
    assert a.first_claim_rivals == []
    [group] = a.contradiction_groups
    assert group.source_name.endswith("Peskov") and group.opponents == 4
    rows = ledger.store.backend.query(
        "SELECT date, precision, date_end, date_basis FROM timeline "
        "WHERE proposition_id = 'P1' ORDER BY date, date_end")
    assert [tuple(r) for r in rows] == [
        ("2024-10-01", "month", "2024-10-31", "said_on"),
        ("2024-11-11", "week", "2024-11-17", "said_on"),
        ("2024-11-12", "day", "2024-11-12", "said_on"),
        ("2024-11-15", "day", "2024-11-15", "said_on"),
        ("2024-11-16", "weekend", "2024-11-17", "said_on")]


def test_migration_0010_reads_the_granularity_of_statements_stored_before_it(
        db_location: str, tmp_path: Path) -> None:
    with open_ledger(db_location, tmp_path / "archive") as ledger:
        _linked(ledger, tmp_path)
        ledger.assessment("P1")
        db = ledger.store.backend
        # Back to the schema as it shipped before 0010: no column, the old view.
        ledger.store.write(lambda: [db.execute(sql) for sql in (
            "DROP VIEW timeline", "ALTER TABLE statements DROP COLUMN said_on_granularity",
            _TIMELINE, "DELETE FROM schema_migrations WHERE name = '0010_said_on_granularity'")])
        assert {r[0] for r in db.query("SELECT precision FROM timeline")} == {"day"}
    with open_ledger(db_location, tmp_path / "archive") as ledger:
        db = ledger.store.backend
        assert sorted(tuple(r) for r in db.query(
            "SELECT said_on, said_on_granularity FROM statements")) == [
            ("2024-10-01", "month"), ("2024-11-11", "week"), ("2024-11-12", "day"),
            ("2024-11-15", "day"), ("2024-11-16", "weekend")]
        assert ("2024-10-01", "month", "2024-10-31") in {tuple(r) for r in db.query(
            "SELECT date, precision, date_end FROM timeline")}


def test_cli_timeline_shows_periods_first_claim_and_grouped_contradiction(run: Any,
                                                                          tmp_path: Path) -> None:
    story = _story(tmp_path)
    assert run("add", str(story)).exit_code == 0
    assert run("propose", "North Korea has sent troops to Russia").exit_code == 0
    result = run("timeline", "P1")
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Oct 2024" in out and "week of 2024-11-11" in out and "2024-10-01" not in out
    assert "in Oct 2024 (day unknown)" in out
    assert "Contradicted (4):" in out and out.count("Contradicted") == 1
    model = json.loads(run("timeline", "P1", "--json").output)
    first = model["first_claimant"]
    assert (first["date"], first["precision"], first["date_end"], first["date_label"]) == \
        ("2024-10-01", "month", "2024-10-31", "Oct 2024")
    assert {e["precision"] for e in model["timeline"]} == {"month", "week", "day", "weekend"}
    [group] = model["contradiction_groups"]
    assert group["opponents"] == 4 and len(group["pairs"]) == 4


# -- the HTML report, in a browser -----------------------------------------------------------

@pytest.mark.browser
def test_report_in_the_browser_shows_the_month_as_a_bar_labelled_oct_2024(
        tmp_path: Path) -> None:
    _require_browser()
    from playwright.sync_api import sync_playwright

    from corroborate.report import render_report

    with open_ledger(str(tmp_path / "ledger.db"), tmp_path / "archive") as ledger:
        _linked(ledger, tmp_path)
        model = ledger.report_model("dates")
    target = tmp_path / "report.html"
    target.write_text(render_report(model), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(target.as_uri())
            keyfacts = page.locator("#prop-P1 .keyfacts").inner_text()
            assert "Oct 2024 (day unknown)" in keyfacts and "2024-10-01" not in keyfacts
            assert page.locator("#prop-P1 .card time").first.inner_text() == "Oct 2024"
            labels = page.locator("#tl-p1 text.span-label").all_text_contents()
            assert "Oct 2024" in labels and "week of 2024-11-11" in labels
            bar = page.locator("#tl-p1 rect.span").first.bounding_box()
            dot = page.locator("#tl-p1 circle.stmt").first.bounding_box()
            assert bar is not None and dot is not None and bar["width"] > 3 * dot["width"]
            contradictions = page.locator("#prop-P1 ul.plain li")
            assert contradictions.count() == 1 and "4 sources" in contradictions.inner_text()
        finally:
            browser.close()
