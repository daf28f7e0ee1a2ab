"""Heuer's analysis of competing hypotheses: suggested consistency from stance and grade,
overrides, diagnosticity, ranking by weighted inconsistency, sensitivity, CSV/JSON, and the
ACH sets and cell overrides kept in the ledger (SQLite and PostgreSQL) and driven by the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import CliRun
from corroborate import Ledger
from corroborate.assess import ach
from corroborate.assess.grading import grades
from corroborate.errors import JudgementError, NotFound
from corroborate.link.propositions import Proposition
from test_grading import KURSK_PACK, add_story, entry, write_story

H1 = ach.Hypothesis("H1", "an air strike caused it")
H2 = ach.Hypothesis("H2", "a misfired rocket caused it")


def build(timelines: dict, overrides: dict | None = None, exclusive: bool = False
          ) -> ach.Matrix:
    return ach.matrix("blast", [H1, H2], timelines,
                      {h: grades(t) for h, t in timelines.items()}, overrides, exclusive)


def story() -> dict:
    """Three origins from two sides say H1; one says H2 and denies H1; a hedge on H2."""
    return {
        "H1": [entry("s1", "Ministry", "affirm", "A-side", "B"),
               entry("s2", "Witness", "affirm", "B-side"),
               entry("s3", "Agency", "affirm", "A-side"),
               entry("s4", "Army", "deny", "B-side", "E")],
        "H2": [entry("s4", "Army", "affirm", "B-side", "E"),
               entry("s5", "Analyst", "uncertain", "neutral")],
    }


def test_suggested_cells_follow_stance_and_grade() -> None:
    m = build(story())
    cells = {i.statement_id: {h: c.value for h, c in i.cells.items()} for i in m.items}
    # s1: confirmed across sides (credibility 1) -> CC; unlinked to H2 -> N
    assert cells["s1"] == {"H1": "CC", "H2": "N"}
    assert cells["s4"] == {"H1": "I", "H2": "C"}  # improbable (5) and unjudged (6): I and C
    assert cells["s5"] == {"H1": "N", "H2": "N"}  # a hedge says nothing either way
    by_id = {i.statement_id: i for i in m.items}
    assert by_id["s5"].diagnosticity == 0.0  # same everywhere: not diagnostic
    assert by_id["s1"].diagnosticity == pytest.approx(0.5)
    assert by_id["s4"].diagnosticity == pytest.approx(0.5)


def test_least_inconsistent_hypothesis_ranks_first_and_overrides_change_it() -> None:
    m = build(story())
    assert [r.hypothesis.id for r in m.ranking] == ["H2", "H1"]  # H2: nothing against it
    assert m.ranking[1].inconsistent_items == 1
    # s4 weighs reliability E (0.2) x credibility 5 (0.2): three origins of two sides say H1
    assert m.ranking[1].inconsistency == pytest.approx(0.04)
    # The analyst reads the ministry's statement as ruling the rocket out: II on H2.
    again = build(story(), {("s1", "H2"): "II"})
    assert [r.hypothesis.id for r in again.ranking] == ["H1", "H2"]
    s1 = next(i for i in again.items if i.statement_id == "s1")
    assert s1.cells["H2"].value == "II" and s1.cells["H2"].suggested == "N"
    assert s1.cells["H2"].overridden


def test_equal_inconsistency_shares_the_rank() -> None:
    m = build({"H1": [entry("s1", "X", "affirm")], "H2": [entry("s2", "Y", "affirm")]})
    assert [r.rank for r in m.ranking] == [1, 1]
    assert m.to_dict()["most_likely"] == ["H1", "H2"]


def test_exclusive_hypotheses_turn_a_rival_affirmation_into_inconsistency() -> None:
    m = build(story(), exclusive=True)
    cells = {i.statement_id: {h: c.value for h, c in i.cells.items()} for i in m.items}
    assert cells["s1"] == {"H1": "CC", "H2": "II"}  # strong for H1, so strongly against H2
    assert cells["s2"]["H2"] == "II" and cells["s3"]["H2"] == "II"
    assert [r.hypothesis.id for r in m.ranking] == ["H1", "H2"]


def test_sensitivity_says_when_one_source_carries_the_ranking() -> None:
    timelines = {"H1": [entry("s1", "Lone", "deny", "A-side", "D")],
                 "H2": [entry("s2", "Other", "affirm", "B-side", "B"),
                        entry("s3", "Third", "deny", "A-side", "B")]}
    m = build(timelines)
    # H1: Lone's unjudged denial, 0.4 x 0.5; H2: Third's doubtful one, 0.8 x 0.4
    assert [(r.hypothesis.id, r.inconsistency) for r in m.ranking] == [("H1", 0.2),
                                                                        ("H2", 0.32)]
    by_name = {s.name: s for s in m.sensitivity}
    lowest = by_name["without reliability D"]
    assert lowest.dropped == 1 and not lowest.order_changed
    third = by_name["without Third"]
    assert third.top_changed and [r.hypothesis.id for r in third.ranking] == ["H2", "H1"]
    assert not by_name["without Other"].order_changed
    assert by_name["without single-source items"].dropped == 3


def test_sensitivity_says_when_the_least_reliable_sources_decide() -> None:
    timelines = {"H1": [entry("s1", "Careful", "deny", "A-side", "C")],
                 "H2": [entry("s2", "Rumour", "deny", "B-side", "E"),
                        entry("s3", "Gossip", "deny", "B-side", "E")]}
    m = build(timelines)
    assert [r.hypothesis.id for r in m.ranking] == ["H1", "H2"]  # 0.3 against 2 x 0.16
    lowest = next(s for s in m.sensitivity if s.name == "without reliability E")
    assert lowest.dropped == 2 and lowest.top_changed
    assert [r.hypothesis.id for r in lowest.ranking] == ["H2", "H1"]


def test_csv_rows_are_the_matrix_then_the_scores() -> None:
    fields, rows = ach.csv_rows(build(story(), {("s5", "H1"): "C"}))
    assert fields[:8] == ["item", "kind", "date", "source", "alignment", "admiralty", "H1",
                          "H2"]
    assert [r["item"] for r in rows[:-2]] == ["s1", "s2", "s3", "s4", "s5"]
    assert rows[0]["admiralty"] == "B1" and rows[4]["overridden"] == "H1"
    assert rows[-2]["item"] == "weighted inconsistency" and rows[-1]["H2"] == 1
    with pytest.raises(ValueError, match="expected one of CC, C, N, I, II"):
        ach.valid_value("maybe")


# -- in the ledger ------------------------------------------------------------------------
def _ach_story(ledger: Ledger, folder: Path) -> None:
    add_story(ledger, folder)
    ledger.propose([Proposition("P6", "The reports of North Korean troops are a pretext "
                                      "for Western escalation")])
    ledger.link(force=True)


def test_ach_sets_and_cell_overrides_persist(ledger: Ledger, tmp_path: Path) -> None:
    _ach_story(ledger, tmp_path)
    made = ledger.judge.create_ach("origin", ["P1", "P6"], author="ana", exclusive=True)
    assert made.hypotheses == ("P1", "P6") and made.exclusive
    m = ledger.judge.ach("origin")
    assert {i.statement_id for i in m.items} == {e.statement_id
                                                 for e in ledger.assessment("P1").timeline} | {
        e.statement_id for e in ledger.assessment("P6").timeline}
    peskov = next(i for i in m.items if i.source_name == "Dmitry Peskov")
    assert peskov.cells["P1"].value == "I"
    ledger.judge.set_cell("origin", peskov.statement_id[:12], "P6", "cc", author="ana")
    (tmp_path / "d.txt").write_text("Kyiv said on Tuesday that North Korean troops had "
                                    "arrived in Russia.")
    assert ledger.add([str(tmp_path / "d.txt")]).ok
    ledger.link(force=True)
    again = ledger.judge.ach("origin")
    cell = next(i for i in again.items if i.statement_id == peskov.statement_id).cells["P6"]
    assert (cell.value, cell.overridden) == ("CC", True)
    assert [s.name for s in ledger.judge.ach_sets()] == ["origin"]
    ledger.judge.set_cell("origin", peskov.statement_id, "P6", None)
    cleared = next(i for i in ledger.judge.ach("origin").items
                   if i.statement_id == peskov.statement_id).cells["P6"]
    assert not cleared.overridden and cleared.value == cleared.suggested
    ledger.judge.delete_ach("origin")
    with pytest.raises(NotFound, match="ACH set 'origin': no such set"):
        ledger.judge.ach("origin")


def test_ach_refuses_what_it_cannot_mean(ledger: Ledger, tmp_path: Path) -> None:
    _ach_story(ledger, tmp_path)
    with pytest.raises(JudgementError, match="needs two or more different propositions"):
        ledger.judge.create_ach("solo", ["P1"])
    with pytest.raises(NotFound, match="proposition 'P9'"):
        ledger.judge.create_ach("x", ["P1", "P9"])
    with pytest.raises(JudgementError, match="may not end in /csv"):
        ledger.judge.create_ach("origin/csv", ["P1", "P6"])
    ledger.judge.create_ach("origin", ["P1", "P6"])
    sid = ledger.assessment("P1").timeline[0].statement_id
    with pytest.raises(JudgementError, match="P2 is not one of its hypotheses"):
        ledger.judge.set_cell("origin", sid, "P2", "C")
    with pytest.raises(JudgementError, match=rf"item {sid}, P1: consistency 'X'"):
        ledger.judge.set_cell("origin", sid, "P1", "X")


def test_cli_ach_create_show_set_and_export(run: CliRun, tmp_path: Path) -> None:
    folder = write_story(tmp_path / "story")
    assert run("add", str(folder)).exit_code == 0
    assert run("propose", "North Korea has sent troops to Russia").exit_code == 0
    assert run("propose", "The reports are a pretext for Western escalation").exit_code == 0
    assert run("link", "--pack", str(KURSK_PACK)).exit_code == 0
    made = run("ach", "create", "origin", "P1", "P2", "--exclusive")
    assert made.exit_code == 0 and "P1, P2 (mutually exclusive)" in made.output
    table = run("ach", "show", "origin")
    assert table.exit_code == 0 and "#1 P1" in table.output
    model = json.loads(run("ach", "show", "origin", "--json").output)
    assert model["most_likely"] == ["P1"] and model["exclusive"]
    peskov = next(i for i in model["items"] if i["source"] == "Dmitry Peskov")
    assert peskov["cells"]["P1"]["value"] == "I"
    changed = run("ach", "set", "origin", peskov["id"][:8], "P1", "II", "--author", "ana")
    assert changed.exit_code == 0 and "most likely now: P1" in changed.output
    history = run("history", "--kind", "ach")
    assert "ach.set by ana" in history.output and "→ value=II" in history.output
    rows = list(csv.DictReader(io.StringIO(run("ach", "show", "origin", "--csv").output)))
    mine = next(r for r in rows if r["item"] == peskov["id"])
    assert (mine["P1"], mine["overridden"]) == ("II", "P1")
    assert rows[-1]["item"] == "rank" and rows[-1]["P1"] == "1"
    assert run("ach", "list").output.startswith("origin: P1 P2 (exclusive)")
    correction = history.output.split()[0].lstrip("#")
    assert run("undo", correction, "--author", "ana").exit_code == 0
    undone = json.loads(run("ach", "show", "origin", "--json").output)
    cell = next(i for i in undone["items"] if i["id"] == peskov["id"])["cells"]["P1"]
    assert (cell["value"], cell["overridden"]) == ("I", False)
    missing = run("ach", "show", "nope")
    assert missing.exit_code == 1 and "ACH set 'nope': no such set" in missing.output
    bad = run("ach", "set", "origin", peskov["id"], "P1", "XX")
    assert bad.exit_code == 1 and "expected one of CC, C, N, I, II" in bad.output
