"""Texts of any size and shape for the extraction speed tests and `bench/extract_speed.py`.

News-like text is the bundled Kursk corpus (our own files) repeated; transcripts are built
from speaker turns written here; adversarial text repeats the pieces that once made
extraction quadratic or worse (quote marks, commas, capitals, brackets, cue words, dates,
labels, text without sentence ends or punctuation). Nothing here reads the shared benchmark
or corpus folders.
"""

from __future__ import annotations

import random
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "kursk"

#: Pieces repeated to fill a document; each is a shape some stage once scanned badly.
PATHOLOGICAL: dict[str, str] = {
    "straight_quotes": '"',
    "spaced_quotes": '" ',
    "curly_quotes": "“ ‘ ” ’ ",
    "commas": ", ",
    "word_commas": "troops, ",
    "capitals": "North Korean Troops Said Officials ",
    "brackets": "((([[[ ",
    "closing_brackets": ")))]]] ",
    "cue_words": "said ",
    "said_commas": "said, ",
    "according_to": "according to officials, ",
    "quoted_said": '"We will," Kirby said. ',
    "curly_quoted_said": "“We will,” Kirby said. ",
    "dates": "May 5, 2024 ",
    "durations": "three days three days ",
    "fake_ids": "fake ",
    "labels": "MR. KIRBY: said.\n",
    "short_labels": "Q: A: ",
    "periods": ". ",
    "abbreviations": "Mr. Gen. U.S. ",
    "no_punctuation": "the troops were moved north by ship and officials said that ",
    "newlines": "\n",
    "spaces": "  \t ",
    "apostrophes": "'s ",
    "hyphens": "- -- — ",
    "digits": "1,000 10.5 12:30 ",
    "ellipses": "... … ",
    "relative_pronouns": ", who said ",
    "possessives": "Rutte's claim that ",
}


def _fill(piece: str, size: int) -> str:
    return (piece * (size // len(piece) + 1))[:size]


def news(size: int) -> str:
    """The Kursk example texts (news, wires, statements) repeated to `size` characters."""
    parts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    return _fill("\n\n".join(parts) + "\n\n", size)


_SPEAKERS = ["MR. KIRBY", "MS. JEAN-PIERRE", "Q", "MS. SINGH", "SECRETARY AUSTIN"]
_LINES = ["We have seen the reports, and we are not in a position to confirm them today.",
          "I would point you to what the Secretary said on Monday about the deployment.",
          "Are you concerned that North Korean troops will enter combat in Kursk?",
          "Our assessment is that roughly 10,000 soldiers have been moved to eastern Russia.",
          "He said that the units could be used against Ukraine within weeks, and we agree.",
          "I don't have anything more to add on that; we'll keep you posted.",
          "“This is a dangerous escalation,” she told reporters on Oct. 28."]


def transcript(size: int, seed: int = 3) -> str:
    """Briefing-style turns (`MR. KIRBY: ...`), thousands of them in a large document."""
    rng = random.Random(seed)
    turns = []
    total = 0
    while total < size:
        turn = f"{rng.choice(_SPEAKERS)}:  " + " ".join(
            rng.choice(_LINES) for _ in range(rng.randint(1, 4))) + "\n\n"
        turns.append(turn)
        total += len(turn)
    return "".join(turns)[:size]


def adversarial(size: int) -> str:
    """Every pathological piece in turn, each repeated to an equal share of `size`."""
    share = max(1, size // len(PATHOLOGICAL))
    return "".join(_fill(piece, share) for piece in PATHOLOGICAL.values())[:size]


def pathological(name: str, size: int) -> str:
    return _fill(PATHOLOGICAL[name], size)


def mutated(text: str, rng: random.Random, edits: int) -> str:
    """Real-looking text with random characters deleted, doubled or replaced by marks that
    steer the rules (quotes, commas, colons, newlines, capitals)."""
    chars = list(text)
    marks = '"“”‘’\'.,;:()[]—\n\tABCQ '
    for _ in range(edits):
        if not chars:
            break
        at = rng.randrange(len(chars))
        op = rng.random()
        if op < 0.3:
            del chars[at]
        elif op < 0.6:
            chars.insert(at, chars[at] * rng.randint(1, 30))
        else:
            chars[at] = rng.choice(marks)
    return "".join(chars)
