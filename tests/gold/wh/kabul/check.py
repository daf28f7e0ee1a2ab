"""Check the Kabul development gold in this folder and print its counts.

Reads only the files next to this script (stdlib only):
documents.jsonl, statements.jsonl, assignments.jsonl, propositions.json, sources.json.

    python tests/gold/wh/kabul/check.py      # exit 1 on any problem
"""
import collections
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = {"direct", "indirect", "mixed", "according_to", "label", "author"}
STANCES = {"affirm", "deny", "uncertain"}
GRANS = {"day", "weekend", "week", "month"}
EVIDENCE = {"satellite_imagery", "video", "photo", "intercepted_communications", "documents_ids",
            "captured_or_killed_personnel", "eyewitness", "intelligence_assessment",
            "official_statement", "other"}
TYPES = {"person", "organization", "government_body", "media", "unnamed", "author"}
FIELDS = ["document", "kind", "source", "source_start", "source_entity", "cue", "cue_start",
          "content", "content_start", "stance", "said_on", "said_on_text",
          "said_on_granularity", "evidence", "via"]
LABEL = re.compile(r"(?:MR\. SULLIVAN|MS\. PSAKI|M\. PSAKI|THE PRESIDENT|Q)(?::|(?=[\s\xa0]))")
LICENSE = ("public domain (US federal government work); from the official briefing-room "
           "archive via the wh-briefings corpus")


