"""PolNeAR attribution benchmark: source / cue / content extraction against human annotation.

Why this harness: the issue's acceptance targets are stated on PolNeAR (the political-news
attribution corpus the CofeNet paper reports on), so every change to the extractor is judged
by the same numbers. Scoring semantics live in ``bench/polnear_scoring.py`` (pure, unit
tested); this file loads the derived JSONL, runs a predictor, times it and prints figures.

Every ``.ann`` record is scored (for test: all 94 files, the published CofeNet setup); a
second line restricts the figures to articles with a single annotator. The published
anchors are token-level BIO exact-match F1 on the *test* split, so they are a rough guide
on dev and comparable only in spirit on test (we match character spans, not CoreNLP tokens).

The texts are copyrighted: nothing here stores or prints them except ``--errors``, which
shows short contexts on stderr for local error analysis only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import random
import re
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from polnear_scoring import (  # noqa: E402  (bench/ is not a package)
    ROLES,
    Attribution,
    DocScore,
    Offsets,
    Scores,
    Tokens,
    overlaps,
    score_document,
    trim_attribution,
)

#: Published exact-match F1 on PolNeAR test (CofeNet, COLING 2022, Table 6), source/cue/content.
ANCHORS: dict[str, dict[str, float]] = {
    "Rule": {"source": 10.7, "cue": 22.8, "content": 5.6},
    "CRF": {"source": 50.6, "cue": 53.4, "content": 28.6},
    "BiLSTM-CRF": {"source": 69.6, "cue": 66.7, "content": 59.0},
    "BERT-CofeNet": {"source": 83.2, "cue": 75.3, "content": 72.9},
}

#: Issue targets (percent): (metric, role) -> minimum F1.
TARGETS: dict[tuple[str, str], float] = {
    ("exact", "cue"): 70.0,
    ("exact", "source"): 65.0,
    ("exact", "content"): 50.0,
    ("overlap", "content"): 70.0,
}

Predictor = Callable[[str, dt.date | None], list[Attribution]]


# --------------------------------------------------------------------------- data


@dataclass
class Record:
    """One (article, annotator) pair: the unit of scoring."""

    id: str
    article: str
    n_annotators: int
    published: dt.date | None
    text: str
    gold: list[Attribution] = field(default_factory=list)


def _off(span: dict[str, Any]) -> Offsets:
    return int(span["start"]), int(span["end"])


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def load_records(path: Path, limit: int | None = None) -> list[Record]:
    """Read the derived JSONL; ``limit`` counts articles, keeping all their annotators."""
    out: list[Record] = []
    articles: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if limit is not None and r["article"] not in articles and len(articles) >= limit:
                continue
            articles.add(r["article"])
            gold = [
                Attribution(
                    cue=_off(q["cue"]) if q.get("cue") else None,
                    sources=tuple(_off(s) for s in q.get("sources") or ()),
                    contents=tuple(_off(c) for c in q.get("contents") or ()),
                    no_source=bool(q.get("no_source")),
                )
                for q in r["quotes"]
            ]
            out.append(Record(r["id"], r["article"], int(r.get("n_annotators_for_article") or 1),
                              _date(r.get("publication_date")), r["text"], gold))
    return out


# --------------------------------------------------------------------------- predictors


_BASE_CUE = re.compile(r"\b(?:said|says|told)\b")
_BASE_WORD = re.compile(r"\w+")
_SENT_END = re.compile(r"[.!?](?=\s|$)|\n")
_CLAUSE_END = re.compile(r"[^\w\s]")


def baseline(text: str, published: dt.date | None = None) -> list[Attribution]:
    """Deliberately naive: cue = said/says/told, source = up to 3 words before, content = rest.

    It exists so the harness can be exercised before the real extractor lands, and as a
    floor: anything the real extractor scores must clearly beat this.
    """
    del published
    out: list[Attribution] = []
    for m in _BASE_CUE.finditer(text):
        clause = max((e.end() for e in _CLAUSE_END.finditer(text, 0, m.start())), default=0)
        words = list(_BASE_WORD.finditer(text, clause, m.start()))[-3:]
        source = (words[0].start(), words[-1].end()) if words else None
        end_m = _SENT_END.search(text, m.end())
        end = end_m.start() if end_m else len(text)
        content = (m.end(), end) if text[m.end():end].strip() else None
        out.append(Attribution((m.start(), m.end()), (source,) if source else (),
                               (content,) if content else (), source is None))
    return out


_ACCORDING = re.compile(r"according\s+to\s*$", re.IGNORECASE)


def _as_relay(text: str, st: Any) -> Attribution | None:
    """PolNeAR's reading of a relayed statement (`X said Y, according to Z`).

    corroborate keeps the origin as the statement's source and the relay as ``via``;
    PolNeAR annotates one attribution, the `according to` one, whose content is the whole
    relayed clause (univocal: the inner cue gets no attribution of its own). This only
    changes how our output is laid out for scoring, not what was extracted.
    """
    via = getattr(st, "via", None)
    if via is None or st.content is None:
        return None
    m = _ACCORDING.search(text, max(0, via.start - 30), via.start)
    if m is None:
        return None
    starts = [st.content.start] + ([st.source.start] if st.source is not None else []) \
        + ([st.cue.start] if st.cue is not None else [])
    return Attribution(cue=(m.start(), m.start() + len(m.group(0).rstrip())),
                       sources=((via.start, via.end),),
                       contents=((min(starts), st.content.end),), no_source=False)


def _label_colon(text: str, st: Any) -> Offsets | None:
    """PolNeAR's cue for a speaker label (`Q: ...`, `TAPPER: ...`) is the colon alone; ours
    is the label (the source). Only the layout for scoring changes."""
    if getattr(st, "kind", None) != "label" or st.cue is None:
        return None
    colon = text.find(":", st.cue.start, st.cue.end + 2)
    return (colon, colon + 1) if colon != -1 else None


def corroborate_predictor() -> Predictor:
    """Adapt ``corroborate.extract.extract_statements`` to offsets; ImportError if absent."""
    sys.path.insert(0, str(REPO / "src"))
    from corroborate.extract import extract_statements  # type: ignore[attr-defined]

    def predict(text: str, published: dt.date | None) -> list[Attribution]:
        out: list[Attribution] = []
        for st in extract_statements(text, published):
            parts = tuple(getattr(st, "content_parts", ()) or ())
            pieces = parts or ((st.content,) if st.content is not None else ())
            relay = _as_relay(text, st)
            if relay is not None:
                out.append(relay)
                continue
            out.append(Attribution(
                cue=_label_colon(text, st) or ((st.cue.start, st.cue.end)
                                                if st.cue is not None else None),
                sources=((st.source.start, st.source.end),) if st.source is not None else (),
                contents=tuple((p.start, p.end) for p in pieces),
                no_source=st.source is None,
            ))
        return out

    return predict


# --------------------------------------------------------------------------- running


@dataclass
class Speed:
    """Characters through the predictor and the time spent inside predictor calls only."""

    chars: int = 0
    utf8_bytes: int = 0
    seconds: float = 0.0
    articles: int = 0


def predict_all(records: list[Record], predictor: Predictor
                ) -> tuple[dict[str, list[Attribution]], Speed]:
    """Run the predictor once per article (annotators share the text); time only the calls."""
    preds: dict[str, list[Attribution]] = {}
    speed = Speed()
    for rec in records:
        if rec.article in preds:
            continue
        t0 = time.perf_counter()
        result = predictor(rec.text, rec.published)
        speed.seconds += time.perf_counter() - t0
        preds[rec.article] = result
        speed.chars += len(rec.text)
        speed.utf8_bytes += len(rec.text.encode("utf-8"))
        speed.articles += 1
    return preds, speed


def _ctx(text: str, span: Offsets, width: int = 60) -> str:
    s, e = span
    snippet = text[max(0, s - width):s] + "[[" + text[s:e] + "]]" + text[e:e + width]
    return snippet.replace("\n", " ")


def collect_errors(rec: Record, doc: DocScore, errors: dict[str, list[str]]) -> None:
    """Error lines per role: MISS (gold not matched exactly) and SPUR (prediction not matched)."""
    for role in ROLES:
        for g in doc.missed[role]:
            near = [p for p in doc.spurious[role] if overlaps(p, g)]
            hint = f" | nearest pred: {rec.text[near[0][0]:near[0][1]]!r}" if near else ""
            errors[role].append(f"MISS {role:8} {rec.id}: {_ctx(rec.text, g)}{hint}")
        for p in doc.spurious[role]:
            errors[role].append(f"SPUR {role:8} {rec.id}: {_ctx(rec.text, p)}")
    for kind, attrs in (("MISS", doc.unmatched_golds), ("SPUR", doc.unmatched_preds)):
        for a in attrs:
            anchor = a.cue or next(iter(a.contents + a.sources), None)
            if anchor is not None:
                errors["statement"].append(f"{kind} statement {rec.id}: {_ctx(rec.text, anchor)}")


_WORD = re.compile(r"\w+|[^\w\s]")


def _edge(text: str, inner: Offsets, outer: Offsets, side: str) -> str:
    """What lies between two spans' edges on one side, as a kind: the first word of the
    stretch when it is short (`the`, `and`, `,`, `to`), else its length in words."""
    stretch = text[outer[0]:inner[0]] if side == "left" else text[inner[1]:outer[1]]
    words = _WORD.findall(stretch.lower())
    if not words:
        return ""
    return words[0] if side == "left" and len(words) <= 2 else (
        words[-1] if len(words) <= 2 else f"{min(len(words), 4)}{'+' if len(words) > 3 else ''}"
        " words")


def _boundary_kind(text: str, pred: Offsets, gold: Offsets) -> list[str]:
    """`gold starts earlier: the`, `pred ends later: 4+ words`: each edge that differs."""
    out = []
    if pred[0] != gold[0]:
        first, later = ("gold starts earlier", (pred, gold)) if gold[0] < pred[0] \
            else ("pred starts earlier", (gold, pred))
        out.append(f"{first}: {_edge(text, later[0], later[1], 'left')}")
    if pred[1] != gold[1]:
        last, wider = ("gold ends later", (pred, gold)) if gold[1] > pred[1] \
            else ("pred ends later", (gold, pred))
        out.append(f"{last}: {_edge(text, wider[0], wider[1], 'right')}")
    return out


def error_kinds(records: list[Record], preds: dict[str, list[Attribution]],
                cue_words: frozenset[str] = frozenset()) -> dict[str, Counter[str]]:
    """Counts of what went wrong, by role and kind, for choosing which rules to write.

    Per gold span that no prediction equals: `boundary` when a predicted span of the role
    overlaps it (with which edge differs and by what: a determiner, a comma, `to`, so many
    words), `cue found` when a prediction's cue overlaps its attribution's cue (the source
    or content went elsewhere or nowhere), else `no cue` (cue recall). A missed cue is also
    counted by its last word (`missed cue word`), split by whether that word is in the cue
    lexicon (`cue_words`: a rule blocked it) or not; a spurious cue by its last word. Counts
    only: nothing of the texts is printed beyond single lower-cased words.
    """
    kinds: dict[str, Counter[str]] = {k: Counter() for k in (
        "cue", "source", "content", "missed cue word (in lexicon)",
        "missed cue word (not in lexicon)", "spurious cue word")}
    for rec in records:
        text = rec.text
        ps = [trim_attribution(text, a) for a in preds[rec.article]]
        gs = [g for g in (trim_attribution(text, a) for a in rec.gold) if not g.is_empty()]
        by_role = {role: [x for p in ps for x in p.spans(role)] for role in ROLES}
        for g in gs:
            near = [p for p in ps if p.cue and g.cue and overlaps(p.cue, g.cue)]
            for role in ROLES:
                for span in g.spans(role):
                    if span in by_role[role]:
                        kinds[role]["exact"] += 1
                        continue
                    touching = [x for x in by_role[role] if overlaps(x, span)]
                    if touching:
                        kinds[role]["boundary"] += 1
                        for kind in _boundary_kind(text, touching[0], span):
                            kinds[role][f"boundary, {kind}"] += 1
                    elif role != "cue" and near:
                        kinds[role]["cue found, span elsewhere or none"] += 1
                    else:
                        kinds[role]["no cue"] += 1
                        if role == "cue":
                            words = _WORD.findall(text[span[0]:span[1]].lower())
                            known = [w for w in words if w in cue_words]
                            if known:
                                kinds["missed cue word (in lexicon)"][known[-1]] += 1
                            elif words:
                                kinds["missed cue word (not in lexicon)"][words[-1]] += 1
        gold_cues = [g.cue for g in gs if g.cue]
        for p in ps:
            if p.cue and not any(overlaps(p.cue, c) for c in gold_cues):
                kinds["cue"]["spurious (no gold cue near)"] += 1
                words = _WORD.findall(text[p.cue[0]:p.cue[1]].lower())
                if words:
                    kinds["spurious cue word"][words[-1]] += 1
    return kinds


def print_kinds(kinds: dict[str, Counter[str]], n: int) -> None:
    """The `n` largest kinds per role, largest first."""
    for role, counter in kinds.items():
        print(f"== {role}: {sum(counter.values())}" if "word" in role else f"== {role}")
        for kind, count in counter.most_common(n):
            print(f"{count:7d}  {kind}")


def evaluate(records: list[Record], preds: dict[str, list[Attribution]],
             errors: dict[str, list[str]] | None = None) -> dict[str, Scores]:
    """Score every record; also the subset from single-annotator articles."""
    scopes = {"all": Scores(), "single_annotator": Scores()}
    tokens_cache: dict[str, Tokens] = {}
    for rec in records:
        tokens = tokens_cache.setdefault(rec.article, Tokens(rec.text))
        doc = score_document(rec.text, preds[rec.article], rec.gold, tokens)
        scopes["all"].add(doc)
        if rec.n_annotators == 1:
            scopes["single_annotator"].add(doc)
        if errors is not None:
            collect_errors(rec, doc, errors)
    return scopes


def targets_met(scores: Scores) -> dict[str, bool]:
    """Each issue target against the all-records figures."""
    table = {"exact": scores.exact, "overlap": scores.overlap}
    return {f"{metric}_{role}_f1>={goal:g}": 100 * table[metric][role].f1 >= goal
            for (metric, role), goal in TARGETS.items()}


def peak_rss_mib() -> float:
    """Peak resident set size of this process (Linux reports KiB; macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# --------------------------------------------------------------------------- output


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}"


