"""Proof that an extractor change leaves every statement byte for byte as it was.

    .venv/bin/python bench/extract_identity.py --against main       # build REF's digests, compare
    .venv/bin/python bench/extract_identity.py --check bench/extract_identity.json
    .venv/bin/python bench/extract_identity.py --write FILE [--briefings 300]

A speed change to `extract/` or `text/` must not move one offset, source, stance or date; a
spot check on a few documents cannot show that, so this extracts a fixed set and digests every
statement's `to_dict()` (canonical JSON, SHA-256 per document), plus its `repr`, which also
covers the fields `to_dict` leaves out (span doc ids). The set:

- `kursk`: the bundled example corpus (examples/kursk), read as `corroborate add` reads it
  (HTML, WebVTT, SRT, Markdown, WARC records, sidecar metadata);
- `gold-wh`: every text of tests/gold/wh/*/documents.jsonl (public-domain briefings);
- `synthetic`: tests/synthetic_text.py's news, transcript and adversarial shapes, large enough
  to be extracted in several pieces (`PIECE_CHARS`), so the state carried across pieces is
  covered;
- `briefings`: N briefings spread evenly over ../shared/corpora/wh-briefings (when present;
  said clearly when not), each with its own date and kind, as `corroborate add` would see it.

`--against REF` checks out REF (default `main`) in a temporary git worktree, runs this script's
`--write` there with that checkout's `src/` first on the path (the texts and the sets are this
checkout's, so only the extractor differs), then compares. This is the check that survives
main moving: after `git rebase main`, `--against main` compares exactly "main" with "main plus
this branch". `--check FILE` compares with a committed digest file (bench/extract_identity.json
names the commit it was made from; it goes stale whenever extraction rules change on main).

Exit status 0 when identical, 1 when any document differs (each differing document is named,
with its first differing statement), 2 when the two sides did not cover the same documents.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import corroborate  # noqa: E402
from corroborate.extract import extract_statements  # noqa: E402
from corroborate.model import Statement  # noqa: E402

BRIEFINGS = REPO.parent / "shared" / "corpora" / "wh-briefings" / \
    "wh-briefings-2021-2024h1.jsonl.gz"
GOLD_WH = REPO / "tests" / "gold" / "wh"
# Large enough for several pieces of PIECE_CHARS (200,000 characters) each.
SYNTHETIC_CHARS = {"news": 450_000, "transcript": 450_000, "adversarial": 250_000}

#: One document to extract: set, key, text, published, kind, segments.
Item = tuple[str, str, str, str | None, str | None, tuple[Any, ...]]


def kursk() -> Iterator[Item]:
    from gold.score import documents
    for key, doc in documents().items():
        yield "kursk", key, doc.text, doc.published, doc.kind, tuple(doc.segments)


def gold_wh() -> Iterator[Item]:
    for path in sorted(GOLD_WH.glob("*/documents.jsonl")):
        with path.open(encoding="utf-8") as f:
            for line in f:
                doc = json.loads(line)
                yield ("gold-wh", f"{path.parent.name}/{doc['id']}", doc["text"],
                       doc.get("published"), doc.get("kind"), ())


def synthetic() -> Iterator[Item]:
    from synthetic_text import adversarial, news, transcript
    makers = {"news": (news, "news"), "transcript": (transcript, "transcript"),
              "adversarial": (adversarial, "news")}
    for name, (make, kind) in makers.items():
        yield "synthetic", name, make(SYNTHETIC_CHARS[name]), "2024-10-28", kind, ()


def briefings(count: int) -> Iterator[Item]:
    """`count` records spread evenly over the corpus (every k-th), so all years and both
    categories (briefings, remarks) are in."""
    if count <= 0:
        return
    if not BRIEFINGS.exists():
        print(f"briefings: {BRIEFINGS} is missing: the real-briefing set is not checked",
              file=sys.stderr)
        return
    with gzip.open(BRIEFINGS, "rt", encoding="utf-8") as f:
        records = f.readlines()
    step = max(1, len(records) // count)
    for n, line in enumerate(records[::step][:count]):
        doc = json.loads(line)  # ids repeat in the corpus (a page filed twice): number them
        yield ("briefings", f"{n * step:04d}-{doc['id']}", doc["text"],
               doc.get("published"), doc.get("kind"), ())


def digest(statements: list[Statement]) -> dict[str, Any]:
    as_json = json.dumps([st.to_dict() for st in statements], sort_keys=True,
                         ensure_ascii=False, separators=(",", ":"))
    as_repr = "\n".join(repr(st) for st in statements)
    return {"statements": len(statements),
            "to_dict": hashlib.sha256(as_json.encode("utf-8")).hexdigest(),
            "repr": hashlib.sha256(as_repr.encode("utf-8")).hexdigest()}


def build(count: int) -> dict[str, Any]:
    sets: dict[str, dict[str, Any]] = {}
    chars, started = 0, time.process_time()
    for group in (kursk(), gold_wh(), synthetic(), briefings(count)):
        for name, key, text, published, kind, segments in group:
            found = extract_statements(text, published, key, kind, segments)
            sets.setdefault(name, {})[key] = digest(found)
            chars += len(text)
    seconds = time.process_time() - started
    return {"made_from": _commit(Path(corroborate.__file__).resolve().parents[2]),
            "package": str(Path(corroborate.__file__).resolve().parent),
            "briefings": count, "characters": chars, "cpu_seconds": round(seconds, 2),
            "sets": sets}


def compare(mine: dict[str, Any], theirs: dict[str, Any], against: str) -> int:
    """Print the comparison; the exit status (see the module docstring)."""
    status, same, total = 0, 0, 0
    for name in sorted(set(mine["sets"]) | set(theirs["sets"])):
        a, b = mine["sets"].get(name, {}), theirs["sets"].get(name, {})
        if set(a) != set(b):
            print(f"{name}: documents differ: {len(set(a) - set(b))} only here, "
                  f"{len(set(b) - set(a))} only in {against}")
            status = max(status, 2)
        differing = [key for key in sorted(set(a) & set(b)) if a[key] != b[key]]
        statements = sum(a[key]["statements"] for key in set(a) & set(b))
        print(f"{name:10s} {len(set(a) & set(b)):5,} documents {statements:8,} statements: "
              + ("identical" if not differing else f"{len(differing)} DIFFER"))
        for key in differing[:20]:
            print(f"    differs: {key}: {b[key]['statements']} statements in {against}, "
                  f"{a[key]['statements']} here")
        if differing:
            status = max(status, 1)
        same += len(set(a) & set(b)) - len(differing)
        total += len(set(a) | set(b))
    print(f"{same:,} of {total:,} documents byte-identical to {against} "
          f"(here {mine['made_from']}, {mine['cpu_seconds']} CPU s; "
          f"{against}: {theirs['made_from']}, {theirs['cpu_seconds']} CPU s)")
    return status


def first_difference(key: str, count: int, ref_src: Path) -> None:
    """Name the first statement of `key` that differs, by extracting it on both sides."""
    for name, k, text, published, kind, segments in _all(count):
        if k != key:
            continue
        here = [st.to_dict() for st in extract_statements(text, published, key, kind, segments)]
        code = ("import json,sys;from corroborate.extract import extract_statements as e;"
                "a=json.load(sys.stdin);print(json.dumps([s.to_dict() for s in "
                "e(a[0],a[1],a[2],a[3])]))")
        env = {**os.environ, "PYTHONPATH": str(ref_src)}
        if segments:
            print(f"    ({name}/{key} has segments; first difference not shown)")
            return
        out = subprocess.run([sys.executable, "-c", code], input=json.dumps(
            [text, published, key, kind]), capture_output=True, text=True, env=env, check=True)
        there = json.loads(out.stdout)
        for n, (x, y) in enumerate(zip(here, there, strict=False)):
            if x != y:
                print(f"    first difference at statement {n}:\n      ref:  {y}\n      here: {x}")
                return
        print(f"    statement counts differ: {len(there)} in ref, {len(here)} here")
        return


def _all(count: int) -> Iterator[Item]:
    yield from kursk()
    yield from gold_wh()
    yield from synthetic()
    yield from briefings(count)


def _commit(root: Path) -> str:
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "src"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return out + ("+uncommitted" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


@contextmanager
def against(ref: str, count: int) -> Iterator[tuple[dict[str, Any], Path]]:
    """REF's digests (this script's `--write`, run on REF's `src/` in a temporary worktree)
    and that `src/`, which stays checked out until the block ends."""
    with tempfile.TemporaryDirectory(prefix="extract-identity-") as tmp:
        tree = Path(tmp) / "ref"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "--quiet",
                        str(tree), ref], check=True)
        try:
            out = Path(tmp) / "digest.json"
            env = {**os.environ, "PYTHONPATH": str(tree / "src")}
            subprocess.run([sys.executable, str(Path(__file__).resolve()), "--write", str(out),
                            "--briefings", str(count)], check=True, env=env)
            result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
            if not result["package"].startswith(str(tree)):
                raise SystemExit(f"the reference run imported {result['package']}, "
                                 f"not {tree}/src")
            yield result, tree / "src"
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force",
                            str(tree)], check=False)


def check(theirs: dict[str, Any], label: str, ref_src: Path | None) -> int:
    count = theirs.get("briefings", 0)
    mine = build(count)
    if "briefings" in theirs["sets"] and "briefings" not in mine["sets"]:
        theirs["sets"].pop("briefings")  # the corpus is missing here: said on stderr
    status = compare(mine, theirs, label)
    if status == 1 and ref_src is not None:
        shown = 0
        for name in sorted(mine["sets"]):
            for key, value in sorted(mine["sets"][name].items()):
                if shown < 3 and theirs["sets"].get(name, {}).get(key, value) != value:
                    print(f"  {name}/{key}:")
                    first_difference(key, count, ref_src)
                    shown += 1
    return status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--write", type=Path, help="write this checkout's digests to FILE")
    what.add_argument("--check", type=Path, help="compare with the digests in FILE")
    what.add_argument("--against", metavar="REF", help="compare with git REF's extractor")
    parser.add_argument("--briefings", type=int, default=300,
                        help="real briefings from ../shared/corpora/wh-briefings (default 300)")
    args = parser.parse_args()
    if args.write:
        result = build(args.briefings)
        args.write.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n",
                              encoding="utf-8")
        n = sum(len(s) for s in result["sets"].values())
        print(f"{n:,} documents, {result['characters'] / 1e6:.1f} M characters, "
              f"{result['cpu_seconds']} CPU s, from {result['made_from']} -> {args.write}")
        return
    if args.check:
        raise SystemExit(check(json.loads(args.check.read_text(encoding="utf-8")),
                               str(args.check), None))
    with against(args.against, args.briefings) as (theirs, ref_src):
        status = check(theirs, args.against, ref_src)
    raise SystemExit(status)


if __name__ == "__main__":
    main()
