#!/usr/bin/env python3
"""Check the covid-origins gold (stdlib only; reads only files in this folder).

Verifies every span offset, field values, that every assignment points at an existing
statement (document + content_start + cue_start) with the same content, that every
mention in sources.json exists and every gold source mention is in exactly one cluster,
and that each document's text is recorded consistently with its excerpt offsets.
Prints counts; exit status 1 on any problem.
"""
import collections, json, os, re, sys

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
LABEL_RX = re.compile(r"^(MS\. PSAKI|MR\. KIRBY|MS\. JEAN-PIERRE|MS\. DALTON|THE PRESIDENT|AIDE):$|^Q$")
problems = []


def bad(msg):
    problems.append(msg)


def jsonl(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


docs = jsonl("documents.jsonl")
texts = {}
for d in docs:
    for k in ["id", "url", "title", "published", "kind", "category", "text", "excerpt_of", "license"]:
        if k not in d:
            bad(f"document {d.get('id')}: missing {k}")
    ex = d["excerpt_of"]
    base = ex["id"]
    if not (d["id"] == base or re.fullmatch(re.escape(base) + r"#\d+", d["id"])):
        bad(f"document {d['id']}: id does not match excerpt_of.id")
    if ex["end"] - ex["start"] != len(d["text"]):
        bad(f"document {d['id']}: excerpt length {ex['end'] - ex['start']} != len(text) {len(d['text'])}")
    if not re.match(r"(Q[ \xa0]|MS\. |MR\. |THE PRESIDENT:)", d["text"]):
        bad(f"document {d['id']}: excerpt does not start at a speaker label")
    if d["id"] in texts:
        bad(f"duplicate document id {d['id']}")
    texts[d["id"]] = d["text"]
dates = {d["id"]: d["published"] for d in docs}
# excerpts of one briefing must not overlap
byb = collections.defaultdict(list)
for d in docs:
    byb[d["excerpt_of"]["id"]].append((d["excerpt_of"]["start"], d["excerpt_of"]["end"], d["id"]))
for b, xs in byb.items():
    xs.sort()
    for (a1, e1, i1), (a2, e2, i2) in zip(xs, xs[1:]):
        if a2 < e1:
            bad(f"excerpts {i1} and {i2} overlap")


def span_ok(t, s, start, what, where):
    if s is None and start is None:
        return
    if s is None or start is None:
        bad(f"{where}: {what} and {what}_start must both be set or both null")
        return
    if t[start:start + len(s)] != s:
        bad(f"{where}: {what} {s[:40]!r} not at {start}")


stmts = jsonl("statements.jsonl")
keys = {}
mentions = set()
for i, r in enumerate(stmts, 1):
    where = f"statements.jsonl:{i}"
    if list(r.keys()) != FIELDS:
        bad(f"{where}: fields {list(r.keys())}")
        continue
    t = texts.get(r["document"])
    if t is None:
        bad(f"{where}: unknown document {r['document']}")
        continue
    if r["kind"] not in KINDS:
        bad(f"{where}: kind {r['kind']}")
    if r["stance"] not in STANCES:
        bad(f"{where}: stance {r['stance']}")
    span_ok(t, r["source"], r["source_start"], "source", where)
    span_ok(t, r["cue"], r["cue_start"], "cue", where)
    span_ok(t, r["content"], r["content_start"], "content", where)
    if not r["content"]:
        bad(f"{where}: empty content")
    if r["content"] != r["content"].strip() or r["content"].rstrip()[-1:] in ".?!" and r["kind"] != "direct":
        bad(f"{where}: content has outer whitespace or final punctuation")
    if r["kind"] == "author":
        if r["source"] is not None or r["cue"] is not None:
            bad(f"{where}: author rows have null source and cue")
    elif r["cue"] is None:
        bad(f"{where}: cue is null")
    if r["kind"] == "label":
        if not (r["source_start"] == r["cue_start"] and LABEL_RX.match(r["cue"]) and r["cue"].startswith(r["source"])):
            bad(f"{where}: bad label source/cue {r['source']!r} {r['cue']!r}")
        if r["said_on"] != dates[r["document"]] or r["said_on_granularity"] != "day":
            bad(f"{where}: label said_on must be the briefing date")
        if r["via"] is not None:
            bad(f"{where}: label with via")
    if r["source"] is not None and not r["source_entity"]:
        bad(f"{where}: source without source_entity")
    if r["said_on"] is None:
        if r["said_on_granularity"] is not None:
            bad(f"{where}: granularity without said_on")
    else:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["said_on"]):
            bad(f"{where}: said_on {r['said_on']}")
        if r["said_on_granularity"] not in GRANS:
            bad(f"{where}: granularity {r['said_on_granularity']}")
        if r["said_on"] > dates[r["document"]]:
            bad(f"{where}: said_on after publication")
        if r["kind"] != "label" and r["said_on_text"] is None:
            bad(f"{where}: reported said_on without said_on_text")
    if r["said_on_text"] is not None and " ".join(r["said_on_text"].split()) not in " ".join(t.split()):
        bad(f"{where}: said_on_text {r['said_on_text']!r} not in text")
    if not isinstance(r["evidence"], list) or any(e not in EVIDENCE for e in r["evidence"]):
        bad(f"{where}: evidence {r['evidence']}")
    k = (r["document"], r["content_start"], r["cue_start"])
    if k in keys:
        bad(f"{where}: duplicate key {k}")
    keys[k] = r
    if r["source_start"] is not None:
        mentions.add((r["document"], r["source_start"]))
