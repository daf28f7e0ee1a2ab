"""The analyst's corrections: check the request, record it, re-derive what it changes.

Every operation checks its input before it writes (an unknown id, a bad stance, a span
outside the text is one `CorrectionError` naming the field, and nothing changes), then, in one
write transaction, records the correction and re-applies the overlay it affects
(store/corrections.py). Statements are named by row id (or a unique prefix) or by span key;
corrections are stored against the span key, so they outlive the row.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from corroborate.curate.records import Correction, checked_author
from corroborate.errors import CorrectionError, NotFound
from corroborate.link.records import SourceEdit
from corroborate.link.run import sentence_around
from corroborate.model import STANCES, SourceMention, Span, Statement
from corroborate.store.anchors import Anchor, SpanKey, find
from corroborate.store.corrections import LOCK, CorrectionStore, Row
from corroborate.store.ledger import Store
from corroborate.store.links import LinkStore

T = TypeVar("T")
SOURCE_FIELDS = ("name", "type", "role", "affiliation", "country", "alignment", "grade")
GRADES = "ABCDEF"  # Admiralty reliability
RETIRED = ("retired", "merged")
MANAGED = ("link", "statement", "source", "proposition")  # kinds whose overlay is ours
_GENERIC_KIND = re.compile(r"^[a-z][a-z_]{0,39}$")


class Curator:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.log = CorrectionStore(store.backend)
        self.links = LinkStore(store.backend)

    # -- generic ----------------------------------------------------------------------------
    def record(self, op: str, target_kind: str, target: str, before: dict[str, Any] | None,
               after: dict[str, Any] | None, author: str) -> Correction:
        """Record a correction that another module applies itself (ACH cells, credibility):
        it is audited and undoable like the rest, and that module reads `in_force`."""
        author = checked_author(author)
        if not isinstance(op, str) or not op.strip() or len(op) > 60:
            raise CorrectionError(f"op {op!r}: a short name such as 'ach.set' is needed")
        if not isinstance(target_kind, str) or not _GENERIC_KIND.match(target_kind):
            raise CorrectionError(f"target_kind {target_kind!r}: lower-case letters, e.g. 'ach'")
        if target_kind in MANAGED:
            raise CorrectionError(f"target_kind {target_kind!r}: corrected through its own "
                                  "method (set_link, set_statement, edit_source, ...), which "
                                  "also applies it")
        if not isinstance(target, str) or not target.strip():
            raise CorrectionError("target: empty; name the object corrected")
        for name, value in (("before", before), ("after", after)):
            if value is not None and not isinstance(value, dict):
                raise CorrectionError(f"{name}: expected an object (dict) or None, "
                                      f"got {type(value).__name__}")
            try:
                json.dumps(value)
            except (TypeError, ValueError) as exc:
                raise CorrectionError(f"{name}: not JSON-serialisable ({exc})") from exc
        return self._write(lambda: Correction.of(
            self.log.insert(op, target_kind, target, before, after, author)))

    def in_force(self, target_kind: str, target: str | None = None) -> list[Correction]:
        """The corrections of a kind that the ledger reflects now, oldest first."""
        return [Correction.of(r) for r in self.log.active(target_kind)
                if target is None or r.target == target]

    def get(self, correction_id: int) -> Correction:
        row = self.log.get(int(correction_id))
        if row is None:
            raise CorrectionError(f"correction #{correction_id}: no such correction "
                                  "(see `corroborate history`)")
        return Correction.of(row)

    def history(self, target_kind: str | None = None, target: str | None = None, *,
                limit: int = 50, offset: int = 0) -> list[Correction]:
        """Newest first; a statement's history includes its link corrections. `target` may
        be a statement id: it is turned into the span key corrections are stored under."""
        if target is not None and target_kind in (None, "statement") \
                and SpanKey.parse(target) is None:
            found = self.links.find_statements(target)
            if len(found) == 1:
                target_kind, target = "statement", self._statement(target)[1]
        if target is not None and target_kind is None and self.store.backend.query(
                "SELECT 1 FROM propositions WHERE id = ?", (target,)):
            target_kind = "proposition"  # with the link corrections to it
        if limit < 1 or offset < 0:
            raise CorrectionError(f"limit {limit}, offset {offset}: limit must be at least 1 "
                                  "and offset at least 0")
        return [Correction.of(r) for r in self.log.history(target_kind, target, limit, offset)]

    def undo(self, correction_id: int, author: str) -> Correction:
        """Undo one correction; the undo is itself recorded, and undoing an undo redoes."""
        author = checked_author(author)

        def work() -> Correction:
            self.store.backend.lock(LOCK)
            c = self.log.get(int(correction_id))
            if c is None:
                raise CorrectionError(f"correction #{correction_id}: no such correction")
            if c.undone_by is not None:
                raise CorrectionError(f"correction #{c.id}: already undone by "
                                      f"#{c.undone_by}")
            u = self.log.insert("undo", c.target_kind, c.target, c.after, c.before, author,
                                undoes=c.id)
            if not self.log.mark_undone(c.id, u.id):
                raise CorrectionError(f"correction #{c.id}: undone by someone else meanwhile")
            if c.op == "undo" and c.undoes is not None:
                self.log.reactivate(c.undoes)
                original = self.log.get(c.undoes)
                assert original is not None
                self._effect(original, forward=True)
            else:
                self._effect(c, forward=False)
            return Correction.of(u)
        return self._write(work)

    # -- links ------------------------------------------------------------------------------
    def set_link(self, statement_id: str, proposition_id: str, stance: str | None,
                 author: str) -> Correction:
        """Accept (the same stance), flip (another), add (no link yet) or, with None,
        reject a statement's link to a proposition; it overrides the linker from now on."""
        author = checked_author(author)
        if stance is not None and stance not in STANCES:
            raise CorrectionError(f"stance {stance!r}: one of {', '.join(STANCES)} "
                                  "(or None to reject the link)")
        sid, key, anchor = self._statement(statement_id)
        pid = self._proposition(proposition_id)

        def work() -> Correction:
            db = self.store.backend
            db.lock(LOCK)
            now = db.query("SELECT stance, score, correction FROM assignments WHERE "
                           "statement_id = ? AND proposition_id = ?", (sid, pid))
            before = {"stance": now[0][0], "score": float(now[0][1]),
                      "by": "linker" if now[0][2] is None else "analyst"} if now else None
            self.log.remember(anchor)
            c = self.log.insert("link.set", "link", f"{key}|{pid}", before,
                                {"stance": stance} if stance else None, author)
            self.log.apply_link(c.target)
            return Correction.of(c)
        return self._write(work)

    def learn(self, author: str) -> Correction:
        """Record what `corroborate learn` adapts the linker from: the link corrections in
        force now, with link/adapt.py's settings. `link` applies it from then on (the ledger
        turns stale); undoing the record, or a newer one, replaces it."""
        from corroborate.link import adapt

        author = checked_author(author)

        def work() -> Correction:
            self.store.backend.lock(LOCK)
            rows = self.log.active("link")
            if not rows:
                raise CorrectionError("learn: no link corrections in force; accept, flip or "
                                      "reject some links first (`correct link`)")
            labels = [str((r.after or {}).get("stance") or "none") for r in rows]
            after = {"method": "neighbours+offsets", "corrections": [r.id for r in rows],
                     "cutoff": adapt.CUTOFF, "stance_cutoff": adapt.STANCE_CUTOFF,
                     "offset_l2": adapt.OFFSET_L2,
                     "linked": sum(label != "none" for label in labels),
                     "rejected": labels.count("none"),
                     "propositions": len({r.target.rpartition("|")[2] for r in rows})}
            before = adapt.learned_state(self.store)
            c = self.log.insert("learn.fit", adapt.TARGET_KIND, adapt.TARGET, before, after,
                                author)
            self.links.mark_stale()
            return Correction.of(c)
        return self._write(work)

    # -- statements -------------------------------------------------------------------------
    def set_statement(self, statement_id: str, author: str, *, stance: str | None = None,
                      source_id: str | None = None, said_on: str | None = None) -> Correction:
        """Change a statement's stance, resolved source or date (YYYY-MM-DD, or YYYY-MM for
        "some day that month"); links follow at the next `link` (the ledger is stale)."""
        author = checked_author(author)
        if stance is None and source_id is None and said_on is None:
            raise CorrectionError("set_statement: give stance, source_id or said_on")
        if stance is not None and stance not in STANCES:
            raise CorrectionError(f"stance {stance!r}: one of {', '.join(STANCES)}")
        sid, key, anchor = self._statement(statement_id)
        after: dict[str, Any] = {}
        if stance is not None:
            after["stance"] = stance
        if said_on is not None:
            after["said_on"], after["said_on_granularity"] = _said_on(said_on)
        if source_id is not None:
            source = self._source(source_id)
            after["source"], after["source_name"] = source["key"], source["name"]

        def work() -> Correction:
            db = self.store.backend
            db.lock(LOCK)
            stance_, said_on_, granularity = db.query(
                "SELECT stance, said_on, said_on_granularity FROM statements WHERE id = ?",
                (sid,))[0]
            current = db.query("SELECT src.key, src.name FROM statement_sources ss JOIN "
                               "sources src ON src.id = ss.source_id WHERE ss.statement_id = ?",
                               (sid,))
            before: dict[str, Any] = {}
            if "stance" in after:
                before["stance"] = stance_
            if "said_on" in after:
                before["said_on"], before["said_on_granularity"] = said_on_, granularity
            if "source" in after:
                before["source"] = current[0][0] if current else None
                before["source_name"] = current[0][1] if current else None
            self.log.remember(anchor)
            c = self.log.insert("statement.set", "statement", key, before, after, author)
            self._statements_changed(anchor.key.doc_id)
            return Correction.of(c)
        return self._write(work)

    def delete_statement(self, statement_id: str, author: str) -> Correction:
        """Remove a junk statement from links, timelines, reports and exports (it stays in
        the history, with its text, and an undo brings it back)."""
        author = checked_author(author)
        sid, key, anchor = self._statement(statement_id)

        def work() -> Correction:
            db = self.store.backend
            db.lock(LOCK)
            position, data, producer = db.query(
                "SELECT position, data, producer FROM statements WHERE id = ?", (sid,))[0]
            self.log.remember(anchor)
            c = self.log.insert("statement.delete", "statement", key,
                                {"statement": json.loads(data), "position": int(position),
                                 "producer": producer}, None, author)
            self._statements_changed(anchor.key.doc_id)
            return Correction.of(c)
        return self._write(work)

    def add_statement(self, doc_id: str, content: tuple[int, int], author: str, *,
                      cue: tuple[int, int] | None = None,
                      source: tuple[int, int] | None = None,
                      stance: str = "affirm") -> Correction:
        """A statement the extractor missed, as spans of the archived text; it is a real
        statement (producer "analyst") that link, timeline and report see."""
        author = checked_author(author)
        if stance not in STANCES:
            raise CorrectionError(f"stance {stance!r}: one of {', '.join(STANCES)}")
        try:
            doc = self.store.get(doc_id)
        except NotFound as exc:
            raise CorrectionError(f"doc_id {doc_id!r}: no such document") from exc
        text = doc.text
        spans = {"content": _span(content, text, "content", doc.id)}
        if cue is not None:
            spans["cue"] = _span(cue, text, "cue", doc.id)
        if source is not None:
            spans["source"] = _span(source, text, "source", doc.id)
        c_start, c_end = spans["content"]
        mention = None
        if "source" in spans:
            s_start, s_end = spans["source"]
            mention = SourceMention(s_start, s_end, text[s_start:s_end],
                                    name=text[s_start:s_end].strip())
        cue_span = Span(doc.id, *spans["cue"], text[slice(*spans["cue"])]) \
            if "cue" in spans else None
        st = Statement(doc_id=doc.id, kind="indirect" if mention else "author",
                       content=Span(doc.id, c_start, c_end, text[c_start:c_end]),
                       stance=stance, source=mention, cue=cue_span, producer="analyst")
        key = SpanKey(doc.id, (c_start, c_end), spans.get("cue"))
        anchor = Anchor(key, st.content.text, cue_span.text if cue_span else None)

        def work() -> Correction:
            db = self.store.backend
            db.lock(LOCK)
            self.log.remember(anchor)
            c = self.log.insert("statement.add", "statement", str(key), None,
                                {"statement": st.to_dict()}, author)
            self._statements_changed(doc.id)
            return Correction.of(c)
        return self._write(work)

    # -- sources ----------------------------------------------------------------------------
    def merge_sources(self, keep_id: str, other_ids: list[str], author: str) -> Correction:
        author = checked_author(author)
        keep = self._source(keep_id)
        if isinstance(other_ids, str) or not other_ids:
            raise CorrectionError("other_ids: a non-empty list of source ids to merge")
        others = [self._source(o) for o in other_ids]
        if any(o["key"] == keep["key"] for o in others):
            raise CorrectionError(f"other_ids: {keep['id']} is the source kept; a source "
                                  "cannot be merged into itself")
        edits = [{"action": "merge", "key": o["key"], "target": keep["key"]} for o in others]
        return self._source_correction("source.merge", keep["key"],
                                       {"sources": [_brief(s) for s in (keep, *others)]},
                                       {"into": _brief(keep), "edits": edits}, author)

    def split_source(self, source_id: str, statement_ids: list[str], author: str, *,
                     name: str | None = None, mention: str | None = None) -> Correction:
        """Move these statements out of a source into a new one (named `name`, else the
        first statement's mention). With `mention` (and no statements): every mention with
        that exact text, now and after re-ingestion (the `source split --mention` rule)."""
        author = checked_author(author)
        src = self._source(source_id)
        if mention is not None:
            if statement_ids or not mention.strip():
                raise CorrectionError("mention: a non-empty text, given without statement_ids")
            edit = {"action": "split", "key": src["key"], "target": mention.strip()}
            return self._source_correction("source.split", src["key"], {"source": _brief(src)},
                                           {"name": mention.strip(), "edits": [edit]}, author)
        if isinstance(statement_ids, str) or not statement_ids:
            raise CorrectionError("statement_ids: a non-empty list of statement ids")
        moves = []
        db = self.store.backend
        for ref in statement_ids:
            sid, key, anchor = self._statement(ref)
            on = db.query("SELECT source_id FROM statement_sources WHERE statement_id = ?",
                          (sid,))
            if not on or on[0][0] != src["id"]:
                raise CorrectionError(f"statement {ref!r}: not a statement of source "
                                      f"{src['id']} ({src['name']})")
            moves.append((key, anchor))
        if name is not None and not name.strip():
            raise CorrectionError("name: empty; leave it out to use the mention's text")
        label = name.strip() if name else (db.query(
            "SELECT COALESCE(source_text, source_name) FROM statements WHERE id = ?",
            (self._statement(statement_ids[0])[0],))[0][0] or src["name"])
        edits = [{"action": "move", "key": src["key"], "target": key, "value": label}
                 for key, _ in moves]
        return self._source_correction("source.split", src["key"], {"source": _brief(src)},
                                       {"name": label, "edits": edits}, author,
                                       anchors=[a for _, a in moves])

    def edit_source(self, source_id: str, field: str, value: str, author: str) -> Correction:
        author = checked_author(author)
        if field not in SOURCE_FIELDS:
            raise CorrectionError(f"field {field!r}: one of {', '.join(SOURCE_FIELDS)}")
        if not isinstance(value, str):
            raise CorrectionError(f"value: a string, got {type(value).__name__}")
        if field == "grade" and value not in GRADES:
            raise CorrectionError(f"grade {value!r}: the Admiralty reliability letter A-F")
        if field == "name" and not value.strip():
            raise CorrectionError("name: empty")
        src = self._source(source_id)
        return self._source_correction(
            "source.edit", src["key"], {"field": field, "value": src.get(field)},
            {"field": field, "value": value,
             "edits": [{"action": "set", "key": src["key"], "field": field, "value": value}]},
            author)

    def source_edit(self, edit: SourceEdit, author: str) -> Correction:
        """Today's `SourceEdit` (merge, split by mention, set) as a recorded correction."""
        if edit.action == "merge" and edit.target:
            return self.merge_sources(edit.target, [edit.key], author)
        if edit.action == "split" and edit.target:
            return self.split_source(edit.key, [], author, mention=edit.target)
        if edit.action == "set" and edit.field:
            return self.edit_source(edit.key, edit.field, edit.value or "", author)
        raise CorrectionError(f"source edit {edit.action!r}: merge (with target), split "
                              "(with target mention) or set (with field)")

    def _source_correction(self, op: str, target: str, before: dict[str, Any],
                           after: dict[str, Any], author: str,
                           anchors: list[Anchor] | None = None) -> Correction:
        def work() -> Correction:
            self.store.backend.lock(LOCK)
            for anchor in anchors or ():
                self.log.remember(anchor)
            c = self.log.insert(op, "source", target, before, after, author)
            self.log.sync_source_edits()
            self.links.mark_stale()
            return Correction.of(c)
        return self._write(work)

    # -- propositions -----------------------------------------------------------------------
    def add_proposition(self, text: str, author: str) -> str:
        author = checked_author(author)
        text = _proposition_text(text)

        def work() -> str:
            db = self.store.backend
            db.lock(LOCK)
            existing = {r[0] for r in db.query("SELECT id FROM propositions")}
            n = 1
            while f"P{n}" in existing:
                n += 1
            pid = f"P{n}"
            self._put_proposition(pid, text, "analyst")
            self.log.insert("proposition.add", "proposition", pid, None,
                            {"text": text, "origin": "analyst"}, author)
            self.links.mark_stale()  # the linker has a new proposition to match
            return pid
        return self._write(work)

    def edit_proposition(self, pid: str, text: str, author: str) -> Correction:
        author = checked_author(author)
        text = _proposition_text(text)
        pid = self._proposition(pid)
        return self._proposition_correction("proposition.edit", pid, lambda old: (
            {"text": old[0]}, {"text": text}), author)

    def merge_propositions(self, keep: str, other: str, author: str) -> Correction:
        """`other` says the same as `keep`: it is no longer linked or listed, and its link
        corrections count for `keep`."""
        author = checked_author(author)
        keep, other = self._proposition(keep), self._proposition(other)
        if keep == other:
            raise CorrectionError(f"proposition {keep}: cannot be merged into itself")
        return self._proposition_correction("proposition.merge", other, lambda old: (
            {"origin": old[1]}, {"origin": "merged", "into": keep}), author)

    def retire_proposition(self, pid: str, author: str) -> Correction:
        author = checked_author(author)
        pid = self._proposition(pid)
        return self._proposition_correction("proposition.retire", pid, lambda old: (
            {"origin": old[1]}, {"origin": "retired"}), author)

    def imply(self, stronger: str, weaker: str, author: str) -> Correction:
        """`stronger` ⇒ `weaker`: a statement affirming the stronger also affirms the weaker
        (and one denying the weaker denies the stronger), in links and evidence counts."""
        author = checked_author(author)
        stronger, weaker = self._proposition(stronger), self._proposition(weaker)
        if stronger == weaker:
            raise CorrectionError(f"proposition {stronger}: cannot imply itself")
        edges = {(c.target, str((c.after or {}).get("weaker")))
                 for c in self.log.active("proposition") if c.op == "proposition.imply"}
        if _reaches(edges, weaker, stronger):
            raise CorrectionError(f"{stronger} ⇒ {weaker}: {weaker} already implies "
                                  f"{stronger}; two propositions that imply each other are "
                                  "one (merge them)")
        return self._proposition_correction("proposition.imply", stronger, lambda old: (
            None, {"weaker": weaker}), author)

    def _proposition_correction(
            self, op: str, pid: str,
            change: Callable[[tuple[str, str]], tuple[dict[str, Any] | None, dict[str, Any]]],
            author: str) -> Correction:
        def work() -> Correction:
            db = self.store.backend
            db.lock(LOCK)
            old = db.query("SELECT statement, origin FROM propositions WHERE id = ?", (pid,))[0]
            before, after = change((old[0], old[1]))
            c = self.log.insert(op, "proposition", pid, before, after, author)
            self._proposition_effect(c, after)
            return Correction.of(c)
        return self._write(work)

    def _put_proposition(self, pid: str, text: str, origin: str) -> None:
        self.store.backend.execute(
            "INSERT INTO propositions (id, statement, origin, created) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET statement = excluded.statement, "
            "origin = excluded.origin", (pid, text, origin, _today()))

    def _proposition_effect(self, c: Row, values: dict[str, Any] | None) -> None:
        """Make the propositions table say `values` (a correction's after, or its before
        when it is undone), then re-apply the links overlay."""
        db = self.store.backend
        pid = c.target
        if c.op == "proposition.add" and values is None:
            for table in ("assignments", "assignments_machine"):
                db.execute(f"DELETE FROM {table} WHERE proposition_id = ?", (pid,))
            db.execute("DELETE FROM propositions WHERE id = ?", (pid,))
        elif c.op == "proposition.add" and values is not None:
            self._put_proposition(pid, str(values["text"]), "analyst")
        elif values is not None and "text" in values:
            db.execute("UPDATE propositions SET statement = ? WHERE id = ?",
                       (values["text"], pid))
        elif values is not None and "origin" in values:
            db.execute("UPDATE propositions SET origin = ? WHERE id = ?",
                       (values["origin"], pid))
            if values["origin"] in RETIRED:
                db.execute("DELETE FROM assignments WHERE proposition_id = ?", (pid,))
        self.log.apply_links()
        self.links.mark_stale()

    # -- undo effects -----------------------------------------------------------------------
    def _effect(self, c: Row, forward: bool) -> None:
        """Re-derive what `c` changed, now that it is in force again (forward) or not."""
        if c.target_kind == "link":
            self.log.apply_link(c.target)
        elif c.target_kind == "statement":
            anchor = self.log.anchor(c.target)
            if anchor is not None:
                self._statements_changed(anchor.key.doc_id)
        elif c.target_kind == "source":
            self.log.sync_source_edits()
            self.links.mark_stale()
        elif c.target_kind == "proposition":
            if c.op == "proposition.add":
                self._proposition_effect(c, c.after if forward else None)
            else:
                self._proposition_effect(c, c.after if forward else c.before)
        elif c.target_kind == "learned":
            self.links.mark_stale()  # `link` applies the learn record in force (link/adapt.py)
        # other kinds (ACH, credibility) are derived by their module from `in_force`

    def _statements_changed(self, doc_id: str) -> None:
        """A document's statements re-derived; links to a deleted statement went with it,
        a changed source is applied now, and the rest follows at the next `link` (what
        linking reads changed, so the ledger is stale)."""
        self.log.apply_statements(doc_id)
        self.log.apply_sources(doc_id)
        self.links.mark_stale()

    # -- export -----------------------------------------------------------------------------
    def export(self) -> Iterator[dict[str, Any]]:
        """Every correction as one training record: the correction, whether it is in force,
        and the text it is about (statement spans and sentence, proposition text), so a
        learner needs nothing else from the ledger."""
        db = self.store.backend
        props = {r[0]: r[1] for r in db.query("SELECT id, statement FROM propositions")}
        texts: dict[str, str] = {}
        with self.store.snapshot():
            rows = list(self.log.every())
            anchors = {r.target.split("|")[0]: self.log.anchor(r.target.split("|")[0])
                       for r in rows if r.target_kind in ("link", "statement")}
            for anchor in anchors.values():
                if anchor is not None and anchor.key.doc_id not in texts:
                    found = db.query("SELECT text FROM documents WHERE id = ?",
                                     (anchor.key.doc_id,))
                    texts[anchor.key.doc_id] = found[0][0] if found else ""
        for r in rows:
            record: dict[str, Any] = {**Correction.of(r).to_dict(),
                                      "in_force": r.op != "undo" and r.undone_by is None}
            if r.target_kind in ("link", "statement"):
                key, _, pid = r.target.partition("|")
                anchor = anchors.get(key)
                if anchor is not None:
                    record["statement"] = _statement_record(anchor, texts[anchor.key.doc_id])
                if pid:
                    record["proposition"] = {"id": pid, "text": props.get(pid)}
            elif r.target_kind == "proposition":
                record["proposition"] = {"id": r.target, "text": props.get(r.target)}
            record["label_before"], record["label_after"] = _labels(r)
            yield record

    # -- lookups ----------------------------------------------------------------------------
    def key_of(self, statement_id: str) -> str:
        """The span key corrections to this statement are stored under."""
        return self._statement(statement_id)[1]

    def corrected(self) -> dict[str, list[int]]:
        """Statement id → corrections in force on its links (empty list: on the statement
        itself, or an analyst's own statement): what a report marks as corrected."""
        return self.log.corrected_statements()

    def _statement(self, ref: str) -> tuple[str, str, Anchor]:
        db = self.store.backend
        if not isinstance(ref, str) or not ref.strip():
            raise CorrectionError("statement_id: empty")
        ref = ref.strip()
        key = SpanKey.parse(ref)
        if key is not None:
            anchor = self.log.anchor(ref)
            sid = self.log.resolve(ref) if anchor else None
            if sid is None and anchor is None:
                sid = find(Anchor(key, ""), "", self.log.candidates(key.doc_id))
            if sid is None:
                raise CorrectionError(f"statement {ref!r}: no statement has this span now")
            found = [(sid, key.doc_id)]
        else:  # an exact id is one index lookup; a prefix scans
            exact = db.query("SELECT id, doc_id FROM statements WHERE id = ?", (ref,))
            found = [(r[0], r[1]) for r in exact] or self.links.find_statements(ref)
        if not found:
            raise CorrectionError(f"statement_id {ref!r}: no such statement "
                                  "(see `corroborate statements`)")
        if len(found) > 1:
            raise CorrectionError(f"statement_id {ref!r}: ambiguous prefix "
                                  f"({found[0][0]}, {found[1][0]}, ...)")
        sid = found[0][0]
        doc_id, cs, ce, content_text, data = db.query(
            "SELECT doc_id, content_start, content_end, content_text, data FROM statements "
            "WHERE id = ?", (sid,))[0]
        cue = json.loads(data).get("cue")
        span_key = SpanKey(doc_id, (int(cs), int(ce)),
                           (cue["start"], cue["end"]) if cue else None)
        return sid, str(span_key), Anchor(span_key, content_text, cue["text"] if cue else None)

    def _proposition(self, pid: str) -> str:
        if not isinstance(pid, str) or not pid.strip():
            raise CorrectionError("proposition_id: empty")
        rows = self.store.backend.query("SELECT id, origin FROM propositions WHERE id = ?",
                                        (pid.strip(),))
        if not rows:
            raise CorrectionError(f"proposition_id {pid!r}: no such proposition "
                                  "(see `corroborate propositions`)")
        if rows[0][1] in RETIRED:
            raise CorrectionError(f"proposition_id {pid!r}: {rows[0][1]} (undo that first)")
        return str(rows[0][0])

    def _source(self, ref: str) -> dict[str, Any]:
        if not isinstance(ref, str) or not ref.strip():
            raise CorrectionError("source_id: empty")
        key = self.links.source_key(ref.strip())
        found = next((s for s in self.links.sources() if s["key"] == key), None) \
            if key else None
        if found is None:
            raise CorrectionError(f"source_id {ref!r}: no such source (see `corroborate "
                                  "sources`; sources exist after `corroborate link`)")
        return found

    def _write(self, work: Callable[[], T]) -> T:
        return self.store.write(work)


