"""Documents written to break things: rich markup, ANSI escapes, bidi overrides, formulas.

Each looks like news (so extraction finds attributed statements in it) but every field that
ends up on a terminal, in a CSV cell or in the HTML report carries something hostile.
"""

from __future__ import annotations

import json
from pathlib import Path

MARKUP = "[/x]"
ANSI = "\x1b[31m"
RLO = "\u202e"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

ROWS = [
    {"url": "https://news.example.org/a", "published": "2024-10-18", "kind": "news",
     "title": '[bold]Troops[/bold] =HYPERLINK("http://evil.example","click")',
     "publisher": MARKUP,
     "text": 'Defence minister Anna Berg said on Monday that "North Korean troops are in the '
             'Kursk region [/red] and =1+2 units are moving". The Kremlin denied the reports, '
             f'calling them "+fabricated {ANSI}lies\x1b[0m".'},
    {"url": "javascript:alert(1)", "published": "2024-10-20", "kind": "statement",
     "title": f"@SUM(1+1) {RLO}gnp.exe", "publisher": "=cmd|' /C calc'!A0",
     "text": 'Ministry spokesman Ivan Petrov said that "-2 battalions of North Korean troops '
             'are in the Kursk region". "=There are no troops in Kursk," Petrov later told '
             "reporters."},
    {"url": f"https://x.example/{RLO}", "published": "2024-10-22", "kind": "transcript",
     "title": "\tTabbed [link=javascript:alert(1)]title[/link]", "publisher": "+Plus Wire",
     "text": 'General Mark Stone told reporters: "@North Korean troops are in the Kursk '
             'region, we have satellite images." According to =officials, the troops arrived '
             "in October."},
]


def write_corpus(folder: Path) -> Path:
    """The hostile documents as one JSON Lines corpus (one document per line)."""
    path = folder / "hostile.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in ROWS), encoding="utf-8")
    return path


def write_propositions(folder: Path) -> Path:
    path = folder / "hostile-props.json"
    path.write_text(json.dumps({"propositions": [
        {"id": MARKUP, "statement": f"North Korean troops are in the Kursk region {MARKUP}"},
        {"id": "P2", "statement": f"[bold]{ANSI}North Korea{RLO} sent troops"}]}),
        encoding="utf-8")
    return path