# file order: by document (documents.jsonl order), then position
order = {d["id"]: n for n, d in enumerate(docs)}
sk = [(order[r["document"]], r["content_start"]) for r in stmts]
if sk != sorted(sk):
    bad("statements.jsonl is not sorted by document, then content_start")

props = json.load(open(os.path.join(HERE, "propositions.json"), encoding="utf-8"))["propositions"]
pids = [p["id"] for p in props]
if len(set(pids)) != len(pids) or not 4 <= len(pids) <= 6:
    bad(f"propositions: ids {pids}")
links = jsonl("assignments.jsonl")
seen = set()
for i, a in enumerate(links, 1):
    where = f"assignments.jsonl:{i}"
    if set(a) != {"document", "content_start", "cue_start", "content", "proposition", "stance"}:
        bad(f"{where}: fields {sorted(a)}")
        continue
    s = keys.get((a["document"], a["content_start"], a["cue_start"]))
    if s is None:
        bad(f"{where}: no statement at {a['document']} {a['content_start']} {a['cue_start']}")
        continue
    if s["content"] != a["content"]:
        bad(f"{where}: content differs from the statement's")
    if a["proposition"] not in pids:
        bad(f"{where}: proposition {a['proposition']}")
    if a["stance"] not in STANCES:
        bad(f"{where}: stance {a['stance']}")
    k = (a["document"], a["content_start"], a["cue_start"], a["proposition"])
    if k in seen:
        bad(f"{where}: duplicate link")
    seen.add(k)

src = json.load(open(os.path.join(HERE, "sources.json"), encoding="utf-8"))["sources"]
owner = {}
for c in src:
    if c["type"] not in TYPES:
        bad(f"sources {c['id']}: type {c['type']}")
    for k in ["id", "name", "type", "role", "affiliation", "alignment", "mentions"]:
        if k not in c:
            bad(f"sources {c.get('id')}: missing {k}")
    for m in c["mentions"]:
        mk = (m["document"], m["source_start"])
        t = texts.get(m["document"])
        if t is None:
            bad(f"sources {c['id']}: unknown document {m['document']}")
            continue
        if mk not in mentions:
            bad(f"sources {c['id']}: mention {mk} is no gold source mention")
        if "text" in m and t[m["source_start"]:m["source_start"] + len(m["text"])] != m["text"]:
            bad(f"sources {c['id']}: mention text {m['text']!r} not at {m['source_start']}")
        if mk in owner:
            bad(f"sources: mention {mk} in {owner[mk]} and {c['id']}")
        owner[mk] = c["id"]
for mk in sorted(mentions - set(owner)):
    bad(f"sources: gold mention {mk} in no cluster")

# counts
nchar = sum(len(t) for t in texts.values())
print(f"documents: {len(docs)} excerpts from {len(byb)} briefings, {nchar} characters")
print(f"statements: {len(stmts)}")
print("  by kind:   " + ", ".join(f"{k} {v}" for k, v in collections.Counter(r['kind'] for r in stmts).most_common()))
print("  by stance: " + ", ".join(f"{k} {v}" for k, v in collections.Counter(r['stance'] for r in stmts).most_common()))
print(f"  with said_on: {sum(1 for r in stmts if r['said_on'])} (reported, non-label: {sum(1 for r in stmts if r['said_on'] and r['kind'] != 'label')})")
linked = {(a["document"], a["content_start"], a["cue_start"]) for a in links}
print(f"links: {len(links)} over {len(linked)} statements; {len(stmts) - len(linked)} statements bear on none")
for p in pids:
    c = collections.Counter(a["stance"] for a in links if a["proposition"] == p)
    print(f"  {p}: affirm {c['affirm']} / deny {c['deny']} / uncertain {c['uncertain']}")
print(f"source clusters: {len(src)}, mentions: {len(owner)} (distinct gold mentions: {len(mentions)})")
if problems:
    print(f"\n{len(problems)} problem(s):")
    for p in problems:
        print("  " + p)
    sys.exit(1)
print("no problems")
