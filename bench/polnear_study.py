"""Summary statistics of PolNeAR's TRAIN split, to inform hand-written attribution rules.

Why: rules for cues, source boundaries and content boundaries should follow how PolNeAR's
annotators actually span things (is "that" inside the content? is the final period? is
"according to" the cue?), and those conventions are cheapest to learn from counts. Only
the train split is read, so dev and test stay unseen for tuning.

Prints counts only: cue strings, single tokens and short connector strings, never
sentences, because the texts are copyrighted. Nothing is written to disk. Sentence splitting
here is a light heuristic (terminal punctuation before a capital or a quote, abbreviations
excepted, and every newline), so the sentence figures are approximate.
"""

from __future__ import annotations

import argparse
import bisect
import gzip
import itertools
import json
import os
import re
import statistics
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TOKEN_RE = re.compile(r"\w+|[^\w\s]")
OPEN_QUOTES = "\"“‘'`«"
CLOSE_QUOTES = "\"”’'»"
QUOTES = set(OPEN_QUOTES + CLOSE_QUOTES)
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "st", "jr", "sr",
    "rev", "prof", "u.s", "u.k", "u.n", "d.c", "no", "vs", "inc", "corp", "co", "ltd", "jan",
    "feb", "aug", "sept", "sep", "oct", "nov", "dec", "calif", "fla", "mass", "pa", "va", "n.y",
}
SENT_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])|\n+")
DETERMINERS = {"a", "an", "the", "his", "her", "their", "its", "our", "my", "your", "this",
               "that", "these", "those", "whose", "such", "another", "any", "no",
               "some", "every", "each", "'s", "’s"}
AUX = {"will", "would", "has", "have", "had", "is", "was", "are", "were", "be", "been", "did",
       "does", "do", "can", "could", "may", "might", "should", "must", "to", "not", "n't",
       "also", "later", "then", "never", "repeatedly", "publicly", "privately"}
VERB_FORMS = {"said", "says", "say", "told", "tell", "tells", "telling", "saying", "thinks",
              "think", "thought", "believes", "believe", "knows", "know", "knew", "wants",
              "want", "wrote", "writes", "argues", "argue", "feels", "feel", "felt", "hopes",
              "hope", "insists", "insist", "warns", "warn", "adds", "add", "notes", "note",
              "asks", "ask", "asked", "claims", "claim", "fears", "fear", "expects", "expect",
              "sees", "see", "saw", "suggests", "suggest", "shows", "show", "showed", "found",
              "finds", "find", "calls", "call", "means", "mean", "meant", "support", "supports",
              "oppose", "opposes", "agree", "agrees", "prefer", "prefers", "appear", "appears",
              "seem", "seems", "sought", "seek", "seeks", "read", "reads", "urge", "urges",
              "plan", "plans", "vow", "vows", "deny", "denies", "admit", "admits", "cite",
              "cites", "blame", "blames", "predict", "predicts", "recall", "recalls", "like",
              "likes", "hate", "hates", "understand", "understands", "understood", "doubt",
              "doubts", "wonder", "wonders", "worry", "worries", "reportedly", "put", "puts",
              "made", "make", "makes", "went", "go", "goes", "spoke", "speak", "speaks"}
PREPOSITIONS = {"in", "for", "of", "about", "to", "on", "from", "with", "by", "over", "against",
                "per", "at", "into", "toward", "towards", "behind", "under", "amid", "as"}
NOUN_HEADS = {"statement", "statements", "claim", "claims", "report", "reports", "view", "views",
              "comment", "comments", "remark", "remarks", "word", "words", "interview", "letter",
              "tweet", "tweets", "post", "testimony", "opinion", "belief", "argument", "promise",
              "pledge", "warning", "question", "request", "message", "speech", "poll", "polls",
              "survey", "study", "analysis", "data", "memo", "email", "emails", "response",
              "answer", "assertion", "allegation", "allegations", "accusation", "accusations",
              "announcement", "suggestion", "call", "calls", "plan", "proposal", "decision",
              "position", "stance", "idea", "sense", "hope", "fear", "fears", "concern",
              "concerns", "criticism", "attack", "attacks", "ad", "ads", "book", "video", "account",
              "story", "article", "release", "transcript", "records", "documents", "estimate",
              "estimates", "figures", "numbers", "projections", "forecast", "ruling", "filing"}
