"""Each format reader turns bytes into text plus what the format says about the document."""

from __future__ import annotations

import json

from builders import article_html, pdf_bytes, warc_bytes
from corroborate.ingest.readers import READERS
from corroborate.ingest.readers.tabular import column_mapping, read_csv, read_jsonl
from corroborate.ingest.record import Record

PARAGRAPHS = [
    "NATO Secretary-General Mark Rutte said on Monday that North Korean troops had been sent "
    "to Russia and that units had been deployed to the Kursk region.",
    "He told reporters in Brussels that the deployment marked a significant escalation and a "
    "dangerous expansion of the war, citing intelligence shared by allies.",
    "Moscow has neither confirmed nor denied the presence of the soldiers, and Pyongyang "
    "called the reports groundless rumours.",
]


def records(fmt: str, raw: bytes, where: str = "input") -> list[Record]:
    found = list(READERS[fmt](raw, where))
    assert all(isinstance(r, Record) for r in found), found
    return found  # type: ignore[return-value]


def test_text_reader_keeps_the_decoded_file_as_text() -> None:
    raw = b"Seoul's spy agency said 1,500 troops had left.\r\nSecond line."
    (record,) = records("text", raw)
    assert record.text == raw.decode()
    assert record.encoding == "utf-8"
    assert record.content == raw


def test_text_reader_detects_and_records_a_legacy_encoding() -> None:
    text = "Le ministère a démenti les informations publiées à Séoul sur les troupes. " * 3
    (record,) = records("text", text.encode("cp1252"))
    assert record.text == text
    assert record.encoding is not None and record.encoding != "utf-8"
    assert any("not valid UTF-8" in note for note in record.notes)


def test_markdown_front_matter_becomes_metadata_and_leaves_the_text() -> None:
    raw = (b"---\ntitle: Seoul briefing\ndate: 2024-10-18\npublisher: Test Wire\n---\n"
           b"# Head\n\nBody.")
    (record,) = records("markdown", raw)
    assert record.meta == {"title": "Seoul briefing", "published": "2024-10-18",
                           "publisher": "Test Wire"}
    assert record.text == "# Head\n\nBody."


def test_markdown_title_falls_back_to_first_heading() -> None:
    (record,) = records("markdown", b"Intro line\n\n# Rutte confirms deployment\n\nText here.")
    assert record.meta["title"] == "Rutte confirms deployment"


def test_html_reader_extracts_main_text_and_metadata_without_boilerplate() -> None:
    (record,) = records("html", article_html("NATO confirms troops in Kursk", PARAGRAPHS))
    assert "units had been deployed to the Kursk region" in record.text
    assert "Subscribe now" not in record.text and "Cookie settings" not in record.text
    assert record.meta["title"] == "NATO confirms troops in Kursk"
    assert record.meta["publisher"] == "Test Wire"
    assert record.meta["author"] == "Ana Test"
    assert record.meta["published"] == "2024-10-28"


def test_warc_reader_makes_one_document_per_html_response_with_uri_and_capture_date() -> None:
    raw = warc_bytes([
        ("https://news.example.test/a", "text/html; charset=utf-8",
         article_html("First", PARAGRAPHS)),
        ("https://news.example.test/logo.png", "image/png", b"\x89PNG\r\n\x1a\n...."),
        ("https://news.example.test/b.txt", "text/plain", b"Plain text record about Kursk."),
    ])
    found = records("warc", raw)
    assert [r.meta["url"] for r in found] == ["https://news.example.test/a",
                                              "https://news.example.test/b.txt"]
    assert all(r.meta["captured"] == "2024-11-02T08:30:00Z" for r in found)
    assert found[0].locator == "offset=0"
    assert found[1].text == "Plain text record about Kursk."


def test_vtt_reader_keeps_cue_timestamps_and_voice_speakers() -> None:
    raw = (b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.500\n<v Mark Rutte>I can confirm that "
           b"troops\n\n00:00:04.500 --> 00:00:07.000\nhave been sent to Russia.\n\n"
           b"00:00:07.000 --> 00:00:09.000\n<v Reporter>When did they arrive?\n")
    (record,) = records("vtt", raw)
    assert record.text == ("Mark Rutte: I can confirm that troops have been sent to Russia."
                           "\n\nReporter: When did they arrive?")
    first, second, third = record.segments
    assert (first.speaker, first.t_start, first.t_end) == ("Mark Rutte", "00:00:01.000",
                                                          "00:00:04.500")
    assert record.text[second.start:second.end] == "have been sent to Russia."
    assert second.speaker == "Mark Rutte"
    assert third.speaker == "Reporter"


def test_srt_reader_reads_label_prefixes_and_survives_broken_blocks() -> None:
    raw = (b"1\n00:00:01,000 --> 00:00:03,000\nMR. RYDER: we are aware of the reports\n\n"
           b"2\nthis block lost its timing line\n\n"
           b"3\n00:00:05,000 --> 00:00:06,000\n[inaudible] troops in kursk\n")
    (record,) = records("srt", raw)
    assert record.text.startswith("MR. RYDER: we are aware of the reports")
    assert record.segments[0].speaker == "MR. RYDER"
    assert record.segments[0].t_start == "00:00:01.000"
    assert "[inaudible] troops in kursk" in record.text
    assert any("1 malformed" in note for note in record.notes)


