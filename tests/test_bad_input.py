"""Bad input: one clear line naming the file and the problem, the batch goes on, the exit code
says something failed, and what the ledger already held is untouched."""

from __future__ import annotations

import codecs
import gzip
import json
import os
from pathlib import Path

import pytest

from builders import article_html, warc_bytes
from conftest import CliRun
from corroborate import Ledger, open_ledger
from corroborate.ingest.pipeline import AddOptions

GOOD = "Pentagon spokeswoman Sabrina Singh said about 10,000 troops had been sent east."


@pytest.fixture
def seeded(run: CliRun, tmp_path: Path) -> Path:
    """A ledger holding one document, and a folder with one more good file for the batch."""
    first = tmp_path / "seed" / "first.txt"
    first.parent.mkdir()
    first.write_text(GOOD)
    assert run("add", str(first)).exit_code == 0
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.txt").write_text("Kim Song called the reports groundless rumours.")
    return batch


def check(run: CliRun, batch: Path, *extra: str, expect: str, added: int = 1) -> list[str]:
    """Add the batch; assert failure exit, the message, the good file added, the seed kept."""
    result = run("add", "--json", str(batch), *extra)
    assert result.exit_code == 1, result.output
    summary = json.loads(result.stdout)
    assert summary["added"] == added, summary
    assert any(expect in line for line in summary["failures"]), summary["failures"]
    assert all("\n" not in line for line in summary["failures"])
    with open_ledger(str(run.db)) as ledger:
        texts = [d.text for d in ledger.documents(with_text=True)]
        assert GOOD in texts
        assert all(problem is None for _, problem in ledger.verify())
    return summary["failures"]


def test_missing_path_is_named_and_the_rest_is_added(run: CliRun, seeded: Path) -> None:
    result = run("add", "--json", str(seeded / "nope.txt"), str(seeded / "good.txt"))
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["failures"] == [f"{seeded / 'nope.txt'}: no such file or directory"]
    assert summary["added"] == 1


