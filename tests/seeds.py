"""Valid seed inputs for every reader, and one way to run any reader to the end.

Shared by the property tests (`test_fuzz_readers.py`) and the mutation fuzzer
(`bench/fuzz_readers.py`): mutations of these seeds reach deeper into each parser than random
bytes, which most readers reject at the first byte.
"""

from __future__ import annotations

import gzip
import json
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from builders import article_html, pdf_bytes, warc_bytes
from corroborate.ingest.metadata import load_manifest, load_sidecar
from corroborate.ingest.readers import READERS
from corroborate.ingest.readers.tabular import read_csv, read_jsonl
from corroborate.ingest.record import Record
from corroborate.ingest.streams import Limits

# Small limits, so a mutation that inflates or repeats meets them quickly.
LIMITS = Limits(file=20_000_000, record=5_000_000)
PARAGRAPHS = ["NATO Secretary-General Mark Rutte said on Monday that North Korean troops had "
              "been sent to Russia.", "Moscow has neither confirmed nor denied it."]
ROWS = [{"text": "Row one text.", "url": "https://x.test/1", "published": "2024-10-20"},
        {"body": "Row two body.", "headline": "Two", "authors": ["A", "B"]}]


@cache
def seeds() -> dict[str, bytes]:
    """One valid input per reader name (formats, plus gzip and metadata variants)."""
    pages = [("https://news.example.test/a", "text/html; charset=utf-8",
              article_html("First", PARAGRAPHS)),
             ("https://news.example.test/b.txt", "text/plain", b"Plain text record.")]
    jsonl = "\n".join(json.dumps(r) for r in ROWS).encode() + b"\n"
    return {
        "text": b"Seoul's spy agency said 1,500 troops had left.\r\nSecond line.",
        "markdown": b"---\ntitle: Seoul\ndate: 2024-10-18\n---\n# Head #\n\nBody text.",
        "html": article_html("NATO confirms troops", PARAGRAPHS),
        "warc": warc_bytes(pages, gzip=False),
        "warc.gz": warc_bytes(pages, gzip=True),
        "vtt": b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.500\n<v Mark Rutte>I can confirm\n\n"
               b"00:00:04.500 --> 00:00:07.000\n<b>have</b> been sent.\n",
        "srt": b"1\n00:00:01,000 --> 00:00:03,000\nMR. RYDER: we are aware\n\n"
               b"2\n00:00:05,000 --> 00:00:06,000\n[inaudible] troops\n",
        "pdf": pdf_bytes(["Ministry statement on the Kursk region.", "Reports are false."]),
        "jsonl": jsonl,
        "jsonl.gz": gzip.compress(jsonl),
        "csv": b"text,url,date\n\"Troops, seen.\",https://x.test/9,2024-11-01\n",
        "tsv": b"text\turl\nTroops seen.\thttps://x.test/9\n",
        "sidecar": json.dumps({"title": "T", "published": {"date": "2024-10-01",
                                                            "estimated": True}}).encode(),
        "manifest.json": json.dumps({"documents": [{"path": "a.txt", "kind": "news"}]}).encode(),
        "manifest.jsonl": b'{"path": "a.txt", "published": "2024-10-01"}\n',
        "manifest.csv": b"path,title,published\na.txt,T,2024-10-01\n",
    }


def _metadata_runner(name: str) -> Callable[[bytes], int]:
    folder = Path(tempfile.mkdtemp(prefix="corroborate-fuzz-"))

    def run(raw: bytes) -> int:
        if name == "sidecar":
            (folder / "a.txt.meta.json").write_bytes(raw)
            return int(load_sidecar(folder / "a.txt") is not None)
        path = folder / f"corroborate-{name}"
        path.write_bytes(raw)
        return len(load_manifest(path))

    return run


def runner(name: str) -> Callable[[bytes], int]:
    """A function that reads `raw` as `name` to the end and returns how many items it gave.

    It raises whatever the reader raises: an `InputError` is a clean refusal, anything else is
    a bug the fuzzers look for.
    """
    if name == "sidecar" or name.startswith("manifest"):
        return _metadata_runner(name)
    where = {"warc.gz": "in.warc.gz", "jsonl.gz": "in.jsonl.gz", "tsv": "in.tsv"}.get(
        name, f"in.{name}")
    if name in ("warc", "warc.gz"):
        def read(raw: bytes) -> list[object]:
            return list(READERS["warc"](raw, where, limits=LIMITS))  # type: ignore[call-arg]
    elif name in ("jsonl", "jsonl.gz"):
        def read(raw: bytes) -> list[object]:
            return list(read_jsonl(raw, where, limits=LIMITS))
    elif name in ("csv", "tsv"):
        def read(raw: bytes) -> list[object]:
            return list(read_csv(raw, where))
    elif name == "pdf":
        def read(raw: bytes) -> list[object]:
            return list(READERS["pdf"](raw, where, limits=LIMITS))  # type: ignore[call-arg]
    else:
        reader = READERS[name]

        def read(raw: bytes) -> list[object]:
            return list(reader(raw, where))

    def run(raw: bytes) -> int:
        items = read(raw)
        for item in items:
            if isinstance(item, Record):
                assert isinstance(item.text, str) and item.text.strip()
        return len(items)

    return run