def print_report(split: str, predictor: str, records: list[Record], scopes: dict[str, Scores],
                 speed: Speed, rss_before: float, rss_after: float) -> None:
    """Human-readable table: our exact and overlap figures, anchors and targets side by side."""
    n_gold = sum(1 for r in records for g in r.gold if not g.is_empty())
    n_empty = sum(1 for r in records for g in r.gold if g.is_empty())
    print(f"PolNeAR {split} | predictor {predictor} | {len(records)} .ann records, "
          f"{len({r.article for r in records})} articles, {n_gold} gold attributions"
          + (f" ({n_empty} empty relations ignored)" if n_empty else ""))
    anchor_names = list(ANCHORS)
    head = (f"{'scope':17} {'role':9} | {'exact P':>7} {'R':>5} {'F1':>5} | "
            f"{'tok P':>5} {'R':>5} {'F1':>5} | "
            + " ".join(f"{n:>12}" for n in anchor_names) + " | target")
    print(head)
    print("-" * len(head))
    labels = {"all": "all .ann", "single_annotator": "single-annotator"}
    for scope, sc in scopes.items():
        for i, role in enumerate(ROLES):
            ex, ov = sc.exact[role], sc.overlap[role]
            table = {"exact": sc.exact, "overlap": sc.overlap}
            goals = [f"{m} ≥{g:g} {'met' if 100 * table[m][role].f1 >= g else 'not met'}"
                     for (m, r), g in TARGETS.items() if r == role]
            print(f"{labels[scope] if i == 0 else '':17} {role:9} | "
                  f"{_pct(ex.precision):>7} {_pct(ex.recall)} {_pct(ex.f1)} | "
                  f"{_pct(ov.precision)} {_pct(ov.recall)} {_pct(ov.f1)} | "
                  + " ".join(f"{ANCHORS[n][role]:12.1f}" for n in anchor_names)
                  + " | " + ", ".join(goals))
        st = sc.statement
        print(f"{'':17} {'statement':9} | {_pct(st.precision):>7} {_pct(st.recall)} "
              f"{_pct(st.f1)} | (matched {st.hit} of {st.pred} predicted, {st.gold} gold; "
              f"{sc.documents} records)")
    print("anchors: published exact-match F1 on PolNeAR test (CofeNet Table 6, token-level BIO); "
          "targets apply to the 'all .ann' exact/overlap F1.")
    mb = speed.utf8_bytes / 1e6
    rate = mb / speed.seconds if speed.seconds else float("inf")
    cps = speed.chars / speed.seconds if speed.seconds else float("inf")
    print(f"speed: {speed.chars:,} chars ({mb:.2f} MB UTF-8) in {speed.articles} articles, "
          f"{speed.seconds:.3f} s inside the predictor = {rate:.2f} MB/s ({cps:,.0f} chars/s); "
          f"peak RSS {rss_before:.0f} MiB after loading, {rss_after:.0f} MiB after extraction")