def load_jsonl(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_json(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return json.load(f)


def main():
    problems = []

    def bad(msg):
        problems.append(msg)

    docs = load_jsonl("documents.jsonl")
    texts, dates = {}, {}
    for i, d in enumerate(docs):
        where = f"documents.jsonl row {i + 1}"
        for k in ("id", "url", "title", "published", "kind", "category", "text", "excerpt_of", "license"):
            if k not in d:
                bad(f"{where}: missing {k}")
        if d.get("id") in texts:
            bad(f"{where}: duplicate id {d.get('id')}")
        t = d.get("text", "")
        texts[d["id"]] = t
        dates[d["id"]] = d.get("published")
        ex = d.get("excerpt_of") or {}
        base = d["id"].split("#")[0]
        if ex.get("id") != base:
            bad(f"{where}: excerpt_of.id {ex.get('id')!r} is not {base!r}")
        if ex.get("end", 0) - ex.get("start", 0) != len(t):
            bad(f"{where}: excerpt_of end-start != len(text)")
        if d.get("kind") != "transcript":
            bad(f"{where}: kind is not transcript")
        if d.get("license") != LICENSE:
            bad(f"{where}: unexpected license")
        if not re.match(r"\d{4}-\d{2}-\d{2}$", d.get("published") or ""):
            bad(f"{where}: bad published")
        if not LABEL.match(t):
            bad(f"{where}: excerpt does not start at a speaker label")
    # excerpts of one briefing must not overlap
    spans = collections.defaultdict(list)
    for d in docs:
        spans[d["excerpt_of"]["id"]].append((d["excerpt_of"]["start"], d["excerpt_of"]["end"], d["id"]))
    for base, ss in spans.items():
        ss.sort()
        for (a1, b1, i1), (a2, b2, i2) in zip(ss, ss[1:]):
            if a2 < b1:
                bad(f"excerpts overlap: {i1} and {i2}")

    stmts = load_jsonl("statements.jsonl")
    keys = {}
    mentions = {}
    for i, s in enumerate(stmts):
        where = f"statements.jsonl row {i + 1}"
        if list(s) != FIELDS:
            bad(f"{where}: fields {list(s)} differ from {FIELDS}")
            continue
        t = texts.get(s["document"])
        if t is None:
            bad(f"{where}: unknown document {s['document']!r}")
            continue
        for span, start in (("source", "source_start"), ("cue", "cue_start"), ("content", "content_start")):
            x, st = s[span], s[start]
            if (x is None) != (st is None):
                bad(f"{where}: {span} and {start} must both be set or both null")
            elif x is not None and t[st:st + len(x)] != x:
                bad(f"{where}: {span} does not match text at {st}")
        if not s["content"]:
            bad(f"{where}: empty content")
        if s["kind"] not in KINDS:
            bad(f"{where}: bad kind {s['kind']!r}")
        if s["stance"] not in STANCES:
            bad(f"{where}: bad stance {s['stance']!r}")
        if s["kind"] == "author":
            if s["source"] is not None or s["cue"] is not None or s["said_on"] is not None:
                bad(f"{where}: author rows have null source, cue and said_on")
        elif s["cue"] is None:
            bad(f"{where}: non-author row without cue")
        if s["kind"] == "label":
            if s["source_start"] != s["cue_start"] or not s["cue"].startswith(s["source"]):
                bad(f"{where}: label source must start the cue at the same offset")
            if s["cue"] not in (s["source"], s["source"] + ":"):
                bad(f"{where}: label cue must be the label (with its colon, if the text has one)")
            if s["said_on"] != dates[s["document"]] or s["said_on_granularity"] != "day":
                bad(f"{where}: a turn's said_on is the briefing date, granularity day")
        if s["said_on"] is not None:
            if not re.match(r"\d{4}-\d{2}-\d{2}$", s["said_on"]):
                bad(f"{where}: bad said_on")
            if s["said_on_granularity"] not in GRANS:
                bad(f"{where}: bad said_on_granularity")
            if s["said_on"] > dates[s["document"]]:
                bad(f"{where}: said_on after publication")
        elif s["said_on_granularity"] is not None:
            bad(f"{where}: granularity set without said_on")
        if not isinstance(s["evidence"], list) or any(e not in EVIDENCE for e in s["evidence"]):
            bad(f"{where}: bad evidence {s['evidence']!r}")
        if s["source"] is not None and not s["source_entity"]:
            bad(f"{where}: source without source_entity")
        if s["content"] != s["content"].strip() or s["content"][-1] in ".?!":
            bad(f"{where}: content has surrounding space or final punctuation")
        k = (s["document"], s["content_start"], s["cue_start"])
        if k in keys:
            bad(f"{where}: duplicate key (document, content_start, cue_start) {k}")
        keys[k] = s
        if s["source_start"] is not None:
            mentions.setdefault((s["document"], s["source_start"]), s["source"])
    order = {d["id"]: i for i, d in enumerate(docs)}
    srt = sorted(stmts, key=lambda r: (order.get(r["document"], 0), r["content_start"], r["cue_start"] or 0))
    if srt != stmts:
        bad("statements.jsonl is not sorted by document, then position")

    props = load_json("propositions.json")["propositions"]
    pids = [p["id"] for p in props]
    if len(set(pids)) != len(pids) or not all(p.get("statement") for p in props):
        bad("propositions.json: duplicate ids or empty statements")
    links = load_jsonl("assignments.jsonl")
    seen = set()
    for i, a in enumerate(links):
        where = f"assignments.jsonl row {i + 1}"
        k = (a["document"], a["content_start"], a["cue_start"])
        s = keys.get(k)
        if s is None:
            bad(f"{where}: no statement with document + content_start + cue_start {k}")
            continue
        if a["content"] != s["content"]:
            bad(f"{where}: content differs from the statement's")
        if a["proposition"] not in pids:
            bad(f"{where}: unknown proposition {a['proposition']!r}")
        if a["stance"] not in STANCES:
            bad(f"{where}: bad stance {a['stance']!r}")
        if (k, a["proposition"]) in seen:
            bad(f"{where}: duplicate link")
        seen.add((k, a["proposition"]))

    src = load_json("sources.json")["sources"]
    covered = collections.Counter()
    for c in src:
        if c.get("type") not in TYPES:
            bad(f"sources.json {c.get('id')}: bad type {c.get('type')!r}")
        for m in c["mentions"]:
            k = (m["document"], m["source_start"])
            if k not in mentions:
                bad(f"sources.json {c['id']}: mention {k} is not a gold source mention")
            elif m.get("text") is not None and m["text"] != mentions[k]:
                bad(f"sources.json {c['id']}: mention text differs at {k}")
            covered[k] += 1
    for k in mentions:
        if covered[k] != 1:
            bad(f"sources.json: mention {k} is in {covered[k]} clusters (must be exactly 1)")
    if len({c["id"] for c in src}) != len(src):
        bad("sources.json: duplicate cluster ids")

    # counts
    print(f"documents: {len(docs)} excerpts from {len(spans)} briefings/remarks, "
          f"{sum(len(t) for t in texts.values())} characters")
    print(f"statements: {len(stmts)}")
    print("  by kind:", dict(collections.Counter(s["kind"] for s in stmts).most_common()))
    print("  by stance:", dict(collections.Counter(s["stance"] for s in stmts).most_common()))
    print("  with said_on:", sum(1 for s in stmts if s["said_on"]),
          "| reported (non-label) with said_on:",
          sum(1 for s in stmts if s["said_on"] and s["kind"] != "label"))
    print("  evidence:", dict(collections.Counter(e for s in stmts for e in s["evidence"]).most_common()))
    linked = {(a["document"], a["content_start"], a["cue_start"]) for a in links}
    print(f"links: {len(links)} over {len(linked)} statements")
    for p in pids:
        c = collections.Counter(a["stance"] for a in links if a["proposition"] == p)
        print(f"  {p}: affirm {c['affirm']} / deny {c['deny']} / uncertain {c['uncertain']}")
    print("  by stance:", dict(collections.Counter(a["stance"] for a in links).most_common()))
    print(f"sources: {len(src)} clusters, {sum(len(c['mentions']) for c in src)} mentions "
          f"({len(mentions)} distinct gold source mentions)")
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for p in problems:
            print("  " + p)
        return 1
    print("\nno problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
