"""Mutation fuzzer for every ingest reader: crashes, hangs and memory blow-ups, per reader.

Each worker process takes the valid seeds of `tests/seeds.py`, mutates them (byte flips,
inserts of format tokens, deletions, huge repetitions, cuts, splices of two seeds, gzip
wrapping) and runs the reader to the end. An `InputError` is a clean refusal; any other
exception (or a warning, which would print to the analyst's stderr) is a crash, saved with its
traceback to `--out`. A watchdog in the parent kills a
worker that spends longer than `--hang` seconds on one input (a hang in C code cannot be
interrupted from inside) and saves that input, which the worker kept in shared memory; an
input that takes more than `--bound` CPU seconds (plus 1 s per 200 KB) is counted as slow. The
worker runs under an address-space limit (`--memory`), so a blow-up is a MemoryError, saved
too. Mutations are drawn from a seeded RNG: a run is reproducible.

    .venv/bin/python bench/fuzz_readers.py --inputs 1000000 --seconds 3600 --jobs 2

`--engine atheris` runs Google's coverage-guided atheris (libFuzzer; `pip install atheris`)
over the same readers and seeds instead: one child per reader, `-timeout` for hangs,
`-rss_limit_mb` for blow-ups, artifacts (crash-*, timeout-*, oom-*) under `--out/READER/`.
There `--seconds` is fuzzing time; instrumenting the loaded code adds ~30 s per reader.

Crashes and hangs are printed per reader and written to `--out` (default `fuzz-findings/`).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import gzip
import json
import mmap
import multiprocessing as mp
import random
import re
import resource
import struct
import subprocess
import sys
import time
import traceback
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from corroborate.errors import InputError  # noqa: E402
from seeds import runner, seeds  # noqa: E402

TOKENS = [b"\n", b"\r\n", b"\r\n\r\n", b" ", b"<v ", b"<", b">", b"#", b"# ", b"[", b"]", b"{",
          b"}", b'"', b'"\\ud800"', b'"\\u0000"', b"\x00", b"\xff", b"\xef\xbb\xbf", b"\xff\xfe",
          b"\xfe\xff", b"\xff\xfe\x00\x00", b"99999999999999999999", b"-1", b"1" * 4400,
          b"\x1f\x8b\x08\x00", b"WARC/1.0\r\n", b"Content-Length: 0\r\n",
          b"WARC-Type: response\r\n",
          b"Content-Type: text/html\r\n", b"HTTP/1.1 200 OK\r\n", b"Transfer-Encoding: chunked\r\n",
          b"Content-Encoding: gzip\r\n", b"-->", b"00:00:01.000 --> 00:00:02.000\n", b"WEBVTT\n",
          b"---\n", b"<html><body><p>", b"<meta charset=", b"obj", b"endobj", b"stream\n",
          b"endstream", b"/FlateDecode", b"/Length 99999999", b"xref\n0 65535\n", b"trailer",
          b"startxref", b"%%EOF", b"\\", b",", b"\t", b'"path": ', b'"text": ']
_SLOT = 4 * 1024 * 1024  # the largest input the watchdog can save
_FORK = mp.get_context("fork")


def mutate(rng: random.Random, seed: bytes, others: list[bytes]) -> bytes:
    data = bytearray(seed)
    for _ in range(rng.choice((1, 1, 2, 3, 5, 8))):
        pos = rng.randint(0, len(data))
        op = rng.random()
        if op < 0.25 and data:
            data[min(pos, len(data) - 1)] = rng.randrange(256)
        elif op < 0.45:
            data[pos:pos] = rng.choice(TOKENS) * rng.choice((1, 1, 2, 10, 200))
        elif op < 0.6:
            del data[pos:pos + rng.randint(1, 64)]
        elif op < 0.7:
            chunk = bytes(data[pos:pos + rng.randint(1, 16)]) or b"\n"
            # 50 KB repetitions are rare: they cost 50x the time of an ordinary input, and
            # tests/test_fuzz_readers.py runs 200 KB ones over every reader anyway
            times = 50_000 // len(chunk) if rng.random() < 0.05 else rng.choice((2, 10, 100, 1000))
            data[pos:pos] = chunk * times
        elif op < 0.8:
            del data[pos:]
        elif op < 0.9:
            other = rng.choice(others)
            at = rng.randint(0, len(other))
            data[pos:] = other[at:]
        else:
            data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    if rng.random() < 0.03:
        data = bytearray(gzip.compress(bytes(data), 1))
    return bytes(data[:_SLOT - 16])


def _save(out: Path, reader: str, kind: str, raw: bytes, detail: str) -> str:
    folder = out / reader
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{kind}-{len(list(folder.glob(f'{kind}-*.bin')))}"
    (folder / f"{stem}.bin").write_bytes(raw)
    (folder / f"{stem}.txt").write_text(detail)
    return str(folder / f"{stem}.bin")


def worker(reader: str, budget: int, deadline: float, rng_seed: int, slot: mmap.mmap,
           memory: int, bound: float, out: str, queue: mp.Queue) -> None:
    """Run `budget` inputs (or until `deadline`); report counts and findings on `queue`."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    warnings.simplefilter("error")  # a stray warning would print to the analyst's stderr
    rng = random.Random(rng_seed)
    pool = list(seeds().values())
    seed = seeds()[reader]
    read = runner(reader)
    counts = {"inputs": 0, "crashes": 0, "slow": 0, "memory": 0, "clean": 0, "refused": 0}
    first: dict[str, str] = {}
    signatures: set[str] = set()
    while counts["inputs"] < budget and time.monotonic() < deadline:
        raw = mutate(rng, seed, pool) if rng.random() < 0.95 else rng.randbytes(
            rng.randint(0, 2000))
        slot[16:16 + len(raw)] = raw
        slot[0:16] = struct.pack("<Qd", len(raw), time.monotonic())
        counts["inputs"] += 1
        started = time.process_time()  # CPU time: the machine is shared, wall time is noise
        try:
            read(raw)
            counts["clean"] += 1
        except InputError:
            counts["refused"] += 1
        except MemoryError:
            counts["memory"] += 1
            first.setdefault("memory", _save(Path(out), reader, "memory", raw, "MemoryError"))
        except Exception as exc:  # a crash: what this harness is for
            counts["crashes"] += 1
            tb = traceback.format_exc()
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            signature = f"{type(exc).__name__} at {frame.filename}:{frame.lineno}"
            if signature not in signatures:
                signatures.add(signature)
                first.setdefault("crash", signature)
                _save(Path(out), reader, "crash", raw, tb)
        slot[8:16] = struct.pack("<d", 0.0)
        elapsed = time.process_time() - started
        if elapsed > bound + len(raw) / 200_000:
            counts["slow"] += 1
            first.setdefault("slow", _save(Path(out), reader, "slow", raw,
                                           f"{elapsed:.2f} s CPU for {len(raw)} bytes"))
    queue.put(("done", reader, {"counts": counts, "first": first,
                                "signatures": sorted(signatures)}))


