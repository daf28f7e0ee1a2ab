"""Workbench latency on a 100,000-statement ledger: p50/p99 of the main pages and API calls,
then requests/s from a load generator on localhost, alone and while an `add` runs.

    .venv/bin/python bench/web_latency.py [--statements 100000] [--keep DIR] [--workers N]
        [--corrections K] [--json]

The ledger is built from generated documents (bench/gen_corpus.py: text, HTML, WARC) with
`add`, five analyst propositions and `link`, as a user would; `--keep DIR` keeps it there and
reuses it on the next run. The server is `corroborate serve` in its own process, reached over
real HTTP on 127.0.0.1 with keep-alive connections. Each URL is asked once cold (the first
proposition page computes and caches its assessment), then `--repeat` times in a row for
p50/p99. Then the first view of the biggest proposition after each of `--corrections` link
corrections of it (its assessment is recomputed) and of another proposition (it need not
be). The load phase runs `--clients` threads over the whole URL mix for `--seconds`, once
with the ledger idle, once over a varied mix of the same kinds of request that are almost
never repeats (random offsets, filters, sources, documents and search words drawn from the
ledger: what kept counts and rendered fragments cannot answer), and once while
`corroborate add` ingests another corpus into it. The
corrections and the added corpus stay in a kept ledger: copy it first to compare two runs.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corroborate import open_ledger
from gen_corpus import generate
from link_scale import PROPOSITIONS

# Generated documents carry ~13.8 statements each (bench/RESULTS.md, link_scale).
STATEMENTS_PER_DOCUMENT = 13.8


def build(folder: Path, statements: int, method: str | None = None) -> Path:
    db = folder / "web.db"
    if db.exists():
        return db
    n = int(statements / STATEMENTS_PER_DOCUMENT) + 1
    generate(folder / "corpus", n * 4 // 10, n * 4 // 10, n - 2 * (n * 4 // 10))
    with open_ledger(str(db), folder / "archive") as ledger:
        t = time.perf_counter()
        summary = ledger.add([str(folder / "corpus")])
        print(f"add: {summary.added} documents, {summary.statements} statements in "
              f"{time.perf_counter() - t:.0f} s", file=sys.stderr)
        ledger.propose(PROPOSITIONS)
        t = time.perf_counter()
        ledger.link(force=True, method=method)
        print(f"link: {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Client:
    """One keep-alive HTTP connection; `get` returns (status, seconds, bytes)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def post_json(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        """A correction, with the CSRF cookie the server hands out (double submit)."""
        self.conn.request("GET", "/api/summary")
        response = self.conn.getresponse()
        response.read()
        cookie = response.getheader("set-cookie", "").split(";")[0]
        csrf = cookie.partition("=")[2]
        self.conn.request("POST", path, body=json.dumps(body),
                          headers={"Content-Type": "application/json", "Cookie": cookie,
                                   "X-CSRF-Token": csrf})
        response = self.conn.getresponse()
        return response.status, json.loads(response.read())

    def get(self, path: str) -> tuple[int, float, int]:
        t = time.perf_counter()
        try:
            self.conn.request("GET", path)
            response = self.conn.getresponse()
            body = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
            raise
        return response.status, time.perf_counter() - t, len(body)


def urlopen_json(port: int, path: str) -> bytes:
    c = Client(port)
    c.conn.request("GET", path)
    return c.conn.getresponse().read()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def urls(port: int) -> list[str]:
    c = Client(port)

    def fetch(path: str) -> Any:
        c.conn.request("GET", path)
        return json.loads(c.conn.getresponse().read())

    source = fetch("/api/sources?limit=1")["items"][0]["id"]
    total = fetch("/api/summary")["statements"]
    documents = fetch("/api/summary")["documents"]
    doc = fetch(f"/api/documents?limit=1&offset={documents // 2}")["items"][0]["id"]
    biggest = max(fetch("/api/propositions")["items"], key=lambda p: sum(p["counts"].values()))
    pid = biggest["id"]
    return [
        "/propositions", f"/propositions/{pid}", f"/propositions/{pid}?stance=deny",
        f"/propositions/{pid}?text=kursk&since=2024-10-15",
        f"/propositions/{pid}?offset={total // 20}",
        "/sources", f"/sources/{source}", "/documents", f"/documents?offset={documents // 2}",
        f"/documents/{doc}", "/search?q=troops", "/search?q=%22satellite+images%22",
        "/api/propositions", f"/api/propositions/{pid}",
        f"/api/statements?proposition={pid}&limit=50",
        f"/api/statements?limit=50&offset={total // 2}", "/api/statements?text=kursk",
        "/api/sources", f"/api/sources/{source}", "/api/documents", f"/api/documents/{doc}",
        "/api/search?q=kursk",
    ]


def varied_urls(port: int, count: int, seed: int = 7) -> list[str]:
    """`count` requests of the same kinds as `urls` that are (almost) never repeats: random
    offsets, stances, sources, documents and words drawn from the ledger itself. Why: with a
    fixed mix of 22 URLs every kept count, ranking and rendered fragment is found at once, so
    that mix says little about an analyst paging and filtering through a ledger."""
    import random

    rng = random.Random(seed)
    c = Client(port)

    def fetch(path: str) -> Any:
        c.conn.request("GET", path)
        return json.loads(c.conn.getresponse().read())

    summary = fetch("/api/summary")
    props = [(p["id"], sum(p["counts"].values())) for p in fetch("/api/propositions")["items"]]
    docs: list[str] = []
    for _ in range(5):
        at = rng.randrange(max(1, summary["documents"] - 200))
        docs += [d["id"] for d in fetch(f"/api/documents?limit=200&offset={at}")["items"]]
    sources = [s["id"] for s in fetch("/api/sources?limit=200")["items"]]
    words: set[str] = set()
    for _ in range(5):
        at = rng.randrange(max(1, summary["statements"] - 200))
        for item in fetch(f"/api/statements?limit=200&offset={at}")["items"]:
            words.update(w.strip(".,;:'\"()").lower() for w in item["content"].split()
                         if len(w) >= 5 and w.isalpha())
    vocabulary = sorted(words)
    stances = ("affirm", "deny", "uncertain")

    def one() -> str:
        pid, n = rng.choice(props)
        word = rng.choice(vocabulary)
        offset = rng.randrange(max(1, n // 50)) * 50
        kind = rng.randrange(12)
        return [
            f"/propositions/{pid}?offset={offset}",
            f"/propositions/{pid}?stance={rng.choice(stances)}&offset={offset // 3 // 50 * 50}",
            f"/propositions/{pid}?text={word}",
            f"/propositions/{pid}?source={rng.choice(sources)}&offset={offset // 10 // 50 * 50}",
            f"/documents?offset={rng.randrange(summary['documents'])}",
            f"/documents/{rng.choice(docs)}",
            f"/search?q={word}",
            f"/sources/{rng.choice(sources)}?offset={rng.randrange(20) * 50}",
            f"/api/statements?limit=50&offset={rng.randrange(summary['statements'])}",
            f"/api/statements?text={word}",
            f"/api/statements?proposition={pid}&stance={rng.choice(stances)}&offset={offset // 3}",
            f"/api/documents/{rng.choice(docs)}",
        ][kind]

    return [one() for _ in range(count)]


def after_corrections(port: int, pid: str, other: str, trials: int) -> dict[str, Any]:
    """The first view of the biggest proposition after a correction, which changes what its
    assessment is computed from (cold), `trials` times: a link of `pid` flipped (its own
    page must recompute), and a link of `other` flipped (its page need not)."""
    c = Client(port)
    rows = c.get(f"/api/statements?proposition={pid}&limit={trials}")
    assert rows[0] == 200
    c.conn.request("GET", f"/api/statements?proposition={pid}&limit={trials}")
    own = [s["id"] for s in json.loads(c.conn.getresponse().read())["items"]]
    c.conn.request("GET", f"/api/statements?proposition={other}&limit={trials}")
    theirs = [s["id"] for s in json.loads(c.conn.getresponse().read())["items"]]
    out: dict[str, Any] = {}
    for name, ids, target in (("own", own, pid), ("other", theirs, other)):
        pages, api = [], []
        for sid in ids:
            status, _ = c.post_json("/api/links", {"statement_id": sid, "proposition_id": target,
                                                   "stance": "uncertain", "author": "bench"})
            assert status == 200, status
            pages.append(c.get(f"/propositions/{pid}")[1])
            api.append(c.get(f"/api/propositions/{pid}")[1])
        out[f"correction_on_{name}"] = {
            "page_ms": [round(t * 1000, 1) for t in pages],
            "api_ms": [round(t * 1000, 1) for t in api]}
    return out


def sequential(port: int, paths: list[str]) -> dict[str, Any]:
    """Each request once, one client: p50 / p99 / max per kind of request (ms)."""
    c = Client(port)
    kinds: dict[str, list[float]] = {}
    for path in paths:
        status, took, _ = c.get(path)
        assert status == 200, (path, status)
        kinds.setdefault(kind_of(path), []).append(took)
    return {k: {"n": len(v), "p50_ms": round(statistics.median(v) * 1000, 1),
                "p99_ms": round(percentile(v, 0.99) * 1000, 1),
                "max_ms": round(max(v) * 1000, 1)} for k, v in sorted(kinds.items())}


def kind_of(path: str) -> str:
    """`/documents/{id}?x=1` → `/documents/{id}`; `/api/statements?...` → `/api/statements`."""
    parts = path.split("?")[0].split("/")
    head = 3 if parts[1] == "api" else 2
    return "/".join(parts[:head]) + ("/{id}" if len(parts) > head else "")


def load(port: int, paths: list[str], clients: int, seconds: float, disjoint: bool = False
         ) -> dict[str, Any]:
    """`clients` threads for `seconds` over `paths`: each client cycles through all of them
    from its own start, or with `disjoint` takes every `clients`-th one (no two clients ask
    the same request of a varied list). Also the p99 by kind of request (path, no query)."""
    times: list[float] = []
    kinds: dict[str, list[float]] = {}
    errors = [0]
    asked: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(k: int) -> None:
        c = Client(port)
        i = k
        mine: list[tuple[str, float]] = []
        while time.monotonic() < stop:
            path = paths[i % len(paths)]
            try:
                status, took, _ = c.get(path)
            except (http.client.HTTPException, OSError):
                status, took = 0, 0.0
            if status != 200:
                with lock:
                    errors[0] += 1
            else:
                mine.append((path, took))
            i += clients if disjoint else 1
        with lock:
            times.extend(t for _, t in mine)
            asked.extend(p for p, _ in mine)
            for p, t in mine:
                kinds.setdefault(kind_of(p), []).append(t)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {"requests": len(times), "errors": errors[0], "seconds": round(elapsed, 1),
            "requests_per_second": round(len(times) / elapsed, 1),
            "p50_ms": round(percentile(times, 0.5) * 1000, 1) if times else None,
            "p99_ms": round(percentile(times, 0.99) * 1000, 1) if times else None,
            "distinct_requests": len(set(asked)),
            "p99_ms_by_kind": {k: (len(v), round(percentile(v, 0.99) * 1000, 1))
                               for k, v in sorted(kinds.items())}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the ledger in this folder")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--add-documents", type=int, default=600,
                        help="documents the concurrent `add` ingests during the load phase")
    parser.add_argument("--workers", type=int, default=1, help="`serve --workers`")
    parser.add_argument("--link-method", choices=("rules", "learned"), default=None,
                        help="the linker that builds a new ledger (default: link's own; "
                             "rules takes minutes where learned embeds every statement, "
                             "about an hour on a loaded 2-core box; the pages read links "
                             "the same whichever made them)")
    parser.add_argument("--corrections", type=int, default=3,
                        help="link corrections made to time the first view after each "
                             "(0: none; they stay in the kept ledger)")
    parser.add_argument("--varied", type=int, default=300,
                        help="varied requests asked one at a time (p50/p99 by kind)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="corroborate-web-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db = build(folder, args.statements, args.link_method)
        with open_ledger(str(db), folder / "archive") as ledger:
            counts = ledger.summary()
        port = free_port()
        env = {**os.environ, "CORROBORATE_ARCHIVE": str(folder / "archive")}
        server = subprocess.Popen([sys.executable, "-m", "corroborate", "--db", str(db),
                                   "serve", "--port", str(port),
                                   *(["--workers", str(args.workers)] if args.workers > 1
                                     else [])], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            assert server.stdout is not None
            print(server.stdout.readline().strip(), file=sys.stderr)
            deadline = time.monotonic() + 30
            while True:
                try:
                    Client(port).get("/api/summary")
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            paths = urls(port)
            c = Client(port)
            rows = []
            for path in paths:
                status, cold, size = c.get(path)
                assert status == 200, (path, status)
                warm = [c.get(path)[1] for _ in range(args.repeat)]
                rows.append({"path": path, "bytes": size, "cold_ms": round(cold * 1000, 1),
                             "p50_ms": round(statistics.median(warm) * 1000, 1),
                             "p99_ms": round(percentile(warm, 0.99) * 1000, 1)})
                print(f"{rows[-1]['p50_ms']:8.1f} {rows[-1]['p99_ms']:8.1f} "
                      f"{rows[-1]['cold_ms']:8.1f}  {path}", file=sys.stderr)
            cold: dict[str, Any] = {}
            if args.corrections:
                pid = paths[1].rsplit("/", 1)[1]
                props = json.loads(urlopen_json(port, "/api/propositions"))["items"]
                other = next(p["id"] for p in props if p["id"] != pid
                             and sum(p["counts"].values()) >= args.corrections)
                cold = after_corrections(port, pid, other, args.corrections)
                print(f"first view of {pid} after a correction: {cold}", file=sys.stderr)
                warm = Client(port)  # `c` idled past the keep-alive meanwhile
                for path in paths:  # warm again what the corrections made cold
                    warm.get(path)
            idle = load(port, paths, args.clients, args.seconds)
            print(f"load, idle ledger: {idle}", file=sys.stderr)
            # The varied mix reaches every proposition and source: their first views (each
            # assesses all its links once per state of them) are timed here, on their own.
            t = time.perf_counter()
            warm = Client(port)
            props = json.loads(urlopen_json(port, "/api/propositions"))["items"]
            firsts = {p["id"]: round(warm.get(f"/propositions/{p['id']}")[1] * 1000, 1)
                      for p in props}
            sources = json.loads(urlopen_json(port, "/api/sources?limit=200"))["items"]
            for source in sources:
                warm.get(f"/sources/{source['id']}")
            warm_up = {"propositions_first_view_ms": firsts, "sources": len(sources),
                       "seconds": round(time.perf_counter() - t, 1)}
            print(f"first views of every proposition and source: {warm_up}", file=sys.stderr)
            single = sequential(port, varied_urls(port, args.varied, seed=3))
            print(f"varied requests, one client: {single}", file=sys.stderr)
            varied = load(port, varied_urls(port, 100_000), args.clients, args.seconds,
                          disjoint=True)
            print(f"load, idle ledger, varied requests: {varied}", file=sys.stderr)
            extra = folder / "extra"
            if not extra.exists():
                n = args.add_documents
                generate(extra, n // 2, n - n // 2, 0, seed=11)
            adder = subprocess.Popen([sys.executable, "-m", "corroborate", "--db", str(db),
                                      "add", str(extra), "--json"], env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            time.sleep(1.0)  # let it get past reading into writing batches
            busy = load(port, paths, args.clients, args.seconds)
            busy["add_still_running_at_end"] = adder.poll() is None
            out, _ = adder.communicate(timeout=900)
            busy["add"] = {k: v for k, v in json.loads(out).items()
                           if k in ("added", "statements", "seconds")}
            print(f"load, during add: {busy}", file=sys.stderr)
        finally:
            server.terminate()
            server.wait(10)
        result = {"statements": counts["statements"], "documents": counts["documents"],
                  "pages": rows, "after_corrections": cold, "load_idle": idle,
                  "warm_up": warm_up, "varied_one_client": single,
                  "load_idle_varied": varied,
                  "load_during_add": busy, "clients": args.clients, "repeat": args.repeat,
                  "workers": args.workers, "load_average": os.getloadavg()}
        if args.json:
            print(json.dumps(result, indent=2))
        else:
            print(f"{counts['statements']} statements, {counts['documents']} documents")
            print("| page | p50 ms | p99 ms | first (cold) ms |")
            print("|---|---|---|---|")
            for r in rows:
                print(f"| `{r['path']}` | {r['p50_ms']} | {r['p99_ms']} | {r['cold_ms']} |")
            print(f"first view after a correction: {cold}")
            print(f"first views of every proposition and source: {warm_up}")
            print(f"varied requests, one client: {single}")
            for name, figures in (("idle", idle), ("idle, varied requests", varied),
                                  ("during add", busy)):
                print(f"load ({name}): {figures}")
            print(f"workers {args.workers}; load average at the end {os.getloadavg()}")


if __name__ == "__main__":
    main()
