"""Where a statement sits in its document: its paragraph and, in a transcript, the question
it answers.

Why: a briefing answer often does not name its topic ("We're still reviewing that", "I'd
refer you to the Pentagon"); the reporter's question before the turn does ("Was the balloon
collecting intelligence?"). Linking reads these as extra evidence beside the statement's own
sentence. Pure functions of the document text and the statement's offsets, so the gold pairs
(`tests/gold/link_pairs.py`) and a ledger's statements (`link/run.py`) get the same context.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from corroborate.extract.turns import Turn, speaker_turns

_QUESTION_LABELS = frozenset({"Q", "QUESTION", "REPORTER"})
# Characters kept of a paragraph or question: MiniLM reads 256 word pieces at most, and the
# part nearest the statement says most about it.
LIMIT = 600
_LOOK_BACK = 6  # turns
_ASIDE = 120  # characters: an answer's turn this short is an aside, not the answer


@dataclass(frozen=True)
class Context:
    paragraph: str
    question: str  # the question turn just before the statement's turn; "" if none


@lru_cache(maxsize=256)
def _turns(text: str) -> tuple[list[Turn], list[int]]:
    turns = speaker_turns(text, None, ())
    return turns, [t.label_start for t in turns]


def paragraph_around(text: str, start: int, end: int, limit: int = LIMIT) -> str:
    """The blank-line paragraph holding text[start:end], at most `limit` characters centred
    on the statement (a one-paragraph article is not a paragraph)."""
    left = text.rfind("\n\n", 0, start)
    left = 0 if left == -1 else left + 2
    right = text.find("\n\n", end)
    right = len(text) if right == -1 else right
    if right - left > limit:
        spare = max(limit - (end - start), 0) // 2
        left = max(left, start - spare)
        right = min(right, end + spare)
    return " ".join(text[left:right].split())


def question_before(text: str, start: int, limit: int = LIMIT) -> str:
    """The reporter's question answered by the turn holding offset `start`: the question
    turns before it, back to the previous substantive answer. Short turns between them are
    passed over ("Got them all in." / "Okay, that's a lot of questions."), so the question
    that names the topic is kept. A question's own statements get ""."""
    turns, starts = _turns(text)
    at = bisect_right(starts, start) - 1
    if at < 1 or turns[at].name.upper() in _QUESTION_LABELS:
        return ""
    asked: list[str] = []
    for turn in reversed(turns[max(at - _LOOK_BACK, 0):at]):
        said = " ".join(text[turn.start:turn.end].split())
        if turn.name.upper() in _QUESTION_LABELS:
            asked.insert(0, said)
        elif len(said) > _ASIDE:
            break
    return " ".join(asked)[-limit:]


def context_of(text: str, start: int, end: int) -> Context:
    """The context of the statement whose content is text[start:end]."""
    return Context(paragraph_around(text, start, end), question_before(text, start))
