"""What the workbench keeps between requests, and when it lets go (issue 9, latency): a
proposition's assessment is keyed by what can change *its* links, so a correction of another
proposition does not make a 40,000-link page recompute; counts of a statement filter are kept
per ledger version, so an `add` or any correction shows at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate import Ledger, open_ledger
from webkit import build_kursk, client, csrf


@pytest.fixture
def kursk(tmp_path: Path) -> Ledger:
    location = build_kursk(str(tmp_path / "k.db"), tmp_path / "archive")
    return open_ledger(location, tmp_path / "archive", create=False)


def _linked(ledger: Ledger, pid: str) -> list[str]:
    return [str(s) for (s,) in ledger.store.backend.query(
        "SELECT statement_id FROM assignments WHERE proposition_id = ? ORDER BY statement_id",
        (pid,))]


def test_a_propositions_assessment_is_kept_until_something_it_reads_changes(
        kursk: Ledger) -> None:
    browse = kursk.browse
    p1, p2 = browse.state_key("P1"), browse.state_key("P2")
    assert browse.state_key("P1") == p1  # nothing changed, nothing recomputed
    kursk.curate.set_link(_linked(kursk, "P1")[0], "P1", "uncertain", "ann")
    assert browse.state_key("P1") != p1
    assert browse.state_key("P2") == p2  # another proposition's link: P2 reads none of it
    p1 = browse.state_key("P1")
    # A statement's stance, a source's grade: what every proposition's entries read.
    kursk.curate.set_statement(_linked(kursk, "P2")[0], "ann", stance="deny")
    assert browse.state_key("P1") != p1 and browse.state_key("P2") != p2
    p1, p2 = browse.state_key("P1"), browse.state_key("P2")
    # With an implication in force one link correction changes other propositions' links,
    # so every link correction counts for every proposition.
    kursk.curate.imply("P3", "P2", "ann")
    p2 = browse.state_key("P2")
    kursk.curate.set_link(_linked(kursk, "P3")[0], "P3", None, "ann")
    assert browse.state_key("P2") != p2
    kursk.close()


def test_the_page_after_a_correction_shows_it_and_counts_follow_an_add(
        kursk: Ledger, tmp_path: Path) -> None:
    location = kursk.store.backend.location
    kursk.close()
    api = client(location, tmp_path / "archive", author="ann")
    try:
        before = api.get("/api/statements").json()["total"]
        p2 = api.get("/api/statements?proposition=P2&stance=deny").json()["total"]
        assert api.get("/api/statements?proposition=P2&stance=deny").json()["total"] == p2
        row = api.get("/api/statements?proposition=P2&stance=affirm&limit=1").json()["items"][0]
        done = api.post("/api/links", json={"statement_id": row["id"], "proposition_id": "P2",
                                             "stance": "deny"},
                        headers={"X-CSRF-Token": csrf(api)})
        assert done.status_code == 200
        assert api.get("/api/statements?proposition=P2&stance=deny").json()["total"] == p2 + 1
        page = api.get("/propositions/P2?stance=deny").text
        assert f"of {p2 + 1}" in page or f"{p2 + 1} in all" in page
        # Another writer (an `add` in another process, here another connection) adds a
        # document: the next count sees it, with no correction and no link run.
        extra = tmp_path / "extra.txt"
        extra.write_text("Extra\n\nThe ministry said that 40 soldiers had been moved to the "
                         "Kursk region on Monday. A spokesman told reporters that the "
                         "claims were false.\n", encoding="utf-8")
        with open_ledger(location, tmp_path / "archive", create=False) as other:
            assert other.add([str(extra)]).statements >= 1
            added = other.store.backend.query("SELECT COUNT(*) FROM statements")[0][0]
        assert api.get("/api/statements").json()["total"] == added > before
    finally:
        api.app.app.state.pool.close()  # type: ignore[attr-defined]


def test_one_thread_computes_what_several_ask_for_at_once() -> None:
    import threading
    import time

    from corroborate.browse import Memo

    memo = Memo(4)
    calls: list[int] = []

    def slow() -> str:
        calls.append(1)
        time.sleep(0.2)
        return "assessed"

    got: list[str] = []
    threads = [threading.Thread(target=lambda: got.append(memo.once(("k",), slow)))
               for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == ["assessed"] * 6 and len(calls) == 1

    def broken() -> str:
        raise RuntimeError("no ledger")

    with pytest.raises(RuntimeError):
        memo.once(("bad",), broken)
    assert memo.once(("bad",), lambda: "fine") == "fine"  # a failure is not kept


def _same(found: object, expected: object) -> bool:
    """Two assessments alike in everything a page or the API shows of them."""
    from corroborate.assess.model import proposition_model
    from corroborate.assess.proposition import Assessment
    from corroborate.link.propositions import Proposition

    assert isinstance(found, Assessment) and isinstance(expected, Assessment)
    p = Proposition("P", "statement", "analyst")
    return bool(proposition_model(p, found) == proposition_model(p, expected)
                and {k: g.fields() for k, g in found.grades.items()}
                == {k: g.fields() for k, g in expected.grades.items()})


def test_the_assessment_after_a_link_correction_rereads_only_that_link_and_equals_a_full_one(
        kursk: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    from collections.abc import Sequence

    import corroborate.browse as browse_module
    from corroborate.assess.entry import Entry
    from corroborate.assess.model import entries
    from corroborate.assess.proposition import assess
    from corroborate.store import Store

    browse = kursk.browse
    browse.assessment("P2")  # read in full once
    read: list[int] = []  # rows asked for per read; -1: all of the proposition's

    def counted(store: Store, pid: str, statement_ids: Sequence[str] | None = None
                ) -> list[Entry]:
        read.append(-1 if statement_ids is None else len(statement_ids))
        return entries(store, pid, statement_ids)

    monkeypatch.setattr(browse_module, "entries", counted)
    linked = _linked(kursk, "P2")
    other = next(s for s in _linked(kursk, "P1") if s not in linked)
    corrections = []
    for sid, stance in ((linked[0], "deny"), (linked[1], None), (other, "affirm")):
        corrections.append(kursk.curate.set_link(sid, "P2", stance, "ann"))
        read.clear()
        found = browse.assessment("P2")
        assert read == ([] if stance is None else [1])  # the link that changed, no more
        assert _same(found, assess(entries(kursk.store, "P2")))
    kursk.curate.undo(corrections[0].id, "ann")
    read.clear()
    assert _same(browse.assessment("P2"), assess(entries(kursk.store, "P2")))
    assert read == [1]
    # A statement's correction changes what every row may read: all are read again.
    kursk.curate.set_statement(linked[2], "ann", stance="deny")
    read.clear()
    assert _same(browse.assessment("P2"), assess(entries(kursk.store, "P2")))
    assert read == [-1]
    kursk.close()
