"""Extraction speed by document shape and size, beside spaCy's tokenizer + sentencizer.

    .venv/bin/python bench/extract_speed.py [--sizes 100k,1m,5m] [--core 0] [--markdown]
                                            [--shapes news,transcript,adversarial]

For each shape and size, one document goes through `extract_statements` and, in the same run,
through `spacy.blank("en")` with the `sentencizer` pipe (the cheapest thing that tokenizes
and splits sentences); the figure that matters is the ratio of the two times (goal ≤ 3×).
A last row per shape extracts the largest size as many small documents (≈ 2.5 KB each), to
show that one long document runs at the same MB/s as a corpus of short ones.

Shapes: `news` is the bundled Kursk corpus (examples/kursk, our own texts) repeated;
`transcript` is White House press briefings (public domain, ../shared/corpora/wh-briefings)
concatenated, or generated briefing turns when that corpus is absent; `adversarial` is
every pathological piece of tests/synthetic_text.py (quote marks, commas, capitals,
brackets, cue words, dates, labels, text without punctuation...) repeated in turn.

`--real N` (default 300; 0: none) adds a row of real text as it is filed: N White House
briefings and remarks spread evenly over the corpus, each extracted as its own document with
its own date and kind (as `corroborate add` would), without spaCy.

Times are CPU seconds of this process (`time.process_time`, robust to other jobs on a shared
box); the process is pinned to one core (`--core`). spaCy is a bench-only dependency
(`pip install spacy`; no model download); without it, or above `--spacy-max-mb`, the spaCy
columns say "not run" (and a missing spaCy is reported on stderr).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from corroborate.extract import extract_statements  # noqa: E402
from synthetic_text import adversarial, news, transcript  # noqa: E402

BRIEFINGS = REPO.parent / "shared" / "corpora" / "wh-briefings" / \
    "wh-briefings-2021-2024h1.jsonl.gz"
SIZES = {"100k": 100_000, "1m": 1_000_000, "5m": 5_000_000}
SMALL_DOC = 2_500


def briefings(size: int) -> str:
    """Real transcripts: press briefings concatenated up to `size` characters."""
    if not BRIEFINGS.exists():
        return transcript(size)
    parts, total = [], 0
    with gzip.open(BRIEFINGS, "rt", encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            parts.append(text)
            total += len(text) + 2
            if total >= size:
                break
    return "\n\n".join(parts)[:size]


SHAPES: dict[str, tuple[Callable[[int], str], str]] = {
    "news": (news, "news"),
    "transcript": (briefings, "transcript"),
    "adversarial": (adversarial, "news"),
}


def spacy_pipeline() -> Callable[[str], object] | None:
    try:
        import spacy
    except ImportError:
        return None
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 10**9

    def run(text: str) -> object:
        return list(nlp(text).sents)
    return run


Row = tuple[str, str, float, int, float, float | None]


def real_briefings(count: int) -> list[dict[str, str]]:
    """`count` corpus records spread evenly over it (every k-th), or none without it."""
    if count <= 0 or not BRIEFINGS.exists():
        return []
    with gzip.open(BRIEFINGS, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    return [json.loads(line) for line in lines[::max(1, len(lines) // count)][:count]]


def measure_real(records: list[dict[str, str]]) -> Row:
    """CPU seconds to extract each record as its own document, with its date and kind."""
    mb = sum(len(r["text"].encode("utf-8")) for r in records) / 1e6
    started = time.process_time()
    found = sum(len(extract_statements(r["text"], r.get("published"), r["id"], r.get("kind")))
                for r in records)
    return ("real", f"{len(records):,} briefings as filed, {mb:.1f} MB", mb, found,
            time.process_time() - started, None)


def measure(shape: str, label: str, docs: list[str], kind: str,
            spacy_run: Callable[[str], object] | None, spacy_max_mb: float | None) -> Row:
    """CPU seconds to extract every document, and to run spaCy over the same ones (unless
    one of them is over `spacy_max_mb`)."""
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    if spacy_max_mb is not None and max(len(d.encode("utf-8")) for d in docs) / 1e6 > \
            spacy_max_mb:
        spacy_run = None
    started = time.process_time()
    found = sum(len(extract_statements(d, "2024-10-28", "doc", kind)) for d in docs)
    seconds = time.process_time() - started
    spacy_seconds = None
    if spacy_run is not None:
        started = time.process_time()
        for d in docs:
            spacy_run(d)
        spacy_seconds = time.process_time() - started
    return shape, label.format(mb=mb), mb, found, seconds, spacy_seconds


def split_documents(text: str) -> list[str]:
    """`text` as documents of about SMALL_DOC characters, cut at a line break (or a space,
    or anywhere, when there is none within twice that)."""
    docs, start = [], 0
    while start < len(text):
        end = text.find("\n", start + SMALL_DOC, start + 2 * SMALL_DOC)
        if end == -1:
            end = text.find(" ", start + SMALL_DOC, start + 2 * SMALL_DOC)
        end = min(len(text), start + 2 * SMALL_DOC) if end == -1 else end + 1
        docs.append(text[start:end])
        start = end
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100k,1m,5m")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--core", type=int, default=0, help="CPU to pin to (-1: do not pin)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--spacy-max-mb", type=float, default=None,
                        help="skip spaCy on documents larger than this (it is quadratic on "
                             "the adversarial text: ≈ 80 s for one 1 MB document)")
    parser.add_argument("--real", type=int, default=300,
                        help="real briefings extracted one by one (0: none)")
    args = parser.parse_args()
    if args.core >= 0 and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.core})
    spacy_run = spacy_pipeline()
    if spacy_run is None:
        print("spaCy is not installed: spaCy columns are empty (pip install spacy)",
              file=sys.stderr)
    else:
        spacy_run("Warm up. The pipeline.")
    extract_statements("Warm up, officials said.", "2024-10-28")  # compile the patterns
    sizes = [SIZES[s] for s in args.sizes.split(",")]
    rows = []
    for shape in filter(None, args.shapes.split(",")):  # `--shapes ''`: the real row only
        make, kind = SHAPES[shape]
        for size in sizes:
            rows.append(measure(shape, "one document, {mb:.1f} MB", [make(size)], kind,
                                spacy_run, args.spacy_max_mb))
            print(_line(rows[-1]), file=sys.stderr, flush=True)
        docs = split_documents(make(sizes[-1]))
        rows.append(measure(shape, f"{len(docs):,} documents, " + "{mb:.1f} MB", docs, kind,
                            spacy_run, args.spacy_max_mb))
        print(_line(rows[-1]), file=sys.stderr, flush=True)
    records = real_briefings(args.real)
    if records:
        rows.append(measure_real(records))
        print(_line(rows[-1]), file=sys.stderr, flush=True)
    elif args.real > 0:
        print(f"{BRIEFINGS} is missing: no real-text row", file=sys.stderr)
    if args.markdown:
        print("| shape | input | statements | corroborate s | **MB/s** | spaCy s | spaCy MB/s "
              "| **× spaCy time** |")
        print("|---|---|---|---|---|---|---|---|")
        for shape, label, mb, n, seconds, spacy_seconds in rows:
            sp = (f"{spacy_seconds:.2f} | {mb / spacy_seconds:.2f} | "
                  f"**{seconds / spacy_seconds:.1f}**" if spacy_seconds
                  else "— | — | spaCy not run")
            print(f"| {shape} | {label} | {n:,} | {seconds:.2f} | **{mb / seconds:.2f}** | {sp} |")
    else:
        for row in rows:
            print(_line(row))


def _line(row: Row) -> str:
    shape, label, mb, n, seconds, spacy_seconds = row
    ratio = f"{seconds / spacy_seconds:5.1f}x spaCy ({mb / spacy_seconds:.2f} MB/s)" \
        if spacy_seconds else "spaCy not run"
    return (f"{shape:12s} {label:28s} {n:8,} statements {seconds:7.2f} s "
            f"{mb / seconds:5.2f} MB/s  {ratio}")


if __name__ == "__main__":
    main()
