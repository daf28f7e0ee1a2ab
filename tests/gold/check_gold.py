"""Check the attributed-statement gold file against the texts corroborate derives.

Run it directly: ``.venv/bin/python tests/gold/check_gold.py [FILE.jsonl]``. It re-derives
every document of ``examples/kursk`` the way ``corroborate add`` does, checks every offset/text
pair and every field of ``kursk_statements.jsonl`` (or FILE), prints counts per document, kind
and stance, and exits 1 on any problem.

Import it from tests (standard library and corroborate only)::

    from gold.check_gold import document_texts, load_gold   # with tests/ on sys.path

``document_texts()`` maps the gold "document" key (the file name, or
``<file name>#<record uri>`` for a WARC record) to the derived text; ``load_gold()`` returns
the statements as dicts, in file order.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CORPUS = REPO / "examples" / "kursk"
GOLD = HERE / "kursk_statements.jsonl"

KINDS = frozenset({"direct", "indirect", "mixed", "according_to", "label", "author"})
STANCES = frozenset({"affirm", "deny", "uncertain"})
EVIDENCE = frozenset({
    "satellite_imagery", "video", "photo", "intercepted_communications", "documents_ids",
    "captured_or_killed_personnel", "eyewitness", "intelligence_assessment",
    "official_statement", "other",
})
GRANULARITIES = frozenset({"day", "weekend", "week", "month"})
FIELDS = (
    "document", "kind", "source", "source_start", "source_entity", "cue", "cue_start",
    "content", "content_start", "stance", "said_on", "said_on_text", "said_on_granularity",
    "evidence", "via",
)
REQUIRED = frozenset(FIELDS) - {"said_on_granularity"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _is_source(path: Path) -> bool:
    return not (path.name.endswith(".meta.json") or path.suffix == ".csv")


@lru_cache(maxsize=1)
def _derived() -> dict[str, Any]:
    from corroborate.ingest.pipeline import AddOptions, read_source

    docs: dict[str, Any] = {}
    for path in sorted(CORPUS.iterdir()):
        if not path.is_file() or not _is_source(path):
            continue
        result = read_source(path, path.read_bytes(), AddOptions())
        if result.errors:
            raise RuntimeError(f"{path.name}: {result.errors}")
        multi = len(result.documents) > 1 or path.name.endswith((".warc", ".warc.gz"))
        for doc in result.documents:
            key = f"{path.name}#{doc.uri}" if multi else path.name
            docs[key] = doc
    return docs


def document_texts() -> dict[str, str]:
    """Gold document key -> the text corroborate derives for it (what offsets point into)."""
    return {key: doc.text for key, doc in _derived().items()}


def document_dates() -> dict[str, str | None]:
    """Gold document key -> its publication date (``YYYY-MM-DD``), the said_on anchor."""
    return {key: doc.published for key, doc in _derived().items()}


def load_gold(path: Path | None = None) -> list[dict[str, Any]]:
    """The gold statements, one dict per line of the JSONL file, in file order."""
    path = GOLD if path is None else Path(path)
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError(f"{path.name}:{lineno}: not a JSON object")
            rows.append(row)
    return rows


def _span_problems(text: str, row: dict[str, Any], name: str) -> list[str]:
    value, start = row.get(name), row.get(f"{name}_start")
    if value is None or start is None:
        if (value is None) != (start is None):
            return [f"{name} and {name}_start must both be null or both set"]
        return []
    if not isinstance(value, str) or not value or not isinstance(start, int):
        return [f"{name} must be a non-empty string with an int offset"]
    got = text[start:start + len(value)]
    if start < 0 or got != value:
        return [f"{name} {value!r} != text[{start}:{start + len(value)}] {got!r}"]
    if value != value.strip():
        return [f"{name} {value!r} has surrounding whitespace"]
    return []


def check_row(row: dict[str, Any], texts: dict[str, str]) -> list[str]:
    """Every problem with one statement (empty when it is clean)."""
    problems: list[str] = []
    missing = REQUIRED - row.keys()
    extra = row.keys() - set(FIELDS)
    if missing:
        problems.append(f"missing fields {sorted(missing)}")
    if extra:
        problems.append(f"unknown fields {sorted(extra)}")
    doc = row.get("document")
    if doc not in texts:
        return [*problems, f"unknown document {doc!r}"]
    text = texts[doc]
    for name in ("source", "cue", "content"):
        problems += _span_problems(text, row, name)
    if row.get("content") is None:
        problems.append("content is required")
    kind = row.get("kind")
    if kind not in KINDS:
        problems.append(f"bad kind {kind!r}")
    if kind == "author" and (row.get("source") is not None or row.get("cue") is not None):
        problems.append("author statements have source and cue null")
    if kind == "label" and row.get("cue") is not None and not row["cue"].endswith(":"):
        problems.append("a label cue is the speaker label with its colon")
    if kind in {"direct", "indirect", "mixed", "according_to", "label"} and row.get("cue") is None:
        problems.append(f"{kind} statements need a cue")
    if row.get("stance") not in STANCES:
        problems.append(f"bad stance {row.get('stance')!r}")
    evidence = row.get("evidence")
    if not isinstance(evidence, list) or not set(evidence) <= EVIDENCE:
        problems.append(f"bad evidence {evidence!r}")
    elif len(set(evidence)) != len(evidence):
        problems.append("duplicate evidence types")
    said_on, said_text = row.get("said_on"), row.get("said_on_text")
    gran = row.get("said_on_granularity")
    if said_on is not None:
        if not isinstance(said_on, str) or not _DATE.match(said_on):
            problems.append(f"said_on {said_on!r} is not YYYY-MM-DD")
        if said_text is None:
            problems.append("said_on needs said_on_text")
        if gran not in GRANULARITIES:
            problems.append(f"bad said_on_granularity {gran!r}")
    elif gran is not None:
        problems.append("said_on_granularity set without said_on")
    if said_text is not None and said_text not in text:
        problems.append(f"said_on_text {said_text!r} does not occur in the document")
    via = row.get("via")
    if via is not None and (not isinstance(via, str) or not via.strip()):
        problems.append("via must be null or a non-empty string")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Check the gold file (or the JSONL file named as the only argument); 0 when clean."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else GOLD
    texts = document_texts()
    rows = load_gold(path)
    bad = 0
    for n, row in enumerate(rows, 1):
        for problem in check_row(row, texts):
            bad += 1
            print(f"line {n} ({row.get('document')}): {problem}")
    seen = Counter(
        (r.get("document"), r.get("kind"), r.get("source_start"), r.get("cue_start"),
         r.get("content_start"), r.get("content")) for r in rows
    )
    for key, count in seen.items():
        if count > 1:
            bad += 1
            print(f"duplicate statement x{count}: {key}")
    missing_docs = sorted(set(texts) - {r.get("document") for r in rows})
    for doc in missing_docs:
        bad += 1
        print(f"no statements for document {doc}")

    width = max(len(d) for d in texts)
    print(f"\n{len(rows)} statements in {path.name}\n\nper document:")
    per_doc = Counter(r.get("document") for r in rows)
    for doc in sorted(texts):
        print(f"  {doc:<{width}}  {per_doc.get(doc, 0):>4}")
    for field in ("kind", "stance"):
        print(f"\nper {field}:")
        for value, count in sorted(Counter(r.get(field) for r in rows).items()):
            print(f"  {value!s:<14} {count:>4}")
    print("\nper evidence type:")
    for value, count in sorted(Counter(e for r in rows for e in r.get("evidence", [])).items()):
        print(f"  {value:<30} {count:>4}")
    dated = sum(r.get("said_on") is not None for r in rows)
    print(f"\nsaid_on resolved: {dated}   via set: {sum(r.get('via') is not None for r in rows)}")
    if bad:
        print(f"\nFAILED: {bad} problem(s)")
        return 1
    print("\nOK: every offset and field checks out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
