"""Admiralty grading: reliability set per source by the analyst, credibility suggested per
statement from independent corroboration and overridable, shown wherever statements are.

The rule is tested as the table in `assess/grading.py` states it; the ledger tests check that
the grades reach the timeline JSON, the report model, `timeline` and `show`, and that overrides
survive relinking and re-ingestion on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import CliRun
from corroborate import Ledger
from corroborate.assess.entry import Entry
from corroborate.assess.grading import admiralty_code, grades, rule, suggest_all
from corroborate.assess.model import proposition_model
from corroborate.errors import JudgementError, NotFound
from corroborate.link.pack import load_pack, store_pack
from corroborate.link.propositions import Proposition

KURSK_PACK = Path(__file__).resolve().parents[1] / "examples" / "kursk-pack.json"


def entry(sid: str, source: str, stance: str, alignment: str = "unknown",
          reliability: str | None = None, via: str | None = None) -> Entry:
    return Entry(statement_id=sid, date="2024-10-18", date_basis="said_on", source_id=source,
                 source_name=source, alignment=alignment, stance=stance, score=1.0,
                 quote=f"quote {sid}", cue="said", hedges=(), evidence=(), via_id=via,
                 via_name=via, document={"id": "d", "uri": "https://example.test/d",
                                         "published": "2024-10-18"},
                 context={"start": 0, "end": 1}, reliability=reliability)


@pytest.mark.parametrize(("stance", "own", "agreeing", "opposing", "value"), [
    ("uncertain", "UA", ["UA", "RU"], [], 6),        # a hedge asserts nothing
    ("affirm", "UA", [], [], 6),                     # nothing to judge it against
    ("affirm", "UA", ["RU", "UA"], [], 1),           # two agree, one from the other side
    ("affirm", "UA", ["UA", "UA"], [], 2),           # agreement only from its own side
    ("affirm", "UA", ["neutral", "UA", "RU"], ["RU"], 1),   # 3 >= 2*1, across sides
    ("affirm", "UA", ["RU"], [], 2),                 # one other origin: probably true
    ("affirm", "UA", ["RU"], ["RU"], 3),             # as many deny as affirm
    ("deny", "RU", ["RU"], ["UA", "UA", "UA"], 4),  # contradicted, but by one side only
    ("deny", "RU", [], ["UA", "neutral"], 5),       # contradicted across sides, no support
    ("deny", "RU", [], ["RU", "RU"], 5),            # contradicted by its own side
    ("deny", "unknown", [], ["unknown", "unknown"], 4),  # sides unknown: not broad
    ("affirm", "unknown", ["UA", "RU"], [], 1),      # unknown own side: two known sides agree
    ("affirm", "unknown", ["UA", "UA"], [], 2),
])
def test_credibility_rule_follows_the_documented_table(
        stance: str, own: str, agreeing: list[str], opposing: list[str], value: int) -> None:
    found = rule(stance, own, agreeing, opposing)
    assert found.value == value, found.reason
    assert (found.agreeing, found.opposing) == (len(agreeing), len(opposing))


def test_a_source_never_corroborates_itself_and_relays_count_for_their_origin() -> None:
    timeline = [entry("s1", "NIS", "affirm", "UA"), entry("s2", "NIS", "affirm", "UA"),
                # the same origin relayed by an outlet: still the NIS, not a second origin
                entry("s3", "NIS", "affirm", "UA", via="Yonhap"),
                entry("s4", "Peskov", "deny", "RU")]
    suggested = suggest_all(timeline)
    assert suggested["s1"].agreeing == 0 and suggested["s1"].opposing == 1
    assert suggested["s1"].value == 4  # one origin, contradicted once
    assert suggested["s4"].value == 4 and suggested["s4"].opposing == 1


def test_corroboration_across_sides_confirms_and_overrides_win() -> None:
    timeline = [entry("a", "NIS", "affirm", "UA", reliability="B"),
                entry("b", "Pentagon", "affirm", "US"), entry("c", "NATO", "affirm", "UA"),
                entry("d", "Peskov", "deny", "RU", reliability="E")]
    graded = grades(timeline, {"d": 3})
    assert graded["a"].credibility == 1 and graded["a"].code == "B1"
    assert graded["b"].code == "?1"  # ungraded: `?`, never a made-up F
    # three origins from two sides contradict it, none supports it: improbable
    assert graded["d"].credibility == 3 and graded["d"].credibility_suggested == 5
    assert graded["d"].overridden and graded["d"].code == "E3"
    assert graded["d"].fields()["reliability"] == "E"
    assert admiralty_code(None, None) == "??"


STORY = {
    "a.txt": ("2024-10-18", "Seoul Wire",
              "South Korea's National Intelligence Service said on Friday that North Korea had "
              "sent 1,500 special forces troops to Russia."),
    "b.txt": ("2024-10-23", "Kyiv Daily",
              "Kremlin spokesman Dmitry Peskov said on Wednesday that the reports of North "
              "Korean troops in Russia were fake news."),
    "c.txt": ("2024-10-28", "Euro Wire",
              "NATO Secretary-General Mark Rutte said on Monday that North Korean troops had been "
              "sent to Russia."),
}


def write_story(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    for name, (published, publisher, text) in STORY.items():
        (folder / name).write_text(text)
        (folder / f"{name}.meta.json").write_text(json.dumps(
            {"published": published, "publisher": publisher, "kind": "news"}))
    return folder


def add_story(ledger: Ledger, folder: Path) -> None:
    assert ledger.add([str(write_story(folder))]).ok
    ledger.propose([Proposition("P1", "North Korea has sent troops to Russia")])
    store_pack(ledger.store.backend, load_pack(KURSK_PACK))


def _row(model: dict, source: str) -> dict:
    return next(r for r in model["timeline"] if r["source_name"].startswith(source))


def test_grades_reach_the_assessment_json_and_overrides_survive_relinking(
        ledger: Ledger, tmp_path: Path) -> None:
    add_story(ledger, tmp_path)
    ledger.link(force=True)
    ledger.judge.grade_source("Dmitry Peskov", "D")
    a = ledger.assessment("P1")
    prop = ledger.links.propositions()[0]
    model = proposition_model(prop, a)
    peskov = _row(model, "Dmitry Peskov")
    assert peskov["stance"] == "deny" and peskov["reliability"] == "D"
    assert next(s for s in model["sources"] if s["name"] == "Dmitry Peskov")["reliability"] \
        == "D"
    # Two origins affirm, both Ukraine-aligned in the Kursk pack: contradicted by one side.
    assert peskov["credibility_suggested"] == 4 == peskov["credibility"]
    nis = _row(model, "National Intelligence Service")
    # Rutte agrees, Peskov disagrees: as many for as against.
    assert nis["reliability"] is None and nis["credibility"] == 3
    assert nis["admiralty"] == "?3"
    assert nis["credibility_reason"] == "1 other independent origin(s) agree, 1 disagree"

    made = ledger.judge.set_credibility(peskov["statement_id"], "P1", 5, author="ana")
    assert (made.target_kind, made.after) == ("credibility", {"value": 5})
    (tmp_path / "d.txt").write_text("Kyiv said on Tuesday that North Korean troops had "
                                    "arrived in Russia.")
    assert ledger.add([str(tmp_path / "d.txt")]).ok
    ledger.link(force=True)
    report = ledger.report_model(propositions=["P1"])["propositions"][0]
    again = _row(report, "Dmitry Peskov")
    assert (again["reliability"], again["credibility"]) == ("D", 5)
    assert again["credibility_overridden"] and again["credibility_suggested"] == 4
    assert again["admiralty"] == "D5"
    cleared_by = ledger.judge.set_credibility(peskov["statement_id"], "P1", None, author="bo")
    cleared = _row(proposition_model(prop, ledger.assessment("P1")), "Dmitry Peskov")
    assert cleared["credibility"] == cleared["credibility_suggested"]
    assert not cleared["credibility_overridden"]
    history = ledger.curate.history("credibility", made.target)
    assert [(c.before, c.after, c.author) for c in history] == [
        ({"value": 5}, None, "bo"), (None, {"value": 5}, "ana")]
    # Undoing the clearing puts the analyst's 5 back, as every correction can be undone.
    ledger.curate.undo(cleared_by.id, author="ana")
    assert ledger.assessment("P1").grades[peskov["statement_id"]].credibility == 5


def test_credibility_override_survives_reextraction(ledger: Ledger, tmp_path: Path) -> None:
    add_story(ledger, tmp_path)
    sid = _row(proposition_model(ledger.links.propositions()[0], ledger.assessment("P1")),
               "Dmitry Peskov")["statement_id"]
    ledger.judge.set_credibility(sid, "P1", "6")
    ledger.reextract()  # statement ids are hashes of the spans: the same text, the same key
    assert ledger.assessment("P1").grades[sid].credibility == 6


def test_bad_grades_name_the_object_and_the_problem(ledger: Ledger, tmp_path: Path) -> None:
    add_story(ledger, tmp_path)
    ledger.link(force=True)
    with pytest.raises(JudgementError, match=r"source 'Dmitry Peskov'.*A-F"):
        ledger.judge.grade_source("Dmitry Peskov", "G")
    with pytest.raises(NotFound, match="no such source"):
        ledger.judge.grade_source("Nobody At All", "B")
    sid = ledger.assessment("P1").timeline[0].statement_id
    with pytest.raises(JudgementError, match=rf"statement {sid} on P1.*1-6"):
        ledger.judge.set_credibility(sid, "P1", 7)
    with pytest.raises(NotFound, match="proposition 'P9'"):
        ledger.judge.set_credibility(sid, "P9", 2)
    with pytest.raises(NotFound, match="statement 'ffffffffff'"):
        ledger.judge.set_credibility("ffffffffff", "P1", 2)


def test_cli_timeline_and_show_print_the_admiralty_code(run: CliRun, tmp_path: Path) -> None:
    folder = write_story(tmp_path / "story")
    assert run("add", str(folder)).exit_code == 0
    assert run("propose", "North Korea has sent troops to Russia").exit_code == 0
    assert run("link", "--pack", str(KURSK_PACK)).exit_code == 0
    assert run("source", "set", "Dmitry Peskov", "grade=E").exit_code == 0
    shown = run("timeline", "P1")
    assert shown.exit_code == 0 and "grade" in shown.output and "E4" in shown.output
    model = json.loads(run("timeline", "P1", "--json").output)
    peskov = _row(model, "Dmitry Peskov")
    assert peskov["admiralty"] == "E4"
    result = run("credibility", peskov["statement_id"][:10], "P1", "5")
    assert result.exit_code == 0 and "E5 (suggested 4)" in result.output
    detail = run("show", peskov["statement_id"])
    assert "grade E5" in detail.output and "set by the analyst" in detail.output
    as_json = json.loads(run("show", peskov["statement_id"], "--json").output)
    assert as_json["propositions"][0]["credibility"] == 5
    assert as_json["propositions"][0]["credibility_suggested"] == 4
    links = list(csv.DictReader(io.StringIO(
        run("export", "--what", "links", "--format", "csv").output)))
    mine = next(r for r in links if r["statement_id"] == peskov["statement_id"])
    assert (mine["reliability"], mine["credibility"], mine["credibility_suggested"]) == (
        "E", "5", "4")
    assert run("report", "-o", str(tmp_path / "r.html")).exit_code == 0
    html = (tmp_path / "r.html").read_text()
    assert ">E5</span>" in html and "credibility 5 set by the analyst" in html
    bad = run("credibility", peskov["statement_id"], "P1", "9")
    assert bad.exit_code == 1 and "expected a number 1-6" in bad.output