def run_reader(reader: str, budget: int, seconds: float, args: argparse.Namespace,
               rng_seed: int) -> dict[str, object]:
    """Fuzz one reader; restart the worker after a hang until its budget is spent."""
    totals: dict[str, int] = {}
    hangs: list[str] = []
    signatures: set[str] = set()
    first: dict[str, str] = {}
    stop = time.monotonic() + seconds
    left = budget
    restarts = 0
    while left > 0 and time.monotonic() < stop:
        slot = mmap.mmap(-1, _SLOT)
        queue: mp.Queue = _FORK.Queue()
        proc = _FORK.Process(target=worker, args=(reader, left, stop, rng_seed + restarts, slot,
                                               args.memory, args.bound, args.out, queue))
        proc.start()
        result = None
        while result is None:
            try:
                kind, _, payload = queue.get(timeout=0.5)
            except Exception:
                kind, payload = "", None
            if kind == "done":
                result = payload
            elif not proc.is_alive() and queue.empty():
                break
            size, began = struct.unpack("<Qd", slot[0:16])
            if began and time.monotonic() - began > args.hang:
                proc.kill()
                hangs.append(_save(Path(args.out), reader, "hang", bytes(slot[16:16 + size]),
                                   f"watchdog: over {args.hang} s on one input"))
                break
        proc.join()
        done = 0
        if result is not None:
            for key, value in result["counts"].items():
                totals[key] = totals.get(key, 0) + value
            done = result["counts"]["inputs"]
            signatures.update(result["signatures"])
            for key, value in result["first"].items():
                first.setdefault(key, value)
        elif proc.exitcode not in (0, None):
            totals["worker_deaths"] = totals.get("worker_deaths", 0) + 1
            done = 1000  # its counts died with it; count a share and go on
        left -= max(done, 1)
        restarts += 1
    return {"reader": reader, **totals, "hangs": len(hangs), "crash_kinds": sorted(signatures),
            "first": first}


def atheris_child(reader: str, libfuzzer_args: list[str]) -> None:
    """Inside a child: fuzz one reader with atheris, its code instrumented for coverage."""
    import atheris

    read = runner(reader)
    atheris.instrument_all()
    warnings.simplefilter("error")

    def one(data: bytes) -> None:
        with contextlib.suppress(InputError):
            read(data)

    atheris.Setup([sys.argv[0], *libfuzzer_args], one)
    atheris.Fuzz()


