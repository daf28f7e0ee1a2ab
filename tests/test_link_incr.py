"""Incremental linking (issue 10): a relink reuses the concept bags and stances the last run
kept in the ledger (store/linkcache.py) where their inputs are unchanged, reads only what is
new, and ends with the links of a run from nothing — on SQLite and on PostgreSQL; a
proposition added or edited is read again; a ledger from before the tables gains them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from corroborate import open_ledger
from corroborate.link import run
from corroborate.link.propositions import Proposition
from corroborate.store.linkcache import LinkCache
from test_link_stream import _NEW, _copy, _links
from webkit import build_kursk

_SECOND = ("---\ntitle: Kyiv update\npublisher: Other Wire\npublished: 2024-11-22\n---\n"
           "Ukraine's military intelligence said on Friday that North Korean soldiers were "
           "fighting in the Kursk region alongside Russian marines. The Kremlin dismissed the "
           "reports as fake news.\n")


@pytest.fixture(scope="module")
def kursk(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp("kursk-incr")
    return build_kursk(str(folder / "k.db"), folder / "archive"), folder / "archive"


def _write(tmp_path: Path) -> list[str]:
    paths = []
    for name, text in (("new.md", _NEW), ("second.md", _SECOND)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    return paths


def _kept(location: str, archive: Path) -> tuple[int, int, int]:
    with open_ledger(location, archive) as ledger:
        claims, stances = LinkCache(ledger.store.backend).counts()
        return claims, stances, int(ledger.summary()["statements"])


def _same_as_from_nothing(location: str, archive: Path, added: list[str],
                          propositions: list[Proposition], tmp_path: Path) -> None:
    """The ledger's links equal those of a copy of the Kursk ledger given the same documents
    and propositions and linked with `full` (nothing reused)."""
    tmp_path.mkdir(exist_ok=True)
    fresh = build_kursk(str(tmp_path / "fresh.db"), tmp_path / "fresh-archive")
    with open_ledger(fresh, tmp_path / "fresh-archive") as ledger:
        ledger.add(added)
        if propositions:
            ledger.propose(propositions)
        summary = ledger.link(full=True)
        assert summary is not None and not summary.incremental and summary.reused == 0
    assert _links(location, archive) == _links(fresh, tmp_path / "fresh-archive")


def test_relink_after_an_add_reads_only_the_new_statements(kursk: tuple[str, Path],
                                                           tmp_path: Path) -> None:
    """After an `add`, only the new statements' concepts are computed and only stances of
    new statements are read by the rules; every other stance is reused; the links equal a
    full run's; the kept rows follow the ledger (one claim row per statement)."""
    (tmp_path / "a").mkdir()
    location, archive = _copy(kursk, tmp_path / "a")
    with open_ledger(location, archive) as ledger:
        first = ledger.link(full=True)
        assert first is not None and first.bagged == first.statements
        assert first.scored >= first.assignments
        again = ledger.link(force=True)
        assert again is not None and again.incremental and again.written == 0
        assert (again.bagged, again.scored) == (0, 0) and again.reused == first.scored
        before = {st.id for st in ledger.statements()}
        added = ledger.add(_write(tmp_path))
        assert added.statements >= 3
        linked = ledger.link()
        assert linked is not None and linked.incremental
        new = {st.id for st in ledger.statements()} - before
        assert linked.bagged == len(new) == added.statements
        db = ledger.store.backend
        rows = db.query("SELECT statement_id FROM link_stances")
        assert {sid for (sid,) in rows} & new  # the new ones bearing on a proposition
    # Every stance read afresh belongs to a new statement, or to a statement whose inputs
    # moved (its source renamed by the new documents' names, or a discovered proposition's
    # frame): bounded by the new statements' pairs plus what moved, far below a full read.
    assert 0 < linked.scored < first.scored / 4, (linked.scored, first.scored)
    assert linked.reused > 0
    claims, _, statements = _kept(location, archive)
    assert claims == statements
    _same_as_from_nothing(location, archive, _write(tmp_path), [], tmp_path)


