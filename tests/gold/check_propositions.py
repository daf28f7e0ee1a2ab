"""Check the proposition, assignment, source-cluster and relay gold files for ``examples/kursk``.

Run it directly: ``.venv/bin/python tests/gold/check_propositions.py``. It loads the attributed
statements (``kursk_statements.jsonl``) with the gold loader and verifies that

- ``kursk_propositions.json`` has the ``corroborate propose --file`` shape
  (``{"propositions": [{"id": "P1", "statement": "..."}]}``) with unique ids;
- every line of ``kursk_assignments.jsonl`` names one gold statement by ``document`` +
  ``content_start`` (+ ``cue_start`` where two statements share a content span), repeats its
  content, names an existing proposition and a valid stance, and is not a duplicate; and that
  an affirmation also links the propositions it entails (P4 -> P3 -> P2 -> P1, P5 -> P1,
  P7 -> P1);
- ``kursk_sources.json`` assigns every gold source mention (non-null ``source``, keyed by
  ``document`` + ``source_start``) to exactly one cluster, with valid type and alignment;
- every line of ``kursk_relays.jsonl`` names one gold statement and existing cluster ids, and
  every gold statement with a ``via`` has a relay line.

It prints counts (links per proposition and stance, clusters, relays) and exits 1 on any
problem. Standard library and the gold loader only.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from gold.check_gold import document_texts, load_gold  # noqa: E402

PROPOSITIONS = HERE / "kursk_propositions.json"
ASSIGNMENTS = HERE / "kursk_assignments.jsonl"
SOURCES = HERE / "kursk_sources.json"
RELAYS = HERE / "kursk_relays.jsonl"

STANCES = ("affirm", "deny", "uncertain")
TYPES = frozenset({"person", "organization", "government_body", "media", "unnamed", "author"})
ALIGNMENTS = ("Ukraine-aligned", "Russia-aligned", "neutral", "unknown")
# An affirmation of the key also affirms (or at least links) each listed proposition.
IMPLIES = {"P4": ("P3",), "P3": ("P2",), "P2": ("P1",), "P5": ("P1",), "P7": ("P1",)}
_PID = re.compile(r"^P\d+$")
_SID = re.compile(r"^S\d+$")


def _jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if line.strip():
                out.append((lineno, json.loads(line)))
    return out


class StatementIndex:
    """Find gold statements by (document, content_start[, cue_start])."""

    def __init__(self, rows: list[dict[str, Any]]):
        self.rows = rows
        self.by_content: dict[tuple[str, int], list[int]] = defaultdict(list)
        for i, r in enumerate(rows):
            self.by_content[(r["document"], r["content_start"])].append(i)

    def find(self, row: dict[str, Any]) -> tuple[int | None, str | None]:
        key = (row.get("document"), row.get("content_start"))
        hits = self.by_content.get(key, [])
        if "cue_start" in row:
            hits = [i for i in hits if self.rows[i]["cue_start"] == row["cue_start"]]
        if not hits:
            return None, f"no gold statement at {key} (cue_start {row.get('cue_start')!r})"
        if len(hits) > 1:
            return None, f"{key} matches {len(hits)} gold statements; add cue_start"
        i = hits[0]
        if row.get("content") is not None and row["content"] != self.rows[i]["content"]:
            return None, f"content {row['content'][:40]!r}... differs from the gold statement's"
        return i, None


def check_propositions(problems: list[str]) -> dict[str, str]:
    data = json.loads(PROPOSITIONS.read_text(encoding="utf-8"))
    if set(data) != {"propositions"} or not isinstance(data["propositions"], list):
        problems.append(f"{PROPOSITIONS.name}: must be {{'propositions': [...]}} only")
        return {}
    props: dict[str, str] = {}
    for n, p in enumerate(data["propositions"], 1):
        if not isinstance(p, dict) or set(p) != {"id", "statement"}:
            problems.append(f"{PROPOSITIONS.name} #{n}: exactly 'id' and 'statement' expected")
            continue
        if not isinstance(p["id"], str) or not _PID.match(p["id"]):
            problems.append(f"{PROPOSITIONS.name} #{n}: bad id {p['id']!r}")
        if not isinstance(p["statement"], str) or not p["statement"].strip():
            problems.append(f"{PROPOSITIONS.name} #{n}: empty statement")
        if p["id"] in props:
            problems.append(f"{PROPOSITIONS.name}: duplicate id {p['id']}")
        props[p["id"]] = p["statement"]
    return props


def check_assignments(problems, index, props, texts):
    fields = {"document", "content_start", "cue_start", "content", "proposition", "stance"}
    links: dict[int, dict[str, str]] = defaultdict(dict)
    for lineno, row in _jsonl(ASSIGNMENTS):
        where = f"{ASSIGNMENTS.name}:{lineno}"
        if not {"document", "content_start", "proposition", "stance"} <= row.keys():
            problems.append(f"{where}: missing fields")
            continue
        if row.keys() - fields:
            problems.append(f"{where}: unknown fields {sorted(row.keys() - fields)}")
        i, err = index.find(row)
        if err:
            problems.append(f"{where}: {err}")
            continue
        gold = index.rows[i]
        text = texts[gold["document"]]
        start = gold["content_start"]
        if text[start:start + len(gold["content"])] != gold["content"]:
            problems.append(f"{where}: gold content span does not match the document text")
        if row["proposition"] not in props:
            problems.append(f"{where}: unknown proposition {row['proposition']!r}")
        if row["stance"] not in STANCES:
            problems.append(f"{where}: bad stance {row['stance']!r}")
        if row["proposition"] in links[i]:
            problems.append(f"{where}: duplicate link to {row['proposition']}")
        links[i][row["proposition"]] = row["stance"]
    for i, d in links.items():
        for p, stance in d.items():
            if stance != "affirm":
                continue
            for q in IMPLIES.get(p, ()):
                if q in props and q not in d:
                    r = index.rows[i]
                    problems.append(
                        f"{ASSIGNMENTS.name}: ({r['document']}, {r['content_start']}) affirms {p} "
                        f"but has no link to {q}, which it entails")
    return links


def check_sources(problems, rows):
    data = json.loads(SOURCES.read_text(encoding="utf-8"))
    clusters = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(clusters, list):
        problems.append(f"{SOURCES.name}: must be {{'sources': [...]}}")
        return {}, {}
    mentions = {}
    for r in rows:
        if r["source"] is not None:
            key = (r["document"], r["source_start"])
            mentions.setdefault(key, (r["source"], set()))[1].add(r["source_entity"])
    assigned: dict[tuple[str, int], str] = {}
    ids: dict[str, dict[str, Any]] = {}
    need = {"id", "name", "type", "country", "alignment", "mentions"}
    for n, c in enumerate(clusters, 1):
        where = f"{SOURCES.name} #{n}"
        if not isinstance(c, dict) or need - c.keys():
            problems.append(f"{where}: needs {sorted(need)}")
            continue
        if not _SID.match(str(c["id"])) or c["id"] in ids:
            problems.append(f"{where}: bad or duplicate id {c['id']!r}")
        ids[c["id"]] = c
        if not isinstance(c["name"], str) or not c["name"].strip():
            problems.append(f"{where}: empty name")
        if c["type"] not in TYPES:
            problems.append(f"{where}: bad type {c['type']!r}")
        if c["alignment"] not in ALIGNMENTS:
            problems.append(f"{where}: bad alignment {c['alignment']!r}")
        if c["country"] is not None and not isinstance(c["country"], str):
            problems.append(f"{where}: country must be a string or null")
        for m in c["mentions"]:
            key = (m.get("document"), m.get("source_start"))
            if key not in mentions:
                problems.append(f"{where} ({c['id']}): no gold source mention at {key}")
                continue
            if m.get("text") != mentions[key][0]:
                problems.append(f"{where} ({c['id']}): mention text {m.get('text')!r} != gold "
                                f"{mentions[key][0]!r} at {key}")
            if key in assigned:
                problems.append(f"mention {key} is in both {assigned[key]} and {c['id']}")
            assigned[key] = c["id"]
    for key, (text, _) in mentions.items():
        if key not in assigned:
            problems.append(f"{SOURCES.name}: gold source mention {text!r} at {key} "
                            "is in no cluster")
    return ids, mentions


def check_relays(problems, index, source_ids):
    relays = []
    covered = set()
    for lineno, row in _jsonl(RELAYS):
        where = f"{RELAYS.name}:{lineno}"
        i, err = index.find(row)
        if err:
            problems.append(f"{where}: {err}")
            continue
        for field in ("relayed_by", "origin"):
            if row.get(field) not in source_ids:
                problems.append(f"{where}: {field} {row.get(field)!r} is not a source cluster id")
        if row.get("relayed_by") == row.get("origin"):
            problems.append(f"{where}: relayed_by and origin are the same cluster")
        if i in covered:
            problems.append(f"{where}: duplicate relay for one statement")
        covered.add(i)
        relays.append(row)
    for i, r in enumerate(index.rows):
        if r["via"] and i not in covered:
            problems.append(f"{RELAYS.name}: gold statement ({r['document']}, "
                            f"{r['content_start']}) has via {r['via']!r} but no relay line")
    return relays


def main() -> int:
    rows = load_gold()
    texts = document_texts()
    index = StatementIndex(rows)
    problems: list[str] = []
    props = check_propositions(problems)
    links = check_assignments(problems, index, props, texts)
    source_ids, mentions = check_sources(problems, rows)
    relays = check_relays(problems, index, source_ids)

    for p in problems:
        print(p)

    print(f"\n{len(props)} propositions; {sum(len(d) for d in links.values())} links over "
          f"{len(links)} of {len(rows)} statements ({len(rows) - len(links)} unlinked)")
    per = Counter((p, s) for d in links.values() for p, s in d.items())
    print(f"\n  {'':4} {'affirm':>7} {'deny':>5} {'uncertain':>10} {'total':>6}")
    for pid in props:
        counts = [per.get((pid, s), 0) for s in STANCES]
        print(f"  {pid:4} {counts[0]:>7} {counts[1]:>5} {counts[2]:>10} {sum(counts):>6}")
    counts = [sum(per.get((pid, s), 0) for pid in props) for s in STANCES]
    print(f"  {'all':4} {counts[0]:>7} {counts[1]:>5} {counts[2]:>10} {sum(counts):>6}")
    per_stmt = Counter(len(d) for d in links.values())
    print("  propositions per linked statement: "
          + ", ".join(f"{k}: {v}" for k, v in sorted(per_stmt.items())))

    with_mentions = [c for c in source_ids.values() if c["mentions"]]
    print(f"\n{len(source_ids)} source clusters ({len(with_mentions)} with mentions), "
          f"{len(mentions)} gold source mentions")
    for field in ("alignment", "type"):
        print(f"  per {field}: " + ", ".join(
            f"{k}: {v}" for k, v in sorted(Counter(c[field] for c in source_ids.values()).items())))
    print(f"\n{len(relays)} relays")
    for rid, n in Counter(r["relayed_by"] for r in relays).most_common():
        print(f"  via {source_ids.get(rid, {}).get('name', rid)}: {n}")

    verdict = f"FAIL: {len(problems)} problem(s)" if problems else "OK: all references check out"
    print(f"\n{verdict}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
