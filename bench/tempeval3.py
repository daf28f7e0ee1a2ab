"""TempEval-3 task A (timex extraction + normalisation) benchmark for corroborate's tagger.

The official TE3 scorer is not redistributable here, so this re-implements its
task-A semantics: relaxed match = any character overlap, strict = identical
span, and attribute F1 (type, value) = relaxed F1 x attribute accuracy over the
relaxed matches, which is how UzZaman et al. (2013) define it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Gold:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class Doc:
    name: str
    text: str
    dct: dt.date | None
    gold: list[Gold]
    #: character spans a system may tag without penalty (a text-consuming DCT).
    ignore: list[tuple[int, int]] = field(default_factory=list)


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def load_timeml(path: Path) -> Doc:
    """Strip inline tags from <TEXT> while recording gold TIMEX3 offsets."""
    root = ET.parse(path).getroot()
    dct = None
    for tx in root.iter("TIMEX3"):
        if tx.get("functionInDocument") == "CREATION_TIME":
            dct = _parse_date(tx.get("value"))
            break
    text_el = root.find("TEXT")
    assert text_el is not None, path
    parts: list[str] = []
    gold: list[Gold] = []
    pos = 0

    def walk(el: ET.Element) -> None:
        nonlocal pos
        start = pos
        if el.text:
            parts.append(el.text)
            pos += len(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                pos += len(child.tail)
        if el.tag == "TIMEX3" and el.get("functionInDocument") != "CREATION_TIME":
            gold.append(Gold(start, pos, "", el.get("type", ""), el.get("value", "")))

    walk(text_el)
    text = "".join(parts)
    for g in gold:
        g.text = text[g.start : g.end]
    return Doc(path.name, text, dct, gold)


_NO_SPACE_BEFORE = {
    ",",
    ".",
    ":",
    ";",
    "!",
    "?",
    ")",
    "]",
    "%",
    "'s",
    "n't",
    "'re",
    "'ve",
    "'ll",
    "'d",
    "'m",
    "'S",
}
_NO_SPACE_AFTER = {"(", "[", "$", "#"}


#: MEANTIME annotates only the title (sentence 0), the date line and the first
#: sentences of each article -- no TIMEX3 anchor lies beyond sentence 5 -- so
#: scoring the whole article would count every later timex as a false positive.
MEANTIME_LAST_SENTENCE = 5


def load_meantime(path: Path) -> Doc:
    """Rebuild the annotated part of a MEANTIME article from tokens (light detokenisation)."""
    root = ET.parse(path).getroot()
    offsets: dict[str, tuple[int, int]] = {}
    parts: list[str] = []
    pos = 0
    prev_sent: str | None = None
    prev_tok = ""
    for tok in root.iter("token"):
        word = tok.text or ""
        sent = tok.get("sentence")
        if int(sent or 0) > MEANTIME_LAST_SENTENCE:
            break
        if prev_sent is not None:
            sep = (
                "\n"
                if sent != prev_sent
                else ("" if word in _NO_SPACE_BEFORE or prev_tok in _NO_SPACE_AFTER else " ")
            )
            parts.append(sep)
            pos += len(sep)
        offsets[tok.get("t_id", "")] = (pos, pos + len(word))
        parts.append(word)
        pos += len(word)
        prev_sent, prev_tok = sent, word
    text = "".join(parts)
    dct = None
    gold: list[Gold] = []
    ignore: list[tuple[int, int]] = []
    markables = root.find("Markables")
    for tx in markables.iter("TIMEX3") if markables is not None else []:
        ids = [a.get("t_id", "") for a in tx.findall("token_anchor")]
        spans = [offsets[i] for i in ids if i in offsets]
        if tx.get("functionInDocument") == "CREATION_TIME":
            dct = _parse_date(tx.get("value"))
            if spans:
                ignore.append((min(s for s, _ in spans), max(e for _, e in spans)))
            continue
        if not spans:
            continue  # empty (non-text-consuming) timex
        s, e = min(s for s, _ in spans), max(e for _, e in spans)
        gold.append(Gold(s, e, text[s:e], tx.get("type", ""), tx.get("value", "")))
    return Doc(path.name, text, dct, gold, ignore)


# --------------------------------------------------------------------------- scoring


@dataclass
class Counts:
    gold: int = 0
    pred: int = 0
    strict: int = 0
    relaxed_gold: int = 0  # gold timexes overlapped by some prediction
    relaxed_pred: int = 0  # predictions overlapping some gold timex
    matched: int = 0  # one-to-one relaxed pairs
    value_ok: int = 0
    type_ok: int = 0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _overlap(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def score_doc(
    doc: Doc,
    preds: list[tuple[int, int, str, str | None]],
    counts: Counts,
    errors: list[str] | None = None,
) -> None:
    """TE3 task-A counting; predictions inside a text-consuming DCT are dropped, not penalised."""
    preds = [p for p in preds if not any(_overlap(p[0], p[1], s, e) for s, e in doc.ignore)]
    counts.gold += len(doc.gold)
    counts.pred += len(preds)
    gold_spans = {(g.start, g.end) for g in doc.gold}
    counts.strict += sum((p[0], p[1]) in gold_spans for p in preds)
    counts.relaxed_gold += sum(
        any(_overlap(g.start, g.end, p[0], p[1]) for p in preds) for g in doc.gold
    )
    counts.relaxed_pred += sum(
        any(_overlap(g.start, g.end, p[0], p[1]) for g in doc.gold) for p in preds
    )
    used: set[int] = set()
    for g in doc.gold:
        best = None
        for i, p in enumerate(preds):
            exact = (p[0], p[1]) == (g.start, g.end)
            if i not in used and _overlap(g.start, g.end, p[0], p[1]) and (best is None or exact):
                best = i
        if best is None:
            if errors is not None:
                where = _ctx(doc, g.start, g.end)
                errors.append(
                    f"FN\t{doc.name}\t{doc.dct}\t{g.type}\t{g.value}\t{g.text!r}\t{where}"
                )
            continue
        used.add(best)
        p = preds[best]
        counts.matched += 1
        counts.value_ok += p[3] == g.value
        counts.type_ok += p[2] == g.type
        if errors is not None and (p[3] != g.value or p[2] != g.type):
            errors.append(
                f"VAL\t{doc.name}\t{doc.dct}\t{g.type}/{p[2]}\t{g.value}/{p[3]}\t{g.text!r}/"
                f"{doc.text[p[0] : p[1]]!r}\t{_ctx(doc, g.start, g.end)}"
            )
    if errors is not None:
        for i, p in enumerate(preds):
            if i not in used and not any(_overlap(g.start, g.end, p[0], p[1]) for g in doc.gold):
                errors.append(
                    f"FP\t{doc.name}\t{doc.dct}\t{p[2]}\t{p[3]}\t{doc.text[p[0] : p[1]]!r}\t"
                    f"{_ctx(doc, p[0], p[1])}"
                )


def _ctx(doc: Doc, s: int, e: int) -> str:
    return (
        doc.text[max(0, s - 60) : s] + "[[" + doc.text[s:e] + "]]" + doc.text[e : e + 40]
    ).replace("\n", " ")


def figures(c: Counts) -> dict[str, float | int]:
    sp = c.strict / c.pred if c.pred else 0.0
    sr = c.strict / c.gold if c.gold else 0.0
    rp = c.relaxed_pred / c.pred if c.pred else 0.0
    rr = c.relaxed_gold / c.gold if c.gold else 0.0
    rf = _f1(rp, rr)
    vacc = c.value_ok / c.matched if c.matched else 0.0
    tacc = c.type_ok / c.matched if c.matched else 0.0
    return {
        "gold": c.gold,
        "pred": c.pred,
        "strict_p": sp,
        "strict_r": sr,
        "strict_f1": _f1(sp, sr),
        "relaxed_p": rp,
        "relaxed_r": rr,
        "relaxed_f1": rf,
        "value_accuracy": vacc,
        "value_f1": rf * vacc,
        "type_accuracy": tacc,
        "type_f1": rf * tacc,
    }


# --------------------------------------------------------------------------- driver


def benchmark_root() -> Path:
    env = os.environ.get("CORROBORATE_BENCHMARKS")
    return Path(env) if env else REPO.parent / "shared" / "benchmarks"


def load_sets(root: Path, split: str) -> dict[str, list[Doc]]:
    te3 = root / "tempeval3"
    if split == "train":
        files = sorted((te3 / "tbaq-cleaned").rglob("*.tml"))
        return {"tbaq-cleaned (train)": [load_timeml(f) for f in files]}
    mt = sorted((root / "meantime_en" / "intra-doc_annotation").rglob("*.xml"))
    return {
        "te3-platinum (test)": [
            load_timeml(f) for f in sorted((te3 / "te3-platinum").glob("*.tml"))
        ],
        "meantime-en": [load_meantime(f) for f in mt],
    }


def run(docs: list[Doc], errors: list[str] | None = None) -> dict[str, float | int]:
    from corroborate.extract.timex import find_time_expressions

    counts = Counts()
    for doc in docs:
        preds = [
            (t.start, t.end, t.type, t.value) for t in find_time_expressions(doc.text, doc.dct)
        ]
        score_doc(doc, preds, counts, errors)
    return figures(counts)


def throughput(docs: list[Doc], min_seconds: float = 1.0) -> float:
    """MB/s of UTF-8 text through find_time_expressions, on the concatenated documents."""
    from corroborate.extract.timex import find_time_expressions

    text = "\n\n".join(d.text for d in docs)
    anchor = next((d.dct for d in docs if d.dct), None)
    find_time_expressions(text, anchor)  # warm-up: compile patterns
    size = len(text.encode("utf-8"))
    reps, t0 = 0, time.perf_counter()
    while True:
        find_time_expressions(text, anchor)
        reps += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= min_seconds:
            return size * reps / elapsed / 1e6


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--split",
        choices=("test", "train"),
        default="test",
        help="test: te3-platinum + MEANTIME English; train: TBAQ-cleaned (the only set to tune on)",
    )
    ap.add_argument("--json", action="store_true", help="print machine-readable figures")
    ap.add_argument(
        "--errors", metavar="FILE", help="write FN/FP/value errors (TSV) for rule development"
    )
    ap.add_argument(
        "--root",
        type=Path,
        default=None,
        help="benchmarks folder (default: $CORROBORATE_BENCHMARKS or <repo>/../shared/benchmarks)",
    )
    args = ap.parse_args(argv)
    root = args.root or benchmark_root()
    if not (root / "tempeval3").is_dir():
        print(
            f"benchmark data not found: {root / 'tempeval3'} is missing. "
            "Set CORROBORATE_BENCHMARKS or pass --root to point at the shared benchmarks folder.",
            file=sys.stderr,
        )
        return 2
    sys.path.insert(0, str(REPO / "src"))
    sets = load_sets(root, args.split)
    errors: list[str] | None = [] if args.errors else None
    results: dict[str, dict[str, float | int]] = {
        name: run(docs, errors) for name, docs in sets.items()
    }
    mbps = throughput([doc for docs in sets.values() for doc in docs])
    if errors is not None:
        Path(args.errors).write_text("\n".join(errors) + "\n", encoding="utf-8")
    if args.json:
        print(
            json.dumps({"split": args.split, "results": results, "throughput_mb_s": mbps}, indent=2)
        )
        return 0
    cols = (
        "strict_p",
        "strict_r",
        "strict_f1",
        "relaxed_p",
        "relaxed_r",
        "relaxed_f1",
        "value_f1",
        "type_f1",
    )
    print(f"{'dataset':24} {'gold':>5} {'pred':>5} " + " ".join(f"{c:>10}" for c in cols))
    for name, r in results.items():
        print(
            f"{name:24} {r['gold']:>5} {r['pred']:>5} "
            + " ".join(f"{100 * float(r[c]):>10.2f}" for c in cols)
        )
    print(f"throughput on the concatenated {args.split} texts: {mbps:.2f} MB/s (one core)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