NOUN_SUFFIXES = ("ment", "tion", "sion", "ance", "ence", "ism", "ity", "ness")
PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "who", "which",
            "that", "his", "their", "one", "us", "me"}


def norm(s: str) -> str:
    """Lower-case, collapse whitespace, straighten apostrophes: cue strings as rule keys."""
    return re.sub(r"\s+", " ", s.lower().replace("’", "'")).strip()


def toks(s: str) -> list[str]:
    return TOKEN_RE.findall(s)


class Doc:
    """An article's text with sentence and paragraph boundaries for position lookups."""

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        for m in SENT_BOUNDARY.finditer(text):
            if m.group().startswith("\n"):
                starts.append(m.end())
                continue
            before = re.search(r"([\w.]+)[.!?]+[\"”’')\]]*$", text[max(0, m.start() - 12):m.end()])
            word = before.group(1).lower() if before else ""
            if word.rstrip(".") in ABBREVIATIONS or re.fullmatch(r"[a-z]", word):
                continue
            starts.append(m.end())
        self.sent_starts = sorted(set(starts))
        self.para_starts = [0] + [m.end() for m in re.finditer(r"\n+", text)]

    def sentence(self, pos: int) -> int:
        return bisect.bisect_right(self.sent_starts, pos) - 1

    def paragraph(self, pos: int) -> int:
        return bisect.bisect_right(self.para_starts, pos) - 1

    def sentences(self, spans: Iterable[dict[str, Any]]) -> set[int]:
        out: set[int] = set()
        for sp in spans:
            a, b = self.sentence(sp["start"]), self.sentence(max(sp["start"], sp["end"] - 1))
            out.update(range(a, b + 1))
        return out


def pct(n: int, d: int) -> str:
    return f"{n:>6} / {d:<6} = {100 * n / d:5.1f}%" if d else f"{n} / 0"


def show_counter(title: str, counter: Counter[str], n: int, cols: int = 3, width: int = 30) -> None:
    """Print the top ``n`` entries in columns (cue strings and tokens only, never sentences)."""
    total = sum(counter.values())
    print(f"\n## {title} (top {min(n, len(counter))} of {len(counter)} distinct, {total} total)")
    items = counter.most_common(n)
    rows = (len(items) + cols - 1) // cols
    for r in range(rows):
        cells = []
        for c in range(cols):
            i = c * rows + r
            if i < len(items):
                key, cnt = items[i]
                key = key if len(key) <= width else key[: width - 1] + "…"
                cells.append(f"{cnt:>6} {key!s:<{width}}")
        print("  ".join(cells).rstrip())


def show_dist(title: str, values: list[int], buckets: list[int]) -> None:
    """Histogram with open-ended last bucket, plus mean and median."""
    print(f"\n## {title} (n={len(values)}, mean {statistics.mean(values):.2f}, "
          f"median {statistics.median(values):g})" if values else f"\n## {title} (none)")
    for i, lo in enumerate(buckets):
        hi = buckets[i + 1] if i + 1 < len(buckets) else None
        n = sum(1 for v in values if v >= lo and (hi is None or v < hi))
        label = f"{lo}" if hi == lo + 1 else (f"{lo}+" if hi is None else f"{lo}-{hi - 1}")
        print(f"  {label:>6}: {pct(n, len(values))}")


def cue_class(doc: Doc, cue: dict[str, Any]) -> str:
    """Heuristic part of speech of a cue (no tagger in the project): why rules need both.

    Order matters: a determiner inside the cue beats everything; known verb forms, an
    auxiliary or an -ed/-ing word beat a determiner-like word before the cue ("that" and
    "her" are too ambiguous to count); nominal heads and suffixes come last.
    """
    words = [w.lower().replace("’", "'") for w in toks(cue["text"])]
    if not words:
        return "other"
    if words[0] == "according":
        return "prepositional (according to)"
    if all(not w[0].isalnum() for w in words):
        return "punctuation (e.g. colon)"
    prev = toks(doc.text[max(0, cue["start"] - 20):cue["start"]])
    prev_word = prev[-1].lower() if prev else ""
    head = words[-1]
    if words[0] in DETERMINERS - {"that", "her"}:
        return "noun-like"
    if (set(words) & VERB_FORMS or words[0] in AUX
            or any(w.endswith(("ed", "ing")) and len(w) > 4 for w in words)):
        return "verb-like"
    if prev_word in DETERMINERS - {"that", "her", "'s", "’s"} or (
            prev_word == "s" and len(prev) > 1 and prev[-2] in "'’"):
        return "noun-like"
    if head in NOUN_HEADS or head.endswith(NOUN_SUFFIXES) or words[0] in NOUN_HEADS:
        return "noun-like"
    if len(words) == 1 and head in PREPOSITIONS:
        return "bare preposition (e.g. in, for, of)"
    if head.endswith("s") and len(words) == 1:
        return "verb-like"  # third person singular, e.g. an unlisted "-s" verb
    return "other/unknown"