def test_pdf_reader_reads_the_text_layer_and_info() -> None:
    raw = pdf_bytes(["Ministry statement on the Kursk region.", "Reports are false."],
                    title="Statement")
    (record,) = records("pdf", raw)
    assert "Ministry statement on the Kursk region." in record.text
    assert "Reports are false." in record.text
    assert record.meta["title"] == "Statement"
    assert record.meta["published"] == "2024-10-28"


def test_jsonl_rows_become_documents_with_default_column_names() -> None:
    rows = [{"text": "Row one text.", "url": "https://x.test/1", "published": "2024-10-20",
             "publisher": "X"},
            {"body": "Row two body.", "headline": "Two"}]
    raw = "\n".join(json.dumps(r) for r in rows).encode()
    first, second = records("jsonl", raw)
    assert first.meta == {"url": "https://x.test/1", "published": "2024-10-20", "publisher": "X"}
    assert first.locator == "line=1"
    assert second.text == "Row two body." and second.meta == {"title": "Two"}


def test_csv_column_mapping_override_selects_the_text_column() -> None:
    raw = b"story,link,date\nTroops seen near Kursk.,https://x.test/9,2024-11-01\n"
    (record,) = list(read_csv(raw, "c.csv", column_mapping({"text": "story"})))
    assert isinstance(record, Record)
    assert record.text == "Troops seen near Kursk."
    assert record.meta == {"url": "https://x.test/9", "published": "2024-11-01"}
    assert record.locator == "line=2"


def test_jsonl_gzip_is_read() -> None:
    import gzip

    raw = gzip.compress(b'{"text": "compressed row"}\n')
    (record,) = list(read_jsonl(raw, "rows.jsonl.gz"))
    assert isinstance(record, Record) and record.text == "compressed row"


def test_html_with_more_tags_than_any_article_is_read_in_linear_time() -> None:
    import time

    raw = b"<html><body><script>var x = 1;</script>" + b"<p>troops seen" * 60_000
    started = time.process_time()
    (record,) = records("html", raw)
    assert time.process_time() - started < 5  # trafilatura alone took over 20 s at 50,000
    assert record.text.startswith("troops seen") and "var x" not in record.text
    assert any("without boilerplate removal" in note for note in record.notes)


def test_pdf_flate_bomb_is_refused_with_the_limit_named() -> None:
    import zlib

    from corroborate.errors import CorruptInput
    from corroborate.ingest.readers.pdf import read_pdf
    from corroborate.ingest.streams import Limits

    bomb = zlib.compress(b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n" + b" " * 50_000_000, 9)
    plain = b"BT\n/F1 12 Tf\n72 720 Td\n14 TL\n(placeholder) Tj T*\nET"
    raw = pdf_bytes(["placeholder"]).replace(
        b"<< /Length %d >>\nstream\n" % len(plain) + plain,
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb)
    assert bomb in raw  # (the xref offsets are now wrong; pypdf recovers them by scanning)
    try:
        list(read_pdf(raw, "bomb.pdf", limits=Limits(file=20_000_000, record=5_000_000)))
    except CorruptInput as exc:
        assert "LimitReachedError" in exc.problem or "unreadable PDF" in exc.problem
    else:
        raise AssertionError("a 50 MB stream passed a 5 MB limit")


def test_stream_locates_records_by_gzip_member_and_stops_at_the_expansion_limit() -> None:
    import gzip

    import pytest

    from corroborate.errors import ExpansionLimit
    from corroborate.ingest.streams import Limits, Stream

    first, second = gzip.compress(b"a\nb\n"), gzip.compress(b"c\n")
    stream = Stream(first + second, "x.gz")
    lines = []
    while True:
        at = stream.tell()
        line = stream.readline(100)
        if not line:
            break
        lines.append((stream.locate(at), line))
    assert lines == [("0", b"a\n"), ("0+2", b"b\n"), (str(len(first)), b"c\n")]
    assert not stream.truncated and stream.damage is None
    bomb = Stream(gzip.compress(b"\0" * 5_000_000), "bomb.gz", Limits(file=1_000_000))
    with pytest.raises(ExpansionLimit, match=r"inflates past 1\.0 MB"):
        bomb.skip(5_000_000)


def test_a_page_declaring_a_codec_that_is_no_charset_is_decoded_by_detection() -> None:
    from corroborate.ingest.decode import decode_text

    for declared in ("undefined", "rot13", "zlib", "unicode_escape", "no-such-codec"):
        decoded = decode_text("Le ministère a démenti. ".encode("cp1252") * 5, "p.html",
                              declared=declared)
        assert "ministère" in decoded.text and decoded.encoding != declared