def test_directory_without_supported_files_is_an_error(run: CliRun, seeded: Path,
                                                       tmp_path: Path) -> None:
    empty = tmp_path / "pictures"
    empty.mkdir()
    (empty / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    failures = check(run, seeded, str(empty), expect="directory has no supported files")
    assert failures[0].startswith(str(empty))


def test_binary_file_named_directly_is_rejected(run: CliRun, seeded: Path) -> None:
    binary = seeded.parent / "image.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    check(run, seeded, str(binary), expect="image.bin: unknown format")


def test_binary_content_in_a_text_file_is_rejected(run: CliRun, seeded: Path) -> None:
    (seeded / "corrupt.txt").write_bytes(b"\x00\x01\x02binary\x00junk" * 50)
    check(run, seeded, expect="corrupt.txt: binary content, not a text document")


def test_invalid_utf8_is_decoded_by_detection_and_the_decision_recorded(
        run: CliRun, tmp_path: Path) -> None:
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("Заявление министерства: войска не были направлены в Курскую "
                       "область, сообщили в ведомстве.".encode("cp1251"))
    result = run("add", "--json", str(legacy))
    assert result.exit_code == 0, result.output
    shown = json.loads(run("show", "--json", str(legacy.resolve().as_uri())).stdout)
    assert shown["encoding"] == "cp1251"
    assert "Курскую" in shown["text"]
    assert any("not valid UTF-8" in n for n in shown["notes"])


def test_empty_file_is_reported(run: CliRun, seeded: Path) -> None:
    (seeded / "empty.txt").write_bytes(b"")
    check(run, seeded, expect="empty.txt: empty file")


def test_html_without_main_text_is_reported(run: CliRun, seeded: Path) -> None:
    (seeded / "shell.html").write_text(
        "<html><head><title>x</title></head><body><nav><a href='/'>Home</a></nav>"
        "<script>var a=1;</script></body></html>")
    check(run, seeded, expect="shell.html: HTML page has no main text")


def test_truncated_warc_keeps_the_good_records_and_reports_the_rest(
        run: CliRun, seeded: Path) -> None:
    pages = [(f"https://news.example.test/{n}", "text/html",
              article_html(f"Story {n}", [f"Paragraph {n} about the Kursk deployment. " * 12]))
             for n in range(3)]
    raw = warc_bytes(pages)
    (seeded / "crawl.warc.gz").write_bytes(raw[: len(raw) - 300])
    failures = check(run, seeded, expect="kept 2 document record(s)",
                     added=3)
    assert "crawl.warc.gz#offset=" in failures[0] and "(truncated)" in failures[0]


def test_corrupt_gzip_that_is_no_warc_is_reported(run: CliRun, seeded: Path) -> None:
    (seeded / "broken.warc.gz").write_bytes(gzip.compress(b"hello")[:12])
    check(run, seeded, expect="broken.warc.gz: not a readable WARC")


def test_malformed_jsonl_line_is_reported_by_number_and_other_rows_kept(
        run: CliRun, seeded: Path) -> None:
    (seeded / "rows.jsonl").write_text(
        '{"text": "Row one."}\n{"text": "Row two", \n{"text": "Row three."}\n[1, 2]\n')
    failures = check(run, seeded, expect="rows.jsonl:2: malformed JSON line", added=3)
    assert any("rows.jsonl:4: expected a JSON object, got list" in f for f in failures)


def test_malformed_csv_row_is_reported_by_line_and_other_rows_kept(
        run: CliRun, seeded: Path) -> None:
    (seeded / "rows.csv").write_text(
        'text,url\n"Row one.",https://x.test/1\n"Row two",https://x.test/2,extra\n'
        '"Row three.",https://x.test/3\n')
    check(run, seeded, expect="rows.csv:3: row has 3 fields, the header has 2", added=3)


def test_file_over_the_size_limit_is_skipped_with_the_limit_named(
        run: CliRun, seeded: Path) -> None:
    (seeded / "huge.txt").write_text("troops " * 2000)
    check(run, seeded, "--max-size", "10k", expect="huge.txt: file is 0.0 MB, over the")


def test_sidecar_with_a_bad_date_fails_that_document_only(run: CliRun, seeded: Path) -> None:
    (seeded / "dated.txt").write_text("Statement text.")
    (seeded / "dated.txt.meta.json").write_text(json.dumps({"published": "2024-10-32"}))
    failures = check(run, seeded, expect="field 'published': '2024-10-32' is not a date")
    assert failures[0].startswith(str(seeded / "dated.txt.meta.json"))


def test_sidecar_with_an_unknown_field_names_it(run: CliRun, seeded: Path) -> None:
    (seeded / "typo.txt").write_text("Statement text.")
    (seeded / "typo.txt.meta.json").write_text(json.dumps({"pubished": "2024-10-20"}))
    check(run, seeded, expect="unknown field 'pubished'")


def test_bad_published_flag_is_a_usage_error(run: CliRun, seeded: Path) -> None:
    result = run("add", "--published", "yesterday", str(seeded))
    assert result.exit_code == 2
    assert "'yesterday' is not a date" in result.output


# -- hostile bytes: each is one line for its file, the batch goes on -----------------------
_DEEP = "[" * 5000 + "]" * 5000
_HUGE_INT = "1" * 5000
_GZIP_BAD_DEFLATE = gzip.compress(b'{"text": "row"}\n' * 50)[:10] + b"\xff" * 40


@pytest.mark.parametrize(("name", "content", "expect"), [
    ("bom8.txt", codecs.BOM_UTF8 + b"ok \xff\xfe bad", "utf-8-sig byte-order mark but is not"),
    ("odd16.txt", codecs.BOM_UTF16_LE + b"a\x00b\x00c", "utf-16 byte-order mark but is not"),
    ("bad32.txt", codecs.BOM_UTF32_LE + b"\xff\xff\xff\xff", "utf-32 byte-order mark but is"),
    ("deep.jsonl", f'{{"text": {_DEEP}}}'.encode(), "deep.jsonl:1: malformed JSON line"),
    ("bigint.jsonl", f'{{"text": "t", "n": {_HUGE_INT}}}'.encode(), "bigint.jsonl:1: malformed"),
    ("corrupt.jsonl.gz", _GZIP_BAD_DEFLATE, "corrupt.jsonl.gz: corrupt gzip data"),
    ("nourl.warc", b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999999999999999999"
     b"\r\n\r\nHTTP/1.1 200 OK\r\n\r\nbody", "declares 99999999999999999999 bytes"),
])
def test_hostile_file_is_one_line_and_the_batch_is_added(
        run: CliRun, seeded: Path, name: str, content: bytes, expect: str) -> None:
    (seeded / name).write_bytes(content)
    failures = check(run, seeded, expect=expect)
    assert all(line.startswith(str(seeded / name)) for line in failures), failures


@pytest.mark.parametrize("sidecar", [_DEEP, f'{{"title": {_HUGE_INT}}}', "{\"title\": 1"])
def test_hostile_sidecar_fails_its_document_only(run: CliRun, seeded: Path,
                                                 sidecar: str) -> None:
    (seeded / "with.txt").write_text("Statement text.")
    (seeded / "with.txt.meta.json").write_text(sidecar)
    check(run, seeded, expect="with.txt.meta.json: sidecar is not valid JSON")


def test_hostile_manifest_is_one_line(run: CliRun, seeded: Path) -> None:
    (seeded / "corroborate-manifest.json").write_text(
        f'[{{"path": "good.txt", "title": {_HUGE_INT}}}]')
    check(run, seeded, expect="corroborate-manifest.json: manifest is not valid JSON")


def test_lone_surrogate_in_a_row_is_stored_replaced_and_noted(run: CliRun,
                                                               tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"text": "Kim said \\ud800 nothing\\u0000.", "title": "\\udfff"}\n')
    result = run("add", "--json", str(rows))
    assert result.exit_code == 0, result.output
    with open_ledger(str(run.db)) as ledger:
        (doc,) = ledger.documents(with_text=True)
        assert doc.text == "Kim said \ufffd nothing\ufffd."
        assert doc.title == "\ufffd"
        assert any("lone-surrogate" in note for note in doc.notes)
        assert ledger.search("nothing")


def test_lone_surrogate_in_a_sidecar_or_manifest_is_stored_replaced(run: CliRun,
                                                                    tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Seoul said the troops had left.")
    (tmp_path / "a.txt.meta.json").write_text('{"title": "\\ud800 sidecar"}')
    (tmp_path / "b.txt").write_text("Kyiv said the troops had arrived.")
    (tmp_path / "corroborate-manifest.json").write_text(
        '[{"path": "b.txt", "publisher": "Wire \\udfff\\u0000"}]')
    result = run("add", "--json", str(tmp_path))
    assert result.exit_code == 0, result.output
    with open_ledger(str(run.db)) as ledger:
        found = {d.source_path.rsplit("/", 1)[-1]: d for d in ledger.documents()}
    assert found["a.txt"].title == "\ufffd sidecar"
    assert found["b.txt"].publisher == "Wire \ufffd\ufffd"


def test_warc_record_without_target_uri_is_read(run: CliRun, tmp_path: Path) -> None:
    body = b"Plain text record about the Kursk region."
    record = (b"WARC/1.0\r\nWARC-Type: resource\r\nContent-Type: text/plain\r\n"
              b"Content-Length: %d\r\n\r\n" % len(body) + body + b"\r\n\r\n")
    (tmp_path / "bare.warc").write_bytes(record)
    result = run("add", "--json", str(tmp_path / "bare.warc"))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["added"] == 1


def test_fifo_named_directly_is_refused_and_skipped_in_a_folder(run: CliRun,
                                                                seeded: Path) -> None:
    fifo = seeded / "pipe.txt"
    os.mkfifo(fifo)
    result = run("add", "--json", str(seeded), str(fifo))
    summary = json.loads(result.stdout)
    assert result.exit_code == 1
    assert summary["failures"] == [f"{fifo}: a FIFO (named pipe), not a regular file; not read"]
    assert summary["skipped"] == [f"{fifo}: a FIFO (named pipe)"]
    assert summary["added"] == 1


def test_file_name_that_is_not_utf8_is_added_and_printable(run: CliRun, seeded: Path) -> None:
    odd = os.fsdecode(bytes(seeded / "caf") + b"\xe9.txt")
    Path(odd).write_text("Seoul said the troops had left.")
    result = run("add", "--json", str(seeded))
    assert result.exit_code == 0, result.output
    with open_ledger(str(run.db)) as ledger:
        paths = {d.source_path for d in ledger.documents()}
    assert str(seeded / "caf") + "\\xe9.txt" in paths


def test_gzip_bomb_stops_at_max_expanded_with_one_line(run: CliRun, seeded: Path) -> None:
    member = gzip.compress(b"\0" * (1 << 20), 9)
    head = gzip.compress(b'{"text": "')
    (seeded / "bomb.jsonl.gz").write_bytes(head + member * 30)
    failures = check(run, seeded, "--max-expanded", "10M", "--max-size", "5M",
                     expect="inflates past 10.0 MB (--max-expanded)")
    assert any("bomb.jsonl.gz:1: line is over the 5.0 MB per-record limit" in f
               for f in failures)


def test_damaged_warc_prints_nothing_but_our_summary(tmp_path: Path) -> None:
    """warcio wrote multi-line warnings of its own to stderr; a batch prints one JSON line."""
    import subprocess
    import sys

    record = warc_bytes([("https://x.test/a", "text/plain", b"Troops were seen near Kursk.")],
                        gzip=False)
    length = int(record.split(b"Content-Length: ")[1].split(b"\r\n")[0])
    short = record.replace(b"Content-Length: %d" % length, b"Content-Length: %d" % (length - 9))
    (tmp_path / "bad.warc").write_bytes(short + record + b"trailing junk\r\n")
    done = subprocess.run([sys.executable, "-m", "corroborate", "--db", str(tmp_path / "l.db"),
                           "add", "--json", str(tmp_path / "bad.warc")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    (line,) = done.stdout.splitlines()
    summary = json.loads(line)
    # the short record (cut by its false length), then the whole one as its new version
    assert (summary["added"], summary["new_versions"]) == (1, 1)
    assert [f.split(": ", 1)[1] for f in summary["failures"]] == [
        "13 bytes that are not a WARC record were skipped",
        "15 bytes that are not a WARC record were skipped"]


def test_nul_and_lone_surrogates_reach_neither_backend(ledger: Ledger, tmp_path: Path) -> None:
    """SQLite's encoder rejects lone surrogates, PostgreSQL rejects NUL; both are replaced."""
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"text": "Kim said \\u0000 and \\ud83d no more.", "author": "\\udc00"}\n')
    summary = ledger.add([str(rows)])
    assert summary.ok and summary.added == 1, summary.failed
    (doc,) = ledger.documents(with_text=True)
    assert doc.text == "Kim said \ufffd and \ufffd no more." and doc.author == "\ufffd"
    assert ledger.search("Kim")


def test_compressed_bomb_keeps_memory_flat(tmp_path: Path) -> None:
    """1 GB of zeros in 1 MB of gzip: inflated as a stream, stopped at --max-expanded."""
    import subprocess
    import sys

    head = (b"WARC/1.0\r\nWARC-Type: resource\r\nContent-Type: text/plain\r\n"
            b"Content-Length: 900000000\r\n\r\n")
    bomb = tmp_path / "zeros.warc.gz"
    bomb.write_bytes(gzip.compress(head) + gzip.compress(b"\0" * (1 << 20), 9) * 1000)
    peak = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], "
            "capture_output=True); print(resource.getrusage(resource.RUSAGE_CHILDREN)"
            ".ru_maxrss, r.returncode)")
    done = subprocess.run([sys.executable, "-c", peak, sys.executable, "-m", "corroborate",
                           "--db", str(tmp_path / "l.db"), "add", "--max-size", "5M",
                           "--max-expanded", "200M", str(bomb)],
                          capture_output=True, text=True, timeout=300)
    rss_kb, code = map(int, done.stdout.split())
    assert code == 1
    assert rss_kb < 250_000, f"peak RSS {rss_kb / 1000:.0f} MB"


def test_verify_reads_each_archived_file_once(ledger: Ledger, tmp_path: Path) -> None:
    """A 1,000-row CSV: one parse (about a second); once per row it took minutes."""
    import time

    rows = tmp_path / "rows.csv"
    rows.write_text("text\n" + "".join(f"Row {n}: troops had left.\n" for n in range(1000)))
    assert ledger.add([str(rows)], AddOptions(extract=False)).added == 1000
    started = time.process_time()
    assert all(problem is None for _, problem in ledger.verify())
    assert time.process_time() - started < 20


def test_a_file_of_many_rows_is_stored_in_chunks_with_its_bad_rows_named(
        ledger: Ledger, tmp_path: Path) -> None:
    rows = tmp_path / "many.jsonl"
    lines = [json.dumps({"text": f"Row {n}: the troops had left."}) for n in range(1200)]
    lines.insert(700, "{not json")
    rows.write_text("\n".join(lines) + "\n" + lines[0] + "\n")
    summary = ledger.add([str(rows)], AddOptions(extract=False))
    assert (summary.added, summary.unchanged) == (1200, 1)  # the last line repeats the first
    assert summary.failed == [f"{rows}:701: malformed JSON line (Expecting property name "
                              "enclosed in double quotes at column 2)"]
    assert all(problem is None for _, problem in ledger.verify())


def test_extract_refuses_a_fifo_instead_of_blocking(run: CliRun, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    good.write_text("The ministry said on Monday that the bridge had been closed.\n")
    result = run("extract", "--format", "jsonl", str(fifo), str(good))
    assert result.exit_code == 1
    assert f"{fifo}: a FIFO (named pipe), not a regular file; not read" in result.stderr
    assert "the bridge had been closed" in result.stdout