def _span(span: Any, text: str, field: str, doc_id: str) -> tuple[int, int]:
    if not isinstance(span, tuple | list) or len(span) != 2 or \
            not all(isinstance(v, int) and not isinstance(v, bool) for v in span):
        raise CorrectionError(f"{field}: a (start, end) pair of character offsets")
    start, end = int(span[0]), int(span[1])
    if not 0 <= start < end <= len(text):
        raise CorrectionError(f"{field} span {start}-{end}: outside the text of document "
                              f"{doc_id[:12]} ({len(text)} characters) or empty")
    if not text[start:end].strip():
        raise CorrectionError(f"{field} span {start}-{end}: only white space")
    return start, end


def _said_on(value: str) -> tuple[str, str]:
    text = value.strip() if isinstance(value, str) else ""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text).isoformat(), "day"
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return date.fromisoformat(text + "-01").isoformat(), "month"
    except ValueError:
        pass
    raise CorrectionError(f"said_on {value!r}: a date like 2024-10-18, or 2024-10 for a month")


def _proposition_text(text: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise CorrectionError("text: empty; say what the proposition claims")
    if len(text) > 2000:
        raise CorrectionError(f"text: {len(text)} characters; a proposition is one claim "
                              "(at most 2,000)")
    return text.strip()


def _brief(source: dict[str, Any]) -> dict[str, Any]:
    return {"id": source["id"], "key": source["key"], "name": source["name"]}


def _reaches(edges: set[tuple[str, str]], start: str, goal: str) -> bool:
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for a, b in edges:
            if a == node and b not in seen:
                seen.add(b)
                todo.append(b)
    return False


def _today() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _statement_record(anchor: Anchor, text: str) -> dict[str, Any]:
    k = anchor.key
    return {"key": str(k), "doc_id": k.doc_id,
            "content": {"start": k.content[0], "end": k.content[1], "text": anchor.content_text},
            "cue": ({"start": k.cue[0], "end": k.cue[1], "text": anchor.cue_text}
                    if k.cue else None),
            "sentence": sentence_around(text, *k.content) if text else None}


def _labels(r: Row) -> tuple[Any, Any]:
    """The label a learner reads: a link's stance (None: no link), a statement's fields."""
    if r.target_kind == "link":
        return ((r.before or {}).get("stance"), (r.after or {}).get("stance"))
    if r.op == "statement.delete":
        return ("statement", None)
    if r.op == "statement.add":
        return (None, "statement")
    return (r.before, r.after)