def load(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def study(records: list[dict[str, Any]]) -> None:
    """Compute and print every statistic; see the module docstring for why each matters."""
    n_att = n_nosrc = n_nocue = 0
    cues: Counter[str] = Counter()
    multi: Counter[str] = Counter()
    cue_len: list[int] = []
    classes: Counter[str] = Counter()
    by_class: dict[str, Counter[str]] = {}
    src_len: list[int] = []
    src_first: Counter[str] = Counter()
    src_last: Counter[str] = Counter()
    src_pron = src_total = 0
    order: Counter[str] = Counter()
    src_vs_cue: Counter[str] = Counter()
    cnt_vs_cue: Counter[str] = Counter()
    gap_src_cue: list[int] = []
    gap_cue_cnt: list[int] = []
    between_cue_cnt: Counter[str] = Counter()
    between_src_cue: Counter[str] = Counter()
    c_first: Counter[str] = Counter()
    c_last_char: Counter[str] = Counter()
    c_after: Counter[str] = Counter()
    parts_n: Counter[str] = Counter()
    stats: Counter[str] = Counter()
    acc: Counter[str] = Counter()
    acc_between: Counter[str] = Counter()
    docs: dict[str, Doc] = {}
    for rec in records:
        text = rec["text"]
        doc = docs.setdefault(rec["article"], Doc(text))
        for q in rec["quotes"]:
            cue, sources, contents = q.get("cue"), q.get("sources") or [], q.get("contents") or []
            if not cue and not sources and not contents:
                continue
            n_att += 1
            n_nosrc += bool(q.get("no_source")) or not sources
            if not cue:
                n_nocue += 1
                continue
            key = norm(cue["text"])
            cues[key] += 1
            ctoks = toks(cue["text"])
            cue_len.append(len(ctoks))
            if len(ctoks) > 1:
                multi[key] += 1
            cls = cue_class(doc, cue)
            classes[cls] += 1
            by_class.setdefault(cls, Counter())[key] += 1

            # ---- sources
            for s in sources:
                st = toks(s["text"])
                src_len.append(len(st))
                src_total += 1
                if st:
                    src_first[st[0]] += 1
                    src_last[st[-1]] += 1
                    src_pron += len(st) == 1 and st[0].lower() in PRONOUNS
            if sources:
                s = sources[0]
                if s["end"] <= cue["start"]:
                    src_vs_cue["source before cue"] += 1
                    gap = text[s["end"]:cue["start"]]
                    gap_src_cue.append(len(toks(gap)))
                    g = norm(gap)
                    between_src_cue[g if len(toks(g)) <= 3 else "<4+ tokens>"] += 1
                elif s["start"] >= cue["end"]:
                    src_vs_cue["source after cue"] += 1
                else:
                    src_vs_cue["source overlaps/inside cue"] += 1
            else:
                src_vs_cue["no source span"] += 1

            # ---- contents
            parts_n[str(len(contents)) if len(contents) < 4 else "4+"] += 1
            if contents:
                first, last = contents[0], contents[-1]
                ftext, ltext = first["text"].strip(), last["text"].strip()
                ft = toks(ftext)
                c_first[ft[0].lower() if ft else ""] += 1
                stats["content"] += 1
                stats["starts with 'that'"] += bool(ft) and ft[0].lower() == "that"
                stats["starts with opening quote"] += ftext[:1] in OPEN_QUOTES
                stats["ends with closing quote"] += ltext[-1:] in CLOSE_QUOTES
                stats["contains any quote mark"] += any(ch in QUOTES for c in contents
                                                        for ch in c["text"])
                before = text[:first["start"]].rstrip()[-1:]
                after = text[last["end"]:].lstrip()[:1]
                stats["quote mark just before content (excluded)"] += before in OPEN_QUOTES
                stats["quote mark just after content (excluded)"] += after in CLOSE_QUOTES
                core = ltext.rstrip(CLOSE_QUOTES)
                stats["ends with [.!?] (incl. before a closing quote)"] += core[-1:] in ".!?"
                stats["ends with '.' exactly"] += ltext.endswith(".")
                stats["ends with ',' (incl. before a closing quote)"] += core[-1:] == ","
                stats["next char after content is [.!?] (excluded)"] += after in (".", "!", "?")
                c_last_char[ltext[-1:] if not ltext[-1:].isalnum() else "<alnum>"] += 1
                c_after[after if after and not after.isalnum() else ("<alnum>" if after
                                                                     else "<end>")] += 1
                if first["start"] >= cue["end"]:
                    cnt_vs_cue["content after cue"] += 1
                    gap = text[cue["end"]:first["start"]]
                    gap_cue_cnt.append(len(toks(gap)))
                    g = norm(gap)
                    between_cue_cnt[g if len(toks(g)) <= 3 else "<4+ tokens>"] += 1
                elif last["end"] <= cue["start"]:
                    cnt_vs_cue["content before cue"] += 1
                else:
                    cnt_vs_cue["content around cue (split)"] += 1
                cue_sent = doc.sentence(cue["start"])
                sents = doc.sentences(contents)
                if sents == {cue_sent}:
                    stats["sent: content within cue sentence"] += 1
                elif cue_sent in sents:
                    stats["sent: content in cue sentence and beyond"] += 1
                else:
                    stats["sent: content entirely in other sentence(s)"] += 1
                    if min(sents) > cue_sent:
                        stats["sent:   ... all after the cue sentence"] += 1
                    elif max(sents) < cue_sent:
                        stats["sent:   ... all before the cue sentence"] += 1
                stats["sent: content spans 2+ sentences"] += len(sents) > 1
                paras = {doc.paragraph(c["start"]) for c in contents}
                stats["para: content in another paragraph than cue"] += (
                    doc.paragraph(cue["start"]) not in paras)
                if len(contents) > 1:
                    stats["split content: cue lies in a gap between parts"] += any(
                        a["end"] <= cue["start"] and cue["end"] <= b["start"]
                        for a, b in itertools.pairwise(contents))

            # ---- order of roles
            pos = [("cue", cue["start"])]
            if sources:
                pos.append(("source", sources[0]["start"]))
            if contents:
                pos.append(("content", contents[0]["start"]))
            order[" < ".join(r for r, _ in sorted(pos, key=lambda x: x[1]))] += 1

            # ---- according to
            low = norm(cue["text"])
            near = norm(text[max(0, cue["start"] - 30):cue["end"] + 30])
            src_text = " ".join(norm(s["text"]) for s in sources)
            if "according" in low or "according to" in src_text or (
                    "according to" in near and sources and "according to" in norm(
                        text[max(0, sources[0]["start"] - 20):sources[0]["start"]])):
                acc["attributions involving 'according to'"] += 1
                if low == "according to":
                    acc["cue == 'according to'"] += 1
                elif low.startswith("according to"):
                    acc["cue starts with 'according to' and goes on"] += 1
                elif "according" in low:
                    acc["cue contains 'according' otherwise"] += 1
                else:
                    acc["'according to' not in the cue"] += 1
                if "according to" in src_text:
                    acc["'according to' inside the source span"] += 1
                if not sources:
                    acc["no source span"] += 1
                elif sources[0]["start"] >= cue["end"]:
                    acc["source after the cue"] += 1
                    g = norm(text[cue["end"]:sources[0]["start"]])
                    acc_between[g if len(toks(g)) <= 3 else "<4+ tokens>"] += 1
                elif sources[0]["end"] <= cue["start"]:
                    acc["source before the cue"] += 1
                if contents and contents[-1]["end"] <= cue["start"]:
                    acc["content before the cue"] += 1
                elif contents and contents[0]["start"] >= cue["end"]:
                    acc["content after the cue"] += 1

    print(f"# PolNeAR train: {len(records)} .ann records, {len(docs)} articles, "
          f"{n_att} non-empty attributions (all annotators counted)")
    print(f"no overt source (flag or no span): {pct(n_nosrc, n_att)}")
    print(f"no cue span:                      {pct(n_nocue, n_att)}")
    show_counter("most frequent cue strings (lower-cased)", cues, 150)
    show_dist("cue length in tokens", cue_len, [1, 2, 3, 4, 5, 6])
    show_counter("most frequent multi-word cues", multi, 60)
    print("\n## cue class (heuristic, see cue_class: determiner inside -> noun; verb form, aux, "
          "-ed/-ing -> verb; determiner before -> noun; nominal head/suffix -> noun)")
    for cls, n in classes.most_common():
        print(f"  {cls:32} {pct(n, sum(classes.values()))}")
    for cls, counter in sorted(by_class.items()):
        show_counter(f"top cues classed {cls}", counter, 24)
    print("\n## source position relative to cue (first source)")
    for k, n in src_vs_cue.most_common():
        print(f"  {k:32} {pct(n, sum(src_vs_cue.values()))}")
    show_dist("tokens between source end and cue start (source before cue)", gap_src_cue,
              [0, 1, 2, 3, 6, 11])
    show_counter("text between source and cue (source before cue, <=3 tokens)", between_src_cue,
                 15)
    print("\n## content position relative to cue")
    for k, n in cnt_vs_cue.most_common():
        print(f"  {k:32} {pct(n, sum(cnt_vs_cue.values()))}")
    show_dist("tokens between cue end and content start (content after cue)", gap_cue_cnt,
              [0, 1, 2, 3, 6, 11])
    show_counter("text between cue and content (content after cue, <=3 tokens)", between_cue_cnt,
                 15)
    print("\n## role order (by start offset)")
    for k, n in order.most_common(10):
        print(f"  {k:32} {pct(n, sum(order.values()))}")
    show_dist("source length in tokens", src_len, [1, 2, 3, 4, 5, 6, 8, 11, 16])
    print(f"single-token pronoun sources: {pct(src_pron, src_total)}")
    show_counter("first token of sources", src_first, 40, cols=4, width=14)
    show_counter("last token of sources", src_last, 40, cols=4, width=14)
    print(f"\n## contents (n={stats['content']}; first piece for starts, last piece for ends)")
    for k in ("starts with 'that'", "starts with opening quote", "ends with closing quote",
              "contains any quote mark", "quote mark just before content (excluded)",
              "quote mark just after content (excluded)",
              "ends with [.!?] (incl. before a closing quote)", "ends with '.' exactly",
              "ends with ',' (incl. before a closing quote)",
              "next char after content is [.!?] (excluded)"):
        print(f"  {k:48} {pct(stats[k], stats['content'])}")
    show_counter("content pieces per attribution", parts_n, 5, cols=5, width=4)
    n_split = parts_n["2"] + parts_n["3"] + parts_n["4+"]
    print("  split content with the cue in a gap between parts: "
          + pct(stats["split content: cue lies in a gap between parts"], n_split))
    show_counter("first token of content (lower-cased)", c_first, 40, cols=4, width=14)
    show_counter("last character of content", c_last_char, 12, cols=4, width=8)
    show_counter("first non-space character after content", c_after, 12, cols=4, width=8)
    print("\n## content vs cue sentence (heuristic sentence splitter)")
    for k in sorted(k for k in stats if k.startswith(("sent:", "para:"))):
        print(f"  {k:48} {pct(stats[k], stats['content'])}")
    print("\n## 'according to' attributions (cue contains 'according', or 'according to' in or "
          "just before the source)")
    total = acc["attributions involving 'according to'"]
    for k, n in acc.items():
        print(f"  {k:48} {pct(n, total)}")
    show_counter("text between an 'according to' cue and its following source", acc_between, 10)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.parse_args(argv)
    env = os.environ.get("CORROBORATE_BENCHMARKS")
    root = Path(env) if env else REPO.parent / "shared" / "benchmarks"
    path = root / "polnear" / "derived" / "polnear_train.jsonl.gz"
    if not path.is_file():
        print(f"PolNeAR data not found: {path} is missing. Set CORROBORATE_BENCHMARKS to the "
              "shared benchmarks folder.", file=sys.stderr)
        return 2
    study(load(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
