"""`corroborate learn` (link/adapt.py): the analyst's link corrections carry to statements
nobody corrected — a near copy of a corrected statement takes its label, a corrected
proposition's link head moves — recorded in history, undoable, kept through re-extraction."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from conftest import CliRun
from corroborate import Ledger
from corroborate.curate import CorrectionError
from corroborate.link import adapt
from corroborate.link import embed as minilm
from corroborate.link.propositions import Assignment

needs_minilm = pytest.mark.skipif(not minilm.available(),
                                  reason="MiniLM weights not installed")

DAM = ("The Varna dam collapsed because its concrete wall failed.",
       "Saboteurs blew up the Varna dam.")
# The same police line reprinted by three outlets (the wire copy an analyst meets five times),
# and statements unlike it.
COPY = "Police said the dam was not blown up by saboteurs."
DOCS = {
    "wire.txt": f"Varna dam\n\n{COPY} Engineers said the Varna dam collapsed after its concrete "
                "wall gave way.\n",
    "daily.txt": f"Varna flood\n\n{COPY} The football club said it has signed a new striker.\n",
    "herald.txt": f"Dam collapse in Varna\n\n{COPY} A local mayor suggested that saboteurs may "
                  "have blown up the Varna dam.\n",
}


def _unit(rows: list[list[float]]) -> np.ndarray:
    a = np.asarray(rows, dtype=np.float64)
    return a / np.linalg.norm(a, axis=1, keepdims=True)


def test_neighbours_take_the_nearest_corrected_label_above_the_cutoff() -> None:
    content = _unit([[1, 0, 0], [0.99, 0.1, 0], [0, 1, 0], [0.1, 0.99, 0], [0, 0, 1]])
    examples = [adapt.Example(0, 0, "none"), adapt.Example(2, 0, "deny")]
    got = adapt.neighbours(content, examples, cutoff=0.9)
    assert got[(1, 0)][0] == "none" and got[(3, 0)][0] == "deny"
    assert (4, 0) not in got  # nothing corrected is close to it
    assert (0, 0) not in got and (2, 0) not in got  # corrected pairs are the overlay's
    assert not {pair for pair in got if pair[1] != 0}  # only the corrected proposition
    assert not adapt.neighbours(content, examples, cutoff=0.9999)


def test_offsets_follow_the_corrections_and_stay_small_when_there_are_few() -> None:
    z = np.zeros(8)
    down = adapt.offsets(z, [False] * 8, [0] * 8, l2=4.0)
    up = adapt.offsets(z, [True] * 8, [1] * 8, l2=4.0)
    assert down[0] < 0 < up[1]
    one = adapt.offsets(z[:1], [False], [0], l2=4.0)
    assert down[0] < one[0] < 0  # one rejection moves the proposition less than eight
    mixed = adapt.offsets(z[:2], [True, False], [0, 0], l2=4.0)
    assert abs(mixed[0]) < 1e-9


def _flipped(z: np.ndarray, b: float, threshold: float) -> int:
    """How many pairs of logit z change side of the threshold when shifted by b."""
    t = float(adapt.logit(np.array([threshold]))[0])
    return int(((z >= t) != (z + b >= t)).sum())


def test_bounds_hold_an_offset_and_keep_its_sign() -> None:
    z = np.zeros(4)
    shift = {0: 3.0, 1: -3.0}
    props, fixed = [0, 0, 1, 1], [True, True, True, True]
    capped = adapt.bound_offsets(shift, z, props, fixed, 0.5, cap=0.5, up=None, flips=None)
    assert capped == {0: 0.5, 1: -0.5}
    raising = adapt.bound_offsets(shift, z, props, fixed, 0.5, cap=None, up=0.0, flips=None)
    assert raising == {0: 0.0, 1: -3.0}  # rejections raise a threshold, additions never lower it
    free = adapt.bound_offsets(shift, z, props, fixed, 0.5, cap=None, up=None, flips=None)
    assert free == shift


def test_flips_bound_shrinks_an_offset_to_flip_at_most_that_many_pairs_per_correction() -> None:
    # The collapse a held-out story showed: the analyst adds two missed links (scored low),
    # the fitted offset lowers the threshold past forty uncorrected pairs of the proposition.
    rng = np.random.default_rng(0)
    z = np.concatenate([[-3.0, -3.2], rng.uniform(-3.0, -0.1, 40), rng.uniform(0.1, 2.0, 10)])
    props = [0] * len(z)
    fixed = [True, True] + [False] * 50
    b = adapt.offsets(z[:2], [True, True], [0, 0], l2=0.1)[0]
    assert _flipped(z[2:], b, 0.5) >= 30  # unbounded: most of the proposition flips
    held = adapt.bound_offsets({0: b}, z, props, fixed, 0.5, cap=None, up=None, flips=1.0)[0]
    assert 0 < held < b and _flipped(z[2:], held, 0.5) <= 2
    capped = adapt.bound_offsets({0: b}, z, props, fixed, 0.5)[0]  # the shipped bound
    assert capped <= adapt.OFFSET_CAP and _flipped(z[2:], capped, 0.5) < _flipped(z[2:], b, 0.5)
    # a rejection's offset is held the same way, from the linked side
    down = adapt.bound_offsets({0: -5.0}, z, props, fixed, 0.5, cap=None, up=None, flips=1.0)[0]
    assert -5.0 < down < 0 and _flipped(z[2:], down, 0.5) <= 2


def test_relabel_takes_a_neighbours_stance_only_from_a_near_copy() -> None:
    links = [Assignment("a", "P1", 0.7, "affirm"), Assignment("b", "P1", 0.6, "affirm"),
             Assignment("d", "P1", 0.6, "affirm")]
    decided = {("a", "P1"): ("none", 0.8), ("b", "P1"): ("deny", 0.95),
               ("d", "P1"): ("deny", 0.8), ("c", "P2"): ("uncertain", 0.8),
               ("e", "P2"): ("deny", 0.97)}
    got = {(x.statement_id, x.proposition_id): x.stance for x in adapt.relabel(
        links, decided, stance_cutoff=0.9, stance_of=lambda pairs: {p: "affirm" for p in pairs})}
    assert got == {("b", "P1"): "deny",  # a near copy: its stance
                   ("d", "P1"): "affirm",  # a looser neighbour: linked, the linker's stance
                   ("c", "P2"): "affirm",  # a new link below the cut-off: the head's stance
                   ("e", "P2"): "deny"}  # a new link from a near copy: the copy's stance


def _story(ledger: Ledger, folder: Path) -> tuple[list[str], str]:
    """The three documents added and linked by the learned linker; the copies' statement ids
    and the id of the sabotage proposition."""
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    assert ledger.add([str(folder / n) for n in DOCS]).ok
    ledger.propose_text(DAM[0])
    p2 = ledger.propose_text(DAM[1])
    ledger.link(force=True, method="learned")
    return _copies(ledger), p2


def _copies(ledger: Ledger) -> list[str]:
    """The copies' statement ids in document order (wire, daily, herald: by their text)."""
    found = {r.statement.doc_id: r.statement.id for r in ledger.resolved_statements()
             if "not blown up" in r.statement.content.text}
    order = {str(d): str(t) for d, t in ledger.store.backend.query(
        "SELECT id, text FROM documents")}
    return [found[d] for d in sorted(found, key=lambda d: (
        "football" in order[d], "mayor" in order[d]))]