def print_errors(errors: dict[str, list[str]], n: int) -> None:
    """Up to ``n`` MISS and ``n`` SPUR lines per role on stderr, sampled reproducibly."""
    rng = random.Random(0)
    for role, lines in errors.items():
        for kind in ("MISS", "SPUR"):
            pool = [ln for ln in lines if ln.startswith(kind)]
            picked = sorted(rng.sample(range(len(pool)), min(n, len(pool))))
            print(f"== {kind} {role}: {len(pool)} in total, showing {len(picked)}", file=sys.stderr)
            for i in picked:
                print(pool[i], file=sys.stderr)


# --------------------------------------------------------------------------- driver


def benchmark_root() -> Path:
    env = os.environ.get("CORROBORATE_BENCHMARKS")
    return Path(env) if env else REPO.parent / "shared" / "benchmarks"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--split", choices=("dev", "test", "train"), default="dev",
                    help="tune on dev; report test rarely (upstream asks for once per design)")
    ap.add_argument("--limit", type=int, default=None, metavar="N", help="first N articles only")
    ap.add_argument("--json", action="store_true", help="print machine-readable figures")
    ap.add_argument("--errors", type=int, default=0, metavar="N",
                    help="print up to N missed and N spurious examples per role to stderr "
                         "(contains benchmark text: local use only)")
    ap.add_argument("--kinds", type=int, default=0, metavar="N",
                    help="also print the N largest error kinds per role (counts only)")
    ap.add_argument("--predictor", choices=("corroborate", "baseline"), default="corroborate")
    args = ap.parse_args(argv)

    path = benchmark_root() / "polnear" / "derived" / f"polnear_{args.split}.jsonl.gz"
    if not path.is_file():
        print(f"PolNeAR data not found: {path} is missing. Set CORROBORATE_BENCHMARKS to the "
              "shared benchmarks folder (the one holding polnear/derived/).", file=sys.stderr)
        return 2
    if args.predictor == "baseline":
        predictor: Predictor = baseline
    else:
        try:
            predictor = corroborate_predictor()
        except ImportError as exc:
            print(f"corroborate.extract.extract_statements is not importable ({exc}); "
                  "run with --predictor baseline until the extractor lands.", file=sys.stderr)
            return 2

    records = load_records(path, args.limit)
    rss_before = peak_rss_mib()
    preds, speed = predict_all(records, predictor)
    rss_after = peak_rss_mib()
    errors: dict[str, list[str]] | None = (
        {r: [] for r in (*ROLES, "statement")} if args.errors > 0 else None)
    scopes = evaluate(records, preds, errors)

    if args.json:
        print(json.dumps({
            "split": args.split, "predictor": args.predictor, "records": len(records),
            "articles": len({r.article for r in records}),
            "scopes": {k: v.figures() for k, v in scopes.items()},
            "anchors_exact_f1_test": ANCHORS,
            "targets": {f"{m}_{r}_f1": g for (m, r), g in TARGETS.items()},
            "targets_met": targets_met(scopes["all"]),
            "speed": {"chars": speed.chars, "utf8_bytes": speed.utf8_bytes,
                      "seconds": speed.seconds,
                      "mb_per_s": speed.utf8_bytes / 1e6 / speed.seconds if speed.seconds else None,
                      "peak_rss_mib_after_load": rss_before, "peak_rss_mib": rss_after},
        }, indent=2))
    else:
        print_report(args.split, args.predictor, records, scopes, speed, rss_before, rss_after)
    if errors is not None:
        print_errors(errors, args.errors)
    if args.kinds > 0:
        print_kinds(error_kinds(records, preds, _cue_words(args.predictor)), args.kinds)
    return 0


def _cue_words(predictor: str) -> frozenset[str]:
    """The extractor's cue lexicon (every verb form and noun), to tell a missed cue that a
    rule blocked from one the lexicon lacks; empty for the baseline."""
    if predictor != "corroborate":
        return frozenset()
    from corroborate.extract.lexicon import lexicon  # type: ignore[import-not-found]
    lex = lexicon()
    return frozenset(lex.verbs) | frozenset(lex.nouns) | frozenset(lex.passive_raising)


if __name__ == "__main__":
    sys.exit(main())
