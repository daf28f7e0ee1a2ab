"""The local pool (`add --jobs N`) gives the in-process engine's ledger, id for id, on real
White House transcripts (tests/data/wh-sample, public domain)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from corroborate import api, open_ledger
from corroborate.archive import warc_record
from corroborate.engines.pool import ExtractionPool, default_jobs
from corroborate.model import Document

SAMPLE = Path(__file__).parent / "data" / "wh-sample" / "briefings.jsonl"
ROWS = SAMPLE.read_text(encoding="utf-8").splitlines()


def ledger_rows(db: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Every document (less the time it was added) and every statement, in a fixed order."""
    with sqlite3.connect(db) as conn:
        docs = conn.execute("SELECT id, uri, title, published, kind, text, raw_ref, blob, "
                            "version_of, source_path, notes, segments FROM documents "
                            "ORDER BY id").fetchall()
        statements = conn.execute("SELECT id, doc_id, position, stance, content_text, "
                                  "source_name, data FROM statements ORDER BY id").fetchall()
    return docs, statements


def corpus(folder: Path) -> list[str]:
    """The sample as one JSONL file, each of the first 12 rows again as a file of its own,
    one row repeated byte for byte in another file, and three bad files among them."""
    folder.mkdir()
    (folder / "all.jsonl").write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    for n, row in enumerate(ROWS[:12]):
        (folder / f"row{n:02d}.jsonl").write_text(row + "\n", encoding="utf-8")
    (folder / "copy.jsonl").write_text(ROWS[3] + "\n", encoding="utf-8")
    (folder / "broken.jsonl").write_text('{"text": "cut', encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "half.jsonl").write_text(ROWS[20] + "\nnot json\n", encoding="utf-8")
    return [str(folder)]


def add(db: Path, paths: list[str], jobs: int) -> api.AddSummary:
    with open_ledger(str(db), db.with_suffix(".archive")) as ledger:
        return ledger.add(paths, jobs=jobs)


def test_pool_stores_what_one_process_stores_id_for_id(tmp_path: Path) -> None:
    paths = corpus(tmp_path / "in")
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    alone = add(one, paths, jobs=1)
    pooled = add(two, paths, jobs=2)
    docs, statements = ledger_rows(one)
    assert len(docs) == len(ROWS) and len(statements) > 300
    assert ledger_rows(two) == (docs, statements)
    assert pooled.to_dict() | {"seconds": 0} == alone.to_dict() | {"seconds": 0}
    assert len(alone.failed) == 3 and any("broken.jsonl" in f for f in alone.failed)
    assert any("half.jsonl:2" in f for f in alone.failed)
    # The workers packed the archive's records; the writer appended them: every document is
    # re-derived from those bytes.
    with open_ledger(str(two), two.with_suffix(".archive")) as ledger:
        checked = list(ledger.verify())
    assert len(checked) == len(ROWS) and [p for _, p in checked if p] == []


def test_pool_stores_a_large_file_in_chunks_id_for_id(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of more documents than one batch holds takes the chunked path; with a pool its
    documents are extracted ahead of the writes, and the ledger is the same."""
    monkeypatch.setattr(api, "WRITE_CHUNK", 7)
    paths = [str(SAMPLE)]
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    assert add(one, paths, jobs=1).added == len(ROWS)
    assert add(two, paths, jobs=3).added == len(ROWS)
    assert ledger_rows(two) == ledger_rows(one)
    with open_ledger(str(two), two.with_suffix(".archive")) as ledger:
        assert [p for _, p in ledger.verify() if p] == []
    # Again over a grown file: only the new rows are added, the known ones are not extracted.
    grown = tmp_path / "grown.jsonl"
    grown.write_text("\n".join(ROWS) + "\n" + json.dumps({"text": "The ministry said on "
                     "Monday that the convoy had turned back.", "published": "2024-06-03"})
                     + "\n", encoding="utf-8")
    again = add(two, [str(grown)], jobs=2)
    assert (again.added, again.unchanged, again.failed) == (1, len(ROWS), [])
    assert add(one, [str(grown)], jobs=1).statements == again.statements


def test_pool_keeps_at_most_its_window_in_flight() -> None:
    """The reader is pulled only as far as the window: memory is a few documents a core,
    not the corpus."""
    pulled = []

    def documents() -> Iterator[tuple[int, Document]]:
        for n, row in enumerate(ROWS):
            pulled.append(n)
            data = json.loads(row)
            yield n, Document(id=f"d{n}", uri=data["url"], text=data["text"][:1500],
                              format="jsonl", raw_ref="sha256:0", kind="transcript",
                              published=data["published"])

    with ExtractionPool(2, window=4) as pool:
        results = pool.extract_keyed(documents())
        first = next(results)
        assert first[0] == 0 and len(pulled) == 4
        rest = list(results)
    assert [n for n, _ in rest] == list(range(1, len(ROWS)))
    assert sum(len(e.rows) for _, e in [first, *rest] if e) > 50


def test_packed_records_concatenate_into_a_readable_segment(tmp_path: Path) -> None:
    """What a worker packs (`warc_record`) is a whole gzip member: a segment of such members,
    appended in any process, reads back record by record with the digest it was given."""
    raws = [ROWS[0].encode(), b"", "é\n".encode() * 5000]
    segment = tmp_path / "s.warc.gz"
    segment.write_bytes(b"".join(warc_record(raw, hashlib.sha256(raw).hexdigest(),
                                             f"file:///r{n}", "text/plain")
                                 for n, raw in enumerate(raws)))
    with open(segment, "rb") as handle:
        records = [(r.rec_headers.get_header("WARC-Block-Digest"), r.content_stream().read())
                   for r in ArchiveIterator(handle)]
    assert records == [(f"sha256:{hashlib.sha256(raw).hexdigest()}", raw) for raw in raws]


def test_jobs_default_to_the_cores_this_process_may_use() -> None:
    assert 1 <= default_jobs() <= 4096