def test_a_proposition_added_or_edited_is_read_again(kursk: tuple[str, Path],
                                                     tmp_path: Path) -> None:
    """A new proposition's stances are all read (none kept), and so are those of the others
    whose frame it changes (frames are read against the story's other propositions); an
    edited proposition's stances are read again; links equal a full run's each time."""
    (tmp_path / "a").mkdir()
    location, archive = _copy(kursk, tmp_path / "a")
    extra = Proposition("P90", "Russia has acknowledged the presence of North Korean troops")
    with open_ledger(location, archive) as ledger:
        ledger.link(full=True)
        ledger.propose([extra])
        added = ledger.link()
        assert added is not None and added.incremental and added.bagged == 0
        assert added.scored > 0
        assert {pid for (pid,) in ledger.store.backend.query(
            "SELECT DISTINCT proposition_id FROM link_stances")} >= {"P90"}
    _same_as_from_nothing(location, archive, [], [extra], tmp_path / "x")
    edited = Proposition("P90", "North Korean soldiers have been killed in the Kursk region")
    with open_ledger(location, archive) as ledger:
        ledger.propose([edited])
        linked = ledger.link()
        assert linked is not None and linked.incremental and linked.scored > 0
    _same_as_from_nothing(location, archive, [], [edited], tmp_path / "y")


def test_rows_whose_inputs_differ_are_never_used(kursk: tuple[str, Path], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A kept row is used only on an equal digest: rows whose digest no longer matches
    (here: every one, rewritten) are computed again, giving the same links; a different
    fingerprint (code, pack, method, stance head) makes the run a full one that rewrites
    every row."""
    (tmp_path / "a").mkdir()
    location, archive = _copy(kursk, tmp_path / "a")
    with open_ledger(location, archive) as ledger:
        first = ledger.link(full=True)
        assert first is not None
        links_before = _links(location, archive)
        db = ledger.store.backend
        # A poisoned value under a wrong digest: must not be read back.
        ledger.store.write(lambda: (
            db.execute("UPDATE link_stances SET inputs = 'stale', stance = 'deny'"),
            db.execute("UPDATE link_claims SET inputs = 'stale', content_concepts = 'x'")))
        relinked = ledger.link(force=True)
        assert relinked is not None and relinked.incremental
        assert relinked.reused == 0 and relinked.scored == first.scored
        assert relinked.bagged == first.statements and relinked.written == 0
        assert _links(location, archive) == links_before
        monkeypatch.setattr(run, "_code_digest", lambda: "another version")
        other = ledger.link(force=True)
        assert other is not None and not other.incremental and other.reused == 0
        assert other.written == 0
        assert not db.query("SELECT 1 FROM link_stances WHERE inputs = 'stale'")


def test_a_ledger_from_before_the_kept_tables_gains_them(kursk: tuple[str, Path],
                                                         tmp_path: Path) -> None:
    """A linked ledger as the corroborate before migration 0014 left it (no kept tables, no
    fingerprint) is migrated on open; its first link is a full one and changes no link."""
    (tmp_path / "a").mkdir()
    location, archive = _copy(kursk, tmp_path / "a")
    with open_ledger(location, archive) as ledger:
        ledger.link(force=True)
        db = ledger.store.backend
        ledger.store.write(lambda: (
            db.execute("DROP TABLE link_claims"), db.execute("DROP TABLE link_stances"),
            db.execute("DELETE FROM meta WHERE key = 'link_fingerprint'"),
            db.execute("DELETE FROM schema_migrations WHERE name = '0014_link_cache'")))
    before = _links(location, archive)
    with open_ledger(location, archive) as ledger:
        assert "0014_link_cache" in ledger.store.migrations()
        linked = ledger.link(force=True)
        assert linked is not None and not linked.incremental and linked.written == 0
        again = ledger.link(force=True)
        assert again is not None and again.incremental and again.scored == 0
    assert _links(location, archive) == before
    claims, _, statements = _kept(location, archive)
    assert claims == statements


@pytest.mark.postgres
def test_incremental_relink_on_postgresql(pg_cluster: Any, tmp_path: Path) -> None:
    """On a PostgreSQL ledger: relink after an `add` reuses what was kept and ends with the
    links of a full run on a second PostgreSQL ledger given the same documents."""
    paths = _write(tmp_path)
    incremental = build_kursk(pg_cluster.new_database(), tmp_path / "a")
    with open_ledger(incremental, tmp_path / "a") as ledger:
        first = ledger.link(full=True)
        ledger.add(paths)
        linked = ledger.link()
        assert first is not None and linked is not None and linked.incremental
        assert linked.reused > 0 and 0 < linked.scored < first.scored / 4
        assert linked.bagged == linked.statements - first.statements
    fresh = build_kursk(pg_cluster.new_database(), tmp_path / "b")
    with open_ledger(fresh, tmp_path / "b") as ledger:
        ledger.add(paths)
        full = ledger.link(full=True)
        assert full is not None and not full.incremental
    assert _links(incremental, tmp_path / "a") == _links(fresh, tmp_path / "b")
    claims, _, statements = _kept(incremental, tmp_path / "a")
    assert claims == statements
