#!/usr/bin/env python3
"""Check the balloon gold (stdlib only; reads only the files next to this script).

    python tests/gold/wh/balloon/check.py     # exit 1 on any problem, prints counts
"""
import collections
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = {"direct", "indirect", "mixed", "according_to", "label", "author"}
STANCES = {"affirm", "deny", "uncertain"}
GRAN = {"day", "weekend", "week", "month"}
EVIDENCE = {"satellite_imagery", "video", "photo", "intercepted_communications", "documents_ids",
            "captured_or_killed_personnel", "eyewitness", "intelligence_assessment",
            "official_statement", "other"}
FIELDS = ["document", "kind", "source", "source_start", "source_entity", "cue", "cue_start",
          "content", "content_start", "stance", "said_on", "said_on_text", "said_on_granularity",
          "evidence", "via"]
DOC_FIELDS = ["id", "url", "title", "published", "kind", "category", "text", "excerpt_of", "license"]
LABEL = re.compile(r"^(Q|[A-Z][A-Z.\-' ]+[A-Z]):?[\s\xa0]")
MAX_PROPOSITIONS = 6  # a story reusing this checker may allow more (prigozhin: 7)


def jsonl(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def span_ok(text, start, span):
    return isinstance(start, int) and 0 <= start and text[start:start + len(span)] == span


def main():
    problems = []
    docs = jsonl("documents.jsonl")
    texts, dates = {}, {}
    for r in docs:
        where = f"document {r.get('id')}"
        if sorted(r) != sorted(DOC_FIELDS):
            problems.append(f"{where}: fields {sorted(r)}")
        if r["id"] in texts:
            problems.append(f"{where}: duplicate id")
        texts[r["id"]] = r["text"]
        dates[r["id"]] = r["published"]
        ex = r["excerpt_of"]
        base = r["id"].split("#")[0]
        if ex["id"] != base or ex["end"] - ex["start"] != len(r["text"]):
            problems.append(f"{where}: excerpt_of {ex} does not fit the id or the text length")
        if r["kind"] != "transcript" or not r["license"].startswith("public domain"):
            problems.append(f"{where}: kind or license")
        if not LABEL.match(r["text"].replace("\xa0", " ")):
            problems.append(f"{where}: excerpt does not start at a speaker label")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["published"]):
            problems.append(f"{where}: published {r['published']!r}")

    stmts = jsonl("statements.jsonl")
    keys = {}
    mentions = {}
    for i, s in enumerate(stmts, 1):
        where = f"statement {i} ({s.get('document')}, {s.get('content_start')})"
        if list(s) != FIELDS:
            problems.append(f"{where}: fields {list(s)}")
            continue
        text = texts.get(s["document"])
        if text is None:
            problems.append(f"{where}: unknown document")
            continue
        if s["kind"] not in KINDS:
            problems.append(f"{where}: kind {s['kind']!r}")
        if s["stance"] not in STANCES:
            problems.append(f"{where}: stance {s['stance']!r}")
        if not s["content"] or not span_ok(text, s["content_start"], s["content"]):
            problems.append(f"{where}: content span does not match")
        if s["content"] != s["content"].strip() or s["content"][-1:] in ".,;:":
            problems.append(f"{where}: content has outer whitespace or final punctuation")
        for f in ("source", "cue"):
            if s[f] is None:
                if s[f + "_start"] is not None:
                    problems.append(f"{where}: {f}_start without {f}")
            elif not span_ok(text, s[f + "_start"], s[f]):
                problems.append(f"{where}: {f} span does not match")
        if s["cue"] is None and s["kind"] != "author":
            problems.append(f"{where}: cue missing")
        if s["kind"] == "label":
            if s["source_start"] != s["cue_start"] or s["cue"].rstrip(":") != s["source"]:
                problems.append(f"{where}: label source/cue mismatch")
            if s["said_on"] != dates[s["document"]] or s["said_on_granularity"] != "day":
                problems.append(f"{where}: label said_on is not the briefing date")
        if s["said_on"] is None:
            if s["said_on_granularity"] is not None:
                problems.append(f"{where}: granularity without said_on")
        else:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s["said_on"]) or s["said_on_granularity"] not in GRAN:
                problems.append(f"{where}: said_on/granularity {s['said_on']!r} {s['said_on_granularity']!r}")
            elif s["said_on"] > dates[s["document"]]:
                problems.append(f"{where}: said_on after publication")
        if not isinstance(s["evidence"], list) or set(s["evidence"]) - EVIDENCE:
            problems.append(f"{where}: evidence {s['evidence']!r}")
        if s["source_entity"] is not None and not s["source_entity"].strip():
            problems.append(f"{where}: empty source_entity")
        k = (s["document"], s["content_start"], s["cue_start"])
        if k in keys:
            problems.append(f"{where}: duplicate key (document, content_start, cue_start)")
        keys[k] = s
        if s["source"] is not None:
            m = (s["document"], s["source_start"])
            if mentions.setdefault(m, s["source"]) != s["source"]:
                problems.append(f"{where}: two source spans at one offset")

    props = json.load(open(os.path.join(HERE, "propositions.json"), encoding="utf-8"))["propositions"]
    pids = [p["id"] for p in props]
    if len(set(pids)) != len(pids) or not 4 <= len(pids) <= MAX_PROPOSITIONS:
        problems.append(f"propositions: ids {pids}")

    links = jsonl("assignments.jsonl")
    seen = set()
    for i, a in enumerate(links, 1):
        where = f"assignment {i} ({a.get('document')}, {a.get('content_start')}, {a.get('proposition')})"
        s = keys.get((a["document"], a["content_start"], a["cue_start"]))
        if s is None:
            problems.append(f"{where}: no such statement")
            continue
        if a["content"] != s["content"]:
            problems.append(f"{where}: content differs from the statement's")
        if a["proposition"] not in pids:
            problems.append(f"{where}: unknown proposition")
        if a["stance"] not in STANCES:
            problems.append(f"{where}: stance {a['stance']!r}")
        k = (a["document"], a["content_start"], a["cue_start"], a["proposition"])
        if k in seen:
            problems.append(f"{where}: duplicate link")
        seen.add(k)

    clusters = json.load(open(os.path.join(HERE, "sources.json"), encoding="utf-8"))["sources"]
    owner = {}
    for c in clusters:
        if c["type"] not in {"person", "organization", "government_body", "media", "unnamed", "author"}:
            problems.append(f"cluster {c['id']}: type {c['type']!r}")
        for m in c["mentions"]:
            k = (m["document"], m["source_start"])
            if k not in mentions:
                problems.append(f"cluster {c['id']}: mention {k} is no gold source mention")
            elif m.get("text") is not None and m["text"] != mentions[k]:
                problems.append(f"cluster {c['id']}: mention {k} text differs")
            if k in owner:
                problems.append(f"mention {k} in clusters {owner[k]} and {c['id']}")
            owner[k] = c["id"]
    for k in mentions:
        if k not in owner:
            problems.append(f"source mention {k} is in no cluster")
    names = {c["name"]: c["id"] for c in clusters}
    for s in stmts:
        if s["source_entity"] and s["source_entity"] != "reporter (unnamed)" and s["source_entity"] not in names:
            problems.append(f"source_entity {s['source_entity']!r} has no cluster")

    for p in problems:
        print("PROBLEM:", p)
    print(f"documents: {len(docs)} excerpts from {len({r['excerpt_of']['id'] for r in docs})} transcripts, "
          f"{sum(len(t) for t in texts.values())} characters")
    print(f"statements: {len(stmts)}")
    kinds = collections.Counter(s["kind"] for s in stmts)
    print("  by kind:", dict(sorted(kinds.items())))
    print("  by stance:", dict(sorted(collections.Counter(s["stance"] for s in stmts).items())))
    print("  by document:")
    for r in docs:
        print(f"    {r['id'][:70]:70} {sum(1 for s in stmts if s['document'] == r['id']):4}")
    linked = {(a["document"], a["content_start"], a["cue_start"]) for a in links}
    print(f"links: {len(links)} over {len(linked)} statements; {len(stmts) - len(linked)} statements bear on none")
    for pid in pids:
        c = collections.Counter(a["stance"] for a in links if a["proposition"] == pid)
        print(f"  {pid}: affirm {c['affirm']} / deny {c['deny']} / uncertain {c['uncertain']}")
    print(f"source clusters: {len(clusters)} ({sum(1 for c in clusters if c['mentions'])} with mentions), "
          f"{len(mentions)} distinct source mentions")
    print("OK" if not problems else f"{len(problems)} PROBLEMS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
