"""Readers under hostile bytes: random and mutated inputs, cuts, repetitions, deep nesting.

Every reader either reads or refuses with our `InputError` family, in time proportional to
the input, and a cut archive always says it was cut and how many records it kept. The heavy
version of this is `bench/fuzz_readers.py` (10⁶ inputs); here a modest number runs in CI.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import warc_bytes
from corroborate.errors import InputError
from corroborate.ingest.readers.tabular import read_jsonl
from corroborate.ingest.readers.warc import read_warc
from corroborate.ingest.record import Record
from seeds import LIMITS, runner, seeds

NAMES = sorted(seeds())
SLOW = {"html", "pdf", "warc", "warc.gz"}  # trafilatura / pypdf behind them
TOKENS = [b"\n", b"\r\n\r\n", b"<v ", b"<", b"#", b"[", b"{", b'"\\ud800"', b"\x00",
          b"99999999999999999999", b"\x1f\x8b\x08", b"WARC/1.0\r\n", b"Content-Length: 9\r\n",
          b"-->", b"\xef\xbb\xbf", b"\xff\xfe", b"1" * 5000, b"endstream", b"/FlateDecode"]


def bounded(read: Callable[[bytes], int], raw: bytes) -> None:
    """Run one input: a clean result or an InputError, within a time linear in its size.

    CPU time, not wall time: CI machines are shared, and a quadratic reader shows up as
    minutes of CPU on these sizes, far past the bound either way.
    """
    started = time.process_time()
    try:
        read(raw)
    except InputError as exc:
        assert "\n" not in str(exc), str(exc)
    elapsed = time.process_time() - started
    assert elapsed < 5 + len(raw) / 50_000, f"{elapsed:.1f} s CPU for {len(raw)} bytes"


@st.composite
def mutations(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["flip", "insert", "token", "delete", "repeat", "cut"]))
        if op == "flip" and pos < len(data):
            data[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "token":
            data[pos:pos] = draw(st.sampled_from(TOKENS)) * draw(st.integers(1, 50))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 64))]
        elif op == "repeat":
            chunk = data[pos:pos + draw(st.integers(1, 32))] or b"\n"
            data[pos:pos] = chunk * draw(st.integers(2, 3000))
        elif op == "cut":
            del data[pos:]
    return bytes(data)


@pytest.mark.parametrize("name", NAMES)
def test_reader_survives_mutated_seeds(name: str) -> None:
    read = runner(name)
    assert read(seeds()[name]) >= 1  # the seed itself reads cleanly

    @settings(max_examples=12 if name in SLOW else 40, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.one_of(mutations(seeds()[name]), st.binary(max_size=3000)))
    def check(raw: bytes) -> None:
        bounded(read, raw)

    check()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("unit", [b"#", b"<v ", b"<", b"<p>a", b"[", b"{\"a\":", b"\n", b"\r\n\r\n",
                                  b" \t", b"\x1f\x8b", b"-->", b"WARC/1.0\r\n"])
def test_reader_is_linear_on_huge_repetitions(name: str, unit: bytes) -> None:
    """200 KB of one token: a quadratic pattern would take minutes here."""
    read = runner(name)
    bounded(read, unit * (200_000 // len(unit)))
    bounded(read, seeds()[name][:40] + unit * (100_000 // len(unit)))


@pytest.mark.parametrize("name", ["jsonl", "jsonl.gz", "sidecar", "manifest.json",
                                  "manifest.jsonl"])
def test_deep_nesting_and_huge_integers_are_refused_cleanly(name: str) -> None:
    read = runner(name)
    for payload in (b"[" * 50_000, b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}",
                    b'{"text": "x", "path": "a.txt", "title": ' + b"9" * 5000 + b"}"):
        raw = gzip.compress(payload) if name.endswith(".gz") else payload
        bounded(read, raw)


# -- cuts: every byte position of a small archive ------------------------------------------
def _texts(n: int) -> list[bytes]:
    return [f"Record {i} says the troops had left on day {i}.".encode() for i in range(n)]


def _ends(raw: bytes, texts: list[bytes]) -> list[int]:
    """Where each record's payload ends in the uncompressed archive."""
    return [raw.index(t) + len(t) for t in texts]


def _read_cut(read: Callable[[bytes], list[object]], cut: bytes) -> tuple[list[str], list[str]]:
    try:
        items = read(cut)
    except InputError as exc:
        return [], [exc.problem]
    kept = [r.text for r in items if isinstance(r, Record)]
    return kept, [e.problem for e in items if isinstance(e, InputError)]


def _assert_cut_is_reported(kept: list[str], problems: list[str], complete: int,
                            texts: list[bytes], cut: int) -> None:
    assert kept == [t.decode() for t in texts[:len(kept)]], (cut, kept)
    if len(kept) == len(texts) and not problems:
        return
    if not problems:  # a cut exactly between records is a valid, shorter archive
        assert len(kept) == complete, (cut, kept)
        return
    assert len(problems) == 1, (cut, problems)
    assert "truncated" in problems[0] or "cut short" in problems[0], (cut, problems)
    counted = re.search(r"kept (\d+)|no (?:records|rows) kept", problems[0])
    assert counted, (cut, problems)
    assert int(counted.group(1) or 0) == len(kept), (cut, problems, len(kept))


@pytest.mark.parametrize("compressed", [False, True])
def test_warc_cut_at_every_byte_keeps_or_reports_every_record(compressed: bool) -> None:
    texts = _texts(5)
    pages = [(f"https://x.test/{i}", "text/plain", t) for i, t in enumerate(texts)]
    raw = warc_bytes(pages, gzip=compressed)
    plain = gzip.decompress(raw) if compressed else raw
    # a record is complete once its gzip member (or, uncompressed, its block) is whole
    if compressed:
        members = [len(m) for m in _members(raw)]
        ends = [sum(members[:i + 1]) for i in range(len(members))]
    else:
        ends = _ends(plain, texts)

    def read(data: bytes) -> list[object]:
        return list(read_warc(data, "cut.warc", LIMITS))

    for cut in range(1, len(raw) + 1):  # (an empty file is an empty file, not a cut)
        kept, problems = _read_cut(read, raw[:cut])
        complete = sum(1 for end in ends if end <= cut)
        _assert_cut_is_reported(kept, problems, complete, texts, cut)


def _members(raw: bytes) -> list[bytes]:
    """Split a multi-member gzip into its members (warcio writes one per record)."""
    import zlib

    out, rest = [], raw
    while rest:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        inflater.decompress(rest)
        size = len(rest) - len(inflater.unused_data)
        out.append(rest[:size])
        rest = rest[size:]
    return out


def test_jsonl_gz_cut_at_every_byte_keeps_or_reports_every_row() -> None:
    texts = _texts(8)
    body = b"".join(json.dumps({"text": t.decode()}).encode() + b"\n" for t in texts)
    raw = gzip.compress(body)

    def read(data: bytes) -> list[object]:
        return list(read_jsonl(data, "cut.jsonl.gz", limits=LIMITS))

    for cut in range(len(raw) + 1):
        kept, problems = _read_cut(read, raw[:cut])
        if cut == 0:
            assert problems and not kept
            continue
        _assert_cut_is_reported(kept, problems, len(texts) if cut == len(raw) else 0,
                                texts, cut)