def run_atheris(reader: str, budget: int, seconds: float, args: argparse.Namespace,
                rng_seed: int) -> dict[str, object]:
    out = Path(args.out) / reader
    corpus = Path(args.out) / "corpus" / reader
    corpus.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    (corpus / "seed").write_bytes(seeds()[reader])
    command = [sys.executable, __file__, "--atheris-child", reader, str(corpus),
               f"-runs={budget}", f"-max_total_time={max(int(seconds), 1)}",
               f"-timeout={int(args.hang)}", f"-rss_limit_mb={args.memory >> 20}",
               f"-seed={rng_seed}", "-max_len=65536", f"-artifact_prefix={out}/",
               "-print_final_stats=1"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    ran = re.search(r"stat::number_of_executed_units: (\d+)", done.stderr)
    found = {kind: sorted(p.name for p in out.glob(f"{kind}-*"))
             for kind in ("crash", "timeout", "oom", "slow-unit")}
    return {"reader": reader, "inputs": int(ran.group(1)) if ran else 0,
            "crashes": len(found["crash"]), "hangs": len(found["timeout"]),
            "memory": len(found["oom"]), "slow": len(found["slow-unit"]),
            "crash_kinds": [line for line in done.stderr.splitlines()
                            if "Uncaught Python exception" in line or "Error:" in line][:3]}


def _inputs(row: dict[str, object]) -> int:
    return int(row.get("inputs", 0))  # type: ignore[call-overload]


def _merge(into: dict[str, object], row: dict[str, object]) -> None:
    for key, value in row.items():
        if key == "crash_kinds":
            into[key] = sorted(set(into[key]) | set(value))  # type: ignore[call-overload]
        elif key == "first":
            into.setdefault("first", {})
            for kind, path in value.items():  # type: ignore[attr-defined]
                into["first"].setdefault(kind, path)  # type: ignore[attr-defined]
        elif isinstance(value, int):
            into[key] = int(into.get(key, 0)) + value  # type: ignore[call-overload]


def main() -> None:
    if sys.argv[1:2] == ["--atheris-child"]:
        atheris_child(sys.argv[2], sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("mutate", "atheris"), default="mutate")
    parser.add_argument("--inputs", type=int, default=100_000, help="total inputs, all readers")
    parser.add_argument("--seconds", type=float, default=600, help="total wall-clock budget")
    parser.add_argument("--readers", default=",".join(sorted(seeds())))
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--hang", type=float, default=30.0,
                        help="wall seconds on one input that count as a hang (worker killed)")
    parser.add_argument("--bound", type=float, default=2.0,
                        help="CPU seconds (plus 1 s per 200 KB) over which an input is 'slow'")
    parser.add_argument("--memory", type=int, default=2 * 1024**3, help="worker address space")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default="fuzz-findings")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    readers = args.readers.split(",")
    started = time.monotonic()
    deadline = started + args.seconds
    merged: dict[str, dict[str, object]] = {r: {"reader": r, "hangs": 0, "crash_kinds": []}
                                            for r in readers}
    # Passes: the inputs left are shared among the readers that spent their share within
    # their time, so fast readers take up what slow ones (HTML, PDF) cannot reach.
    open_readers, passes = readers, 0
    while open_readers and time.monotonic() < deadline - 5:
        left = args.inputs - sum(_inputs(m) for m in merged.values())
        if left <= 0:
            break
        share = max(left // len(open_readers), 1)
        seconds = (deadline - time.monotonic()) * min(args.jobs, len(open_readers)) \
            / len(open_readers)
        jobs = [(r, share, seconds, args, args.seed + 1000 * i + 100_000 * passes)
                for i, r in enumerate(open_readers)]
        # Threads only supervise: each reader runs in its own forked worker process.
        engine = run_atheris if args.engine == "atheris" else run_reader
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            rows = list(pool.map(lambda job, run=engine: run(*job), jobs))
        for row in rows:
            _merge(merged[str(row["reader"])], row)
        open_readers = [str(row["reader"]) for row in rows if _inputs(row) >= share]
        passes += 1
    rows = list(merged.values())
    elapsed = time.monotonic() - started
    if args.json:
        print(json.dumps({"seconds": round(elapsed, 1), "readers": rows}, indent=1))
        return
    print("| reader | inputs | clean | refused | crashes | hangs | slow | memory |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['reader']} | {row.get('inputs', 0)} | {row.get('clean', '–')} | "
              f"{row.get('refused', '–')} | {row.get('crashes', 0)} | {row['hangs']} | "
              f"{row.get('slow', 0)} | {row.get('memory', 0)} |")
    total = sum(_inputs(r) for r in rows)
    print(f"\n{total} inputs in {elapsed:.0f} s")
    for row in rows:
        for kind in row["crash_kinds"]:  # type: ignore[union-attr]
            print(f"crash in {row['reader']}: {kind}")


if __name__ == "__main__":
    main()
