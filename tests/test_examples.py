"""The bundled Kursk corpus is the demo and a fixture: it must ingest cleanly and keep the
properties later issues rely on (versions, transcripts with cues, WARC records, metadata)."""

from __future__ import annotations

from corroborate import Ledger


def test_example_corpus_ingests_without_failures(ledger: Ledger) -> None:
    from conftest import EXAMPLES

    summary = ledger.add([str(EXAMPLES)])
    assert summary.ok, summary.failed
    assert not summary.skipped
    docs = list(ledger.documents(with_text=True))
    assert 12 <= len(docs) <= 20
    assert all(d.published and d.publisher and d.title for d in docs)
    assert {d.format for d in docs} >= {"text", "markdown", "html", "warc", "vtt", "srt"}
    assert {d.kind for d in docs} >= {"news", "statement", "transcript", "comment", "analysis"}

    updated = [d for d in docs if d.version_of]
    assert len(updated) == 1
    assert ledger.get(updated[0].version_of).uri == updated[0].uri

    vtt = next(d for d in docs if d.format == "vtt")
    assert vtt.segments and all(s.t_start for s in vtt.segments)
    assert any(s.speaker for s in vtt.segments)
    for segment in vtt.segments:
        assert vtt.text[segment.start:segment.end].strip()

    captured = [d for d in docs if d.format == "warc"]
    assert len(captured) == 2
    assert all(d.uri.startswith("https://") and d.captured for d in captured)

    assert any(d.published_estimated for d in docs)
    assert all(problem is None for _, problem in ledger.verify())
