"""Extraction and linking accuracy on every development story's gold, one row per story.

    .venv/bin/python bench/story_gold.py [--story NAME ...] [--json] [--no-links] [--pack FILE]

Stories: the Kursk example corpus and the real White House transcripts annotated under
tests/gold/wh/ (see tests/gold/stories.py). Statement precision/recall/F1 and, on matched
statements, source, stance and said_on accuracy (tests/gold/score.py); then the ledger is built
and linked against the story's own propositions: link precision/recall/F1, stance toward the
proposition on the links found, source clustering (B-cubed) and relays (tests/gold/link_score.py).
Which story is held out from tuning is stated in bench/RESULTS.md beside the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from gold.link_score import evaluate
from gold.score import predict, score
from gold.stories import load_story, story_names

EXTRACTION = ("statement_precision", "statement_recall", "statement_f1", "source_accuracy",
              "stance_accuracy", "said_on_accuracy", "said_on_granularity_accuracy")
LINKING = ("link_precision", "link_recall", "link_f1", "link_stance_accuracy",
           "link_f1_matched", "source_bcubed_f1")


def figures(name: str, links: bool, pack: str | None = None) -> dict[str, float]:
    story = load_story(name)
    started = time.perf_counter()
    result: dict[str, float] = dict(score(story.statements, predict(story.documents)).as_dict())
    if links and story.propositions:
        result.update(evaluate(story, pack))
    result["documents"] = len(story.documents)
    result["characters"] = sum(len(d.text) for d in story.documents.values())
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--story", action="append", help="score only this story (repeatable)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-links", action="store_true", help="extraction figures only")
    parser.add_argument("--pack", help="a story pack given to `link` (default: none)")
    args = parser.parse_args()
    names = args.story or story_names()
    unknown = sorted(set(names) - set(story_names()))
    if unknown:
        parser.error(f"no gold for {', '.join(unknown)} (have: {', '.join(story_names())})")
    results = {name: figures(name, not args.no_links, args.pack) for name in names}
    if args.json:
        print(json.dumps(results, indent=2, default=str))
        return
    columns = [*EXTRACTION, *([] if args.no_links else LINKING)]
    short = {"said_on_granularity": "said_on_gran", "statement_": "st_", "_accuracy": ""}
    heads = []
    for c in columns:
        for long, brief in short.items():
            c = c.replace(long, brief)
        heads.append(c.rjust(17))
    print("story".ljust(16) + "gold".rjust(6) + "".join(heads))
    for name, result in results.items():
        cells = "".join(f"{result[c]:17.3f}" if c in result else " " * 16 + "-" for c in columns)
        print(f"{name:16s}{int(result['gold']):6d}{cells}")


if __name__ == "__main__":
    main()