def _links(ledger: Ledger, pid: str) -> dict[str, str]:
    return {str(s): str(st) for s, st in ledger.store.backend.query(
        "SELECT statement_id, stance FROM assignments WHERE proposition_id = ?", (pid,))}


@needs_minilm
def test_learn_carries_a_correction_to_the_copies_and_undo_takes_it_back(
        ledger: Ledger, tmp_path: Path) -> None:
    copies, p2 = _story(ledger, tmp_path)
    assert len(copies) == 3
    assert all(_links(ledger, p2).get(c) == "deny" for c in copies)  # the linker's reading
    # The analyst reads the first copy as affirm, not deny (a flip).
    ledger.curate.set_link(copies[0], p2, "affirm", "ann")
    ledger.link(force=True, method="learned")
    assert [_links(ledger, p2).get(c) for c in copies] == ["affirm", "deny", "deny"]
    with pytest.raises(CorrectionError, match="author"):
        ledger.curate.learn("")
    c = ledger.curate.learn("bob")
    assert c.op == "learn.fit" and c.target_kind == "learned" and c.author == "bob"
    assert c.after is not None and c.after["corrections"] and c.after["cutoff"] == adapt.CUTOFF
    assert ledger.links.is_stale()
    ledger.link(force=True, method="learned")
    assert [_links(ledger, p2).get(c) for c in copies] == ["affirm"] * 3
    assert [h.op for h in ledger.curate.history()][:2] == ["learn.fit", "link.set"]
    # Re-extraction gives the statements new rows; the span keys find them again.
    ledger.reextract()
    ledger.link(force=True, method="learned")
    assert [_links(ledger, p2).get(c) for c in _copies(ledger)] == ["affirm"] * 3
    undo = ledger.curate.undo(c.id, "ann")
    assert undo.undoes == c.id and ledger.links.is_stale()
    ledger.link(force=True, method="learned")
    assert [_links(ledger, p2).get(c) for c in _copies(ledger)] == ["affirm", "deny", "deny"]


@needs_minilm
def test_learn_leaves_the_rules_alone_and_refuses_without_corrections(
        ledger: Ledger, tmp_path: Path) -> None:
    copies, p2 = _story(ledger, tmp_path)
    with pytest.raises(CorrectionError, match="no link corrections"):
        ledger.curate.learn("ann")
    ledger.curate.set_link(copies[0], p2, "affirm", "ann")
    ledger.curate.learn("ann")
    ledger.link(force=True, method="rules")
    rules = _links(ledger, p2)
    assert rules.get(copies[0]) == "affirm"  # the overlay holds for every linker
    assert all(rules.get(c) != "affirm" for c in copies[1:])  # adaptation is the learned one's


@needs_minilm
def test_the_cli_learns_reports_the_change_and_history_shows_it(tmp_path: Path) -> None:
    from corroborate import open_ledger

    db = tmp_path / "cli.db"
    run = CliRun(db)
    with open_ledger(str(db)) as ledger:
        copies, p2 = _story(ledger, tmp_path)
    refused = run("learn", "--author", "ann")
    assert refused.exit_code != 0 and "no link corrections" in refused.output
    assert run("correct", "link", copies[0], p2, "--stance", "affirm",
               "--author", "ann").exit_code == 0
    result = run("learn", "--author", "bob", "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["op"] == "learn.fit" and record["author"] == "bob"
    # The two other copies now affirm; so does the mayor's "saboteurs may have blown up the
    # dam" (uncertain), which MiniLM puts within the cut-off of the police line: the shipped
    # stance cut-off takes a close neighbour's stance (link/adapt.py says why, and its cost).
    assert record["links_changed"] == {"added": 0, "removed": 0, "stance_changed": 3}
    with open_ledger(str(db)) as ledger:
        assert [_links(ledger, p2).get(c) for c in copies] == ["affirm"] * 3
    shown = run("history").stdout
    assert "learn.fit by bob" in shown and "link.set by ann" in shown
    assert str(copies[0]) not in shown.split("learn.fit")[1].splitlines()[0]  # ids not listed
