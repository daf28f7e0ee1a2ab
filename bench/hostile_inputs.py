"""Hostile inputs through the real CLI: bombs, huge lines, cut archives, and `verify` time.

Each case writes its input to a temp folder, runs `corroborate add --json --no-extract good.txt
CASE good2.txt` in a child process, and reports its wall time, peak RSS, exit code, how many
documents were added and the one-line message. Then it cuts a 5-record WARC, WARC.gz and
JSONL.gz at every byte position and counts the outcomes, and times `verify` on a 2,000-row CSV.

    .venv/bin/python bench/hostile_inputs.py [--skip-sweep] [--json]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

_PEAK = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
         "sys.exit(r.returncode)")
_MIB = 1 << 20


def _members(unit: bytes, count: int) -> bytes:
    """`count` × `unit`·1 MiB as concatenated gzip members: a bomb built in milliseconds."""
    return gzip.compress(unit * _MIB, 9) * count


def bombs() -> dict[str, bytes]:
    head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x.test/\r\n"
            b"Content-Type: application/http; msgtype=response\r\n"
            b"Content-Length: %d\r\n\r\n" % (3000 * _MIB))
    return {
        "zeros-3GB.warc.gz": gzip.compress(head) + _members(b"\0", 3000),
        "row-2GB.jsonl.gz": gzip.compress(b'{"text": "') + _members(b"a", 2000)
        + gzip.compress(b'"}\n'),
        "same-row-2M.jsonl.gz": gzip.compress(b'{"text": "same row"}\n' * 50_000, 9) * 40,
        "one-line-30MB.txt": b"word " * 6_000_000,
        "hashes-60KB.md": b"# a" + b"#" * 60_000 + b"x",
        "voices-90KB.vtt": b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + b"<v " * 30_000,
        "paragraphs-200KB.html": b"<html><body>" + b"<p>a" * 50_000,
        "deep-5000.jsonl": b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}\n",
        "false-length.warc": b"WARC/1.0\r\nWARC-Type: response\r\n"
                             b"Content-Length: 99999999999999999999\r\n\r\nHTTP/1.1 200 OK\r\n\r\n",
    }


def add(paths: list[Path], db: Path) -> dict[str, object]:
    command = [sys.executable, "-c", _PEAK, sys.executable, "-m", "corroborate", "--db",
               str(db), "add", "--json", "--no-extract", *map(str, paths)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - started
    summary = json.loads(done.stdout.splitlines()[-1]) if done.stdout.strip() else {}
    return {"seconds": round(seconds, 2), "rss_mb": round(int(done.stderr.split()[-1]) / 1024),
            "exit": done.returncode, "added": summary.get("added"),
            "failures": [f.rsplit("/", 1)[-1] for f in summary.get("failures", [])]}


def warc(texts: list[bytes], compressed: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compressed)
    for n, text in enumerate(texts):
        record = writer.create_warc_record(
            f"https://x.test/{n}", "response", payload=io.BytesIO(text), length=len(text),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/plain")],
                                          protocol="HTTP/1.1"))
        writer.write_record(record)
    return out.getvalue()


def sweep(name: str, raw: bytes, texts: list[bytes]) -> dict[str, int]:
    """Cut `raw` at every byte; classify what the reader made of each cut.

    `shorter_valid` is a cut exactly after a whole record (or gzip member): the file that is
    left is a valid, shorter archive and every record in it is kept; `silent_loss` would be a
    record whose bytes are all there, or a cut record, that vanished without a message.
    """
    from corroborate.errors import InputError
    from corroborate.ingest.readers.tabular import read_jsonl
    from corroborate.ingest.readers.warc import read_warc
    from corroborate.ingest.record import Record

    read = read_jsonl if name.endswith("jsonl.gz") else read_warc
    outcome = {"cuts": 0, "all_kept": 0, "reported_with_count": 0, "shorter_valid": 0,
               "silent_loss": 0, "crash": 0}
    total = len(texts)
    ends = _record_ends(name, raw, texts)
    for cut in range(1, len(raw)):
        outcome["cuts"] += 1
        try:
            items = list(read(raw[:cut], name))
        except InputError as exc:
            items = [exc]
        except Exception:
            outcome["crash"] += 1
            continue
        kept = sum(isinstance(i, Record) for i in items)
        said = [i.problem for i in items if isinstance(i, InputError)]
        if kept == total and not said:
            outcome["all_kept"] += 1
        elif any("truncated" in s and re.search(r"kept \d+|no (records|rows) kept", s)
                 for s in said):
            outcome["reported_with_count"] += 1
        elif not said and kept == sum(1 for end in ends if end <= cut):
            outcome["shorter_valid"] += 1
        else:
            outcome["silent_loss"] += 1
    return outcome


def _record_ends(name: str, raw: bytes, texts: list[bytes]) -> list[int]:
    """Where each record is whole: its block's end, or its gzip member's end."""
    import zlib

    if not name.endswith(".gz"):
        return [raw.index(t) + len(t) for t in texts]
    ends, at = [], 0
    while at < len(raw):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        inflater.decompress(raw[at:])
        at = len(raw) - len(inflater.unused_data)
        ends.append(at)
    return ends if len(ends) == len(texts) else [len(raw)] * len(texts)


def verify_time(folder: Path) -> dict[str, float]:
    rows = folder / "rows.csv"
    with open(rows, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "url", "published"])
        for n in range(2000):
            writer.writerow([f"Row {n}: the ministry said {n} troops had left the region.",
                             f"https://x.test/{n}", "2024-10-20"])
    db = folder / "verify.db"
    cli = [sys.executable, "-m", "corroborate", "--db", str(db)]
    started = time.perf_counter()
    subprocess.run([*cli, "add", "--no-extract", str(rows)], check=True, capture_output=True)
    added = time.perf_counter() - started
    started = time.perf_counter()
    subprocess.run([*cli, "verify"], check=True, capture_output=True)
    return {"add_s": round(added, 2), "verify_s": round(time.perf_counter() - started, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-sweep", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="corroborate-hostile-") as tmp:
        folder = Path(tmp)
        good, good2 = folder / "good.txt", folder / "good2.txt"
        good.write_text("Kim Song called the reports groundless rumours.")
        good2.write_text("Pentagon spokeswoman Sabrina Singh said 10,000 troops were sent.")
        for name, raw in bombs().items():
            path = folder / name
            path.write_bytes(raw)
            results[name] = {"mb": round(len(raw) / 1e6, 1),
                             **add([good, path, good2], folder / f"{name}.db")}
            path.unlink()
        if not args.skip_sweep:
            texts = [f"Record {n} says the troops had left on day {n}.".encode()
                     for n in range(5)]
            rows = b"".join(json.dumps({"text": t.decode()}).encode() + b"\n" for t in texts)
            for name, raw in (("cut.warc", warc(texts, False)), ("cut.warc.gz", warc(texts, True)),
                              ("cut.jsonl.gz", gzip.compress(rows))):
                results[name] = sweep(name, raw, texts)
        results["verify-2000-row-csv"] = verify_time(folder)
    if args.json:
        print(json.dumps(results, indent=1))
        return
    for name, row in results.items():
        print(f"{name}: {json.dumps(row)}")


if __name__ == "__main__":
    main()
