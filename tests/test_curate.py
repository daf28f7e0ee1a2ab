"""Analyst corrections on real ledgers (SQLite and PostgreSQL): recorded with who, when,
before and after; undoable (and redoable); kept when links are recomputed, statements are
re-extracted or the same files are added again; bad input changes nothing."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import PostgresCluster
from corroborate import Ledger, open_ledger
from corroborate.curate import CorrectionError
from corroborate.model import Span
from corroborate.store.anchors import Anchor, Candidate, SpanKey, find
from test_link import add_stories


def statement(ledger: Ledger, words: str):
    return next(r for r in ledger.resolved_statements() if words in r.statement.content.text)


def links_of(ledger: Ledger, words: str) -> dict[str, str]:
    return {p["id"]: p["stance"] for p in statement(ledger, words).propositions}


def corrections_count(ledger: Ledger) -> int:
    return int(ledger.store.backend.query("SELECT COUNT(*) FROM corrections")[0][0])


@pytest.fixture
def story(ledger: Ledger, tmp_path: Path) -> Ledger:
    add_stories(ledger, tmp_path)
    ledger.link(force=True)
    return ledger


NIS = "North Korea had sent 1,500"
PESKOV = "were fake news"


def test_a_rejected_link_stays_rejected_through_relink_and_reextraction(story: Ledger) -> None:
    assert links_of(story, NIS)["P1"] == "affirm"
    sid = statement(story, NIS).statement.id
    c = story.curate.set_link(sid, "P1", None, "ann")
    assert c.op == "link.set" and c.author == "ann" and c.before["stance"] == "affirm"
    assert c.after is None and c.target.endswith("|P1")
    assert "P1" not in links_of(story, NIS)  # at once, without relinking
    story.link(force=True)
    assert "P1" not in links_of(story, NIS)
    story.reextract()
    story.link(force=True)
    assert "P1" not in links_of(story, NIS)
    assert story.assessment("P1").timeline  # the other statements are still linked
    assert sid not in {e.statement_id for e in story.assessment("P1").timeline}


def test_flip_and_add_override_the_linker_and_show_in_the_assessment(story: Ledger) -> None:
    peskov = statement(story, PESKOV).statement.id
    rutte = statement(story, "could not confirm").statement.id
    assert "P3" not in links_of(story, "could not confirm")
    story.curate.set_link(peskov, "P1", "affirm", "ann")  # flip deny → affirm
    story.curate.set_link(rutte, "P3", "uncertain", "bob")  # a link the linker never made
    story.link(force=True)
    assert links_of(story, PESKOV)["P1"] == "affirm"
    assert links_of(story, "could not confirm")["P3"] == "uncertain"
    stances = {e.statement_id: e.stance for e in story.assessment("P1").timeline}
    assert stances[peskov] == "affirm"
    assert story.assessment("P3").timeline and rutte in {
        e.statement_id for e in story.assessment("P3").timeline}
    from corroborate.report import render_report

    model = story.report_model()
    rows = {r["statement_id"]: r for p in model["propositions"] for r in p["timeline"]}
    assert rows[peskov]["corrected"] and rows[rutte]["corrected"]
    assert not rows[statement(story, NIS).statement.id]["corrected"]
    html = render_report(model)
    assert html.count('class="tag corrected"') == sum(r["corrected"] for p in
                                                      model["propositions"]
                                                      for r in p["timeline"])


def test_history_undo_and_redo_are_recorded(story: Ledger) -> None:
    sid = statement(story, NIS).statement.id
    first = story.curate.set_link(sid, "P1", "deny", "ann")
    assert links_of(story, NIS)["P1"] == "deny"
    undo = story.curate.undo(first.id, "bob")
    assert undo.op == "undo" and undo.undoes == first.id and undo.author == "bob"
    assert links_of(story, NIS)["P1"] == "affirm"  # the linker's link is back
    assert story.curate.get(first.id).undone_by == undo.id
    redo = story.curate.undo(undo.id, "ann")
    assert redo.undoes == undo.id
    assert links_of(story, NIS)["P1"] == "deny"
    assert story.curate.get(first.id).undone_by is None  # in force again
    story.link(force=True)
    assert links_of(story, NIS)["P1"] == "deny"
    history = story.curate.history(target=sid)
    assert [c.id for c in history] == [redo.id, undo.id, first.id]  # newest first
    assert all(c.created.endswith("+00:00") for c in history)
    with pytest.raises(CorrectionError, match=f"#{undo.id}: already undone"):
        story.curate.undo(undo.id, "ann")
    assert story.curate.history(limit=1, offset=1)[0].id == undo.id


def test_a_statement_stance_and_date_survive_reextraction(story: Ledger) -> None:
    sid = statement(story, NIS).statement.id
    c = story.curate.set_statement(sid, "ann", stance="deny", said_on="2024-09")
    assert c.before == {"stance": "affirm", "said_on": "2024-10-18",
                        "said_on_granularity": "day"}
    assert story.links.is_stale()  # what linking reads changed
    for _ in range(2):
        got = statement(story, NIS).statement
        assert (got.stance, got.said_on, got.said_on_granularity) == \
            ("deny", "2024-09-01", "month")
        assert links_of(story, NIS)["P1"] == "deny"  # the linker read the corrected stance
        story.reextract()
    story.curate.undo(c.id, "ann")
    got = statement(story, NIS).statement
    assert (got.stance, got.said_on) == ("affirm", "2024-10-18")
    assert links_of(story, NIS)["P1"] == "affirm"


def test_corrections_survive_adding_the_same_files_again(story: Ledger,
                                                         tmp_path: Path) -> None:
    sid = statement(story, PESKOV).statement.id
    story.curate.set_link(sid, "P2", None, "ann")
    story.curate.set_statement(sid, "ann", stance="uncertain")
    summary = story.add([str(tmp_path)])
    assert summary.ok and summary.added == 0
    story.link(force=True)
    assert statement(story, PESKOV).statement.stance == "uncertain"
    assert "P2" not in links_of(story, PESKOV)


def test_a_correction_follows_its_statement_when_offsets_move(story: Ledger) -> None:
    """A new extractor draws the content span one word shorter: the correction is keyed to the
    span and its text, so it finds the statement again (match by text, not row id)."""
    before = statement(story, NIS)
    story.curate.set_statement(before.statement.id, "ann", stance="uncertain")
    doc_id = before.document.id
    moved = []
    for st in story.statements(doc_id=doc_id):
        if NIS in st.content.text:  # "that North Korea ..." becomes "North Korea ..."
            text = st.content.text.removeprefix("that ")
            start = st.content.start + (len(st.content.text) - len(text))
            st = replace(st, content=Span(doc_id, start, st.content.end, text))
        moved.append(st)
    story.store.write(lambda: story.store.write_statements(doc_id, moved))
    after = statement(story, NIS)
    assert after.statement.id != before.statement.id
    assert after.statement.stance == "uncertain"


def test_anchor_matching_prefers_exact_then_moved_text_then_overlap() -> None:
    text = "xx Peskov said the reports were fake. Later Peskov said the reports were fake."
    key = SpanKey("d", (15, 36), (10, 14))
    anchor = Anchor(key, text[15:36], "said")
    exact = Candidate("a", (15, 36), (10, 14), "said")
    later = Candidate("b", (55, 76), (50, 54), "said")
    assert find(anchor, text, [later, exact]) == "a"
    shifted = "Intro. " + text  # text inserted before: offsets move by 7
    assert find(anchor, shifted, [Candidate("c", (22, 43), (17, 21), "said"),
                                  Candidate("e", (62, 83), (57, 61), "said")]) == "c"
    assert find(anchor, text, [Candidate("f", (19, 36), (10, 14), "said")]) == "f"
    assert find(anchor, text, [Candidate("g", (0, 3), None)]) is None
    assert SpanKey.parse(str(key)) == key
    assert SpanKey.parse("d:1-2:-") == SpanKey("d", (1, 2))
    assert SpanKey.parse("not a key") is None


def test_a_deleted_statement_is_gone_everywhere_but_history(story: Ledger) -> None:
    sid = statement(story, PESKOV).statement.id
    c = story.curate.delete_statement(sid, "ann")
    assert c.before["statement"]["content"]["text"].endswith("fake news")
    assert all(PESKOV not in r.statement.content.text for r in story.resolved_statements())
    story.reextract()
    story.link(force=True)
    assert all(PESKOV not in r.statement.content.text for r in story.resolved_statements())
    assert sid not in {e.statement_id for p in ("P1", "P2", "P3")
                       for e in story.assessment(p).timeline}
    quotes = [e["quote"] for p in story.report_model()["propositions"] for e in p["timeline"]]
    assert quotes and not any(PESKOV in q for q in quotes)
    assert story.curate.history(target=c.target)[0].id == c.id
    story.curate.undo(c.id, "ann")
    assert statement(story, PESKOV).statement.id == sid
    assert "P1" in links_of(story, PESKOV)


def test_an_added_statement_is_real_and_survives_reextraction(story: Ledger) -> None:
    doc = next(d for d in story.documents(with_text=True) if "Peskov" in d.text)
    text = doc.text
    content_start = text.index("North Korean troops were already")
    content = (content_start, text.index(" in the Kursk region"))
    source = (text.index("A senior"), text.index(" said on Wednesday"))
    cue = (text.index("said on Wednesday"), text.index("said on Wednesday") + 4)
    story.propose_text("North Korean troops are fighting")
    c = story.curate.add_statement(doc.id, content, "ann", cue=cue, source=source,
                                   stance="uncertain")
    for _ in range(2):
        added = [r for r in story.resolved_statements(doc_id=doc.id)
                 if r.statement.producer == "analyst"]
        assert len(added) == 1
        assert added[0].statement.content.text == text[content[0]:content[1]]
        assert added[0].source_name  # resolved like any statement
        assert added[0].propositions  # and linked
        story.reextract()
    story.curate.undo(c.id, "ann")
    assert not [r for r in story.resolved_statements(doc_id=doc.id)
                if r.statement.producer == "analyst"]


@pytest.mark.parametrize(("call", "message"), [
    (lambda cur, sid: cur.set_link(sid, "P1", "maybe", "ann"), "stance 'maybe'"),
    (lambda cur, sid: cur.set_link(sid, "P9", "deny", "ann"), "proposition_id 'P9'"),
    (lambda cur, sid: cur.set_link("ffffffffffff", "P1", "deny", "ann"), "statement_id"),
    (lambda cur, sid: cur.set_link(sid, "P1", "deny", " "), "author: empty"),
    (lambda cur, sid: cur.set_statement(sid, "ann", said_on="2024-13-01"), "said_on"),
    (lambda cur, sid: cur.set_statement(sid, "ann"), "give stance"),
    (lambda cur, sid: cur.set_statement(sid, "ann", source_id="nobody"), "source_id"),
    (lambda cur, sid: cur.undo(999, "ann"), "#999: no such correction"),
    (lambda cur, sid: cur.record("x", "Bad Kind", "t", None, None, "ann"), "target_kind"),
    (lambda cur, sid: cur.record("x", "link", "t", None, None, "ann"), "its own method"),
])
def test_bad_input_names_the_field_and_changes_nothing(story: Ledger, call, message) -> None:
    sid = statement(story, NIS).statement.id
    links = links_of(story, NIS)
    with pytest.raises(CorrectionError, match=message):
        call(story.curate, sid)
    assert corrections_count(story) == 0
    assert links_of(story, NIS) == links


def test_a_span_outside_the_text_is_refused(story: Ledger) -> None:
    doc = next(story.documents(with_text=True))
    with pytest.raises(CorrectionError, match=r"content span 5-99999: outside the text"):
        story.curate.add_statement(doc.id, (5, 99999), "ann")
    with pytest.raises(CorrectionError, match="cue span"):
        story.curate.add_statement(doc.id, (5, 20), "ann", cue=(30, 30))
    with pytest.raises(CorrectionError, match="doc_id"):
        story.curate.add_statement("nope", (5, 20), "ann")
    assert corrections_count(story) == 0


def test_generic_records_are_audited_and_undoable(story: Ledger) -> None:
    c = story.curate.record("ach.set", "ach", "H1|S1", None, {"cell": "II"}, "ann")
    assert [x.id for x in story.curate.in_force("ach")] == [c.id]
    story.curate.undo(c.id, "ann")
    assert story.curate.in_force("ach") == []
    assert story.curate.history("ach", "H1|S1")[0].op == "undo"


def test_two_analysts_at_once_on_postgres(pg_cluster: PostgresCluster, tmp_path: Path) -> None:
    location = pg_cluster.new_database()
    with open_ledger(location, tmp_path / "archive") as ledger:
        add_stories(ledger, tmp_path)
        ledger.link(force=True)
        ids = [r.statement.id for r in ledger.resolved_statements()]
    errors: list[BaseException] = []
    made: list[int] = []
    lock = threading.Lock()

    def analyst(name: str, stance: str) -> None:
        try:
            with open_ledger(location, tmp_path / "archive") as mine:
                for sid in ids:
                    c = mine.curate.set_link(sid, "P2", stance, name)
                    with lock:
                        made.append(c.id)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=analyst, args=(n, s))
               for n, s in (("ann", "affirm"), ("bob", "deny"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with open_ledger(location, tmp_path / "archive") as ledger:
        history = ledger.curate.history(limit=100)
        assert sorted(c.id for c in history) == sorted(made) and len(made) == 2 * len(ids)
        assert {c.author for c in history} == {"ann", "bob"}
        # the link is whatever the later correction of each statement says
        for sid in ids:
            latest = ledger.curate.history(target=sid, limit=1)[0]
            assert links_of_id(ledger, sid)["P2"] == latest.after["stance"]
        # two analysts undoing the same correction: one wins, the other is told
        target = history[0].id
        outcomes: list[str] = []

        def undo(name: str) -> None:
            with open_ledger(location, tmp_path / "archive") as mine:
                try:
                    mine.curate.undo(target, name)
                    outcomes.append("done")
                except CorrectionError:
                    outcomes.append("refused")
        threads = [threading.Thread(target=undo, args=(n,)) for n in ("ann", "bob")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcomes) == ["done", "refused"]


def links_of_id(ledger: Ledger, sid: str) -> dict[str, str]:
    row = next(r for r in ledger.resolved_statements() if r.statement.id == sid)
    return {p["id"]: p["stance"] for p in row.propositions}


def test_the_cli_corrects_shows_history_undoes_and_exports(run, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    import json

    with open_ledger(str(run.db), tmp_path / "cli.archive") as ledger:
        add_stories(ledger, tmp_path)
        ledger.link(force=True)
        sid = statement(ledger, NIS).statement.id
    result = run("correct", "link", sid[:10], "P1", "--reject", "--author", "ann")
    assert result.exit_code == 0, result.output
    assert "link.set by ann" in result.output and "stance=affirm → (none)" in result.output
    monkeypatch.setenv("CORROBORATE_AUTHOR", "bob")
    result = run("correct", "stance", sid, "uncertain", "--json")
    flip = json.loads(result.output)
    assert flip["author"] == "bob" and flip["after"] == {"stance": "uncertain"}
    result = run("history", sid)
    assert result.output.index("statement.set") < result.output.index("link.set")
    result = run("undo", str(flip["id"]))
    assert result.exit_code == 0 and f"(undoes #{flip['id']})" in result.output
    with open_ledger(str(run.db), tmp_path / "cli.archive") as ledger:
        assert statement(ledger, NIS).statement.stance == "affirm"
        assert "P1" not in links_of(ledger, NIS)
    lines = run("export", "--what", "corrections").output.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["op"] for r in records] == ["link.set", "statement.set", "undo"]
    first = records[0]
    assert first["statement"]["content"]["text"].startswith("that North Korea had sent")
    assert first["proposition"]["text"] == "North Korea has sent troops to Russia"
    assert (first["label_before"], first["label_after"], first["in_force"]) == \
        ("affirm", None, True)
    assert records[1]["in_force"] is False
    bad = run("correct", "link", sid, "P1", "--stance", "affirm", "--reject")
    assert bad.exit_code == 2
    bad = run("correct", "date", sid, "18 October")
    assert bad.exit_code == 1 and "said_on '18 October'" in bad.output
    bad = run("undo", "77")
    assert bad.exit_code == 1 and "#77: no such correction" in bad.output
    assert len(run("history", "--json").output) and \
        len(json.loads(run("history", "--json").output)) == 3


def source_named(ledger: Ledger, mention: str) -> dict:
    return next(s for s in ledger.links.sources() if mention in s["aliases"])


def test_source_merge_split_and_edit_are_recorded_and_survive_relink(story: Ledger) -> None:
    rutte = source_named(story, "Rutte")
    peskov = source_named(story, "Kremlin spokesman Dmitry Peskov")
    edit = story.curate.edit_source(rutte["id"], "grade", "B", "ann")
    assert edit.before == {"field": "grade", "value": None} and edit.after["value"] == "B"
    merge = story.curate.merge_sources(rutte["id"], [peskov["id"]], "ann")
    story.link()
    merged = source_named(story, "Rutte")
    assert "Kremlin spokesman Dmitry Peskov" in merged["aliases"] and merged["grade"] == "B"
    story.curate.undo(merge.id, "bob")
    story.link()
    assert source_named(story, "Kremlin spokesman Dmitry Peskov")["id"] == peskov["id"]
    # split one statement out of the official's source, by statement
    official = source_named(story, "A senior Ukrainian intelligence official")
    mine = [r for r in story.resolved_statements() if r.source_id == official["id"]]
    assert len(mine) >= 2
    split = story.curate.split_source(official["id"], [mine[0].statement.id], "ann",
                                      name="Ukrainian official (Kyiv Daily)")
    for _ in range(2):
        story.link(force=True)
        after = {r.statement.id: r.source_name for r in story.resolved_statements()}
        assert after[mine[0].statement.id] == "Ukrainian official (Kyiv Daily)"
        assert after[mine[1].statement.id] == official["name"]
        story.reextract()
    assert story.curate.history("source", official["key"])[0].id == split.id
    assert source_named(story, "Rutte")["grade"] == "B"  # the edit is still in force


def test_the_old_source_commands_are_recorded_as_corrections(run, tmp_path: Path) -> None:
    with open_ledger(str(run.db), tmp_path / "cli.archive") as ledger:
        add_stories(ledger, tmp_path)
        ledger.link(force=True)
    assert run("source", "set", "Mark Rutte", "grade=A").exit_code == 0
    assert run("source", "split", "Mark Rutte", "--mention", "Rutte").exit_code == 0
    out = run("history", "--kind", "source").output
    assert "source.edit by" in out and "source.split by" in out
    with open_ledger(str(run.db), tmp_path / "cli.archive") as ledger:
        assert any(s["name"] == "Rutte" for s in ledger.links.sources())


def test_a_statement_source_correction_survives_relink(story: Ledger) -> None:
    rutte = source_named(story, "Rutte")
    sid = statement(story, PESKOV).statement.id
    c = story.curate.set_statement(sid, "ann", source_id="Mark Rutte")
    assert c.before["source_name"] == "Dmitry Peskov" and c.after["source"] == rutte["key"]
    for _ in range(2):
        assert statement(story, PESKOV).source_id == rutte["id"]
        story.link(force=True)
    story.curate.undo(c.id, "ann")
    assert statement(story, PESKOV).source_name == "Dmitry Peskov"


def test_propositions_are_created_edited_merged_retired_and_undone(story: Ledger) -> None:
    cur = story.curate
    pid = cur.add_proposition("North Korean troops are in the Kursk region", "ann")
    assert pid == "P4" and story.curate.history("proposition", pid)[0].op == "proposition.add"
    story.link()
    assert story.assessment(pid).timeline
    edit = cur.edit_proposition(pid, "North Korean troops are deployed in the Kursk region", "ann")
    assert edit.before == {"text": "North Korean troops are in the Kursk region"}
    merge = cur.merge_propositions("P2", pid, "ann")
    assert pid not in {p.id for p in story.links.propositions()}
    story.link(force=True)
    assert pid not in {p["id"] for p in statement(story, NIS).propositions}
    with pytest.raises(CorrectionError, match="merged"):
        cur.set_link(statement(story, NIS).statement.id, pid, "affirm", "ann")
    cur.undo(merge.id, "ann")
    assert pid in {p.id for p in story.links.propositions()}
    retire = cur.retire_proposition("P3", "ann")
    story.link(force=True)
    assert "P3" not in {p["id"] for p in story.report_model()["propositions"]}
    cur.undo(retire.id, "ann")
    story.link(force=True)
    assert "P3" in {p["id"] for p in story.report_model()["propositions"]}
    assert story.assessment("P3").timeline
    added = cur.history("proposition", pid)[-1]
    cur.undo(added.id, "ann")
    assert pid not in {p.id for p in story.links.propositions(include_retired=True)}
    assert cur.add_proposition("Something else", "ann") == "P4"


def test_an_implied_proposition_counts_the_stronger_ones_evidence(story: Ledger) -> None:
    """P3 (fighting) ⇒ P2 (deployed in Kursk) ⇒ P1 (sent to Russia)."""
    cur = story.curate
    no_p1 = [r.statement.id for r in story.resolved_statements()
             if any(p["id"] == "P3" and p["stance"] == "affirm" for p in r.propositions)
             and "P1" not in {p["id"] for p in r.propositions}]
    assert no_p1, "the story has a statement affirming P3 the linker did not link to P1"
    p1_affirm = sum(e.stance == "affirm" for e in story.assessment("P1").timeline)
    cur.imply("P3", "P2", "ann")
    cur.imply("P2", "P1", "ann")
    with pytest.raises(CorrectionError, match="already implies"):
        cur.imply("P1", "P3", "ann")
    story.link(force=True)
    p1 = {e.statement_id: e.stance for e in story.assessment("P1").timeline}
    assert all(p1.get(sid) == "affirm" for sid in no_p1)  # through P2, transitively
    assert sum(s == "affirm" for s in p1.values()) == p1_affirm + len(no_p1)
    # a denial of the weaker proposition denies the stronger one
    peskov = statement(story, PESKOV).statement.id
    cur.set_link(peskov, "P3", None, "ann")  # rejected: never shown, implied or not
    cur.set_link(peskov, "P1", "deny", "ann")
    story.link(force=True)
    assert "P3" not in links_of(story, PESKOV)
    marked = [row for p in story.report_model()["propositions"] for row in p["timeline"]
              if row["corrected"]]
    assert {row["statement_id"] for row in marked} >= {peskov}


def test_a_merged_proposition_hands_its_link_corrections_to_the_one_kept(story: Ledger) -> None:
    cur = story.curate
    rutte = statement(story, "could not confirm").statement.id
    pid = cur.add_proposition("Pyongyang has dispatched soldiers to Russia", "ann")
    link = cur.set_link(rutte, pid, "deny", "ann")
    assert "P2" not in links_of(story, "could not confirm")
    cur.merge_propositions("P2", pid, "bob")
    story.link(force=True)
    assert links_of(story, "could not confirm")["P2"] == "deny"
    history = [c.id for c in cur.history(target=pid)]  # the proposition and links to it
    assert link.id in history and len(history) == 3
