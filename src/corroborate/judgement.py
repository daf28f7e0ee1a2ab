"""The analyst's judgement on a ledger: source reliability, statement credibility and
competing-hypotheses (ACH) matrices, as one object (`ledger.judge`) the CLI and the web call.

Reading is computed (assess/grading.py, assess/ach.py) from one snapshot of the ledger;
writing goes through the store. Every override — a cell of an ACH matrix, a statement's
credibility, a source's reliability — is an analyst correction (`ledger.curate`): audited
(who, when, before, after), undoable with `corroborate undo`, and keyed to the statement's
span key, so it survives relinking, re-extraction and re-ingestion (store/judgements.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from corroborate.assess import ach
from corroborate.assess.grading import Grade, valid_credibility, valid_reliability
from corroborate.assess.model import entries
from corroborate.assess.proposition import assess
from corroborate.curate import Correction, default_author
from corroborate.errors import JudgementError, NotFound
from corroborate.link.propositions import Proposition
from corroborate.link.resolve import SourceEdit
from corroborate.model import Statement
from corroborate.store.anchors import Anchor, SpanKey
from corroborate.store.corrections import CorrectionStore
from corroborate.store.judgements import (
    ACH,
    CREDIBILITY,
    AchSet,
    JudgementStore,
    cell_target,
    credibility_target,
)

if TYPE_CHECKING:
    from corroborate.api import Ledger


class Judge:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.store = ledger.store
        self.judgements = JudgementStore(ledger.store.backend)

    # -- writing, in one place ------------------------------------------------------------
    def _record(self, op: str, kind: str, target: str, before: Any, after: Any,
                author: str | None) -> Correction:
        """An override as an analyst correction; `None` after: back to the suggestion."""
        return self.ledger.curate.record(
            op, kind, target, None if before is None else {"value": before},
            None if after is None else {"value": after}, default_author(author))

    def _span_key(self, statement_id: str) -> str:
        """The statement's span key, with its text remembered so that it can be found again
        when offsets move (what every correction keyed to a statement needs)."""
        statement = self._stored(statement_id)
        key = SpanKey(statement.doc_id, (statement.content.start, statement.content.end),
                      (statement.cue.start, statement.cue.end) if statement.cue else None)
        anchor = Anchor(key, statement.content.text,
                        statement.cue.text if statement.cue else None)
        self.store.write(lambda: CorrectionStore(self.store.backend).remember(anchor))
        return str(key)

    # -- grading --------------------------------------------------------------------------
    def grade_source(self, ref: str, grade: str, author: str | None = None) -> str:
        """Set a source's reliability (A-F): a source edit, recorded as a correction, which
        survives relinking; returns the source key."""
        try:
            letter = valid_reliability(grade)
        except ValueError as exc:
            raise JudgementError(f"source {ref!r}: {exc}") from exc
        self.ledger.link()
        key = self.ledger.links.source_key(ref)
        if key is None:
            raise NotFound(f"source {ref!r}: no such source (see `corroborate sources`)")
        self.ledger.edit_source(SourceEdit("set", key, field="grade", value=letter), author)
        return key

    def set_credibility(self, statement: str, proposition_id: str, value: int | str | None,
                        author: str | None = None) -> Correction:
        """The analyst's credibility (1-6) for a statement on a proposition; `None` goes
        back to the suggestion."""
        sid = self._statement(statement)
        self._proposition(proposition_id)
        try:
            chosen = None if value is None else valid_credibility(value)
        except ValueError as exc:
            raise JudgementError(f"statement {sid} on {proposition_id}: {exc}") from exc
        before = self.judgements.credibility(proposition_id).get(sid)
        return self._record("credibility.set", CREDIBILITY,
                            credibility_target(self._span_key(sid), proposition_id), before,
                            chosen, author)

    def all_grades(self) -> dict[str, dict[str, Grade]]:
        """Every linked statement's grade, by statement id then proposition id (what an
        export of the whole ledger carries); one assessment per proposition, one snapshot."""
        self.ledger.link()
        found: dict[str, dict[str, Grade]] = {}
        with self.store.snapshot():
            for p in self.ledger.links.propositions():
                a = assess(entries(self.store, p.id), self.judgements.credibility(p.id))
                for sid, grade in a.grades.items():
                    found.setdefault(sid, {})[p.id] = grade
        return found

    def grades_of(self, statement: str) -> dict[str, Grade]:
        """A statement's grade on each proposition it is linked to (what `show` prints)."""
        sid = self._statement(statement)
        self.ledger.link()
        found = {}
        with self.store.snapshot():
            for link in self.ledger.links.links_by_statement().get(sid, []):
                pid = link["id"]
                a = assess(entries(self.store, pid), self.judgements.credibility(pid))
                if sid in a.grades:
                    found[pid] = a.grades[sid]
        return found

    # -- competing hypotheses -------------------------------------------------------------
    def create_ach(self, name: str, hypotheses: Sequence[str], author: str | None = None,
                   exclusive: bool = False) -> AchSet:
        """Name a set of competing propositions (analyst propositions: discovered ones are
        renumbered by every link, so a set of them would not mean the same tomorrow);
        `exclusive`: at most one of them can be true (assess/ach.py)."""
        name = name.strip()
        # '|' separates names in the CLI's listing; a name ending like one of the web's
        # sub-paths would make `/api/ach/<name>/csv` mean two sets.
        if not name or "|" in name:
            raise JudgementError(f"ACH set {name!r}: give a name without '|'")
        if name.endswith(("/csv", "/cells", "/cell")):
            raise JudgementError(f"ACH set {name!r}: a name may not end in /csv, /cells or "
                                 "/cell (the workbench's paths for a set)")
        if len(set(hypotheses)) < 2 or len(set(hypotheses)) != len(hypotheses):
            raise JudgementError(f"ACH set {name!r}: needs two or more different propositions "
                                 f"(got {', '.join(hypotheses) or 'none'})")
        for pid in hypotheses:
            if self._proposition(pid).origin != "analyst":
                raise JudgementError(f"ACH set {name!r}: {pid} is a discovered proposition; "
                                     "add it as an analyst proposition with `corroborate "
                                     "propose` first")
        who = default_author(author)
        return self.store.write(lambda: self.judgements.add_set(name, hypotheses, who,
                                                                     exclusive))

    def delete_ach(self, name: str) -> None:
        if not self.store.write(lambda: self.judgements.delete_set(name)):
            raise NotFound(f"ACH set {name!r}: no such set (see `corroborate ach list`)")

    def ach_sets(self) -> list[AchSet]:
        return self.judgements.sets()

    def ach(self, name: str) -> ach.Matrix:
        """The matrix of a set from one snapshot, with the analyst's overrides."""
        chosen = self._set(name)
        self.ledger.link()
        with self.store.snapshot():
            props = {p.id: p for p in self.ledger.links.propositions()}
            missing = [pid for pid in chosen.hypotheses if pid not in props]
            if missing:
                raise NotFound(f"ACH set {name!r}: proposition(s) {', '.join(missing)} no "
                               "longer exist")
            timelines, grades = {}, {}
            for pid in chosen.hypotheses:
                a = assess(entries(self.store, pid), self.judgements.credibility(pid))
                timelines[pid], grades[pid] = a.timeline, a.grades
            overrides = self.judgements.cells(name)
        hypotheses = [ach.Hypothesis(pid, props[pid].statement) for pid in chosen.hypotheses]
        return ach.matrix(name, hypotheses, timelines, grades, overrides, chosen.exclusive)

    def set_cell(self, name: str, item: str, hypothesis: str, value: str | None,
                 author: str | None = None) -> Correction:
        """Override one cell (CC/C/N/I/II); `None` goes back to the suggestion. The item is
        a statement id or a unique prefix of one."""
        chosen = self._set(name)
        if hypothesis not in chosen.hypotheses:
            raise JudgementError(f"ACH set {name!r}: {hypothesis} is not one of its "
                                 f"hypotheses ({', '.join(chosen.hypotheses)})")
        sid = self._statement(item)
        try:
            code = None if value is None else ach.valid_value(value)
        except ValueError as exc:
            raise JudgementError(f"ACH set {name!r}, item {sid}, {hypothesis}: {exc}") from exc
        before = self.judgements.cells(name).get((sid, hypothesis))
        return self._record("ach.set", ACH, cell_target(name, self._span_key(sid), hypothesis),
                            before, code, author)

    # -- lookups --------------------------------------------------------------------------
    def _set(self, name: str) -> AchSet:
        found = self.judgements.get_set(name)
        if found is None:
            raise NotFound(f"ACH set {name!r}: no such set (see `corroborate ach list`)")
        return found

    def _proposition(self, pid: str) -> Proposition:
        found = next((p for p in self.ledger.links.propositions() if p.id == pid), None)
        if found is None:
            raise NotFound(f"proposition {pid!r}: no such proposition "
                           "(see `corroborate propositions`)")
        return found

    def _stored(self, statement_id: str) -> Statement:
        doc_id = self.ledger.links.find_statements(statement_id)[0][1]
        return next(s for s in self.ledger.statements(doc_id=doc_id) if s.id == statement_id)

    def _statement(self, ref: str) -> str:
        found = self.ledger.links.find_statements(ref) if len(ref) >= 6 else []
        if not found:
            raise NotFound(f"statement {ref!r}: no such statement (give its id or the first "
                           "6+ characters of it)")
        if len(found) > 1 and found[0][0] != ref:
            raise JudgementError(f"statement {ref!r}: prefix matches more than one statement")
        return found[0][0]
