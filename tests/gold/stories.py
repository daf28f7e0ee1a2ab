"""Every development story's gold in one shape, so one scorer measures them all.

A story is its documents (as `corroborate add` derives them, keyed like its gold rows), the gold
statements, the analyst propositions, the statement–proposition links and the source clusters.
Two layouts exist:

- the Kursk example corpus: ``examples/kursk`` with ``tests/gold/kursk_*`` files;
- real public-domain transcripts: ``tests/gold/wh/<story>/`` holding ``documents.jsonl``
  (excerpts of White House briefings, one row each, with the corpus id), ``statements.jsonl``,
  ``propositions.json``, ``assignments.jsonl`` and ``sources.json``.

The excerpts are written to a temporary JSON Lines file with a unique URL per row before they are
read, because several excerpts of one briefing share its page URL and the ledger would otherwise
take them for versions of one document.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from corroborate.ingest.pipeline import AddOptions, read_source
from corroborate.model import Document

HERE = Path(__file__).resolve().parent
WH = HERE / "wh"

# Stories that nothing may be trained on and no rule, threshold, feature or weight may be chosen
# by: their figures are only printed, so they say how far the code carries to unseen text.
HELD_OUT: tuple[str, ...] = ("kabul", "gaza-hospital")


@dataclass(frozen=True)
class Story:
    name: str
    documents: dict[str, Document]
    statements: list[dict[str, Any]]
    propositions: list[dict[str, str]]
    assignments: list[dict[str, Any]]
    clusters: list[dict[str, Any]]
    relays: list[dict[str, Any]]
    inputs: tuple[str, ...]  # what `corroborate add` is given to build the story's ledger


def _jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def story_names() -> list[str]:
    """Kursk first, then every real-text story that has its documents and statements."""
    names = ["kursk"]
    if WH.is_dir():
        names += sorted(p.name for p in WH.iterdir()
                        if (p / "documents.jsonl").exists() and (p / "statements.jsonl").exists())
    return names


def development_names() -> list[str]:
    """The stories that may be trained and tuned on: every story that is not held out."""
    return [name for name in story_names() if name not in HELD_OUT]


@cache
def _excerpt_file(name: str) -> Path:
    """The story's excerpts as one JSON Lines input with a unique URL per row."""
    rows = _jsonl(WH / name / "documents.jsonl")
    folder = Path(tempfile.mkdtemp(prefix=f"gold-{name}-"))
    target = folder / f"{name}.jsonl"
    with target.open("w", encoding="utf-8") as out:
        for row in rows:
            start = (row.get("excerpt_of") or {}).get("start", 0)
            unique = {**row, "url": f"{row['url']}#excerpt-{start}"}
            out.write(json.dumps(unique, ensure_ascii=False) + "\n")
    return target


def _wh_documents(name: str) -> dict[str, Document]:
    rows = _jsonl(WH / name / "documents.jsonl")
    path = _excerpt_file(name)
    result = read_source(path, path.read_bytes(), AddOptions())
    if result.errors or len(result.documents) != len(rows):
        raise RuntimeError(f"{name}: documents.jsonl did not read cleanly: {result.errors}")
    return {row["id"]: doc for row, doc in zip(rows, result.documents, strict=True)}


@cache
def load_story(name: str) -> Story:
    if name == "kursk":
        from gold.check_gold import load_gold
        from gold.score import CORPUS, documents

        clusters = json.loads((HERE / "kursk_sources.json").read_text())["sources"]
        return Story(
            "kursk", documents(), load_gold(),
            json.loads((HERE / "kursk_propositions.json").read_text())["propositions"],
            _jsonl(HERE / "kursk_assignments.jsonl"), clusters,
            _jsonl(HERE / "kursk_relays.jsonl"), (str(CORPUS),))
    folder = WH / name
    sources = json.loads((folder / "sources.json").read_text()) \
        if (folder / "sources.json").exists() else []
    clusters = sources["sources"] if isinstance(sources, dict) else sources
    propositions = json.loads((folder / "propositions.json").read_text())["propositions"] \
        if (folder / "propositions.json").exists() else []
    statements = _jsonl(folder / "statements.jsonl")
    relays = [{"document": s["document"], "content_start": s["content_start"]}
              for s in statements if s.get("via")]
    return Story(name, _wh_documents(name), statements, propositions,
                 _jsonl(folder / "assignments.jsonl"), clusters, relays,
                 (str(_excerpt_file(name)),))
